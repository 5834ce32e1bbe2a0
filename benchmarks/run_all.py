"""Run every benchmark in one process run and print each figure beside its floor.

    python -m benchmarks.run_all        (from the repository root, in the project's venv)
"""

from __future__ import annotations

import importlib
import platform
import sqlite3

BENCHMARKS = ["benchmarks.bench_save", "benchmarks.bench_search", "benchmarks.bench_report"]
OPTIONAL = ["benchmarks.bench_start"]  # needs a Qt platform; written with the window


def main() -> None:
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.machine()}")
    for name in BENCHMARKS + OPTIONAL:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for line in module.main():
            print(line)


if __name__ == "__main__":
    main()
