"""Content hash version 2: one hash of a record's content that every app version computes alike.

The hash is SHA-256 over RFC 8785 (JSON Canonicalization Scheme) bytes of the record's *hash
form*, written as ``"v2:" + hex``. The hash form is flat:

- ``id``, ``type``, ``owner``, ``deleted`` (a bool) and ``visibility`` always;
- every other key of the record whose value is not empty, fields this version does not know
  included, each at the top level (never nested under ``extra``);
- never ``rev``, ``base_rev``, ``updated_by``, ``created_at``, ``updated_at`` or ``content_hash``:
  they say *when* and *by whom*, not *what*.

Empty means None, ``""``, ``False``, ``[]``, ``{}``, or a mapping whose members are all empty;
inside mappings empty members are dropped (so ``{"cy": "Ysgol", "en": ""}`` hashes as
``{"cy": "Ysgol"}``); list items are kept in order (mappings inside them pruned the same way). So a
field that is missing hashes the same as the same field left empty, and adding an optional field
to a record type changes no existing record's hash. Numbers follow RFC 8785 (``1`` and ``1.0``
are the same number).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

HASH_VERSION = 2
PREFIX = f"v{HASH_VERSION}:"
NOT_HASHED = frozenset({"rev", "base_rev", "updated_by", "created_at", "updated_at", "content_hash"})
ALWAYS_HASHED = ("id", "type", "owner", "deleted", "visibility")
_EMPTY = object()


def _pruned(value: Any) -> Any:
    """The value with empty mapping members dropped; `_EMPTY` when nothing is left."""
    if value is None or value is False or value == "":
        return _EMPTY
    if isinstance(value, Mapping):
        kept = {}
        for key, member in value.items():
            member = _pruned(member)
            if member is not _EMPTY:
                kept[str(key)] = member
        return kept or _EMPTY
    if isinstance(value, list | tuple):
        if not value:
            return _EMPTY
        return [_item(v) for v in value]
    return value


def _item(value: Any) -> Any:
    if isinstance(value, Mapping):
        pruned = _pruned(value)
        return {} if pruned is _EMPTY else pruned
    if isinstance(value, list | tuple):
        return [_item(v) for v in value]
    return value


def hash_form(record: Mapping[str, Any]) -> dict[str, Any]:
    """The flat canonical form the hash is taken over (see the module docstring)."""
    form: dict[str, Any] = {}
    for key, value in record.items():
        if key in NOT_HASHED or key in ALWAYS_HASHED:
            continue
        value = _pruned(value)
        if value is not _EMPTY:
            form[key] = value
    form["id"] = record.get("id")
    form["type"] = record.get("type")
    form["owner"] = record.get("owner")
    form["deleted"] = bool(record.get("deleted"))
    form["visibility"] = record.get("visibility")
    return form


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """RFC 8785 bytes of the record's hash form."""
    return rfc8785.dumps(hash_form(record))


def content_hash_v2(record: Mapping[str, Any]) -> str:
    return PREFIX + hashlib.sha256(canonical_bytes(record)).hexdigest()


def hash_version(value: str | None) -> int | None:
    """The version a stored hash was made with: 2 for "v2:...", 1 for a bare hex digest (the
    first release), None when it is not a hash this app can read."""
    if not value:
        return None
    head, sep, digest = value.partition(":")
    if not sep:
        return 1 if len(value) == 64 else None
    if head.startswith("v") and head[1:].isdigit() and len(digest) == 64:
        return int(head[1:])
    return None
