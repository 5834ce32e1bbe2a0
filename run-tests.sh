#!/usr/bin/env bash
# Set everything up (once) and run the checks and the tests headless.
#
#   ./run-tests.sh                 ruff, catalog check, mypy, the whole pytest suite
#   ./run-tests.sh [pytest args]   e.g. ./run-tests.sh tests/core -k search -x
#
# Exits non-zero if any step fails, and also if pytest collects no test.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/setup-env.sh
source scripts/setup-env.sh
setup_env test

failed=()
step() {
    # $1: name; the rest: the command
    local name="$1" rc
    shift
    printf '\n=== %s\n' "$name"
    "$@"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        failed+=("$name (exit $rc)")
    fi
    return "$rc"
}

lint_paths=()
for dir in src tests benchmarks scripts; do
    [ -d "$dir" ] && lint_paths+=("$dir")
done
step "ruff check" ruff check "${lint_paths[@]}"
# `ruff format --check` is not a gate: the tree is not kept ruff-formatted (yet).
if [ -f scripts/catalogs.py ]; then
    step "catalogs check" python scripts/catalogs.py check
fi
# Type check: what and how strictly is in pyproject.toml's [tool.mypy] (core/ at least).
step "mypy" mypy

printf '\n=== pytest\n'
QT_QPA_PLATFORM=offscreen python -m pytest -p no:cacheprovider "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "run-tests: pytest collected no test: that counts as a failure" >&2
    failed+=("pytest (no test collected)")
elif [ "$rc" -ne 0 ]; then
    failed+=("pytest (exit $rc)")
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
    echo "run-tests: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "run-tests: all checks passed"
