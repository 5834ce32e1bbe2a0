"""Purge: remove a record for good — its content, history, search rows and files (DESIGN §4).

Unlike a delete (a tombstone that undo can reverse), a purge cannot be undone. What stays is a bare
tombstone (id, type, owner, visibility, rev) so exchange can tell partners the record is gone; it
holds none of the record's content. Only a record this installation owns can be purged (another
owner's record is read-only: its owner withdraws it). What was sent of it stays in the share
ledger (ids and revs only), so the purge is withdrawn from every recipient that had it. Freed pages are zeroed (`secure_delete`), the search index is
merged so no deleted token survives in it, and the WAL is truncated so no old page lingers there.
"""

from __future__ import annotations

from selfeval_app.core.attachments import remove_unreferenced
from selfeval_app.core.errors import RecordNotFoundError
from selfeval_app.core.record_types import record_type
from selfeval_app.core.records import Change, RecordStore


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
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    remove_unreferenced(store)
    return change
