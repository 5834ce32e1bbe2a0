"""One app window per data folder: an OS file lock, released by the OS if the process dies.

The lock is taken without waiting: a lock left by a crash is simply free again, so a stale file
never delays the next start. Works on Linux/macOS (fcntl) and Windows (msvcrt).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LOCK_NAME = "selfeval.lock"


class InstanceLock:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock now; False if another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":  # os.name "nt", in the form mypy understands
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def is_held_elsewhere(self) -> bool:
        """True if another process holds the lock (checked by briefly taking it)."""
        if self._fd is not None:
            return False
        if not self.acquire():
            return True
        self.release()
        return False

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if sys.platform == "win32":  # os.name "nt", in the form mypy understands
                import msvcrt

                os.lseek(self._fd, 0, os.SEEK_SET)
                msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
