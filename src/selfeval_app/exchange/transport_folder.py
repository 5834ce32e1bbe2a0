"""The folder transport: any folder (a synced OneDrive/SharePoint/Teams folder, a network share, a
USB stick) laid out as DESIGN §11 says.

- The folder is known by a marker file (`selfeval-sync.json`) written at set-up: a missing
  folder, or an empty mount point left by an unplugged stick or an unmounted share, has no marker
  and is "not reachable, try later", never an empty inbox. Nothing ever creates the root itself.
- Files are written to a temporary name (".name.upload.tmp") in the same folder, fsynced and renamed in,
  so a reader (or a cloud client) never sees half a file; temporary names are never listed.
- A file of size 0, or one that cannot be read whole (a cloud "Files On-Demand" placeholder, a
  file still arriving), is "not yet available": it is skipped this round, never taken as gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from selfeval_app.core.safe_files import atomic_output, fsync_dir
from selfeval_app.exchange.transport import (
    FOLDER_HOLDS_DATA,
    FOLDER_MISSING,
    FOLDER_NOT_READY,
    NotYetAvailable,
    RemoteFile,
    SyncSetupError,
    TransportUnavailable,
)

MARKER = "selfeval-sync.json"
MARKER_TEXT = b'{"format": "selfeval-sync-folder", "format_version": 1}\n'
# Windows file attributes of a cloud file whose content is not on this computer.
_OFFLINE_ATTRIBUTES = 0x1000 | 0x40000 | 0x400000  # OFFLINE, RECALL_ON_OPEN, RECALL_ON_DATA_ACCESS


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def prepare_folder(root: Path, data_dir: Path) -> Path:
    """Check a folder chosen at set-up and mark it as a sync folder; returns its full path."""
    root = Path(root).expanduser()
    if not root.is_dir():
        raise SyncSetupError(where=str(root), reason=FOLDER_MISSING)
    resolved = root.resolve()
    if _overlaps(resolved, Path(data_dir).resolve()):
        raise SyncSetupError(where=str(root), reason=FOLDER_HOLDS_DATA)
    marker = resolved / MARKER
    if not marker.is_file():
        with atomic_output(marker) as out:
            out.write(MARKER_TEXT)
    return resolved


def _is_placeholder(stat: os.stat_result) -> bool:
    return stat.st_size == 0 or bool(getattr(stat, "st_file_attributes", 0) & _OFFLINE_ATTRIBUTES)


def _open_for_read(path: Path):
    """The one place a sync file's bytes are read (the tests inject unreadable files here)."""
    return open(path, "rb")


class FolderTransport:
    def __init__(self, root: Path, data_dir: Path | None = None):
        self.root = Path(root)
        self.data_dir = Path(data_dir) if data_dir is not None else None

    def describe(self) -> str:
        return str(self.root)

    def _unavailable(self, reason: str) -> TransportUnavailable:
        return TransportUnavailable(where=str(self.root), reason=reason)

    def check(self) -> None:
        try:
            if not self.root.is_dir():
                raise self._unavailable(FOLDER_MISSING)
            if not (self.root / MARKER).is_file():
                raise self._unavailable(FOLDER_NOT_READY)
        except OSError as exc:
            raise self._unavailable(FOLDER_MISSING) from exc
        if self.data_dir is not None and _overlaps(self.root.resolve(), self.data_dir.resolve()):
            raise self._unavailable(FOLDER_HOLDS_DATA)

    def _dir(self, place: str, *, create: bool = False) -> Path:
        self.check()
        folder = self.root / place
        if create:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._unavailable(FOLDER_MISSING) from exc
        return folder

    def list(self, place: str, suffix: str) -> list[RemoteFile]:
        folder = self._dir(place)
        if not folder.exists():
            return []  # the root is there (marker checked): nobody has written here yet
        out = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or not entry.name.endswith(suffix):
                        continue
                    if not entry.is_file():
                        continue
                    out.append(RemoteFile(entry.name, entry.stat().st_size))
        except OSError as exc:
            raise self._unavailable(FOLDER_MISSING) from exc
        self.check()  # the folder vanished while it was being listed: not "empty"
        return sorted(out, key=lambda f: f.name)

    def read(self, place: str, name: str, dest: Path) -> None:
        path = self._dir(place) / name
        try:
            stat = path.stat()
            if _is_placeholder(stat):
                raise NotYetAvailable(name=name)
            copied = 0
            with _open_for_read(path) as src, open(dest, "wb") as out:
                while block := src.read(1 << 20):
                    out.write(block)
                    copied += len(block)
            if copied != stat.st_size:
                raise NotYetAvailable(name=name)
        except FileNotFoundError as exc:
            self.check()
            raise NotYetAvailable(name=name) from exc
        except OSError as exc:
            self.check()
            raise NotYetAvailable(name=name) from exc

    def write(self, place: str, name: str, source: Path) -> None:
        folder = self._dir(place, create=True)
        # One temporary name per file: a copy cut short (a crash, a pulled stick) is overwritten
        # by the next try rather than left behind under a new name.
        temp = folder / f".{name}.upload.tmp"
        try:
            with open(temp, "wb") as out, open(source, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, folder / name)
            fsync_dir(folder)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise self._unavailable(FOLDER_MISSING) from exc

    def delete(self, place: str, name: str) -> None:
        folder = self._dir(place)
        try:
            (folder / name).unlink(missing_ok=True)
            fsync_dir(folder)
        except OSError as exc:
            raise self._unavailable(FOLDER_MISSING) from exc
