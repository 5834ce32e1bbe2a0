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
from selfeval_app.core.db_health import (
    check_folder_shape,
    check_writable,
    error_from_oserror,
    error_from_sqlite,
    inspect_database,
    open_read_only,
)
from selfeval_app.core.errors import DataFolderError, NetworkFolderError
from selfeval_app.core.i18n import N_
from selfeval_app.core.paths import check_data_folder, database_path
from selfeval_app.core.sqlite_uri import sqlite_uri

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


def translate_sqlite_error(exc: sqlite3.Error, db_path: Path | str = "") -> Exception:
    """Turn a storage failure into an error the user can read (see `db_health.error_from_sqlite`)."""
    return error_from_sqlite(exc, db_path)


def inspect_existing(db_path: Path) -> list[str]:
    """Read-only look at an existing database: the applied migrations. Refuses a newer one, and
    says what is wrong with one that is locked, unreadable, damaged, empty or not ours."""
    return inspect_database(db_path) or []


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
        return open_read_only(self.path)

    def close(self, *, optimize: bool = True) -> None:
        """Close the writer; `optimize=False` for commands that only read (they write nothing)."""
        if optimize:
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

    try:
        is_dir = data_dir.is_dir()
    except OSError:  # e.g. a name too long: _open_database says so in the user's words
        is_dir = False
    if is_dir:
        # A folder or database that is refused is left as it was: no lock file is made in it.
        refuse_unusable(data_dir, create=create)
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


def refuse_unusable(data_dir: Path, *, create: bool) -> list[str] | None:
    """Raise the user's error for a folder or database that must not be opened (wrong shape, a
    network folder, a name too long, a database that is damaged, empty, foreign or newer), reading
    only; else the migrations the database has (None: no database yet)."""
    try:
        check_folder_shape(data_dir)
        check = check_data_folder(data_dir)
    except OSError as exc:
        raise (error_from_oserror(exc, data_dir) or DataFolderError(path=str(data_dir), reason=exc.strerror or str(exc))) from exc
    if check.refused:
        raise NetworkFolderError(path=str(data_dir))
    found = inspect_database(database_path(data_dir))
    if found is None and not create:
        raise DataFolderError(path=str(data_dir), reason=N_("there is no school data in it yet"))
    return found


def _open_database(data_dir: Path, *, create: bool = True, backup_before_migrating: bool = True) -> Database:
    data_dir = Path(data_dir).expanduser()
    found = refuse_unusable(data_dir, create=create)
    db_path = database_path(data_dir)
    exists = found is not None
    applied: list[str] = found or []
    check_writable(db_path)
    pending = [name for name, _ in schema.MIGRATIONS if name not in applied]
    if exists and applied and pending and backup_before_migrating:
        from selfeval_app.core.backup import make_backup

        make_backup(data_dir, reason="before-migration")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise (error_from_oserror(exc, data_dir) or DataFolderError(path=str(data_dir), reason=exc.strerror or str(exc))) from exc
    conn = None
    try:
        conn = sqlite3.connect(sqlite_uri(db_path, mode="rwc"), uri=True, isolation_level=None, check_same_thread=False)
        apply_pragmas(conn)
        if pending:
            _migrate(conn)
        db = Database(data_dir, conn)
        _ensure_meta(db)
        _finish_pending_purge(db)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise translate_sqlite_error(exc, db_path) from exc
    return db


def _finish_pending_purge(db: Database) -> None:
    """A purge that could not empty the WAL (another reader was open) is finished now. The purge
    module is imported only when one is pending (it is not needed at every start)."""
    if db.conn.execute("SELECT 1 FROM meta WHERE key = 'purge_pending'").fetchone() is None:
        return
    from selfeval_app.core.purge import finish_pending_purge

    finish_pending_purge(db)


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
