"""Saving evaluations as the head types (chained saves, sessions, conflicts), areas and years,
and evidence linked to statements — without Qt."""

from __future__ import annotations

import pytest

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.errors import ConflictError


@pytest.fixture
def school_store(store):
    store.create("school", {"name": {"cy": "Ysgol Tŷ Gwyn", "en": "White House School"}})
    return store


def test_chained_saves_create_once_then_update_in_one_session(school_store):
    store = school_store
    chain = ee.SaveChain("estyn-2024-1", 2025)
    first = ee.save_evaluation(store, chain, {"narrative": {"cy": "Mae’r dysgwyr yn ŵyr"}})
    assert first["framework_id"] == "estyn-2024" and first["framework_version"]
    statements = [ee.new_statement("strength", {"cy": "Darllen", "en": "Reading"})]
    second = ee.save_evaluation(store, chain, {"narrative": {"cy": "Mae’r dysgwyr yn ŵyr.", "en": ""}, "statements": statements})
    assert second["id"] == first["id"] and chain.rev == second["rev"] == 2
    assert store.history("evaluation", first["id"])[1:] == []  # one session: no kept version yet
    assert ee.find_evaluation(store, "estyn-2024-1", 2025)["statements"] == statements

    # A new session keeps the first session's version once, at its first keystroke.
    chain.session = "edit-second"
    ee.begin_editing(store, chain)
    ee.save_evaluation(store, chain, {"narrative": {"cy": "Ail sesiwn"}})
    ee.save_evaluation(store, chain, {"narrative": {"cy": "Ail sesiwn, eto"}})
    versions = store.history("evaluation", first["id"])
    assert len(versions) == 2 and versions[1]["content"]["narrative"]["cy"] == "Mae’r dysgwyr yn ŵyr."


def test_a_conflict_stops_the_chain_and_never_makes_a_second_evaluation(school_store):
    store = school_store
    chain = ee.SaveChain("estyn-2024-2", 2025)
    other = ee.SaveChain("estyn-2024-2", 2025)
    ee.save_evaluation(store, other, {"narrative": {"en": "Theirs"}})
    with pytest.raises(ConflictError):
        ee.save_evaluation(store, chain, {"narrative": {"en": "Mine"}})
    assert chain.failed
    with pytest.raises(ConflictError):
        ee.save_evaluation(store, chain, {"narrative": {"en": "Mine again"}})
    assert len(store.list("evaluation")) == 1

    stale = ee.SaveChain.for_record("estyn-2024-2", 2025, ee.find_evaluation(store, "estyn-2024-2", 2025))
    ee.save_evaluation(store, other, {"narrative": {"en": "Theirs, changed"}})
    with pytest.raises(ConflictError):
        ee.save_evaluation(store, stale, {"narrative": {"en": "Mine on the old rev"}})
    assert ee.find_evaluation(store, "estyn-2024-2", 2025)["narrative"]["en"] == "Theirs, changed"


def test_areas_years_and_the_new_year_offer(school_store):
    store = school_store
    store.create("area", {"code": "BW1", "title": {"cy": "Y Gymraeg", "en": "Welsh"}, "prompts": [{"id": "p", "cy": "Pa mor aml?", "en": "How often?"}]})
    choices = ee.area_choices(store, "cy")
    assert [c.id for c in choices[:3]] == ["estyn-2024-1", "estyn-2024-2", "estyn-2024-3"]
    assert choices[3].own and choices[3].label("cy") == "BW1 Y Gymraeg" and choices[3].prompts[0]["en"] == "How often?"
    assert all(c.prompts for c in choices[:3])
    assert ee.evaluation_years(store, 2025) == [2025]
    ee.save_evaluation(store, ee.SaveChain("estyn-2024-1", 2024), {"narrative": {"cy": "Llynedd"}})
    assert ee.evaluation_years(store, 2025) == [2025, 2024]
    assert ee.can_start_year_from_previous(store, 2025)
    assert not ee.can_start_year_from_previous(store, 2024)
    assert ee.year_label(2025) == "2025–26" and ee.year_label(2099) == "2099–00"


def test_link_and_unlink_evidence_on_the_evidence_records(school_store):
    store = school_store
    statement = ee.new_statement("next_step", {"cy": "Cam nesaf"})
    ee.save_evaluation(store, ee.SaveChain("estyn-2024-3", 2025), {"statements": [statement]})
    a = store.create("evidence", {"date": "2025-10-01", "kind": "learning_walk", "title": {"cy": "Taith ddysgu ŵyr", "en": "Walk"}, "area_ids": ["estyn-2024-1"]})
    b = store.create("evidence", {"date": "2025-11-01", "kind": "book_look", "title": {"cy": "Craffu", "en": "Book look"}})
    sid = statement["id"]
    assert ee.statement_evidence_counts(store, [sid]) == {sid: 0}
    assert ee.link_evidence(store, sid, "estyn-2024-3", [a["id"], b["id"]], []) == 2
    assert ee.statement_evidence_counts(store, [sid]) == {sid: 2}
    assert store.get("evidence", a["id"])["area_ids"] == ["estyn-2024-1", "estyn-2024-3"]
    choices = ee.evidence_choices(store, sid, "cy")
    assert [c.id for c in choices] == [b["id"], a["id"]] and all(c.linked for c in choices)
    assert ee.link_evidence(store, sid, "estyn-2024-3", [a["id"]], [b["id"]]) == 1  # a: already linked
    assert store.get("evidence", b["id"])["statement_ids"] == []
    store.delete("evidence", a["id"])
    assert ee.statement_evidence_counts(store, [sid]) == {sid: 0}  # deleted evidence does not count
    assert ee.matches_filter(choices[1], ee.fold("wyr taith").split(), "learning walk")
    assert not ee.matches_filter(choices[1], ["llan"], "learning walk")
