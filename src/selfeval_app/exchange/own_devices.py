"""Another laptop of this school (issue 11 item 5): pairing, the first bundle, syncing with it.

Pairing, in three files (each can go on a USB stick or through the sync place):

1. The new laptop (an empty data folder) makes its device keys, kept in
   `keys/pending-device.json` until it has joined, and a *device request*
   (`<device id>.selfeval-join-request`): canonical JSON `{format "selfeval-device-request",
   format_version 1, device {device_id, signing_key, age_recipient, removed false}, computer,
   created_at, signature}`, signed by the new device's own key. Its fingerprint (the key card's
   rule, over `{format, device}` only, so it stays the same when the request is made again) is
   shown on the new laptop.
2. On the laptop that holds the school's data the head gives that fingerprint
   (`add_device`): the request is checked against it, the device joins the school's identity
   (a card re-signed by this laptop) and a *join package* is written
   (`<uuid>.selfeval-join`, a zip with stored members): `join.json` (canonical: format
   "selfeval-join", format_version 1, for_device, the school's new card, the cards of the
   school's contacts, created_at, the bundle's sha256 and size), `join.sig` (base64 Ed25519 by
   the card's signer over the exact `join.json` bytes) and `bundle.selfeval-bundle`: every record
   of the school, private ones and tombstones included, encrypted to the new device only.
3. The new laptop checks the package (its own device is in the card, the school's fingerprint
   the person gives matches the card, the signature), takes the school's identity as its own
   (the same owner id, its own device id), trusts the school's contacts and imports the bundle.
   Each step can be repeated after a crash: a second `join` with the same package finishes it.

From then on sync treats each other active device of ours as a recipient of its own
(`sync_targets`): its bundles go to `inbox/<device id>/`, its receipts come back with the
school's (`receipts/<school id>/`), and its share ledger is kept under its device id. Every
device also keeps its view of the device list in `cards/<school id>/<device id>.selfeval-card`
and takes in the others' (`exchange_cards`): a device added on one laptop is learnt by the
others, a device removed on one stays removed on all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.core.safe_files import write_atomic
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange import sync_state
from selfeval_app.exchange.canonical import canonical_bytes
from selfeval_app.exchange.contacts import Contact
from selfeval_app.exchange.errors import KeyCardError
from selfeval_app.exchange.keys import DeviceKeys, LocalKeys, fingerprint, normalise_fingerprint

REQUEST_FORMAT = "selfeval-device-request"
PACKAGE_FORMAT = "selfeval-join"
FORMAT_VERSION = 1
REQUEST_SUFFIX = ".selfeval-join-request"
PACKAGE_SUFFIX = ".selfeval-join"
CARD_SUFFIX = ".selfeval-card"
PENDING_FILE = "pending-device.json"
JOIN_PLACE = "join"
MAX_REQUEST_BYTES = 64 * 1024
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_BUNDLE_BYTES = 4 * 1024**3


class JoinError(UserFacingError):
    message_id = N_("This laptop cannot join the school with %(path)s: %(reason)s. Nothing was changed.")


class AddDeviceError(UserFacingError):
    message_id = N_("The laptop cannot be added with %(path)s: %(reason)s. Nothing was changed.")


NOT_A_REQUEST = N_("it is not a request from another laptop, or it is damaged")
WRONG_FINGERPRINT = N_("the fingerprint you gave is not the one shown on the other laptop; check it again")
ALREADY_OURS = N_("that laptop is already one of this school's laptops")
WAS_REMOVED = N_("that laptop was removed from this school, and a removed laptop cannot come back: make a new request on it")
NOT_A_PACKAGE = N_("it is not a reply from another laptop of a school, or it is damaged")
NOT_FOR_THIS_LAPTOP = N_("it was made for another laptop's request")
NO_REQUEST = N_("this laptop has not asked to join a school yet")
WRONG_SCHOOL_FINGERPRINT = N_("the fingerprint you gave is not the school's fingerprint shown on the first laptop; check it again")
ALREADY_SET_UP = N_("this laptop already holds a school or local authority of its own")
NOT_A_SCHOOL = N_("only a school's laptops can be joined this way")
NONE_IN_SYNC = N_("no request with that fingerprint is in the sync place yet")
NO_REPLY_IN_SYNC = N_("no reply for this laptop is in the sync folder yet")


def _now() -> str:
    return keys_mod._now()  # noqa: SLF001 - one rule for key times


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- 1. the new laptop's request ----------------------------------------------------------------


def _pending_path(data_dir: Path) -> Path:
    return keys_mod.keys_dir(data_dir) / PENDING_FILE


def pending_device(data_dir: Path) -> DeviceKeys | None:
    try:
        return DeviceKeys.from_json(_pending_path(data_dir).read_bytes())
    except FileNotFoundError:
        return None


def make_request(data_dir: Path, *, computer: str | None = None) -> dict[str, Any]:
    """This laptop's request to join a school (its keys are made once and kept until it joins)."""
    data_dir = Path(data_dir)
    if keys_mod.load_keys(data_dir) is not None:
        raise JoinError(path=str(data_dir), reason=ALREADY_SET_UP)
    device = pending_device(data_dir)
    if device is None:
        device = DeviceKeys.generate()
        folder = keys_mod.keys_dir(data_dir)
        keys_mod._write_private(folder, device)  # noqa: SLF001 - the same 0600 file rule
        (folder / keys_mod.DEVICE_FILE).replace(_pending_path(data_dir))
    body = {
        "format": REQUEST_FORMAT,
        "format_version": FORMAT_VERSION,
        "device": device.public_entry(),
        "computer": (computer if computer is not None else socket.gethostname())[:100],
        "created_at": _now(),
    }
    return {**body, "signature": device.sign(canonical_bytes(body))}


