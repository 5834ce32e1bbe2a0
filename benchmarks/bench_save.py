"""Save: one edit committed through the record API, against a raw sqlite3 insert + commit of a row
of the same shape and size, with the same pragmas, in the same database file; interleaved, median
of many (DESIGN §12: ≤ 1.5×).

Both the first and a later autosave of an editing session are measured. The work the design puts
beside a save but off its path is shown on its own lines: keeping the replaced version in history
when the session begins (first keystroke, while autosave waits for a pause) and the search index
catch-up after saves.
"""

from __future__ import annotations

import statistics
import time
import uuid

from benchmarks.dataset import build
from benchmarks.report import row
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

RUNS = 300


def main() -> list[str]:
    data_dir = build()
    db = open_database(data_dir)
    store = RecordStore(db, device_id="benchmark")
    conn = db.conn
    conn.execute("DROP TABLE IF EXISTS bench_floor")
    conn.execute('CREATE TABLE bench_floor AS SELECT * FROM "evidence" WHERE 0')
    ids = [r[0] for r in conn.execute('SELECT id FROM "evidence" WHERE deleted = 0 LIMIT ?', (RUNS,))]
    nonce = uuid.uuid4().hex[:8]  # every run saves new text, so no save is a no-op
    in_session, first_in_session, floor, flush, begin = [], [], [], [], []

    def floor_once(rid: str) -> None:
        values = list(conn.execute('SELECT * FROM "evidence" WHERE id = ?', (rid,)).fetchone())
        values[0] = str(uuid.uuid4())
        marks = ", ".join("?" for _ in values)
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"INSERT INTO bench_floor VALUES ({marks})", values)
        conn.execute("COMMIT")
        floor.append((time.perf_counter() - t0) * 1000)

    for i, rid in enumerate(ids):
        session = f"bench-{nonce}-{i}"
        floor_once(rid)
        t0 = time.perf_counter()
        store.begin_session("evidence", rid, session)  # first keystroke: the old version is kept
        begin.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        store.update("evidence", rid, {"summary": {"cy": f"Nodyn {nonce}-{i}: dysgwyr yn darllen yn y tŷ"}}, session=session)
        first_in_session.append((time.perf_counter() - t0) * 1000)
        # The next keystrokes' autosave: nothing else writes in between, as when someone types.
        t0 = time.perf_counter()
        store.update("evidence", rid, {"summary": {"cy": f"Nodyn {nonce}-{i}: dysgwyr yn darllen yn y tŷ."}}, session=session)
        in_session.append((time.perf_counter() - t0) * 1000)
        floor_once(rid)
        t0 = time.perf_counter()
        store.flush_search_index()
        flush.append((time.perf_counter() - t0) * 1000)
    conn.execute("DROP TABLE bench_floor")
    db.close()
    f = statistics.median(floor)
    a, b = statistics.median(in_session), statistics.median(first_in_session)
    x, k = statistics.median(flush), statistics.median(begin)
    return [
        row(f"save: first autosave of an editing session (n={len(ids)})", b, f, "≤ 1.5×", b / f <= 1.5),
        row("save: further autosave in the session", a, f, "≤ 1.5×", a / f <= 1.5),
        row("  before: begin_session keeps the old version", k, None, "off the save path", True),
        row("  after: search index catch-up", x, None, "off the save path", True),
    ]


if __name__ == "__main__":
    print("\n".join(main()))
