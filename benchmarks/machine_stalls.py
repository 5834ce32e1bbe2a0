"""The machine's own stalls during a typing benchmark, seen from a separate process.

On a virtual machine the host may stop the whole guest for tens or hundreds of milliseconds (the
vCPU not scheduled: Linux counts it as "steal" time in /proc/stat). Every program's timers miss
their ticks then, not only the app's: on 2026-12-04 a 96 ms gap in `bench_typing_sync` came an
hour after the sync round had ended, with the main thread asleep in poll() waiting for its next
timer, while a separate sampling process missed its own 3 ms ticks for the same ~150 ms and the
kernel counted 50 ms of steal time.

`MachineWatch` runs a tiny second process that only sleeps 5 ms at a time and notes every tick it
misses by more than STALL_MS, on the same clock as the benchmark's heartbeat (CLOCK_MONOTONIC, as
`time.perf_counter` is on Linux). A typing benchmark prints its longest gap as measured and, beside
it, how much of it the machine itself was stalled; its budget row judges the gap with that time
taken out ("the app's own"), and both figures are printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STALL_MS = 20.0  # a tick of the 5 ms watcher later than this: the machine did not run it

_WATCHER = r"""
import json, select, sys, time
stalls, last = [], time.perf_counter()
while True:
    ready = select.select([sys.stdin], [], [], 0.005)[0]
    now = time.perf_counter()
    if now - last > %(stall)f:
        stalls.append([last, now])
    last = now
    if ready:
        break
print(json.dumps(stalls))
"""


def _steal_ms() -> float | None:
    """Steal time of all CPUs so far (Linux), in ms; None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
        return int(fields[8]) * 10.0  # USER_HZ = 100
    except (OSError, IndexError, ValueError):
        return None


class MachineWatch:
    """`with MachineWatch() as watch: ...`; afterwards `watch.stalls` ([start, end] pairs in
    perf_counter seconds), `watch.steal_ms` and `watch.own_ms(start, end)`."""

    def __init__(self) -> None:
        self.stalls: list[list[float]] = []
        self.steal_ms: float | None = None
        self._proc: subprocess.Popen | None = None
        self._steal0: float | None = None

    def __enter__(self) -> MachineWatch:
        self._steal0 = _steal_ms()
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _WATCHER % {"stall": STALL_MS / 1000}],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        return self

    def __exit__(self, *exc) -> None:
        assert self._proc is not None
        out, _ = self._proc.communicate("\n", timeout=30)
        self.stalls = json.loads(out or "[]")
        steal = _steal_ms()
        if steal is not None and self._steal0 is not None:
            self.steal_ms = steal - self._steal0

    def stalled_ms(self, start: float, end: float) -> float:
        """How much of [start, end] the watcher saw the machine stalled (its late ticks' time
        beyond the 5 ms it asked for)."""
        total = 0.0
        for a, b in self.stalls:
            a += 0.005
            overlap = min(end, b) - max(start, a)
            if overlap > 0:
                total += overlap
        return total * 1000

    def own_ms(self, start: float, end: float) -> float:
        """A gap of the app's heartbeat with the machine's stalls within it taken out."""
        return (end - start) * 1000 - self.stalled_ms(start, end)

    def summary(self) -> str:
        longest = max(((b - a) * 1000 for a, b in self.stalls), default=0.0)
        steal = f", steal time {self.steal_ms:.0f} ms" if self.steal_ms is not None else ""
        return f"machine stalls seen by a separate process: {len(self.stalls)} (longest {longest:.0f} ms){steal}"
