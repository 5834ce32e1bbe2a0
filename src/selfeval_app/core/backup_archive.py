"""Reading a backup file that may be damaged or hostile: check the whole archive, stream it to a
staging folder, and refuse anything that is not exactly what `make_backup` writes.

A backup holds only `manifest.json`, `database.sqlite3`, `attachments/<sha256>` and (format 2) both
or neither of `keys/device.json` and `keys/identity.json` (`backup_keys.py`) members: plain files, stored or deflated, not encrypted, each name once, sizes bounded, and a manifest of a fixed
shape that lists exactly those members with their SHA-256. Members are streamed to the staging
folder (never read whole into memory) and hashed on the way; nothing outside the staging folder is
written. Every failure, whatever the zip or JSON library raises, becomes one `DamagedBackup` with
a reason for the user (see `load_backup`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import lzma
import os
import re
import sqlite3
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NoReturn

from selfeval_app.core import schema
from selfeval_app.core.backup_keys import (
    KEY_MEMBERS,
    MAX_KEY_FILE_BYTES,
    OTHER_KEY_MEMBER,
    BadKeys,
    KeyFiles,
    check_key_files,
)
from selfeval_app.core.i18n import N_

FORMAT = "selfeval-backup"
FORMAT_VERSION = 3  # 2: may hold the exchange keys (keys/); 3: also other identities' (keys/identities/)
KEYS_FORMAT_VERSION = 2
OTHER_KEYS_FORMAT_VERSION = 3  # a backup without other identities' keys is still written as 2 (or 1)
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
_ATTACHMENT = re.compile(r"attachments/([0-9a-f]{64})")
_SHA256 = re.compile(r"[0-9a-f]{64}")

MAX_BACKUP_FILE_BYTES = 32 * 1024**3
MAX_MANIFEST_BYTES = 1024**2
MAX_DATABASE_BYTES = 8 * 1024**3
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024  # the attachment limit (attachments.MAX_ATTACHMENT_BYTES)
MAX_TOTAL_BYTES = 24 * 1024**3
MAX_MEMBERS = 100_002
MAX_RATIO = 1000  # deflate cannot do much better than 1032:1; more means a crafted member
MAX_MANIFEST_DEPTH = 3
_CHUNK = 1 << 20

# What a manifest may hold (key -> allowed types); the first four are required.
_REQUIRED = {"format": (str,), "format_version": (int,), "schema_version": (int,), "files": (dict,)}
_OPTIONAL = {
    "created_at": (str,),
    "app_version": (str,),
    "database_id": (str, type(None)),
    "epoch": (int,),
    "reason": (str,),
    "sequence": (int,),
}

# Everything the zip, zlib, lzma, json and sqlite3 modules raise on damaged or crafted input.
READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    struct.error,
    RuntimeError,  # includes NotImplementedError and RecursionError
    AttributeError,
    KeyError,
    IndexError,
    ValueError,  # includes UnicodeDecodeError and json.JSONDecodeError
    TypeError,
    OverflowError,
    MemoryError,
    sqlite3.Error,
    OSError,
)


class DamagedBackup(Exception):
    """The file is not a backup we can use; `reason` is a catalog message (N_)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NewerBackup(Exception):
    """The backup was made by a newer version of the app."""


@dataclass
class StagedBackup:
    manifest: dict
    database: Path
    attachments: dict[str, Path] = field(default_factory=dict)  # sha256 -> staged file
    keys: KeyFiles | None = None  # the exchange keys, checked against the database's owner
    other_keys: dict[str, KeyFiles] = field(default_factory=dict)  # identity id -> its keys (format 3)


