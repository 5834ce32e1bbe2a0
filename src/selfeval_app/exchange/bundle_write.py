"""Writing a bundle (DESIGN §11): what is due for one contact, signed, sealed to it with age.

`<name>.selfeval-bundle` is an age file (binary format, X25519 recipients: every active device of
the recipient). Inside, a zip with stored members:

- `records.jsonl`: one record version or tombstone per line, as in the export (§9);
- `attachments/<sha256>`: the files of the attachment records sent;
- `manifest.json`: canonical JSON (see `canonical.py`) naming format, versions, bundle id, sender
  identity and device, recipients, the sender's change-log sequence range, counts and the SHA-256
  and size of every other member;
- `manifest.sig`: base64 Ed25519 signature of the sender device over the manifest bytes.

The file is written to a temporary name, fsynced and renamed; the ledger records what went only
after that, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyrage
from pyrage import x25519

from selfeval_app import __version__
from selfeval_app.core import record_types as rt
from selfeval_app.core import schema
from selfeval_app.core.attachments import stored_path
from selfeval_app.core.records import Record, RecordStore
from selfeval_app.core.safe_files import atomic_output
from selfeval_app.core.staging import temporary_file
from selfeval_app.exchange import ledger
from selfeval_app.exchange.canonical import canonical_bytes
from selfeval_app.exchange.contacts import Contact
from selfeval_app.exchange.errors import ExampleRecipientError
from selfeval_app.exchange.keys import LocalKeys

EXTENSION = ".selfeval-bundle"
FORMAT = "selfeval-bundle"
FORMAT_VERSION = 1
MIN_READER_VERSION = 1
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so a bundle's bytes depend only on what it carries


@dataclass
class Recipient:
    """Who a bundle is for: an identity, its role for visibility, and its devices' keys."""

    identity_id: str
    role: str  # "own" (another device of our identity), "la", "reviewer"
    devices: list[dict[str, Any]]
    is_example: bool
    # Whose share ledger (and sent sequence) a bundle advances: the identity, except for one of
    # our own other laptops synced on its own (its device id, see `exchange/own_devices.py`).
    ledger_id: str | None = None

    @property
    def ledger_key(self) -> str:
        return self.ledger_id or self.identity_id

    @classmethod
    def from_contact(cls, contact: Contact) -> Recipient:
        identity = contact.card["identity"]["id"]
        ledger_id = contact.identity_id if contact.identity_id != identity else None
        return cls(identity, contact.role, contact.active_devices, contact.is_example, ledger_id)

    @classmethod
    def own_devices(cls, keys: LocalKeys) -> Recipient:
        others = [
            d for d in keys.devices if not d["removed"] and d["device_id"] != keys.device.device_id
        ]
        return cls(keys.identity_id, "own", others, keys.is_example)


@dataclass
class BundleContents:
    """What a bundle will carry: shown before it is written (the send preview)."""

    records: list[Record]
    withdrawals: list[Record]
    attachments: dict[str, Path] = field(default_factory=dict)
    # A peer review visit's bundle (`visit_bundle.py`): named in the signed manifest, so the
    # reader keeps the visit's bundles in a sequence of their own (`bundle_import`).
    visit_id: str | None = None

    def counts(self) -> dict[str, Any]:
        return {
            "records": len(self.records),
            "withdrawals": len(self.withdrawals),
            "attachments": len(self.attachments),
            "by_type": dict(sorted(Counter(r["type"] for r in self.records).items())),
        }


