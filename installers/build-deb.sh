#!/usr/bin/env bash
# Build the Linux .deb (Debian 12 and later, amd64) from a clean checkout:
#
#   installers/build-deb.sh
#
# makes installers/dist/hunanwerthuso_VERSION_amd64.deb: a PyInstaller one-folder app in
# /opt/hunanwerthuso (its own Python, Qt and dependencies), /usr/bin/selfeval, the desktop entry
# (Welsh and English), the icon (SVG and PNGs in hicolor) and AppStream metainfo (both languages).
# Needs python3 with venv and dpkg-deb. Downloads only the wheels of lock/build-tools.lock and
# lock/runtime.lock, each checked by SHA-256.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FREEZE_VENV="$BUILD/freeze-venv"
PKG="hunanwerthuso"
DEB="${PKG}_${APP_VERSION}_amd64.deb"
STAGE="$BUILD/deb/root"

need dpkg-deb dpkg
freeze_venv() {
    # The interpreter PyInstaller freezes: the build tools plus the app's locked dependencies.
    local stamp="$FREEZE_VENV/.lock-sha256" want
    want="$(cat "$INSTALLERS/lock/build-tools.lock" "$INSTALLERS/lock/runtime.lock" | sha256sum | cut -d' ' -f1)"
    if [ -x "$FREEZE_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    say "setting up the interpreter to freeze in $FREEZE_VENV"
    rm -rf "$FREEZE_VENV"
    "$PYTHON" -m venv "$FREEZE_VENV"
    "$FREEZE_VENV/bin/python" -m pip install -q --require-hashes --no-deps -r "$INSTALLERS/lock/build-tools.lock"
    "$FREEZE_VENV/bin/python" -m pip install -q --require-hashes --no-deps -r "$INSTALLERS/lock/runtime.lock"
    echo "$want" >"$stamp"
}

freeze() {
    # freeze [ENV=VALUE...]: run the spec; the one-folder app lands in build/pyinstaller/dist/.
    env "$@" "$FREEZE_VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$BUILD/pyinstaller/dist" --workpath "$BUILD/pyinstaller/work" \
        "$INSTALLERS/pyinstaller/selfeval.spec"
}

freeze_venv
say "freezing the app (PyInstaller)"
freeze SELFEVAL_VERSION="$APP_VERSION"
if [ "${SELFEVAL_FREEZE_EMPTY_TOO:-0}" = 1 ]; then
    say "freezing the benchmark's empty window the same way"
    freeze SELFEVAL_FREEZE_EMPTY=1
fi

say "laying out the package"
rm -rf "$BUILD/deb" && mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin"
cp -a "$BUILD/pyinstaller/dist/selfeval" "$STAGE/opt/$PKG"
ln -s "/opt/$PKG/selfeval" "$STAGE/usr/bin/selfeval"
install -Dm644 "$INSTALLERS/linux/$APP_ID.desktop" "$STAGE/usr/share/applications/$APP_ID.desktop"
install -Dm644 "$INSTALLERS/linux/$APP_ID.metainfo.xml" "$STAGE/usr/share/metainfo/$APP_ID.metainfo.xml"
install -Dm644 "$REPO_ROOT/resources/icons/selfeval.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in 16 24 32 48 64 128 256 512; do
    install -Dm644 "$REPO_ROOT/resources/icons/selfeval-$size.png" \
        "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -Dm644 /dev/stdin "$STAGE/usr/share/doc/$PKG/copyright" <<COPYRIGHT
Hunanwerthuso | Self-evaluation $APP_VERSION: GPL-3.0-or-later (/usr/share/common-licenses/GPL-3).
The bundled Python, Qt (LGPL-3.0), PySide6 (LGPL-3.0) and the other libraries keep their own
licences; their licence files are inside /opt/$PKG.
Noto Sans: SIL Open Font License 1.1 (/opt/$PKG/_internal/selfeval_app/resources/fonts/OFL.txt).
COPYRIGHT
size_kb="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s/@VERSION@/$APP_VERSION/" -e "s/@SIZE@/$size_kb/" "$INSTALLERS/linux/control.in" >"$STAGE/DEBIAN/control"
find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$DIST"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DIST/$DEB" >/dev/null
say "$(du -m "$DIST/$DEB" | cut -f1) MB  $DIST/$DEB ($((size_kb / 1024)) MB installed)"
