"""Backups and restore (DESIGN §5).

A backup is one zip: `database.sqlite3` (taken with SQLite's online backup API, so it is consistent
even while the app is writing), the attachment files it refers to, and `manifest.json` with the
SHA-256 of every member. Automatic backups rotate; backups made before a restore or a migration are
kept apart so rotation cannot drop them too soon.

Restore first backs up the current state, then brings back the backed-up records *as new changes*:
revs and change-log sequence numbers only ever go forward, the database epoch goes up by one, and a
record the backup does not have becomes a tombstone rather than a missing row, so exchange can
always tell what is new (DESIGN §4).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from selfeval_app import __version__
from selfeval_app.core import record_types as rt
from selfeval_app.core import schema
from selfeval_app.core.errors import BackupError, NewerDatabaseError, NotADatabaseError
from selfeval_app.core.i18n import N_
from selfeval_app.core.paths import backups_dir, database_path
from selfeval_app.core.safe_files import atomic_output, fsync_dir
from selfeval_app.core.sqlite_uri import sqlite_uri

FORMAT = "selfeval-backup"
FORMAT_VERSION = 1
KEEP = {"auto": 10, "manual": 20, "before-restore": 5, "before-migration": 5}
AUTO_BACKUP_AFTER = dt.timedelta(hours=24)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _snapshot(db_path: Path, target: Path) -> None:
    src = sqlite3.connect(sqlite_uri(db_path), uri=True)
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
    return hashes


def make_backup(data_dir: Path, out: Path | None = None, *, reason: str = "manual") -> Path:
    """Write a backup zip (to `out`, or rotating in the data folder's backups/). Returns its path."""
    data_dir = Path(data_dir)
    db_path = database_path(data_dir)
    if not db_path.exists():
        raise BackupError(path=str(db_path), reason=N_("there is no school data to back up"))
    if out is None:
        folder = backups_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        out = folder / f"selfeval-{reason}-{stamp}.zip"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="selfeval-backup-") as tmp:
        snap = Path(tmp) / "database.sqlite3"
        _snapshot(db_path, snap)
        conn = sqlite3.connect(snap)
        try:
            hashes = _attachment_hashes(conn)
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
        files = {"database.sqlite3": _sha256_file(snap)}
        with atomic_output(out) as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.write(snap, "database.sqlite3")
                from selfeval_app.core.attachments import stored_path

                for sha in sorted(hashes):
                    path = stored_path(data_dir, sha)
                    if path.exists():
                        zf.write(path, f"attachments/{sha}")
                        files[f"attachments/{sha}"] = sha
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "app_version": __version__,
                    "schema_version": schema.SCHEMA_VERSION,
                    "database_id": meta.get("database_id"),
                    "epoch": int(meta.get("epoch", "1")),
                    "reason": reason,
                    "files": files,
                }
                zf.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    if out.parent == backups_dir(data_dir):
        rotate(data_dir)
    return out


def list_backups(data_dir: Path) -> list[Path]:
    """Backups in the data folder, newest first."""
    folder = backups_dir(data_dir)
    if not folder.exists():
        return []
    return sorted(folder.glob("selfeval-*.zip"), key=lambda p: p.name.rsplit("-", 3)[-3:], reverse=True)


def _reason_of(path: Path) -> str:
    for reason in sorted(KEEP, key=len, reverse=True):
        if path.name.startswith(f"selfeval-{reason}-"):
            return reason
    return "manual"


def rotate(data_dir: Path) -> None:
    by_reason: dict[str, list[Path]] = {}
    for path in list_backups(data_dir):
        by_reason.setdefault(_reason_of(path), []).append(path)
    for reason, paths in by_reason.items():
        for old in paths[KEEP.get(reason, 10):]:
            old.unlink(missing_ok=True)


def auto_backup_if_due(data_dir: Path) -> Path | None:
    """Make an automatic backup if the newest one is older than a day."""
    auto = [p for p in list_backups(data_dir) if _reason_of(p) == "auto"]
    if auto:
        age = dt.datetime.now().timestamp() - auto[0].stat().st_mtime
        if age < AUTO_BACKUP_AFTER.total_seconds():
            return None
    if not database_path(data_dir).exists():
        return None
    return make_backup(data_dir, reason="auto")


