"""Run every benchmark in one process run and print each figure beside its floor.

    python -m benchmarks.run_all        (from the repository root, in the project's venv)
"""

from __future__ import annotations

import importlib
import os
import platform
import sqlite3

BENCHMARKS = [
    "benchmarks.bench_save",
    "benchmarks.bench_search",
    "benchmarks.bench_report",
    "benchmarks.bench_start",  # a Qt platform: offscreen unless QT_QPA_PLATFORM says otherwise
    "benchmarks.bench_typing",
    "benchmarks.bench_typing_sync",
    "benchmarks.bench_exchange",
    "benchmarks.bench_sync",
    "benchmarks.bench_peer_review",
]


def main() -> None:
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.machine()}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in BENCHMARKS:
        module = importlib.import_module(name)
        for line in module.main():
            print(line)


if __name__ == "__main__":
    main()
