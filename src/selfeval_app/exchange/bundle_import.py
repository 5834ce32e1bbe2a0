"""Importing a verified bundle: all or nothing, with a report kept in the database.

1. `read_bundle` checks everything (see `bundle_read.py`); a refusal changes nothing.
2. A bundle already imported (same bundle id) changes nothing and reports it.
3. A bundle whose sequence range ends before one already received from the same device is refused
   (a replay). One from another laptop of ours that would delete more than a tenth of the
   school's records is held (`MassDeleteHeld`) unless a person confirmed it.
4. Attached files are stored (temp file, fsync, rename; content-addressed, so an interrupted import
   leaves at most an unreferenced file) before the one transaction that applies every record,
   checks the counts, remembers the sequence and keeps the report. Withdrawn files that nothing
   else refers to are removed after the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.attachments import stored_path
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.core.safe_files import fsync_dir
from selfeval_app.core.staging import process_staging
from selfeval_app.exchange import apply, errors
from selfeval_app.exchange.bundle_read import VerifiedBundle, read_bundle
from selfeval_app.exchange.errors import BundleRefused
from selfeval_app.exchange.keys import LocalKeys

REPORT_KEYS = ("new", "changed", "unchanged", "withdrawn", "conflicts")


def _store_attachment(store: RecordStore, bundle: VerifiedBundle, sha: str) -> Path | None:
    """Store one attached file; returns its path if it was not here before."""
    target = stored_path(store.db.data_dir, sha)
    if target.is_file():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="incoming-", dir=process_staging(store.db.data_dir))
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, bundle.open_attachment(sha) as src:
            while block := src.read(1 << 20):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha:
            raise BundleRefused(errors.BAD_ATTACHMENT, str(bundle.path))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(target.parent)
    return target


def sequence_key(bundle: VerifiedBundle) -> str:
    """Whose sequence a bundle continues (a replay is one that ends before the last one of it):
    the sender device's, or, for a peer review visit's bundle (its signed manifest names the
    visit), that device's bundles of that visit alone. A visit's bundles are whole (each carries
    all of the visit the older ones did), so an older one of the same visit is superseded; but
    two visits' bundles, or a visit's and sync's own, may arrive in any order, and one never
    stands for the other."""
    visit = bundle.manifest.get("visit")
    if isinstance(visit, str) and visit:
        return f"{bundle.sender_device}#visit:{visit}"
    return bundle.sender_device


def _owner_counts(store: RecordStore, owner: str) -> Counter:
    counts: Counter = Counter()
    for t in rt.RECORD_TYPES.values():
        counts[t.name] = store.conn.execute(
            f'SELECT count(*) FROM "{t.name}" WHERE owner = ?', (owner,)
        ).fetchone()[0]
    return counts


MASS_DELETE_SHARE = 0.1  # more than a tenth of the school's records deleted by one bundle


class MassDeleteHeld(UserFacingError):
    """A bundle from another laptop of ours that would delete more than a tenth of the school's
    records: not applied until a person confirms it (nothing was changed)."""

    message_id = N_(
        "The bundle %(path)s from another laptop of this school would delete %(deleting)d of the "
        "school's %(total)d records. Nothing was changed. If that is what was meant, apply it "
        "again and confirm (“--allow-mass-delete” on the command line)."
    )

    @property
    def deleting(self) -> int:
        return int(self.params["deleting"])

    @property
    def total(self) -> int:
        return int(self.params["total"])


def deletions(store: RecordStore, bundle: VerifiedBundle) -> tuple[int, int]:
    """(records of ours held here, not deleted, that the bundle's tombstones would delete;
    the school's records held here, not deleted)."""
    owner = bundle.sender_identity
    tombstones: dict[str, list[str]] = {}
    for rec in bundle.records:
        if rec["deleted"]:
            tombstones.setdefault(rec["type"], []).append(rec["id"])
    total = sum(
        store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE owner = ? AND deleted = 0', (owner,)).fetchone()[0]
        for t in rt.RECORD_TYPES
    )
    deleting = 0
    for type_name, ids in tombstones.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" for _ in chunk)
            deleting += store.conn.execute(
                f'SELECT count(*) FROM "{type_name}" WHERE owner = ? AND deleted = 0 AND id IN ({marks})',
                (owner, *chunk),
            ).fetchone()[0]
    return deleting, total


def check_mass_delete(store: RecordStore, bundle: VerifiedBundle) -> None:
    """Raise MassDeleteHeld for a bundle of our own identity deleting more than a tenth."""
    if bundle.sender_identity != store.owner:
        return
    deleting, total = deletions(store, bundle)
    if deleting and deleting > total * MASS_DELETE_SHARE:
        raise MassDeleteHeld(path=str(bundle.path), deleting=deleting, total=total)


def import_verified(store: RecordStore, bundle: VerifiedBundle, *, allow_mass_delete: bool = False) -> dict[str, Any]:
    previous = store.conn.execute(
        "SELECT report FROM exchange_import WHERE bundle_id = ?", (bundle.bundle_id,)
    ).fetchone()
    if previous is not None or bundle.already_imported:
        counts = bundle.manifest["counts"]
        report = _report(bundle, {}, again=True)
        report["unchanged"] = counts.get("records", 0) + counts.get("withdrawals", 0)
        return report
    seq_to = bundle.manifest["sequence"]["to"]
    row = store.conn.execute(
        "SELECT last_seq FROM exchange_received WHERE device_id = ?", (sequence_key(bundle),)
    ).fetchone()
    if row is not None and seq_to < row[0]:
        raise BundleRefused(errors.REPLAYED, str(bundle.path))
    if not allow_mass_delete:
        check_mass_delete(store, bundle)
    written: list[Path] = []
    try:
        for sha in sorted(bundle.attachment_members):
            path = _store_attachment(store, bundle, sha)
            if path is not None:
                written.append(path)
        report, withdrawn_files = _apply_all(store, bundle, seq_to)
    except BaseException:
        for path in written:  # nothing of a refused import stays, its new files included
            try:
                path.unlink()
            except OSError:
                pass
        raise
    _remove_unreferenced(store, withdrawn_files)
    return report


def _apply_all(store: RecordStore, bundle: VerifiedBundle, seq_to: int) -> tuple[dict[str, Any], set[str]]:
    """Every record in one transaction, with the count check, the sequence and the report."""
    outcomes: dict[str, list[tuple[str, str]]] = {}
    withdrawn_files: set[str] = set()
    with store.transaction():
        before = _owner_counts(store, bundle.sender_identity)
        held = apply.versions_held(store, bundle.records)
        present = len(held)
        for rec in bundle.records:
            if rec["type"] == "attachment" and rec["deleted"] and rec["id"] in held:
                old = store.get("attachment", rec["id"])
                if old and old.get("sha256"):
                    withdrawn_files.add(old["sha256"])
        applied = apply.apply_many(store, bundle.records, bundle_id=bundle.bundle_id, held=held)
        for rec, outcome in zip(bundle.records, applied, strict=True):
            outcomes.setdefault(outcome, []).append((rec["type"], rec["id"]))
        after = _owner_counts(store, bundle.sender_identity)
        if sum(len(v) for v in outcomes.values()) != len(bundle.records) or sum(
            after.values()
        ) - sum(before.values()) != len(bundle.records) - present:
            raise BundleRefused(errors.COUNT_MISMATCH, str(bundle.path))
        report = _report(bundle, outcomes)
        store.conn.execute(
            "INSERT INTO exchange_received (device_id, identity_id, last_seq, last_bundle_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(device_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), "
            "last_bundle_id = excluded.last_bundle_id",
            (sequence_key(bundle), bundle.sender_identity, seq_to, bundle.bundle_id),
        )
        store.conn.execute(
            "INSERT INTO exchange_import (bundle_id, imported_at, sender_identity, sender_device, report) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                bundle.bundle_id,
                store.clock.timestamp(),
                bundle.sender_identity,
                bundle.sender_device,
                json.dumps(report, ensure_ascii=False),
            ),
        )
    return report, withdrawn_files