def read_manifest(backup: Path) -> dict:
    """Check a backup file whole: zip, manifest, every member's hash. Raises BackupError."""
    backup = Path(backup)
    try:
        with zipfile.ZipFile(backup) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise BackupError(path=str(backup), reason=N_("it is not a Hunanwerthuso backup"))
            if manifest.get("format_version", 0) > FORMAT_VERSION or manifest.get("schema_version", 0) > schema.SCHEMA_VERSION:
                raise BackupError(path=str(backup), reason=N_("it was made by a newer version of the app"))
            for name, expected in manifest["files"].items():
                if hashlib.sha256(zf.read(name)).hexdigest() != expected:
                    raise BackupError(path=str(backup), reason=N_("it is damaged"))
            return manifest
    except BackupError:
        raise
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError):
        raise BackupError(path=str(backup), reason=N_("it is damaged or not a backup")) from None


def restore(data_dir: Path, backup: Path, *, device_id: str) -> Path:
    """Bring back a backup's state. The current state is backed up first; returns that backup's path.
    The caller must have closed its own connections to the database."""
    from selfeval_app.core.attachments import stored_path
    from selfeval_app.core.database import inspect_existing, open_database
    from selfeval_app.core.records import RecordStore, _empty, _from_row, content_hash

    data_dir = Path(data_dir)
    backup = Path(backup)
    read_manifest(backup)
    db_path = database_path(data_dir)
    safety = make_backup(data_dir, reason="before-restore") if db_path.exists() else None

    with tempfile.TemporaryDirectory(prefix="selfeval-restore-", dir=data_dir) as tmp:
        staged = Path(tmp) / "database.sqlite3"
        with zipfile.ZipFile(backup) as zf:
            with zf.open("database.sqlite3") as src, open(staged, "wb") as out:
                while block := src.read(1 << 20):
                    out.write(block)
            try:
                inspect_existing(staged)
            except (NewerDatabaseError, NotADatabaseError):
                raise BackupError(path=str(backup), reason=N_("it is damaged or not a backup")) from None
            for name in zf.namelist():
                if name.startswith("attachments/"):
                    sha = name.split("/", 1)[1]
                    target = stored_path(data_dir, sha)
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        from selfeval_app.core.safe_files import write_atomic

                        write_atomic(target, zf.read(name))

        # What the current database knows: revs, hashes and the highest sequence number.
        current: dict[str, tuple[str, int, str]] = {}
        current_epoch, current_seq = 0, 0
        if db_path.exists():
            conn = sqlite3.connect(sqlite_uri(db_path), uri=True)
            try:
                for t in rt.RECORD_TYPES.values():
                    for rid, rev, chash in conn.execute(f'SELECT id, rev, content_hash FROM "{t.name}"'):
                        current[rid] = (t.name, rev, chash)
                current_epoch = int(conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0])
                current_seq = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            finally:
                conn.close()

        # Bring the staged database forward so nothing goes backwards, then swap it in.
        staged_dir = staged.parent
        os.replace(staged, database_path(staged_dir))
        db = open_database(staged_dir, backup_before_migrating=False)
        store = RecordStore(db, device_id=device_id)
        with store.transaction():
            epoch = max(current_epoch, store.epoch) + 1
            db.set_meta("epoch", str(epoch))
            store.forget_cached_meta()
            max_seq = db.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
            # The new epoch starts after every seq either database has used: a marker row holds
            # the place, so sequence numbers never go backwards.
            db.conn.execute(
                "INSERT INTO change_log (seq, epoch, record_id, type, rev, changed_at) VALUES (?, ?, '', '_epoch', 0, ?)",
                (max(current_seq, max_seq) + 1, epoch, store.clock.timestamp()),
            )
            seen = set()
            for t in rt.RECORD_TYPES.values():
                for row in db.conn.execute(f'SELECT * FROM "{t.name}"').fetchall():
                    rec = _from_row(t, row)
                    seen.add(rec["id"])
                    known = current.get(rec["id"])
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
            for rid, (type_name, cur_rev, _) in current.items():
                if rid in seen:
                    continue
                t = rt.record_type(type_name)
                tomb = {
                    "id": rid,
                    "type": t.name,
                    "owner": store.owner,
                    "updated_by": device_id,
                    "rev": cur_rev + 1,
                    "base_rev": cur_rev,
                    "created_at": store.clock.timestamp(),
                    "updated_at": store.clock.timestamp(),
                    "deleted": True,
                    "visibility": "private",
                }
                for f in t.fields:
                    tomb[f.name] = _empty(f)
                store._write(t, tomb, insert=True, session=None, keep_history=False)
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.execute("PRAGMA journal_mode = DELETE")
        db.conn.close()
        ready = database_path(staged_dir)
        with open(ready, "rb+") as f:
            os.fsync(f.fileno())
        # Swap: the old WAL belongs to the old database and must not be replayed onto the new one.
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        os.replace(ready, db_path)
        fsync_dir(db_path.parent)
    return safety
