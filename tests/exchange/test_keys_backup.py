"""The exchange keys travel in backups (issue 15 / issue 10 item 4): backed up with hashes, restored
atomically with mode 0600, checked strictly, and never mixed with another identity's data."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from exchange_helpers import folder_state

from selfeval_app.core.backup import list_backups, make_backup, restore
from selfeval_app.core.backup_keys import DEVICE_MEMBER, IDENTITY_MEMBER
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import BackupError, DamagedBackupError
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import Recipient, write_bundle


def _key_bytes(data_dir: Path) -> dict[str, bytes]:
    return {name: (data_dir / "keys" / name).read_bytes() for name in ("device.json", "identity.json")}


def _send_to_la(pair, out: Path) -> Path:
    with pair.stores() as (s, ks, _la, kl):
        write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), out)
    return out


def _import(data_dir: Path, bundle: Path) -> dict:
    store = RecordStore(open_database(data_dir), device_id="device-L")
    try:
        return import_bundle(store, keys.require_keys(data_dir), bundle)
    finally:
        store.close()


def _tree(data_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(data_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        # SQLite's -shm and an empty -wal may appear when `check` opens the file read-only (it
        # cannot remove them); the database's own bytes, and any WAL content, are compared.
        if p.is_file() and "backups" not in p.parts
        and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


def _rewrite(backup: Path, out: Path, *, drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None, **manifest_changes) -> Path:
    """A copy of `backup` with members dropped or replaced, the manifest's hashes made to agree."""
    replace = replace or {}
    with zipfile.ZipFile(backup) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json" and n not in drop}
        manifest = json.loads(zf.read("manifest.json"))
    members.update(replace)
    manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}
    manifest.update(manifest_changes)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def test_a_backup_holds_both_key_files_listed_with_their_hashes(pair, tmp_path):
    backup = make_backup(pair.la, tmp_path / "l.zip")
    with zipfile.ZipFile(backup) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for member, name in ((DEVICE_MEMBER, "device.json"), (IDENTITY_MEMBER, "identity.json")):
            data = zf.read(member)
            assert data == (pair.la / "keys" / name).read_bytes()
            assert manifest["files"][member] == hashlib.sha256(data).hexdigest()
    assert manifest["format_version"] == 2