def plan_bundle(store: RecordStore, keys: LocalKeys, recipient: Recipient) -> BundleContents:
    """What is due for `recipient`: our own records its visibility allows, and withdrawals."""
    if recipient.is_example != keys.is_example:
        raise ExampleRecipientError()
    owner = keys.identity_id
    records: list[Record] = []
    attachments: dict[str, Path] = {}
    for rec in ledger.due_for(store, owner, recipient.ledger_key, recipient.role):
        if rec["type"] == "attachment" and rec.get("sha256") and not rec["deleted"]:
            path = stored_path(store.db.data_dir, rec["sha256"])
            if not path.is_file():
                continue  # `selfeval check` reports the missing file; the record waits for it
            attachments[rec["sha256"]] = path
        records.append(rec)
    withdrawals = [r for r in records if r["deleted"]]  # tombstones for our own devices
    records = [r for r in records if not r["deleted"]]
    carried = {r["id"] for r in withdrawals}
    withdrawals += [
        r
        for r in ledger.withdrawals_for(store, owner, recipient.ledger_key, recipient.role)
        if r["id"] not in carried
    ]
    if recipient.role != "own" and (records or withdrawals):
        records = _recipients_copies(store, owner, recipient, records, withdrawals)
    return BundleContents(records, withdrawals, attachments)


def _recipients_copies(store: RecordStore, owner: str, recipient: Recipient, records: list[Record], withdrawals: list[Record]) -> list[Record]:
    """The recipient's copies (`exchange/redact.py`: no id of a record it may not receive), and
    again, at the same rev, the records it holds that name a record that has just become
    receivable or has just been withdrawn (their copy's links change)."""
    from selfeval_app.core import share_ledger
    from selfeval_app.exchange import redact

    allowed = ledger.allowed_visibilities(recipient.role)
    withheld = redact.withheld_ids(store, owner, visibilities=allowed)
    sent = share_ledger.sent_to(store, recipient.ledger_key)
    changed: set[str] = set()
    for rec in records:
        had = sent.get(rec["id"])
        if had is None or had.withdrawn:
            changed |= redact.ids_within(rec)
    for tomb in withdrawals:
        current = store.get(tomb["type"], tomb["id"], include_deleted=True)
        changed |= redact.ids_within(current) if current is not None else {tomb["id"]}
    out = redact.copies_for(records, withheld)
    if changed:
        planned = {r["id"] for r in records} | {w["id"] for w in withdrawals}
        for had in sent.values():
            if had.withdrawn or had.record_id in planned or had.owner != owner or had.type not in rt.RECORD_TYPES:
                continue
            current = store.get(had.type, had.record_id)
            if current is None or current["rev"] != had.rev or current["visibility"] not in allowed:
                continue
            if redact.mentions(current, changed) or redact.dangling(current, withheld):
                out.append(redact.copy_for(current, withheld))
    return out


def sign_manifest(keys: LocalKeys, manifest: dict[str, Any]) -> tuple[bytes, bytes]:
    """The manifest's canonical bytes and their signature (base64 text)."""
    data = canonical_bytes(manifest)
    return data, keys.device.sign(data).encode("ascii")


def records_jsonl(records: Iterable[Record]) -> bytes:
    return b"".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        + b"\n"
        for r in records
    )


def _add(zf: zipfile.ZipFile, name: str, data: bytes | None = None, path: Path | None = None) -> None:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o100644 << 16
    if path is not None:
        with open(path, "rb") as src, zf.open(info, "w") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    else:
        zf.writestr(info, data or b"")


def _sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def encrypt_to(source: BinaryIO, out: Path, age_recipients: list[str]) -> None:
    """Seal a file to age recipients; written to a temporary name, fsynced, renamed."""
    recipients = [x25519.Recipient.from_str(r) for r in age_recipients]
    with atomic_output(Path(out)) as sink:
        from selfeval_app.exchange.gil import YieldingReader, YieldingWriter

        pyrage.encrypt_io(YieldingReader(source), YieldingWriter(sink), recipients)  # other threads run meanwhile


@dataclass
class PreparedBundle:
    """A bundle as read from the database, not yet sealed: `seal_bundle` writes it with no
    database access (so the GUI signs and encrypts off the database writer), then
    `note_delivered` records it in the ledger."""

    manifest: dict[str, Any]  # without "members" (filled when sealed)
    contents: BundleContents
    age_recipients: list[str]
    temp_dir: Path  # where the unsealed archive is made (the data folder, never system temp)
    recipient_id: str
    seq_to: int


