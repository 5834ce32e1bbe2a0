# shellcheck shell=bash
# Shared set-up for ./run-app.sh and ./run-tests.sh: sourced, not run.
#
#   source scripts/setup-env.sh
#   setup_env app     # Debian libraries for a real Qt window, `pip install -e .`
#   setup_env test    # Debian libraries for headless Qt + poppler-utils + zip, `pip install -e ".[test]"`
#
# Afterwards VENV_DIR and VENV_BIN name the checkout's virtual environment (.venv) and PATH starts
# with VENV_BIN. Works on a fresh Debian 12 that has nothing but python3: run as root it installs the
# missing Debian packages (one `apt-get update`, only when something is missing); otherwise it prints
# exactly what to install and stops. The pip step is skipped while pyproject.toml is unchanged.
# Nothing is downloaded except Debian and PyPI packages.

SELFEVAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="$SELFEVAL_ROOT/.venv"
VENV_BIN="$VENV_DIR/bin"
PYTHON="${SELFEVAL_PYTHON:-python3}"

# Qt's Debian libraries (DESIGN.md section 13).
QT_DEBS=(libglib2.0-0 libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libdbus-1-3)
QT_WINDOW_DEBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
# Tests: pdftotext for reports; benchmarks compare against zip.
TEST_DEBS=(poppler-utils zip)
VENV_DEBS=(python3-venv python3-pip)

_say() { printf 'setup: %s\n' "$*" >&2; }
_die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

_deb_installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

# A working venv in the checkout, or none at all.
_venv_ok() {
    [ -x "$VENV_BIN/python" ] && "$VENV_BIN/python" -c 'import sys' >/dev/null 2>&1
}

# Can $PYTHON make a virtual environment with pip in it? (Debian's python3 needs python3-venv.)
_python_can_venv() {
    "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1
}

_install_debs() {
    # $@: missing Debian packages
    if [ "$(id -u)" -eq 0 ]; then
        _say "installing Debian packages: $*"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q || _die "apt-get update failed"
        apt-get install -y -q --no-install-recommends "$@" </dev/null \
            || _die "apt-get install failed for: $*"
    else
        {
            echo "setup: these Debian packages are missing: $*"
            echo "setup: install them (as root) and run this command again:"
            echo "    sudo apt-get update && sudo apt-get install -y $*"
        } >&2
        exit 1
    fi
}

_check_system() {
    # $1: app | test
    local -a wanted=() missing=() libs=()
    local pkg need_venv=0

    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        _die "cannot find $PYTHON; install Python 3.11 or newer (on Debian: apt-get install python3)"
    fi
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || _die "$("$PYTHON" -V 2>&1) is too old: the app needs Python 3.11 or newer"

    if ! _venv_ok && ! _python_can_venv; then
        need_venv=1
        wanted+=("${VENV_DEBS[@]}")
    fi
    libs=("${QT_DEBS[@]}")
    if [ "$1" = app ]; then
        libs+=("${QT_WINDOW_DEBS[@]}")
    else
        libs+=("${TEST_DEBS[@]}")
    fi
    wanted+=("${libs[@]}")

    if ! command -v dpkg-query >/dev/null 2>&1; then
        _say "no dpkg here (not Debian or Ubuntu): skipping the system-package check."
        _say "if something fails below, install your system's equivalents of these Debian packages: ${libs[*]}"
        if [ "$need_venv" -eq 1 ]; then
            _die "$PYTHON cannot create a virtual environment (the venv or ensurepip module is missing); install your system's Python venv package"
        fi
        return 0
    fi

    for pkg in "${wanted[@]}"; do
        _deb_installed "$pkg" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        _install_debs "${missing[@]}"
    fi
    if [ "$need_venv" -eq 1 ] && ! _python_can_venv; then
        _die "$PYTHON ($(command -v "$PYTHON")) still cannot create a virtual environment (is it Debian's python3?); set SELFEVAL_PYTHON to a Python 3.11+ that has the venv and ensurepip modules"
    fi
}

_make_venv() {
    if _venv_ok; then
        return 0
    fi
    if [ -e "$VENV_DIR" ]; then
        _say "$VENV_DIR is broken (its python does not run): making it again"
        rm -rf -- "$VENV_DIR"
    fi
    _say "creating the virtual environment $VENV_DIR"
    if ! "$PYTHON" -m venv "$VENV_DIR"; then
        rm -rf -- "$VENV_DIR"
        _die "'$PYTHON -m venv $VENV_DIR' failed"
    fi
}

# What the installed state depends on: pyproject.toml, the checkout's place and the Python.
_install_hash() {
    "$VENV_BIN/python" - "$SELFEVAL_ROOT" <<'PY'
import hashlib, sys
from pathlib import Path
root = Path(sys.argv[1])
h = hashlib.sha256()
h.update((root / "pyproject.toml").read_bytes())
h.update(str(root).encode())
h.update(sys.version.encode())
print(h.hexdigest())
PY
}

_pip_install() {
    # $1: app | test
    local stamp="$VENV_DIR/.installed-hash" hash have_hash have_kind target
    hash="$(_install_hash)" || _die "cannot read $SELFEVAL_ROOT/pyproject.toml"
    if [ -f "$stamp" ] && [ -x "$VENV_BIN/selfeval" ]; then
        read -r have_hash have_kind <"$stamp" || true
        # The test install is a superset of the app install.
        if [ "$have_hash" = "$hash" ] && { [ "$have_kind" = test ] || [ "$1" = app ]; }; then
            _say "dependencies up to date (pyproject.toml unchanged): skipping pip"
            return 0
        fi
    fi
    if [ "$1" = test ]; then
        target="$SELFEVAL_ROOT[test]"
    else
        target="$SELFEVAL_ROOT"
    fi
    rm -f -- "$stamp"
    _say "installing the app and its dependencies into $VENV_DIR (pip install -e)"
    "$VENV_BIN/python" -m pip install --disable-pip-version-check -e "$target" </dev/null \
        || _die "pip install failed"
    printf '%s %s\n' "$hash" "$1" >"$stamp"
}

setup_env() {
    # $1: app | test
    case "${1:-}" in
        app | test) ;;
        *) _die "setup_env: expected 'app' or 'test', got '${1:-}'" ;;
    esac
    _check_system "$1"
    _make_venv
    _pip_install "$1"
    export VIRTUAL_ENV="$VENV_DIR"
    export PATH="$VENV_BIN:$PATH"
    unset PYTHONHOME
}