def open_backup_file(path: Path) -> BinaryIO:
    """Open a backup for reading, refusing anything but a regular file (a FIFO or device would hang)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise DamagedBackup(N_("the file does not exist")) from None
        raise DamagedBackup(N_("the file cannot be read")) from None
    if not stat.S_ISREG(info.st_mode):
        raise DamagedBackup(N_("it is not an ordinary file"))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        raise DamagedBackup(N_("the file cannot be read")) from None
    try:
        info = os.fstat(fd)  # the name may have been swapped for something else since the stat
        if not stat.S_ISREG(info.st_mode):
            raise DamagedBackup(N_("it is not an ordinary file"))
        if info.st_size > MAX_BACKUP_FILE_BYTES:
            raise DamagedBackup(N_("it is far larger than any backup"))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _member_limit(name: str) -> int:
    if name == MANIFEST:
        return MAX_MANIFEST_BYTES
    if name == DATABASE:
        return MAX_DATABASE_BYTES
    if name in KEY_MEMBERS or OTHER_KEY_MEMBER.fullmatch(name):
        return MAX_KEY_FILE_BYTES
    return MAX_ATTACHMENT_BYTES


def check_members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, after checking each against what a backup may hold."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise DamagedBackup(N_("it holds far more files than a backup"))
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if name != info.orig_filename or not (name in (MANIFEST, DATABASE, *KEY_MEMBERS) or _ATTACHMENT.fullmatch(name) or OTHER_KEY_MEMBER.fullmatch(name)):
            raise DamagedBackup(N_("it holds a file with a name a backup never uses"))
        if name in members:
            raise DamagedBackup(N_("it holds two files with the same name"))
        mode = info.external_attr >> 16
        if info.is_dir() or info.external_attr & 0x10 or (mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG)):
            raise DamagedBackup(N_("it holds a link, a folder or a special file"))
        if info.flag_bits & 0x1:
            raise DamagedBackup(N_("it is encrypted"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DamagedBackup(N_("it uses a kind of compression backups never use"))
        if info.file_size > _member_limit(name):
            raise DamagedBackup(N_("a file in it is larger than a backup allows"))
        if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DamagedBackup(N_("a file in it is compressed suspiciously well (a zip bomb)"))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise DamagedBackup(N_("its files are larger than a backup allows"))
        members[name] = info
    if MANIFEST not in members:
        raise DamagedBackup(N_("it has no manifest"))
    if DATABASE not in members:
        raise DamagedBackup(N_("it has no database"))
    if len(set(KEY_MEMBERS) & set(members)) == 1:
        raise DamagedBackup(N_("its exchange keys are incomplete"))
    others: dict[str, set[str]] = {}
    for name in members:
        match = OTHER_KEY_MEMBER.fullmatch(name)
        if match:
            others.setdefault(match.group(1), set()).add(match.group(2))
    if any(len(kinds) != 2 for kinds in others.values()):
        raise DamagedBackup(N_("its exchange keys are incomplete"))
    return members


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    chunks, size = [], 0
    with zf.open(info) as src:
        while block := src.read(_CHUNK):
            size += len(block)
            if size > limit:
                raise DamagedBackup(N_("a file in it is larger than a backup allows"))
            chunks.append(block)
    return b"".join(chunks)


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise DamagedBackup(N_("its manifest has the wrong shape"))
    return result


def _depth(value: object) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_MANIFEST_DEPTH:
            return depth
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _refuse_constant(_name: str) -> NoReturn:
    raise DamagedBackup(N_("its manifest has the wrong shape"))


def parse_manifest(raw: bytes, member_names: set[str]) -> dict:
    """The manifest, checked: a JSON object of the known shape listing exactly `member_names`."""
    wrong_shape = DamagedBackup(N_("its manifest has the wrong shape"))
    try:
        manifest = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise wrong_shape from None
    if not isinstance(manifest, dict) or _depth(manifest) > MAX_MANIFEST_DEPTH:
        raise wrong_shape
    if manifest.get("format") != FORMAT:
        raise DamagedBackup(N_("it is not a Hunanwerthuso backup"))
    for key, value in manifest.items():
        allowed = _REQUIRED.get(key) or _OPTIONAL.get(key)
        if allowed is None or isinstance(value, bool) or not isinstance(value, allowed):
            raise wrong_shape
    if any(key not in manifest for key in _REQUIRED):
        raise wrong_shape
    if manifest["format_version"] > FORMAT_VERSION or manifest["schema_version"] > schema.SCHEMA_VERSION:
        raise NewerBackup()
    if manifest["format_version"] < 1 or manifest["schema_version"] < 1:
        raise wrong_shape
    files = manifest["files"]
    for name, digest in files.items():
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise wrong_shape
        match = _ATTACHMENT.fullmatch(name)
        if match and match.group(1) != digest:
            raise DamagedBackup(N_("a file in it does not match its checksum"))
    if set(files) != member_names - {MANIFEST}:
        raise DamagedBackup(N_("its manifest does not list exactly the files in it"))
    if manifest["format_version"] < KEYS_FORMAT_VERSION and set(KEY_MEMBERS) & set(files):
        raise wrong_shape  # format 1 has no keys: such a file was not made by the app
    if manifest["format_version"] < OTHER_KEYS_FORMAT_VERSION and any(OTHER_KEY_MEMBER.fullmatch(n) for n in files):
        raise wrong_shape  # nor do formats 1 and 2 have other identities' keys
    return manifest


def _stream_to(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> str:
    """Copy one member to a new file, hashing it; returns the SHA-256 of what was written."""
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as out, zf.open(info) as src:
        while block := src.read(_CHUNK):
            size += len(block)
            if size > limit:
                raise DamagedBackup(N_("a file in it is larger than a backup allows"))
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def stage_archive(source: BinaryIO, staging: Path, database_name: str) -> StagedBackup:
    """Check the archive whole and stream its members into `staging`. Raises DamagedBackup or
    NewerBackup; lets OSError through (the caller tells a full disk apart)."""
    with zipfile.ZipFile(source) as zf:
        members = check_members(zf)
        manifest = parse_manifest(_read_bounded(zf, members[MANIFEST], MAX_MANIFEST_BYTES), set(members))
        files = manifest["files"]
        database = staging / database_name
        if _stream_to(zf, members[DATABASE], database, MAX_DATABASE_BYTES) != files[DATABASE]:
            raise DamagedBackup(N_("a file in it does not match its checksum"))
        incoming = staging / "attachments"
        incoming.mkdir()
        staged = StagedBackup(manifest=manifest, database=database)
        for name, info in members.items():
            match = _ATTACHMENT.fullmatch(name)
            if not match:
                continue
            sha = match.group(1)
            target = incoming / sha
            if _stream_to(zf, info, target, MAX_ATTACHMENT_BYTES) != sha:
                raise DamagedBackup(N_("a file in it does not match its checksum"))
            staged.attachments[sha] = target
        if set(KEY_MEMBERS) <= set(members):
            staged.keys = _stage_keys(zf, members, files)
        for name in sorted(members):
            match = OTHER_KEY_MEMBER.fullmatch(name)
            if match and match.group(2) == "device":
                identity_id = match.group(1)
                staged.other_keys[identity_id] = _stage_keys(zf, members, files, identity_id)
        return staged


def _stage_keys(
    zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], files: dict[str, str], identity_id: str | None = None
) -> KeyFiles:
    """Read both key files (small and bounded), check their hashes and shape. Their owner is
    checked against the database once that is checked (`check_staged_keys`); another identity's
    (`identity_id`) must be the identity its folder is named after."""
    from selfeval_app.core.backup_keys import other_key_members

    raw = []
    for name in KEY_MEMBERS if identity_id is None else other_key_members(identity_id):
        data = _read_bounded(zf, members[name], MAX_KEY_FILE_BYTES)
        if hashlib.sha256(data).hexdigest() != files[name]:
            raise DamagedBackup(N_("a file in it does not match its checksum"))
        raw.append(data)
    try:
        return check_key_files(raw[0], raw[1], owner=identity_id)
    except BadKeys as exc:
        raise DamagedBackup(exc.reason) from None


def check_staged_keys(staged: StagedBackup, owner: str) -> None:
    """The backup's keys must be its database owner's. Raises DamagedBackup."""
    if staged.keys is not None and staged.keys.identity_id != owner:
        from selfeval_app.core.backup_keys import KEYS_OF_ANOTHER_OWNER

        raise DamagedBackup(KEYS_OF_ANOTHER_OWNER)
    if staged.other_keys:
        from selfeval_app.core.sqlite_uri import readonly_uri

        conn = sqlite3.connect(readonly_uri(staged.database), uri=True)
        try:
            ids = {row[0] for row in conn.execute("SELECT id FROM identity")}
        except sqlite3.DatabaseError:
            ids = set()
        finally:
            conn.close()
        if owner in staged.other_keys or not set(staged.other_keys) <= ids - {owner}:
            from selfeval_app.core.backup_keys import KEYS_OF_ANOTHER_OWNER

            raise DamagedBackup(KEYS_OF_ANOTHER_OWNER)
