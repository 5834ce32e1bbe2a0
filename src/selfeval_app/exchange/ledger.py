"""What is due for a recipient, what to withdraw, and noting what went: the store's share ledger
(`core/share_ledger.py`) seen from a bundle.

Who may receive what (`core/visibility.allowed_for`): our own other devices ("own") everything,
tombstones included (they hold what we hold); an LA `la`; a reviewer `peers` or `la`. A record
sent once and later made private, deleted or purged is withdrawn with a tombstone.
"""

from __future__ import annotations

from selfeval_app.core import record_types as rt
from selfeval_app.core import share_ledger
from selfeval_app.core.records import Record, RecordStore
from selfeval_app.core.visibility import allowed_for


def allowed_visibilities(role: str) -> frozenset[str]:
    """What a recipient of `role` may hold ("own": another device of our identity)."""
    if role == "own":
        return frozenset(rt.VISIBILITIES)
    try:
        return frozenset(allowed_for(role))
    except KeyError:
        return frozenset()


def due_for(store: RecordStore, owner: str, recipient: str, role: str) -> list[Record]:
    """Our records the recipient may have and has not had at this rev; for our own devices,
    tombstones too."""
    due = share_ledger.due_for(store, recipient, allowed_visibilities(role), owner=owner)
    if role == "own":
        sent = share_ledger.sent_to(store, recipient)
        for t in rt.RECORD_TYPES.values():
            for rec in store.list(t.name, where="deleted = 1", include_deleted=True, owners=owner):
                had = sent.get(rec["id"])
                if had is None or had.rev != rec["rev"]:
                    due.append(rec)
    return due


def withdrawals_for(store: RecordStore, owner: str, recipient: str, role: str) -> list[Record]:
    return share_ledger.withdrawals_for(store, recipient, allowed_visibilities(role), owner=owner)


def record_sent(store: RecordStore, recipient: str, records: list[Record], *, bundle_id: str) -> None:
    share_ledger.record_sent(store, recipient, records, bundle_id=bundle_id)
