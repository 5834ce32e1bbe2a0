"""The window at start on data it cannot open: a dialog says what is wrong (never a silent exit),
and a damaged database is offered the newest sound backup (reliability review findings 6, 19)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import make_school
from selfeval_app.core.paths import database_path


def _zero_root_page(folder: Path, table: str) -> None:
    path = database_path(folder)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x00" * page_size)


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "Ysgol #3 ŵŷ"
    make_school(folder)
    return folder


def _backup(folder: Path) -> Path:
    from selfeval_app.core.backup import make_backup

    return make_backup(folder, reason="auto")


def test_damaged_database_offers_the_newest_sound_backup_and_restores_it(launch, folder, fake_dialogs):
    backup = _backup(folder)
    _zero_root_page(folder, "school")
    fake_dialogs.answers = [True]
    ctx = launch(folder, "en")
    questions = [c for c in fake_dialogs.calls if c[0] == "question"]
    assert len(questions) == 1
    assert "damaged" in questions[0][2] and backup.name in questions[0][2]
    assert not isinstance(ctx, int), fake_dialogs.calls
    assert ctx.window is not None
    assert ctx.session.school()["name"]["en"] == "Builth Wells Primary School"


def test_damaged_database_refused_restore_shows_no_window(launch, folder, fake_dialogs):
    _backup(folder)
    _zero_root_page(folder, "school")
    before = database_path(folder).read_bytes()
    fake_dialogs.answers = [False]
    assert launch(folder, "en") == 1
    assert [c[0] for c in fake_dialogs.calls] == ["question"]
    assert database_path(folder).read_bytes() == before


def test_damaged_database_without_a_backup_says_so(launch, folder, fake_dialogs):
    _zero_root_page(folder, "school")
    assert launch(folder, "en") == 1
    (kind, _title, text), = fake_dialogs.calls
    assert kind == "warning" and "damaged" in text and "no sound backup" in text


@pytest.mark.parametrize("kind", ["empty", "foreign"])
def test_empty_or_foreign_database_is_not_a_first_start(launch, tmp_path, fake_dialogs, kind):
    folder = tmp_path / "ysgol"
    folder.mkdir()
    if kind == "empty":
        database_path(folder).write_bytes(b"")
    else:
        conn = sqlite3.connect(database_path(folder))
        conn.execute("CREATE TABLE pupils (name TEXT)")
        conn.commit()
        conn.close()
    before = database_path(folder).read_bytes()
    assert launch(folder, "en") == 1
    (call, _title, text), = fake_dialogs.calls
    assert call == "warning"
    assert ("empty" if kind == "empty" else "another program") in text
    assert database_path(folder).read_bytes() == before


def test_locked_database_says_another_program_and_offers_no_restore(launch, folder, fake_dialogs):
    _backup(folder)
    other = sqlite3.connect(database_path(folder), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert launch(folder, "en") == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    (call, _title, text), = fake_dialogs.calls
    assert call == "warning" and "Another program is using the data" in text


def test_unknown_language_in_settings_still_starts(launch, folder, fake_dialogs, monkeypatch, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"language": "fr", "welsh_letter_helper": "na"}), encoding="utf-8")
    monkeypatch.setenv("SELFEVAL_CONFIG_DIR", str(config))
    ctx = launch(folder)
    assert not isinstance(ctx, int)
    assert ctx.first_start is not None or ctx.window is not None
