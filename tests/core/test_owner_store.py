"""The owner-aware store: writes as an identity, foreign records read-only on every write path,
`apply_incoming` for versions made elsewhere, and tombstones that keep type, owner, visibility."""

from __future__ import annotations

import datetime as dt

import pytest

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core import evidence_edit as ev
from selfeval_app.core import i18n, identities, purge, sharing
from selfeval_app.core import plan_edit as pe
from selfeval_app.core import records as r
from selfeval_app.core import year_transitions as yt
from selfeval_app.core.attachments import attach
from selfeval_app.core.backup import make_backup, restore
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import IncomingRecordError, NotOwnerError, ReadOnlyRecordError
from selfeval_app.core.export import export_data
from selfeval_app.core.integrity import check_store
from selfeval_app.core.records import RecordStore


@pytest.fixture
def other(tmp_path):
    """Another school's installation, whose records arrive in `store` from elsewhere."""
    db = open_database(tmp_path / "other")
    s = RecordStore(db, device_id="device-other")
    yield s
    db.close()


def _evidence_values(title="Taith ddysgu"):
    return {"date": "2026-10-05", "kind": "learning_walk", "title": {"cy": title, "en": "Walk"}}


def _form(title="Taith ddysgu"):
    """The evidence editor's values."""
    return dict(_evidence_values(title), date=dt.date(2026, 10, 5))


def _arrive(store, record):
    applied = store.apply_incoming(record)
    assert applied.written
    return applied.record


def _foreign_everything(store, other):
    """Another school's plan (with every part), evidence, evaluation and indicator, in `store`."""
    made = {}
    plan = pe.save_plan(other, None, {"title": {"en": "Their plan"}, "start_year": 2025})
    pri = pe.save_priority(other, plan["id"], None, {"title": {"en": "P"}, "start_year": 2025, "end_year": 2025})
    made["plan"], made["priority"] = plan, pri
    made["success_criterion"] = pe.save_criterion(other, pri["id"], None, {"description": {"en": "C"}})
    made["action"] = pe.save_action(other, pri["id"], None, {"description": {"en": "A"}})
    made["progress_review"] = pe.save_review(
        other, pri["id"], None, {"date": "2025-11-10", "academic_year": 2025, "term": "autumn", "rag": "amber"}
    )
    made["indicator"] = pe.save_indicator(other, None, {"title": {"en": "Attendance"}, "visibility": "la"})
    made["evidence"] = ev.save_evidence(other, None, _form(), visibility="la")
    chain = ee.SaveChain(area_id="estyn-2024-1", year=2025)
    made["evaluation"] = ee.save_evaluation(
        other, chain, {"narrative": {"en": "Good"}, "statements": [ee.new_statement("strength", {"en": "S"})]}
    )
    for rec in (other.get(t, x["id"]) for t, x in made.items()):
        _arrive(store, rec)
    return made


def _state(store):
    data = export_data(store, owners="any")  # the whole state, the foreign records too
    return data["records"], store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]


