"""Data folders named with `#`, `?`, `%xx`, spaces and Welsh letters: every core flow works in
them (create, save, search, export, backup, restore, check, demo, report) and nothing is written
beside them; a newer app's database is still refused there, untouched; a name too long for the
file system is a clear message. (Finding 3 and 25 of the reliability review.)"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval_app.core.backup import make_backup, restore
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import NewerDatabaseError, PathTooLongError
from selfeval_app.core.export import write_export
from selfeval_app.core.integrity import check_data_dir
from selfeval_app.core.paths import database_path
from selfeval_app.core.records import RecordStore
from selfeval_app.core.sqlite_uri import sqlite_uri

#: Folder names that once broke the SQLite URI (`#`, `?`, `%xx`), with spaces and Welsh letters
#: (tests/conftest.py's `data_dir` uses one such name for every other test).
AWKWARD_FOLDER_NAMES = ("Ysgol #3", "Beth? pam", "a%20b", "Ysgol Gymraeg Llanbedr Pont Steffan ŵŷ", "50% & #1?x=y")


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("name", AWKWARD_FOLDER_NAMES)
def test_uri_names_exactly_that_file(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    conn = sqlite3.connect(sqlite_uri(folder / "x.sqlite3", mode="rwc"), uri=True)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    assert sorted(p.name for p in folder.iterdir()) == ["x.sqlite3"]
    reader = sqlite3.connect(sqlite_uri(folder / "x.sqlite3"), uri=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("INSERT INTO t VALUES (1)")
    reader.close()


@pytest.mark.parametrize("name", AWKWARD_FOLDER_NAMES)
def test_core_flows_in_an_awkward_folder(tmp_path, name):
    data = tmp_path / name
    db = open_database(data)
    store = RecordStore(db, device_id="device-1")
    store.create("school", {"name": {"cy": "Ysgol Tŷ Gwyn", "en": "White House School"}})
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": "Sgwrs â'r dysgwyr"}})
    assert [h.record_id for h in store.search("sgwrs")] == [ev["id"]]
    reader = db.reader()
    assert reader.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1
    reader.close()
    counts = write_export(store, tmp_path / "allforio.json")
    assert counts["evidence"] == 1
    backup = make_backup(data, tmp_path / "copi.zip")
    store.update("evidence", ev["id"], {"title": {"cy": "Wedi newid"}})
    store.close()
    restore(data, backup, device_id="device-1")
    db = open_database(data)
    store = RecordStore(db, device_id="device-1")
    assert store.get("evidence", ev["id"])["title"]["cy"] == "Sgwrs â'r dysgwyr"
    store.close()
    assert check_data_dir(data).problems == []
    # Nothing appeared beside the folder (a cut URI once made a stray database there).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "allforio.json", "copi.zip"])


@pytest.mark.parametrize("name", AWKWARD_FOLDER_NAMES)
def test_newer_database_is_refused_untouched_in_an_awkward_folder(tmp_path, name):
    data = tmp_path / name
    open_database(data).close()
    path = database_path(data)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('selfeval', '0002_future', 'x')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    before = _tree(data)
    with pytest.raises(NewerDatabaseError):
        open_database(data)
    with pytest.raises(NewerDatabaseError):
        check_data_dir(data)
    after = _tree(data)
    assert after[path.name] == before[path.name]
    assert sqlite3.connect(sqlite_uri(path)).execute("PRAGMA user_version").fetchone()[0] == 2


def test_cli_commands_in_an_awkward_folder(tmp_path):
    data = tmp_path / "Ysgol #3 Beth? pam a%20b ŵŷ"

    def run(*args):
        return subprocess.run([sys.executable, "-m", "selfeval_app", *args, "--data-dir", str(data), "--lang", "en"], capture_output=True, text=True, encoding="utf-8")

    assert run("demo").returncode == 0
    result = run("search", "ysgol", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] > 0
    assert run("check").returncode == 0
    assert run("export", "--out", str(tmp_path / "e.json")).returncode == 0
    assert run("backup", "--out", str(tmp_path / "b.zip")).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "selfeval_app", "report", "sdp-summary", "--draft", "--out", str(tmp_path / "r.pdf"), "--data-dir", str(data)],
        capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([data.name, "e.json", "b.zip", "r.pdf"])


@pytest.mark.parametrize("name", ["a" * 256, "ŵ" * 128, "Ysgol/" * 800])
def test_a_name_too_long_is_a_clear_message(tmp_path, name):
    with pytest.raises(PathTooLongError) as caught:
        open_database(tmp_path / name)
    assert "too long" in caught.value.message()
    with pytest.raises(PathTooLongError):
        check_data_dir(tmp_path / name)
