"""The exchange keys in backups: `keys/device.json` and `keys/identity.json` (issue 10 item 4).

Without its keys a restored installation could not open the bundles sent to it, and its contacts
would have to trust a new key card. So a backup carries both files (listed in the manifest with
their SHA-256, like every member) and restore puts them back: each written atomically, the file
0600 and the folder 0700. The files are checked strictly, whoever made the backup: each at most
`MAX_KEY_FILE_BYTES`, UTF-8 JSON objects of exactly the shape `exchange/keys.py` writes, the
device's keys among the identity's devices, and the identity the owner of the backup's database.

After a restore the keys in the data folder always belong to the restored database's owner: keys
of another identity already in the folder make the restore refuse (see `plan_key_restore`).
This module reads the same files for `selfeval check` (`core/integrity_keys.py`).
Key checks import `cryptography` and `pyrage` only when they run (not at start).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from selfeval_app.core.i18n import N_
from selfeval_app.core.safe_files import fsync_dir, write_atomic

KEYS_FOLDER = "keys"
DEVICE_FILE = "device.json"
IDENTITY_FILE = "identity.json"
DEVICE_MEMBER = f"{KEYS_FOLDER}/{DEVICE_FILE}"
IDENTITY_MEMBER = f"{KEYS_FOLDER}/{IDENTITY_FILE}"
KEY_MEMBERS = (DEVICE_MEMBER, IDENTITY_MEMBER)
#: The installation's other identities (e.g. a head's peer reviewer identity, issue 12) keep their
#: keys in keys/identities/<identity id>/ (exchange/identity_keys.py); backups of format 3 carry them.
IDENTITIES_FOLDER = "identities"
OTHER_KEY_MEMBER = re.compile(r"keys/identities/([0-9A-Za-z][0-9A-Za-z-]{0,63})/(device|identity)\.json")
MAX_KEY_FILE_BYTES = 256 * 1024  # a card of 100 devices is about 25 KB
MAX_DEVICES = 100
ROLES = ("school", "la", "reviewer")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")

BAD_KEYS = N_("its exchange keys are damaged")
KEYS_OF_ANOTHER_OWNER = N_("its exchange keys belong to another school or authority than its data")
FOLDER_KEYS_OF_ANOTHER_OWNER = N_(
    "the exchange keys in this data folder belong to another school or authority than the backup's data "
    "(to bring it back, restore it into an empty data folder)"
)


class BadKeys(Exception):
    """Key files that are not what `exchange/keys.py` writes; `reason` is a catalog message."""

    def __init__(self, reason: str = BAD_KEYS):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class KeyFiles:
    """The raw bytes of both key files, checked (`check_key_files`)."""

    device: bytes
    identity: bytes
    identity_id: str
    device_id: str


def keys_folder(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_FOLDER


def _bad() -> NoReturn:
    raise BadKeys()


def _object(raw: bytes) -> dict[str, Any]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            _bad()
        return result

    def no_constants(_name: str) -> NoReturn:
        _bad()

    if len(raw) > MAX_KEY_FILE_BYTES:
        _bad()
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except (ValueError, RecursionError):
        _bad()
    if not isinstance(value, dict):
        _bad()
    return value


def _text(value: Any, limit: int = 200) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        _bad()
    return value


def _b64(value: Any, length: int) -> bytes:
    try:
        data = base64.b64decode(_text(value, 100).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        _bad()
    if len(data) != length:
        _bad()
    return data


def _public_device(device: dict[str, Any]) -> tuple[str, str, str]:
    """(device id, base64 public signing key, age recipient) of a device.json object."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import x25519  # type: ignore[import-untyped]

    if set(device) != {"device_id", "signing_seed", "age_identity"}:
        _bad()
    device_id = _text(device["device_id"])
    if not _ID.fullmatch(device_id):
        _bad()
    seed = _b64(device["signing_seed"], 32)
    age_text = _text(device["age_identity"])
    if not age_text.startswith("AGE-SECRET-KEY-1"):
        _bad()
    try:
        age = x25519.Identity.from_str(age_text)
    except Exception:  # noqa: BLE001 - pyrage raises its own kinds for a bad key
        _bad()
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return device_id, base64.b64encode(public).decode("ascii"), str(age.to_public())


