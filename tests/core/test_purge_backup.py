"""Purge leaves no trace; backup → change → restore gives back the backed-up state and never
rewinds revs or sequence numbers; attachments are stored by hash and opened read-only."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from selfeval_app.core import attachments, paths
from selfeval_app.core.attachments import attach, open_copy, stored_path
from selfeval_app.core.backup import list_backups, make_backup, read_manifest, restore
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import AttachmentError, BackupError
from selfeval_app.core.purge import purge
from selfeval_app.core.records import RecordStore

SECRET = "zebedeusgwyddbwyll"  # a word found nowhere else, lower case as the index stores it


def _all_bytes(data_dir: Path) -> bytes:
    blob = b""
    for p in data_dir.rglob("*"):
        if p.is_file() and "backups" not in p.parts:
            blob += p.read_bytes()
    return blob


def test_purge_leaves_no_trace(store, data_dir, tmp_path):
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "learner_voice", "title": {"cy": f"Sgwrs {SECRET}"}, "summary": {"cy": f"Nodiadau am {SECRET}"}})
    for i in range(4):
        store.update("evidence", ev["id"], {"summary": {"en": f"{SECRET} note {i}"}}, session=f"s{i}")
    source = tmp_path / "nodiadau.txt"
    source.write_text(f"Enw: {SECRET}\n" * 50, encoding="utf-8")
    att = attach(store, ev["id"], source).record
    keep = store.create("evidence", {"date": "2026-05-02", "kind": "other", "title": {"cy": "Aros"}})
    store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    assert SECRET.encode() in _all_bytes(data_dir)
    assert store.search(SECRET)

    purge(store, "evidence", ev["id"])

    assert store.get("evidence", ev["id"]) is None
    tomb = store.get("evidence", ev["id"], include_deleted=True)
    assert tomb["deleted"] and tomb["title"] == {"cy": "", "en": ""}
    assert store.history("evidence", ev["id"]) == [] and store.history("attachment", att["id"]) == []
    assert store.search(SECRET) == []
    assert not stored_path(data_dir, att["sha256"]).exists()
    assert store.get("evidence", keep["id"]) is not None
    blob = _all_bytes(data_dir)
    assert SECRET.encode() not in blob
    assert SECRET.encode("utf-16-le") not in blob
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_change_restore(store, data_dir, tmp_path):
    school = store.create("school", {"name": {"cy": "Ysgol Llan-faes", "en": "Llan-faes School"}})
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": "Cyn y copi wrth gefn"}})
    src = tmp_path / "tŷ-ŵyr.txt"
    src.write_text("cynnwys", encoding="utf-8")
    attach(store, ev["id"], src)
    backup = make_backup(data_dir, tmp_path / "wrth-gefn.zip")
    manifest = read_manifest(backup)
    assert "database.sqlite3" in manifest["files"] and any(k.startswith("attachments/") for k in manifest["files"])

    # change after the backup
    store.update("school", school["id"], {"name": {"cy": "Ysgol Newydd"}})
    later = store.create("evidence", {"date": "2026-06-01", "kind": "other", "title": {"cy": "Ar ôl"}})
    store.delete("evidence", ev["id"])
    seq_before = store.changes_since(0)[-1]["seq"]
    rev_before = store.get("school", school["id"])["rev"]
    store.db.close()

    safety = restore(data_dir, backup, device_id="device-test-1")

    db = open_database(data_dir)
    s = RecordStore(db, device_id="device-test-1")
    assert s.get("school", school["id"])["name"]["cy"] == "Ysgol Llan-faes"
    assert s.get("evidence", ev["id"])["title"]["cy"] == "Cyn y copi wrth gefn"
    assert s.get("evidence", later["id"]) is None
    assert s.get("evidence", later["id"], include_deleted=True)["deleted"]  # a tombstone, not a missing row
    assert s.get("school", school["id"])["rev"] > rev_before  # revs never go backwards
    assert s.changes_since(0)[-1]["seq"] > seq_before  # nor do sequence numbers
    assert s.epoch == 2
    assert s.search("Llan-faes")
    # the state before the restore is kept as a backup
    assert safety is not None and safety in list_backups(data_dir)
    with zipfile.ZipFile(safety) as zf:
        assert "database.sqlite3" in zf.namelist()
    db.close()
    # and restoring that safety backup brings the newer state back
    restore(data_dir, safety, device_id="device-test-1")
    db = open_database(data_dir)
    s = RecordStore(db, device_id="device-test-1")
    assert s.get("school", school["id"])["name"]["cy"] == "Ysgol Newydd"
    assert s.get("evidence", later["id"]) is not None
    db.close()


def test_damaged_backup_is_refused_and_changes_nothing(store, data_dir, tmp_path):
    store.create("school", {"name": {"cy": "Ysgol"}})
    good = make_backup(data_dir, tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "database.sqlite3":
                data = data[:-100] + b"x" * 100
            zout.writestr(item, data)
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("hello")
    before = paths.database_path(data_dir).read_bytes()
    for candidate in (bad, not_zip, tmp_path / "missing.zip"):
        with pytest.raises(BackupError):
            restore(data_dir, candidate, device_id="d")
    assert paths.database_path(data_dir).read_bytes() == before
    assert list_backups(data_dir) == []


def test_rotating_automatic_backups(store, data_dir):
    store.create("school", {"name": {"cy": "Ysgol"}})
    for _ in range(12):
        make_backup(data_dir, reason="auto")
    assert len([p for p in list_backups(data_dir) if "-auto-" in p.name]) == 10


def test_attachment_is_stored_by_hash_and_opened_read_only(store, data_dir, tmp_path):
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "book_look", "title": {"cy": "Llyfrau"}})
    src = tmp_path / "craffu-ar-waith-Ŵyn.txt"
    src.write_text("Gwaith da iawn.\n", encoding="utf-8")
    att = attach(store, ev["id"], src).record
    assert att["name"] == "craffu-ar-waith-Ŵyn.txt"
    assert att["size"] == src.stat().st_size and att["media_type"] == "text/plain"
    stored = stored_path(data_dir, att["sha256"])
    assert stored.read_bytes() == src.read_bytes()
    copy = open_copy(store, att["id"])
    assert copy.name == att["name"]
    assert not os.access(copy, os.W_OK) or os.geteuid() == 0
    os.chmod(copy, 0o644)
    copy.write_text("newid", encoding="utf-8")  # editing the opened copy...
    assert stored.read_bytes() == src.read_bytes()  # ...never changes the stored file
    attachments.remove_open_copies()
    assert not copy.exists()


def test_attachment_errors_store_nothing(store, data_dir, tmp_path, monkeypatch):
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "book_look", "title": {"cy": "Llyfrau"}})
    with pytest.raises(AttachmentError):
        attach(store, ev["id"], tmp_path)  # a folder
    with pytest.raises(AttachmentError):
        attach(store, ev["id"], tmp_path / "dim-yma.pdf")
    big = tmp_path / "mawr.bin"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024)
    with pytest.raises(AttachmentError):
        attach(store, ev["id"], big)
    # An unreadable file can't be made as root here: inject the failure at the open() call.
    unreadable = tmp_path / "cloedig.txt"
    unreadable.write_text("x")
    real_open = open

    def failing_open(path, *args, **kwargs):
        if Path(path) == unreadable:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(attachments, "open", failing_open, raising=False)
    with pytest.raises(AttachmentError):
        attach(store, ev["id"], unreadable)
    assert store.count("attachment") == 0
    root = paths.attachments_dir(data_dir)
    assert not root.exists() or [p for p in root.rglob("*") if p.is_file()] == []
