#!/usr/bin/env bash
# Regenerate the lock files (lock/*.lock) from lock/*.in: run after changing a pinned version
# (e.g. when pyproject.toml gains a dependency), then rebuild the installers and commit both.
#
#   installers/make-lock.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
tools_venv
"$TOOLS_PY" "$INSTALLERS/tools/make_lock.py"
