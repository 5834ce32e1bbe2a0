"""The typing benchmarks' watcher of the machine's own stalls (benchmarks/machine_stalls.py): its
arithmetic, and its separate process started and stopped for real."""

from __future__ import annotations

import time

from benchmarks.machine_stalls import MachineWatch


def test_a_gap_loses_only_the_time_the_machine_was_stalled_within_it():
    watch = MachineWatch()
    watch.stalls = [[10.000, 10.105]]  # the watcher's tick due at 10.005 came at 10.105: 100 ms stalled
    assert round(watch.stalled_ms(10.0, 10.2)) == 100
    assert round(watch.own_ms(10.0, 10.2)) == 100
    assert round(watch.own_ms(10.05, 10.12)) == 15  # half inside the stall
    assert round(watch.own_ms(11.0, 11.03)) == 30  # no stall: the gap as measured


def test_the_watcher_runs_in_its_own_process_and_reports():
    with MachineWatch() as watch:
        time.sleep(0.2)
    assert isinstance(watch.stalls, list)
    assert all(b > a for a, b in watch.stalls)
    assert "machine stalls seen by a separate process" in watch.summary()
