"""Backups and restore (DESIGN §5; format, limits and the lock in docs/decisions.md).

A backup is one zip: `database.sqlite3` (taken with SQLite's online backup API, so it is consistent
even while the app is writing), the attachment files it refers to, the exchange keys (`keys/`, see
`backup_keys.py`), and `manifest.json` with the SHA-256 of every member. Backups in the data folder's backups/ are numbered: the name and the
manifest carry a sequence number, and rotation keeps the highest numbers, so a wrong clock can
never make the newest backup look old. Zip timestamps are clamped to 1980 (the zip format's
earliest date); the manifest keeps the real time.

Restore checks the whole backup first (`backup_archive`, `backup_database_check`), staged inside
the data folder, then takes the writer lock alone, backs up the current state and brings back the
backed-up records *as new changes*: revs and change-log sequence numbers only ever go forward, the
epoch goes up by one, and a record the backup does not have becomes a tombstone, so exchange can
always tell what is new (DESIGN §4). The new content is copied into the live database file through
SQLite (never renamed over a file another process may still have open).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import sqlite3
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from selfeval_app import __version__
from selfeval_app.core import record_types as rt
from selfeval_app.core import schema
from selfeval_app.core.backup_archive import (
    DATABASE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    READ_ERRORS,
    DamagedBackup,
    NewerBackup,
    StagedBackup,
    check_members,
    check_staged_keys,
    open_backup_file,
    parse_manifest,
    stage_archive,
)
from selfeval_app.core.backup_keys import (
    BadKeys,
    KeyFiles,
    apply_key_restore,
    keys_for_backup,
    other_keys_for_backup,
    plan_key_restore,
    plan_other_keys_restore,
)
from selfeval_app.core.errors import (
    BackupError,
    DamagedBackupError,
    DataInUseError,
    NewerBackupError,
    StorageFullError,
)
from selfeval_app.core.i18n import N_
from selfeval_app.core.paths import DATABASE_NAME, backups_dir, database_path
from selfeval_app.core.safe_files import atomic_output, fsync_dir
from selfeval_app.core.sqlite_uri import readonly_uri
from selfeval_app.core.staging import clean_leftovers, staging_folder

if TYPE_CHECKING:
    pass

__all__ = ["FORMAT", "FORMAT_VERSION", "KEEP", "auto_backup_if_due", "list_backups", "make_backup", "read_manifest", "restore"]

KEEP = {"auto": 10, "manual": 20, "before-restore": 5, "before-migration": 5}
AUTO_BACKUP_AFTER = dt.timedelta(hours=24)
RESTORE_WAIT_SECONDS = 15.0  # how long a restore waits for running commands to close the database
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_NAME = re.compile(r"selfeval-(?P<reason>auto|manual|before-restore|before-migration)-(?P<stamp>\d{8}-\d{6})-(?:n(?P<seq>\d{1,12})|\d{6})\.zip")

DISK_FULL = N_("The disk is full, so the backup or restore could not be finished. Nothing was changed. Free some space and try again.")


def _now() -> dt.datetime:
    """The wall clock (tests replace it). Only names and the manifest use it, never rotation."""
    return dt.datetime.now(dt.UTC)


def _disk_full() -> StorageFullError:
    return StorageFullError(DISK_FULL)


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()


# -- names, order and rotation ---------------------------------------------------------------


@dataclass(frozen=True)
class BackupName:
    path: Path
    reason: str
    stamp: str  # YYYYmmdd-HHMMSS, UTC, as the clock said when it was made
    sequence: int  # 0 for backups named before numbering

    @property
    def made_at(self) -> dt.datetime | None:
        try:
            return dt.datetime.strptime(self.stamp, "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
        except ValueError:
            return None


def _parse_name(path: Path) -> BackupName:
    match = _NAME.fullmatch(path.name)
    if match:
        return BackupName(path, match["reason"], match["stamp"], int(match["seq"] or 0))
    return BackupName(path, "manual", "", 0)


def _backup_names(data_dir: Path) -> list[BackupName]:
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    names = [_parse_name(p) for p in folder.glob("selfeval-*.zip") if p.is_file()]
    return sorted(names, key=lambda b: (b.sequence, b.stamp, b.path.name), reverse=True)


def list_backups(data_dir: Path) -> list[Path]:
    """Backups in the data folder, newest (highest sequence number) first."""
    return [b.path for b in _backup_names(data_dir)]


def _next_sequence(data_dir: Path) -> int:
    return max((b.sequence for b in _backup_names(data_dir)), default=0) + 1


def rotate(data_dir: Path, *, keep: Path | None = None) -> None:
    """Keep the newest backups of each kind by sequence number (never `keep`, the one just made)."""
    by_reason: dict[str, list[BackupName]] = {}
    for b in _backup_names(data_dir):
        by_reason.setdefault(b.reason, []).append(b)
    for reason, names in by_reason.items():
        for old in names[KEEP.get(reason, 10):]:
            if keep is None or old.path != keep:
                old.path.unlink(missing_ok=True)


def auto_backup_if_due(data_dir: Path, *, now: dt.datetime | None = None) -> Path | None:
    """Make an automatic backup unless the newest one was made less than a day ago. A newest
    backup dated in the future (the clock was wrong then, or is now) does not count as recent."""
    now = now or _now()
    autos = [b for b in _backup_names(data_dir) if b.reason == "auto"]
    made = autos[0].made_at if autos else None
    if made is not None and dt.timedelta(0) <= now - made < AUTO_BACKUP_AFTER:
        return None
    if not database_path(data_dir).exists():
        return None
    return make_backup(data_dir, reason="auto", now=now)


# -- making a backup ---------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _snapshot(db_path: Path, target: Path) -> None:
    src = sqlite3.connect(readonly_uri(db_path), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _attachment_hashes(conn: sqlite3.Connection) -> set[str]:
    hashes = {r[0] for r in conn.execute('SELECT sha256 FROM "attachment" WHERE sha256 IS NOT NULL')}
    hashes |= {
        r[0]
        for r in conn.execute("SELECT json_extract(content, '$.sha256') FROM history WHERE type = 'attachment'")
        if r[0]
    }
    return {h for h in hashes if isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h)}


def zip_info(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    """A member header: a plain file, deflated, dated no earlier than 1980 (the format's limit)."""
    t = when.astimezone().timetuple() if when.tzinfo else when.timetuple()
    local = (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    info = zipfile.ZipInfo(name, date_time=max(local, _ZIP_EPOCH))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def _add_file(zf: zipfile.ZipFile, name: str, path: Path, when: dt.datetime) -> None:
    size = path.stat().st_size
    with open(path, "rb") as src, zf.open(zip_info(name, when), "w", force_zip64=size >= 1 << 31) as dst:
        while block := src.read(1 << 20):
            dst.write(block)


def _add_keys(zf: zipfile.ZipFile, keys: KeyFiles, when: dt.datetime, files: dict[str, str], *, identity_id: str | None = None) -> None:
    from selfeval_app.core.backup_keys import DEVICE_MEMBER, IDENTITY_MEMBER, other_key_members

    device_member, identity_member = (DEVICE_MEMBER, IDENTITY_MEMBER) if identity_id is None else other_key_members(identity_id)
    for name, data in ((device_member, keys.device), (identity_member, keys.identity)):
        info = zip_info(name, when)
        info.external_attr = (stat.S_IFREG | 0o600) << 16
        zf.writestr(info, data)
        files[name] = hashlib.sha256(data).hexdigest()


def _write_zip(out: IO[bytes], data_dir: Path, snap: Path, *, reason: str, when: dt.datetime, sequence: int | None) -> None:
    from selfeval_app.core.attachments import stored_path

    conn = sqlite3.connect(snap)
    try:
        hashes = _attachment_hashes(conn)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        try:
            identities = {row[0] for row in conn.execute("SELECT id FROM identity")}
        except sqlite3.OperationalError:  # a database from before identities (schema 1)
            identities = set()
    finally:
        conn.close()
    files = {DATABASE: _sha256_file(snap)}
    keys = keys_for_backup(data_dir, meta.get("school_owner"))
    others = other_keys_for_backup(data_dir, identities - {meta.get("school_owner")})
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _add_file(zf, DATABASE, snap, when)
        for sha in sorted(hashes):
            path = stored_path(data_dir, sha)
            if path.is_file():
                _add_file(zf, f"attachments/{sha}", path, when)
                files[f"attachments/{sha}"] = sha
        if keys is not None:
            _add_keys(zf, keys, when, files)
        for identity_id, other in sorted(others.items()):
            _add_keys(zf, other, when, files, identity_id=identity_id)
        manifest = {
            "format": FORMAT,
            # A backup without keys stays readable by the versions before keys were backed up;
            # one without other identities' keys by the versions before those were.
            "format_version": FORMAT_VERSION if others else 2 if keys is not None else 1,
            "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),  # the real time, even before 1980
            "app_version": __version__,
            "schema_version": schema.SCHEMA_VERSION,
            "database_id": meta.get("database_id"),
            "epoch": int(meta.get("epoch", "1")),
            "reason": reason,
            "files": files,
        }
        if sequence is not None:
            manifest["sequence"] = sequence
        zf.writestr(zip_info(MANIFEST, when), json.dumps(manifest, indent=2, sort_keys=True))


def make_backup(data_dir: Path, out: Path | None = None, *, reason: str = "manual", now: dt.datetime | None = None) -> Path:
    """Write a backup zip (to `out`, or numbered in the data folder's backups/). Returns its path."""
    data_dir = Path(data_dir)
    db_path = database_path(data_dir)
    if not db_path.exists():
        raise BackupError(path=str(db_path), reason=N_("there is no school data to back up"))
    when = (now or _now()).astimezone(dt.UTC)
    try:
        clean_leftovers(data_dir)
        with staging_folder(data_dir) as staging:
            snap = staging / DATABASE
            _snapshot(db_path, snap)
            if out is None:
                folder = backups_dir(data_dir)
                folder.mkdir(parents=True, exist_ok=True)
                sequence = _next_sequence(data_dir)
                target = folder / f"selfeval-{reason}-{when:%Y%m%d-%H%M%S}-n{sequence:06d}.zip"
                made = staging / "backup.zip"
                with open(made, "wb") as raw:
                    _write_zip(raw, data_dir, snap, reason=reason, when=when, sequence=sequence)
                    raw.flush()
                    os.fsync(raw.fileno())
                os.replace(made, target)
                fsync_dir(folder)
            else:
                target = Path(out)
                target.parent.mkdir(parents=True, exist_ok=True)
                with atomic_output(target) as raw:
                    _write_zip(raw, data_dir, snap, reason=reason, when=when, sequence=None)
    except (OSError, sqlite3.OperationalError) as exc:
        if _is_disk_full(exc):
            raise _disk_full() from None
        raise
    if target.parent == backups_dir(data_dir):
        rotate(data_dir, keep=target)
    return target


# -- checking a backup -------------------------------------------------------------------------


def _as_user_error(backup: Path, exc: BaseException) -> Exception:
    if isinstance(exc, NewerBackup):
        return NewerBackupError(path=str(backup))
    if isinstance(exc, DamagedBackup):
        return DamagedBackupError(path=str(backup), reason=exc.reason)
    if _is_disk_full(exc):
        return _disk_full()
    return DamagedBackupError(path=str(backup), reason=N_("the file is damaged"))


def read_manifest(backup: Path) -> dict:
    """Check a backup file's archive and manifest, hashing every member (nothing is written).
    The database inside is checked only by a restore. Raises BackupError."""
    backup = Path(backup)
    try:
        with open_backup_file(backup) as source, zipfile.ZipFile(source) as zf:
            members = check_members(zf)
            with zf.open(members[MANIFEST]) as f:
                raw = f.read(1024**2 + 1)
            manifest = parse_manifest(raw, set(members))
            for name, expected in manifest["files"].items():
                digest = hashlib.sha256()
                with zf.open(members[name]) as f:
                    while block := f.read(1 << 20):
                        digest.update(block)
                if digest.hexdigest() != expected:
                    raise DamagedBackup(N_("a file in it does not match its checksum"))
            return manifest
    except (DamagedBackup, NewerBackup, *READ_ERRORS) as exc:
        raise _as_user_error(backup, exc) from None


def _drop_search_index(db_path: Path) -> None:
    """Make the staged copy's search index empty by dropping and re-creating the FTS table: the
    backup's index is not trusted (it is rebuilt from the records), and a `DELETE` would keep
    index blobs that are damaged while SQLite's own checks still pass."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'search_index'").fetchone()[0]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DROP TABLE search_index")
        conn.execute(sql)
        conn.execute("DELETE FROM search_docs")
        conn.execute("COMMIT")
    finally:
        conn.close()


def _owner(db_path: Path) -> str:
    conn = sqlite3.connect(readonly_uri(db_path), uri=True)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'school_owner'").fetchone()[0]
    finally:
        conn.close()


def _load(backup: Path, staging: Path) -> StagedBackup:
    from selfeval_app.core.backup_database_check import check_staged_database

    try:
        with open_backup_file(backup) as source:
            staged = stage_archive(source, staging, DATABASE_NAME)
        check_staged_database(staged.database)
        check_staged_keys(staged, _owner(staged.database))
        _drop_search_index(staged.database)
        return staged
    except (DamagedBackup, NewerBackup, *READ_ERRORS) as exc:
        raise _as_user_error(backup, exc) from None


# -- restoring ---------------------------------------------------------------------------------


@dataclass
class _CurrentState:
    records: dict[str, tuple[str, int, str]]  # id -> (type, rev, content hash)
    epoch: int = 0
    seq: int = 0
    readable: bool = True
    owners: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (owner, visibility): tombstones keep them
    sent: list[tuple] = field(default_factory=list)  # the share ledger: what was shared can still be withdrawn


def _current_state(db_path: Path) -> _CurrentState:
    """What the live database knows (revs, hashes, the highest seq), or unreadable if damaged."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return _CurrentState({})
    try:
        conn = sqlite3.connect(readonly_uri(db_path), uri=True)
        try:
            records: dict[str, tuple[str, int, str]] = {}
            owners: dict[str, tuple[str, str]] = {}
            for t in rt.RECORD_TYPES.values():
                for rid, rev, chash, owner, visibility in conn.execute(
                    f'SELECT id, rev, content_hash, owner, visibility FROM "{t.name}"'
                ):
                    records[rid] = (t.name, int(rev), chash)
                    owners[rid] = (owner, visibility)
            epoch = int(conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0])
            seq = int(conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])
            sent: list[tuple] = []
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'share_ledger'").fetchone():
                sent = conn.execute(
                    "SELECT recipient_id, record_id, type, owner, rev, visibility, withdrawn, sent_at, bundle_id FROM share_ledger"
                ).fetchall()
            return _CurrentState(records, epoch, seq, owners=owners, sent=sent)
        finally:
            conn.close()
    except (sqlite3.DatabaseError, TypeError, ValueError) as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:  # another program (an SQLite tool) holds it
            raise DataInUseError(path=str(db_path.parent)) from None
        return _CurrentState({}, readable=False)