def prepare_bundle(store: RecordStore, keys: LocalKeys, recipient: Recipient, contents: BundleContents | None = None) -> PreparedBundle:
    contents = contents or plan_bundle(store, keys, recipient)
    if recipient.is_example != keys.is_example:
        raise ExampleRecipientError()
    if not recipient.devices:
        raise ValueError("the recipient has no device to encrypt to")
    last_seq = store.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
    sent_key = f"exchange_sent_seq:{recipient.ledger_key}"
    first_seq = min(int(store.db.meta(sent_key, "0")) + 1, last_seq)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "min_reader_version": MIN_READER_VERSION,
        "bundle_id": str(uuid.uuid4()),
        "created_at": store.clock.timestamp(),
        "app_version": __version__,
        "schema_version": schema.SCHEMA_VERSION,
        "sender": {
            "identity": keys.identity_id,
            "device": keys.device.device_id,
            "example": keys.is_example,
        },
        "recipients": [
            {"identity": recipient.identity_id, "devices": sorted(d["device_id"] for d in recipient.devices)}
        ],
        "sequence": {"device": keys.device.device_id, "from": first_seq, "to": last_seq},
        "counts": contents.counts(),
    }
    if contents.visit_id:
        manifest["visit"] = contents.visit_id
    return PreparedBundle(
        manifest, contents, [d["age_recipient"] for d in recipient.devices], store.db.data_dir, recipient.ledger_key, last_seq
    )


def seal_bundle(keys: LocalKeys, prepared: PreparedBundle, out: Path) -> dict[str, Any]:
    """Sign, pack and encrypt a prepared bundle to `out` (no database); returns the manifest."""
    contents = prepared.contents
    lines = records_jsonl([*contents.records, *contents.withdrawals])
    members: dict[str, dict[str, Any]] = {
        "records.jsonl": {"sha256": hashlib.sha256(lines).hexdigest(), "size": len(lines)}
    }
    for sha, path in sorted(contents.attachments.items()):
        digest, size = _sha256_file(path)
        members[f"attachments/{sha}"] = {"sha256": digest, "size": size}
    manifest = dict(prepared.manifest, members=members)
    manifest_bytes, signature = sign_manifest(keys, manifest)
    with temporary_file(prepared.temp_dir) as inner:  # not sealed yet: never in the system temp folder
        with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as zf:
            _add(zf, "manifest.json", manifest_bytes)
            _add(zf, "manifest.sig", signature)
            _add(zf, "records.jsonl", lines)
            for sha, path in sorted(contents.attachments.items()):
                _add(zf, f"attachments/{sha}", path=path)
        inner.seek(0)
        encrypt_to(inner, out, prepared.age_recipients)
    return manifest


def note_prepared_sent(store: RecordStore, prepared: PreparedBundle, manifest: dict[str, Any]) -> None:
    contents = prepared.contents
    with store.transaction():
        note_delivered(store, prepared.recipient_id, [*contents.records, *contents.withdrawals], bundle_id=manifest["bundle_id"], seq_to=prepared.seq_to)


def write_bundle(
    store: RecordStore,
    keys: LocalKeys,
    recipient: Recipient,
    out: Path,
    contents: BundleContents | None = None,
    *,
    note_sent: bool = True,
) -> dict[str, Any]:
    """Write the bundle to `out`; returns the manifest. With `note_sent` (a bundle handed over
    by hand) the ledger records what went at once; sync passes False and notes it when the
    recipient's signed receipt comes back (`note_delivered`), so a lost bundle is sent again."""
    prepared = prepare_bundle(store, keys, recipient, contents)
    manifest = seal_bundle(keys, prepared, out)
    if note_sent:
        note_prepared_sent(store, prepared, manifest)
    return manifest


def note_delivered(store: RecordStore, recipient_id: str, versions: list[dict[str, Any]], *, bundle_id: str, seq_to: int) -> None:
    """The ledger advances: these versions reached `recipient_id` (joins the caller's
    transaction)."""
    ledger.record_sent(store, recipient_id, versions, bundle_id=bundle_id)
    sent_key = f"exchange_sent_seq:{recipient_id}"
    store.db.set_meta(sent_key, str(max(seq_to, int(store.db.meta(sent_key, "0")))))
