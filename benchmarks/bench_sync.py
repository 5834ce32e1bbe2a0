"""Sync benchmark: a round with nothing to do, on loopback (budget < 0.3 s), for the school with
a school year shared with its LA, over a folder and over a real WebDAV server (wsgidav).

    python -m benchmarks.bench_sync
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_exchange import _share_year
from benchmarks.dataset import build
from benchmarks.report import row
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys, setup
from selfeval_app.exchange.sync_round import run_round
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder
from selfeval_app.exchange.transport_webdav import WebDAVTransport

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sync"))
from webdav_server import USERS, webdav_server  # noqa: E402

RUNS = 5


def _round(data_dir: Path, device: str, transport) -> dict:
    store = RecordStore(open_database(data_dir), device_id=device)
    try:
        return run_round(store, keys.require_keys(data_dir), transport)
    finally:
        store.close()


def _idle_ms(s_dir: Path, l_dir: Path, school_t, la_t) -> float:
    for _ in range(2):  # send, import + receipt, acknowledge, clean up
        assert _round(s_dir, "bench-S", school_t)["ok"]
        assert _round(l_dir, "bench-L", la_t)["ok"]
    assert _round(s_dir, "bench-S", school_t)["ok"]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = _round(s_dir, "bench-S", school_t)
        times.append((time.perf_counter() - start) * 1000)
        assert result["ok"] and result["bundles_made"] == 0 and result["acknowledged"] == 0
    return statistics.median(times)


def main() -> list[str]:
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-sync-") as tmp:
        root = Path(tmp)
        template = root / "S-template"
        shutil.copytree(build(), template)
        s = RecordStore(open_database(template), device_id="bench-S")
        s.conn.execute("PRAGMA synchronous = OFF")
        ks = keys.ensure_identity(s)
        l_template = root / "L-template"
        kl = setup.init_la(l_template, device_id="bench-L", la_code=669)
        contacts.trust(s, ks, kl.card(), kl.fingerprint())
        la = RecordStore(open_database(l_template), device_id="bench-L")
        contacts.trust(la, kl, ks.card(), ks.fingerprint())
        la.close()
        _share_year(s, random.Random(7))
        shared = sum(
            s.conn.execute(f'SELECT count(*) FROM "{t}" WHERE visibility = \'la\'').fetchone()[0]
            for t in ("evidence", "attachment", "evaluation")
        )
        s.close()
        for kind in ("folder", "webdav"):
            s_dir, l_dir = root / f"S-{kind}", root / f"L-{kind}"
            shutil.copytree(template, s_dir)
            shutil.copytree(l_template, l_dir)
            if kind == "folder":
                share = root / "share"
                share.mkdir()
                prepare_folder(share, s_dir)
                ms = _idle_ms(s_dir, l_dir, FolderTransport(share, s_dir), FolderTransport(share, l_dir))
            else:
                with webdav_server(root / "dav") as url:
                    ms = _idle_ms(
                        s_dir, l_dir,
                        WebDAVTransport(url, "ysgol", USERS["ysgol"]),
                        WebDAVTransport(url, "awdurdod", USERS["awdurdod"]),
                    )
            rows.append(row(f"sync round, nothing to do ({kind}, ~{shared:,} shared)", ms, None, "< 300 ms", ms < 300))
    return rows


if __name__ == "__main__":
    for line in main():
        print(line)
