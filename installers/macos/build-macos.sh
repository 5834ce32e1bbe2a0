#!/usr/bin/env bash
# macOS recipe: NOT BUILT OR TESTED HERE (the project's machines run Linux; PyInstaller cannot
# build for macOS from Linux, and an .app must be signed and notarised on a Mac).
#
# On a Mac (macOS 12 or later, Python 3.11 from python.org, Xcode command line tools):
#
#   installers/macos/build-macos.sh
#
# makes installers/dist/Hunanwerthuso-VERSION.dmg holding Hunanwerthuso.app (PyInstaller
# one-folder inside an .app bundle, from installers/pyinstaller/selfeval.spec). The runtime wheels
# are pinned by version in lock/runtime.in; lock/runtime.lock records hashes for Windows and Linux
# only, so add the macOS wheels' hashes first: in installers/tools/make_lock.py add a platform
# such as "macosx_11_0_arm64" (and "macosx_10_9_x86_64" for Intel Macs) to LOCKS["runtime"].
#
# Signing and notarising (needs an Apple Developer ID):
#   SELFEVAL_MAC_IDENTITY="Developer ID Application: ..." SELFEVAL_NOTARY_PROFILE=profile \
#       installers/macos/build-macos.sh
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "build-macos: run this on a Mac" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/src/selfeval_app/__init__.py")"
venv="$root/build/macos/venv"
mkdir -p "$root/build/macos" "$root/installers/dist"

python3.11 -m venv "$venv"
"$venv/bin/pip" install -q --require-hashes --no-deps -r "$root/installers/lock/build-tools.lock"
"$venv/bin/pip" install -q --require-hashes --no-deps -r "$root/installers/lock/runtime.lock"

# The icon: an .icns from the PNGs rendered from resources/icons/selfeval.svg.
iconset="$root/build/macos/selfeval.iconset"
rm -rf "$iconset" && mkdir -p "$iconset"
for size in 16 32 128 256 512; do
    cp "$root/resources/icons/selfeval-$size.png" "$iconset/icon_${size}x${size}.png"
done
for size in 16 32 128 256; do
    cp "$root/resources/icons/selfeval-$((size * 2)).png" "$iconset/icon_${size}x${size}@2x.png" 2>/dev/null || true
done
iconutil -c icns "$iconset" -o "$root/build/macos/selfeval.icns"

SELFEVAL_VERSION="$version" "$venv/bin/python" -m PyInstaller --noconfirm \
    --distpath "$root/build/macos/dist" --workpath "$root/build/macos/work" \
    "$root/installers/pyinstaller/selfeval.spec"
app="$root/build/macos/dist/Hunanwerthuso.app"

if [ -n "${SELFEVAL_MAC_IDENTITY:-}" ]; then
    codesign --deep --force --options runtime --timestamp --sign "$SELFEVAL_MAC_IDENTITY" "$app"
else
    echo "build-macos: NOT SIGNED (set SELFEVAL_MAC_IDENTITY): Gatekeeper will refuse to open it" >&2
fi

dmg="$root/installers/dist/Hunanwerthuso-$version.dmg"
stage="$root/build/macos/dmg"
rm -rf "$stage" && mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Hunanwerthuso" -srcfolder "$stage" -ov -format UDZO "$dmg"

if [ -n "${SELFEVAL_MAC_IDENTITY:-}" ] && [ -n "${SELFEVAL_NOTARY_PROFILE:-}" ]; then
    codesign --sign "$SELFEVAL_MAC_IDENTITY" --timestamp "$dmg"
    xcrun notarytool submit "$dmg" --keychain-profile "$SELFEVAL_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
fi
echo "build-macos: $dmg"
