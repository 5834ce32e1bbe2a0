"""Identities, device keys, key cards, fingerprints and contacts (DESIGN §11, issue 10 item 4).

An installation (a data folder) is one *device* of one *identity* (a school, an LA, later a
reviewer). Each device has its own Ed25519 signing key and age (X25519) encryption key, kept in
`<data folder>/keys/device.json`, readable only by the user (0600, written atomically). The
identity and its device list are public and kept in `keys/identity.json`; a device removed from
the list (a lost laptop) is marked `removed`, never dropped, so its signatures stay refused.

A key card is the identity's public part, signed by one of its devices; its fingerprint is the
first 20 base32 characters of SHA-256 over the canonical card (signature left out), shown in
groups of four (`ABCD-EFGH-IJKL-MNOP-QRST`) to read out over the phone. A card becomes a contact
only when the fingerprint a person gives matches it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyrage import x25519

from selfeval_app.core.i18n import N_
from selfeval_app.core.safe_files import write_atomic
from selfeval_app.exchange.canonical import canonical_bytes
from selfeval_app.exchange.errors import KeyCardError, NoIdentityError

KEYS_DIR = "keys"
DEVICE_FILE = "device.json"
IDENTITY_FILE = "identity.json"
CARD_FORMAT = "selfeval-key-card"
CARD_VERSION = 1
ROLES = ("school", "la", "reviewer")
MAX_CARD_BYTES = 256 * 1024


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, with or without spaces or dashes) in its shown form."""
    bare = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(bare[i : i + 4] for i in range(0, len(bare), 4))


def card_body(card: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in card.items() if k != "signature"}


def fingerprint(card: dict[str, Any]) -> str:
    digest = hashlib.sha256(canonical_bytes(card_body(card))).digest()
    return normalise_fingerprint(base64.b32encode(digest).decode("ascii")[:20])


@dataclass
class DeviceKeys:
    """This installation's private keys."""

    device_id: str
    signing: Ed25519PrivateKey
    age: x25519.Identity

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(str(uuid.uuid4()), Ed25519PrivateKey.generate(), x25519.Identity.generate())

    def public_entry(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "signing_key": _b64(self.signing.public_key().public_bytes_raw()),
            "age_recipient": str(self.age.to_public()),
            "removed": False,
        }

    def sign(self, data: bytes) -> str:
        return _b64(self.signing.sign(data))

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "device_id": self.device_id,
                "signing_seed": _b64(self.signing.private_bytes_raw()),
                "age_identity": str(self.age),
            }
        ).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> DeviceKeys:
        obj = json.loads(data)
        return cls(
            obj["device_id"],
            Ed25519PrivateKey.from_private_bytes(_unb64(obj["signing_seed"])),
            x25519.Identity.from_str(obj["age_identity"]),
        )


@dataclass
class LocalKeys:
    """Our identity (public, with its device list) and this device's private keys."""

    data_dir: Path
    identity: dict[str, Any]
    device: DeviceKeys

    @property
    def identity_id(self) -> str:
        return self.identity["id"]

    @property
    def devices(self) -> list[dict[str, Any]]:
        return self.identity["devices"]

    @property
    def is_example(self) -> bool:
        return bool(self.identity.get("example"))

    def card(self) -> dict[str, Any]:
        """Our key card, signed by this device."""
        body = {
            "format": CARD_FORMAT,
            "format_version": CARD_VERSION,
            "identity": {k: v for k, v in self.identity.items() if k != "devices"},
            "devices": self.devices,
            "signed_by": self.device.device_id,
        }
        return {**body, "signature": self.device.sign(canonical_bytes(body))}

    def fingerprint(self) -> str:
        return fingerprint(self.card())

    def identity_path(self) -> Path:
        return keys_dir(self.data_dir) / IDENTITY_FILE

    def save_identity(self) -> None:
        """Write identity.json, merged with the file as it is now: a device is only ever added or
        marked removed, so what another writer did meanwhile (a sync round merging our other
        laptop's card while "Remove this laptop" runs, each from its own copy) is kept, never
        undone by a stale copy. The other fields are this copy's."""
        path = self.identity_path()
        with _identity_file_lock(path):
            try:
                on_disk = json.loads(path.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError, UnicodeDecodeError):
                on_disk = None
            if isinstance(on_disk, dict) and on_disk.get("id") == self.identity.get("id"):
                _merge_devices(self.devices, on_disk.get("devices"))
            write_atomic(path, json.dumps(self.identity, ensure_ascii=False, indent=1).encode("utf-8"))

    def remove_device(self, device_id: str) -> None:
        """Mark one of our own devices as removed (a lost laptop): give contacts the new card."""
        if device_id == self.device.device_id:
            raise ValueError("a device cannot remove itself")
        for entry in self.devices:
            if entry["device_id"] == device_id:
                entry["removed"] = True
                self.save_identity()
                return
        raise KeyError(device_id)

    def add_device(self, card: dict[str, Any]) -> None:
        """Add another laptop of our identity from its card (made with `join_identity`)."""
        verify_card(card)
        if card["identity"]["id"] != self.identity_id:
            raise KeyCardError(path="", reason=N_("it is not a card of this school"))
        known = {d["device_id"] for d in self.devices}
        for entry in card["devices"]:
            if entry["device_id"] not in known:
                self.devices.append(dict(entry))
        self.save_identity()


