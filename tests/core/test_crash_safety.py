"""Crash safety: a child process saving in a loop is killed with SIGKILL at random points, 200
times. Every save it reported as committed must be there, and the database must stay sound."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

SAVER = r"""
import sys
from pathlib import Path
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
db = open_database(Path(sys.argv[1]))
store = RecordStore(db, device_id="crash-child")
run = sys.argv[2]
out = sys.stdout
i = 0
while True:
    rec = store.create("evidence", {"date": "2026-03-01", "kind": "other",
                                    "title": {"cy": f"Tŷ {run}-{i}", "en": f"House {run}-{i}"},
                                    "summary": {"cy": "ŵyr " * 50}})
    if i % 3 == 0:
        store.update("evidence", rec["id"], {"summary": {"en": "edited"}}, session=run)
        out.write(f"U {rec['id']} 2\n")
    out.write(f"C {rec['id']}\n")
    out.flush()
    i += 1
"""

KILLS = 200


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_while_saving_never_loses_a_reported_save(tmp_path):
    data_dir = tmp_path / "data"
    open_database(data_dir).close()  # create and migrate once, outside the kill loop
    rng = random.Random(20261123)
    committed: dict[str, int] = {}
    started = time.monotonic()
    for run in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(data_dir), str(run)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        # Wait for the first reported save, then kill at a random later point.
        first = child.stdout.readline()
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        for line in (first + rest).splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "C":
                committed.setdefault(parts[1], 1)
            elif len(parts) == 3 and parts[0] == "U":
                committed[parts[1]] = max(committed.get(parts[1], 1), int(parts[2]))
    elapsed = time.monotonic() - started
    db = open_database(data_dir)
    store = RecordStore(db, device_id="checker")
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(committed) >= KILLS  # at least one reported save per run
    for record_id, rev in committed.items():
        rec = store.get("evidence", record_id)
        assert rec is not None, record_id
        assert rec["rev"] >= rev
    # The change log and search index stayed in step with the records.
    assert db.conn.execute("SELECT count(DISTINCT record_id) FROM change_log").fetchone()[0] == store.count("evidence")
    db.conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
    db.close()
    # The time is printed, not asserted: no timed assertions in unit tests (a loaded machine took
    # 69-77 s, where it passed a 60 s limit when quiet); budgets live in benchmarks/.
    print(f"{KILLS} kills, {len(committed)} reported saves checked, {elapsed:.1f} s")
