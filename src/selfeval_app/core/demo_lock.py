"""One `selfeval demo` at a time per folder: a second one waits for the first, then refreshes.

Without it two demos raced to create the same tables and records ("table meta already exists",
"UNIQUE constraint failed") or took each other's brief instance-lock probe for the open app. The
lock is an OS file lock (released by the OS if the process dies), on a file of its own so it
never looks like the window's instance lock.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selfeval_app.core.errors import DemoBusyError

LOCK_NAME = "selfeval-demo.lock"
WAIT_SECONDS = 120.0  # building the example takes a few seconds; far longer means it is stuck


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def demo_setup_lock(data_dir: Path, *, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the folder's demo lock, waiting up to `wait` seconds for another demo to finish."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    fd = os.open(Path(data_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise DemoBusyError()
            time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
