"""Bundles (issue 10): export of a full school year with its attachments against `zip -r` of the
same data (budget <= 2x), import of 10,000 records (< 1 s) and a no-op re-import (< 0.3 s).

On a copy of the benchmark data set: the school year 2024-25 (its evidence, evaluations, progress
reviews, priorities starting that year with their actions and criteria, the plan and the school)
is shared with the LA, and 200 attached files (a mix of incompressible "scans" and text) are
added to its evidence. The floor of the export is `zip -r` (deflate) of the same records.jsonl
and files in a folder; the bundle's size beside zip's is printed too. The floor of the import is
decrypting the bundle and parsing its records, the least any import must do.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.dataset import build
from benchmarks.report import row
from selfeval_app.core.attachments import stored_path
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys, setup
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import Recipient, plan_bundle, records_jsonl, write_bundle

RUNS = 3
ATTACHMENTS = 200
IMPORT_RECORDS = 10_000


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _share_year(store: RecordStore, rng: random.Random) -> None:
    ids: list[tuple[str, str]] = [("school", store.school()["id"])]
    ids += [("plan", r["id"]) for r in store.list("plan")]
    ids += [("evidence", r["id"]) for r in store.list("evidence", where="date BETWEEN '2024-09-01' AND '2025-08-31'")]
    ids += [("evaluation", r["id"]) for r in store.list("evaluation", where="academic_year = 2024")]
    ids += [("progress_review", r["id"]) for r in store.list("progress_review", where="academic_year = 2024")]
    priorities = [r["id"] for r in store.list("priority", where="start_year = 2024")]
    ids += [("priority", p) for p in priorities]
    marks = ", ".join("?" for _ in priorities)
    ids += [("action", r["id"]) for r in store.list("action", where=f"priority_id IN ({marks})", params=priorities)]
    ids += [("success_criterion", r["id"]) for r in store.list("success_criterion", where=f"priority_id IN ({marks})", params=priorities)]
    with store.transaction():
        for type_name, record_id in ids:
            store.set_visibility(type_name, record_id, "la")
        evidence = [i for t, i in ids if t == "evidence"]
        for n in range(ATTACHMENTS):
            size = rng.randrange(20_000, 300_000)
            if n % 3:
                data = rng.randbytes(size)  # scans and photos: incompressible
            else:
                data = (f"Nodiadau taith ddysgu {n}. Learning walk notes {n}. " * (size // 50)).encode()
            sha = hashlib.sha256(data).hexdigest()
            path = stored_path(store.db.data_dir, sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            store.create("attachment", {"name": f"ffeil-{n}.bin", "size": len(data), "sha256": sha, "attached_to": evidence[n % len(evidence)]}, visibility="la")


def _reset_ledger(store: RecordStore) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM share_ledger")
        store.conn.execute("DELETE FROM meta WHERE key LIKE 'exchange_sent_seq:%'")


def _zip_floor(store, ks, recipient, folder: Path) -> tuple[float, int]:
    contents = plan_bundle(store, ks, recipient)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data" / "attachments").mkdir(parents=True)
    (folder / "data" / "records.jsonl").write_bytes(records_jsonl([*contents.records, *contents.withdrawals]))
    for sha, path in contents.attachments.items():
        shutil.copyfile(path, folder / "data" / "attachments" / sha)
    out = folder / "data.zip"
    ms = _timed(lambda: subprocess.run(["zip", "-r", "-q", str(out), "data"], cwd=folder, check=True))
    size = out.stat().st_size
    out.unlink()
    return ms, size


def main() -> list[str]:
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-exchange-") as tmp:
        root = Path(tmp)
        s_dir, l_template = root / "S", root / "L-template"
        shutil.copytree(build(), s_dir)
        s = RecordStore(open_database(s_dir), device_id="bench-S")
        s.conn.execute("PRAGMA synchronous = OFF")  # setting up only; measured writes below are FULL
        ks = keys.ensure_identity(s)
        kl = setup.init_la(l_template, device_id="bench-L", la_code=669)
        contacts.trust(s, ks, kl.card(), kl.fingerprint())
        la = RecordStore(open_database(l_template), device_id="bench-L")
        contacts.trust(la, kl, ks.card(), ks.fingerprint())
        la.close()
        recipient = Recipient.from_contact(contacts.get(s, kl.identity_id))
        _share_year(s, random.Random(7))
        s.conn.execute("PRAGMA synchronous = FULL")

        bundle = root / "year.selfeval-bundle"
        ours, floor, sizes = [], [], []
        for _ in range(RUNS):
            _reset_ledger(s)
            floor_ms, zip_size = _zip_floor(s, ks, recipient, root / "zipfloor")
            _reset_ledger(s)
            ours.append(_timed(lambda: write_bundle(s, ks, recipient, bundle)))
            floor.append(floor_ms)
            sizes.append((bundle.stat().st_size, zip_size))
        ours_ms, floor_ms = statistics.median(ours), statistics.median(floor)
        rows.append(row("bundle export: school year + 200 files", ours_ms, floor_ms, "<= 2x zip -r", ours_ms <= 2 * floor_ms))
        bundle_size, zip_size = sizes[-1]
        rows.append(f"{'  bundle size / zip -r size':<44} {bundle_size / 1e6:>9.2f} MB  zip {zip_size / 1e6:>8.2f} MB  ratio {bundle_size / zip_size:>5.2f}×")

        # 10,000 records into an LA that has none of them
        s.conn.execute("PRAGMA synchronous = OFF")
        with s.transaction():
            shared = s.conn.execute("SELECT count(*) FROM evidence WHERE visibility = 'la'").fetchone()[0]
            others = s.conn.execute("SELECT count(*) FROM attachment WHERE visibility = 'la'").fetchone()[0]
            need = IMPORT_RECORDS - shared - others - 200  # the other shared types are a few hundred
            for rec in s.list("evidence", where="visibility != 'la'", limit=max(0, need)):
                s.set_visibility("evidence", rec["id"], "la")
        s.conn.execute("PRAGMA synchronous = FULL")
        _reset_ledger(s)
        big = root / "big.selfeval-bundle"
        contents = plan_bundle(s, ks, recipient)
        contents.records = [r for r in contents.records if r["type"] != "attachment"][:IMPORT_RECORDS]
        contents.withdrawals, contents.attachments = [], {}
        manifest = write_bundle(s, ks, recipient, big, contents)
        count = manifest["counts"]["records"] + manifest["counts"]["withdrawals"]
        s.close()

        import pyrage

        def floor_read():
            data = pyrage.decrypt(big.read_bytes(), [kl.device.age])
            import zipfile

            lines = zipfile.ZipFile(io.BytesIO(data)).read("records.jsonl").split(b"\n")
            [json.loads(line) for line in lines if line]

        imports, noops, floors = [], [], []
        for n in range(RUNS):
            target = root / f"L{n}"
            shutil.copytree(l_template, target)
            store = RecordStore(open_database(target), device_id="bench-L")
            local = keys.require_keys(target)
            floors.append(_timed(floor_read))
            imports.append(_timed(lambda store=store, local=local: import_bundle(store, local, big)))
            noops.append(_timed(lambda store=store, local=local: import_bundle(store, local, big)))
            store.close()
        import_ms, noop_ms, read_ms = statistics.median(imports), statistics.median(noops), statistics.median(floors)
        rows.append(row(f"bundle import: {count:,} records", import_ms, read_ms, "< 1000 ms", import_ms < 1000))
        rows.append(row("bundle import again (no-op)", noop_ms, read_ms, "< 300 ms", noop_ms < 300))
    return rows


if __name__ == "__main__":
    for line in main():
        print(line)