def request_fingerprint(request: dict[str, Any]) -> str:
    """The new laptop's fingerprint: over its device entry (id and public keys) only, so the same
    laptop shows the same fingerprint however often its request is made again."""
    return fingerprint({"format": REQUEST_FORMAT, "device": request["device"]})


def write_request(request: dict[str, Any], out: Path) -> None:
    write_atomic(Path(out), json.dumps(request, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")


def request_name(request: dict[str, Any]) -> str:
    return request["device"]["device_id"] + REQUEST_SUFFIX


def verify_request(data: bytes, path: str = "") -> dict[str, Any]:
    """A device request's form and self-signature; raises AddDeviceError."""
    try:
        if len(data) > MAX_REQUEST_BYTES:
            raise ValueError
        request = json.loads(data.decode("utf-8"))
        if not isinstance(request, dict) or request.get("format") != REQUEST_FORMAT:
            raise ValueError
        if request.get("format_version") != FORMAT_VERSION:
            raise ValueError
        device = request["device"]
        if not isinstance(device, dict) or device.get("removed") is not False:
            raise ValueError
        if not all(isinstance(device.get(k), str) and 0 < len(device[k]) <= 200 for k in ("device_id", "signing_key", "age_recipient")):
            raise ValueError
        if not isinstance(request.get("computer"), str) or not isinstance(request.get("created_at"), str):
            raise ValueError
        from pyrage import x25519

        x25519.Recipient.from_str(device["age_recipient"])
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(device["signing_key"], validate=True))
        key.verify(base64.b64decode(request["signature"], validate=True), canonical_bytes(keys_mod.card_body(request)))
    except (ValueError, KeyError, TypeError, AttributeError, InvalidSignature, UnicodeDecodeError, Exception):  # noqa: BLE001 - pyrage raises its own
        raise AddDeviceError(path=path, reason=NOT_A_REQUEST) from None
    return request


def read_request(path: Path) -> dict[str, Any]:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_REQUEST_BYTES + 1)
    except OSError:
        raise AddDeviceError(path=str(path), reason=N_("the file cannot be read")) from None
    return verify_request(data, str(path))


# --- 2. the first laptop adds it ----------------------------------------------------------------


def add_device(keys: LocalKeys, request: dict[str, Any], given: str, path: str = "") -> dict[str, Any]:
    """Add the requesting laptop to our identity once the person's fingerprint matches; returns
    its device entry. Asking again for a laptop already added is allowed (its package is
    written again), except for one that was removed."""
    if keys.identity.get("role") != "school":
        raise AddDeviceError(path=path, reason=NOT_A_SCHOOL)
    if normalise_fingerprint(given) != request_fingerprint(request):
        raise AddDeviceError(path=path, reason=WRONG_FINGERPRINT)
    wanted = request["device"]
    for entry in keys.devices:
        if entry["device_id"] == wanted["device_id"]:
            same = entry["signing_key"] == wanted["signing_key"] and entry["age_recipient"] == wanted["age_recipient"]
            if entry["removed"] or not same:
                raise AddDeviceError(path=path, reason=WAS_REMOVED if entry["removed"] else ALREADY_OURS)
            return entry
    entry = {k: wanted[k] for k in ("device_id", "signing_key", "age_recipient")} | {"removed": False}
    keys.devices.append(entry)
    keys.save_identity()
    return entry


