"""The light look at the school's name for the window's first paint (core/school_glance.py): the
name when the data is in order, None (the full open first) whenever anything is unusual, and it
changes nothing on disk."""

from __future__ import annotations

import sqlite3

from selfeval_app.core.database import open_database
from selfeval_app.core.paths import database_path
from selfeval_app.core.records import RecordStore
from selfeval_app.core.school_glance import glance_school

NAME = {"cy": "Ysgol Gymraeg Bro Ŵyr", "en": "Gower Welsh School"}


def _school(folder, name=NAME):
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(folder)
    try:
        if name is not None:
            RecordStore(db, device_id="dev-glance").create("school", {"name": name, "phase": "primary"})
    finally:
        db.close()
    return folder


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_the_name_of_a_school_in_order_and_nothing_written(tmp_path):
    folder = _school(tmp_path / "Ysgol ŵ #1")
    before = _files(folder)
    glance = glance_school(folder)
    assert glance is not None and glance.record == {"name": NAME} and glance.is_example is False
    after = _files(folder)
    # The database and every file there before are untouched; a reader of a WAL database may
    # add SQLite's own -wal/-shm index files (as any read-only look at start does).
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) <= {"selfeval.sqlite3-wal", "selfeval.sqlite3-shm"}


def test_the_example_school_says_so(tmp_path):
    from selfeval_app.core.demo import build_example_school

    folder = tmp_path / "example"
    build_example_school(folder, device_id="dev-glance")
    glance = glance_school(folder)
    assert glance is not None and glance.is_example is True


def test_none_when_there_is_nothing_yet(tmp_path):
    assert glance_school(tmp_path / "missing") is None
    assert not (tmp_path / "missing").exists()  # not made either
    (tmp_path / "empty").mkdir()
    assert glance_school(tmp_path / "empty") is None
    assert glance_school(_school(tmp_path / "no school", name=None)) is None  # first start


def test_none_when_migrations_are_pending_or_newer(tmp_path):
    pending = _school(tmp_path / "pending")
    with sqlite3.connect(database_path(pending)) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE rowid = (SELECT max(rowid) FROM _sqlite_migrations)")
    assert glance_school(pending) is None
    newer = _school(tmp_path / "newer")
    with sqlite3.connect(database_path(newer)) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) SELECT migration_set, '9999_future', applied_at FROM _sqlite_migrations LIMIT 1")
    assert glance_school(newer) is None


def test_none_for_damaged_foreign_or_unreadable_data(tmp_path):
    damaged = _school(tmp_path / "damaged")
    with open(database_path(damaged), "r+b") as f:
        f.write(b"not sqlite at all")
    assert glance_school(damaged) is None
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    with sqlite3.connect(database_path(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert glance_school(foreign) is None
    deleted = _school(tmp_path / "deleted")
    with sqlite3.connect(database_path(deleted)) as conn:
        conn.execute("UPDATE school SET deleted = 1")
    assert glance_school(deleted) is None
