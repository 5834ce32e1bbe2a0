"""`selfeval export`: the user's open copy of all their data as UTF-8 JSON (DESIGN §9).

Every record of every type (tombstones included, so a reader can tell a deletion from an omission),
with the common fields of DESIGN §4 and its own fields; bilingual text as {"cy", "en"} pairs. Of the
workspace types (`record_types.WORKSPACE_TYPES`) only this installation's own records by default: a
host's pack on a reviewing head's laptop, or the schools' records an LA holds, are not the user's
data (`owners="any"`, `selfeval export --all-owners`, gives every record held).

All types are read in one read transaction, so the export is one consistent snapshot even while
another process saves; reading writes nothing (no search-index flush), so it never waits for
the write lock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from selfeval_app import __version__
from selfeval_app.core import record_types as rt
from selfeval_app.core.records import RecordStore
from selfeval_app.core.safe_files import atomic_output

FORMAT = "selfeval-export"
FORMAT_VERSION = 1


def export_data(store: RecordStore, *, owners: Iterable[str] | str | None = None) -> dict[str, Any]:
    """The export as a dict; `owners` as `RecordStore.list` (None: the store's viewing scope)."""
    from selfeval_app.core.framework import current_framework

    framework = current_framework()
    records: dict[str, list[dict]] = {}
    with store._lock:
        conn = store.conn
        own_snapshot = not conn.in_transaction
        if own_snapshot:
            conn.execute("BEGIN")  # deferred: one read snapshot from the first SELECT on
        try:
            for t in rt.RECORD_TYPES.values():
                records[t.name] = store.list(t.name, include_deleted=True, order_by="created_at, id", owners=owners)
        finally:
            if own_snapshot and conn.in_transaction:
                conn.execute("ROLLBACK")  # nothing was written; ends the snapshot
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": store.clock.timestamp(),
        "app_version": __version__,
        "framework": {"id": framework.id, "version": framework.version},
        "records": records,
    }


def write_export(store: RecordStore, out: Path, *, owners: Iterable[str] | str | None = None) -> dict[str, int]:
    """Write the export to `out` whole or not at all; returns counts per type."""
    data = export_data(store, owners=owners)
    with atomic_output(Path(out)) as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return {name: len(rows) for name, rows in data["records"].items()}
