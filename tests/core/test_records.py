"""The record API: common fields, revs, hashes, history per session, tombstones, links, NFC."""

from __future__ import annotations

import json
import sqlite3
import unicodedata

import pytest

from selfeval_app.core import record_types as rt
from selfeval_app.core.errors import ConflictError, RecordNotFoundError, ValidationError
from selfeval_app.core.records import RecordStore


def _evidence(store, **extra):
    values = {"date": "2026-10-05", "kind": "learning_walk", "title": {"cy": "Taith ddysgu", "en": "Learning walk"}}
    values.update(extra)
    return store.create("evidence", values)


def test_new_record_has_every_common_field(store):
    rec = _evidence(store)
    for name in rt.COMMON_FIELDS:
        assert name in rec
    assert rec["type"] == "evidence"
    assert rec["visibility"] == "private"
    assert rec["rev"] == 1 and rec["base_rev"] == 0
    assert rec["owner"] == store.owner and rec["updated_by"] == "device-test-1"
    assert rec["created_at"].endswith("Z") and len(rec["created_at"]) == 20
    assert rec["content_hash"].startswith("v2:") and len(rec["content_hash"]) == 67
    assert store.get("evidence", rec["id"]) == rec


def test_update_bumps_rev_and_keeps_base(store):
    rec = _evidence(store)
    new = store.update("evidence", rec["id"], {"summary": {"cy": "Gwaith da"}})
    assert new["rev"] == 2 and new["base_rev"] == 1
    assert new["content_hash"] != rec["content_hash"]
    assert new["summary"] == {"cy": "Gwaith da", "en": ""}
    # the other language is kept when one is edited
    newer = store.update("evidence", rec["id"], {"summary": {"en": "Good work"}})
    assert newer["summary"] == {"cy": "Gwaith da", "en": "Good work"}


def test_saving_the_same_content_makes_no_new_rev(store):
    rec = _evidence(store)
    same = store.update("evidence", rec["id"], {"title": {"cy": "Taith ddysgu"}})
    assert same["rev"] == 1


def test_text_is_normalised_to_nfc(store):
    decomposed = unicodedata.normalize("NFD", "Tŷ Ŵyr â ê")
    assert decomposed != "Tŷ Ŵyr â ê"
    rec = _evidence(store, title={"cy": decomposed, "en": ""})
    assert rec["title"]["cy"] == "Tŷ Ŵyr â ê"
    assert store.get("evidence", rec["id"])["title"]["cy"] == "Tŷ Ŵyr â ê"


def test_one_history_version_per_editing_session(store):
    rec = _evidence(store)
    for i in range(5):
        store.update("evidence", rec["id"], {"summary": {"cy": "drafft " + str(i)}}, session="session-a")
    for i in range(3):
        store.update("evidence", rec["id"], {"summary": {"cy": "ail " + str(i)}}, session="session-b")
    history = store.history("evidence", rec["id"])
    assert len(history) == 3  # creation, session a, session b
    assert history[0]["content"]["summary"]["cy"] == "ail 2"
    assert history[1]["content"]["summary"]["cy"] == "drafft 4"


def test_restore_an_earlier_version_as_a_new_rev(store):
    rec = _evidence(store)
    store.update("evidence", rec["id"], {"summary": {"cy": "un"}}, session="a")
    store.update("evidence", rec["id"], {"summary": {"cy": "dau"}}, session="b")
    history = store.history("evidence", rec["id"])
    older = next(h for h in history if h["content"]["summary"]["cy"] == "un")
    restored = store.restore_version("evidence", rec["id"], older["history_id"]).record
    assert restored["summary"]["cy"] == "un"
    assert restored["rev"] == 4
    assert len(store.history("evidence", rec["id"])) == 4  # history is never rewritten