def _bring_forward(staging: Path, current: _CurrentState, device_id: str) -> None:
    """Make the staged database's revs, seqs and epoch go past the live one's (see module doc)."""
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore, _from_row, content_hash

    db = open_database(staging, backup_before_migrating=False)
    try:
        store = RecordStore(db, device_id=device_id)
        with store.transaction():
            epoch = max(current.epoch, store.epoch) + 1
            db.set_meta("epoch", str(epoch))
            store.forget_cached_meta()
            max_seq = db.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            # The new epoch starts after every seq either database has used: a marker row holds
            # the place, so sequence numbers never go backwards.
            db.conn.execute(
                "INSERT INTO change_log (seq, epoch, record_id, type, rev, changed_at) VALUES (?, ?, '', '_epoch', 0, ?)",
                (max(current.seq, max_seq) + 1, epoch, store.clock.timestamp()),
            )
            seen = set()
            for t in rt.RECORD_TYPES.values():
                for row in db.conn.execute(f'SELECT * FROM "{t.name}"').fetchall():
                    rec = _from_row(t, row)
                    seen.add(rec["id"])
                    known = current.records.get(rec["id"])
                    if known is None:
                        continue
                    _, cur_rev, cur_hash = known
                    if content_hash(t, rec) == cur_hash and rec["rev"] == cur_rev:
                        continue
                    if cur_rev >= rec["rev"]:
                        rec["base_rev"] = cur_rev
                        rec["rev"] = cur_rev + 1
                        rec["updated_by"] = device_id
                        rec["updated_at"] = store.clock.timestamp()
                        store._write(t, rec, insert=False, session=None, keep_history=False)
            for rid, (type_name, cur_rev, _) in current.records.items():
                if rid in seen:
                    continue
                owner, visibility = current.owners[rid]
                last_known = {"owner": owner, "visibility": visibility, "rev": cur_rev}
                store.tombstone(type_name, rid, last_known=last_known, any_owner=True)
            from selfeval_app.core.share_ledger import carry_forward

            carry_forward(store, current.sent)
        store.reindex_all()  # the backup's own search index is not trusted: rebuilt from the records
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()


