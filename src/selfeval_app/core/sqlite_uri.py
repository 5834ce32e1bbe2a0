"""SQLite URIs built from file paths with proper percent-encoding.

SQLite cuts a `file:` URI at `#` or `?` and decodes `%xx`, so a raw path such as "Ysgol #3" would
open (or create) a different file. Every path character outside the unreserved set is encoded.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def file_uri(path: Path, **params: str) -> str:
    """`file:` URI for `path` (made absolute), with query parameters such as mode=ro."""
    absolute = Path(os.path.abspath(path)).as_posix()
    if not absolute.startswith("/"):
        absolute = "/" + absolute  # Windows: file:///C:/...
    uri = "file:" + quote(absolute, safe="/:")
    if params:
        uri += "?" + "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items())
    return uri


def readonly_uri(path: Path) -> str:
    """URI that opens `path` read-only and never creates it."""
    return file_uri(path, mode="ro")
