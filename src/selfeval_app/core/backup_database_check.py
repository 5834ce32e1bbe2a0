"""Checking the database inside a backup before it may replace the school's data.

Refused: an empty or non-SQLite file, any damage SQLite finds, a schema that is not exactly the one
our migrations make (no extra tables, triggers or views: they would be copied into the live
database and keep running), a database made by a newer version, one without its owner and epoch,
and rows whose stored content hash does not match their content (a restore must not "launder" a
tampered row by writing it again with a fresh hash).
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core import schema
from selfeval_app.core.backup_archive import DamagedBackup, NewerBackup
from selfeval_app.core.i18n import N_
from selfeval_app.core.sqlite_uri import readonly_uri

_SQLITE_HEADER = b"SQLite format 3\x00"
# Tables SQLite itself may add (PRAGMA optimize / ANALYZE); they hold statistics only.
_SQLITE_OWN = ("sqlite_stat1", "sqlite_stat4")


def _schema_rows(conn: sqlite3.Connection) -> set[tuple]:
    """sqlite_master's rows; the migrations table by its columns, not its SQL text, which is
    sqlite-utils' to choose and may differ between the version that made the backup and ours."""
    rows = set()
    for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"):
        if name in _SQLITE_OWN:
            continue
        if table == schema.MIGRATIONS_TABLE and kind in ("table", "index"):
            columns = tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{schema.MIGRATIONS_TABLE}")'))
            rows.add((kind, name if kind == "table" else "(index)", table, columns))
            continue
        rows.add((kind, name, table, sql))
    return rows


@functools.cache
def expected_schema(migration_names: tuple[str, ...]) -> frozenset[tuple]:
    """sqlite_master as our migrations (the first len(names) of them) make it."""
    from sqlite_utils.migrations import Migrations

    conn = sqlite3.connect(":memory:")
    try:
        import sqlite_utils

        migrations = Migrations(schema.MIGRATION_SET)
        for name, fn in schema.MIGRATIONS[: len(migration_names)]:

            def apply(db: Any, fn: Callable[[sqlite3.Connection], None] = fn) -> None:
                fn(db.conn)

            migrations(name=name)(apply)
        migrations.apply(sqlite_utils.Database(conn))
        return frozenset(_schema_rows(conn))
    finally:
        conn.close()


def _applied_migrations(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        f"SELECT migration_set, name FROM {schema.MIGRATIONS_TABLE} ORDER BY rowid"
    ).fetchall()
    if any(not isinstance(s, str) or not isinstance(n, str) for s, n in rows):
        raise DamagedBackup(N_("its database is not a Hunanwerthuso database"))
    return [n for s, n in rows if s == schema.MIGRATION_SET]


def _check_meta(conn: sqlite3.Connection) -> None:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    for key in ("school_owner", "database_id"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise DamagedBackup(N_("its database has no owner"))
    epoch = meta.get("epoch")
    if not isinstance(epoch, str) or not epoch.isdigit() or int(epoch) < 1:
        raise DamagedBackup(N_("its database is damaged"))


def _check_records(conn: sqlite3.Connection) -> None:
    from selfeval_app.core.records import _from_row, content_hash

    conn.row_factory = sqlite3.Row
    try:
        for t in rt.RECORD_TYPES.values():
            for row in conn.execute(f'SELECT * FROM "{t.name}"'):
                try:
                    rec = _from_row(t, row)
                    if not isinstance(rec["rev"], int) or rec["rev"] < 1 or not isinstance(rec["id"], str):
                        raise DamagedBackup(N_("its database is damaged"))
                    matches = content_hash(t, rec) == rec["content_hash"]
                except (ValueError, TypeError, KeyError, AttributeError, RecursionError, UnicodeDecodeError):
                    raise DamagedBackup(N_("its database is damaged")) from None
                if not matches:
                    raise DamagedBackup(N_("a record in it has been changed outside the app"))
    finally:
        conn.row_factory = None
    # Earlier versions and the change log carry no content hash: check they are well formed.
    types = set(rt.RECORD_TYPES)
    for type_name, content in conn.execute("SELECT type, content FROM history"):
        try:
            ok = type_name in types and isinstance(json.loads(content), dict)
        except (TypeError, ValueError, RecursionError):
            ok = False
        if not ok:
            raise DamagedBackup(N_("its database is damaged"))
    for type_name, rev, epoch in conn.execute("SELECT type, rev, epoch FROM change_log"):
        if type_name not in types | {"_epoch"} or not isinstance(rev, int) or not isinstance(epoch, int):
            raise DamagedBackup(N_("its database is damaged"))


def check_staged_database(path: Path) -> None:
    """Raise DamagedBackup or NewerBackup unless `path` is a sound database of ours."""
    with open(path, "rb") as f:
        header = f.read(len(_SQLITE_HEADER))
    if not header:
        raise DamagedBackup(N_("its database is empty"))
    if header != _SQLITE_HEADER:
        raise DamagedBackup(N_("its database is not a Hunanwerthuso database"))
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
    except sqlite3.Error:
        raise DamagedBackup(N_("its database is damaged")) from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        for pragma in ("quick_check", "integrity_check"):
            if [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()] != ["ok"]:
                raise DamagedBackup(N_("its database is damaged"))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if schema.MIGRATIONS_TABLE not in tables:
            raise DamagedBackup(N_("its database is not a Hunanwerthuso database"))
        names = _applied_migrations(conn)
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        if any(n not in schema.KNOWN_MIGRATIONS for n in names) or user_version > schema.SCHEMA_VERSION:
            raise NewerBackup()
        known_order = [name for name, _ in schema.MIGRATIONS]
        if not names or names != known_order[: len(names)]:
            raise DamagedBackup(N_("its database is not a Hunanwerthuso database"))
        if _schema_rows(conn) != expected_schema(tuple(names)):
            raise DamagedBackup(N_("the tables in its database are not the app's, or it holds triggers or views"))
        _check_meta(conn)
        _check_records(conn)
        try:
            conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc):
                raise DamagedBackup(N_("its database is damaged")) from None
    except sqlite3.DatabaseError:
        raise DamagedBackup(N_("its database is damaged")) from None
    finally:
        conn.close()
