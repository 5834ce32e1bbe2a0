"""Backups that survive wrong clocks and old files (reliability review findings 2 and 7): rotation
by sequence number, "due" logic that a future-dated backup cannot stop, zip dates clamped to 1980."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile

import pytest

from selfeval_app.core import backup as backup_module
from selfeval_app.core.attachments import attach, stored_path
from selfeval_app.core.backup import KEEP, auto_backup_if_due, list_backups, make_backup, restore

UTC = dt.UTC
REAL = dt.datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def school(store, data_dir):
    store.create("school", {"name": {"cy": "Ysgol y Cloc"}})
    return store


def _kind(reason):
    return lambda p: f"-{reason}-" in p.name


def test_a_backup_made_with_the_clock_in_the_past_is_kept_and_listed_first(school, data_dir):
    for day in range(KEEP["before-restore"]):
        make_backup(data_dir, reason="before-restore", now=REAL + dt.timedelta(days=day))
    wrong_clock = make_backup(data_dir, reason="before-restore", now=dt.datetime(2001, 1, 1, tzinfo=UTC))
    kept = [p for p in list_backups(data_dir) if _kind("before-restore")(p)]
    assert wrong_clock.exists()
    assert kept[0] == wrong_clock and len(kept) == KEEP["before-restore"]


def test_after_a_future_clock_is_corrected_new_automatic_backups_are_made_and_kept(school, data_dir):
    for day in range(12):
        make_backup(data_dir, reason="auto", now=dt.datetime(2031, 1, 1, tzinfo=UTC) + dt.timedelta(days=day))
    made = auto_backup_if_due(data_dir, now=REAL)  # the clock is right again: the newest looks "future"
    assert made is not None and made.exists()
    assert list_backups(data_dir)[0] == made
    assert len([p for p in list_backups(data_dir) if _kind("auto")(p)]) == KEEP["auto"]


def test_automatic_backup_is_due_after_a_day_and_not_before(school, data_dir):
    first = auto_backup_if_due(data_dir, now=REAL)
    assert first is not None
    assert auto_backup_if_due(data_dir, now=REAL + dt.timedelta(hours=23)) is None
    assert auto_backup_if_due(data_dir, now=REAL + dt.timedelta(hours=25)) is not None


def test_rotation_keeps_the_highest_sequence_numbers(school, data_dir):
    made = [make_backup(data_dir, reason="auto", now=REAL - dt.timedelta(days=i)) for i in range(14)]
    kept = [p for p in list_backups(data_dir) if _kind("auto")(p)]
    assert kept == list(reversed(made[-KEEP["auto"]:]))  # the last made survive, whatever their dates
    manifest = json.loads(zipfile.ZipFile(kept[0]).read("manifest.json"))
    assert manifest["sequence"] == 14


def test_backup_and_restore_work_with_a_clock_before_1980(school, data_dir, monkeypatch):
    monkeypatch.setattr(backup_module, "_now", lambda: dt.datetime(1975, 6, 1, 12, 0, tzinfo=UTC))
    path = make_backup(data_dir)
    with zipfile.ZipFile(path) as zf:
        assert all(info.date_time >= (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
        assert json.loads(zf.read("manifest.json"))["created_at"] == "1975-06-01T12:00:00Z"
    school.db.close()
    assert restore(data_dir, path, device_id="device-test-1") is not None


def test_an_attachment_file_dated_before_1980_is_backed_up(school, data_dir, tmp_path):
    ev = school.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": "Hen lun"}})
    source = tmp_path / "hen-lun.txt"
    source.write_text("o gamera", encoding="utf-8")
    att = attach(school, ev["id"], source).record
    os.utime(stored_path(data_dir, att["sha256"]), (0, 0))  # 1970, as a FAT stick or camera leaves it
    path = make_backup(data_dir, tmp_path / "copi.zip")
    with zipfile.ZipFile(path) as zf:
        assert f"attachments/{att['sha256']}" in zf.namelist()


def test_backups_named_before_numbering_still_restore_and_sort_below_numbered_ones(school, data_dir, tmp_path):
    numbered = make_backup(data_dir, reason="auto", now=REAL)
    old = numbered.with_name("selfeval-auto-20991231-235959-123456.zip")  # the earlier naming, a later stamp
    with zipfile.ZipFile(numbered) as zin, zipfile.ZipFile(old, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                del manifest["sequence"]
                data = json.dumps(manifest).encode()
            zout.writestr(info, data)
    newer = make_backup(data_dir, reason="auto", now=REAL)
    assert list_backups(data_dir)[:3] == [newer, numbered, old]
    school.db.close()
    assert restore(data_dir, old, device_id="device-test-1") is not None
