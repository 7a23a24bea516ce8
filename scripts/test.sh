#!/usr/bin/env bash
# The whole test suite from a fresh clone: setup, lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure-postgres.sh
.venv/bin/ruff check .
.venv/bin/mypy
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q --cov --cov-report= "$@"
.venv/bin/python scripts/coverage_rooms.py
