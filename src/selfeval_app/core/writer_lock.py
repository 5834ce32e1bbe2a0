"""The data folder's writer lock: every open database holds it shared, a restore holds it alone.

A restore replaces the whole database; a save made by another process at the same moment would be
lost. So every `open_database` takes this OS file lock in shared mode for as long as the database
is open, and restore takes it exclusively (waiting a little for short commands to finish). A
process that finds a restore holding it is refused with a clear message. The OS releases the lock
when a process dies, so a crash never leaves the folder locked. Linux/macOS: flock; Windows:
LockFileEx on the first byte (msvcrt has no shared locks).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

WRITER_LOCK_NAME = "selfeval.writers.lock"


def _lock(fd: int, exclusive: bool) -> bool:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import ctypes
        import msvcrt
        from ctypes import wintypes

        class _Overlapped(ctypes.Structure):
            _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p), ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD), ("hEvent", wintypes.HANDLE)]

        LOCKFILE_FAIL_IMMEDIATELY, LOCKFILE_EXCLUSIVE_LOCK = 0x1, 0x2
        flags = LOCKFILE_FAIL_IMMEDIATELY | (LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        handle = msvcrt.get_osfhandle(fd)
        overlapped = _Overlapped()
        return bool(ctypes.windll.kernel32.LockFileEx(wintypes.HANDLE(handle), flags, 0, 1, 0, ctypes.byref(overlapped)))
    import fcntl

    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class WriterLock:
    """One hold on a data folder's writer lock (shared or exclusive)."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / WRITER_LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _acquire(self, exclusive: bool) -> bool:
        if self._fd is not None:
            raise RuntimeError("writer lock already held")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _lock(fd, exclusive):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def acquire_shared(self) -> bool:
        """Take the lock alongside other writers; False while a restore holds it."""
        return self._acquire(False)

    def acquire_exclusive(self, wait_seconds: float = 0.0) -> bool:
        """Take the lock alone, retrying for up to `wait_seconds`; False if others still hold it."""
        deadline = time.monotonic() + wait_seconds
        while True:
            if self._acquire(True):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.close(self._fd)  # closing the only descriptor releases flock and LockFileEx locks
        finally:
            self._fd = None

    def __del__(self):
        self.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