def test_foreign_records_are_read_only_on_every_core_edit_path(store, other, tmp_path):
    f = _foreign_everything(store, other)
    plan, pri = f["plan"], f["priority"]
    chain = ee.SaveChain(area_id="estyn-2024-1", year=2025, record_id=f["evaluation"]["id"], rev=f["evaluation"]["rev"])
    statement_id = f["evaluation"]["statements"][0]["id"]
    source = tmp_path / "nodyn.txt"
    source.write_text("cynnwys", encoding="utf-8")
    own_evidence = store.create("evidence", _evidence_values("Ein tystiolaeth"))
    ways = {
        "store.update": lambda: store.update("evidence", f["evidence"]["id"], {"title": {"en": "X"}}),
        "store.set_visibility": lambda: store.set_visibility("evidence", f["evidence"]["id"], "private"),
        "store.delete": lambda: store.delete("evidence", f["evidence"]["id"]),
        "store.restore_version": lambda: store.restore_version("evidence", f["evidence"]["id"], 1),
        "store.begin_session": lambda: store.begin_session("evidence", f["evidence"]["id"], "s1"),
        "store.tombstone": lambda: store.tombstone("evidence", f["evidence"]["id"]),
        "evidence_edit.save_evidence": lambda: ev.save_evidence(
            store, f["evidence"]["id"], _form("Newid"), base_rev=f["evidence"]["rev"]
        ),
        "evaluation_edit.save_evaluation": lambda: ee.save_evaluation(store, chain, {"narrative": {"en": "Mine"}}),
        "evaluation_edit.link_evidence": lambda: ee.link_evidence(
            store, statement_id, "estyn-2024-1", [f["evidence"]["id"]], []
        ),
        "plan_edit.save_plan": lambda: pe.save_plan(store, plan["id"], {"title": {"en": "Mine"}, "start_year": 2025}),
        "plan_edit.save_priority (update)": lambda: pe.save_priority(
            store, plan["id"], pri["id"], {"title": {"en": "Mine"}, "start_year": 2025, "end_year": 2025}
        ),
        "plan_edit.save_priority (new, in their plan)": lambda: pe.save_priority(
            store, plan["id"], None, {"title": {"en": "Mine"}, "start_year": 2025, "end_year": 2025}
        ),
        "plan_edit.save_criterion": lambda: pe.save_criterion(
            store, pri["id"], f["success_criterion"]["id"], {"description": {"en": "Mine"}}
        ),
        "plan_edit.save_criterion (new)": lambda: pe.save_criterion(store, pri["id"], None, {"description": {"en": "Mine"}}),
        "plan_edit.save_action": lambda: pe.save_action(store, pri["id"], f["action"]["id"], {"description": {"en": "Mine"}}),
        "plan_edit.save_action (new)": lambda: pe.save_action(store, pri["id"], None, {"description": {"en": "Mine"}}),
        "plan_edit.save_review": lambda: pe.save_review(
            store, pri["id"], f["progress_review"]["id"],
            {"date": "2025-11-11", "academic_year": 2025, "term": "autumn", "rag": "green"},
        ),
        "plan_edit.save_indicator": lambda: pe.save_indicator(store, f["indicator"]["id"], {"title": {"en": "Mine"}}),
        "plan_edit.reorder_priorities": lambda: pe.reorder_priorities(store, [pri["id"]]),
        "plan_edit.finish_year": lambda: pe.finish_year(store, plan["id"], 2025, {pri["id"]: ("met", {})}),
        "plan_edit.delete_plan_item": lambda: pe.delete_plan_item(store, "priority", pri["id"]),
        "year_transitions.record_year_end": lambda: yt.record_year_end(store, pri["id"], 2025, "met"),
        "year_transitions.roll_over_priorities": lambda: yt.roll_over_priorities(store, plan["id"], 2025),
        "attachments.attach": lambda: attach(store, f["evidence"]["id"], source),
        "purge.purge": lambda: purge.purge(store, "evidence", f["evidence"]["id"]),
        "sharing.share_whole_plan": lambda: sharing.share_whole_plan(store, plan["id"], "peers"),
        "sharing.set_visibility_many (one foreign among ours)": lambda: sharing.set_visibility_many(
            store, [("evidence", own_evidence["id"]), ("evidence", f["evidence"]["id"])], "peers"
        ),
    }
    before = _state(store)
    for name, write in ways.items():
        with pytest.raises(ReadOnlyRecordError) as caught:
            write()
            pytest.fail(f"{name} wrote to another owner's record")
        assert _state(store) == before, f"{name} changed something"
        i18n.set_language("cy")
        try:
            assert "perthyn i rywun arall" in caught.value.message(), name
        finally:
            i18n.set_language("en")
        assert "belongs to someone else" in caught.value.message(), name