def _install_attachments(data_dir: Path, staged: dict[str, Path]) -> list[Path]:
    """Move the staged attachment files into the store, read-only like store_file makes them.
    Returns the files that were new (so a failed restore can take them away again)."""
    from selfeval_app.core.attachments import stored_path

    installed: list[Path] = []
    for sha, path in sorted(staged.items()):
        target = stored_path(data_dir, sha)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o440)
        os.replace(path, target)
        installed.append(target)
    for folder in {p.parent for p in installed}:
        fsync_dir(folder)
    return installed


def _replace_file(staged_db: Path, db_path: Path) -> None:
    """Put the staged file in place of the live one (only under the exclusive writer lock)."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    with open(staged_db, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(staged_db, db_path)
    fsync_dir(db_path.parent)


def _copy_into_live(staged_db: Path, db_path: Path, current: _CurrentState) -> None:
    """Put the staged content into the live database through SQLite, in one transaction."""
    from selfeval_app.core.database import apply_pragmas

    if not current.readable or not db_path.exists() or db_path.stat().st_size == 0:
        _replace_file(staged_db, db_path)  # nothing readable to write into
        return
    src = sqlite3.connect(staged_db, isolation_level=None)
    try:
        try:
            dst = sqlite3.connect(db_path, isolation_level=None)
            apply_pragmas(dst)
            page_size = dst.execute("PRAGMA page_size").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if _is_disk_full(exc) or "locked" in str(exc).lower():
                raise
            dst.close()
            src.close()
            _replace_file(staged_db, db_path)  # the live file is too damaged for SQLite to write into
            return
        try:
            if src.execute("PRAGMA page_size").fetchone()[0] != page_size:
                src.execute(f"PRAGMA page_size = {int(page_size)}")
                src.execute("VACUUM")
            src.backup(dst)  # all pages in one step: readers see the old or the new database
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()


@dataclass
class PreparedRestore:
    """A backup checked whole and staged in the data folder, ready to be brought back."""

    data_dir: Path
    backup: Path
    staging: Path
    staged: StagedBackup

    def apply(self, *, device_id: str) -> Path | None:
        """Bring the staged backup back; returns the path of the backup of the state before."""
        from selfeval_app.core.writer_lock import WriterLock

        lock = WriterLock(self.data_dir)
        if not lock.acquire_exclusive(wait_seconds=RESTORE_WAIT_SECONDS):
            raise DataInUseError(path=str(self.data_dir))
        try:
            clean_leftovers(self.data_dir, include_legacy=True)
            try:
                keys_plan = plan_key_restore(self.data_dir, self.staged.keys, _owner(self.staged.database))
                other_plans = plan_other_keys_restore(self.data_dir, self.staged.other_keys)
            except BadKeys as exc:
                raise BackupError(path=str(self.backup), reason=exc.reason) from None
            db_path = database_path(self.data_dir)
            current = _current_state(db_path)
            safety = None
            if db_path.exists() and db_path.stat().st_size > 0:
                safety = _safety_backup(self.data_dir, readable=current.readable)
            _bring_forward(self.staging, current, device_id)
            installed = _install_attachments(self.data_dir, self.staged.attachments)
            try:
                _copy_into_live(database_path(self.staging), db_path, current)
            except BaseException:
                for path in installed:
                    os.chmod(path, 0o600)
                    path.unlink(missing_ok=True)
                raise
            apply_key_restore(self.data_dir, keys_plan)
            for identity_id, plan in other_plans.items():
                apply_key_restore(self.data_dir, plan, identity_id=identity_id)
            return safety
        except (OSError, sqlite3.OperationalError) as exc:
            if _is_disk_full(exc):
                raise _disk_full() from None
            raise
        finally:
            lock.release()


def _safety_backup(data_dir: Path, *, readable: bool) -> Path:
    """The state before a restore, kept in backups/. A database SQLite cannot read is kept as its
    raw files (an expert may still rescue something from it)."""
    if readable:
        try:
            return make_backup(data_dir, reason="before-restore")
        except sqlite3.DatabaseError as exc:  # SQLite can list the records but not copy them all
            if _is_disk_full(exc) or "locked" in str(exc).lower():
                raise
    when = _now()
    folder = backups_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"selfeval-before-restore-{when:%Y%m%d-%H%M%S}-n{_next_sequence(data_dir):06d}.zip"
    db_path = database_path(data_dir)
    with atomic_output(target) as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for suffix in ("", "-wal"):
            part = Path(str(db_path) + suffix)
            if part.is_file():
                _add_file(zf, f"damaged/{part.name}", part, when)
    return target


@contextmanager
def prepared_restore(data_dir: Path, backup: Path) -> Iterator[PreparedRestore]:
    """Check `backup` whole and stage it; nothing else in the data folder changes until `apply`.
    Raises BackupError (damaged, hostile or newer) or StorageFullError."""
    data_dir = Path(data_dir).expanduser()
    backup = Path(backup).expanduser()
    created: list[Path] = []
    probe = data_dir
    while not probe.exists() and probe.parent != probe:
        created.append(probe)
        probe = probe.parent
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            with staging_folder(data_dir) as staging:
                yield PreparedRestore(data_dir, backup, staging, _load(backup, staging))
        except OSError as exc:
            if _is_disk_full(exc):
                raise _disk_full() from None
            raise
    finally:
        for folder in created:  # a refused restore into a new folder leaves no folder behind
            try:
                folder.rmdir()
            except OSError:
                break


def restore(data_dir: Path, backup: Path, *, device_id: str) -> Path | None:
    """Bring back a backup's state. The current state is backed up first; returns that backup's path.
    The caller must have closed its own connections to the database."""
    with prepared_restore(data_dir, backup) as prepared:
        return prepared.apply(device_id=device_id)
