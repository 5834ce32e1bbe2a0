"""Applying one incoming record version (the caller holds the import's transaction).

Versions are written by the store's `apply_incoming` (which keeps their owner, rev, updated_by
and timestamps, and drops a withdrawn record's history); what it leaves to the exchange is
decided here: two versions of our own identity made on two devices from the same base.

Rules (DESIGN §11):
- another owner's record (we only receive it): a higher rev replaces ours; a tombstone drops the
  content and its history (a withdrawal), also at the rev we hold (a record that only left what
  we may see); a lower rev changes nothing; another content at an equal rev is a conflict;
- our own identity's record from another of our devices: a version built on ours (base_rev at
  least our rev) replaces it; one we already passed changes nothing; one made from the same base
  as ours merges the fields edited on one side only, and a real overlap keeps both versions in
  `exchange_conflict` ("Needs a decision"); a modification beats a deletion, flagged.
"""

from __future__ import annotations

import json
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core import records
from selfeval_app.core.records import Record, RecordStore, _from_row, canonical_json, content_hash
from selfeval_app.exchange.redact import only_links_differ

NEW, CHANGED, UNCHANGED, WITHDRAWN, CONFLICT, MERGED, FLAGGED = (
    "new",
    "changed",
    "unchanged",
    "withdrawn",
    "conflict",
    "merged",
    "flagged",
)
_CONTENT_KEYS = frozenset(rt.COMMON_FIELDS)


def _current(store: RecordStore, t: rt.RecordType, record_id: str) -> tuple[Record | None, Any]:
    row = store.conn.execute(f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)).fetchone()
    if row is None:
        return None, None
    return _from_row(t, row), row["edit_session"]


def _write_version(store: RecordStore, t: rt.RecordType, rec: Record, current: Record | None, session, *, keep_history: bool) -> None:
    """Write a version made here (a merge) through the store's row writer."""
    store._write(  # noqa: SLF001 - a merged version is a local write with a chosen rev
        t,
        dict(rec),
        insert=current is None,
        session=None,
        keep_history=keep_history,
        previous=current,
        previous_session=session,
    )


def _incoming(store: RecordStore, rec: Record, current: Record | None) -> str:
    """Apply through the store; the outcome in the report's words."""
    applied = store.apply_incoming(rec, checked=True)  # bundle_read checked every record
    if applied.outcome == records.NEW:
        return _new_outcome(rec)
    if applied.outcome == records.CHANGED:
        if rec["deleted"]:
            return UNCHANGED if current is not None and current["deleted"] else WITHDRAWN
        return CHANGED
    return UNCHANGED


def versions_held(store: RecordStore, records_in: list[Record]) -> dict[str, tuple[int, str]]:
    """(rev, content_hash) of each of these records held here, read in a few queries."""
    by_type: dict[str, list[str]] = {}
    for rec in records_in:
        by_type.setdefault(rec["type"], []).append(rec["id"])
    held: dict[str, tuple[int, str]] = {}
    for type_name, ids in by_type.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in store.conn.execute(
                f'SELECT id, rev, content_hash FROM "{type_name}" WHERE id IN ({marks})', chunk
            ):
                held[row[0]] = (row[1], row[2])
    return held


def _new_outcome(rec: Record) -> str:
    return WITHDRAWN if rec["deleted"] else NEW


def apply_many(
    store: RecordStore, records_in: list[Record], *, bundle_id: str, held: dict[str, tuple[int, str]]
) -> list[str]:
    """Apply a bundle's checked records in order; the outcome of each. Records not held here
    (`held`, from `versions_held`) are new whoever owns them: the store inserts them in batches.
    The rest go one by one through `apply_incoming` (merges, conflicts, withdrawals)."""
    fresh = [rec for rec in records_in if rec["id"] not in held]
    for applied in store.apply_incoming_many(fresh, checked=True):
        if applied.outcome != records.NEW:  # a repeated id in one bundle (read_bundle refuses it)
            raise RuntimeError("a record new here was not written as new")
    return [
        _new_outcome(rec)
        if rec["id"] not in held
        else apply_incoming(store, rec, bundle_id=bundle_id, held=held[rec["id"]])
        for rec in records_in
    ]


