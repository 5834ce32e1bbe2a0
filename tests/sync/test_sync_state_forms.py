"""The outbox's stored form (exchange/sync_state.py): versions stored as rows, read back as the
dicts the rest of sync uses; an outbox stored before the change (versions as dicts) still read."""

from __future__ import annotations

import json

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import sync_state


def _versions(n: int) -> list[dict]:
    return [
        {"id": f"id-{i}", "type": "evidence", "owner": "school-ŵ", "rev": i + 1, "visibility": "la", "deleted": i % 7 == 0}
        for i in range(n)
    ]


def _entry(bundle: str, versions: list[dict]) -> dict:
    return {"bundle_id": bundle, "contact": "la", "name": f"{bundle}.selfeval-bundle", "seq_to": 12, "created_at": "2026-12-04T09:00:00Z", "versions": versions, "devices": ["d1"]}


def test_outbox_round_trip_and_stored_as_rows(tmp_path):
    store = RecordStore(open_database(tmp_path / "data"), device_id="d1")
    try:
        entries = [_entry("b1", _versions(50)), _entry("b2", []), {**_entry("b3", _versions(3)), "visit": "v1"}]
        sync_state.save(store, "sync_outbox", entries)
        assert sync_state.outbox(store) == entries
        stored = json.loads(store.db.meta("sync_outbox"))
        assert "versions" not in stored[0]
        assert stored[0]["version_rows"][1] == ["id-1", "evidence", "school-ŵ", 2, "la", False]
        assert entries[0]["versions"][0]["id"] == "id-0", "the caller's entries are left as they were"
    finally:
        store.close()


def test_outbox_stored_before_rows_is_read_as_it_was(tmp_path):
    store = RecordStore(open_database(tmp_path / "data"), device_id="d1")
    try:
        old = [_entry("b1", _versions(4))]
        with store.transaction():
            store.db.set_meta("sync_outbox", json.dumps(old, sort_keys=True))
        assert sync_state.outbox(store) == old
        sync_state.save(store, "sync_outbox", sync_state.outbox(store))  # saved again: as rows
        assert "version_rows" in json.loads(store.db.meta("sync_outbox"))[0]
        assert sync_state.outbox(store) == old
    finally:
        store.close()


def test_other_keys_are_stored_as_given(tmp_path):
    store = RecordStore(open_database(tmp_path / "data"), device_id="d1")
    try:
        sync_state.save(store, "sync_status", {"last_success": "2026-12-04T09:00:00Z", "versions": [1]})
        assert json.loads(store.db.meta("sync_status")) == {"last_success": "2026-12-04T09:00:00Z", "versions": [1]}
    finally:
        store.close()
