"""Purge: remove a record for good — its content, history, search rows and files (DESIGN §4).

Unlike a delete (a tombstone that undo can reverse), a purge cannot be undone. What stays is a bare
tombstone (id, type, owner, visibility, rev) so exchange can tell partners the record is gone; it
holds none of the record's content. Only a record this installation owns can be purged (another
owner's record is read-only: its owner withdraws it). What was sent of it stays in the share
ledger (ids and revs only), so the purge is withdrawn from every recipient that had it. Freed pages are zeroed (`secure_delete`), the search index is
merged so no deleted token survives in it, and the WAL is truncated so no old page lingers there.

While another program holds a read snapshot, SQLite cannot truncate the WAL (the checkpoint
reports "busy"): the purged text would stay in the -wal file. Then the purge records itself as
pending (meta "purge_pending"), `purge` returns with `Change.pending` set so the caller can say
"the purge will finish when the other program closes", and every later open of the database
(`open_database`) tries the checkpoint again until it succeeds.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from selfeval_app.core.attachments import remove_unreferenced
from selfeval_app.core.errors import RecordNotFoundError
from selfeval_app.core.i18n import N_
from selfeval_app.core.record_types import record_type
from selfeval_app.core.records import Change, RecordStore
from selfeval_app.core.staging import clean_leftovers

if TYPE_CHECKING:
    from selfeval_app.core.database import Database


def purge(store: RecordStore, type_name: str, record_id: str) -> Change:
    t = record_type(type_name)
    change = Change()
    with store.transaction():
        targets = [(t.name, record_id)]
        if t.name != "attachment":
            targets += [
                ("attachment", row[0])
                for row in store.conn.execute('SELECT id FROM "attachment" WHERE attached_to = ?', (record_id,))
            ]
        for type_name_, id_ in targets:
            exists = store.conn.execute(f'SELECT 1 FROM "{type_name_}" WHERE id = ?', (id_,)).fetchone()
            if exists is None:
                if id_ == record_id:
                    raise RecordNotFoundError()
                continue
            store.tombstone(type_name_, id_, drop_history=True)
            change.records.append((type_name_, id_))
        # Merge the index's segments so the purged tokens are gone from it, not just marked deleted.
        store.conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    if not truncate_wal(store.conn):
        with store.transaction():
            store.db.set_meta(PENDING_KEY, "1")
        change.pending = True
    remove_unreferenced(store)
    # Copies a killed backup or restore left in the data folder still hold the purged content.
    # (A backup still running keeps its copy only until it finishes.)
    clean_leftovers(store.db.data_dir)
    return change


PENDING_KEY = "purge_pending"
#: Shown when a purge could not empty the WAL yet (another program has the data open).
PENDING_MESSAGE = N_(
    "The record is deleted for good, but another program has the data open: the purge will "
    "finish when the other program closes."
)


def truncate_wal(conn: sqlite3.Connection) -> bool:
    """Checkpoint every WAL frame into the database and empty the WAL; False if a reader stopped it."""
    busy, log_frames, checkpointed = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0 and (log_frames <= 0 or checkpointed == log_frames)


def finish_pending_purge(db: Database) -> bool:
    """Finish a purge whose WAL truncation was stopped by a reader; True when none is left pending."""
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", (PENDING_KEY,)).fetchone()
    if row is None:
        return True
    if not truncate_wal(db.conn):
        return False
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        db.conn.execute("DELETE FROM meta WHERE key = ?", (PENDING_KEY,))
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    # The delete of the marker is itself in the WAL now; it holds no purged text, but empty it too.
    truncate_wal(db.conn)
    return True
