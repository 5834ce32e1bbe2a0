"""Writing files so a crash never leaves a half-written one: temp file, fsync, rename."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a directory for fsync; rename there is already durable
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write that appears at `path` whole, or not at all if anything fails.
    A full disk is raised as StorageFullError ("the disk is full")."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
            from selfeval_app.core.errors import StorageFullError

            raise StorageFullError() from exc
        raise
    fsync_dir(path.parent)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all."""
    with atomic_output(path) as out:
        out.write(data)


def copy_atomic(source: Path, target: Path, chunk: int = 1 << 20) -> None:
    """Copy `source` to `target` whole or not at all."""
    with atomic_output(target) as out, open(source, "rb") as src:
        while block := src.read(chunk):
            out.write(block)
