"""What the window's first paint shows, read lightly: the school's name and whether it is the
example school (DESIGN §12, issue 16).

The window paints the school's name from this read, and opens the full session (the writer
lock, the writer connection, the record store) just after that first paint. The read makes
every refusal check the full open makes first (the folder's shape, a network folder, a database
that is damaged, empty, foreign or newer), reading only; whenever anything is unusual (no
database yet, migrations pending, no school, any error) it gives None and the caller opens the
full session before the window, as it always did, so problems are explained the usual way.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from selfeval_app.core import schema
from selfeval_app.core.db_health import open_read_only
from selfeval_app.core.paths import database_path


@dataclass(frozen=True)
class SchoolGlance:
    #: The school record's name only, in the store's shape: {"name": {"cy": ..., "en": ...}}.
    record: dict
    is_example: bool
    #: The primary identity's role: always "school" (an LA's or a reviewer's own installation gets
    #: None and opens the full session first).
    role: str = "school"


def glance_school(data_dir: Path) -> SchoolGlance | None:
    """The school's name for the first paint, or None when the full open must come first."""
    from selfeval_app.core.database import refuse_unusable

    try:
        applied = refuse_unusable(Path(data_dir), create=True)
    except Exception:  # noqa: BLE001 - the full open, made next, explains it in the user's words
        return None
    if applied is None or [name for name, _ in schema.MIGRATIONS] != applied:
        return None  # no database yet, or migrations to make (with a backup first)
    try:
        conn = open_read_only(database_path(Path(data_dir)))
    except sqlite3.Error:
        return None
    try:
        # The same school the store's `school()` gives: our own, the first live one by creation.
        row = conn.execute(
            "SELECT s.name_cy, s.name_en FROM school s WHERE s.deleted = 0"
            " AND s.owner = (SELECT value FROM meta WHERE key = 'school_owner') ORDER BY s.created_at, s.id LIMIT 1"
        ).fetchone()
        example = conn.execute("SELECT value FROM meta WHERE key = 'is_example'").fetchone()
        owner = conn.execute("SELECT i.role FROM meta m JOIN identity i ON i.id = m.value WHERE m.key = 'school_owner'").fetchone()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    finally:
        conn.close()
    if row is None or owner is None or owner[0] != "school" or not (row[0] or row[1]):
        # First start, the full open has work to do (a new identity), or an LA's or a reviewer's
        # own installation (its window is made from its identity: the session comes first).
        return None
    return SchoolGlance(
        record={"name": {"cy": row[0] or "", "en": row[1] or ""}}, is_example=bool(example and example[0] == "1"), role=owner[0]
    )