def _merge_devices(ours: list[dict[str, Any]], theirs: Any) -> None:
    """Into `ours` (in place): devices only `theirs` lists, and their removals (never undone)."""
    if not isinstance(theirs, list):
        return
    known = {d.get("device_id"): d for d in ours}
    for entry in theirs:
        if not isinstance(entry, dict) or not isinstance(entry.get("device_id"), str):
            continue
        mine = known.get(entry["device_id"])
        if mine is None:
            ours.append(dict(entry))
            known[entry["device_id"]] = ours[-1]
        elif entry.get("removed") and not mine.get("removed"):
            mine["removed"] = True


_IDENTITY_LOCK = threading.Lock()


@contextmanager
def _identity_file_lock(path: Path) -> Iterator[None]:
    """One writer of identity.json at a time: threads of this process, and other processes
    where the system has advisory file locks (POSIX `flock`; elsewhere threads only — the app and
    the command line never write one data folder at once there, the instance lock sees to it)."""
    with _IDENTITY_LOCK:
        try:
            import fcntl
        except ImportError:  # Windows
            yield
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".lock"), "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def load_keys(data_dir: Path, identity_id: str | None = None) -> LocalKeys | None:
    """The primary identity's keys; with `identity_id`, that identity's (the primary's or another
    identity's of this data folder, `exchange/identity_keys.py`). None when there are none."""
    if identity_id is not None:
        from selfeval_app.exchange.identity_keys import load_identity_keys

        return load_identity_keys(data_dir, identity_id)
    folder = keys_dir(data_dir)
    try:
        device = DeviceKeys.from_json((folder / DEVICE_FILE).read_bytes())
        identity = json.loads((folder / IDENTITY_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return LocalKeys(Path(data_dir), identity, device)


def require_keys(data_dir: Path) -> LocalKeys:
    keys = load_keys(data_dir)
    if keys is None:
        raise NoIdentityError()
    return keys


def _write_private(folder: Path, device: DeviceKeys) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    path = folder / DEVICE_FILE
    write_atomic(path, device.to_json())  # mkstemp makes the file 0600 before anything is written
    os.chmod(path, 0o600)


def create_identity(
    data_dir: Path,
    *,
    identity_id: str,
    role: str,
    name: dict[str, str],
    la_code: int | None,
    school_number: str | None = None,
    example: bool = False,
) -> LocalKeys:
    """Make this installation's identity and first device keys (refused if it has them)."""
    if role not in ROLES:
        raise ValueError(role)
    if load_keys(data_dir) is not None:
        raise FileExistsError(keys_dir(data_dir))
    device = DeviceKeys.generate()
    identity = {
        "id": identity_id,
        "role": role,
        "name": {"cy": name.get("cy") or "", "en": name.get("en") or ""},
        "la_code": la_code,
        "school_number": school_number,
        "example": bool(example),
        "devices": [device.public_entry()],
    }
    folder = keys_dir(data_dir)
    _write_private(folder, device)
    keys = LocalKeys(Path(data_dir), identity, device)
    keys.save_identity()
    return keys


def join_identity(data_dir: Path, card: dict[str, Any]) -> LocalKeys:
    """Make this installation a new device of an existing identity, from that identity's card.
    An existing device then adds our card (`LocalKeys.add_device`)."""
    verify_card(card)
    if load_keys(data_dir) is not None:
        raise FileExistsError(keys_dir(data_dir))
    device = DeviceKeys.generate()
    identity = dict(card["identity"])
    identity["devices"] = [dict(d) for d in card["devices"]] + [device.public_entry()]
    _write_private(keys_dir(data_dir), device)
    keys = LocalKeys(Path(data_dir), identity, device)
    keys.save_identity()
    return keys


def ensure_identity(store) -> LocalKeys:
    """Our keys, made on first use for a school data folder (e.g. the example school)."""
    data_dir = store.db.data_dir
    keys = load_keys(data_dir)
    if keys is not None:
        return keys
    school = store.school()
    if school is None:
        raise NoIdentityError()
    return create_identity(
        data_dir,
        identity_id=store.owner,
        role="school",
        name=school["name"],
        la_code=school.get("la_code"),
        school_number=school.get("establishment_number"),
        example=store.db.meta("is_example") == "1" or bool(school.get("is_example")),
    )


# --- reading and checking cards -----------------------------------------------------------------

_NOT_A_CARD = N_("it is not a key card from Hunanwerthuso | Self-evaluation")
_BAD_CARD_SIGNATURE = N_("its signature is not valid")
_NEWER_CARD = N_("it was made by a newer version of the app; update the app to read it")


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def verify_card(card: Any, path: str = "") -> dict[str, Any]:
    """Check a card's form and self-signature; returns it. Raises KeyCardError."""
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        raise KeyCardError(path=path, reason=_NOT_A_CARD)
    version = card.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise KeyCardError(path=path, reason=_NOT_A_CARD)
    if version > CARD_VERSION:
        raise KeyCardError(path=path, reason=_NEWER_CARD)
    identity, devices = card.get("identity"), card.get("devices")
    try:
        ok = (
            isinstance(identity, dict)
            and _is_str(identity.get("id"))
            and identity.get("role") in ROLES
            and isinstance(identity.get("name"), dict)
            and all(isinstance(identity["name"].get(k, ""), str) for k in ("cy", "en"))
            and isinstance(devices, list)
            and 0 < len(devices) <= 100
            and all(
                isinstance(d, dict)
                and _is_str(d.get("device_id"))
                and _is_str(d.get("signing_key"))
                and _is_str(d.get("age_recipient"))
                and isinstance(d.get("removed"), bool)
                for d in devices
            )
            and _is_str(card.get("signed_by"))
            and _is_str(card.get("signature"))
        )
    except (AttributeError, TypeError):
        ok = False
    if not ok:
        raise KeyCardError(path=path, reason=_NOT_A_CARD)
    signer = next(
        (d for d in devices if d["device_id"] == card["signed_by"] and not d["removed"]), None
    )
    if signer is None:
        raise KeyCardError(path=path, reason=_BAD_CARD_SIGNATURE)
    try:
        for d in devices:
            x25519.Recipient.from_str(d["age_recipient"])
            Ed25519PublicKey.from_public_bytes(_unb64(d["signing_key"]))
        public = Ed25519PublicKey.from_public_bytes(_unb64(signer["signing_key"]))
        public.verify(_unb64(card["signature"]), canonical_bytes(card_body(card)))
    except (InvalidSignature, ValueError, TypeError, Exception):  # noqa: BLE001 - pyrage raises its own
        raise KeyCardError(path=path, reason=_BAD_CARD_SIGNATURE) from None
    return card


def read_card(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_CARD_BYTES + 1)
    except OSError:
        raise KeyCardError(path=str(path), reason=N_("the file cannot be read")) from None
    if len(data) > MAX_CARD_BYTES:
        raise KeyCardError(path=str(path), reason=_NOT_A_CARD)
    try:
        card = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise KeyCardError(path=str(path), reason=_NOT_A_CARD) from None
    return verify_card(card, str(path))


def write_card(keys: LocalKeys, out: Path) -> dict[str, Any]:
    card = keys.card()
    write_atomic(Path(out), json.dumps(card, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    return card


def summary(card: dict[str, Any]) -> dict[str, Any]:
    """What `keys show` and `keys contacts` list of an identity."""
    identity = card["identity"]
    return {
        "id": identity["id"],
        "role": identity["role"],
        "name": identity["name"],
        "la_code": identity.get("la_code"),
        "school_number": identity.get("school_number"),
        "example": bool(identity.get("example")),
        "fingerprint": fingerprint(card),
        "devices": [
            {"device_id": d["device_id"], "removed": d["removed"]} for d in card["devices"]
        ],
    }
