#!/usr/bin/env bash
# Sets everything up and starts Sosku Desktop on a fresh demo data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
SOSKU_WITH_POSTGRES=0 scripts/setup.sh
exec .venv/bin/sosku --demo "$@"