def _own_recipient(keys: LocalKeys, entry: dict[str, Any], ledger_id: str):
    from selfeval_app.exchange.bundle_write import Recipient

    return Recipient(keys.identity_id, "own", [entry], keys.is_example, ledger_id)


def write_package(store: RecordStore, keys: LocalKeys, device_id: str, out: Path) -> dict[str, Any]:
    """The join package for one of our devices: the card, our contacts and every record of ours."""
    from selfeval_app.exchange import contacts as contacts_mod
    from selfeval_app.exchange.bundle_write import note_delivered, plan_bundle, write_bundle

    entry = next(d for d in keys.devices if d["device_id"] == device_id and not d["removed"])
    # Everything, whatever the ledger says was sent before: planned for a ledger key never used.
    contents = plan_bundle(store, keys, _own_recipient(keys, entry, "join-" + str(uuid.uuid4())))
    card = keys.card()
    with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
        bundle_path = Path(tmp) / "bundle.selfeval-bundle"
        manifest = write_bundle(store, keys, _own_recipient(keys, entry, device_id), bundle_path, contents, note_sent=False)
        digest = hashlib.sha256()
        with open(bundle_path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
        body = {
            "format": PACKAGE_FORMAT,
            "format_version": FORMAT_VERSION,
            "for_device": device_id,
            "card": card,
            "contacts": [c.card for c in contacts_mod.all_contacts(store)],
            "created_at": _now(),
            "bundle": {"sha256": digest.hexdigest(), "size": bundle_path.stat().st_size, "bundle_id": manifest["bundle_id"]},
        }
        data = canonical_bytes(body)
        zip_path = Path(tmp) / "package.zip"
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr(zipfile.ZipInfo("join.json", (1980, 1, 1, 0, 0, 0)), data)
            zf.writestr(zipfile.ZipInfo("join.sig", (1980, 1, 1, 0, 0, 0)), keys.device.sign(data))
            zf.write(bundle_path, "bundle.selfeval-bundle")
        with open(zip_path, "rb") as src:
            from selfeval_app.core.safe_files import atomic_output

            with atomic_output(Path(out)) as sink:
                while block := src.read(1 << 20):
                    sink.write(block)
    with store.transaction():
        note_delivered(store, device_id, [*contents.records, *contents.withdrawals], bundle_id=manifest["bundle_id"], seq_to=manifest["sequence"]["to"])
        store.db.set_meta("sync_plan_mark", "")
    return {"bundle_id": manifest["bundle_id"], "counts": manifest["counts"], "school_fingerprint": fingerprint(card), "device_id": device_id}


def package_name() -> str:
    return str(uuid.uuid4()) + PACKAGE_SUFFIX


def find_request(transport, given: str) -> dict[str, Any]:
    """The request in the sync place whose fingerprint is the one the person gave."""
    from selfeval_app.exchange.transport import NotYetAvailable

    wanted = normalise_fingerprint(given)
    for remote in transport.list(JOIN_PLACE, REQUEST_SUFFIX):
        if remote.size > MAX_REQUEST_BYTES:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "request"
            try:
                transport.read(JOIN_PLACE, remote.name, dest)
            except NotYetAvailable:
                continue
            try:
                request = verify_request(dest.read_bytes(), remote.name)
            except AddDeviceError:
                continue
        if request_fingerprint(request) == wanted:
            return request
    raise AddDeviceError(path=transport.describe(), reason=NONE_IN_SYNC)


def send_package(store: RecordStore, keys: LocalKeys, device_id: str, transport) -> dict[str, Any]:
    """Write the join package into the new laptop's inbox in the sync place."""
    from selfeval_app.exchange.transport import inbox

    with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
        name = package_name()
        path = Path(tmp) / name
        info = write_package(store, keys, device_id, path)
        transport.write(inbox(device_id), name, path)
    return info


def _work_dir(store: RecordStore) -> Path:
    folder = Path(store.db.data_dir) / "sync-incoming"
    folder.mkdir(exist_ok=True)
    return folder


# --- 3. the new laptop joins --------------------------------------------------------------------


@dataclass
class Package:
    path: Path
    body: dict[str, Any]

    @property
    def card(self) -> dict[str, Any]:
        return self.body["card"]

    @property
    def school_fingerprint(self) -> str:
        return fingerprint(self.card)

    @property
    def school_name(self) -> dict[str, str]:
        return self.card["identity"]["name"]


def read_package(data_dir: Path, path: Path) -> Package:
    """Check a join package against this laptop's request (no change is made)."""
    path = Path(path)
    device = pending_device(data_dir)
    joined = keys_mod.load_keys(data_dir)
    if device is None and joined is None:
        raise JoinError(path=str(path), reason=NO_REQUEST)
    mine = device or (joined.device if joined else None)
    assert mine is not None
    try:
        with zipfile.ZipFile(path) as zf:
            names = sorted(zf.namelist())
            if names != ["bundle.selfeval-bundle", "join.json", "join.sig"]:
                raise ValueError
            info = zf.getinfo("join.json")
            if info.file_size > MAX_JSON_BYTES or zf.getinfo("join.sig").file_size > 1024:
                raise ValueError
            data = zf.read("join.json")
            signature = base64.b64decode(zf.read("join.sig"), validate=True)
            bundle_info = zf.getinfo("bundle.selfeval-bundle")
        body = json.loads(data.decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != PACKAGE_FORMAT or body.get("format_version") != FORMAT_VERSION:
            raise ValueError
        if canonical_bytes(body) != data:
            raise ValueError
        card = keys_mod.verify_card(body["card"], str(path))
        signer = next(d for d in card["devices"] if d["device_id"] == card["signed_by"])
        Ed25519PublicKey.from_public_bytes(base64.b64decode(signer["signing_key"])).verify(signature, data)
        if bundle_info.file_size != body["bundle"]["size"] or bundle_info.file_size > MAX_BUNDLE_BYTES:
            raise ValueError
        if not isinstance(body.get("contacts"), list):
            raise ValueError
    except KeyCardError:
        raise JoinError(path=str(path), reason=NOT_A_PACKAGE) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration, InvalidSignature, zipfile.BadZipFile, UnicodeDecodeError):
        raise JoinError(path=str(path), reason=NOT_A_PACKAGE) from None
    ours = next((d for d in card["devices"] if d["device_id"] == mine.device_id), None)
    if body.get("for_device") != mine.device_id or ours is None or ours["removed"] or ours["signing_key"] != mine.public_entry()["signing_key"]:
        raise JoinError(path=str(path), reason=NOT_FOR_THIS_LAPTOP)
    if card["identity"]["role"] != "school":
        raise JoinError(path=str(path), reason=NOT_A_SCHOOL)
    return Package(path, body)


def join(data_dir: Path, path: Path, given: str, *, device_id: str, store: RecordStore | None = None) -> dict[str, Any]:
    """Make this laptop another laptop of the school in the package (see the module's notes).
    With `store` (the window's writer on this data folder) it is used and left open."""
    from selfeval_app.core.database import open_database
    from selfeval_app.core.identities import claim_primary_identity
    from selfeval_app.exchange import contacts as contacts_mod
    from selfeval_app.exchange.bundle_import import import_bundle

    data_dir = Path(data_dir)
    package = read_package(data_dir, path)
    card = package.card
    school_id = card["identity"]["id"]
    if normalise_fingerprint(given) != package.school_fingerprint:
        raise JoinError(path=str(path), reason=WRONG_SCHOOL_FINGERPRINT)
    existing = keys_mod.load_keys(data_dir)
    if existing is not None and existing.identity_id != school_id:
        raise JoinError(path=str(path), reason=ALREADY_SET_UP)
    own_store = store is None
    if store is None:
        store = RecordStore(open_database(data_dir), device_id=device_id)
    try:
        if existing is None:
            if store.owner != school_id:
                try:
                    claim_primary_identity(store.db, school_id, role="school", name_cy=card["identity"]["name"].get("cy", ""), name_en=card["identity"]["name"].get("en", ""))
                except ValueError:
                    raise JoinError(path=str(path), reason=ALREADY_SET_UP) from None
            if card["identity"].get("example"):
                with store.transaction():
                    store.db.set_meta("is_example", "1")
            store.forget_cached_meta()
            device = pending_device(data_dir)
            assert device is not None
            identity = dict(card["identity"])
            identity["devices"] = [dict(d) for d in card["devices"]]
            folder = keys_mod.keys_dir(data_dir)
            keys_mod._write_private(folder, device)  # noqa: SLF001 - the same 0600 file rule
            existing = LocalKeys(data_dir, identity, device)
            existing.save_identity()
            _pending_path(data_dir).unlink(missing_ok=True)
        else:
            merge_card(existing, card)
        trusted = 0
        for contact_card in package.body["contacts"]:
            try:
                contacts_mod.trust(store, existing, contact_card, fingerprint(contact_card))
                trusted += 1
            except KeyCardError:
                continue  # a card this laptop cannot hold (the example line): left out
        with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
            bundle_path = Path(tmp) / "bundle.selfeval-bundle"
            with zipfile.ZipFile(path) as zf, zf.open("bundle.selfeval-bundle") as src, open(bundle_path, "wb") as out:
                digest = hashlib.sha256()
                while block := src.read(1 << 20):
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != package.body["bundle"]["sha256"]:
                raise JoinError(path=str(path), reason=NOT_A_PACKAGE)
            report = import_bundle(store, existing, bundle_path)
    finally:
        if own_store:
            store.close()
    return {
        "school": card["identity"]["id"],
        "name": package.school_name,
        "device_id": existing.device.device_id,
        "contacts": trusted,
        "report": report,
    }


def find_package(data_dir: Path, transport, dest: Path) -> Path:
    """Copy this laptop's join package from its inbox in the sync place to `dest`."""
    from selfeval_app.exchange.transport import NotYetAvailable, inbox

    device = pending_device(data_dir)
    joined = keys_mod.load_keys(data_dir)
    mine = device or (joined.device if joined else None)
    if mine is None:
        raise JoinError(path=transport.describe(), reason=NO_REQUEST)
    found = transport.list(inbox(mine.device_id), PACKAGE_SUFFIX)
    for remote in reversed(found):  # the newest name last is not guaranteed: try each
        try:
            transport.read(inbox(mine.device_id), remote.name, dest)
        except NotYetAvailable:
            continue
        try:
            read_package(data_dir, dest)
        except JoinError:
            continue
        return dest
    raise JoinError(path=transport.describe(), reason=NO_REPLY_IN_SYNC)


# --- sync with our other laptops -----------------------------------------------------------------


def sync_targets(keys: LocalKeys) -> list[Contact]:
    """Each other active laptop of ours, as a sync recipient of its own (keyed by device id)."""
    card = {"identity": {k: v for k, v in keys.identity.items() if k != "devices"}}
    out = []
    for entry in keys.devices:
        if entry["removed"] or entry["device_id"] == keys.device.device_id:
            continue
        out.append(Contact(entry["device_id"], "own", "", {**card, "devices": [entry]}, keys.is_example, frozenset()))
    return out


def target(keys: LocalKeys, device_id: str) -> Contact | None:
    return next((t for t in sync_targets(keys) if t.identity_id == device_id), None)


def device_mark(keys: LocalKeys) -> str:
    return ",".join(f"{d['device_id']}:{int(d['removed'])}" for d in keys.devices)


def merge_card(keys: LocalKeys, card: dict[str, Any]) -> bool:
    """Take in another laptop's view of our device list: devices added there are added here, a
    device removed anywhere stays removed. Only from a card signed by one of our active devices.
    Returns whether anything changed."""
    try:
        keys_mod.verify_card(card)
    except KeyCardError:
        return False
    if card["identity"]["id"] != keys.identity_id:
        return False
    signer = next((d for d in keys.devices if d["device_id"] == card["signed_by"] and not d["removed"]), None)
    listed = next((d for d in card["devices"] if d["device_id"] == card["signed_by"]), None)
    if signer is None or listed is None or listed["signing_key"] != signer["signing_key"]:
        return False
    changed = False
    known = {d["device_id"]: d for d in keys.devices}
    for entry in card["devices"]:
        mine = known.get(entry["device_id"])
        if mine is None:
            keys.devices.append(dict(entry))
            changed = True
        elif entry["removed"] and not mine["removed"]:
            mine["removed"] = True
            changed = True
    if changed:
        keys.save_identity()
    return changed


def cards_place(keys: LocalKeys) -> str:
    return f"cards/{keys.identity_id}"


def exchange_cards(store: RecordStore, keys: LocalKeys, transport, write: sync_state.Writer | None = None) -> bool:
    """One sync step: read our other laptops' device lists, and put ours when it changed.
    Only for an identity with more than one device (a single laptop writes nothing).
    Reads through `store`; its database writes go through `write` (as the other sync steps);
    the card file and `keys/identity.json` are not in the database."""
    from selfeval_app.exchange.transport import NotYetAvailable

    write = write or sync_state.direct(store)
    if len(keys.devices) < 2:
        return False
    changed = False
    place = cards_place(keys)
    mine = keys.device.device_id + CARD_SUFFIX
    for remote in transport.list(place, CARD_SUFFIX):
        if remote.name == mine or remote.size > keys_mod.MAX_CARD_BYTES:
            continue
        with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
            dest = Path(tmp) / "card"
            try:
                transport.read(place, remote.name, dest)
                card = json.loads(dest.read_text(encoding="utf-8"))
            except (NotYetAvailable, ValueError, UnicodeDecodeError):
                continue
        changed = merge_card(keys, card) or changed
    if changed:
        drop_removed_waiting(store, keys, write)
    mark = device_mark(keys)
    if store.db.meta("own_card_written") != mark:
        with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
            path = Path(tmp) / mine
            path.write_text(json.dumps(keys.card(), ensure_ascii=False), encoding="utf-8")
            transport.write(place, mine, path)

        def note_written(s: RecordStore) -> None:
            with s.transaction():
                s.db.set_meta("own_card_written", mark)

        write(note_written)
    return changed


def remove_device(store: RecordStore, keys: LocalKeys, device_id: str) -> None:
    """A lost laptop: marked removed in our card (kept, never dropped), nothing more is sent to it,
    and bundles still waiting for it are dropped and their files deleted."""
    keys.remove_device(device_id)
    drop_removed_waiting(store, keys)


def drop_removed_waiting(store: RecordStore, keys: LocalKeys, write: sync_state.Writer | None = None) -> None:
    """Drop the outbox bundles still waiting for a removed laptop (one write, through `write`),
    then delete their files here; the copies in the sync place are queued for deletion."""
    from selfeval_app.exchange.outbox import outbox_dir
    from selfeval_app.exchange.transport import inbox

    write = write or sync_state.direct(store)
    removed = {d["device_id"] for d in keys.devices if d["removed"]}

    def drop(s: RecordStore) -> list[dict[str, Any]]:
        entries = sync_state.outbox(s)
        gone = [e for e in entries if e["contact"] in removed]
        with s.transaction():
            sync_state.save(s, "sync_outbox", [e for e in entries if e not in gone])
            sync_state.save(s, "sync_cleanup", [*sync_state.cleanup(s), *([inbox(e["contact"]), e["name"]] for e in gone)])
            s.db.set_meta("sync_plan_mark", "")
        return gone

    for e in write(drop):
        (outbox_dir(store) / e["name"]).unlink(missing_ok=True)


def export_bundle(store: RecordStore, keys: LocalKeys, out: Path) -> dict[str, Any]:
    """`bundle export --own-laptops`: what any of our other laptops has not had, in one file
    sealed to all of them; handed over by hand, so their ledgers advance at once."""
    from selfeval_app.exchange.bundle_write import (
        BundleContents,
        Recipient,
        note_delivered,
        plan_bundle,
        write_bundle,
    )

    targets = sync_targets(keys)
    if not targets:
        raise AddDeviceError(path=str(out), reason=NO_OTHER_LAPTOP)
    records: dict[str, Any] = {}
    withdrawals: dict[str, Any] = {}
    attachments: dict[str, Path] = {}
    for t in targets:
        contents = plan_bundle(store, keys, Recipient.from_contact(t))
        records.update({r["id"]: r for r in contents.records})
        withdrawals.update({r["id"]: r for r in contents.withdrawals})
        attachments.update(contents.attachments)
    contents = BundleContents(list(records.values()), [w for i, w in withdrawals.items() if i not in records], attachments)
    devices = [t.card["devices"][0] for t in targets]
    recipient = Recipient(keys.identity_id, "own", devices, keys.is_example, targets[0].identity_id)
    manifest = write_bundle(store, keys, recipient, out, contents, note_sent=False)
    with store.transaction():
        for t in targets:
            note_delivered(store, t.identity_id, [*contents.records, *contents.withdrawals], bundle_id=manifest["bundle_id"], seq_to=manifest["sequence"]["to"])
    return manifest


NO_OTHER_LAPTOP = N_("this school has no other laptop yet: add one first")
