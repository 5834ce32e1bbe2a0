"""Letting other threads run while pyrage seals or opens a bundle.

`pyrage.encrypt_io` / `decrypt_io` hold Python's GIL for the whole call (measured: 170 ms for
20 MB), so a bundle sealed on a background thread (a sync round in the window) would stop the
window's main thread, and typing, that long. They read and write through the file objects they
are given; these wrappers are Python-level, so each read or write runs a little bytecode, where
the interpreter hands the GIL to a thread that has been waiting for it (after its switch
interval, 5 ms). The bytes are unchanged.
"""

from __future__ import annotations

from typing import BinaryIO


class YieldingReader:
    def __init__(self, raw: BinaryIO):
        self.raw = raw

    def read(self, size: int = -1) -> bytes:
        return self.raw.read(size)

    def readinto(self, buffer) -> int:
        return self.raw.readinto(buffer)

    def readable(self) -> bool:
        return True


class YieldingWriter:
    def __init__(self, raw: BinaryIO):
        self.raw = raw

    def write(self, data) -> int:
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()

    def writable(self) -> bool:
        return True
