"""Reading a bundle: every check before anything changes (DESIGN §11, issue 10 item 6).

Order: size, decrypt with our age key (a changed byte fails here: age authenticates every chunk),
zip safety (only known member names; no paths, links, folders, duplicates; limits on count, size
and compression ratio; every member read as a bounded stream), the manifest's form and version,
signer (a trusted contact's device, or another device of our own identity, not removed), its
signature, that we are a recipient, every member's SHA-256 and size against the manifest, each
record against its type (unknown fields kept; wrong types, another owner, a visibility we may not
hold, a wrong content hash refused), attachment files against their records, and the counts.

`read_bundle` changes nothing; `bundle_import` applies what it returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from selfeval_app.core.attachments import MAX_ATTACHMENT_BYTES
from selfeval_app.core.errors import IncomingRecordError
from selfeval_app.core.records import Record, RecordStore
from selfeval_app.core.staging import temporary_file
from selfeval_app.exchange import contacts, errors
from selfeval_app.exchange.bundle_write import FORMAT, FORMAT_VERSION
from selfeval_app.exchange.canonical import canonical_bytes
from selfeval_app.exchange.errors import BundleRefused
from selfeval_app.exchange.gil import YieldingReader, YieldingWriter
from selfeval_app.exchange.keys import LocalKeys, _unb64
from selfeval_app.exchange.ledger import allowed_visibilities

MAX_BUNDLE_BYTES = 4 * 1024**3
MAX_MEMBERS = 50_000
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_RECORDS_BYTES = 1024**3
MAX_MANIFEST_BYTES = 16 * 1024**2
MAX_SIGNATURE_BYTES = 1024
MAX_RATIO = 100  # uncompressed / compressed, for a deflated member
MAX_LINE_BYTES = 16 * 1024**2

_ATTACHMENT_NAME = re.compile(r"attachments/([0-9a-f]{64})")
_FIXED_NAMES = ("manifest.json", "manifest.sig", "records.jsonl")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


@dataclass
class VerifiedBundle:
    """A bundle that passed every check; `inner` is its decrypted zip (a temporary file)."""

    path: Path
    manifest: dict[str, Any]
    records: list[Record]
    sender_role: str  # "own" for another device of our identity, else the contact's role
    inner: IO[bytes]
    attachment_members: dict[str, str]  # sha256 -> member name
    already_imported: bool = False  # seen before: the signed manifest was checked, nothing else

    @property
    def bundle_id(self) -> str:
        return self.manifest["bundle_id"]

    @property
    def sender_identity(self) -> str:
        return self.manifest["sender"]["identity"]

    @property
    def sender_device(self) -> str:
        return self.manifest["sender"]["device"]

    def open_attachment(self, sha256: str) -> IO[bytes]:
        return zipfile.ZipFile(self.inner).open(self.attachment_members[sha256])

    def close(self) -> None:
        self.inner.close()

    def listing(self) -> list[dict[str, Any]]:
        """What `bundle inspect` shows of each record."""
        return [
            {
                "type": r["type"],
                "id": r["id"],
                "rev": r["rev"],
                "visibility": r["visibility"],
                "deleted": r["deleted"],
            }
            for r in self.records
        ]


def _refuse(reason: str, path: Path) -> BundleRefused:
    return BundleRefused(reason, str(path))


def read_bundle(
    store: RecordStore, keys: LocalKeys, path: Path, *, stop_if_imported: bool = False
) -> VerifiedBundle:
    """Verify a bundle. With `stop_if_imported`, a bundle already imported here is checked only
    up to its signed manifest (an import of it would change nothing anyway)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        source = open(path, "rb")
    except OSError:
        raise _refuse(errors.NOT_A_BUNDLE, path) from None
    if size > MAX_BUNDLE_BYTES:
        source.close()
        raise _refuse(errors.TOO_LARGE, path)
    inner = temporary_file(store.db.data_dir)  # decrypted: never in the system temp folder
    try:
        with source:
            try:
                pyrage.decrypt_io(YieldingReader(source), YieldingWriter(inner), [keys.device.age])  # see exchange/gil.py
            except Exception:  # noqa: BLE001 - pyrage raises several kinds for one meaning
                raise _refuse(errors.NOT_FOR_US, path) from None
        inner.seek(0)
        return _verify(store, keys, path, inner, stop_if_imported)
    except BaseException:
        inner.close()
        raise


