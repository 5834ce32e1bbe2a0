"""Pack PNG images into one Windows .ico file (Vista and later read PNG entries).

    python make_ico.py OUT.ico a-16.png a-32.png ...
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return struct.unpack(">II", data[16:24])


def make_ico(out: Path, pngs: list[Path]) -> None:
    images = [p.read_bytes() for p in pngs]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for data in images:
        width, height = png_size(data)
        # 256 px is written as 0 in the one-byte fields.
        entries += struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    out.write_bytes(header + entries + blobs)


if __name__ == "__main__":
    make_ico(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