def test_writes_as_another_of_our_identities(store):
    reviewer = identities.add_identity(store.db, role="reviewer", name_cy="Pennaeth", name_en="Head")
    store.forget_cached_meta()
    assert reviewer in store.identity_ids and store.owner in store.identity_ids
    rec = store.create("evidence", _evidence_values(), as_identity=reviewer)
    assert rec["owner"] == reviewer and store.is_own(rec)
    assert store.update("evidence", rec["id"], {"title": {"en": "Mine"}}, as_identity=reviewer)["rev"] == 2
    with pytest.raises(ReadOnlyRecordError):  # the school identity may not edit the reviewer's
        store.update("evidence", rec["id"], {"title": {"en": "School's"}})
    with pytest.raises(NotOwnerError):
        store.create("evidence", _evidence_values(), as_identity="not-one-of-ours")
    assert [i.role for i in identities.list_identities(store.db)] == ["school", "reviewer"]


def test_apply_incoming_keeps_the_version_exactly(store, other):
    made = other.create("evidence", _evidence_values(), visibility="la")
    applied = store.apply_incoming(made)
    assert applied.outcome == r.NEW
    here = store.get("evidence", made["id"])
    assert here == made  # owner, rev, base_rev, updated_by, timestamps, visibility, hash
    assert not store.is_own(here)
    assert store.apply_incoming(made).outcome == r.UNCHANGED
    newer = other.update("evidence", made["id"], {"summary": {"cy": "Llawer o ddysgu"}})
    assert store.apply_incoming(newer).outcome == r.CHANGED
    assert store.get("evidence", made["id"]) == newer
    assert store.apply_incoming(made).outcome == r.OLDER
    assert store.get("evidence", made["id"]) == newer
    assert [c["rev"] for c in store.changes_since(0) if c["record_id"] == made["id"]] == [1, 2]
    assert [s.record_id for s in store.search("ddysgu", owners="any")] == [made["id"]]  # indexed
    assert store.search("ddysgu") == []  # but not among our own records
    assert [v["rev"] for v in store.history("evidence", made["id"])] == [2, 1]
    assert check_store(store) == []


def test_apply_incoming_same_rev_other_content_is_a_conflict_and_writes_nothing(store, other):
    made = other.create("evidence", _evidence_values())
    store.apply_incoming(made)
    rival = dict(made, title={"cy": "Fersiwn arall", "en": "Walk"}, updated_by="device-3")
    rival["content_hash"] = r.content_hash(r.record_type("evidence"), rival)
    before = _state(store)
    assert store.apply_incoming(rival).outcome == r.CONFLICT
    assert _state(store) == before


@pytest.mark.parametrize(
    "spoil",
    [
        lambda v: v.update(title={"cy": "Wedi newid", "en": "Walk"}),  # content without its hash
        lambda v: v.update(type="no_such_type"),
        lambda v: v.update(type=["evidence"]),  # not text at all (found by the exchange fuzz run)
        lambda v: v.update(rev=True),
        lambda v: v.update(area_ids=7),
        lambda v: v.update(rev="2"),
        lambda v: v.update(visibility="everyone"),
        lambda v: v.update(date=12),
        lambda v: v.update(content_hash="v9:" + "0" * 64),
        lambda v: v.update(deleted=True),  # a tombstone that still has content
        lambda v: v.update(owner=""),
        lambda v: v.update(size_of_everything=2**60),  # an unknown field RFC 8785 cannot write
    ],
)
def test_apply_incoming_refuses_a_bad_version_and_changes_nothing(store, other, spoil):
    made = other.create("evidence", _evidence_values())
    version = dict(made)
    spoil(version)
    before = _state(store)
    with pytest.raises(IncomingRecordError) as caught:
        store.apply_incoming(version)
    assert caught.value.message()
    assert _state(store) == before