def _remove_unreferenced(store: RecordStore, shas: set[str]) -> None:
    """A withdrawn attachment's file goes when no record here refers to it any more."""
    for sha in shas:
        still = store.conn.execute(
            "SELECT 1 FROM attachment WHERE sha256 = ? AND deleted = 0 LIMIT 1", (sha,)
        ).fetchone()
        if still is None:
            try:
                stored_path(store.db.data_dir, sha).unlink()
            except OSError:
                pass


def _report(bundle: VerifiedBundle, outcomes: dict[str, list[tuple[str, str]]], *, again: bool = False) -> dict[str, Any]:
    def listed(*names: str) -> list[dict[str, str]]:
        return [{"type": t, "id": i} for name in names for t, i in outcomes.get(name, [])]

    return {
        "bundle_id": bundle.bundle_id,
        "sender": {"identity": bundle.sender_identity, "device": bundle.sender_device},
        "already_imported": again,
        "new": listed(apply.NEW),
        "changed": listed(apply.CHANGED, apply.MERGED),
        "unchanged": len(outcomes.get(apply.UNCHANGED, [])),
        "withdrawn": listed(apply.WITHDRAWN),
        "conflicts": listed(apply.CONFLICT),
        "flagged": listed(apply.FLAGGED),
    }


def import_bundle(store: RecordStore, keys: LocalKeys, path: Path, *, allow_mass_delete: bool = False) -> dict[str, Any]:
    """Verify, then apply all or nothing; returns the import report."""
    bundle = read_bundle(store, keys, path, stop_if_imported=True)
    try:
        return import_verified(store, bundle, allow_mass_delete=allow_mass_delete)
    finally:
        bundle.close()


def import_reports(store: RecordStore) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT imported_at, report FROM exchange_import ORDER BY imported_at, bundle_id"
    ).fetchall()
    return [{"imported_at": r[0], **json.loads(r[1])} for r in rows]
