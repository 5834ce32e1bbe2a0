"""The share ledger: what was sent to whom at which rev, so nothing shared is ever forgotten.

One row per recipient and record (`share_ledger`): the last version sent (rev, visibility) and
whether it was a withdrawal. From it:

- `due_for(recipient, allowed)`: records whose current rev has not yet gone to that recipient and
  whose visibility allows it (a visibility change always makes a new rev);
- `withdrawals_for(recipient, allowed)`: records that recipient holds (sent, not withdrawn) that
  are now deleted, purged, missing, or no longer visible to it; each as the tombstone version to
  send (`withdrawal_version`), so the recipient drops its content.

The exchange calls `record_sent` in the transaction that writes a bundle's outbox entry. A purge
leaves the record's bare tombstone (id, type, owner, visibility, rev) and the ledger rows, which
hold no content, so a purged record is still withdrawn; a restore carries the rows forward
(`carry_forward`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.records import Record, RecordStore, _empty, _from_row, content_hash


@dataclass(frozen=True)
class Sent:
    """What a recipient was last sent of one record."""

    record_id: str
    type: str
    owner: str
    rev: int
    visibility: str
    withdrawn: bool
    sent_at: str
    bundle_id: str


def record_sent(
    store: RecordStore,
    recipient_id: str,
    versions: Iterable[Mapping[str, Any]],
    *,
    bundle_id: str,
    sent_at: str | None = None,
) -> int:
    """Note that these record versions (records or tombstones: id, type, owner, rev, visibility,
    deleted) went to `recipient_id` in bundle `bundle_id`. Joins the caller's transaction.
    A version older than one already noted for that recipient is ignored. Returns how many."""
    sent_at = sent_at or store.clock.timestamp()
    rows = [
        (
            recipient_id,
            v["id"],
            v["type"],
            v["owner"],
            int(v["rev"]),
            v["visibility"],
            1 if v.get("deleted") else 0,
            sent_at,
            bundle_id,
        )
        for v in versions
    ]
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO share_ledger (recipient_id, record_id, type, owner, rev, visibility, "
            "withdrawn, sent_at, bundle_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (recipient_id, record_id) DO UPDATE SET type = excluded.type, "
            "owner = excluded.owner, rev = excluded.rev, visibility = excluded.visibility, "
            "withdrawn = excluded.withdrawn, sent_at = excluded.sent_at, bundle_id = excluded.bundle_id "
            "WHERE excluded.rev >= share_ledger.rev",
            rows,
        )
    return len(rows)


def sent_to(store: RecordStore, recipient_id: str) -> dict[str, Sent]:
    """Everything noted as sent to one recipient, by record id."""
    rows = store.conn.execute(
        "SELECT record_id, type, owner, rev, visibility, withdrawn, sent_at, bundle_id "
        "FROM share_ledger WHERE recipient_id = ?",
        (recipient_id,),
    ).fetchall()
    return {r[0]: Sent(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7]) for r in rows}


def _owners(store: RecordStore, owner: str | None) -> tuple[str, ...]:
    return (owner,) if owner is not None else (store.owner,)


def due_for(
    store: RecordStore,
    recipient_id: str,
    allowed_visibilities: Iterable[str],
    *,
    owner: str | None = None,
    types: Iterable[str] | None = None,
) -> list[Record]:
    """Current records (not deleted) owned by `owner` (default: the primary identity) whose
    visibility is one of `allowed_visibilities` and whose current rev the recipient has not been
    sent (never sent, sent at another rev, or withdrawn since). In type order, then id."""
    allowed = tuple(v for v in allowed_visibilities if v in rt.VISIBILITIES)
    if not allowed:
        return []
    owners = _owners(store, owner)
    marks_v = ", ".join("?" for _ in allowed)
    marks_o = ", ".join("?" for _ in owners)
    out: list[Record] = []
    for name in types or rt.RECORD_TYPES:
        t = rt.record_type(name)
        sql = (
            f'SELECT r.* FROM "{t.name}" r LEFT JOIN share_ledger l '
            "ON l.recipient_id = ? AND l.record_id = r.id "
            f"WHERE r.deleted = 0 AND r.visibility IN ({marks_v}) AND r.owner IN ({marks_o}) "
            "AND (l.record_id IS NULL OR l.rev != r.rev OR l.withdrawn = 1) ORDER BY r.id"
        )
        out.extend(_from_row(t, row) for row in store.conn.execute(sql, (recipient_id, *allowed, *owners)))
    return out


def withdrawal_version(store: RecordStore, current: Mapping[str, Any]) -> Record:
    """The tombstone version that withdraws `current` from a recipient: its id, type, owner,
    visibility and rev, no content. A record that is deleted already is its own tombstone; a
    record that is only no longer visible to the recipient is withdrawn at its current rev."""
    t = rt.record_type(current["type"])
    rec: Record = {k: current[k] for k in rt.COMMON_FIELDS if k in current}
    for f in t.fields:
        rec[f.name] = _empty(f)
    rec["deleted"] = True
    rec["content_hash"] = content_hash(t, rec)
    return rec


def withdrawals_for(
    store: RecordStore,
    recipient_id: str,
    allowed_visibilities: Iterable[str],
    *,
    owner: str | None = None,
) -> list[Record]:
    """Tombstone versions to send so `recipient_id` drops what it holds but may no longer have:
    records sent to it (and not withdrawn since) that are now deleted, purged, missing or of a
    visibility not in `allowed_visibilities`. Ordered by record id."""
    allowed = set(allowed_visibilities)
    owners = set(_owners(store, owner))
    out: list[Record] = []
    for sent in sorted(sent_to(store, recipient_id).values(), key=lambda s: s.record_id):
        if sent.withdrawn or sent.owner not in owners or sent.type not in rt.RECORD_TYPES:
            continue
        current = store.get(sent.type, sent.record_id, include_deleted=True)
        if current is None:  # never expected (purge keeps a tombstone), but still withdrawn
            current = {
                "id": sent.record_id,
                "type": sent.type,
                "owner": sent.owner,
                "updated_by": store.device_id,
                "rev": sent.rev + 1,
                "base_rev": sent.rev,
                "created_at": sent.sent_at,
                "updated_at": store.clock.timestamp(),
                "deleted": True,
                "visibility": sent.visibility,
            }
        elif not current["deleted"] and current["visibility"] in allowed:
            continue
        out.append(withdrawal_version(store, current))
    return out


def carry_forward(store: RecordStore, rows: Iterable[tuple]) -> None:
    """Put ledger rows of the database being replaced into this one (a restore): what was sent
    stays known, so it can still be withdrawn. Joins the caller's transaction."""
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO share_ledger (recipient_id, record_id, type, owner, rev, visibility, "
            "withdrawn, sent_at, bundle_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (recipient_id, record_id) DO UPDATE SET type = excluded.type, "
            "owner = excluded.owner, rev = excluded.rev, visibility = excluded.visibility, "
            "withdrawn = excluded.withdrawn, sent_at = excluded.sent_at, bundle_id = excluded.bundle_id "
            "WHERE excluded.rev >= share_ledger.rev",
            [tuple(r) for r in rows],
        )
