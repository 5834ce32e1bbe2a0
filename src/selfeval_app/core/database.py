"""Opening the database safely (DESIGN §5).

Order of work when opening a data folder:
1. refuse a network folder (SQLite's WAL is unsafe there);
2. if a database exists, look at it read-only first: a migration this version does not know means
   a newer app wrote it, and it is refused untouched (byte-identical);
3. if migrations are pending on an existing database, back it up first;
4. open the one writer connection: WAL, synchronous=FULL, secure_delete on, and migrate.

Readers (the GUI's item models, the CLI's search) open their own read-only connections.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, overload

from selfeval_app.core import schema
from selfeval_app.core.errors import (
    DataFolderError,
    NetworkFolderError,
    NewerDatabaseError,
    NotADatabaseError,
    StorageError,
    StorageFullError,
)
from selfeval_app.core.i18n import N_
from selfeval_app.core.paths import check_data_folder, database_path

if TYPE_CHECKING:
    from selfeval_app.core.writer_lock import WriterLock

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA secure_delete = ON",  # purge must leave no trace in freed pages (DESIGN §4)
    "PRAGMA foreign_keys = OFF",
    "PRAGMA busy_timeout = 5000",
)


def apply_pragmas(conn: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        conn.execute(pragma)


def translate_sqlite_error(exc: sqlite3.Error) -> Exception:
    """Turn a storage failure into an error the user can read."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and ("disk is full" in text or "database or disk is full" in text):
        return StorageFullError()
    if "not a database" in text or "malformed" in text:
        return NotADatabaseError(path="")
    return StorageError(reason=str(exc))


def _applied_migrations(conn: sqlite3.Connection) -> tuple[list[str], int]:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (schema.MIGRATIONS_TABLE,)
    ).fetchone()
    names: list[str] = []
    if has_table:
        names = [
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {schema.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                (schema.MIGRATION_SET,),
            )
        ]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    return names, user_version


def inspect_existing(db_path: Path) -> list[str]:
    """Read-only look at an existing database: the applied migrations. Refuses a newer one."""
    from selfeval_app.core.sqlite_uri import readonly_uri  # restore stages inside the data folder

    uri = readonly_uri(db_path.resolve())
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise NotADatabaseError(path=str(db_path)) from exc
    try:
        try:
            names, user_version = _applied_migrations(conn)
        except sqlite3.DatabaseError as exc:
            raise NotADatabaseError(path=str(db_path)) from exc
    finally:
        conn.close()
    unknown = [n for n in names if n not in schema.KNOWN_MIGRATIONS]
    if unknown or user_version > schema.SCHEMA_VERSION:
        raise NewerDatabaseError()
    return names


class Database:
    """One data folder's database: the writer connection plus a way to open readers."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection):
        self.data_dir = Path(data_dir)
        self.path = database_path(self.data_dir)
        self.conn = conn
        self.writer_lock: WriterLock | None = None  # held shared while open (see core/writer_lock.py)

    @overload
    def meta(self, key: str) -> str | None: ...
    @overload
    def meta(self, key: str, default: str) -> str: ...
    @overload
    def meta(self, key: str, default: str | None) -> str | None: ...

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value (the caller holds a transaction)."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def reader(self) -> sqlite3.Connection:
        """A new read-only connection for paging rows (one per thread)."""
        uri = "file:" + self.path.resolve().as_posix() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        return conn

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.conn.close()
        if self.writer_lock is not None:
            self.writer_lock.release()


def open_database(data_dir: Path, *, create: bool = True, backup_before_migrating: bool = True) -> Database:
    """Open the data folder's database, holding its writer lock (shared) until `close()`; refused
    while a restore holds the lock."""
    from selfeval_app.core.errors import RestoreInProgressError
    from selfeval_app.core.writer_lock import WriterLock

    data_dir = Path(data_dir).expanduser()
    lock = WriterLock(data_dir)

    def take_lock() -> None:
        try:
            if not lock.acquire_shared():
                raise RestoreInProgressError()
        except OSError:
            pass  # a read-only folder: nothing can be written there anyway

    if data_dir.is_dir():
        take_lock()
    try:
        db = _open_database(data_dir, create=create, backup_before_migrating=backup_before_migrating)
        if not lock.held:
            try:
                take_lock()
            except BaseException:
                db.conn.close()
                raise
    except BaseException:
        lock.release()
        raise
    db.writer_lock = lock
    return db


def _open_database(data_dir: Path, *, create: bool = True, backup_before_migrating: bool = True) -> Database:
    data_dir = Path(data_dir).expanduser()
    check = check_data_folder(data_dir)
    if check.refused:
        raise NetworkFolderError(path=str(data_dir))
    db_path = database_path(data_dir)
    exists = db_path.exists() and db_path.stat().st_size > 0
    if not exists and not create:
        raise DataFolderError(path=str(data_dir), reason=N_("there is no school data in it yet"))
    applied: list[str] = []
    if exists:
        applied = inspect_existing(db_path)
    pending = [name for name, _ in schema.MIGRATIONS if name not in applied]
    if exists and applied and pending and backup_before_migrating:
        from selfeval_app.core.backup import make_backup

        make_backup(data_dir, reason="before-migration")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFolderError(path=str(data_dir), reason=exc.strerror or str(exc)) from exc
    try:
        conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        apply_pragmas(conn)
        if pending:
            _migrate(conn)
        db = Database(data_dir, conn)
        _ensure_meta(db)
    except sqlite3.Error as exc:
        raise translate_sqlite_error(exc) from exc
    return db


def _migrate(conn: sqlite3.Connection) -> None:
    import sqlite_utils

    migrations = schema.sqlite_utils_migrations()
    migrations.apply(sqlite_utils.Database(conn))
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")


def _ensure_meta(db: Database) -> None:
    from selfeval_app.core.identities import ensure_primary_identity

    owner = db.meta("school_owner")
    if owner is not None and db.conn.execute("SELECT 1 FROM identity WHERE id = ?", (owner,)).fetchone():
        return
    import uuid  # only for a new database: importing it costs at every start

    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if db.meta("school_owner") is None:
            db.set_meta("school_owner", str(uuid.uuid4()))
            db.set_meta("database_id", str(uuid.uuid4()))
            db.set_meta("epoch", "1")
        ensure_primary_identity(db)
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
