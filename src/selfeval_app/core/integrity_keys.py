"""`selfeval check` for the exchange keys (`keys/device.json`, `keys/identity.json`): present when
the database shows exchange was used, readable, well-formed, the database owner's, and readable
only by the user. Read-only: nothing is written or repaired here (a restore brings keys back)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from selfeval_app.core.backup_keys import KEYS_FOLDER, BadKeys, keys_folder, read_key_files
from selfeval_app.core.i18n import N_

_MISSING = N_(
    "The exchange keys of this installation are missing from %(path)s, although it has exchanged "
    "bundles: bundles sent to it cannot be opened. Restore them from a backup."
)
_DAMAGED = N_("The exchange keys in %(path)s are damaged or incomplete. Restore them from a backup.")
_UNREADABLE = N_("The exchange keys in %(path)s cannot be read.")
_OTHER_OWNER = N_("The exchange keys in %(path)s belong to another school or authority than the data.")
_OPEN_TO_OTHERS = N_("The private exchange key %(path)s can be read by other users of this computer.")

# Tables whose rows only exchange writes: any row means this installation has used its keys.
_EXCHANGE_TABLES = ("exchange_contact", "exchange_received", "exchange_import", "share_ledger")


def uses_exchange(conn: sqlite3.Connection) -> bool:
    """Has this database sent or received bundles, or trusted a contact?"""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in _EXCHANGE_TABLES:
        if table in tables and conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            return True
    return conn.execute("SELECT 1 FROM meta WHERE key LIKE 'exchange_sent_seq:%' LIMIT 1").fetchone() is not None


def check_keys(conn: sqlite3.Connection, data_dir: Path) -> list[tuple[str, dict]]:
    """Problems with the key files, as (catalog message, params); empty when sound or not needed."""
    folder = keys_folder(data_dir)
    shown = {"path": str(folder)}
    try:
        keys = read_key_files(data_dir)
    except BadKeys:
        return [(_DAMAGED, shown)]
    except OSError:
        return [(_UNREADABLE, shown)]
    if keys is None:
        return [(_MISSING, shown)] if uses_exchange(conn) else []
    problems: list[tuple[str, dict]] = []
    owner = conn.execute("SELECT value FROM meta WHERE key = 'school_owner'").fetchone()
    if owner is None or keys.identity_id != owner[0]:
        problems.append((_OTHER_OWNER, shown))
    if os.name != "nt":  # Windows has no mode bits; the user's profile folder protects it there
        device = folder / "device.json"
        if stat.S_IMODE(os.stat(device).st_mode) & 0o077:
            problems.append((_OPEN_TO_OTHERS, {"path": f"{KEYS_FOLDER}/device.json"}))
    return problems
