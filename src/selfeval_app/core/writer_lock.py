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
import sys
import time
from pathlib import Path

WRITER_LOCK_NAME = "selfeval.writers.lock"
# Held by a restore from the moment it starts waiting: new writers are refused at once, so a stream
# of short commands cannot starve the restore.
RESTORE_LOCK_NAME = "selfeval.restore.lock"


def _open_and_lock(path: Path, exclusive: bool) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    if _lock(fd, exclusive):
        return fd
    os.close(fd)
    return None


def _lock(fd: int, exclusive: bool) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only (os.name "nt")
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
        self.restore_path = Path(data_dir) / RESTORE_LOCK_NAME
        self._fd: int | None = None
        self._restore_fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire_shared(self) -> bool:
        """Take the lock alongside other writers; False while a restore holds or waits for it."""
        if self._fd is not None:
            raise RuntimeError("writer lock already held")
        probe = _open_and_lock(self.restore_path, False)
        if probe is None:
            return False
        try:
            self._fd = _open_and_lock(self.path, False)
        finally:
            os.close(probe)
        return self._fd is not None

    def acquire_exclusive(self, wait_seconds: float = 0.0) -> bool:
        """Take the lock alone, waiting up to `wait_seconds` for open databases to close (new ones
        are refused meanwhile); False if others still hold it, or another restore runs."""
        if self._fd is not None:
            raise RuntimeError("writer lock already held")
        self._restore_fd = _open_and_lock(self.restore_path, True)
        if self._restore_fd is None:
            return False
        deadline = time.monotonic() + wait_seconds
        while True:
            self._fd = _open_and_lock(self.path, True)
            if self._fd is not None:
                return True
            if time.monotonic() >= deadline:
                self.release()
                return False
            time.sleep(0.02)

    def release(self) -> None:
        # Closing the only descriptor releases flock and LockFileEx locks.
        for name in ("_fd", "_restore_fd"):
            fd = getattr(self, name, None)
            if fd is not None:
                setattr(self, name, None)
                os.close(fd)

    def __del__(self) -> None:
        self.release()

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
