#!/usr/bin/env bash
# Sets up everything Sosku Desktop needs from the project's own files:
# Debian libraries for headless Qt and PDF checks, a running PostgreSQL for
# the server tests, and the virtual environment in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3 libx11-6
              fonts-dejavu-core poppler-utils libreoffice-calc-nogui)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${SOSKU_WITH_POSTGRES:-1}" = "1" ] && ! command -v pg_ctlcluster >/dev/null 2>&1 \
   && ! command -v pg_ctl >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
# Exact, hash-checked versions from the lock file (scripts/lock.sh makes it
# from pyproject.toml); the project itself goes in editable, without deps.
lock=requirements/dev.txt
stamp=.venv/.sosku-installed
want=$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
pip_quiet() {  # pip's output only when it fails
  local out; out=$(mktemp)
  if ! .venv/bin/python -m pip "$@" >"$out" 2>&1; then cat "$out" >&2; rm -f "$out"; return 1; fi
  rm -f "$out"
}
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the locked dependencies into .venv"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  pip_quiet install -q --upgrade pip
  pip_quiet install -q --require-hashes -r "$lock"
  pip_quiet install -q --no-deps -e .
  .venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check; exit 1; }
  echo "$want" > "$stamp"
fi
# Byte-compile the package as an installed copy ships it. With
# PYTHONDONTWRITEBYTECODE set (as on the team's build machines) nothing would
# write .pyc files, so every page module imported on first use would be
# compiled from source on the UI thread (hundreds of ms per page). Only
# changed files are compiled again.
.venv/bin/python -m compileall -q -j 0 sosku_desktop >/dev/null
