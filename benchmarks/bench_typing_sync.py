"""Typing while sync runs (issue 11, DESIGN §12): the typing benchmark of bench_typing.py (2,000
keystrokes into an evaluation's narrative, autosave on, a 5 ms heartbeat timer on the main
thread) while the window runs a sync round of a full school year in the background, over a real
folder: a full year's bundle going out and a full year's bundle coming in. Budget: the longest
heartbeat gap < 50 ms.

Set-up: school A is a copy of the benchmark data set (20,000 evidence items over five years), with
one school year shared (`bench_exchange._share_year`: ~4,200 records and 60 attachments). B is a
second data set built fresh (its own record ids), with a year shared the same way (its school
profile kept private), set up as A's LA (sync sends on its own only school -> LA and LA ->
school; the load of a full year coming in is the same whoever sends it). A and B trust each
other and sync through one folder.
Before the window opens, B runs one round (its year goes into A's inbox). A's window opens, reads
its sync state (as it does a moment after the first paint; this loads the exchange modules) with
its first automatic round held back, and then types while its round (started by "Sync now" as the
typing starts) writes and uploads A's year for B and imports B's year (one transaction on the
writer), then writes B's receipt. The five longest gaps are printed with when they happened
relative to the round; SELFEVAL_BENCH_WATCHDOG_MS=45 writes every thread's stack to stderr at
each gap longer than that (bench_typing.py), to see what the other threads were doing.

    python -m benchmarks.bench_typing_sync
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from pathlib import Path


def _share(data_dir: Path, device: str, *, keep_school_private: bool, role: str = "school") -> int:
    from benchmarks.bench_exchange import _share_year
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import keys

    store = RecordStore(open_database(data_dir), device_id=device)
    try:
        store.conn.execute("PRAGMA synchronous = OFF")
        if role == "school":
            keys.ensure_identity(store)
        else:
            school = store.school()
            keys.create_identity(data_dir, identity_id=store.owner, role=role, name=school["name"], la_code=school.get("la_code"))
        _share_year(store, random.Random(7))
        if keep_school_private:
            store.set_visibility("school", store.school()["id"], "private")
        return sum(
            store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE visibility = \'la\'').fetchone()[0]
            for t in ("school", "plan", "evidence", "attachment", "evaluation", "progress_review", "priority", "action", "success_criterion")
        )
    finally:
        store.close()


def _trust_and_set_up(a: Path, b: Path, share: Path) -> None:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import contacts, keys, sync_setup

    ka, kb = keys.require_keys(a), keys.require_keys(b)
    for folder, device, me, other in ((a, "benchmark", ka, kb), (b, "bench-B", kb, ka)):
        store = RecordStore(open_database(folder), device_id=device)
        try:
            contacts.trust(store, me, other.card(), other.fingerprint())
            sync_setup.setup_folder(store, share)
        finally:
            store.close()


def _b_round(b: Path, share: Path) -> tuple[dict, float]:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import keys
    from selfeval_app.exchange.sync_round import run_round
    from selfeval_app.exchange.transport_folder import FolderTransport

    store = RecordStore(open_database(b), device_id="bench-B")
    try:
        t0 = time.perf_counter()
        result = run_round(store, keys.require_keys(b), FolderTransport(share, b))
        return result, time.perf_counter() - t0
    finally:
        store.close()


def main() -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks import bench_typing, dataset
    from benchmarks.dataset import build
    from selfeval_app.gui import main_window

    main_window.START_NETWORK_WATCH = False  # the round is started by "Sync now", below
    source = build()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-typing-sync-") as tmp:
        root = Path(tmp)
        os.environ["SELFEVAL_CONFIG_DIR"] = str(root / "config")
        a = bench_typing._prepare(source, root)  # noqa: SLF001 - the typing benchmark's own copy
        b = root / "B"  # a second data set, built once and kept beside the first (its own ids)
        shutil.copytree(build(dataset.OUT / "school-5y-20k-second"), b)
        shared_a = _share(a, "benchmark", keep_school_private=False)
        # B is the school's LA (sync sends on its own only school -> LA and LA -> school), holding a
        # full year of records of its own to send: the load of a year coming in, whatever its sender.
        shared_b = _share(b, "bench-B", keep_school_private=True, role="la")
        share = root / "OneDrive - Hwb" / "Rhannu"
        share.mkdir(parents=True)
        _trust_and_set_up(a, b, share)
        b_result, b_seconds = _b_round(b, share)
        assert b_result["ok"] and b_result["bundles_put"] == 1, b_result

        timeline: dict[str, float] = {}
        results: list[dict] = []

        def on_start(window) -> None:
            timeline["typing"] = time.perf_counter()

            def started() -> None:
                sync = window.sync
                sync.roundFinished.connect(lambda r: (results.append(r or {}), timeline.setdefault("end", time.perf_counter())))
                if not sync.running:
                    sync.sync_now()
                timeline["start"] = time.perf_counter()

            if window.sync is None:
                window.syncStarted.connect(started)
            else:
                started()

        def before(window) -> None:
            """The window as a person finds it a moment after opening it: the sync state read
            (this loads the exchange modules), the first automatic round held back (below) so
            that the round runs while typing."""
            from PySide6.QtCore import QEventLoop
            from PySide6.QtWidgets import QApplication

            while window.sync is None or window.sync.info is None:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

        def on_end(window) -> dict:
            return {"sync_rounds": window.sync.rounds if window.sync else 0}

        from selfeval_app.gui.sync import SyncController

        original_start = SyncController.start
        # The first automatic round is held back (the state is still read), so "Sync now" below
        # starts the round while typing: the benchmark's only seam.
        SyncController.start = lambda self, watch_network=True: (self.timer.start(), self.refresh())[-1]
        try:
            r = bench_typing.measure(a, on_start, on_end, before)
        finally:
            SyncController.start = original_start
            main_window.START_NETWORK_WATCH = True
    rounds = [x for x in results if x]
    full = next((x for x in rounds if x.get("imported") or x.get("bundles_made")), {})
    ran = bool(full.get("ok")) and full.get("imported") == 1 and full.get("bundles_made") == 1
    seconds = timeline.get("end", 0) - timeline.get("start", 0)
    return [
        f"typing while syncing: B's round before (bundle of ~{shared_b:,} records written, put in the folder) {b_seconds:.1f} s; "
        f"A's round in the window: {full.get('bundles_made', 0)} bundle of ~{shared_a:,} records written and put, "
        f"{full.get('imported', 0)} bundle imported ({full.get('records_in', 0):,} records), {full.get('receipts_written', 0)} receipt written, "
        f"{seconds:.1f} s, started {timeline.get('start', 0) - timeline.get('typing', 0):.1f} s into the typing, which lasted {r['seconds']:.0f} s",
        "longest gaps (ms at s after the round started; of which the machine stalled): "
        + ", ".join(f"{g:.0f} at {t - timeline.get('start', 0):+.1f}" + (f" ({m:.0f})" if m >= 1 else "") for g, t, m in r["worst"])
        + f"; the round ended at +{seconds:.1f}",
        f"typing: {r['keys']} keys, {r['saves']} autosaves, text stored intact: {'yes' if r['typed_ok'] else 'NO'}; "
        f"heartbeat gap median {r['median']:.2f} ms, 99th percentile {r['p99']:.2f} ms",
        *bench_typing.budget_rows("typing with a full-year sync round", r, r["typed_ok"] and ran and seconds < r["seconds"]),
    ]


if __name__ == "__main__":
    print("\n".join(main()))
