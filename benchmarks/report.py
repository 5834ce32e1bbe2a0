"""Printing benchmark rows: each figure beside its floor, as a ratio, with its budget."""

from __future__ import annotations

import statistics
import time


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def paired_median_ms(ours, floor, runs: int) -> tuple[float, float]:
    """Medians of two timings taken in alternation, so a burst of load on a shared machine
    falls on both rather than on one."""
    a, b = [], []
    for _ in range(runs):
        for fn, times in ((ours, a), (floor, b)):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(a), statistics.median(b)


def row(what: str, ours_ms: float, floor_ms: float | None, budget: str, ok: bool) -> str:
    if floor_ms:
        ratio = f"{ours_ms / floor_ms:.2f}×"
        floor = f"{floor_ms:.2f} ms"
    else:
        ratio, floor = "—", "—"
    return f"{what:<44} {ours_ms:>9.2f} ms  floor {floor:>10}  ratio {ratio:>6}  budget {budget:<18} {'OK' if ok else 'OVER'}"
