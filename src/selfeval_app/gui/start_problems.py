"""What the window says when the data cannot be opened at start, instead of exiting silently.

Every problem is shown in a dialog (through the dialog service). A damaged database (damaged
pages, unreadable rows, an empty file) also offers to restore the newest sound backup from the
data folder with the existing restore (`core.backup.restore`, which first keeps a copy of what
is there now). Locked, read-only, unreadable, newer and foreign databases are never called
damaged and never offered a restore: restoring over good data would lose work.

Restore's own safety copy reads the database through SQLite's backup API, which fails on damaged
pages; so the damaged files (database, -wal, -shm) are first moved, whole and unread, into a
folder `damaged-<date-time>` in the data folder, and moved back if the restore fails.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from selfeval_app.core.errors import (
    DamagedDatabaseError,
    DamagedRecordError,
    EmptyDatabaseError,
    UserFacingError,
)
from selfeval_app.core.i18n import _

log = logging.getLogger(__name__)

RESTORABLE = (DamagedDatabaseError, DamagedRecordError, EmptyDatabaseError)


def as_user_error(exc: BaseException, data_dir: Path) -> UserFacingError | None:
    """The user's message for a failure while opening the data, or None if it is the app's fault."""
    from selfeval_app.core.db_health import error_from_oserror, error_from_sqlite
    from selfeval_app.core.paths import database_path

    if isinstance(exc, UserFacingError):
        return exc
    if isinstance(exc, sqlite3.Error):
        return error_from_sqlite(exc, database_path(data_dir))
    if isinstance(exc, OSError):
        return error_from_oserror(exc, data_dir)
    return None


def offer_restore(data_dir: Path, error: UserFacingError) -> bool:
    """Say what is wrong; for damage, offer the newest sound backup. True if it was restored."""
    from selfeval_app.gui.dialogs import app_title, dialogs

    if not isinstance(error, RESTORABLE):
        dialogs().warning(None, app_title(), error.message())
        return False
    from selfeval_app.core.integrity import newest_good_backup

    backup = newest_good_backup(data_dir)
    if backup is None:
        dialogs().warning(
            None, app_title(),
            error.message() + "\n\n" + _("There is no sound backup in the data folder. Run “selfeval check” for the details, or ask for help."),
        )
        return False
    question = error.message() + "\n\n" + _(
        "Restore the newest sound backup, %(name)s? The damaged database is kept, unchanged, in a "
        "folder of its own."
    ) % {"name": backup.name}
    if not dialogs().question(None, app_title(), question):
        return False
    from selfeval_app.core.backup import restore
    from selfeval_app.core.paths import device_id

    aside = None
    try:
        aside = _set_damaged_aside(data_dir)
        restore(data_dir, backup, device_id=device_id())
    except (UserFacingError, sqlite3.Error, OSError) as exc:
        log.warning("restore at start failed: %s", exc)
        if aside is not None:
            _put_back(aside, data_dir)
        failure = as_user_error(exc, data_dir)
        dialogs().warning(None, app_title(), failure.message() if failure else _("The backup could not be restored."))
        return False
    dialogs().information(
        None, app_title(),
        _("Restored from %(path)s. The damaged database is kept in %(folder)s.") % {"path": backup.name, "folder": aside},
    )
    return True


_SIDE_FILES = ("", "-wal", "-shm")


def _set_damaged_aside(data_dir: Path) -> Path:
    """Move the damaged database files, unread, into a new folder in the data folder."""
    import datetime as dt
    import os

    from selfeval_app.core.paths import DATABASE_NAME

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = Path(data_dir) / f"damaged-{stamp}"
    aside.mkdir()
    for suffix in _SIDE_FILES:
        source = Path(data_dir) / (DATABASE_NAME + suffix)
        if source.exists():
            os.replace(source, aside / source.name)
    return aside


def _put_back(aside: Path, data_dir: Path) -> None:
    import os

    for item in aside.iterdir():
        os.replace(item, Path(data_dir) / item.name)
    aside.rmdir()
