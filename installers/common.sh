# shellcheck shell=bash
# Shared by the build scripts (sourced): paths, the build tools' virtual environment (installed
# from lock/build-tools.lock with --require-hashes) and the app's wheel.
#
#   source installers/common.sh
#   tools_venv         # build/tools-venv with pynsist, PyInstaller, hatchling (pinned + hashed)
#   app_wheel          # build/wheels/selfeval_app-VERSION-py3-none-any.whl (prints its path)

set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INSTALLERS="$REPO_ROOT/installers"
BUILD="$REPO_ROOT/build"
DIST="$INSTALLERS/dist"
TOOLS_VENV="$BUILD/tools-venv"
TOOLS_PY="$TOOLS_VENV/bin/python"
APP_VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$REPO_ROOT/src/selfeval_app/__init__.py")"
APP_ID="cymru.hunanwerthuso.selfeval"
PYTHON="${SELFEVAL_PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || echo 315532800)}"

say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { say "error: $*"; exit 1; }

need() {
    # need COMMAND DEBIAN-PACKAGE: stop with the package to install when a tool is missing.
    command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] \
        || die "'$1' is missing: install the Debian package $2 (apt-get install $2)"
}

tools_venv() {
    local stamp="$TOOLS_VENV/.lock-sha256" want
    want="$(sha256sum "$INSTALLERS/lock/build-tools.lock" | cut -d' ' -f1)"
    if [ -x "$TOOLS_PY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    say "setting up the build tools in $TOOLS_VENV"
    rm -rf "$TOOLS_VENV"
    "$PYTHON" -m venv "$TOOLS_VENV" || die "cannot make a virtual environment (Debian: apt-get install python3-venv)"
    "$TOOLS_PY" -m pip install -q --require-hashes --no-deps -r "$INSTALLERS/lock/build-tools.lock"
    echo "$want" >"$stamp"
}

app_wheel() {
    local out="$BUILD/wheels"
    rm -rf "$out" && mkdir -p "$out"
    # Offline and without build isolation: hatchling comes from the locked tools.
    "$TOOLS_PY" -m pip wheel -q --no-deps --no-build-isolation --no-index -w "$out" "$REPO_ROOT" >&2
    ls "$out"/selfeval_app-*.whl
}
