"""The one record API: create, update, delete (tombstone), undelete, read, history and purge.

Every save, in one transaction: bumps `rev`, records `base_rev` and `content_hash`, appends to the
change log under the current epoch, keeps one history version per editing session, and refreshes
the record's search rows. Each write returns a `Change` saying what it touched, so a screen can
refresh just that.

Owners (DESIGN §4, §11): every write is made *as* one of this installation's identities (the
`identity` table; `as_identity=None` means the primary one, `store.owner`) and only on records that
identity owns: records of other owners are read-only (`ReadOnlyRecordError`) for every write path
except `apply_incoming`, which applies a version that arrived from elsewhere exactly as it was made.
`tombstone` is the one way to make a tombstone (delete, purge, restore).

All writes go through one `RecordStore` on one thread at a time (the GUI's database worker); a
lock makes accidental concurrent use safe rather than corrupt.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import math
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.clock import SYSTEM_CLOCK, Clock
from selfeval_app.core.content_hash import content_hash_v2, hash_version
from selfeval_app.core.database import Database, translate_sqlite_error
from selfeval_app.core.errors import (
    ConflictError,
    IncomingRecordError,
    NotOwnerError,
    ReadOnlyRecordError,
    RecordNotFoundError,
    UserFacingError,
    ValidationError,
)
from selfeval_app.core.i18n import N_
from selfeval_app.core.record_types import RecordType, record_type
from selfeval_app.core.text import nfc

Record = dict[str, Any]


@dataclass
class Change:
    """What a write touched: (type, id) pairs, for refreshing only what changed."""

    records: list[tuple[str, str]] = field(default_factory=list)
    record: Record | None = None
    pending: bool = False  # a purge that finishes when another program closes the data (core/purge.py)

    def written(self) -> Record:
        """The record a create or an update wrote (they always set it)."""
        if self.record is None:
            raise RuntimeError("this change wrote no record")
        return self.record

    @property
    def types(self) -> set[str]:
        """The record types touched (what the GUI announces as changed)."""
        return {type_name for type_name, _id in self.records}


def _new_uuid() -> str:
    import uuid  # imported on the first write, not at start (it imports `platform`)

    return str(uuid.uuid4())


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)  # as json.dumps with these options, without a new encoder each call


# --- converting between records, rows and the export form ------------------------------------


def _empty(f: rt.Field) -> Any:
    if f.kind == rt.BITEXT:
        return {"cy": "", "en": ""}
    if f.kind == rt.REFS:
        return []
    if f.kind == rt.BOOL:
        return False
    return None


def normalise_value(t: RecordType, f: rt.Field, value: Any, current: Any = None) -> Any:
    """Check and normalise one field's value as given by a caller; raises ValidationError."""
    if value is None:
        return _empty(f)
    kind = f.kind
    if kind == rt.BITEXT:
        if isinstance(value, str):
            raise TypeError(f"{t.name}.{f.name} is bilingual: give {{'cy': ..., 'en': ...}}")
        merged = dict(current or {"cy": "", "en": ""})
        for lang, text in value.items():
            if lang not in rt.LANGS:
                raise ValueError(f"{t.name}.{f.name}: unknown language {lang!r}")
            merged[lang] = nfc(text or "")
        return merged
    if kind == rt.TEXT:
        if not isinstance(value, str):
            raise TypeError(f"{t.name}.{f.name} must be text")
        return nfc(value)
    if kind == rt.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError(f.name, N_("Enter a real date.")) from None
    if kind in (rt.INT, rt.PENCE):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f.name, N_("Enter a whole number."))
        if kind == rt.PENCE and value < 0:
            raise ValidationError(f.name, N_("An amount of money cannot be negative."))
        if abs(value) >= 2**53:  # beyond what RFC 8785 (the content hash) can write exactly
            raise ValidationError(f.name, N_("That number is too big."))
        return value
    if kind == rt.NUMBER:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValidationError(f.name, N_("Enter a number."))
        return float(value)  # stored as REAL: keep the hash stable across a read
    if kind == rt.BOOL:
        return bool(value)
    if kind == rt.ENUM:
        if value not in f.choices:
            raise ValueError(f"{t.name}.{f.name}: {value!r} is not one of {f.choices}")
        return value
    if kind == rt.REF:
        if not isinstance(value, str):
            raise TypeError(f"{t.name}.{f.name} must be a record id")
        return value
    if kind == rt.REFS:
        ids = [str(v) for v in value]
        return list(dict.fromkeys(ids))
    if kind == rt.JSON:
        value = nfc(value)
        canonical_json(value)  # must serialise
        return value
    raise AssertionError(kind)


def _to_columns(t: RecordType, fields: Record, only: Iterable[str] | None = None) -> dict[str, Any]:
    cols: dict[str, Any] = {}
    for f in t.fields if only is None else (t.field(name) for name in only):
        name, kind = f.name, f.kind
        value = fields[name] if name in fields else _empty(f)
        if kind == rt.BITEXT:
            value = value or {}
            cols[f"{name}_cy"] = value.get("cy") or ""
            cols[f"{name}_en"] = value.get("en") or ""
        elif kind in (rt.REFS, rt.JSON):
            if value is None:
                cols[name] = None
            elif type(value) is list and not value:
                cols[name] = "[]"  # what canonical_json writes, without encoding it (most lists)
            else:
                cols[name] = canonical_json(value)
        elif kind == rt.BOOL:
            cols[name] = 1 if value else 0
        else:
            cols[name] = value
    return cols


def _read_error(exc: Exception, db_path) -> Exception:
    """A failed read as the user's message: damage, a lock, a full disk ..."""
    if isinstance(exc, UnicodeDecodeError):
        from selfeval_app.core.errors import DamagedDatabaseError

        return DamagedDatabaseError(path=str(db_path))
    if isinstance(exc, sqlite3.Error):
        return translate_sqlite_error(exc, db_path)
    return exc


def _from_row(t: RecordType, row: sqlite3.Row) -> Record:
    try:
        if any(isinstance(value, bytes) for value in row):
            raise ValueError("a BLOB where the schema has text or numbers")  # never written by the app
        return _decode_row(t, row)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        # Text that is not JSON, or JSON of the wrong shape: written by another tool or damaged.
        from selfeval_app.core.errors import DamagedRecordError

        try:
            record_id = row["id"]
        except (IndexError, KeyError):
            record_id = "?"
        raise DamagedRecordError(id=record_id, type=t.name) from exc