def _zip_members(zf: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(errors.TOO_LARGE, path)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if name in members or info.orig_filename != name:
            raise _refuse(errors.UNSAFE_MEMBER, path)
        if name not in _FIXED_NAMES and not _ATTACHMENT_NAME.fullmatch(name):
            raise _refuse(errors.UNSAFE_MEMBER, path)
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG) or info.flag_bits & 0x1:
            raise _refuse(errors.UNSAFE_MEMBER, path)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(errors.UNSAFE_MEMBER, path)
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _refuse(errors.UNSAFE_MEMBER, path)
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 4096:
            raise _refuse(errors.TOO_LARGE, path)
        limit = {
            "manifest.json": MAX_MANIFEST_BYTES,
            "manifest.sig": MAX_SIGNATURE_BYTES,
            "records.jsonl": MAX_RECORDS_BYTES,
        }.get(name, MAX_ATTACHMENT_BYTES)
        if info.file_size > limit:
            raise _refuse(errors.TOO_LARGE, path)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(errors.TOO_LARGE, path)
        members[name] = info
    if any(name not in members for name in _FIXED_NAMES):
        raise _refuse(errors.NOT_A_BUNDLE, path)
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, *, keep: bool) -> tuple[str, int, bytes]:
    """(sha256, size, content if kept): read as a stream, never past the declared size."""
    digest = hashlib.sha256()
    size = 0
    kept: list[bytes] = []
    with zf.open(info) as member:
        while block := member.read(1 << 20):
            size += len(block)
            if size > info.file_size:
                raise _refuse(errors.TOO_LARGE, path)
            digest.update(block)
            if keep:
                kept.append(block)
    return digest.hexdigest(), size, b"".join(kept)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_manifest(manifest: Any, path: Path) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(errors.NOT_A_BUNDLE, path)
    version, min_reader = manifest.get("format_version"), manifest.get("min_reader_version")
    if not _is_int(version) or not _is_int(min_reader):
        raise _refuse(errors.NOT_A_BUNDLE, path)
    if version > FORMAT_VERSION or min_reader > FORMAT_VERSION:
        raise _refuse(errors.NEWER_FORMAT, path)
    sender, seq = manifest.get("sender"), manifest.get("sequence")
    ok = (
        isinstance(manifest.get("bundle_id"), str)
        and _SAFE_ID.fullmatch(manifest["bundle_id"])
        and isinstance(sender, dict)
        and isinstance(sender.get("identity"), str)
        and isinstance(sender.get("device"), str)
        and isinstance(manifest.get("recipients"), list)
        and isinstance(seq, dict)
        and seq.get("device") == sender.get("device")
        and _is_int(seq.get("from"))
        and _is_int(seq.get("to"))
        and 0 <= seq["from"] <= seq["to"]
        and isinstance(manifest.get("members"), dict)
        and isinstance(manifest.get("counts"), dict)
    )
    if not ok:
        raise _refuse(errors.NOT_A_BUNDLE, path)
    for entry in manifest["members"].values():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and _HEX64.fullmatch(entry["sha256"])
            and _is_int(entry.get("size"))
        ):
            raise _refuse(errors.NOT_A_BUNDLE, path)
    return manifest


def _signer_key(store: RecordStore, keys: LocalKeys, manifest: dict[str, Any], path: Path) -> tuple[str, str]:
    """(signing key, sender role) of the device that signed, or a refusal."""
    sender = manifest["sender"]
    if sender["identity"] == keys.identity_id:
        if sender["device"] == keys.device.device_id:
            raise _refuse(errors.OWN_BUNDLE, path)
        entry = next((d for d in keys.devices if d["device_id"] == sender["device"]), None)
        if entry is None:
            raise _refuse(errors.UNKNOWN_SENDER, path)
        if entry["removed"]:
            raise _refuse(errors.REMOVED_DEVICE, path)
        return entry["signing_key"], "own"
    contact = contacts.get(store, sender["identity"])
    if contact is None:
        raise _refuse(errors.UNKNOWN_SENDER, path)
    if contact.is_example != keys.is_example or bool(sender.get("example")) != keys.is_example:
        raise _refuse(errors.UNKNOWN_SENDER, path)
    listed = next((d for d in contact.card["devices"] if d["device_id"] == sender["device"]), None)
    if listed is None:
        raise _refuse(errors.UNKNOWN_SENDER, path)
    if contact.device(sender["device"]) is None:
        raise _refuse(errors.REMOVED_DEVICE, path)
    return listed["signing_key"], contact.role


