"""Contacts: key cards trusted after a person confirmed their fingerprint (DESIGN §11).

Kept in the database (`exchange_contact`), so they travel with the local backups. Trusting a newer
card of a known identity (a device added or removed) replaces the old one, again only with its
fingerprint. A device removed here (`remove_device`) stays removed whatever card comes later.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from selfeval_app.core.i18n import N_
from selfeval_app.exchange.errors import ContactNotFoundError, KeyCardError
from selfeval_app.exchange.keys import LocalKeys, fingerprint, normalise_fingerprint, verify_card


@dataclass(frozen=True)
class Contact:
    identity_id: str
    role: str
    fingerprint: str
    card: dict[str, Any]
    is_example: bool
    removed_devices: frozenset[str]

    @property
    def active_devices(self) -> list[dict[str, Any]]:
        return [
            d
            for d in self.card["devices"]
            if not d["removed"] and d["device_id"] not in self.removed_devices
        ]

    def device(self, device_id: str) -> dict[str, Any] | None:
        """A device of this contact that may sign, or None (unknown or removed)."""
        return next((d for d in self.active_devices if d["device_id"] == device_id), None)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def trust(store, keys: LocalKeys, card: dict[str, Any], given: str, path: str = "") -> Contact:
    """Add (or renew) a contact; refused unless `given` is the card's fingerprint."""
    verify_card(card, path)
    if normalise_fingerprint(given) != fingerprint(card):
        raise KeyCardError(
            path=path,
            reason=N_(
                "the fingerprint you gave is not this card's fingerprint; check it again with the sender"
            ),
        )
    identity = card["identity"]
    if identity["id"] == keys.identity_id:
        raise KeyCardError(path=path, reason=N_("it is this installation's own card"))
    if bool(identity.get("example")) != keys.is_example:
        raise KeyCardError(
            path=path,
            reason=N_(
                "an example card can only be trusted by an example installation, and a real card only by a real one"
            ),
        )
    with store.transaction():
        store.conn.execute(
            "INSERT INTO exchange_contact (identity_id, role, fingerprint, card, is_example, trusted_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(identity_id) DO UPDATE SET role = excluded.role, "
            "fingerprint = excluded.fingerprint, card = excluded.card, "
            "is_example = excluded.is_example, trusted_at = excluded.trusted_at",
            (
                identity["id"],
                identity["role"],
                fingerprint(card),
                json.dumps(card, ensure_ascii=False),
                1 if identity.get("example") else 0,
                _now(),
            ),
        )
    return get(store, identity["id"])


def _contact(store, row) -> Contact:
    removed = frozenset(
        r[0]
        for r in store.conn.execute(
            "SELECT device_id FROM exchange_removed_device WHERE identity_id = ?", (row[0],)
        )
    )
    return Contact(row[0], row[1], row[2], json.loads(row[3]), bool(row[4]), removed)


_COLUMNS = "identity_id, role, fingerprint, card, is_example"


def get(store, identity_id: str) -> Contact | None:
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM exchange_contact WHERE identity_id = ?", (identity_id,)
    ).fetchone()
    return _contact(store, row) if row else None


def by_fingerprint(store, given: str) -> Contact:
    wanted = normalise_fingerprint(given)
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM exchange_contact WHERE fingerprint = ?", (wanted,)
    ).fetchone()
    if row is None:
        raise ContactNotFoundError(fingerprint=given)
    return _contact(store, row)


def all_contacts(store) -> list[Contact]:
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM exchange_contact ORDER BY trusted_at, identity_id"
    ).fetchall()
    return [_contact(store, row) for row in rows]


def remove_device(store, identity_id: str, device_id: str) -> None:
    """From now on, refuse what this contact's device signs and encrypt nothing to it."""
    if get(store, identity_id) is None:
        raise KeyError(identity_id)
    with store.transaction():
        store.conn.execute(
            "INSERT OR IGNORE INTO exchange_removed_device (identity_id, device_id, removed_at) "
            "VALUES (?, ?, ?)",
            (identity_id, device_id, _now()),
        )


def remove(store, identity_id: str) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM exchange_contact WHERE identity_id = ?", (identity_id,))
