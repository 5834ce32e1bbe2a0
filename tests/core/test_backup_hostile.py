"""Restore from hostile or damaged backups (reliability review findings 1, 4, 10, 24): refused with
one clear message, the data folder byte-identical, nothing written outside it."""

from __future__ import annotations

import json
import os
import random
import stat
import zipfile
from pathlib import Path

import pytest
from benchmarks.fuzz_backups import fuzz, make_school, tree_state
from benchmarks.hostile_backups import (
    consistent,
    edit_database,
    good_members,
    manifest_for,
    patch_headers,
    read_good,
    write_zip,
)

from selfeval_app.core import i18n
from selfeval_app.core.attachments import stored_path
from selfeval_app.core.backup import make_backup, read_manifest, restore
from selfeval_app.core.backup_archive import FORMAT_VERSION
from selfeval_app.core.errors import BackupError, DamagedBackupError, NewerBackupError
from selfeval_app.core.schema import SCHEMA_VERSION


@pytest.fixture
def school(tmp_path):
    """(data folder of a small school, its good backup, the backup's members)."""
    data = tmp_path / "work" / "data"
    make_school(data)
    good_path = make_backup(data, tmp_path / "good.zip")
    return data, good_path, read_good(good_path)


def refused(data: Path, backup: Path, error=DamagedBackupError) -> str:
    """Restore `backup`, expect a refusal that changes nothing in or around the data folder."""
    work = data.parent
    before, around = tree_state(data), tree_state(work, skip=data)
    with pytest.raises(error) as info:
        restore(data, backup, device_id="device-test-1")
    assert tree_state(data) == before
    assert tree_state(work, skip=data) == around
    message = info.value.message()
    assert "Nothing was changed" in message
    return message


@pytest.mark.parametrize(
    "name",
    ["attachments/../../slip", "../slip", "attachments/../../outside/slip", "//host/share/slip", "attachments///server/share/slip", "attachments\\..\\..\\slip", "C:/Users/Public/slip", "backups/selfeval-auto-29991231-000000-n999999.zip"],
)
@pytest.mark.parametrize("listed", [True, False])
def test_a_member_named_outside_attachments_is_refused_and_nothing_is_written(school, tmp_path, name, listed):
    data, _, good = school
    members = good_members(good)
    if listed:
        backup = consistent(tmp_path / "slip.zip", good, {**members, name: b"slip"})
    else:
        backup = consistent(tmp_path / "slip.zip", good, members, extra=[(name, b"slip")])
    refused(data, backup)
    assert not Path("/server/share/slip").exists() and not (tmp_path / "slip").exists()


def test_an_absolute_member_is_refused_even_when_the_database_would_fail_later(school, tmp_path):
    data, _, good = school
    target = tmp_path / "work" / "outside-abs"
    members = {**good_members(good), "database.sqlite3": b""}
    backup = consistent(tmp_path / "abs.zip", good, members, extra=[(target.as_posix(), b"x")])
    refused(data, backup)
    assert not target.exists()


def test_files_empty_dict_is_refused(school, tmp_path):
    data, _, good = school
    raw = json.dumps({**good.manifest, "files": {}}).encode()
    refused(data, write_zip(tmp_path / "empty-files.zip", [("manifest.json", raw), *good_members(good).items()]))


def test_attachment_whose_content_does_not_match_its_name_is_refused(school, tmp_path):
    data, _, good = school
    sha, content = next(iter(good.attachments.items()))
    members = {**good_members(good), f"attachments/{sha}": content + b"!"}
    raw = json.loads(manifest_for(good, members))
    raw["files"][f"attachments/{sha}"] = sha
    message = refused(data, write_zip(tmp_path / "att.zip", [("manifest.json", json.dumps(raw).encode()), *members.items()]))
    assert "checksum" in message


