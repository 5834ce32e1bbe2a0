"""A full disk during a backup or restore (review finding 9): "The disk is full…", nothing
half-written. A full disk cannot be produced safely here, so ENOSPC is injected at the narrowest
point: the one function that writes the bytes (named in each test)."""

from __future__ import annotations

import errno
import hashlib
import sqlite3

import pytest
from benchmarks.fuzz_backups import tree_state

from selfeval_app.core import backup as backup_module
from selfeval_app.core import backup_archive
from selfeval_app.core.attachments import attach
from selfeval_app.core.backup import list_backups, make_backup, restore
from selfeval_app.core.errors import StorageFullError
from selfeval_app.core.paths import database_path


def _enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def school(store, data_dir, tmp_path):
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": "Llawn"}})
    source = tmp_path / "ffeil.txt"
    source.write_text("cynnwys\n" * 100, encoding="utf-8")
    attach(store, ev["id"], source)
    return store


def test_backup_on_a_full_disk_says_so_and_leaves_no_file(school, data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_module, "_add_file", _enospc)  # writing a member's bytes into the zip
    with pytest.raises(StorageFullError) as info:
        make_backup(data_dir, tmp_path / "out" / "copi.zip")
    assert "disk is full" in info.value.message()
    assert list((tmp_path / "out").iterdir()) == []
    with pytest.raises(StorageFullError):
        make_backup(data_dir)
    assert list_backups(data_dir) == []
    assert [p.name for p in data_dir.iterdir() if p.name.startswith(".selfeval-staging-")] == []


def test_snapshot_on_a_full_disk_says_so(school, data_dir, monkeypatch):
    def full(*_args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_module, "_snapshot", full)  # SQLite's backup API writing the copy
    with pytest.raises(StorageFullError):
        make_backup(data_dir)


def test_restore_on_a_full_disk_while_staging_changes_nothing(school, data_dir, tmp_path, monkeypatch):
    good = make_backup(data_dir, tmp_path / "copi.zip")
    school.db.close()
    before = tree_state(data_dir)
    monkeypatch.setattr(backup_archive, "_stream_to", _enospc)  # streaming a member to the staging folder
    with pytest.raises(StorageFullError) as info:
        restore(data_dir, good, device_id="device-test-1")
    assert "disk is full" in info.value.message()
    assert tree_state(data_dir) == before


def test_restore_on_a_full_disk_while_copying_in_keeps_the_current_data(school, data_dir, tmp_path, monkeypatch):
    good = make_backup(data_dir, tmp_path / "copi.zip")
    school.create("evidence", {"date": "2026-06-01", "kind": "other", "title": {"cy": "Ar ôl"}})
    school.db.close()
    db_before = hashlib.sha256(database_path(data_dir).read_bytes()).hexdigest()
    monkeypatch.setattr(backup_module, "_copy_into_live", _enospc)  # writing the new pages into the live file
    with pytest.raises(StorageFullError):
        restore(data_dir, good, device_id="device-test-1")
    assert hashlib.sha256(database_path(data_dir).read_bytes()).hexdigest() == db_before
    assert [p.name for p in data_dir.iterdir() if p.name.startswith(".selfeval-staging-")] == []
