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

import json
from collections.abc import Mapping
from typing import Any

HASH_VERSION = 2
PREFIX = f"v{HASH_VERSION}:"
NOT_HASHED = frozenset({"rev", "base_rev", "updated_by", "created_at", "updated_at", "content_hash"})
ALWAYS_HASHED = ("id", "type", "owner", "deleted", "visibility")
_EMPTY = object()


def _pruned(value: Any) -> Any:
    """The value with empty mapping members dropped; `_EMPTY` when nothing is left."""
    if value is None or value is False or value == "":
        return _EMPTY
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is dict or isinstance(value, Mapping):
        kept = {}
        for key, member in value.items():
            member = _pruned(member)
            if member is not _EMPTY:
                kept[str(key)] = member
        return kept or _EMPTY
    if kind is list or isinstance(value, tuple):
        if not value:
            return _EMPTY
        return [_item(v) for v in value]
    return value


def _item(value: Any) -> Any:
    kind = type(value)
    if kind is dict or isinstance(value, Mapping):
        pruned = _pruned(value)
        return {} if pruned is _EMPTY else pruned
    if kind is list or isinstance(value, tuple):
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


class _NeedsFullCanonicaliser(Exception):
    pass


_FLOAT_FIXED = (1e-4, 1e16)  # where Python's repr and ECMAScript's number form are the same
_INT_EXACT = 2**53


def _plain(value: Any) -> Any:
    """The value with floats that are whole numbers as ints; raises _NeedsFullCanonicaliser for
    anything where `json.dumps` and RFC 8785 could differ (non-ASCII keys, which RFC 8785
    sorts by UTF-16 units; floats outside the range where both write them alike; big ints)."""
    kind = type(value)
    if kind is dict:
        out = {}
        for key, member in value.items():
            if type(key) is not str or not key.isascii():
                raise _NeedsFullCanonicaliser
            out[key] = _plain(member)
        return out
    if kind is list:
        return [_plain(v) for v in value]
    return _plain_leaf(value)


# What `json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"),
# allow_nan=False)` would build on every call, built once.
_SORTED_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    """RFC 8785 bytes of the record's hash form.

    Records are mostly text, small ints and ASCII keys, for which the standard library's sorted,
    compact JSON is byte-for-byte RFC 8785 (the same escapes, the same key order); that fast
    path is checked against `rfc8785` by a property test. Anything else goes through `rfc8785`."""
    try:
        text = _SORTED_COMPACT.encode(_plain_hash_form(record))
        return text.encode("utf-8")  # a lone surrogate fails here, and again (clearly) below
    except (_NeedsFullCanonicaliser, ValueError, UnicodeEncodeError):
        import rfc8785  # only for what the fast path cannot write exactly

        return rfc8785.dumps(hash_form(record))


# `_plain(hash_form(record))` in one pass over the record (imports hash every record they read).


def _plain_leaf(value: Any) -> Any:
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if -_INT_EXACT < value < _INT_EXACT:
            return value
        raise _NeedsFullCanonicaliser
    if kind is float:
        if value.is_integer() and abs(value) < _INT_EXACT:
            return int(value)
        if _FLOAT_FIXED[0] <= abs(value) < _FLOAT_FIXED[1]:
            return value
    raise _NeedsFullCanonicaliser


def _plain_pruned(value: Any) -> Any:
    """`_plain(_pruned(value))`."""
    if value is None or value is False or value == "":
        return _EMPTY
    kind = type(value)
    if kind is str:
        return value
    if kind is dict or isinstance(value, Mapping):
        kept = {}
        for key, member in value.items():
            member = _plain_pruned(member)
            if member is not _EMPTY:
                key = str(key)
                if not key.isascii():
                    raise _NeedsFullCanonicaliser
                kept[key] = member
        return kept or _EMPTY
    if kind is list or isinstance(value, tuple):
        if not value:
            return _EMPTY
        return [_plain_item(v) for v in value]
    return _plain_leaf(value)


def _plain_item(value: Any) -> Any:
    """`_plain(_item(value))`."""
    kind = type(value)
    if kind is dict or isinstance(value, Mapping):
        pruned = _plain_pruned(value)
        return {} if pruned is _EMPTY else pruned
    if kind is list or isinstance(value, tuple):
        return [_plain_item(v) for v in value]
    return _plain_leaf(value)


def _plain_hash_form(record: Mapping[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for key, value in record.items():
        if key in NOT_HASHED or key in ALWAYS_HASHED:
            continue
        value = _plain_pruned(value)
        if value is not _EMPTY:
            if type(key) is not str or not key.isascii():
                raise _NeedsFullCanonicaliser
            form[key] = value
    form["id"] = _plain(record.get("id"))
    form["type"] = _plain(record.get("type"))
    form["owner"] = _plain(record.get("owner"))
    form["deleted"] = bool(record.get("deleted"))
    form["visibility"] = _plain(record.get("visibility"))
    return form


def content_hash_v2(record: Mapping[str, Any]) -> str:
    import hashlib  # imported when first hashing (a write), not at start

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