def test_restore_into_an_empty_folder_brings_the_keys_back_and_a_bundle_sent_before_still_imports(pair, tmp_path):
    backup = make_backup(pair.la, tmp_path / "l.zip")
    bundle = _send_to_la(pair, tmp_path / "to-la.selfeval-bundle")  # sent before the restore
    fresh = tmp_path / "new-laptop"
    restore(fresh, backup, device_id="device-L")
    assert _key_bytes(fresh) == _key_bytes(pair.la)
    assert stat.S_IMODE(os.stat(fresh / "keys" / "device.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(fresh / "keys" / "identity.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(fresh / "keys").st_mode) == 0o700
    report = _import(fresh, bundle)
    assert report["new"], report


def test_restore_over_the_same_installation_keeps_the_keys_and_imports_a_bundle_sent_before(pair, tmp_path):
    before = _key_bytes(pair.la)
    backup = make_backup(pair.la, tmp_path / "l.zip")
    bundle = _send_to_la(pair, tmp_path / "to-la.selfeval-bundle")
    os.chmod(pair.la / "keys" / "device.json", 0o644)  # made readable by mistake: restore tightens it
    (pair.la / "keys" / "device.json").unlink()  # and then lost
    restore(pair.la, backup, device_id="device-L")
    assert _key_bytes(pair.la) == before
    assert stat.S_IMODE(os.stat(pair.la / "keys" / "device.json").st_mode) == 0o600
    assert _import(pair.la, bundle)["new"]


def test_the_pre_restore_backup_keeps_the_current_keys(pair, tmp_path):
    backup = make_backup(pair.la, tmp_path / "l.zip")
    current = _key_bytes(pair.la)
    restore(pair.la, backup, device_id="device-L")
    safety = next(p for p in list_backups(pair.la) if "-before-restore-" in p.name)
    with zipfile.ZipFile(safety) as zf:
        assert zf.read(DEVICE_MEMBER) == current["device.json"]
        assert zf.read(IDENTITY_MEMBER) == current["identity.json"]


def test_an_old_backup_without_keys_still_restores_and_leaves_the_keys_alone(pair, tmp_path):
    current = _key_bytes(pair.la)
    old = _rewrite(make_backup(pair.la, tmp_path / "l.zip"), tmp_path / "old.zip", drop=(DEVICE_MEMBER, IDENTITY_MEMBER), format_version=1)
    restore(pair.la, old, device_id="device-L")
    assert _key_bytes(pair.la) == current


def test_a_format_1_backup_that_lists_keys_is_refused(pair, tmp_path):
    crafted = _rewrite(make_backup(pair.la, tmp_path / "l.zip"), tmp_path / "v1keys.zip", format_version=1)
    before = _tree(pair.la)
    with pytest.raises(DamagedBackupError):
        restore(pair.la, crafted, device_id="device-L")
    assert _tree(pair.la) == before


def test_a_backup_whose_keys_belong_to_another_identity_than_its_database_is_refused(pair, tmp_path):
    school_keys = _key_bytes(pair.school)
    crafted = _rewrite(
        make_backup(pair.la, tmp_path / "l.zip"),
        tmp_path / "mixed.zip",
        replace={DEVICE_MEMBER: school_keys["device.json"], IDENTITY_MEMBER: school_keys["identity.json"]},
    )
    fresh = tmp_path / "fresh"
    with pytest.raises(DamagedBackupError) as refused:
        restore(fresh, crafted, device_id="device-L")
    assert "another school or authority" in str(refused.value)
    assert not fresh.exists()


def test_restoring_another_identitys_backup_over_a_folder_with_keys_is_refused(pair, tmp_path):
    backup = make_backup(pair.school, tmp_path / "s.zip")
    before = _tree(pair.la)
    with pytest.raises(BackupError) as refused:
        restore(pair.la, backup, device_id="device-L")
    assert "empty data folder" in str(refused.value)
    assert _tree(pair.la) == before
    old = _rewrite(backup, tmp_path / "s-old.zip", drop=(DEVICE_MEMBER, IDENTITY_MEMBER), format_version=1)
    with pytest.raises(BackupError):  # without keys too: the folder's keys would not match the data
        restore(pair.la, old, device_id="device-L")
    assert _tree(pair.la) == before


def test_a_device_removed_after_the_backup_stays_removed_and_a_device_added_stays(pair, tmp_path):
    backup = make_backup(pair.school, tmp_path / "s.zip")
    own = keys.require_keys(pair.school)
    other = tmp_path / "second-laptop"
    other.mkdir()
    second = keys.join_identity(other, own.card())
    own.add_device(second.card())
    third = keys.join_identity(tmp_path / "third", own.card())
    own.add_device(third.card())
    own.remove_device(third.device.device_id)
    restore(pair.school, backup, device_id="device-S")
    after = keys.require_keys(pair.school)
    devices = {d["device_id"]: d["removed"] for d in after.devices}
    assert devices[second.device.device_id] is False
    assert devices[third.device.device_id] is True
    assert after.device.device_id == own.device.device_id


def _hostile_key_files(pair) -> dict[str, dict[str, bytes]]:
    k = _key_bytes(pair.la)
    device, identity = json.loads(k["device.json"]), json.loads(k["identity.json"])
    other = json.loads(_key_bytes(pair.school)["device.json"])
    return {
        "device not json": {DEVICE_MEMBER: b"\xff{"},
        "device a list": {DEVICE_MEMBER: b"[]"},
        "device extra field": {DEVICE_MEMBER: json.dumps({**device, "x": 1}).encode()},
        "device short seed": {DEVICE_MEMBER: json.dumps({**device, "signing_seed": "AAAA"}).encode()},
        "device bad age key": {DEVICE_MEMBER: json.dumps({**device, "age_identity": "AGE-SECRET-KEY-1XYZ"}).encode()},
        "device of another identity": {DEVICE_MEMBER: json.dumps(other).encode()},
        "device duplicate key": {DEVICE_MEMBER: k["device.json"][:-1] + b', "device_id": "x"}'},
        "device too large": {DEVICE_MEMBER: b" " * (300 * 1024) + k["device.json"]},
        "identity no devices": {IDENTITY_MEMBER: json.dumps({**identity, "devices": []}).encode()},
        "identity wrong role": {IDENTITY_MEMBER: json.dumps({**identity, "role": "admin"}).encode()},
        "identity NaN": {IDENTITY_MEMBER: json.dumps({**identity, "la_code": float("nan")}).encode()},
        "identity deep": {IDENTITY_MEMBER: b"[" * 100_000 + b"]" * 100_000},
    }


@pytest.mark.parametrize("case", list(range(12)))
def test_hostile_key_members_are_refused_and_change_nothing(pair, tmp_path, case):
    name, replace = list(_hostile_key_files(pair).items())[case]
    crafted = _rewrite(make_backup(pair.la, tmp_path / "l.zip"), tmp_path / "hostile.zip", replace=replace)
    before = _tree(pair.la)
    state = folder_state(pair.la)
    with pytest.raises(DamagedBackupError):
        restore(pair.la, crafted, device_id="device-L")
    assert _tree(pair.la) == before, name
    assert folder_state(pair.la) == state


def test_a_backup_with_only_one_key_file_is_refused(pair, tmp_path):
    crafted = _rewrite(make_backup(pair.la, tmp_path / "l.zip"), tmp_path / "half.zip", drop=(IDENTITY_MEMBER,))
    with pytest.raises(DamagedBackupError):
        restore(tmp_path / "fresh", crafted, device_id="device-L")


# -- selfeval check ------------------------------------------------------------------------------


def _check(data_dir: Path, lang: str = "en") -> tuple[int, str]:
    from benchmarks.fuzz_backups import run_main

    return run_main(["check", "--data-dir", str(data_dir), "--lang", lang])


def test_check_passes_with_sound_keys(pair):
    assert _check(pair.la)[0] == 0
    assert _check(pair.school)[0] == 0


def test_check_reports_missing_keys_when_the_installation_has_exchanged(pair):
    shutil.rmtree(pair.la / "keys")
    code, text = _check(pair.la)
    assert code == 1 and "exchange keys of this installation are missing" in text
    code, text = _check(pair.la, "cy")
    assert code == 1 and "allweddi" in text and "exchange keys" not in text


def test_check_does_not_ask_for_keys_where_exchange_was_never_used(tmp_path):
    from selfeval_app.core.demo import build_example_school

    build_example_school(tmp_path / "S", device_id="device-S")
    assert not (tmp_path / "S" / "keys").exists()
    assert _check(tmp_path / "S")[0] == 0


@pytest.mark.parametrize("damage", ["truncated", "one-missing", "other-owner", "open-mode"])
def test_check_reports_damaged_keys_and_changes_nothing(pair, damage):
    folder = pair.la / "keys"
    if damage == "truncated":
        (folder / "device.json").write_bytes((folder / "device.json").read_bytes()[:20])
        expected = "damaged or incomplete"
    elif damage == "one-missing":
        (folder / "identity.json").unlink()
        expected = "damaged or incomplete"
    elif damage == "other-owner":
        for name in ("device.json", "identity.json"):
            (folder / name).write_bytes((pair.school / "keys" / name).read_bytes())
        expected = "another school or authority"
    else:
        os.chmod(folder / "device.json", 0o644)
        expected = "can be read by other users"
    before = _tree(pair.la)
    modes = {p.name: os.stat(p).st_mode for p in folder.iterdir()}
    code, text = _check(pair.la)
    assert code == 1 and expected in text, text
    assert _tree(pair.la) == before
    assert {p.name: os.stat(p).st_mode for p in folder.iterdir()} == modes


def test_restore_over_damaged_keys_keeps_them_aside_and_brings_back_the_backups(pair, tmp_path):
    good = _key_bytes(pair.la)
    backup = make_backup(pair.la, tmp_path / "l.zip")
    (pair.la / "keys" / "device.json").write_bytes(b"{damaged")
    restore(pair.la, backup, device_id="device-L")
    assert _key_bytes(pair.la) == good
    assert (pair.la / "keys" / "device.json.damaged").read_bytes() == b"{damaged"
    assert _check(pair.la)[0] == 0


def test_a_backup_of_a_folder_without_keys_is_format_1(tmp_path):
    from selfeval_app.core.demo import build_example_school

    build_example_school(tmp_path / "S", device_id="device-S")
    with zipfile.ZipFile(make_backup(tmp_path / "S", tmp_path / "s.zip")) as zf:
        assert json.loads(zf.read("manifest.json"))["format_version"] == 1
        assert not [n for n in zf.namelist() if n.startswith("keys/")]