@pytest.mark.parametrize(
    "variant,words",
    [
        ("zero", "empty"),
        ("empty-sqlite", "not a Hunanwerthuso database"),
        ("trigger", "triggers or views"),
        ("view", "triggers or views"),
        ("no-search-index", "triggers or views"),
        ("tampered", "changed outside the app"),
        ("no-owner", "no owner"),
        ("damaged-page", "damaged"),
    ],
)
def test_a_damaged_empty_or_booby_trapped_database_is_refused(school, tmp_path, variant, words):
    data, _, good = school
    if variant == "zero":
        db = b""
    elif variant == "empty-sqlite":
        import sqlite3

        conn = sqlite3.connect(tmp_path / "e.sqlite3")
        conn.execute("CREATE TABLE x (a)")
        conn.execute("DROP TABLE x")
        conn.close()
        db = (tmp_path / "e.sqlite3").read_bytes()
    elif variant == "damaged-page":
        buf = bytearray(good.database)
        buf[4096 : 4096 * 2] = b"\xff" * 4096  # page 2: a table's root page
        db = bytes(buf)
    else:
        sql = {
            "trigger": ["CREATE TRIGGER t AFTER UPDATE ON evidence BEGIN UPDATE evidence SET title_cy = 'x'; END"],
            "view": ["CREATE VIEW v AS SELECT 1"],
            "no-search-index": ["DROP TABLE search_index"],
            "tampered": ["UPDATE evidence SET title_cy = 'wedi newid' WHERE rowid = 1"],
            "no-owner": ["DELETE FROM meta WHERE key = 'school_owner'"],
        }[variant]
        db = edit_database(good, tmp_path, variant, sql)
    backup = consistent(tmp_path / f"{variant}.zip", good, {**good_members(good), "database.sqlite3": db})
    assert words in refused(data, backup)


@pytest.mark.parametrize("change", [{"format_version": FORMAT_VERSION + 1}, {"schema_version": SCHEMA_VERSION + 1}])
def test_a_backup_from_a_newer_version_says_so(school, tmp_path, change):
    data, _, good = school
    message = refused(data, consistent(tmp_path / "newer.zip", good, good_members(good), **change), NewerBackupError)
    assert "newer version" in message


def test_a_database_made_by_a_newer_version_says_so(school, tmp_path):
    data, _, good = school
    db = edit_database(good, tmp_path, "uv", [f"PRAGMA user_version = {SCHEMA_VERSION + 1}"])
    backup = consistent(tmp_path / "uv.zip", good, {**good_members(good), "database.sqlite3": db})
    refused(data, backup, NewerBackupError)


@pytest.mark.parametrize(
    "kind", ["encrypted", "method-99", "lzma", "bzip2", "manifest-list", "manifest-null", "deep-manifest", "bit-flip", "truncated", "long-name"]
)
def test_every_kind_of_damage_becomes_one_clear_error(school, tmp_path, kind):
    """The zip, zlib, lzma and json modules' exceptions (RuntimeError, NotImplementedError,
    LZMAError, AttributeError, RecursionError, zlib.error, ...) all become a BackupError."""
    data, good_path, good = school
    members = good_members(good)
    path = tmp_path / f"{kind}.zip"
    raw = good_path.read_bytes()
    if kind == "encrypted":
        path.write_bytes(patch_headers(raw, flag_or=0x1))
    elif kind == "method-99":
        path.write_bytes(patch_headers(raw, method=99))
    elif kind in ("lzma", "bzip2"):
        write_zip(path, [("manifest.json", manifest_for(good, members)), *members.items()], compression=zipfile.ZIP_LZMA if kind == "lzma" else zipfile.ZIP_BZIP2)
    elif kind.startswith("manifest") or kind == "deep-manifest":
        manifest = {"manifest-list": b"[]", "manifest-null": b"null", "deep-manifest": b"[" * 200_000 + b"]" * 200_000}[kind]
        write_zip(path, [("manifest.json", manifest), *members.items()])
    elif kind == "bit-flip":
        with zipfile.ZipFile(good_path) as zf:
            info = zf.getinfo("database.sqlite3")
        buf = bytearray(raw)
        buf[info.header_offset + 30 + len("database.sqlite3") + 40] ^= 0x10  # inside the deflated data
        path.write_bytes(bytes(buf))
    elif kind == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    else:
        path = tmp_path / ("x" * 300 + ".zip")
    refused(data, path)
    with pytest.raises(BackupError):
        read_manifest(path)


