"""SQLite `file:` URIs built safely from any path (RFC 3986 percent-encoding).

SQLite cuts a URI path at `?` and `#` and decodes `%xx`, so a raw path such as `Ysgol #3` or
`a%20b` would open (and create!) a different file and lose `mode=ro`. Every character that is
not unreserved or `/` is percent-encoded, as UTF-8 bytes; a Windows drive path gets the leading
`/` SQLite expects (`file:///C:/...`).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

__all__ = ["readonly_uri", "sqlite_uri"]


def sqlite_uri(path: os.PathLike | str, *, mode: str = "ro") -> str:
    """A `file:` URI for the database at `path`, opened with `mode` ("ro", "rw" or "rwc")."""
    posix = Path(os.path.abspath(path)).as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/x -> /C:/x
    # surrogateescape: a POSIX path with bytes that are not UTF-8 keeps its exact bytes.
    raw = posix.encode("utf-8", "surrogateescape")
    return "file://" + quote(raw, safe="/:") + "?mode=" + quote(mode, safe="")


def readonly_uri(path: os.PathLike | str) -> str:
    """A URI that opens `path` read-only and never creates it."""
    return sqlite_uri(path, mode="ro")
