"""Attached files: stored by SHA-256 in the data folder, written before the commit that refers to
them, opened only as read-only copies, removed only when nothing refers to them (DESIGN §5).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
import tempfile
from pathlib import Path

from selfeval_app.core.errors import AttachmentError
from selfeval_app.core.i18n import N_
from selfeval_app.core.paths import attachments_dir
from selfeval_app.core.records import Change, RecordStore
from selfeval_app.core.safe_files import fsync_dir

OPEN_COPIES = Path(tempfile.gettempdir()) / f"selfeval-open-copies-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024  # 50 MiB: big enough for scans and slides, small enough for backups


def stored_path(data_dir: Path, sha256: str) -> Path:
    return attachments_dir(data_dir) / sha256[:2] / sha256


def store_file(data_dir: Path, source: Path) -> tuple[str, int]:
    """Copy a file into the store (temp file, fsync, rename); returns (sha256, size)."""
    source = Path(source)
    if source.is_dir():
        raise AttachmentError(path=str(source), reason=N_("it is a folder, not a file"))
    if not source.exists():
        raise AttachmentError(path=str(source), reason=N_("the file does not exist"))
    try:
        size = source.stat().st_size
    except OSError:
        raise AttachmentError(path=str(source), reason=N_("the file cannot be read")) from None
    if size > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(path=str(source), reason=N_("it is larger than 50 MB"))
    root = attachments_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=root)
    try:
        try:
            src = open(source, "rb")
        except OSError:
            raise AttachmentError(path=str(source), reason=N_("the file cannot be read")) from None
        with src, os.fdopen(fd, "wb") as out:
            written = 0
            while True:
                try:
                    block = src.read(1 << 20)
                except OSError:
                    raise AttachmentError(path=str(source), reason=N_("the file cannot be read")) from None
                if not block:
                    break
                written += len(block)
                if written > MAX_ATTACHMENT_BYTES:
                    raise AttachmentError(path=str(source), reason=N_("it is larger than 50 MB"))
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = stored_path(data_dir, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP)
            os.replace(tmp, target)
            fsync_dir(target.parent)
        return sha, written
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def attach(store: RecordStore, attached_to: str, source: Path, *, visibility: str = "private") -> Change:
    """Store a file and create its attachment record (file first, then the commit)."""
    source = Path(source)
    sha, size = store_file(store.db.data_dir, source)
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    return store.create_change(
        "attachment",
        {"name": source.name, "size": size, "sha256": sha, "media_type": media_type, "attached_to": attached_to},
        visibility=visibility,
    )


def open_copy(store: RecordStore, attachment_id: str) -> Path:
    """A read-only temporary copy of an attachment, for opening in another program. Editing the
    copy can never change the stored file behind its hash."""
    att = store.require("attachment", attachment_id)
    source = stored_path(store.db.data_dir, att["sha256"])
    OPEN_COPIES.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="copy-", dir=OPEN_COPIES))
    target = folder / Path(att["name"]).name
    with open(source, "rb") as src, open(target, "wb") as out:
        while block := src.read(1 << 20):
            out.write(block)
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return target


def remove_open_copies() -> None:
    """Delete the read-only copies made for opening (attachments may hold personal data). The
    window calls this when it closes."""
    import shutil

    if OPEN_COPIES.exists():
        for path in OPEN_COPIES.iterdir():
            for child in path.rglob("*"):
                try:
                    os.chmod(child, stat.S_IRUSR | stat.S_IWUSR)
                except OSError:
                    pass
            shutil.rmtree(path, ignore_errors=True)


def referenced_hashes(store: RecordStore) -> set[str]:
    """Hashes referred to by an attachment record or by a saved version of one (undo needs it)."""
    hashes = {row[0] for row in store.conn.execute('SELECT sha256 FROM "attachment" WHERE sha256 IS NOT NULL')}
    for row in store.conn.execute("SELECT json_extract(content, '$.sha256') FROM history WHERE type = 'attachment'"):
        if row[0]:
            hashes.add(row[0])
    return hashes


def remove_unreferenced(store: RecordStore) -> int:
    """Delete stored files nothing refers to (e.g. after a purge). Returns how many went."""
    root = attachments_dir(store.db.data_dir)
    if not root.exists():
        return 0
    keep = referenced_hashes(store)
    removed = 0
    for path in root.glob("*/*"):
        if path.is_file() and path.name not in keep:
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
            path.unlink()
            removed += 1
    for path in root.glob(".incoming-*"):
        path.unlink(missing_ok=True)
    return removed