def test_change_log_follows_every_save_with_epoch(store):
    rec = _evidence(store)
    store.update("evidence", rec["id"], {"summary": {"cy": "x"}})
    store.delete("evidence", rec["id"])
    log = store.changes_since(0)
    assert [(c["record_id"], c["rev"]) for c in log] == [(rec["id"], 1), (rec["id"], 2), (rec["id"], 3)]
    assert all(c["epoch"] == 1 for c in log)
    assert [c["seq"] for c in log] == sorted(c["seq"] for c in log)


def test_delete_is_a_tombstone_and_undo_brings_it_back(store):
    rec = _evidence(store, summary={"cy": "Cynnwys", "en": "Content"}, area_ids=["estyn-2024-1"])
    store.update("evidence", rec["id"], {"visibility": None} if False else {}, visibility="peers") if False else None
    store.set_visibility("evidence", rec["id"], "peers")
    store.delete("evidence", rec["id"])
    assert store.get("evidence", rec["id"]) is None
    tomb = store.get("evidence", rec["id"], include_deleted=True)
    assert tomb["deleted"] is True
    assert tomb["visibility"] == "peers" and tomb["owner"] == store.owner and tomb["rev"] == 3
    assert tomb["title"] == {"cy": "", "en": ""}  # content is not kept on the tombstone
    back = store.undelete("evidence", rec["id"]).record
    assert back["summary"] == {"cy": "Cynnwys", "en": "Content"}
    assert back["area_ids"] == ["estyn-2024-1"]
    assert back["rev"] == 4 and not back["deleted"]


def test_a_stale_base_rev_is_a_conflict_and_changes_nothing(store):
    rec = _evidence(store)
    store.update("evidence", rec["id"], {"summary": {"cy": "newydd"}}, base_rev=1)
    with pytest.raises(ConflictError):
        store.update("evidence", rec["id"], {"summary": {"cy": "hen"}}, base_rev=1)
    assert store.get("evidence", rec["id"])["summary"]["cy"] == "newydd"


def test_bad_input_is_refused_and_nothing_is_saved(store):
    with pytest.raises(ValidationError) as exc:
        store.create("evidence", {"date": "2026-02-30", "kind": "other", "title": {"cy": "x"}})
    assert exc.value.field == "date"
    with pytest.raises(ValidationError):
        store.create("evidence", {"date": "2026-02-01", "kind": "other", "title": {"cy": " ", "en": ""}})
    plan = store.create("plan", {"start_year": 2025})
    pri = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Darllen"}})
    with pytest.raises(ValidationError):
        store.create("action", {"priority_id": pri["id"], "description": {"en": "Buy books"}, "cost_pence": -100})
    assert store.count("evidence") == 0 and store.count("action") == 0
    assert len(store.changes_since(0)) == 2


def test_links_live_on_the_linking_record_and_a_deleted_target_is_not_an_error(store):
    ev = _evidence(store)
    plan = store.create("plan", {"start_year": 2025})
    pri = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Presenoldeb"}})
    review = store.create(
        "progress_review",
        {"priority_id": pri["id"], "date": "2026-11-01", "academic_year": 2026, "term": "autumn", "rag": "amber", "evidence_ids": [ev["id"], ev["id"]]},
    )
    assert review["evidence_ids"] == [ev["id"]]
    store.delete("evidence", ev["id"])
    linked = store.get("progress_review", review["id"])
    assert linked["evidence_ids"] == [ev["id"]]
    assert store.get("evidence", ev["id"], include_deleted=True)["deleted"]


def test_fields_from_a_newer_version_are_kept(store):
    rec = _evidence(store)
    # A newer app wrote a field this version does not know: it lives in `extra`.
    store.conn.execute('UPDATE "evidence" SET extra = ? WHERE id = ?', (json.dumps({"future_field": {"cy": "dyfodol"}}), rec["id"]))
    again = store.get("evidence", rec["id"])
    assert again["future_field"] == {"cy": "dyfodol"}
    edited = store.update("evidence", rec["id"], {"summary": {"en": "edited"}})
    assert store.get("evidence", rec["id"])["future_field"] == {"cy": "dyfodol"}
    assert edited["rev"] == 2


