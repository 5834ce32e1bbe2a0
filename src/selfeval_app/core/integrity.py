"""`selfeval check`: is the data folder sound? SQLite's own checks plus the app's invariants."""

from __future__ import annotations

import hashlib

from selfeval_app.core import record_types as rt
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore, content_hash


def check_store(store: RecordStore) -> list[tuple[str, dict]]:
    """Problems found, as (catalog message, params); empty when all is sound."""
    from selfeval_app.core.attachments import stored_path

    conn = store.conn
    problems: list[tuple[str, dict]] = []
    result = conn.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in result] != ["ok"]:
        problems.append((N_("The database file is damaged: %(detail)s"), {"detail": "; ".join(r[0] for r in result[:5])}))
        return problems
    try:
        conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
    except Exception as exc:  # noqa: BLE001 - FTS reports damage as an error
        problems.append((N_("The search index is damaged: %(detail)s"), {"detail": str(exc)}))
    logged = dict(conn.execute("SELECT record_id, max(rev) FROM change_log GROUP BY record_id").fetchall())
    for t in rt.RECORD_TYPES.values():
        for rec in store.list(t.name, include_deleted=True, order_by="id"):
            if content_hash(t, rec) != rec["content_hash"]:
                problems.append((N_("Record %(id)s (%(type)s) does not match its content hash."), {"id": rec["id"], "type": t.name}))
            last = logged.get(rec["id"])
            if last is None or last < rec["rev"]:
                problems.append((N_("Record %(id)s (%(type)s) is missing from the change log."), {"id": rec["id"], "type": t.name}))
            if t.name == "attachment" and not rec["deleted"] and rec["sha256"]:
                path = stored_path(store.db.data_dir, rec["sha256"])
                if not path.exists():
                    problems.append((N_("The file of attachment %(name)s is missing."), {"name": rec["name"]}))
                else:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    if digest != rec["sha256"]:
                        problems.append((N_("The file of attachment %(name)s has been changed."), {"name": rec["name"]}))
    problems += _key_problems(store)
    return problems


def _key_problems(store: RecordStore) -> list[tuple[str, dict]]:
    from selfeval_app.core.integrity_keys import check_keys

    return check_keys(store.conn, store.db.data_dir)