@pytest.mark.parametrize("mode", [stat.S_IFLNK | 0o777, stat.S_IFDIR | 0o755, stat.S_IFIFO | 0o644])
def test_links_folders_and_special_members_are_refused(school, tmp_path, mode):
    data, _, good = school
    sha = next(iter(good.attachments))
    members = good_members(good)
    others = [(k, v) for k, v in members.items() if k != f"attachments/{sha}"]
    backup = write_zip(tmp_path / "special.zip", [("manifest.json", manifest_for(good, members)), *others, (f"attachments/{sha}", members[f"attachments/{sha}"], mode)])
    assert "link, a folder or a special file" in refused(data, backup)


def test_duplicate_member_names_are_refused(school, tmp_path):
    data, _, good = school
    members = good_members(good)
    with pytest.warns(UserWarning):
        backup = write_zip(tmp_path / "dup.zip", [("manifest.json", manifest_for(good, members)), *members.items(), ("database.sqlite3", b"other")])
    assert "same name" in refused(data, backup)


def test_an_attachment_past_the_size_limit_is_refused_before_it_is_written(school, tmp_path):
    data, _, good = school
    big = bytes(51 * 1024 * 1024)
    import hashlib

    members = {**good_members(good), f"attachments/{hashlib.sha256(big).hexdigest()}": big}
    refused(data, consistent(tmp_path / "big.zip", good, members))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_as_the_backup_is_refused_without_hanging(school, tmp_path):
    data, _, _ = school
    fifo = tmp_path / "pibell.zip"
    os.mkfifo(fifo)
    assert "not an ordinary file" in refused(data, fifo)


def test_restored_attachments_are_read_only(school):
    data, good_path, good = school
    restore(data, good_path, device_id="device-test-1")
    for sha in good.attachments:
        path = stored_path(data, sha)
        os.chmod(path, 0o600)
        path.unlink()  # a fresh copy from the backup
    restore(data, good_path, device_id="device-test-1")
    for sha in good.attachments:
        assert stat.S_IMODE(stored_path(data, sha).stat().st_mode) == 0o440


def test_the_refusal_is_in_welsh_for_a_welsh_user(school, tmp_path):
    data, _, good = school
    raw = json.dumps({**good.manifest, "files": {}}).encode()
    backup = write_zip(tmp_path / "cy.zip", [("manifest.json", raw), *good_members(good).items()])
    i18n.set_language("cy")
    with pytest.raises(DamagedBackupError) as info:
        restore(data, backup, device_id="d")
    message = info.value.message()
    assert "Ni newidiwyd dim" in message and "rhestr cynnwys" in message and "Nothing" not in message


def test_fuzz_short_run(tmp_path):
    """150 seeded hostile backups of every family (the full 2,000 run is benchmarks/fuzz_backups.py)."""
    result = fuzz(seed=20261203, count=150, root=tmp_path / "fuzz", subprocess_sample=2)
    assert result.ok, result.table() + "\n" + "\n".join(result.failures[:20])
    assert random.Random(1).random() == random.Random(1).random()  # the run is seeded


@pytest.mark.parametrize("damage", ["not-a-database", "zeroed-pages"])
def test_restore_over_a_damaged_database_brings_the_backup_back_and_keeps_the_damaged_file(school, damage):
    from benchmarks.fuzz_backups import run_main

    from selfeval_app.core.backup import list_backups
    from selfeval_app.core.paths import database_path

    data, good_path, _ = school
    db = database_path(data)
    raw = bytearray(db.read_bytes())
    if damage == "not-a-database":
        raw[:100] = b"\x00" * 100
    else:
        raw[4096 : 4096 * 6] = b"\xff" * (4096 * 5)
    db.write_bytes(bytes(raw))
    code, text = run_main(["restore", str(good_path), "--data-dir", str(data), "--lang", "en"])
    assert code == 0, text
    assert run_main(["check", "--data-dir", str(data), "--lang", "en"])[0] == 0
    kept = [p for p in list_backups(data) if "-before-restore-" in p.name]
    assert kept and zipfile.ZipFile(kept[0]).namelist()  # the damaged state is kept too
