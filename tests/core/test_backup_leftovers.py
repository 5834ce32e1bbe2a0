"""Interrupted backups and restores leave no copies of the school's data behind (review finding 8):
staging happens inside the data folder under a recognisable prefix, is cleaned at the next start
and by purge, and the system temp folder is never used."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap

import pytest

from selfeval_app.core.backup import make_backup, restore
from selfeval_app.core.paths import backups_dir
from selfeval_app.core.purge import purge
from selfeval_app.core.staging import (
    STAGING_PREFIX,
    clean_at_start,
    clean_leftovers,
    staging_folder,
)

SECRET = "cyfrinachpwrpasol"


def _leftovers(data_dir):
    return sorted(p.name for p in data_dir.iterdir() if p.name.startswith(STAGING_PREFIX))


def _killed_while_staging(data_dir) -> None:
    """A real process that dies by SIGKILL while its staging folder holds a copy of the data."""
    script = textwrap.dedent(
        f"""
        import os, signal, shutil
        from pathlib import Path
        from selfeval_app.core.staging import staging_folder
        data = Path({str(data_dir)!r})
        with staging_folder(data) as folder:
            shutil.copy(data / "selfeval.sqlite3", folder / "database.sqlite3")
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -signal.SIGKILL


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_a_killed_backup_leaves_a_copy_that_the_next_start_removes(store, data_dir):
    store.create("school", {"name": {"cy": SECRET}})
    _killed_while_staging(data_dir)
    assert _leftovers(data_dir)  # the copy is there, under the recognisable prefix
    clean_at_start(data_dir)
    assert _leftovers(data_dir) == []


def test_a_staging_folder_in_use_is_not_removed(store, data_dir):
    store.create("school", {"name": {"cy": "Ysgol"}})
    with staging_folder(data_dir) as folder:
        (folder / "copy").write_text("in use")
        clean_leftovers(data_dir)
        assert (folder / "copy").exists()
    assert _leftovers(data_dir) == []


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_purge_removes_copies_left_by_a_killed_backup(store, data_dir):
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": f"Sgwrs {SECRET}"}})
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _killed_while_staging(data_dir)
    purge(store, "evidence", ev["id"])
    for path in data_dir.rglob("*"):
        if path.is_file() and "backups" not in path.parts:
            assert SECRET.encode() not in path.read_bytes(), path


def test_legacy_leftovers_are_removed_when_no_one_else_uses_the_folder(store, data_dir):
    store.create("school", {"name": {"cy": "Ysgol"}})
    old_restore = data_dir / "selfeval-restore-abcd1234"
    old_restore.mkdir()
    (old_restore / "selfeval.sqlite3").write_bytes(b"copy")
    backups_dir(data_dir).mkdir()
    old_tmp = backups_dir(data_dir) / ".selfeval-before-restore-20261202-213350-572783.zip.ig73oksm.tmp"
    old_tmp.write_bytes(b"copy")
    store.db.close()
    clean_at_start(data_dir)
    assert not old_restore.exists() and not old_tmp.exists()


def test_backup_and_restore_never_write_to_the_system_temp_folder(store, data_dir, tmp_path, monkeypatch):
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_temp))
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    store.create("school", {"name": {"cy": "Ysgol"}})
    path = make_backup(data_dir)
    store.db.close()
    restore(data_dir, path, device_id="device-test-1")
    assert list(system_temp.iterdir()) == []
    assert _leftovers(data_dir) == []
