"""Shared fixtures: every test gets its own config folder, so nothing touches the real one."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# CI runs the same examples every time (a red CI is then reproducible); developers' runs explore.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory, monkeypatch):
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("SELFEVAL_CONFIG_DIR", str(config))
    monkeypatch.delenv("SELFEVAL_DATA_DIR", raising=False)
    monkeypatch.setenv("SELFEVAL_EXAMPLE_DIR", str(config / "example"))
    monkeypatch.delenv("SELFEVAL_LANG", raising=False)
    yield
    from selfeval_app.core import i18n

    i18n.set_language("en")


#: A folder name with what once broke the SQLite URI (`#`, `?`, `%xx`), spaces and Welsh letters:
#: every test's `data_dir` is inside it (tests/core/test_folder_names.py tries each on its own).
ODD_FOLDER_NAME = "Ysgol #3 Beth? pam a%20b ŵŷ"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / ODD_FOLDER_NAME / "data"


@pytest.fixture
def store(data_dir):
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    db = open_database(data_dir)
    s = RecordStore(db, device_id="device-test-1")
    yield s
    db.close()
