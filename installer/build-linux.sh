#!/usr/bin/env bash
# Builds the Linux bundle (dist/sosku/), a tar.gz and a .deb, then smoke-tests
# the frozen binary offscreen. Needs the project's .venv (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# PyInstaller at the locked version (requirements/build.txt, made by scripts/lock.sh).
.venv/bin/python -m pip install -q --require-hashes -r requirements/build.txt
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build installer/sosku.spec
version=$(.venv/bin/python -c "import sosku_desktop; print(sosku_desktop.__version__)")
tar -C dist -czf "dist/sosku-desktop-${version}-linux-x86_64.tar.gz" sosku
# The frozen app must start: resources found, Qt plugins present, migrations packaged.
QT_QPA_PLATFORM=offscreen SOSKU_PASSPHRASE=demo dist/sosku/sosku --demo --smoke-test

pkg=build/deb/sosku-desktop_${version}_amd64
icons=usr/share/icons/hicolor/256x256/apps
rm -rf "$pkg"; mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/$icons"
cp -a dist/sosku "$pkg/opt/sosku-desktop"
ln -s /opt/sosku-desktop/sosku "$pkg/usr/bin/sosku"
cp resources/icons/sosku.png "$pkg/$icons/sosku-desktop.png"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: sosku-desktop
Version: ${version}
Architecture: amd64
Maintainer: Sosku Desktop team <sosku@example.fi>
Depends: libegl1, libgl1, libglib2.0-0, libfontconfig1, libxkbcommon0, libdbus-1-3, libx11-6
Description: Offline-first tool for social rehabilitation work
 Records meetings, goals and group attendance in an encrypted local store,
 prints agreements and decision drafts, and syncs end-to-end encrypted.
CONTROL
cat > "$pkg/usr/share/applications/sosku-desktop.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Sosku
Comment=Sosiaalisen kuntoutuksen työväline
Exec=/opt/sosku-desktop/sosku
Icon=sosku-desktop
Terminal=false
Categories=Office;
DESKTOP
dpkg-deb --build --root-owner-group -Zzstd -z6 "$pkg" "dist/sosku-desktop_${version}_amd64.deb" >/dev/null
echo "built: dist/sosku/ dist/*.tar.gz dist/*.deb"
