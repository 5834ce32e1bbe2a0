"""`selfeval check`: is the data folder sound? SQLite's own checks plus the app's invariants.

The check only reads: the database is opened `mode=ro` (no index flush, no `PRAGMA optimize`, no
migration), and the search index's own check runs on an in-memory copy, because FTS5's
'integrity-check' command is an INSERT. A file that cannot be checked at all (locked, unreadable,
empty, another program's, newer) raises the `UserFacingError` that says which; damage found is
returned as problems, with the newest backup that is sound (`newest_good_backup`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_app.core import record_types as rt
from selfeval_app.core.db_health import (
    check_folder_shape,
    error_from_sqlite,
    inspect_database,
    open_read_only,
)
from selfeval_app.core.errors import DamagedDatabaseError, DataFolderError, UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.paths import database_path
from selfeval_app.core.records import RecordStore, content_hash

DAMAGED = N_("The database file is damaged: %(detail)s")


@dataclass
class CheckResult:
    problems: list[tuple[str, dict]] = field(default_factory=list)
    records: int = 0
    damaged: bool = False  # the database file itself (not only a record or an attachment)


def check_data_dir(data_dir: Path) -> CheckResult:
    """Check the data folder without writing anything. Raises when it cannot be checked at all."""
    data_dir = Path(data_dir).expanduser()
    try:
        check_folder_shape(data_dir)
    except OSError as exc:
        raise DataFolderError(path=str(data_dir), reason=exc.strerror or str(exc)) from exc
    db_path = database_path(data_dir)
    try:
        found = inspect_database(db_path)
    except DamagedDatabaseError as exc:
        return CheckResult([(DAMAGED, {"detail": str(exc.__cause__ or "not an SQLite file")})], damaged=True)
    if found is None:
        raise DataFolderError(path=str(data_dir), reason=N_("there is no school data in it yet"))
    try:
        conn = open_read_only(db_path)
    except sqlite3.Error as exc:
        raise error_from_sqlite(exc, db_path) from exc
    try:
        conn.row_factory = sqlite3.Row
        return _check(conn, data_dir)
    except UnicodeDecodeError as exc:  # text in the schema that is not UTF-8
        return CheckResult([(DAMAGED, {"detail": str(exc)})], damaged=True)
    except sqlite3.Error as exc:
        error = error_from_sqlite(exc, db_path)
        if isinstance(error, DamagedDatabaseError):
            return CheckResult([(DAMAGED, {"detail": str(exc)})], damaged=True)
        raise error from exc
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, data_dir: Path) -> CheckResult:
    result = CheckResult()
    problems = result.problems
    conn.execute("BEGIN")  # one snapshot for the whole check
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        problems.append((DAMAGED, {"detail": "; ".join(r[0] for r in rows[:5])}))
        result.damaged = True
        return result
    search_problem = _check_search_index(conn)
    if search_problem:
        problems.append((N_("The search index is damaged: %(detail)s"), {"detail": search_problem}))
    try:
        logged = dict(conn.execute("SELECT record_id, max(rev) FROM change_log GROUP BY record_id").fetchall())
    except sqlite3.DatabaseError as exc:
        problems.append((DAMAGED, {"detail": str(exc)}))
        result.damaged = True
        return result
    for t in rt.RECORD_TYPES.values():
        _check_table(conn, t, logged, data_dir, result)
    from selfeval_app.core.integrity_keys import check_keys

    problems += check_keys(conn, data_dir)  # the exchange keys beside the database (read-only)
    return result


def _check_search_index(conn: sqlite3.Connection) -> str | None:
    """FTS5's own check, run on an in-memory copy so the file is not written."""
    copy = sqlite3.connect(":memory:")
    try:
        conn.backup(copy)
        copy.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        copy.close()
    return None


def _check_table(conn: sqlite3.Connection, t: rt.RecordType, logged: dict, data_dir: Path, result: CheckResult) -> None:
    from selfeval_app.core.attachments import stored_path
    from selfeval_app.core.records import _from_row

    problems = result.problems
    try:
        rows = conn.execute(f'SELECT * FROM "{t.name}"').fetchall()
    except sqlite3.OperationalError as exc:  # e.g. text that is not UTF-8
        problems.append((N_("Records of type %(type)s cannot be read: %(detail)s"), {"type": t.name, "detail": str(exc)}))
        return
    for row in rows:
        result.records += 1
        try:
            rec = _from_row(t, row)
            matches = content_hash(t, rec) == rec["content_hash"]
        except (UserFacingError, ValueError, TypeError):
            problems.append((N_("Record %(id)s (%(type)s) cannot be read: it is damaged or was changed by another program."), {"id": row["id"], "type": t.name}))
            continue
        if not matches:
            problems.append((N_("Record %(id)s (%(type)s) does not match its content hash."), {"id": rec["id"], "type": t.name}))
        last = logged.get(rec["id"])
        if last is None or last < rec["rev"]:
            problems.append((N_("Record %(id)s (%(type)s) is missing from the change log."), {"id": rec["id"], "type": t.name}))
        if t.name == "attachment" and not rec["deleted"] and rec["sha256"]:
            _check_attachment(stored_path(data_dir, str(rec["sha256"])), rec, problems)


def _check_attachment(path: Path, rec: dict, problems: list) -> None:
    name = {"name": rec["name"]}
    if not path.is_file():
        problems.append((N_("The file of attachment %(name)s is missing."), name))
        return
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
    except OSError:
        problems.append((N_("The file of attachment %(name)s cannot be read."), name))
        return
    if digest.hexdigest() != rec["sha256"]:
        problems.append((N_("The file of attachment %(name)s has been changed."), name))


def newest_good_backup(data_dir: Path) -> Path | None:
    """The newest backup in the data folder whose contents check out (its manifest and hashes)."""
    from selfeval_app.core.backup import list_backups, read_manifest

    for backup in list_backups(Path(data_dir)):
        try:
            read_manifest(backup)
        except (UserFacingError, OSError, ValueError):
            continue
        return backup
    return None


def check_store(store: RecordStore) -> list[tuple[str, dict]]:
    """Problems found in an open store's folder (read-only; see `check_data_dir`)."""
    return check_data_dir(store.db.data_dir).problems