def _decode_row(t: RecordType, row: sqlite3.Row) -> Record:
    rec: Record = {
        "id": row["id"],
        "type": t.name,
        "owner": row["owner"],
        "updated_by": row["updated_by"],
        "rev": row["rev"],
        "base_rev": row["base_rev"],
        "content_hash": row["content_hash"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "deleted": bool(row["deleted"]),
        "visibility": row["visibility"],
    }
    for f in t.fields:
        if f.kind == rt.BITEXT:
            rec[f.name] = {"cy": row[f"{f.name}_cy"] or "", "en": row[f"{f.name}_en"] or ""}
        elif f.kind in (rt.REFS, rt.JSON):
            raw = row[f.name]
            rec[f.name] = json.loads(raw) if raw is not None else _empty(f)
        elif f.kind == rt.BOOL:
            rec[f.name] = bool(row[f.name])
        else:
            rec[f.name] = row[f.name]
    extra = row["extra"]
    if extra:
        for key, value in json.loads(extra).items():
            rec.setdefault(key, value)
    return rec


_COMMON = frozenset(rt.COMMON_FIELDS)
_KNOWN_KEYS = {name: _COMMON | {f.name for f in t.fields} for name, t in rt.RECORD_TYPES.items()}


def content_of(t: RecordType, rec: Record) -> Record:
    """The record's own content: type fields, unknown fields from newer versions, visibility."""
    content = {f.name: rec[f.name] if f.name in rec else _empty(f) for f in t.fields}
    known = _KNOWN_KEYS[t.name]
    extra = {k: v for k, v in rec.items() if k not in known}
    if extra:
        content["extra"] = extra
    return content


def content_hash(t: RecordType, rec: Record) -> str:
    """The record's content hash (version 2, `core/content_hash.py`): the same for the same
    content in every app version, whatever fields its record type has."""
    if rec.get("type") != t.name:
        rec = {**rec, "type": t.name}
    return content_hash_v2(rec)


# What `apply_incoming` did with a version.
NEW, CHANGED, UNCHANGED, OLDER, CONFLICT = "new", "changed", "unchanged", "older", "conflict"


@dataclass(frozen=True)
class Applied:
    """The outcome of `apply_incoming`: NEW / CHANGED (written), UNCHANGED (the same version is
    here already), OLDER (a newer rev is here; nothing written) or CONFLICT (a different version
    with the same rev is here; nothing written: the caller decides)."""

    outcome: str
    record: Record
    previous: Record | None = None

    @property
    def written(self) -> bool:
        return self.outcome in (NEW, CHANGED)


def searchable_text(t: RecordType, rec: Record, lang: str) -> tuple[str, str]:
    """(title, body) of a record in one language, for the search index."""
    title = ""
    body: list[str] = []
    for name in t.searchable:
        f = t.field(name)
        value = rec.get(name)
        if f.kind == rt.BITEXT:
            text = (value or {}).get(lang, "")
        elif f.kind == rt.JSON:  # evaluation statements
            text = "\n".join(
                (s.get("text") or {}).get(lang, "") for s in value or [] if isinstance(s, dict)
            )
        else:
            text = value or ""
        if not text:
            continue
        if name == t.title_field and not title:
            title = text
        else:
            body.append(text)
    return title, "\n".join(body)


def _sort_keys(t: RecordType, rec: Record) -> tuple[str | None, str | None]:
    if not t.title_field:
        return None, None
    from selfeval_app.core.sorting import sort_key_cy, sort_key_en

    value = rec.get(t.title_field)
    if isinstance(value, dict):
        cy_text = value.get("cy") or value.get("en") or ""
        en_text = value.get("en") or value.get("cy") or ""
    else:
        cy_text = en_text = value or ""
    return sort_key_cy(cy_text), sort_key_en(en_text)


# --- the store ---------------------------------------------------------------------------------


class RecordStore:
    def __init__(self, db: Database, *, device_id: str, clock: Clock = SYSTEM_CLOCK):
        self.db = db
        self.conn = db.conn
        self.conn.row_factory = sqlite3.Row
        self.device_id = device_id
        self.clock = clock
        self._lock = threading.RLock()
        self._owner: str | None = None
        self._identities: frozenset[str] | None = None
        self._epoch: int | None = None
        # The record last saved (the one being typed into), reused by the next save while nothing
        # else has written: this connection's total_changes and the file's data_version prove it.
        self._hot: tuple | None = None
        self._kept: tuple[str, int] | None = None  # (id, rev) of the version last kept in history
        self._tx_depth = 0  # > 0 inside transaction(): nested calls join it
        self._recorders: list[Change] = []  # open recording() blocks
        self._uncommitted: list[tuple[str, str]] = []  # (type, id) written in the open transaction
        #: Whose workspace records (`rt.WORKSPACE_TYPES`) `list` and `count` give by default: None
        #: means this installation's own identities; a reader opened to show another owner's
        #: records read-only (a host's at a reviewer's, one school at the LA) sets that owner.
        self.view_owners: frozenset[str] | None = None

    @property
    def owner(self) -> str:
        if self._owner is None:
            owner = self.db.meta("school_owner")
            if owner is None:  # open_database sets it on every database it opens
                raise RuntimeError("the database has no school owner")
            self._owner = owner
        return self._owner

    @property
    def epoch(self) -> int:
        if self._epoch is None:
            self._epoch = int(self.db.meta("epoch", "1"))
        return self._epoch

    @property
    def identity_ids(self) -> frozenset[str]:
        """This installation's own identities (the `identity` table): the owners it writes as."""
        if self._identities is None:
            ids = {row[0] for row in self.conn.execute("SELECT id FROM identity")}
            self._identities = frozenset(ids | {self.owner})
        return self._identities

    def is_own(self, record: Record | None) -> bool:
        """True when one of this installation's identities owns the record (it may be edited)."""
        return record is not None and record.get("owner") in self.identity_ids

    def viewing(self, owners: Iterable[str] | None) -> RecordStore:
        """Set whose workspace records this store's reads give (None: our own); returns self."""
        self.view_owners = frozenset(owners) if owners is not None else None
        return self

    def _owner_clause(self, t: RecordType, owners: Iterable[str] | str | None) -> tuple[str, tuple[str, ...]]:
        """SQL limiting `t` to the owners a read is for: `owners="any"` for every owner; None for
        the viewing scope (workspace types only; other types are never limited by default)."""
        if owners == "any" or (owners is None and t.name not in rt.WORKSPACE_TYPES):
            return "", ()
        ours = owners is None and self.view_owners is None
        if owners is None:
            chosen = tuple(sorted(self.view_owners if self.view_owners is not None else self.identity_ids))
        elif isinstance(owners, str):
            chosen = (owners,)
        else:
            chosen = tuple(sorted(owners))
        if not chosen:
            return "0", ()
        # Our own records are nearly all of a school's: "+owner" keeps the owner index out of the
        # plan, so a list keeps the index its order or filter needs (evidence by date: 2.6 ms, not
        # 30 ms, at 20,000 items). Another owner's are few: the owner index finds them.
        column = "+owner" if ours else "owner"
        return f"{column} IN ({', '.join('?' for _ in chosen)})", chosen

    def owner_filter(self, type_name: str, owners: Iterable[str] | str | None = None, *, column: str = "owner") -> tuple[str, tuple[str, ...]]:
        """The owner clause for raw SQL over `type_name` (e.g. `AND` it into a query's WHERE), as
        `list` applies it: ("", ()) when nothing is limited. `column` names the owner column
        (e.g. "e.owner" in a join)."""
        clause, params = self._owner_clause(record_type(type_name), owners)
        if clause and column != "owner":
            clause = clause.replace("owner IN", f"{column} IN", 1)
        return clause, params

    def forget_cached_meta(self) -> None:
        """Call after changing meta (owner, epoch) or identities directly in the database."""
        self._owner = self._epoch = self._identities = None

    def _writer(self, as_identity: str | None) -> str:
        """The identity a write is made as: one of ours (NotOwnerError otherwise)."""
        if as_identity is None:
            return self.owner
        if as_identity not in self.identity_ids:
            raise NotOwnerError()
        return as_identity

    def _refuse_foreign_parent(self, t: RecordType, rec: Record, owner: str) -> None:
        """A new record may not hang under another owner's record (a priority in a foreign plan,
        a file attached to foreign evidence): that would change what the other owner wrote."""
        for f in t.fields:
            if f.kind != rt.REF or not rec.get(f.name):
                continue
            for target in f.targets:
                row = self.conn.execute(
                    f'SELECT owner FROM "{target}" WHERE id = ?', (rec[f.name],)
                ).fetchone()
                if row is not None and row[0] != owner:
                    raise ReadOnlyRecordError()

    def default_visibility(self, type_name: str) -> str:
        """The visibility a new record of this type starts with: the school's setting for the
        shareable types (`school.default_visibility`), otherwise private."""
        if type_name not in rt.SHAREABLE_TYPES:
            return "private"
        row = self.conn.execute(
            'SELECT default_visibility FROM "school" WHERE deleted = 0 ORDER BY created_at LIMIT 1'
        ).fetchone()
        value = row[0] if row else None
        return value if value in rt.VISIBILITIES else "private"

    # reading ------------------------------------------------------------------------------

    def get(
        self, type_name: str, record_id: str, *, include_deleted: bool = False
    ) -> Record | None:
        t = record_type(type_name)
        try:
            row = self.conn.execute(f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)).fetchone()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise _read_error(exc, self.db.path) from exc
        if row is None or (row["deleted"] and not include_deleted):
            return None
        return _from_row(t, row)

    def require(self, type_name: str, record_id: str) -> Record:
        rec = self.get(type_name, record_id)
        if rec is None:
            raise RecordNotFoundError()
        return rec

    def list(
        self,
        type_name: str,
        *,
        where: str = "",
        params: Iterable[Any] = (),
        order_by: str | None = None,
        include_deleted: bool = False,
        limit: int | None = None,
        offset: int = 0,
        owners: Iterable[str] | str | None = None,
    ) -> list[Record]:
        """Records of one type. `where` is SQL over the type's columns (the caller's own SQL,
        never user text); `order_by` e.g. 'sort_cy' or 'date DESC'. Workspace types give only
        the viewing scope's owners' records unless `owners` names others ("any" for all)."""
        t = record_type(type_name)
        clauses = [] if include_deleted else ["deleted = 0"]
        if where:
            clauses.append(f"({where})")
        owner_clause, owner_params = self._owner_clause(t, owners)
        if owner_clause:
            clauses.append(owner_clause)
        sql = f'SELECT * FROM "{t.name}"'
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {order_by or 'created_at, id'}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        try:
            rows = self.conn.execute(sql, tuple(params) + owner_params).fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a damaged page or text that is not UTF-8
            raise _read_error(exc, self.db.path) from exc
        return [_from_row(t, row) for row in rows]

    def count(self, type_name: str, *, include_deleted: bool = False, owners: Iterable[str] | str | None = None) -> int:
        """How many records of one type (the viewing scope's, as `list`)."""
        t = record_type(type_name)
        clauses = [] if include_deleted else ["deleted = 0"]
        owner_clause, owner_params = self._owner_clause(t, owners)
        if owner_clause:
            clauses.append(owner_clause)
        sql = f'SELECT count(*) FROM "{t.name}"' + (" WHERE " + " AND ".join(clauses) if clauses else "")
        return self.conn.execute(sql, owner_params).fetchone()[0]

    def school(self) -> Record | None:
        """This installation's own school: a school record one of its identities owns (the
        primary's first). A school received from another installation (the host's, in a peer
        review pack on a head's laptop; the schools at an LA's) is never "the school" here."""
        owner = self.owner
        rows = self.list(
            "school",
            where="owner = ? OR owner IN (SELECT id FROM identity)",
            params=(owner, owner),
            order_by="(owner = ?) DESC, created_at, id",
            limit=1,
        )
        return rows[0] if rows else None

    def history(self, type_name: str, record_id: str) -> builtins.list[dict[str, Any]]:
        """Saved versions of a record, newest first: one per editing session. The first is the
        current version (history_id None) unless the record is deleted."""
        rows = self.conn.execute(
            "SELECT rev, type, session, saved_at, updated_by, content FROM history WHERE record_id = ? ORDER BY rev DESC",
            (record_id,),
        ).fetchall()
        versions = []
        t = record_type(type_name)
        row = self.conn.execute(f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)).fetchone()
        if row is not None and not row["deleted"]:
            current = _from_row(t, row)
            versions.append(
                {
                    "history_id": None,
                    "rev": current["rev"],
                    "session": row["edit_session"],
                    "saved_at": current["updated_at"],
                    "updated_by": current["updated_by"],
                    "content": json.loads(canonical_json(content_of(t, current))),
                }
            )
        return versions + [
            {
                "history_id": r["rev"],
                "rev": r["rev"],
                "session": r["session"],
                "saved_at": r["saved_at"],
                "updated_by": r["updated_by"],
                "content": json.loads(r["content"]),
            }
            for r in rows
        ]

    def changes_since(self, seq: int) -> builtins.list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT seq, epoch, record_id, type, rev, changed_at FROM change_log WHERE seq > ? AND type != '_epoch' ORDER BY seq",
            (seq,),
        ).fetchall()
        return [dict(r) for r in rows]

    # writing -------------------------------------------------------------------------------

    @contextmanager
    def recording(self) -> Iterator[Change]:
        """Collect in one `Change` every record whose write is committed inside the block, by any
        function (the GUI's operation helper announces these types; callers need not list them).
        Writes rolled back are not in it."""
        change = Change()
        self._recorders.append(change)
        try:
            yield change
        finally:
            self._recorders.remove(change)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; storage failures become user-facing errors, nothing half-saved.

        Nested calls (e.g. `create` inside a caller's transaction) join the outer transaction, so
        a multi-record save commits or rolls back as one."""
        with self._lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield
                finally:
                    self._tx_depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate_sqlite_error(exc, self.db.path) from exc
            self._tx_depth = 1
            try:
                yield
                self._tx_depth = 0
                self.conn.execute("COMMIT")
                written, self._uncommitted = self._uncommitted, []
                for recorder in self._recorders:
                    recorder.records.extend(written)
            except sqlite3.Error as exc:
                self._rollback()
                raise translate_sqlite_error(exc, self.db.path) from exc
            except BaseException:
                self._rollback()
                raise
            finally:
                self._tx_depth = 0

    def _rollback(self) -> None:
        self._hot = self._kept = None  # nothing written in a rolled-back transaction counts
        self._uncommitted = []
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def create(
        self,
        type_name: str,
        values: Record,
        *,
        visibility: str | None = None,
        record_id: str | None = None,
        session: str | None = None,
        as_identity: str | None = None,
    ) -> Record:
        return self.create_change(
            type_name,
            values,
            visibility=visibility,
            record_id=record_id,
            session=session,
            as_identity=as_identity,
        ).written()

    def create_change(
        self, type_name, values, *, visibility=None, record_id=None, session=None, as_identity=None
    ) -> Change:
        """Create a record owned by `as_identity` (default: the primary identity). `visibility`
        None means the school's default for new records (`default_visibility`)."""
        t = record_type(type_name)
        owner = self._writer(as_identity)
        if visibility is None:
            visibility = self.default_visibility(t.name)
        if visibility not in rt.VISIBILITIES:
            raise ValueError(f"unknown visibility {visibility!r}")
        rec: Record = {}
        for name in values:
            if not t.has_field(name):
                raise ValueError(f"{t.name} has no field {name!r}")
        for f in t.fields:
            rec[f.name] = normalise_value(t, f, values.get(f.name))
        for f in t.fields:
            if f.required and _is_blank(f, rec[f.name]):
                raise ValidationError(f.name, N_("This must be filled in."))
        self._refuse_foreign_parent(t, rec, owner)
        now = self.clock.timestamp()
        rec.update(
            id=record_id or _new_uuid(),
            type=t.name,
            owner=owner,
            updated_by=self.device_id,
            rev=1,
            base_rev=0,
            created_at=now,
            updated_at=now,
            deleted=False,
            visibility=visibility,
        )
        with self.transaction():
            self._write(t, rec, insert=True, session=session)
        return Change(records=[(t.name, rec["id"])], record=rec)

    def update(
        self,
        type_name: str,
        record_id: str,
        changes: Record,
        *,
        base_rev: int | None = None,
        session: str | None = None,
        as_identity: str | None = None,
    ) -> Record:
        return self.update_change(
            type_name, record_id, changes, base_rev=base_rev, session=session, as_identity=as_identity
        ).written()

    def update_change(
        self,
        type_name,
        record_id,
        changes,
        *,
        base_rev=None,
        session=None,
        visibility=None,
        as_identity=None,
    ) -> Change:
        """Change fields (and/or the visibility) of a record `as_identity` owns; raises
        ReadOnlyRecordError for another owner's record, ConflictError when `base_rev` is stale."""
        t = record_type(type_name)
        with self.transaction():
            current, current_session = self._hot_or_current(t, record_id, base_rev, as_identity)
            rec = dict(current)
            for name, value in changes.items():
                if not t.has_field(name):
                    raise ValueError(f"{t.name} has no field {name!r}")
                rec[name] = normalise_value(t, t.field(name), value, current.get(name))
            for name in changes:
                f = t.field(name)
                if f.required and _is_blank(f, rec[name]):
                    raise ValidationError(f.name, N_("This must be filled in."))
            if visibility is not None:
                if visibility not in rt.VISIBILITIES:
                    raise ValueError(f"unknown visibility {visibility!r}")
                rec["visibility"] = visibility
            new_hash = content_hash(t, rec)
            if new_hash == current["content_hash"]:
                return Change(records=[], record=current)  # nothing changed: no new rev
            self._bump(rec, current)
            rec["content_hash"] = new_hash
            self._write(
                t,
                rec,
                insert=False,
                session=session,
                previous=current,
                previous_session=current_session,
                changed_fields=[name for name in changes if rec[name] != current.get(name)],
            )
        # data_version changes only with other connections' commits, so this commit kept it.
        version = self._hot[5] if self._hot is not None else self._data_version()
        self._hot = (t.name, record_id, rec, session, self.conn.total_changes, version)
        return Change(records=[(t.name, record_id)], record=rec)

    def _data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def _hot_or_current(
        self, t: RecordType, record_id: str, base_rev: int | None, as_identity: str | None = None
    ) -> tuple[Record, str | None]:
        hot = self._hot
        if (
            hot is not None
            and hot[0] == t.name
            and hot[1] == record_id
            and hot[4] == self.conn.total_changes
            and hot[5] == self._data_version()
        ):
            current = hot[2]
            if current["owner"] != self._writer(as_identity):
                raise ReadOnlyRecordError()
            if base_rev is not None and base_rev != current["rev"]:
                raise ConflictError()
            return dict(current), hot[3]
        self._hot = None
        return self._current_for_write(t, record_id, base_rev, as_identity)

    def set_visibility(
        self, type_name: str, record_id: str, visibility: str, *, as_identity: str | None = None
    ) -> Record:
        return self.update_change(
            type_name, record_id, {}, visibility=visibility, as_identity=as_identity
        ).written()

    def delete(self, type_name: str, record_id: str, *, as_identity: str | None = None) -> Change:
        """Make a tombstone: type, owner, visibility and rev stay; the content goes (history keeps
        the last version, so `undelete` can bring it back)."""
        return self.tombstone(type_name, record_id, as_identity=as_identity)

    def tombstone(
        self,
        type_name: str,
        record_id: str,
        *,
        as_identity: str | None = None,
        drop_history: bool = False,
        last_known: Record | None = None,
        any_owner: bool = False,
    ) -> Change:
        """Make a tombstone of a record: it keeps id, type, owner and visibility, gets the next
        rev, and loses its content (the search rows go at once). The one way to make one:

        - delete: the defaults; only a record `as_identity` owns; history keeps the last version
          so `undelete` can bring it back;
        - purge: `drop_history=True` also removes every kept version (an already deleted record
          may be purged);
        - restore: `any_owner=True` (the whole database is being put back, whoever owns a
          record) and, for a record the restored database does not have, `last_known` — its
          owner, visibility and rev as they were — so the tombstone is inserted with rev + 1.
        """
        t = record_type(type_name)
        with self.transaction():
            row = self.conn.execute(f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)).fetchone()
            if row is None:
                if last_known is None:
                    raise RecordNotFoundError()
                now = self.clock.timestamp()
                rec = {
                    "id": record_id,
                    "type": t.name,
                    "owner": last_known["owner"],
                    "updated_by": self.device_id,
                    "rev": int(last_known["rev"]) + 1,
                    "base_rev": int(last_known["rev"]),
                    "created_at": last_known.get("created_at") or now,
                    "updated_at": now,
                    "deleted": True,
                    "visibility": last_known.get("visibility") or "private",
                }
                for f in t.fields:
                    rec[f.name] = _empty(f)
                if not any_owner and rec["owner"] != self._writer(as_identity):
                    raise ReadOnlyRecordError()
                self._write(t, rec, insert=True, session=None, keep_history=False)
                return Change(records=[(t.name, record_id)], record=rec)
            current = _from_row(t, row)
            if not any_owner and current["owner"] != self._writer(as_identity):
                raise ReadOnlyRecordError()
            if current["deleted"] and not (drop_history or any_owner):
                raise RecordNotFoundError()
            rec = {k: current[k] for k in rt.COMMON_FIELDS}
            for f in t.fields:
                rec[f.name] = _empty(f)
            rec["deleted"] = True
            self._bump(rec, current)
            if drop_history:
                self.conn.execute("DELETE FROM history WHERE record_id = ?", (record_id,))
            self._write(
                t,
                rec,
                insert=False,
                session=None,
                keep_history=not drop_history and not current["deleted"],
                previous=current,
                previous_session=row["edit_session"],
            )
        return Change(records=[(t.name, record_id)], record=rec)

    # versions from elsewhere ------------------------------------------------------------------

    def check_incoming(self, version: Record) -> tuple[RecordType, Record]:
        """Check a record version that arrived from elsewhere against its type and normalise it
        the way a save would; fields this version does not know are kept. Raises
        IncomingRecordError (nothing written) for an unknown type, a wrong common field, a
        field of the wrong kind, a tombstone that still has content, or a content hash that does
        not match (or was made by a newer hash version)."""
        if not isinstance(version, dict):
            raise IncomingRecordError(reason=N_("it is not a record"))
        type_name = version.get("type")
        t = rt.RECORD_TYPES.get(type_name) if isinstance(type_name, str) else None
        if t is None:
            raise IncomingRecordError(reason=N_("its type is not one this version knows"))
        rec: Record = {}
        for name in ("id", "owner", "updated_by", "created_at", "updated_at", "content_hash"):
            value = version.get(name)
            if not isinstance(value, str) or not value or len(value) > 200:
                raise IncomingRecordError(reason=N_("a common field is missing or wrong"))
            rec[name] = value
        rev, base_rev = version.get("rev"), version.get("base_rev")
        if isinstance(rev, bool) or not isinstance(rev, int) or rev < 1:
            raise IncomingRecordError(reason=N_("a common field is missing or wrong"))
        if base_rev is not None and (
            isinstance(base_rev, bool) or not isinstance(base_rev, int) or not 0 <= base_rev < rev
        ):
            raise IncomingRecordError(reason=N_("a common field is missing or wrong"))
        if not isinstance(version.get("deleted"), bool):
            raise IncomingRecordError(reason=N_("a common field is missing or wrong"))
        if version.get("visibility") not in rt.VISIBILITIES:
            raise IncomingRecordError(reason=N_("a common field is missing or wrong"))
        rec.update(
            type=t.name,
            rev=rev,
            base_rev=base_rev,
            deleted=version["deleted"],
            visibility=version["visibility"],
        )
        for f in t.fields:
            try:
                rec[f.name] = normalise_value(t, f, version.get(f.name))
            except (TypeError, ValueError, AttributeError, UserFacingError):
                raise IncomingRecordError(reason=N_("a field holds the wrong kind of value")) from None
        for key, value in version.items():
            if key in rec or key in _KNOWN_KEYS[t.name]:
                continue
            try:
                canonical_json(value)
            except (TypeError, ValueError):
                raise IncomingRecordError(reason=N_("a field holds the wrong kind of value")) from None
            rec[key] = value
        if rec["deleted"] and any(
            not _is_empty_value(value)
            for key, value in rec.items()
            if key not in rt.COMMON_FIELDS
        ):
            raise IncomingRecordError(reason=N_("a deleted record still has content"))
        if hash_version(rec["content_hash"]) != 2:
            raise IncomingRecordError(reason=N_("it was made by a newer version of the app"))
        try:
            expected = content_hash(t, rec)
        except ValueError:  # a value RFC 8785 cannot write (a huge integer, a lone surrogate)
            raise IncomingRecordError(reason=N_("a field holds the wrong kind of value")) from None
        if expected != rec["content_hash"]:
            raise IncomingRecordError(reason=N_("its content does not match the check made when it was written"))
        return t, rec

    def apply_incoming(self, version: Record, *, checked: bool = False) -> Applied:
        """Apply a record version made elsewhere (an import), exactly as it was made: its owner,
        rev, base_rev, updated_by, timestamps, visibility and tombstone flag are kept; its
        content hash is verified (`check_incoming`). In the caller's transaction if there is one.

        Writes only when the record is new here or the version's rev is higher than ours; the
        version replaced is kept in history, except when a tombstone of another owner's record
        arrives (a withdrawal): then every kept version of it is dropped too. Appends to the
        change log and leaves the search rows to follow as after any save. Never writes over a
        different version with the same rev (CONFLICT) and never changes a record's owner.

        `checked=True` says `version` is the record `check_incoming` returned, unchanged (the
        exchange checks every record of a bundle before its transaction): it is not checked
        again."""
        t, rec = self._checked(version, checked)
        return self._apply_checked(t, rec)

    def apply_incoming_many(
        self, versions: Iterable[Record], *, checked: bool = False
    ) -> builtins.list[Applied]:
        """`apply_incoming` for many versions in one transaction (the caller's, if open), with
        the same outcomes as applying them one after the other; every version is checked before
        anything is written (unless `checked`, as for `apply_incoming`). Records new here are
        inserted in batches, so their change-log entries may come after those of the records
        that replaced a version here (all in one transaction, so no reader sees the order)."""
        pairs = [self._checked(version, checked) for version in versions]
        results: builtins.list[Applied] = []
        with self.transaction():
            held = self._held_ids(pairs)
            seen: set[str] = set()
            pending: dict[str, builtins.list[Record]] = {}
            for t, rec in pairs:
                record_id = rec["id"]
                if record_id in held or record_id in seen:
                    self._insert_new(pending)  # the same id twice: what the first wrote counts
                    results.append(self._apply_checked(t, rec))
                else:
                    pending.setdefault(t.name, []).append(rec)
                    results.append(Applied(NEW, rec))
                seen.add(record_id)
            self._insert_new(pending)
        return results

    def _checked(self, version: Record, checked: bool) -> tuple[RecordType, Record]:
        if checked:
            return rt.RECORD_TYPES[version["type"]], version
        return self.check_incoming(version)

    def _held_ids(self, pairs: builtins.list[tuple[RecordType, Record]]) -> set[str]:
        """The ids among these records that have a row here (a few queries per type)."""
        by_type: dict[str, builtins.list[str]] = {}
        for t, rec in pairs:
            by_type.setdefault(t.name, []).append(rec["id"])
        held: set[str] = set()
        for type_name, ids in by_type.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                held.update(
                    row[0]
                    for row in self.conn.execute(
                        f'SELECT id FROM "{type_name}" WHERE id IN ({marks})', chunk
                    )
                )
        return held

    def _insert_new(self, pending: dict[str, builtins.list[Record]]) -> None:
        """Insert checked versions of records not here yet, one statement per type (what
        `_write(insert=True, keep_history=False)` does for one); empties `pending`."""
        for type_name, recs in pending.items():
            t = record_type(type_name)
            rows = [self._row(t, rec) for rec in recs]
            for row in rows:
                row["edit_session"] = None
            names = list(rows[0])
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" for _ in names)
            self.conn.executemany(
                f'INSERT INTO "{t.name}" ({quoted}) VALUES ({marks})',
                ([row[n] for n in names] for row in rows),
            )
            self.conn.executemany(
                "INSERT INTO change_log (epoch, record_id, type, rev, changed_at) VALUES (?, ?, ?, ?, ?)",
                ((self.epoch, rec["id"], t.name, rec["rev"], rec["updated_at"]) for rec in recs),
            )
            self._uncommitted.extend((t.name, rec["id"]) for rec in recs)
            for rec in recs:
                if rec["deleted"]:
                    self._unindex(rec["id"])
        pending.clear()

    def _apply_checked(self, t: RecordType, rec: Record) -> Applied:
        with self.transaction():
            here = self.conn.execute(
                f'SELECT owner, rev, content_hash FROM "{t.name}" WHERE id = ?', (rec["id"],)
            ).fetchone()
            if here is not None and here[0] == rec["owner"] and here[1] == rec["rev"] and here[2] == rec["content_hash"]:
                return Applied(UNCHANGED, rec)  # the same version is here (a re-import): cheap
            row = None if here is None else self.conn.execute(
                f'SELECT * FROM "{t.name}" WHERE id = ?', (rec["id"],)
            ).fetchone()
            if row is None:
                self._write(t, rec, insert=True, session=None, keep_history=False, hashed=True)
                return Applied(NEW, rec)
            current = _from_row(t, row)
            if current["owner"] != rec["owner"]:
                raise IncomingRecordError(reason=N_("it names a different owner for a record already here"))
            if rec["rev"] < current["rev"]:
                return Applied(OLDER, current, current)
            foreign = rec["owner"] not in self.identity_ids
            if rec["rev"] == current["rev"]:
                if rec["content_hash"] == current["content_hash"]:
                    return Applied(UNCHANGED, current, current)
                # Another owner's tombstone at the rev we hold is that owner withdrawing the
                # record from us (it left what we may see, unchanged): nobody here can have
                # edited it, so it is no conflict. Between our own laptops it still is one.
                if not (foreign and rec["deleted"] and not current["deleted"]):
                    return Applied(CONFLICT, current, current)
            withdrawal = rec["deleted"] and foreign
            if withdrawal:
                self.conn.execute("DELETE FROM history WHERE record_id = ?", (rec["id"],))
            self._write(
                t,
                rec,
                insert=False,
                session=None,
                keep_history=not withdrawal and not current["deleted"],
                previous=current,
                previous_session=row["edit_session"],
                hashed=True,  # verified by check_incoming
            )
        return Applied(CHANGED, rec, current)

    def undelete(self, type_name: str, record_id: str, *, as_identity: str | None = None) -> Change:
        """Undo a delete: the record comes back as its last saved version, with a new rev."""
        t = record_type(type_name)
        with self.transaction():
            row = self.conn.execute(
                f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)
            ).fetchone()
            if row is None or not row["deleted"]:
                raise RecordNotFoundError()
            current = _from_row(t, row)
            if current["owner"] != self._writer(as_identity):
                raise ReadOnlyRecordError()
            last = self.conn.execute(
                "SELECT content FROM history WHERE record_id = ? ORDER BY rev DESC LIMIT 1",
                (record_id,),
            ).fetchone()
            if last is None:
                raise RecordNotFoundError()
            rec = _with_content(current, last["content"])
            rec["deleted"] = False
            self._bump(rec, current)
            self._write(t, rec, insert=False, session=None, keep_history=False)
        return Change(records=[(t.name, record_id)], record=rec)

    def restore_version(
        self,
        type_name: str,
        record_id: str,
        history_id: int | None,
        *,
        session: str | None = None,
        as_identity: str | None = None,
    ) -> Change:
        """Make an earlier saved version the current one (as a new rev; history is never rewritten)."""
        t = record_type(type_name)
        if history_id is None:  # the current version already
            return Change(records=[], record=self.require(type_name, record_id))
        with self.transaction():
            current, current_session = self._current_for_write(t, record_id, None, as_identity)
            row = self.conn.execute(
                "SELECT content FROM history WHERE rev = ? AND record_id = ?",
                (history_id, record_id),
            ).fetchone()
            if row is None:
                raise RecordNotFoundError()
            rec = _with_content(current, row["content"])
            if content_hash(t, rec) == current["content_hash"]:
                return Change(records=[], record=current)
            self._bump(rec, current)
            self._write(
                t,
                rec,
                insert=False,
                session=session or f"restore-{_new_uuid()}",
                previous=current,
                previous_session=current_session,
            )
        return Change(records=[(t.name, record_id)], record=rec)

    def _current_for_write(
        self, t: RecordType, record_id: str, base_rev: int | None, as_identity: str | None = None
    ) -> tuple[Record, str | None]:
        """The record as it is now, and the editing session that wrote it."""
        row = self.conn.execute(f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)).fetchone()
        if row is None or row["deleted"]:
            raise RecordNotFoundError()
        current = _from_row(t, row)
        if current["owner"] != self._writer(as_identity):
            raise ReadOnlyRecordError()
        if base_rev is not None and base_rev != current["rev"]:
            raise ConflictError()
        return current, row["edit_session"]

    def _bump(self, rec: Record, current: Record) -> None:
        rec["rev"] = current["rev"] + 1
        rec["base_rev"] = current["rev"]
        rec["updated_by"] = self.device_id
        rec["updated_at"] = self.clock.timestamp()

    def _row(self, t: RecordType, rec: Record, *, sort_keys: bool = True) -> dict[str, Any]:
        extra = {k: v for k, v in rec.items() if k not in _COMMON and not t.has_field(k)}
        row = {k: rec[k] for k in rt.COMMON_FIELDS if k != "type"}
        row["deleted"] = 1 if rec["deleted"] else 0
        row["extra"] = canonical_json(extra) if extra else None
        row.update(_to_columns(t, rec))
        if t.title_field and sort_keys:
            row["sort_cy"], row["sort_en"] = (
                _sort_keys(t, rec) if not rec["deleted"] else (None, None)
            )
        return row

    def _write(
        self,
        t: RecordType,
        rec: Record,
        *,
        insert: bool,
        session: str | None,
        keep_history: bool = True,
        previous: Record | None = None,
        previous_session: str | None = None,
        changed_fields: builtins.list[str] | None = None,
        hashed: bool = False,
    ) -> None:
        """Write a record row, its change-log entry and history version; a deleted record leaves
        the search index at once, other search rows follow in flush_search_index().
        With `previous` (the row as it was), only the columns that changed are written, so
        unchanged indexes and sort keys are left alone. The caller holds the transaction."""
        if changed_fields is None and not hashed:
            rec["content_hash"] = content_hash(t, rec)
        if insert or previous is None:
            row = self._row(t, rec)
        elif changed_fields is not None:
            # The fast path for edits: only what changed, computed directly.
            row = {
                k: rec[k] for k in ("rev", "base_rev", "content_hash", "updated_by", "updated_at")
            }
            if rec["visibility"] != previous["visibility"]:
                row["visibility"] = rec["visibility"]
            row.update(_to_columns(t, rec, changed_fields))
            if t.title_field and t.title_field in changed_fields:
                row["sort_cy"], row["sort_en"] = _sort_keys(t, rec)
            row["id"] = rec["id"]
        else:
            before = self._row(t, previous, sort_keys=False)
            title_changed = t.title_field is not None and (
                rec.get(t.title_field) != previous.get(t.title_field)
                or rec["deleted"] != previous["deleted"]
            )
            row = {
                k: v
                for k, v in self._row(t, rec, sort_keys=title_changed).items()
                if k not in before or before[k] != v
            }
            row["id"] = rec["id"]
        row["edit_session"] = session
        names = list(row)
        if insert:
            quoted = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join("?" for _ in names)
            self.conn.execute(
                f'INSERT INTO "{t.name}" ({quoted}) VALUES ({marks})', [row[n] for n in names]
            )
        else:
            sets = ", ".join(f'"{n}" = ?' for n in names if n != "id")
            self.conn.execute(
                f'UPDATE "{t.name}" SET {sets} WHERE id = ?',
                [row[n] for n in names if n != "id"] + [rec["id"]],
            )
        self.conn.execute(
            "INSERT INTO change_log (epoch, record_id, type, rev, changed_at) VALUES (?, ?, ?, ?, ?)",
            (self.epoch, rec["id"], t.name, rec["rev"], rec["updated_at"]),
        )
        self._uncommitted.append((t.name, rec["id"]))
        if (
            keep_history
            and previous is not None
            and (session is None or session != previous_session)
        ):
            self._keep_version(t, previous, previous_session)
        if rec["deleted"]:
            self._unindex(rec["id"])  # a deleted record leaves search at once

    def _indexed_seq(self) -> int:
        return int(self.db.meta("search_indexed_seq", "0"))

    def pending_search_updates(self) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM change_log WHERE seq > ?", (self._indexed_seq(),)
        ).fetchone()[0]

    def flush_search_index(self) -> int:
        """Bring the search index up to date with the change log; returns how many records.

        Runs in its own transaction after saves (the GUI's worker does it when typing pauses; the
        CLI before searching). It needs no fsync of its own: if power fails first, the change-log
        entries committed with the saves are still there and the work is simply done again."""
        with self._lock:
            done = self._indexed_seq()
            last = self.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            if last <= done:
                return 0
            self.conn.execute("PRAGMA synchronous = NORMAL")
            try:
                with self.transaction():
                    changed = self.conn.execute(
                        "SELECT DISTINCT record_id, type FROM change_log WHERE seq > ? AND seq <= ?",
                        (done, last),
                    ).fetchall()
                    for record_id, type_name in changed:
                        if type_name == "_epoch":
                            continue
                        t = record_type(type_name)
                        row = self.conn.execute(
                            f'SELECT * FROM "{t.name}" WHERE id = ?', (record_id,)
                        ).fetchone()
                        if row is None or row["deleted"] or not t.searchable:
                            self._unindex(record_id)
                        else:
                            self._index(t, _from_row(t, row))
                    self.db.set_meta("search_indexed_seq", str(last))
            finally:
                self.conn.execute("PRAGMA synchronous = FULL")
            return len(changed)

    def search(self, text: str, *, lang: str = "cy", limit: int = 50, offset: int = 0, owners: Iterable[str] | str | None = None):
        """Search after bringing the index up to date (see `core.search`): the viewing scope's
        workspace records unless `owners` names others ("any" for every owner's)."""
        from selfeval_app.core.search import search

        self.flush_search_index()
        owners = owners if owners is not None else self.view_owners
        return search(self.conn, text, lang=lang, limit=limit, offset=offset, owners=owners)

    def close(self) -> None:
        """Finish pending index work and close the database."""
        try:
            self.flush_search_index()
        finally:
            self.db.close()

    def _keep_version(self, t: RecordType, rec: Record, session: str | None) -> None:
        """Keep a version that is about to be replaced by another editing session's save. The
        current row is always the newest version, so saves within one session write no history."""
        if self._kept == (rec["id"], rec["rev"]):
            return  # begin_session() already kept it
        content = canonical_json(content_of(t, rec))
        self.conn.execute(
            "INSERT OR IGNORE INTO history (record_id, rev, type, session, saved_at, updated_by, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rec["id"], rec["rev"], t.name, session, rec["updated_at"], rec["updated_by"], content),
        )
        self._kept = (rec["id"], rec["rev"])

    def begin_session(self, type_name: str, record_id: str, session: str) -> None:
        """Start an editing session on a record (the GUI calls this on the first keystroke, on its
        database worker, while the autosave waits for typing to pause). The version the session
        will replace is kept in history now, so each of the session's saves writes only the record
        and the change log. Calling it again, or saving without it, is safe."""
        t = record_type(type_name)
        with self.transaction():
            current, current_session = self._hot_or_current(t, record_id, None)
            if current_session != session:
                self._keep_version(t, current, current_session)
        self._hot = (
            t.name,
            record_id,
            current,
            current_session,
            self.conn.total_changes,
            self._data_version(),
        )

    def _index(self, t: RecordType, rec: Record) -> None:
        existing = dict(
            self.conn.execute(
                "SELECT lang, rowid FROM search_docs WHERE record_id = ?", (rec["id"],)
            ).fetchall()
        )
        for rowid in existing.values():
            self.conn.execute("DELETE FROM search_index WHERE rowid = ?", (rowid,))
        for lang in rt.LANGS:
            title, body = searchable_text(t, rec, lang) if not rec["deleted"] else ("", "")
            rowid = existing.get(lang)
            if not title and not body:
                if rowid is not None:
                    self.conn.execute("DELETE FROM search_docs WHERE rowid = ?", (rowid,))
                continue
            if rowid is None:
                rowid = self.conn.execute(
                    "INSERT INTO search_docs (record_id, type, lang) VALUES (?, ?, ?)",
                    (rec["id"], t.name, lang),
                ).lastrowid
            self.conn.execute(
                "INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)",
                (rowid, title, body),
            )

    def _unindex(self, record_id: str) -> None:
        rowids = [
            r[0]
            for r in self.conn.execute(
                "SELECT rowid FROM search_docs WHERE record_id = ?", (record_id,)
            )
        ]
        for rowid in rowids:
            self.conn.execute("DELETE FROM search_index WHERE rowid = ?", (rowid,))
        if rowids:
            self.conn.execute("DELETE FROM search_docs WHERE record_id = ?", (record_id,))

    def reindex_all(self) -> None:
        """Rebuild the search index from the records (after a restore or an import)."""
        with self.transaction():
            self.conn.execute("DELETE FROM search_index")
            self.conn.execute("DELETE FROM search_docs")
            last = self.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            self.db.set_meta("search_indexed_seq", str(last))
            for t in rt.RECORD_TYPES.values():
                for row in self.conn.execute(
                    f'SELECT * FROM "{t.name}" WHERE deleted = 0'
                ).fetchall():
                    self._index(t, _from_row(t, row))


def _with_content(current: Record, content_json: str) -> Record:
    """The current record (common fields) carrying a kept version's content."""
    content = json.loads(content_json)
    rec = dict(current)
    rec.update(content.pop("extra", {}))
    rec.update(content)
    return rec


def _is_blank(f: rt.Field, value: Any) -> bool:
    if f.kind == rt.BITEXT:
        return not ((value or {}).get("cy", "").strip() or (value or {}).get("en", "").strip())
    if f.kind in (rt.TEXT,):
        return not (value or "").strip()
    return value is None


def _is_empty_value(value: Any) -> bool:
    if value is None or value is False or value == "" or value == []:
        return True
    return isinstance(value, dict) and all(_is_empty_value(v) for v in value.values())
