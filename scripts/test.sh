#!/usr/bin/env bash
# The whole test suite from a fresh clone: setup, lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure-postgres.sh
.venv/bin/ruff check .
.venv/bin/mypy
# The Linux bundle and .deb, built and smoke-tested (scripts/build-check.sh):
# always on CI, locally with SOSKU_BUILD_CHECK=1 (a rebuild takes minutes).
if [ "${SOSKU_BUILD_CHECK:-$([ "${CI:-}" = true ] && echo 1 || echo 0)}" = 1 ]; then
  scripts/build-check.sh
fi
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q --cov --cov-report= "$@"
.venv/bin/python scripts/coverage_rooms.py
