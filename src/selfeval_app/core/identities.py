"""This installation's own identities: the owners its records are written as (DESIGN §4, §11).

An installation holds one or more identities, each a row of the `identity` table (id, role
school | reviewer | la, Welsh and English names). The *primary* identity is the one new records
are written as when no other is named; its id is `meta.school_owner` (the key's name is from the
first release, when the school was the only identity; for an LA installation it is the LA's id).
Keys and key cards belong to `exchange/`; contacts (other installations' identities) are not
listed here: a record owned by an id that is not in this table is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_app.core.clock import SYSTEM_CLOCK
from selfeval_app.core.database import Database

ROLES = ("school", "reviewer", "la")


@dataclass(frozen=True)
class Identity:
    id: str
    role: str
    name_cy: str
    name_en: str
    created_at: str
    primary: bool


def list_identities(db: Database) -> list[Identity]:
    """Every identity of this installation, the primary one first."""
    primary = db.meta("school_owner")
    rows = db.conn.execute(
        "SELECT id, role, name_cy, name_en, created_at FROM identity ORDER BY created_at, id"
    ).fetchall()
    found = [Identity(r[0], r[1], r[2], r[3], r[4], primary=(r[0] == primary)) for r in rows]
    return sorted(found, key=lambda i: not i.primary)


def primary_identity(db: Database) -> Identity | None:
    found = list_identities(db)
    return found[0] if found and found[0].primary else None


def _insert(db: Database, identity_id: str, role: str, name_cy: str, name_en: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown identity role {role!r}")
    db.conn.execute(
        "INSERT INTO identity (id, role, name_cy, name_en, created_at) VALUES (?, ?, ?, ?, ?)",
        (identity_id, role, name_cy or "", name_en or "", SYSTEM_CLOCK.timestamp()),
    )


def ensure_primary_identity(db: Database, *, role: str = "school") -> None:
    """Give `meta.school_owner` its identity row if it has none (a new database). The caller
    holds a transaction."""
    owner = db.meta("school_owner")
    if owner is None:
        return
    if db.conn.execute("SELECT 1 FROM identity WHERE id = ?", (owner,)).fetchone() is None:
        _insert(db, owner, role, "", "")


def add_identity(
    db: Database, *, role: str, name_cy: str = "", name_en: str = "", identity_id: str | None = None
) -> str:
    """Add another identity to this installation (e.g. the head's reviewer identity on a school
    laptop); returns its id. Records it writes are owned by it (`as_identity=`)."""
    import uuid  # here: it imports `platform`, a cost at every start

    identity_id = identity_id or str(uuid.uuid4())
    with _transaction(db):
        _insert(db, identity_id, role, name_cy, name_en)
    return identity_id


def set_identity_names(db: Database, identity_id: str, name_cy: str, name_en: str) -> None:
    with _transaction(db):
        db.conn.execute(
            "UPDATE identity SET name_cy = ?, name_en = ? WHERE id = ?",
            (name_cy or "", name_en or "", identity_id),
        )


def claim_primary_identity(
    db: Database, identity_id: str, *, role: str, name_cy: str = "", name_en: str = ""
) -> None:
    """Make `identity_id` the primary identity of a database that holds no records yet (the
    example school, `selfeval init la`): the identity made when the database was created goes.
    Raises ValueError when records exist, since their owner would no longer be ours."""
    with _transaction(db):
        if db.conn.execute("SELECT 1 FROM change_log WHERE type != '_epoch' LIMIT 1").fetchone():
            raise ValueError(f"{db.data_dir} already holds records; its identity cannot change")
        old = db.meta("school_owner")
        if old is not None and old != identity_id:
            db.conn.execute("DELETE FROM identity WHERE id = ?", (old,))
        db.set_meta("school_owner", identity_id)
        db.conn.execute("DELETE FROM identity WHERE id = ?", (identity_id,))
        _insert(db, identity_id, role, name_cy, name_en)


class _transaction:
    """BEGIN IMMEDIATE .. COMMIT on the writer connection, joining one already open."""

    def __init__(self, db: Database):
        self.conn = db.conn
        self.own = False

    def __enter__(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.own = True

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.own:
            self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