def _verify(
    store: RecordStore, keys: LocalKeys, path: Path, inner: IO[bytes], stop_if_imported: bool
) -> VerifiedBundle:
    try:
        zf = zipfile.ZipFile(inner)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise _refuse(errors.NOT_A_BUNDLE, path) from None
    try:
        with zf:
            return _verify_zip(store, keys, path, inner, zf, stop_if_imported)
    except BundleRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        # zipfile's own checks (CRC, header mismatch, truncated data) failing
        raise _refuse(errors.NOT_A_BUNDLE, path) from None


def _verify_zip(
    store: RecordStore,
    keys: LocalKeys,
    path: Path,
    inner: IO[bytes],
    zf: zipfile.ZipFile,
    stop_if_imported: bool = False,
) -> VerifiedBundle:
    members = _zip_members(zf, path)
    _, _, manifest_bytes = _read_member(zf, members["manifest.json"], path, keep=True)
    _, _, signature = _read_member(zf, members["manifest.sig"], path, keep=True)
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        canonical = canonical_bytes(manifest) == manifest_bytes
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        raise _refuse(errors.NOT_A_BUNDLE, path) from None
    manifest = _check_manifest(manifest, path)
    if not canonical:
        raise _refuse(errors.BAD_SIGNATURE, path)
    signing_key, role = _signer_key(store, keys, manifest, path)
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(signing_key)).verify(
            _unb64(signature.decode("ascii").strip()), manifest_bytes
        )
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        raise _refuse(errors.BAD_SIGNATURE, path) from None
    ours = [
        r
        for r in manifest["recipients"]
        if isinstance(r, dict) and r.get("identity") == keys.identity_id
    ]
    devices = ours[0].get("devices") if ours else None
    if not isinstance(devices, list) or keys.device.device_id not in devices:
        raise _refuse(errors.NOT_A_RECIPIENT, path)
    if stop_if_imported and store.conn.execute(
        "SELECT 1 FROM exchange_import WHERE bundle_id = ?", (manifest["bundle_id"],)
    ).fetchone():
        return VerifiedBundle(path, manifest, [], role, inner, {}, already_imported=True)

    listed = manifest["members"]
    present = {name for name in members if name not in ("manifest.json", "manifest.sig")}
    if set(listed) != present:
        raise _refuse(errors.CONTENTS_MISMATCH, path)
    attachment_members: dict[str, str] = {}
    sizes: dict[str, int] = {}
    lines = b""
    for name in sorted(present):
        digest, size, content = _read_member(zf, members[name], path, keep=name == "records.jsonl")
        if digest != listed[name]["sha256"] or size != listed[name]["size"]:
            raise _refuse(errors.CONTENTS_MISMATCH, path)
        match = _ATTACHMENT_NAME.fullmatch(name)
        if match:
            if match.group(1) != digest:
                raise _refuse(errors.BAD_ATTACHMENT, path)
            attachment_members[digest] = name
            sizes[digest] = size
        else:
            lines = content

    # What we may hold: everything from our own devices, else what our role may receive.
    allowed = allowed_visibilities("own" if role == "own" else keys.identity["role"])
    records = _parse_records(store, lines, manifest["sender"]["identity"], allowed | {"private"}, path)
    _check_visibilities(records, allowed, keys.identity_id, path)
    _check_counts(manifest, records, attachment_members, path)
    referenced = set()
    for rec in records:
        if rec["type"] == "attachment" and not rec["deleted"]:
            sha = rec.get("sha256")
            if sha not in attachment_members or sizes[sha] != rec.get("size"):
                raise _refuse(errors.BAD_ATTACHMENT, path)
            referenced.add(sha)
    if referenced != set(attachment_members):
        raise _refuse(errors.CONTENTS_MISMATCH, path)
    _check_local_owners(store, records, path)
    return VerifiedBundle(path, manifest, records, role, inner, attachment_members)


