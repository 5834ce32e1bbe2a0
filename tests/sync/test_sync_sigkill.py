"""`selfeval sync` killed (SIGKILL) at random moments, on both sides, over a real folder: after
clean rounds every shared record is held by the LA exactly at its version, none extra, and
nothing is left in the folder. (Short here: 16 kills at random points of a run, fixed seed.)"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import faulty_sync
import pytest
from sync_helpers import la_round, school_round

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange import sync_state
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sync_killed_at_random_points_loses_and_duplicates_nothing(pair, tmp_path):
    rng = random.Random(3)
    share = tmp_path / "share"
    share.mkdir()
    prepare_folder(share, pair.school)
    for data, device in ((pair.school, "device-S"), (pair.la, "device-L")):
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
    whole = time.perf_counter() - began  # start-up and one round that writes a bundle
    killed = tries = 0
    while killed < 16 and tries < 60:
        faulty_sync._change(pair, rng)
        proc = start(pair.school if tries % 2 == 0 else pair.la)
        tries += 1
        time.sleep(rng.uniform(0.45, 1.0) * whole)  # mostly past start-up, inside the round
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        assert code in (0, -signal.SIGKILL), f"selfeval sync failed on its own ({code})"
        killed += not finished
    assert killed >= 16, "the kills landed while sync was running"
    for _ in range(3):
        assert school_round(pair, FolderTransport(share, pair.school))["ok"]
        assert la_round(pair, FolderTransport(share, pair.la))["ok"]
    school_id = keys_mod.require_keys(pair.school).identity_id
    expected = faulty_sync._versions(pair.school, school_id, visible_only=True)
    held = faulty_sync._versions(pair.la, school_id, visible_only=False)
    assert held == expected
    leftovers = [p.relative_to(share).as_posix() for p in share.rglob("*") if p.is_file()]
    assert leftovers == ["selfeval-sync.json"]
