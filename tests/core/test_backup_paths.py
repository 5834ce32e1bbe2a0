"""Backup and restore in data folders whose names SQLite URIs get wrong unless escaped (review
finding 3): `#`, `?`, `%20`, spaces and Welsh letters."""

from __future__ import annotations

import shutil

import pytest

from selfeval_app.core.backup import make_backup, restore
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.core.sqlite_uri import readonly_uri


@pytest.mark.parametrize("name", ["Ysgol #3", "Beth? pam", "a%20b", "Tŷ ŵyr â", "100% & ;=+"])
def test_backup_and_restore_in_an_awkward_folder(tmp_path, name):
    normal = tmp_path / "normal"
    db = open_database(normal)
    store = RecordStore(db, device_id="device-test-1")
    school = store.create("school", {"name": {"cy": "Ysgol Cyn"}})
    db.close()
    folder = tmp_path / name
    shutil.move(normal, folder)
    backup = make_backup(folder, tmp_path / "copi.zip")
    db = open_database(folder)
    RecordStore(db, device_id="device-test-1").update("school", school["id"], {"name": {"cy": "Ysgol Ar Ôl"}})
    db.close()
    assert restore(folder, backup, device_id="device-test-1") is not None
    db = open_database(folder)
    assert RecordStore(db, device_id="device-test-1").get("school", school["id"])["name"]["cy"] == "Ysgol Cyn"
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["copi.zip", name])  # no stray file beside it


def test_readonly_uri_escapes_what_sqlite_would_cut_or_decode(tmp_path):
    uri = readonly_uri(tmp_path / "a#b?c%20d")
    assert uri.endswith("/a%23b%3Fc%2520d?mode=ro")
