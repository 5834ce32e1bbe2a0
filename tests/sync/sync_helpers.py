"""Helpers for the sync tests: one round for the school or the LA over a given transport."""

from __future__ import annotations

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange.sync_round import run_round


def round_for(data_dir, device_id, transport):
    store = RecordStore(open_database(data_dir), device_id=device_id)
    try:
        return run_round(store, keys_mod.require_keys(data_dir), transport)
    finally:
        store.close()


def school_round(pair, transport):
    return round_for(pair.school, "device-S", transport)


def la_round(pair, transport):
    return round_for(pair.la, "device-L", transport)


def count_foreign(data_dir, owner):
    import sqlite3

    from selfeval_app.core import record_types as rt

    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        return sum(
            conn.execute(f'SELECT count(*) FROM "{t}" WHERE owner = ? AND deleted = 0', (owner,)).fetchone()[0]
            for t in rt.RECORD_TYPES
        )
    finally:
        conn.close()