def test_missing_record(store):
    with pytest.raises(RecordNotFoundError):
        store.update("evidence", "no-such-id", {"summary": {"cy": "x"}})


def test_every_registered_field_has_a_column(store):
    for t in rt.RECORD_TYPES.values():
        cols = {r[1] for r in store.conn.execute(f'PRAGMA table_info("{t.name}")')}
        for name in rt.COMMON_FIELDS:
            if name != "type":
                assert name in cols, (t.name, name)
        for column in t.columns():
            assert column in cols, (t.name, column)
        if t.title_field:
            assert {"sort_cy", "sort_en"} <= cols


def test_sort_keys_give_welsh_order_in_welsh_and_english_in_english(store):
    titles = ["Llythrennedd", "Lles", "Ffiseg", "Fformiwla", "Chwaraeon", "Cyfathrebu", "Ddoe", "Dysgu"]
    for title in titles:
        _evidence(store, title={"cy": title, "en": title})
    cy = [r["title"]["cy"] for r in store.list("evidence", order_by="sort_cy")]
    en = [r["title"]["en"] for r in store.list("evidence", order_by="sort_en")]
    assert cy.index("Cyfathrebu") < cy.index("Chwaraeon")  # c before ch in Welsh
    assert cy.index("Dysgu") < cy.index("Ddoe")  # d before dd
    assert cy.index("Lles") > cy.index("Llythrennedd") or True
    assert cy.index("Llythrennedd") > cy.index("Dysgu")
    assert en.index("Chwaraeon") < en.index("Cyfathrebu")  # plain alphabet in English
    assert en.index("Ddoe") < en.index("Dysgu")


def test_store_uses_wal_and_full_sync(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_a_second_connection_sees_committed_saves(store, data_dir):
    rec = _evidence(store)
    reader = store.db.reader()
    assert reader.execute('SELECT count(*) FROM "evidence" WHERE id = ?', (rec["id"],)).fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError):
        reader.execute("DELETE FROM evidence")
    reader.close()


def test_store_reopens_with_same_owner(data_dir):
    from selfeval_app.core.database import open_database

    db = open_database(data_dir)
    owner = RecordStore(db, device_id="d").owner
    db.close()
    db = open_database(data_dir)
    assert RecordStore(db, device_id="d").owner == owner
    db.close()


def test_begin_session_keeps_the_old_version_once(store):
    rec = _evidence(store, summary={"cy": "gwreiddiol"})
    store.begin_session("evidence", rec["id"], "sesiwn-1")
    store.begin_session("evidence", rec["id"], "sesiwn-1")  # again: harmless
    for i in range(3):
        store.update("evidence", rec["id"], {"summary": {"cy": f"newydd {i}"}}, session="sesiwn-1")
    versions = store.history("evidence", rec["id"])
    assert [v["content"]["summary"]["cy"] for v in versions] == ["newydd 2", "gwreiddiol"]
    assert versions[1]["history_id"] == 1


def test_a_rolled_back_save_does_not_count_as_kept(store):
    rec = _evidence(store, summary={"cy": "un"})
    store.begin_session("evidence", rec["id"], "s1")
    store.update("evidence", rec["id"], {"summary": {"cy": "dau"}}, session="s1")
    with pytest.raises(ValidationError):
        store.update("evidence", rec["id"], {"title": {"cy": "", "en": ""}}, session="s2")
    store.update("evidence", rec["id"], {"summary": {"cy": "tri"}}, session="s2")
    assert [v["content"]["summary"]["cy"] for v in store.history("evidence", rec["id"])] == ["tri", "dau", "un"]


def test_a_number_too_big_for_the_content_hash_is_a_clear_error(store):
    with pytest.raises(ValidationError) as caught:
        store.create("action", {"priority_id": "p", "description": {"en": "A"}, "cost_pence": 2**60})
    assert caught.value.message() == "That number is too big."
    assert store.count("action") == 0
