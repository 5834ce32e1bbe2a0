"""`selfeval sync` killed with SIGKILL at random moments (seeded), over a real folder, on the
school's laptop, the school's second laptop and the LA in turn; then clean rounds. Shared by the
short test in the default run (`test_sync_sigkill.py`) and the long run with 100 points
(`benchmarks/bench_sync_sigkill.py`).

Before each start the school changes what the LA may hold (shared again, changed, withdrawn) and,
now and then, the second laptop writes a private record of the school. A kill "lands" when the
process was still running when the signal was sent.

Afterwards (`check`): the LA holds every record the school shares exactly at its version and
nothing else of the school's; the two laptops hold the same records of the school, tombstones
included, private ones too; nothing needs a decision; each bundle was imported at most once per
installation; nothing is left in the folder but its marker and the laptops' device lists.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import faulty_sync
from sync_helpers import round_for

from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange import own_devices, sync_state
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder


def join_second_laptop(pair, b_dir: Path) -> Path:
    request = own_devices.make_request(b_dir, computer="LAPTOP-B")
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        ka = keys_mod.require_keys(pair.school)
        entry = own_devices.add_device(ka, request, own_devices.request_fingerprint(request))
        info = own_devices.write_package(store, ka, entry["device_id"], b_dir.parent / "join.selfeval-join")
    finally:
        store.close()
    own_devices.join(b_dir, b_dir.parent / "join.selfeval-join", info["school_fingerprint"], device_id="device-B")
    return b_dir


def _all_versions(data_dir: Path, owner: str) -> dict:
    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        return {
            row[0]: tuple(row[1:])
            for t in rt.RECORD_TYPES
            for row in conn.execute(f'SELECT id, rev, content_hash, deleted FROM "{t}" WHERE owner = ?', (owner,))
        }
    finally:
        conn.close()


def _write_on_b(b_dir: Path, rng: random.Random) -> None:
    store = RecordStore(open_database(b_dir), device_id="device-B")
    try:
        store.create("evidence", {"date": "2026-11-02", "kind": "other", "title": {"cy": f"Nodyn B {rng.random():.6f}"}}, visibility="private")
    finally:
        store.close()


def run(pair, tmp_path: Path, *, seed: int, kills: int, max_tries: int | None = None) -> dict:
    rng = random.Random(seed)
    share = tmp_path / "share"
    share.mkdir()
    prepare_folder(share, pair.school)
    b_dir = join_second_laptop(pair, tmp_path / "B" / "data")
    # The LA is given the school's new card (it lists the second laptop), as the school is told
    # to do after adding a laptop: from then on it takes bundles from either laptop.
    from selfeval_app.exchange import contacts

    la = RecordStore(open_database(pair.la), device_id="device-L")
    try:
        card = keys_mod.require_keys(pair.school).card()
        contacts.trust(la, keys_mod.require_keys(pair.la), card, keys_mod.fingerprint(card))
    finally:
        la.close()
    sides = [(pair.school, "device-S"), (b_dir, "device-B"), (pair.la, "device-L")]
    for data, device in sides:
        store = RecordStore(open_database(data), device_id=device)
        try:
            sync_state.save(store, "sync_config", {"kind": "folder", "path": str(share)})
        finally:
            store.close()

    def start(data):
        return subprocess.Popen(
            [sys.executable, "-m", "selfeval_app", "sync", "--data-dir", str(data)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    faulty_sync._change(pair, rng)
    began = time.perf_counter()
    assert start(pair.school).wait() == 0
    whole = time.perf_counter() - began  # start-up and one round that writes bundles
    landed = tries = 0
    max_tries = max_tries or kills * 4
    started = time.perf_counter()
    while landed < kills and tries < max_tries:
        faulty_sync._change(pair, rng)
        if rng.random() < 0.3:
            _write_on_b(b_dir, rng)
        data = sides[tries % len(sides)][0]
        proc = start(data)
        tries += 1
        time.sleep(rng.uniform(0.45, 1.0) * whole)  # mostly past start-up, inside the round
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        assert code in (0, -signal.SIGKILL), f"selfeval sync failed on its own ({code})"
        landed += not finished
    killing = time.perf_counter() - started
    for _ in range(5):  # a receipt is deleted two rounds after its bundle was: settle all three
        for data, device in sides:
            assert round_for(data, device, FolderTransport(share, data))["ok"]
    return {
        "seed": seed,
        "kills": landed,
        "tries": tries,
        "seconds": killing,
        "one_run_seconds": whole,
        "pair": pair,
        "b_dir": b_dir,
        "share": share,
    }


def check(result: dict) -> dict:
    """Raises AssertionError on any loss, duplicate or leftover; returns the figures checked."""
    from selfeval_app.exchange import apply

    pair, b_dir, share = result["pair"], result["b_dir"], result["share"]
    school_id = keys_mod.require_keys(pair.school).identity_id
    expected = faulty_sync._versions(pair.school, school_id, visible_only=True)
    held = faulty_sync._versions(pair.la, school_id, visible_only=False)
    assert held == expected, "the LA's copy differs from what the school shares"
    on_a, on_b = _all_versions(pair.school, school_id), _all_versions(b_dir, school_id)
    assert on_a == on_b, "the two laptops differ"
    for data, device in ((pair.school, "device-S"), (b_dir, "device-B")):
        store = RecordStore(open_database(data), device_id=device)
        try:
            assert apply.open_conflicts(store) == []
            bundle_ids = [r[0] for r in store.conn.execute("SELECT bundle_id FROM exchange_import")]
            assert len(bundle_ids) == len(set(bundle_ids))
        finally:
            store.close()
    leftovers = sorted(p.relative_to(share).as_posix() for p in share.rglob("*") if p.is_file())
    allowed = {"selfeval-sync.json"}
    assert all(p in allowed or (p.startswith(f"cards/{school_id}/") and p.endswith(".selfeval-card")) for p in leftovers), leftovers
    private_on_b = sum(1 for _ in _private(b_dir, school_id))
    return {"shared_with_la": len(expected), "school_records": len(on_a), "private_on_b": private_on_b}


def _private(data_dir: Path, owner: str):
    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        yield from conn.execute("SELECT id FROM evidence WHERE owner = ? AND visibility = 'private' AND deleted = 0", (owner,)).fetchall()
    finally:
        conn.close()
