"""What was sent to whom at which rev, and what is due or to be withdrawn (DESIGN §11).

An adapter until the store's own share ledger lands (branch `records`: `due_for`,
`withdrawals_for`, `record_sent`); the names match so callers can switch. Kept in `exchange_sent`.

Who may receive what: our own other devices everything; a contact of role `la` records whose
visibility is `la`; a reviewer `peers` or `la`. A record sent once and later made private, deleted
or purged is withdrawn: the recipient gets a tombstone and drops its content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.records import Record, RecordStore, _empty, content_hash

ALLOWED = {"own": frozenset(rt.VISIBILITIES), "la": frozenset({"la"}), "reviewer": frozenset({"peers", "la"})}


def allowed_visibilities(role: str) -> frozenset[str]:
    return ALLOWED.get(role, frozenset())


def _sent(store: RecordStore, recipient: str) -> dict[str, tuple[str, int, bool]]:
    return {
        r[0]: (r[1], r[2], bool(r[3]))
        for r in store.conn.execute(
            "SELECT record_id, type, rev, withdrawn FROM exchange_sent WHERE recipient = ?",
            (recipient,),
        )
    }


def due_for(store: RecordStore, owner: str, recipient: str, role: str) -> Iterator[Record]:
    """Our records the recipient may have and has not had at this rev. Our own other devices
    get tombstones too (they hold everything); others get a tombstone only as a withdrawal."""
    allowed = allowed_visibilities(role)
    sent = _sent(store, recipient)
    marks = ", ".join("?" for _ in allowed)
    for t in rt.RECORD_TYPES.values():
        if not allowed:
            break
        for rec in store.list(
            t.name,
            where=f"owner = ? AND visibility IN ({marks})",
            params=(owner, *allowed),
            include_deleted=role == "own",
        ):
            had = sent.get(rec["id"])
            if had is None or had[2] or had[1] < rec["rev"]:
                yield rec


def withdrawals_for(
    store: RecordStore, owner: str, recipient: str, role: str, *, now: str
) -> Iterator[Record]:
    """Tombstones for what the recipient had and may no longer have (private, deleted, purged)."""
    allowed = allowed_visibilities(role)
    for record_id, (type_name, rev, withdrawn) in sorted(_sent(store, recipient).items()):
        if withdrawn or type_name not in rt.RECORD_TYPES:
            continue
        t = rt.record_type(type_name)
        current = store.get(type_name, record_id, include_deleted=True)
        if current is not None and not current["deleted"] and current["visibility"] in allowed:
            continue
        yield _tombstone(t, current, record_id, owner, rev, now)


def _tombstone(
    t: rt.RecordType, current: Record | None, record_id: str, owner: str, sent_rev: int, now: str
) -> Record:
    if current is not None and current["deleted"]:
        return current  # the store's own tombstone
    tomb: dict[str, Any] = {
        "id": record_id,
        "type": t.name,
        "owner": owner,
        "deleted": True,
        "visibility": current["visibility"] if current else "private",
    }
    if current is not None:  # made private: the tombstone stands for the private version
        for key in ("updated_by", "rev", "base_rev", "created_at", "updated_at"):
            tomb[key] = current[key]
    else:  # purged: nothing is left but what the ledger remembers
        tomb.update(updated_by=owner, rev=sent_rev + 1, base_rev=sent_rev, created_at=now, updated_at=now)
    for f in t.fields:
        tomb[f.name] = _empty(f)
    tomb["content_hash"] = content_hash(t, tomb)
    return tomb


def record_sent(store: RecordStore, recipient: str, records: list[Record]) -> None:
    """Remember what went (the caller holds the transaction)."""
    store.conn.executemany(
        "INSERT INTO exchange_sent (recipient, record_id, type, rev, withdrawn) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(recipient, record_id) DO UPDATE SET type = excluded.type, rev = excluded.rev, "
        "withdrawn = excluded.withdrawn",
        [(recipient, r["id"], r["type"], r["rev"], 1 if r["deleted"] else 0) for r in records],
    )
