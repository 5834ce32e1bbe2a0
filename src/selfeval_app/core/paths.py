"""Where the user's data and settings live, and whether a data folder is safe for SQLite.

The data folder holds the database, attachments and backups. It defaults to the platform's
non-roaming user data folder and is overridden by `--data-dir` or `SELFEVAL_DATA_DIR`. The example
school lives in a folder of its own so `selfeval demo` never touches real data. Settings and the
device id live in the user config folder (`SELFEVAL_CONFIG_DIR` overrides), outside the database,
so a copied database never carries the device identity with it.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "selfeval_app"
DATABASE_NAME = "selfeval.sqlite3"


def default_data_dir() -> Path:
    env = os.environ.get("SELFEVAL_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False, roaming=False)


def example_data_dir() -> Path:
    env = os.environ.get("SELFEVAL_EXAMPLE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME + "-example", appauthor=False, roaming=False)


def config_dir() -> Path:
    env = os.environ.get("SELFEVAL_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False, roaming=False)


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DATABASE_NAME


def attachments_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "attachments"


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "backups"


def device_id() -> str:
    """This device's id (a UUID), made on first use and kept in the config folder."""
    path = config_dir() / "device.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["device_id"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    import uuid  # here: it imports `platform`, a cost at every start

    new_id = str(uuid.uuid4())
    from selfeval_app.core.safe_files import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"device_id": new_id}).encode("utf-8"))
    return new_id


@dataclass(frozen=True)
class FolderCheck:
    refused: bool  # a network folder: SQLite's WAL is unsafe there
    cloud_synced: bool  # OneDrive, Dropbox, ...: warn, the sync client may copy a half-written file


_NETWORK_FS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "ncpfs", "9p", "sshfs", "fuse.sshfs", "davfs", "fuse.davfs2"}
_CLOUD_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "icloud drive", "box sync", "nextcloud", "owncloud", "mega")


def _linux_fs_type(path: Path) -> str | None:
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best, best_type = "", None
    target = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def _windows_is_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        return True
    if sys.platform != "win32":
        return False  # drive types are a Windows question
    try:
        import ctypes

        drive = os.path.splitdrive(text)[0] + "\\"
        DRIVE_REMOTE = 4
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == DRIVE_REMOTE
    except Exception:
        return False


def check_data_folder(path: Path) -> FolderCheck:
    """Is this folder on a network share (refused) or inside a cloud-synced folder (warned)?"""
    path = Path(path).expanduser()
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    resolved = existing.resolve()
    if sys.platform == "win32":
        refused = _windows_is_remote(resolved) or _windows_is_remote(path)
    else:
        refused = (_linux_fs_type(resolved) or "") in _NETWORK_FS
    lowered = [part.lower() for part in path.resolve().parts]
    cloud = any(any(part.startswith(marker) for marker in _CLOUD_MARKERS) for part in lowered)
    return FolderCheck(refused=refused, cloud_synced=cloud)
