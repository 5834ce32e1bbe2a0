"""Damaged, locked, read-only, unreadable, empty and foreign databases: each is named for what it
is, nothing is changed, and `check` only reads (findings 6, 14, 19, 20 of the reliability review).
Purge with a second reader open (finding 16), export as one snapshot (finding 15)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from selfeval_app.core import errors
from selfeval_app.core.database import open_database
from selfeval_app.core.export import export_data
from selfeval_app.core.integrity import check_data_dir
from selfeval_app.core.paths import database_path
from selfeval_app.core.purge import purge
from selfeval_app.core.records import RecordStore

SECRET = "zebedeusgwyddbwyll"


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _db_bytes(folder: Path) -> bytes:
    return database_path(folder).read_bytes()


@pytest.fixture
def school(data_dir) -> Path:
    db = open_database(data_dir)
    store = RecordStore(db, device_id="device-1")
    store.create("school", {"name": {"cy": "Ysgol Tŷ Gwyn", "en": "White House School"}})
    for i in range(30):
        store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": f"Tystiolaeth {i}"}, "summary": {"cy": "gair " * 200}})
    store.close()
    return data_dir


def _zero_root_page(data_dir: Path, table: str) -> None:
    path = database_path(data_dir)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x00" * page_size)


def test_check_writes_nothing_to_a_sound_folder(school):
    before = _db_bytes(school)
    result = check_data_dir(school)
    assert result.problems == [] and result.records == 31
    assert _db_bytes(school) == before
    # Only SQLite's own sidecar files may appear (an empty WAL and its index), never data.
    wal = database_path(school).with_name("selfeval.sqlite3-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("table", ["evidence", "school", "change_log", "search_docs", "history", "meta"])
def test_damaged_pages_are_reported_by_check_not_raised(school, table):
    _zero_root_page(school, table)
    before = _files(school)
    try:
        result = check_data_dir(school)
    except errors.UserFacingError as exc:  # meta and the like: the database cannot be read at all
        assert isinstance(exc, errors.DamagedDatabaseError), exc.message()
    else:
        assert result.damaged and result.problems
        assert "damaged" in (result.problems[0][0] % result.problems[0][1])
    assert _files(school)["selfeval.sqlite3"] == before["selfeval.sqlite3"]


def test_opening_a_damaged_database_says_damaged_and_changes_nothing(school):
    _zero_root_page(school, "school")
    before = _db_bytes(school)
    with pytest.raises(errors.UserFacingError) as caught:
        db = open_database(school)
        try:
            RecordStore(db, device_id="d").school()
        finally:
            db.close(optimize=False)
    assert "damaged" in caught.value.message()
    assert _db_bytes(school) == before


def test_a_zero_length_database_is_never_taken_for_a_new_school(data_dir):
    data_dir.mkdir(parents=True)
    database_path(data_dir).write_bytes(b"")
    with pytest.raises(errors.EmptyDatabaseError):
        open_database(data_dir)
    with pytest.raises(errors.EmptyDatabaseError):
        check_data_dir(data_dir)
    assert database_path(data_dir).stat().st_size == 0


@pytest.mark.parametrize("content", [b"x", b"SQLite format 3\x00" + b"\xff" * 100, os.urandom(8192)])
def test_a_file_that_is_not_sqlite_is_damaged(data_dir, content):
    data_dir.mkdir(parents=True)
    database_path(data_dir).write_bytes(content)
    with pytest.raises(errors.DamagedDatabaseError):
        open_database(data_dir)
    result = check_data_dir(data_dir)
    assert result.damaged and result.records == 0
    assert database_path(data_dir).read_bytes() == content


def test_a_foreign_sqlite_file_is_refused_untouched(data_dir):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(database_path(data_dir))
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Siân')")
    conn.commit()
    conn.close()
    before = _db_bytes(data_dir)
    with pytest.raises(errors.ForeignDatabaseError) as caught:
        open_database(data_dir)
    assert "another program" in caught.value.message()
    with pytest.raises(errors.ForeignDatabaseError):
        check_data_dir(data_dir)
    assert _db_bytes(data_dir) == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["selfeval.sqlite3"]


def test_a_locked_database_is_locked_not_damaged(school):
    other = sqlite3.connect(database_path(school), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")  # what another SQLite tool does while it changes the file
    try:
        with pytest.raises(errors.DatabaseLockedError) as caught:
            check_data_dir(school)
        assert "Another program is using the data" in caught.value.message()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_rows_that_are_not_json_are_a_damaged_record_not_a_crash(school):
    conn = sqlite3.connect(database_path(school))
    conn.execute("UPDATE evidence SET area_ids = 'not json' WHERE rowid = 1")
    conn.execute("UPDATE evidence SET extra = '{' WHERE rowid = 2")
    conn.commit()
    conn.close()
    db = open_database(school)
    store = RecordStore(db, device_id="d")
    with pytest.raises(errors.DamagedRecordError) as caught:
        store.list("evidence")
    assert "cannot be read" in caught.value.message()
    db.close(optimize=False)
    problems = check_data_dir(school).problems
    assert sum("cannot be read" in (m % p) for m, p in problems) == 2


def test_text_that_is_not_utf8_is_reported_by_check(school):
    conn = sqlite3.connect(database_path(school))
    conn.execute("UPDATE evidence SET title_cy = CAST(x'fffe41' AS TEXT) WHERE rowid = 3")
    conn.commit()
    conn.close()
    texts = [m % p for m, p in check_data_dir(school).problems]
    assert texts and any("cannot be read" in t for t in texts), texts


def test_an_unreadable_attachment_is_a_problem_not_a_crash(school, tmp_path):
    from selfeval_app.core.attachments import attach, stored_path

    db = open_database(school)
    store = RecordStore(db, device_id="device-1")
    source = tmp_path / "nodyn.txt"
    source.write_text("nodyn", encoding="utf-8")
    ev = store.list("evidence")[0]
    att = attach(store, ev["id"], source).record
    store.close()
    path = stored_path(school, att["sha256"])
    path.chmod(0o600)
    path.unlink()
    path.mkdir()  # a folder where the file should be: reading it fails
    problems = check_data_dir(school).problems
    assert [(m % p) for m, p in problems] == ["The file of attachment nodyn.txt is missing."]


def test_data_folder_shapes_are_clear_messages(tmp_path):
    a_file = tmp_path / "ffeil"
    a_file.write_text("x")
    with pytest.raises(errors.DataFolderError, match="ffeil"):
        open_database(a_file)
    folder = tmp_path / "ysgol"
    folder.mkdir()
    (folder / "attachments").write_text("x")
    with pytest.raises(errors.DataFolderError, match="attachments"):
        open_database(folder)


def test_export_is_one_snapshot_while_another_process_saves(school, monkeypatch):
    db = open_database(school)
    store = RecordStore(db, device_id="device-1")
    other_db = open_database(school)
    other = RecordStore(other_db, device_id="device-2")
    real_list = store.list
    calls = []

    def list_then_someone_saves(type_name, **kw):
        rows = real_list(type_name, **kw)
        if not calls:  # after the first type is read, another writer saves a school and a plan
            with other.transaction():
                school_rec = other.list("school")[0]
                other.update("school", school_rec["id"], {"cluster": "Clwstwr newydd"})
                other.create("plan", {"title": {"cy": "Cynllun newydd"}, "start_year": 2026})
        calls.append(type_name)
        return rows

    monkeypatch.setattr(store, "list", list_then_someone_saves)
    data = export_data(store)
    assert calls[0] == "school"
    assert data["records"]["plan"] == []  # the plan saved after the snapshot began is not in it
    other.close()
    store.close()


def test_purge_with_another_reader_open_is_finished_at_the_next_open(school):
    db = open_database(school)
    store = RecordStore(db, device_id="device-1")
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": f"Sgwrs {SECRET}"}})
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # A real second SQLite reader in another process holds a read snapshot (as a DB browser does).
    script = textwrap.dedent(
        f"""
        import sqlite3, sys
        conn = sqlite3.connect({str(database_path(school))!r}, isolation_level=None)
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM evidence").fetchone()
        print("reading", flush=True)
        sys.stdin.readline()
        conn.execute("COMMIT")
        """
    )
    reader = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"
        change = purge(store, "evidence", ev["id"])
        assert change.pending
        assert store.db.meta("purge_pending") == "1"
    finally:
        reader.communicate("\n", timeout=30)
    store.close()
    db = open_database(school)  # the next start finishes the purge
    assert db.meta("purge_pending") is None
    db.close()
    blob = b"".join(p.read_bytes() for p in school.iterdir() if p.is_file())
    assert SECRET.encode() not in blob


def test_purge_without_other_readers_finishes_at_once(school):
    db = open_database(school)
    store = RecordStore(db, device_id="device-1")
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": f"Sgwrs {SECRET}"}})
    change = purge(store, "evidence", ev["id"])
    assert not change.pending and store.db.meta("purge_pending") is None
    store.close()


def test_a_full_disk_while_writing_a_file_says_the_disk_is_full(tmp_path, monkeypatch):
    """ENOSPC cannot be produced here without a small mount: it is injected at the write."""
    import errno

    from selfeval_app.core import safe_files

    target = tmp_path / "allforio.json"
    with pytest.raises(errors.StorageFullError) as caught:
        with safe_files.atomic_output(target) as out:
            out.write(b"{}")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert "disk is full" in caught.value.message()
    assert list(tmp_path.iterdir()) == []


def test_a_blob_where_text_belongs_is_a_damaged_record(school):
    conn = sqlite3.connect(database_path(school))
    conn.execute("UPDATE evidence SET title_en = x'00ff' WHERE rowid = 1")
    conn.commit()
    conn.close()
    db = open_database(school)
    with pytest.raises(errors.DamagedRecordError):
        export_data(RecordStore(db, device_id="d"))
    db.close(optimize=False)


def test_a_disk_io_error_says_the_file_may_be_damaged():
    from selfeval_app.core.db_health import error_from_sqlite

    error = error_from_sqlite(sqlite3.OperationalError("disk I/O error"), "/ysgol/selfeval.sqlite3")
    assert isinstance(error, errors.DiskIOError)
    assert "may be damaged" in error.message() and "/ysgol/selfeval.sqlite3" in error.message()
