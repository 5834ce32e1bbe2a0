#!/usr/bin/env bash
# Set everything up (once) and open Hunanwerthuso | Self-evaluation.
#
#   ./run-app.sh                  open the app on your own data folder
#   ./run-app.sh --example        create or refresh the example school and open it (selfeval demo --open)
#   ./run-app.sh [selfeval args]  e.g. ./run-app.sh --lang cy   or   ./run-app.sh --data-dir DIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/setup-env.sh
source scripts/setup-env.sh

example=0
args=()
for arg in "$@"; do
    if [ "$arg" = --example ]; then
        example=1
    else
        args+=("$arg")
    fi
done

setup_env app

opens_window=1
case "${args[0]:-}" in
    --version | -h | --help) opens_window=0 ;;
    -*) ;;
    ?*) [ "$example" -eq 1 ] || opens_window=0 ;; # a subcommand: headless
esac
if [ "$opens_window" -eq 1 ] && [ "$(uname -s)" = Linux ] \
    && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
    echo "run-app: neither DISPLAY nor WAYLAND_DISPLAY is set: the window needs a desktop session" >&2
fi

if [ "$example" -eq 1 ]; then
    exec selfeval demo --open "${args[@]}"
fi
exec selfeval "${args[@]}"
