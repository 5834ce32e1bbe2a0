"""Helpers for the exchange tests: an example school S and an example LA L that trust each other,
the state of a data folder to compare before and after, and hand-built (hostile) bundles signed
with S's real keys."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys, setup
from selfeval_app.exchange.bundle_write import (
    FORMAT,
    FORMAT_VERSION,
    ZIP_TIME,
    Recipient,
    encrypt_to,
    records_jsonl,
    sign_manifest,
)


@dataclass
class Pair:
    school: Path
    la: Path

    @contextmanager
    def stores(self):
        s = RecordStore(open_database(self.school), device_id="device-S")
        la = RecordStore(open_database(self.la), device_id="device-L")
        try:
            yield s, keys.require_keys(self.school), la, keys.require_keys(self.la)
        finally:
            s.close()
            la.close()


def make_pair(root: Path) -> Pair:
    """The example school and the example LA, each trusting the other's card."""
    from selfeval_app.core.demo import build_example_school

    school, la = root / "S", root / "L"
    build_example_school(school, device_id="device-S")
    setup.demo_la(la, device_id="device-L")
    pair = Pair(school, la)
    first = RecordStore(open_database(school), device_id="device-S")
    keys.ensure_identity(first)
    first.close()
    with pair.stores() as (s, ks, l_store, kl):
        contacts.trust(s, ks, kl.card(), kl.fingerprint())
        contacts.trust(l_store, kl, ks.card(), ks.fingerprint())
    return pair


def copy_pair(template: Pair, root: Path) -> Pair:
    shutil.copytree(template.school, root / "S")
    shutil.copytree(template.la, root / "L")
    return Pair(root / "S", root / "L")


def folder_state(data_dir: Path) -> dict[str, Any]:
    """Everything an import could change: every record (tombstones too), the exchange tables, the
    history and change log, and the stored files."""
    conn = sqlite3.connect(f"file:{data_dir / 'selfeval.sqlite3'}?mode=ro", uri=True)
    try:
        state: dict[str, Any] = {}
        for table in [*rt.RECORD_TYPES, "history", "change_log", "exchange_contact", "exchange_received", "exchange_import", "exchange_conflict", "share_ledger", "identity", "meta"]:
            state[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()
    finally:
        conn.close()
    files = sorted(
        (str(p.relative_to(data_dir)), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in (data_dir / "attachments").rglob("*")
        if p.is_file()
    ) if (data_dir / "attachments").exists() else []
    state["files"] = files
    return state


def la_recipient(l_keys) -> Recipient:
    return Recipient(l_keys.identity_id, "la", [d for d in l_keys.devices if not d["removed"]], l_keys.is_example)


def base_manifest(s_keys, l_keys, members: dict[str, bytes], **overrides) -> dict[str, Any]:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "min_reader_version": FORMAT_VERSION,
        "bundle_id": overrides.pop("bundle_id", "b-" + hashlib.sha256(repr(sorted(members)).encode()).hexdigest()[:16]),
        "created_at": "2026-12-03T09:00:00Z",
        "app_version": "test",
        "schema_version": 2,
        "sender": {"identity": s_keys.identity_id, "device": s_keys.device.device_id, "example": True},
        "recipients": [{"identity": l_keys.identity_id, "devices": [l_keys.device.device_id]}],
        "sequence": {"device": s_keys.device.device_id, "from": 1, "to": 10_000},
        "counts": {},
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in members.items()
            if name not in ("manifest.json", "manifest.sig")
        },
    }
    manifest.update(overrides)
    return manifest


def counts_of(records: list[dict], attachments: int = 0) -> dict[str, Any]:
    from collections import Counter

    live = [r for r in records if not r["deleted"]]
    return {
        "records": len(live),
        "withdrawals": len(records) - len(live),
        "attachments": attachments,
        "by_type": dict(sorted(Counter(r["type"] for r in live).items())),
    }


def craft_bundle(
    out: Path,
    s_keys,
    l_keys,
    *,
    records: list[dict] | None = None,
    members: list[tuple[str, bytes]] | None = None,
    zip_entries: list[zipfile.ZipInfo | tuple[zipfile.ZipInfo, bytes]] | None = None,
    manifest: dict[str, Any] | None = None,
    signer=None,
    age_recipients: list[str] | None = None,
    **manifest_overrides,
) -> Path:
    """A bundle built by hand: the given members (records.jsonl from `records` by default), a
    manifest listing their true hashes (unless one is given), signed by `signer` (S's keys)."""
    signer = signer or s_keys
    records = records or []
    member_list = list(members) if members is not None else [("records.jsonl", records_jsonl(records))]
    as_dict = dict(member_list)
    if manifest is None:
        attachments = sum(1 for name, _ in member_list if name.startswith("attachments/"))
        if "counts" not in manifest_overrides:
            manifest_overrides["counts"] = counts_of(records, attachments)
        manifest = base_manifest(s_keys, l_keys, as_dict, **manifest_overrides)
    manifest_bytes, signature = sign_manifest(signer, manifest)
    inner = out.with_suffix(".zip")
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as zf:
        for name, data in [("manifest.json", manifest_bytes), ("manifest.sig", signature), *member_list]:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data)
        for entry in zip_entries or []:
            if isinstance(entry, tuple):
                zf.writestr(entry[0], entry[1])
            else:
                zf.writestr(entry, b"")
    with open(inner, "rb") as src:
        encrypt_to(src, out, age_recipients or [d["age_recipient"] for d in l_keys.devices])
    inner.unlink()
    return out


def sample_records(store: RecordStore, visibility: str = "la", count: int = 3) -> list[dict]:
    return [r for t in ("evidence", "indicator", "priority") for r in store.list(t, where="visibility = ?", params=(visibility,))][:count]


def dumps(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
