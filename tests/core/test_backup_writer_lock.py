"""The writer lock (review finding 5): while a restore holds it, no database opens; while a
database is open elsewhere, restore waits and then refuses, changing nothing."""

from __future__ import annotations

import pytest
from benchmarks.fuzz_backups import tree_state

from selfeval_app.core import backup as backup_module
from selfeval_app.core.backup import make_backup, restore
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import DataInUseError, RestoreInProgressError
from selfeval_app.core.writer_lock import WriterLock


def test_no_database_opens_while_a_restore_holds_the_lock(store, data_dir):
    store.db.close()
    lock = WriterLock(data_dir)
    assert lock.acquire_exclusive()
    try:
        with pytest.raises(RestoreInProgressError) as info:
            open_database(data_dir)
        assert "A restore is in progress" in info.value.message()
    finally:
        lock.release()
    open_database(data_dir).close()  # free again


def test_restore_refuses_while_another_writer_keeps_the_database_open(store, data_dir, tmp_path, monkeypatch):
    store.create("school", {"name": {"cy": "Ysgol"}})
    good = make_backup(data_dir, tmp_path / "copi.zip")
    monkeypatch.setattr(backup_module, "RESTORE_WAIT_SECONDS", 0.2)
    before = tree_state(data_dir)
    with pytest.raises(DataInUseError) as info:
        restore(data_dir, good, device_id="device-test-1")  # `store` still has the database open
    assert "Another program is using the data" in info.value.message()
    assert tree_state(data_dir) == before


def test_a_waiting_restore_turns_new_writers_away(store, data_dir):
    lock = WriterLock(data_dir)
    assert not lock.acquire_exclusive(wait_seconds=0)  # `store` is open: the restore cannot start
    assert not lock.held
    other = WriterLock(data_dir)
    assert other.acquire_shared()  # and having given up, it blocks no one
    other.release()


def test_shared_holders_do_not_block_each_other(data_dir):
    data_dir.mkdir(parents=True)
    first, second = WriterLock(data_dir), WriterLock(data_dir)
    assert first.acquire_shared() and second.acquire_shared()
    first.release()
    second.release()
    assert WriterLock(data_dir).acquire_exclusive()