def _check_visibilities(records: list[Record], allowed: frozenset[str], reader: str, path: Path) -> None:
    """Every record is one we may hold: by its visibility, or because its owner chose it for a
    peer review visit whose team names us (the visit pack, `core/peer_review.visit_scope_ids`)."""
    if all(r["deleted"] or r["visibility"] in allowed for r in records):
        return
    from selfeval_app.core.peer_review import visit_scope_ids

    chosen = visit_scope_ids(records, reader)
    for rec in records:
        if not rec["deleted"] and rec["visibility"] not in allowed and rec["id"] not in chosen:
            raise _refuse(errors.BAD_RECORD, path)


def _check_counts(manifest, records, attachment_members, path: Path) -> None:
    counts = manifest["counts"]
    withdrawals = sum(1 for r in records if r["deleted"])
    by_type = dict(sorted(Counter(r["type"] for r in records if not r["deleted"]).items()))
    if (
        counts.get("records") != len(records) - withdrawals
        or counts.get("withdrawals") != withdrawals
        or counts.get("attachments") != len(attachment_members)
        or counts.get("by_type") != by_type
    ):
        raise _refuse(errors.CONTENTS_MISMATCH, path)


def _check_local_owners(store: RecordStore, records: list[Record], path: Path) -> None:
    """A record id we already hold under another owner is never taken over."""
    by_type: dict[str, list[Record]] = {}
    for rec in records:
        by_type.setdefault(rec["type"], []).append(rec)
    for type_name, recs in by_type.items():
        owners = {}
        ids = [r["id"] for r in recs]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" for _ in chunk)
            owners.update(
                store.conn.execute(
                    f'SELECT id, owner FROM "{type_name}" WHERE id IN ({marks})', chunk
                ).fetchall()
            )
        for rec in recs:
            if rec["id"] in owners and owners[rec["id"]] != rec["owner"]:
                raise _refuse(errors.FOREIGN_OWNER, path)


def _parse_records(
    store: RecordStore, lines: bytes, owner: str, allowed: frozenset[str], path: Path
) -> list[Record]:
    records: list[Record] = []
    seen: set[str] = set()
    for raw in lines.split(b"\n"):
        if not raw:
            continue
        if len(raw) > MAX_LINE_BYTES:
            raise _refuse(errors.TOO_LARGE, path)
        try:
            rec = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _refuse(errors.BAD_RECORD, path) from None
        rec = check_record(store, rec, owner, allowed, path)
        if rec["id"] in seen:
            raise _refuse(errors.BAD_RECORD, path)
        seen.add(rec["id"])
        records.append(rec)
    if not lines.endswith(b"\n") and lines:
        raise _refuse(errors.BAD_RECORD, path)
    return records


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def check_record(store: RecordStore, rec: Any, owner: str, allowed: frozenset[str], path: Path) -> Record:
    """One record line: the store's own check against its type (unknown fields kept; wrong
    kinds, unknown types, a hash that does not match refused), then what a bundle adds: a plain
    id, real timestamps, the signer as owner, a visibility we may hold. Returns it normalised."""
    if not isinstance(rec, dict) or not isinstance(rec.get("type"), str):
        # (store.check_incoming raises TypeError for a type that is not text: found by the fuzz run)
        raise _refuse(errors.BAD_RECORD, path)
    try:
        _t, checked = store.check_incoming(rec)
    except (IncomingRecordError, TypeError, ValueError, RecursionError):
        raise _refuse(errors.BAD_RECORD, path) from None
    ok = (
        _SAFE_ID.fullmatch(checked["id"])
        and len(checked["updated_by"]) <= 100
        and _is_timestamp(checked["created_at"])
        and _is_timestamp(checked["updated_at"])
    )
    if not ok:
        raise _refuse(errors.BAD_RECORD, path)
    if checked["owner"] != owner:
        raise _refuse(errors.FOREIGN_OWNER, path)
    if not checked["deleted"] and checked["visibility"] not in allowed:
        raise _refuse(errors.BAD_RECORD, path)
    return checked