def apply_incoming(
    store: RecordStore, rec: Record, *, bundle_id: str, held: tuple[int, str] | None = None
) -> str:
    """Apply one version; `held` is (rev, content_hash) of our copy when the caller read it."""
    if held is not None and held == (rec["rev"], rec["content_hash"]):
        return UNCHANGED
    t = rt.record_type(rec["type"])
    current, session = _current(store, t, rec["id"])
    if current is None:
        return _incoming(store, rec, None)
    if current["rev"] == rec["rev"] and current["content_hash"] == rec["content_hash"]:
        return UNCHANGED
    if current["owner"] not in store.identity_ids:
        if rec["rev"] == current["rev"] and only_links_differ(current, rec):
            # The owner's newer copy of the version we hold: a record it names became shared with
            # us (or stopped being), so its links changed and its rev did not (exchange/redact.py).
            store._write(  # noqa: SLF001 - the copy replaces ours as it was made, checked already
                t, dict(rec), insert=False, session=None, keep_history=False, previous=current, previous_session=session, hashed=True
            )
            return CHANGED
        if rec["rev"] == current["rev"] and not (rec["deleted"] and not current["deleted"]):
            # Two versions with one rev: only the owner can decide. (The owner's tombstone at
            # the rev we hold is a withdrawal, not a conflict: nobody here edits their record.)
            _keep_conflict(store, t, current, rec, bundle_id, "overlap")
            return CONFLICT
        return _incoming(store, rec, current)
    return _apply_own(store, t, rec, current, session, bundle_id)


def _apply_own(store, t, rec, current, session, bundle_id) -> str:
    if rec["rev"] > current["rev"] and (rec["base_rev"] or 0) >= current["rev"]:
        _close_superseded(store, rec)
        return _incoming(store, rec, current)
    if rec["rev"] < current["rev"] and rec["rev"] <= (current["base_rev"] or 0):
        return UNCHANGED  # a version we have already built on
    # Concurrent versions of one record, made on two of our devices.
    if rec["deleted"] != current["deleted"]:
        if rec["deleted"]:  # our modification beats their deletion
            _keep_conflict(store, t, current, rec, bundle_id, "modified_over_deleted", resolved=True)
            return FLAGGED
        merged = dict(rec)
        _write_merged(store, t, merged, current, session, rec)
        _keep_conflict(store, t, current, rec, bundle_id, "modified_over_deleted", resolved=True)
        return FLAGGED
    base = _base_version(store, t, current, rec)
    if base is not None:
        merged = _merge(t, base, current, rec)
        if merged is not None:
            _write_merged(store, t, merged, current, session, rec)
            return MERGED
    _keep_conflict(store, t, current, rec, bundle_id, "overlap")
    return CONFLICT


def _base_version(store, t, current, rec) -> Record | None:
    """The version both sides started from, if this device kept it."""
    base_rev = rec["base_rev"]
    if base_rev is None or base_rev != current["base_rev"]:
        return None
    row = store.conn.execute(
        "SELECT content FROM history WHERE record_id = ? AND rev = ?", (rec["id"], base_rev)
    ).fetchone()
    if row is None:
        return None
    content = json.loads(row["content"])
    base = dict(content.pop("extra", {}) or {})
    base.update(content)
    return base


def _merge(t: rt.RecordType, base: Record, ours: Record, theirs: Record) -> Record | None:
    """Fields changed on one side only, taken from that side; None when both changed one field."""
    merged = dict(ours)
    names = {k for k in (*ours, *theirs) if k not in _CONTENT_KEYS} | {"visibility"}
    for name in names:
        b, o, th = base.get(name), ours.get(name), theirs.get(name)
        if name == "visibility":
            b = base.get("visibility", o)
        if o == th:
            continue
        if o == b:
            merged[name] = th
        elif th == b:
            continue
        else:
            return None
    return merged