def _check_identity(identity: dict[str, Any]) -> None:
    allowed = {"id", "role", "name", "la_code", "school_number", "example", "devices"}
    if not {"id", "role", "name", "devices"} <= set(identity) <= allowed:
        _bad()
    if not _ID.fullmatch(_text(identity["id"])) or identity["role"] not in ROLES:
        _bad()
    name = identity["name"]
    if not isinstance(name, dict) or not set(name) <= {"cy", "en"}:
        _bad()
    if any(not isinstance(v, str) or len(v) > 500 for v in name.values()):
        _bad()
    la_code = identity.get("la_code")
    if la_code is not None and (isinstance(la_code, bool) or not isinstance(la_code, int) or not 0 <= la_code < 10_000):
        _bad()
    number = identity.get("school_number")
    if number is not None and (not isinstance(number, str) or len(number) > 50):
        _bad()
    if not isinstance(identity.get("example", False), bool):
        _bad()
    devices = identity["devices"]
    if not isinstance(devices, list) or not 0 < len(devices) <= MAX_DEVICES:
        _bad()
    seen: set[str] = set()
    for entry in devices:
        if not isinstance(entry, dict) or set(entry) != {"device_id", "signing_key", "age_recipient", "removed"}:
            _bad()
        if not _ID.fullmatch(_text(entry["device_id"])) or entry["device_id"] in seen:
            _bad()
        seen.add(entry["device_id"])
        _b64(entry["signing_key"], 32)
        if not _text(entry["age_recipient"]).startswith("age1") or not isinstance(entry["removed"], bool):
            _bad()


def check_key_files(device_raw: bytes, identity_raw: bytes, owner: str | None = None) -> KeyFiles:
    """Both key files, checked; with `owner`, the identity must be that owner. Raises BadKeys."""
    device, identity = _object(device_raw), _object(identity_raw)
    device_id, signing_key, age_recipient = _public_device(device)
    _check_identity(identity)
    entry = next((d for d in identity["devices"] if d["device_id"] == device_id), None)
    if entry is None or entry["signing_key"] != signing_key or entry["age_recipient"] != age_recipient:
        _bad()
    if owner is not None and identity["id"] != owner:
        raise BadKeys(KEYS_OF_ANOTHER_OWNER)
    return KeyFiles(device_raw, identity_raw, identity["id"], device_id)


def _read_bounded(path: Path) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_KEY_FILE_BYTES + 1)
    if len(data) > MAX_KEY_FILE_BYTES:
        _bad()
    return data


def read_key_files(data_dir: Path) -> KeyFiles | None:
    """The data folder's key files, checked; None when it has none. Raises BadKeys when they are
    damaged or only one is there, OSError when they cannot be read."""
    folder = keys_folder(data_dir)
    device_path, identity_path = folder / DEVICE_FILE, folder / IDENTITY_FILE
    present = [p.exists() for p in (device_path, identity_path)]
    if not any(present):
        return None
    if not all(present):
        _bad()
    return check_key_files(_read_bounded(device_path), _read_bounded(identity_path))


def keys_for_backup(data_dir: Path, owner: str | None) -> KeyFiles | None:
    """The key files a backup takes: both, sound and the database owner's; else none (a backup
    never fails for the keys: `selfeval check` reports them)."""
    try:
        keys = read_key_files(data_dir)
    except (BadKeys, OSError):
        return None
    if keys is None or (owner is not None and keys.identity_id != owner):
        return None
    return keys


# -- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRestore:
    """What a restore writes into keys/ (None: leave the file as it is)."""

    device: bytes | None
    identity: bytes | None
    set_aside: bool = False  # the folder's own key files are damaged: keep them as *.damaged


def _merged_identity(backup_identity: bytes, current_identity: bytes) -> bytes:
    """The backup's identity with what the folder's (same identity) knows more: devices added
    since, and removals (a device removed after the backup stays removed)."""
    ours, theirs = json.loads(backup_identity), json.loads(current_identity)
    by_id = {d["device_id"]: d for d in ours["devices"]}
    for entry in theirs["devices"]:
        known = by_id.get(entry["device_id"])
        if known is None:
            ours["devices"].append(dict(entry))
        elif entry["removed"]:
            known["removed"] = True
    merged = json.dumps(ours, ensure_ascii=False, indent=1).encode("utf-8")
    return current_identity if json.loads(merged) == theirs else merged


