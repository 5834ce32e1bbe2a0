"""What is wrong with a data folder or its database file, told apart in words a user can act on.

Locked (another program holds it), read-only, unreadable (permissions), damaged, empty (0 bytes),
another program's SQLite file, a newer app's data and a full disk each get their own message: a
user told "damaged" may restore an old backup over good data, so "damaged" is said only when the
file itself is. Everything here only reads; nothing creates or changes a file.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from selfeval_app.core import schema
from selfeval_app.core.errors import (
    DamagedDatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseUnreadableError,
    DataFolderError,
    DiskIOError,
    EmptyDatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    PathTooLongError,
    StorageError,
    StorageFullError,
    UserFacingError,
)
from selfeval_app.core.i18n import N_
from selfeval_app.core.sqlite_uri import sqlite_uri

MAX_COMPONENT_BYTES = 255  # NAME_MAX on Linux, macOS and NTFS (as UTF-16 units there)
MAX_PATH_BYTES = 4000  # below Linux's PATH_MAX (4096), leaving room for the names inside

# OSError numbers the user can act on, with the reason shown ("... cannot be used: <reason>").
_OS_REASONS = {
    errno.EACCES: N_("you do not have permission to use it"),
    errno.EPERM: N_("you do not have permission to use it"),
    errno.EISDIR: N_("a folder is where a file should be"),
    errno.ENOTDIR: N_("a file is where a folder should be"),
    errno.EEXIST: N_("a file is where a folder should be"),
    errno.ENOENT: N_("it does not exist"),
    errno.EROFS: N_("it is on a disk that can only be read"),
    errno.EIO: N_("the disk could not be read or written"),
}

_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "could not decode", "no such table", "no such column")


def check_path_length(path: Path) -> None:
    """Refuse a path SQLite or the file system would reject as too long, before using it."""
    absolute = os.path.abspath(path)
    encoded = os.fsencode(absolute)
    if len(encoded) > MAX_PATH_BYTES or any(len(part) > MAX_COMPONENT_BYTES for part in encoded.split(os.fsencode(os.sep))):
        raise PathTooLongError(path=str(path))


def error_from_oserror(exc: OSError, path: Path | str | None = None) -> UserFacingError | None:
    """The user's message for an OSError, or None if it is not one a user can act on."""
    where = str(path if path is not None else (exc.filename or ""))
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return StorageFullError()
    if exc.errno == errno.ENAMETOOLONG:
        return PathTooLongError(path=where)
    reason = _OS_REASONS.get(exc.errno)
    if reason is None:
        return None
    return DataFolderError(path=where, reason=reason)


def error_from_sqlite(exc: sqlite3.Error, db_path: Path | str) -> UserFacingError:
    """The user's message for a storage failure of the database at `db_path`."""
    text = str(exc).lower()
    path = str(db_path)
    if "disk is full" in text:
        return StorageFullError()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(path=path)
    if "readonly" in text or "read-only" in text:
        return DatabaseReadOnlyError(path=path)
    if any(word in text for word in _DAMAGE_WORDS):
        return DamagedDatabaseError(path=path)
    if "unable to open" in text:
        return _unopenable(Path(db_path))
    if "disk i/o error" in text:  # a short read of a cut or damaged file, or a failing disk
        return DiskIOError(path=path)
    return StorageError(reason=str(exc))


def _unopenable(db_path: Path) -> UserFacingError:
    if db_path.exists() and not os.access(db_path, os.R_OK):
        return DatabaseUnreadableError(path=str(db_path))
    if not os.access(db_path.parent, os.W_OK):
        return DatabaseReadOnlyError(path=str(db_path))
    return DatabaseUnreadableError(path=str(db_path))


def check_folder_shape(data_dir: Path) -> None:
    """The data folder must be a folder, and what the app keeps in it must have the right kind."""
    check_path_length(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise DataFolderError(path=str(data_dir), reason=N_("it is a file, not a folder"))
    from selfeval_app.core.paths import attachments_dir, backups_dir, database_path

    for folder in (attachments_dir(data_dir), backups_dir(data_dir)):
        if folder.exists() and not folder.is_dir():
            raise DataFolderError(path=str(folder), reason=N_("a file is where a folder should be"))
    if database_path(data_dir).is_dir():
        raise DataFolderError(path=str(database_path(data_dir)), reason=N_("a folder is where a file should be"))


def open_read_only(db_path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates or changes the file (5 s wait for a lock)."""
    conn = sqlite3.connect(sqlite_uri(db_path, mode="ro"), uri=True, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def inspect_database(db_path: Path) -> list[str] | None:
    """Look at an existing database read-only: the migrations it has, or None if there is no file.

    Raises the error that says what is wrong: empty, unreadable, locked, damaged, another
    program's database or a newer app's. An SQLite file with no tables at all (what a crash
    leaves between creating the file and the first migration) holds nothing, and gives [].
    """
    try:
        size = db_path.stat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise (error_from_oserror(exc, db_path) or DatabaseUnreadableError(path=str(db_path))) from exc
    if size == 0:
        raise EmptyDatabaseError(path=str(db_path))
    if not os.access(db_path, os.R_OK):
        raise DatabaseUnreadableError(path=str(db_path))
    try:
        with open(db_path, "rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise (error_from_oserror(exc, db_path) or DatabaseUnreadableError(path=str(db_path))) from exc
    if header != b"SQLite format 3\x00":
        raise DamagedDatabaseError(path=str(db_path))
    try:
        conn = open_read_only(db_path)
    except sqlite3.Error as exc:
        raise error_from_sqlite(exc, db_path) from exc
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return []
        if schema.MIGRATIONS_TABLE not in tables or "meta" not in tables:
            raise ForeignDatabaseError(path=str(db_path))
        names = [
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {schema.MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                (schema.MIGRATION_SET,),
            )
        ]
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    except UnicodeDecodeError as exc:  # a name in the schema that is not UTF-8: damaged
        raise DamagedDatabaseError(path=str(db_path)) from exc
    except sqlite3.Error as exc:
        if "unable to open" in str(exc).lower() and not os.access(db_path.parent, os.W_OK):
            # A WAL database in a read-only folder: SQLite cannot make its -shm file.
            raise DatabaseReadOnlyError(path=str(db_path)) from exc
        raise error_from_sqlite(exc, db_path) from exc
    finally:
        conn.close()
    if not names:
        raise ForeignDatabaseError(path=str(db_path))
    unknown = [n for n in names if n not in schema.KNOWN_MIGRATIONS]
    if unknown or user_version > schema.SCHEMA_VERSION:
        raise NewerDatabaseError()
    return names


def check_folder_writable(data_dir: Path) -> None:
    """An existing data folder the app cannot write in is read-only (said before any lock file)."""
    if data_dir.is_dir() and not os.access(data_dir, os.W_OK):
        from selfeval_app.core.paths import database_path

        raise DatabaseReadOnlyError(path=str(database_path(data_dir)))


def check_writable(db_path: Path) -> None:
    """The writer needs to change the file and make its -wal and -shm beside it."""
    if db_path.exists() and not os.access(db_path, os.W_OK):
        raise DatabaseReadOnlyError(path=str(db_path))
    folder = db_path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        raise DatabaseReadOnlyError(path=str(db_path))