def _write_merged(store, t, merged: Record, current: Record, session, theirs: Record) -> None:
    """A new version by this device on top of both."""
    merged = dict(merged)
    top = max(current["rev"], theirs["rev"])
    merged.update(
        owner=current["owner"],
        rev=top + 1,
        base_rev=top,
        updated_by=store.device_id,
        updated_at=store.clock.timestamp(),
        created_at=current["created_at"],
        deleted=False,
    )
    merged["content_hash"] = content_hash(t, merged)
    _write_version(store, t, merged, current, session, keep_history=True)


def _close_superseded(store, rec) -> None:
    """A version built on ours arrived (another laptop decided, or edited after deciding): a
    conflict still open here for that record is settled by it."""
    store.conn.execute(
        "UPDATE exchange_conflict SET resolved_at = ?, resolution = 'superseded' "
        "WHERE record_id = ? AND resolved_at IS NULL",
        (store.clock.timestamp(), rec["id"]),
    )


def _keep_conflict(store, t, local, incoming, bundle_id, kind, *, resolved=False) -> None:
    now = store.clock.timestamp()
    if not resolved:
        # The same pair again (a cumulative bundle repeats what an older one carried): kept once.
        for row in store.conn.execute(
            "SELECT local, incoming FROM exchange_conflict WHERE record_id = ? AND resolved_at IS NULL", (local["id"],)
        ):
            if json.loads(row[0]).get("content_hash") == local.get("content_hash") and json.loads(row[1]).get("content_hash") == incoming.get("content_hash"):
                return
    store.conn.execute(
        "INSERT INTO exchange_conflict (record_id, type, kind, local, incoming, bundle_id, created_at, resolved_at, resolution) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            local["id"],
            t.name,
            kind,
            canonical_json(local),
            canonical_json(incoming),
            bundle_id,
            now,
            now if resolved else None,
            "modification_kept" if resolved else None,
        ),
    )


def open_conflicts(store: RecordStore) -> list[dict[str, Any]]:
    """What "Needs a decision / Angen penderfyniad" lists: both versions of each record."""
    rows = store.conn.execute(
        "SELECT id, record_id, type, kind, local, incoming, created_at FROM exchange_conflict "
        "WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall()
    return [
        {
            "conflict_id": r[0],
            "id": r[1],
            "type": r[2],
            "kind": r[3],
            "local": json.loads(r[4]),
            "incoming": json.loads(r[5]),
            "created_at": r[6],
        }
        for r in rows
    ]


def resolve_conflict(store: RecordStore, conflict_id: int, keep: str) -> None:
    """Decide: keep this device's version ("local") or the other ("incoming"). Either way the kept
    content becomes a new version by this device with a rev above both, so every laptop of the
    school takes it as an ordinary edit and none sees the conflict again. Raises KeyError for a
    conflict already decided, PermissionError for a record this installation does not own."""
    if keep not in ("local", "incoming"):
        raise ValueError(keep)
    with store.transaction():
        row = store.conn.execute(
            "SELECT type, record_id, incoming FROM exchange_conflict WHERE id = ? AND resolved_at IS NULL",
            (conflict_id,),
        ).fetchone()
        if row is None:
            raise KeyError(conflict_id)
        t = rt.record_type(row[0])
        current, session = _current(store, t, row[1])
        if current is None or current["owner"] not in getattr(store, "identity_ids", {store.owner}):
            raise PermissionError("only the owner's records can be decided here")
        incoming = json.loads(row[2])
        if keep == "incoming":
            content = {k: v for k, v in incoming.items() if k not in _CONTENT_KEYS}
            _write_merged(store, t, {**current, **content, "visibility": incoming["visibility"]}, current, session, incoming)
        else:
            _write_merged(store, t, dict(current), current, session, incoming)
        store.conn.execute(
            "UPDATE exchange_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
            (store.clock.timestamp(), keep, conflict_id),
        )
