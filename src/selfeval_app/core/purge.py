"""Purge: remove a record for good — its content, history, search rows and files (DESIGN §4).

Unlike a delete (a tombstone that undo can reverse), a purge cannot be undone. What stays is a bare
tombstone (id, type, owner, visibility, rev) so exchange can tell partners the record is gone; it
holds none of the record's content. Freed pages are zeroed (`secure_delete`), the search index is
merged so no deleted token survives in it, and the WAL is truncated so no old page lingers there.
"""

from __future__ import annotations

from selfeval_app.core import record_types as rt
from selfeval_app.core.attachments import remove_unreferenced
from selfeval_app.core.errors import RecordNotFoundError
from selfeval_app.core.record_types import record_type
from selfeval_app.core.records import Change, RecordStore, _empty, _from_row
from selfeval_app.core.staging import clean_leftovers


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
            tt = record_type(type_name_)
            row = store.conn.execute(f'SELECT * FROM "{tt.name}" WHERE id = ?', (id_,)).fetchone()
            if row is None:
                if id_ == record_id:
                    raise RecordNotFoundError()
                continue
            current = _from_row(tt, row)
            bare = {k: current[k] for k in rt.COMMON_FIELDS}
            for f in tt.fields:
                bare[f.name] = _empty(f)
            bare["deleted"] = True
            store._bump(bare, current)
            store.conn.execute("DELETE FROM history WHERE record_id = ?", (id_,))
            store._write(tt, bare, insert=False, session=None, keep_history=False)
            change.records.append((tt.name, id_))
        # Merge the index's segments so the purged tokens are gone from it, not just marked deleted.
        store.conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    remove_unreferenced(store)
    # Copies a killed backup or restore left in the data folder still hold the purged content.
    # (A backup still running keeps its copy only until it finishes.)
    clean_leftovers(store.db.data_dir)
    return change
