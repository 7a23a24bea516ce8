#!/usr/bin/env bash
# Makes sure a PostgreSQL answers on 127.0.0.1:5432 for the server-backend tests:
# uses the machine's running cluster, starts it if it is installed but stopped,
# and otherwise starts a throw-away cluster of our own.
set -euo pipefail
cd "$(dirname "$0")/.."
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
ready && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "ensure-postgres: PostgreSQL is not installed"; exit 1; }
dir=${TMPDIR:-/tmp}/sosku-pg
rm -rf "$dir"; mkdir -p "$dir"
run_as=""; [ "$(id -u)" -eq 0 ] && { chown postgres "$dir"; run_as="runuser -u postgres --"; }
$run_as "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
$run_as "$bin/pg_ctl" -D "$dir/data" -o "-h 127.0.0.1 -p 5432 -k $dir" -l "$dir/log" -w start >/dev/null
$run_as "$bin/createdb" -h 127.0.0.1 -U postgres test
ready