def plan_key_restore(data_dir: Path, backup_keys: KeyFiles | None, owner: str) -> KeyRestore:
    """What restoring a backup whose database belongs to `owner` does to keys/. Raises BadKeys
    (KEYS_OF_ANOTHER_OWNER) when the folder holds sound keys of another identity: the restore
    would leave this installation with one school's data and another's keys."""
    try:
        current = read_key_files(data_dir)
    except (BadKeys, OSError):
        if backup_keys is None:
            return KeyRestore(None, None)  # nothing to put in their place: left for `check` to report
        return KeyRestore(backup_keys.device, backup_keys.identity, set_aside=True)
    if current is not None and current.identity_id != owner:
        raise BadKeys(FOLDER_KEYS_OF_ANOTHER_OWNER)
    if backup_keys is None:
        return KeyRestore(None, None)
    if current is None:
        return KeyRestore(backup_keys.device, backup_keys.identity)
    # Same identity: this device keeps its own keys (another laptop of the school may have made
    # the backup); the device list is merged so no device comes back from removal.
    merged = _merged_identity(backup_keys.identity, current.identity)
    return KeyRestore(None, None if merged == current.identity else merged)



def apply_key_restore(data_dir: Path, plan: KeyRestore, *, identity_id: str | None = None) -> None:
    """Write the planned key files (each atomically; file 0600, folder 0700); with `identity_id`,
    another identity's, in keys/identities/<id>/."""
    if plan.device is None and plan.identity is None:
        return
    folder = keys_folder(data_dir) if identity_id is None else other_keys_folder(data_dir, identity_id)
    for parent in [keys_folder(data_dir), folder.parent] if identity_id is not None else []:
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    if plan.set_aside:
        for name in (DEVICE_FILE, IDENTITY_FILE):
            path = folder / name
            if path.exists():
                os.replace(path, folder / f"{name}.damaged")
    # The device file first: if the process dies between the two, `check` finds a device that is
    # not in the identity (reported) rather than an identity whose device is missing.
    for name, data in ((DEVICE_FILE, plan.device), (IDENTITY_FILE, plan.identity)):
        if data is None:
            continue
        path = folder / name
        write_atomic(path, data)  # mkstemp makes the file 0600 before anything is written
        os.chmod(path, 0o600)
    fsync_dir(folder)


# -- the installation's other identities (keys/identities/<id>/) ---------------------------------


def other_keys_folder(data_dir: Path, identity_id: str) -> Path:
    if not OTHER_KEY_MEMBER.fullmatch(f"{KEYS_FOLDER}/{IDENTITIES_FOLDER}/{identity_id}/{DEVICE_FILE}"):
        raise ValueError(identity_id)
    return keys_folder(data_dir) / IDENTITIES_FOLDER / identity_id


def other_key_members(identity_id: str) -> tuple[str, str]:
    base = f"{KEYS_FOLDER}/{IDENTITIES_FOLDER}/{identity_id}"
    return f"{base}/{DEVICE_FILE}", f"{base}/{IDENTITY_FILE}"


def _read_other(data_dir: Path, identity_id: str) -> KeyFiles | None:
    folder = other_keys_folder(data_dir, identity_id)
    device_path, identity_path = folder / DEVICE_FILE, folder / IDENTITY_FILE
    present = [p.exists() for p in (device_path, identity_path)]
    if not any(present):
        return None
    if not all(present):
        _bad()
    return check_key_files(_read_bounded(device_path), _read_bounded(identity_path), owner=identity_id)


def other_keys_for_backup(data_dir: Path, identity_ids: set[str]) -> dict[str, KeyFiles]:
    """The keys of the database's other identities that a backup takes: each sound pair whose
    folder is named after an identity of the database (others are left: `check` may report)."""
    folder = keys_folder(data_dir) / IDENTITIES_FOLDER
    out: dict[str, KeyFiles] = {}
    if not folder.is_dir():
        return out
    for identity_id in sorted(identity_ids):
        try:
            keys = _read_other(data_dir, identity_id)
        except (BadKeys, OSError, ValueError):
            continue
        if keys is not None:
            out[identity_id] = keys
    return out


def plan_other_keys_restore(data_dir: Path, staged: dict[str, KeyFiles]) -> dict[str, KeyRestore]:
    """What restoring writes for each other identity the backup has keys of: the same rules as
    the primary's (this device keeps its own keys, the device list is merged; damaged files are
    set aside). Keys in the folder of identities the backup has none of are left as they are."""
    plans: dict[str, KeyRestore] = {}
    for identity_id, backup_keys in sorted(staged.items()):
        try:
            current = _read_other(data_dir, identity_id)
        except (BadKeys, OSError):
            plans[identity_id] = KeyRestore(backup_keys.device, backup_keys.identity, set_aside=True)
            continue
        if current is None:
            plans[identity_id] = KeyRestore(backup_keys.device, backup_keys.identity)
            continue
        merged = _merged_identity(backup_keys.identity, current.identity)
        plans[identity_id] = KeyRestore(None, None if merged == current.identity else merged)
    return plans
