"""Canonical JSON bytes for what is signed or fingerprinted (key cards, bundle manifests).

The signed objects hold only strings, integers, booleans, null, lists and objects with ASCII keys;
for those, this serialisation is exactly RFC 8785 (JCS): keys sorted, no whitespace, UTF-8, no
escaping beyond what JSON requires. Floats are refused rather than risk a second serialisation.
"""

from __future__ import annotations

import json
from typing import Any


def _check(value: Any) -> None:
    if isinstance(value, float):
        raise TypeError("signed objects hold no floats")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise TypeError("signed objects have ASCII keys")
            _check(item)
    elif isinstance(value, list):
        for item in value:
            _check(item)


def canonical_bytes(value: Any) -> bytes:
    _check(value)
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
