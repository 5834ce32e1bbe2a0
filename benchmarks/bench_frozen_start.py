"""Frozen start (issue 14): the PyInstaller one-folder app's first paint showing the school's
name, against an empty PySide6 window frozen the same way (installers/pyinstaller/selfeval.spec
with SELFEVAL_FREEZE_EMPTY=1), in the same run. Budget ≤ 1.5×.

Measured as in bench_start.py: new processes, interleaved, the clock from just before the process
is created to the child's paint handler; median of 15 after one warm-up each. The app opens the
benchmark data set (benchmarks/dataset.py), language already chosen.

    SELFEVAL_FREEZE_EMPTY_TOO=1 installers/build-deb.sh      (freezes both)
    .venv/bin/python -m benchmarks.bench_frozen_start
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_start import _first_paint_ms
from benchmarks.report import row

RUNS = 15
BUDGET = 1.5
FROZEN = Path(__file__).resolve().parents[1] / "build" / "pyinstaller" / "dist"


def _children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def _timed(cmd: list[str], env: dict[str, str], cpu: list[float]) -> float:
    """Wall time to first paint; the child's CPU time (it quits at its first paint) goes to
    `cpu`: a figure less shaken by other work on a shared machine."""
    before = _children_cpu_ms()
    wall = _first_paint_ms(cmd, env)
    cpu.append(_children_cpu_ms() - before)
    return wall


def measure(data_dir: Path, runs: int = RUNS) -> tuple[float, float, float, float]:
    """(floor, app) medians of wall time to first paint, then (floor, app) medians of CPU time."""
    app = FROZEN / "selfeval" / "selfeval"
    empty = FROZEN / "empty-window" / "empty-window"
    for binary in (app, empty):
        if not binary.is_file():
            sys.exit(f"bench_frozen_start: no {binary}: run SELFEVAL_FREEZE_EMPTY_TOO=1 installers/build-deb.sh")
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-frozen-") as config:
        env = {
            **os.environ,
            "SELFEVAL_CONFIG_DIR": config,
            "SELFEVAL_FIRST_PAINT_PROBE": "1",
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        }
        env.pop("SELFEVAL_DATA_DIR", None)
        (Path(config) / "settings.json").write_text('{"language": "cy"}', encoding="utf-8")
        empty_cmd = [str(empty)]
        app_cmd = [str(app), "--data-dir", str(data_dir)]
        _first_paint_ms(empty_cmd, env)  # warm the file cache for both
        _first_paint_ms(app_cmd, env)
        floor, ours, floor_cpu, ours_cpu = [], [], [], []
        for _ in range(runs):
            floor.append(_timed(empty_cmd, env, floor_cpu))
            ours.append(_timed(app_cmd, env, ours_cpu))
    median = statistics.median
    return median(floor), median(ours), median(floor_cpu), median(ours_cpu)


def main() -> list[str]:
    from benchmarks.dataset import build

    data_dir = build()
    floor, ours, floor_cpu, ours_cpu = measure(data_dir)
    return [
        f"frozen start: empty PySide6 window (frozen) first paint {floor:.1f} ms; frozen app first paint with the school's name {ours:.1f} ms (median of {RUNS})",
        f"frozen start, CPU time of the process to its first paint: empty window {floor_cpu:.1f} ms; app {ours_cpu:.1f} ms ({ours_cpu / floor_cpu:.2f}×)",
        row("frozen start (PyInstaller one-folder)", ours, floor, f"≤ {BUDGET}×", ours <= BUDGET * floor),
    ]


if __name__ == "__main__":
    for line in main():
        print(line)
