#!/usr/bin/env bash
# Builds the Linux app (PyInstaller bundle and .deb, installer/build-linux.sh)
# and checks what a user or IT gets: the frozen program's smoke test,
# `sosku check` on a demo store, and — as root — `dpkg -i` of the .deb,
# `sosku --version`, `--help` naming every command, the desktop entry and
# icon, then `dpkg -r`. Called by scripts/test.sh; SOSKU_BUILD_CHECK=0 skips it.
#
# The build is kept in ~/.cache/sosku-build keyed by the hash of everything
# that goes into it, so CI rebuilds only when the app, its resources, the
# spec or the locked versions change (PyInstaller also caches its own work).
set -euo pipefail
cd "$(dirname "$0")/.."
key=$(git ls-files -s sosku_desktop resources installer requirements/build.txt \
      | sha256sum | cut -c1-16)
cache=${SOSKU_BUILD_CACHE:-$HOME/.cache/sosku-build}/$key
version=$(.venv/bin/python -c "import sosku_desktop; print(sosku_desktop.__version__)")
deb=sosku-desktop_${version}_amd64.deb
if [ -f "$cache/$deb" ] && [ -x "$cache/sosku/sosku" ]; then
  echo "build-check: reusing the build $key"
  rm -rf dist; mkdir -p dist; cp -a "$cache/sosku" "$cache/$deb" dist/
else
  start=$(date +%s)
  installer/build-linux.sh
  echo "build-check: built in $(( $(date +%s) - start )) s"
  rm -rf "${cache%/*}"; mkdir -p "$cache"; cp -a dist/sosku "dist/$deb" "$cache/"
fi

demo=$(mktemp -d); trap 'rm -rf "$demo"' EXIT
export QT_QPA_PLATFORM=offscreen SOSKU_PASSPHRASE=build-check-passphrase SOSKU_LOG_DIR="$demo/logs"
dist/sosku/sosku --demo --smoke-test
for lang in fi sv; do  # Qt's own texts (context menus, dialog buttons) in the frozen build
  [ -n "$(find dist/sosku -name "qtbase_$lang.qm" -print -quit)" ] \
    || { echo "build-check: qtbase_$lang.qm missing from the build" >&2; exit 1; }
done
dist/sosku/sosku-cli demo-data --data-dir "$demo/data" >/dev/null
dist/sosku/sosku-cli check --data-dir "$demo/data"
[ "$(dist/sosku/sosku-cli --version)" = "sosku $version" ]

if [ "$(id -u)" -eq 0 ] && command -v dpkg >/dev/null; then
  dpkg -i "dist/$deb" >/dev/null
  trap 'dpkg -r sosku-desktop >/dev/null; rm -rf "$demo"' EXIT
  [ "$(/usr/bin/sosku --version)" = "sosku $version" ]
  help=$(/usr/bin/sosku --help)
  for command in $(.venv/bin/python -c "from sosku_desktop.commands import all_commands
print(' '.join(c.name for c in all_commands()))"); do
    grep -q "^    $command " <<<"$help" || { echo "--help does not list $command" >&2; exit 1; }
  done
  grep -q "^Icon=sosku-desktop$" /usr/share/applications/sosku-desktop.desktop
  [ -f /usr/share/icons/hicolor/256x256/apps/sosku-desktop.png ]
  /usr/bin/sosku check --data-dir "$demo/data"
  echo "build-check: the .deb installs, runs and lists every command"
fi
echo "build-check: ok"
