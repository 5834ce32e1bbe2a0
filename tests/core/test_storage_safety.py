"""Storage safety: a newer database is refused untouched, migrations back up first, a full disk
loses nothing already saved, network folders are refused, cloud folders warned about."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from selfeval_app.core import i18n, paths, schema
from selfeval_app.core.backup import list_backups
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import NetworkFolderError, NewerDatabaseError, StorageFullError
from selfeval_app.core.records import RecordStore


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_db(data_dir: Path) -> Path:
    db = open_database(data_dir)
    RecordStore(db, device_id="d").create("school", {"name": {"cy": "Ysgol y Tŷ Gwyn", "en": "Tŷ Gwyn School"}})
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return paths.database_path(data_dir)


def test_database_from_a_newer_version_is_refused_and_left_byte_identical(data_dir):
    db_path = _make_db(data_dir)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        (schema.MIGRATION_SET, "0099_from_the_future", "2030-01-01"),
    )
    conn.commit()
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    before = _digest(db_path)
    files_before = sorted(p.name for p in data_dir.iterdir())
    with pytest.raises(NewerDatabaseError) as exc:
        open_database(data_dir)
    assert _digest(db_path) == before
    assert sorted(p.name for p in data_dir.iterdir() if not p.name.endswith(("-shm", "-wal"))) == [
        n for n in files_before if not n.endswith(("-shm", "-wal"))
    ]
    i18n.set_language("cy")
    assert "fersiwn" in exc.value.message()  # the message is in Welsh when the app speaks Welsh
    i18n.set_language("en")
    assert "newer version" in exc.value.message()


def test_a_higher_user_version_is_refused_too(data_dir):
    db_path = _make_db(data_dir)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(NewerDatabaseError):
        open_database(data_dir)
    assert _digest(db_path) == before


def test_pending_migration_is_preceded_by_a_backup(data_dir, monkeypatch):
    _make_db(data_dir)
    ran = []

    def _0002_add_column(conn):
        ran.append(True)
        conn.execute('ALTER TABLE "school" ADD COLUMN "motto" TEXT')

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, ("9999_test", _0002_add_column)])
    monkeypatch.setattr(schema, "KNOWN_MIGRATIONS", frozenset(n for n, _ in schema.MIGRATIONS))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    db = open_database(data_dir)
    assert ran == [True]
    backups = list_backups(data_dir)
    assert len(backups) == 1 and "before-migration" in backups[0].name
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    db.close()


def test_full_disk_gives_a_clear_message_and_loses_nothing_saved(data_dir):
    db = open_database(data_dir)
    store = RecordStore(db, device_id="d")
    saved = [store.create("evidence", {"date": "2026-01-01", "kind": "other", "title": {"cy": f"Eitem {i}"}})["id"] for i in range(5)]
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    # Simulate a full disk: SQLite may not grow the file past this many pages.
    db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = "ŵ" * 20000
    with pytest.raises(StorageFullError) as exc:
        for i in range(50):
            store.create("evidence", {"date": "2026-01-02", "kind": "other", "title": {"cy": f"Mawr {i}"}, "summary": {"cy": big}})
    i18n.set_language("en")
    assert "disk is full" in exc.value.message()
    i18n.set_language("cy")
    assert exc.value.message() != exc.value.message_id
    i18n.set_language("en")
    assert not db.conn.in_transaction
    db.close()
    db = open_database(data_dir)
    store = RecordStore(db, device_id="d")
    for rid in saved:
        assert store.get("evidence", rid) is not None
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the failed save left no half-record: every row has its change-log entry and vice versa
    ids = {r["id"] for r in store.list("evidence")}
    logged = {c["record_id"] for c in store.changes_since(0)}
    assert ids == logged
    # and saving works again once there is room
    store.create("evidence", {"date": "2026-01-03", "kind": "other", "title": {"cy": "Ar ôl"}})
    db.close()


def test_network_folder_is_refused(tmp_path, monkeypatch):
    # A real SMB mount can't be made here: inject the file-system type at the narrowest point.
    monkeypatch.setattr(paths, "_linux_fs_type", lambda path: "cifs")
    monkeypatch.setattr(paths.sys, "platform", "linux")
    with pytest.raises(NetworkFolderError):
        open_database(tmp_path / "share")
    assert not (tmp_path / "share").exists()


def test_cloud_synced_folder_is_warned_about(tmp_path):
    assert paths.check_data_folder(tmp_path / "OneDrive - Ysgol" / "data").cloud_synced
    assert paths.check_data_folder(tmp_path / "Dropbox" / "hunanwerthuso").cloud_synced
    assert not paths.check_data_folder(tmp_path / "data").cloud_synced
    assert not paths.check_data_folder(tmp_path / "data").refused