def test_apply_incoming_keeps_unknown_fields_and_verifies_them(store, other):
    made = dict(other.create("evidence", _evidence_values()))
    made["rev"] = 2
    made["base_rev"] = 1
    made["weather"] = {"cy": "Heulog", "en": "Sunny"}  # a field of a newer app
    made["content_hash"] = r.content_hash_v2(made)
    assert store.apply_incoming(made).outcome == r.NEW
    assert store.get("evidence", made["id"])["weather"] == {"cy": "Heulog", "en": "Sunny"}
    assert check_store(store) == []


def test_a_withdrawal_drops_the_content_everywhere(store, other):
    from selfeval_app.core.share_ledger import withdrawal_version

    made = other.create("evidence", _evidence_values("Cyfrinachol"), visibility="la")
    store.apply_incoming(made)
    store.apply_incoming(other.update("evidence", made["id"], {"summary": {"cy": "Cyfrinach"}}))
    assert store.history("evidence", made["id"])
    gone = other.set_visibility("evidence", made["id"], "private")
    assert store.apply_incoming(withdrawal_version(other, gone)).outcome == r.CHANGED
    tomb = store.get("evidence", made["id"], include_deleted=True)
    assert tomb["deleted"] and tomb["owner"] == made["owner"] and tomb["title"] == {"cy": "", "en": ""}
    assert store.history("evidence", made["id"]) == []
    assert not store.search("Cyfrinachol") and not store.search("Cyfrinach")


def test_tombstones_keep_type_owner_and_visibility(store):
    rec = store.create("evidence", _evidence_values(), visibility="peers")
    change = store.tombstone("evidence", rec["id"])
    tomb = change.record
    assert (tomb["type"], tomb["owner"], tomb["visibility"], tomb["rev"]) == ("evidence", store.owner, "peers", 2)
    assert tomb["deleted"] and store.undelete("evidence", rec["id"]).record["title"]["cy"] == "Taith ddysgu"


def test_restore_tombstones_keep_the_owner_and_visibility_of_what_they_remove(store, other, data_dir, tmp_path):
    backup = make_backup(data_dir, tmp_path / "cyn.zip")
    shared = store.create("evidence", _evidence_values("Ar ôl"), visibility="la")
    theirs = other.create("evidence", _evidence_values("Eu tystiolaeth"), visibility="peers")
    store.apply_incoming(theirs)
    store.db.close()
    restore(data_dir, backup, device_id="device-test-1")
    db = open_database(data_dir)
    try:
        s = RecordStore(db, device_id="device-test-1")
        mine = s.get("evidence", shared["id"], include_deleted=True)
        assert mine["deleted"] and (mine["owner"], mine["visibility"]) == (shared["owner"], "la")
        foreign = s.get("evidence", theirs["id"], include_deleted=True)
        assert foreign["deleted"] and (foreign["owner"], foreign["visibility"]) == (theirs["owner"], "peers")
        assert check_store(s) == []
    finally:
        db.close()


def test_the_school_is_ours_even_when_another_schools_profile_arrived_first(store, other, tmp_path):
    """A reviewer's or an LA's installation holds other schools' `school` records (a visit pack, a
    bundle): the store's `school()` and the window's first look are this installation's own."""
    from selfeval_app.core.school_glance import glance_school

    theirs = other.create("school", {"name": {"cy": "Ysgol Arall", "en": "Other School"}, "phase": "primary"}, visibility="peers")
    _arrive(store, theirs)
    assert store.school() is None  # nothing of ours yet: not theirs either
    assert glance_school(store.db.data_dir) is None
    ours = store.create("school", {"name": {"cy": "Ysgol Ni", "en": "Our School"}, "phase": "primary"})
    assert theirs["created_at"] <= ours["created_at"]
    assert store.school()["id"] == ours["id"]
    assert glance_school(store.db.data_dir).record == {"name": {"cy": "Ysgol Ni", "en": "Our School"}}
