"""Staging folders for backups and restores, inside the data folder, and cleaning up after a crash.

Copies of the school's data are never put in the system temp folder: a backup or restore works in
`<data folder>/.selfeval-staging-<token>/`, beside its lock file `.selfeval-staging-<token>.lock`
that the owning process holds (an OS lock, released if the process dies). The lock file is made
and locked *before* the folder, so a folder whose lock is free (or missing) belongs to a process
that died: `clean_leftovers` removes it. Files left by older versions of the app (a restore folder
in the data folder, `.…zip.….tmp` in backups/, a snapshot in the system temp folder) are removed
too, but only while no other process of the app uses the data folder.

Exchange's temporary files (a bundle's zip before it is sealed, a decrypted bundle being read, an
attached file on its way into the store) go into one staging folder per process and data folder
(`process_staging`), locked for the life of the process: if the process is killed, the folder's
lock is free and the next start, backup, restore or purge removes it with everything in it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from selfeval_app.core.instance_lock import InstanceLock
from selfeval_app.core.paths import backups_dir

STAGING_PREFIX = ".selfeval-staging-"
LOCK_SUFFIX = ".lock"


class _StagingLock(InstanceLock):
    """InstanceLock on an explicit file path (the staging folder's lock file)."""

    def __init__(self, path: Path):
        super().__init__(path.parent)
        self.path = path


def _remove_tree(path: Path) -> None:
    """Remove a folder of copies, including read-only files (restored attachments are 0440)."""

    def make_writable_and_retry(func: Callable[[str], object], target: str, _exc_info: object) -> None:
        try:
            os.chmod(os.path.dirname(target), 0o700)
            os.chmod(target, 0o600)
            func(target)
        except OSError:
            pass

    shutil.rmtree(path, onerror=make_writable_and_retry)


@contextmanager
def staging_folder(data_dir: Path) -> Iterator[Path]:
    """A new, locked staging folder in the data folder; removed when the block ends."""
    data_dir = Path(data_dir)
    import secrets  # not at start: it pulls in hashlib (DESIGN §12)

    token = secrets.token_hex(8)
    folder = data_dir / f"{STAGING_PREFIX}{token}"
    lock = _StagingLock(data_dir / f"{STAGING_PREFIX}{token}{LOCK_SUFFIX}")
    if not lock.acquire():  # a fresh random name: only fails if the folder cannot be written
        raise OSError(f"cannot lock {lock.path}")
    try:
        folder.mkdir(mode=0o700)
        try:
            yield folder
        finally:
            if folder.exists():
                _remove_tree(folder)
    finally:
        lock.release()
        lock.path.unlink(missing_ok=True)


_process_folders: dict[Path, tuple[Path, _StagingLock]] = {}
_process_folders_guard = threading.Lock()


def _remove_process_folders() -> None:
    for folder, lock in list(_process_folders.values()):
        try:
            if folder.exists():
                _remove_tree(folder)
            lock.release()
            lock.path.unlink(missing_ok=True)
        except OSError:
            pass
    _process_folders.clear()


atexit.register(_remove_process_folders)


def process_staging(data_dir: Path) -> Path:
    """This process's staging folder in `data_dir` for short-lived temporary files, made (and
    locked) on first use and removed when the process ends (or, if it is killed, by the next
    `clean_leftovers`)."""
    key = Path(data_dir).absolute()
    with _process_folders_guard:
        known = _process_folders.get(key)
        if known is not None and known[0].is_dir():
            return known[0]
        if known is not None:  # the folder went (the data folder was removed): start again
            known[1].release()
        import secrets  # not at start: it pulls in hashlib (DESIGN §12)

        token = secrets.token_hex(8)
        folder = key / f"{STAGING_PREFIX}{token}"
        lock = _StagingLock(key / f"{STAGING_PREFIX}{token}{LOCK_SUFFIX}")
        if not lock.acquire():
            raise OSError(f"cannot lock {lock.path}")
        try:
            folder.mkdir(mode=0o700)
        except BaseException:
            lock.release()
            lock.path.unlink(missing_ok=True)
            raise
        _process_folders[key] = (folder, lock)
        return folder


def temporary_file(data_dir: Path) -> BinaryIO:
    """An anonymous temporary file (w+b) in this process's staging folder of `data_dir`, never in
    the system temp folder: it may hold the school's data in the clear."""
    return tempfile.TemporaryFile(dir=process_staging(data_dir))


def _stale_staging(data_dir: Path) -> Iterator[tuple[Path, Path]]:
    for entry in Path(data_dir).glob(STAGING_PREFIX + "*"):
        if entry.name.endswith(LOCK_SUFFIX):
            folder = entry.with_name(entry.name[: -len(LOCK_SUFFIX)])
            if not folder.exists():
                yield folder, entry
        elif entry.is_dir():
            yield entry, entry.with_name(entry.name + LOCK_SUFFIX)


def legacy_leftovers(data_dir: Path) -> list[Path]:
    """Copies of the school's data that older versions of the app may have left behind."""
    data_dir = Path(data_dir)
    found = [p for p in data_dir.glob("selfeval-restore-*") if p.is_dir()]
    found += list(backups_dir(data_dir).glob(".selfeval-*.zip.*.tmp"))
    found += list((data_dir / "attachments").glob("*/.incoming-*"))  # a bundle import before staging
    for p in Path(tempfile.gettempdir()).glob("selfeval-backup-*"):
        try:
            if p.is_dir() and {c.name for c in p.iterdir()} <= {"database.sqlite3", "database.sqlite3-journal"}:
                found.append(p)
        except OSError:
            continue
    return found


def clean_leftovers(data_dir: Path, *, include_legacy: bool = False) -> list[Path]:
    """Remove staging folders of processes that died (and, if asked, older versions' copies).
    Returns what could not be removed (still in use, or not removable)."""
    data_dir = Path(data_dir)
    left: list[Path] = []
    if not data_dir.is_dir():
        return left
    for folder, lock_path in _stale_staging(data_dir):
        lock = _StagingLock(lock_path)
        if lock_path.exists():
            try:
                free = lock.acquire()
            except OSError:
                free = False
            if not free:
                left.append(folder)
                continue
        try:
            if folder.exists():
                _remove_tree(folder)
        finally:
            lock.release()
            lock_path.unlink(missing_ok=True)
        if folder.exists():
            left.append(folder)
    if include_legacy:
        for path in legacy_leftovers(data_dir):
            if path.is_dir():
                _remove_tree(path)
            else:
                path.unlink(missing_ok=True)
            if path.exists():
                left.append(path)
    return left


def clean_at_start(data_dir: Path) -> list[Path]:
    """At a start: remove dead processes' staging folders, and older versions' copies too when no
    other process of the app has the data folder open. Never raises (a start must not fail here)."""
    from selfeval_app.core.writer_lock import WriterLock

    try:
        lock = WriterLock(Path(data_dir))
        alone = Path(data_dir).is_dir() and lock.acquire_exclusive()
        try:
            return clean_leftovers(data_dir, include_legacy=alone)
        finally:
            lock.release()
    except OSError:
        return []
