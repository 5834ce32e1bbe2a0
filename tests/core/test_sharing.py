"""Visibility on every shareable record: one wording, the school's default, the bulk change."""

from __future__ import annotations

import pytest

from selfeval_app.core import i18n, sharing
from selfeval_app.core import plan_edit as pe
from selfeval_app.core import record_types as rt
from selfeval_app.core.visibility import (
    VISIBILITY_LABELS,
    allowed_for,
    leaves_the_school,
    visibility_choices,
    visibility_explanation,
    visibility_label,
)


def _plan_with_parts(store):
    plan = pe.save_plan(store, None, {"title": {"en": "Plan"}, "start_year": 2025})
    parts = [("plan", plan["id"])]
    for title in ("A", "B"):
        p = pe.save_priority(store, plan["id"], None, {"title": {"en": title}, "start_year": 2025, "end_year": 2025})
        parts.append(("priority", p["id"]))
        parts.append(("success_criterion", pe.save_criterion(store, p["id"], None, {"description": {"en": "C"}})["id"]))
        parts.append(("action", pe.save_action(store, p["id"], None, {"description": {"en": "D"}})["id"]))
        review = {"date": "2025-11-10", "academic_year": 2025, "term": "autumn", "rag": "green"}
        parts.append(("progress_review", pe.save_review(store, p["id"], None, review)["id"]))
    return plan, parts


def test_one_wording_in_both_languages():
    assert [v for v, _label in visibility_choices()] == list(rt.VISIBILITIES)
    assert visibility_label("la") == "Local authority and peer reviewers"
    assert "never" in visibility_explanation("private")
    i18n.set_language("cy")
    try:
        for v in rt.VISIBILITIES:
            assert visibility_label(v) != VISIBILITY_LABELS[v]
        assert visibility_label("private") == "Preifat i'r ysgol"
        assert "awdurdod lleol" in visibility_explanation("la")
    finally:
        i18n.set_language("en")
    assert allowed_for("la") == ("la",) and allowed_for("reviewer") == ("peers", "la")
    assert not leaves_the_school("private") and leaves_the_school("peers")


def test_new_shareable_records_take_the_school_default(store):
    school = store.create("school", {"name": {"cy": "Ysgol"}})
    assert store.create("evidence", {"date": "2026-01-01", "kind": "other", "title": {"cy": "T"}})["visibility"] == "private"
    store.update("school", school["id"], {"default_visibility": "la"})
    plan, parts = _plan_with_parts(store)
    assert {store.get(t, i)["visibility"] for t, i in parts} == {"la"}
    assert pe.save_indicator(store, None, {"title": {"en": "I"}})["visibility"] == "la"
    # not shareable: the school's own areas stay private; an explicit choice wins
    assert store.create("area", {"title": {"cy": "Maes"}})["visibility"] == "private"
    assert store.create("evidence", {"date": "2026-01-01", "kind": "other", "title": {"cy": "T"}}, visibility="peers")["visibility"] == "peers"


def test_share_the_whole_plan_in_one_transaction(store, monkeypatch):
    plan, parts = _plan_with_parts(store)
    indicator = pe.save_indicator(store, None, {"title": {"en": "I"}})
    assert sharing.plan_parts(store, plan["id"])[0] == ("plan", plan["id"])
    assert sorted(sharing.plan_parts(store, plan["id"])) == sorted(parts)
    store.set_visibility("action", parts[3][1], "la")
    assert sharing.count_visibility_changes(store, parts, "la") == len(parts) - 1
    # a failure part-way (injected: the fourth save fails) changes nothing
    seq = store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    real, calls = store.update_change, []

    def failing(*args, **kw):
        calls.append(args)
        if len(calls) == 4:
            raise OSError("injected")
        return real(*args, **kw)

    with monkeypatch.context() as m:
        m.setattr(store, "update_change", failing)
        with pytest.raises(OSError):
            sharing.share_whole_plan(store, plan["id"], "la")
    assert store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0] == seq
    assert sharing.count_visibility_changes(store, parts, "la") == len(parts) - 1
    change = sharing.share_whole_plan(store, plan["id"], "la")
    assert len(change.records) == len(parts) - 1
    assert {store.get(t, i)["visibility"] for t, i in parts} == {"la"}
    assert store.get("indicator", indicator["id"])["visibility"] == "private"
    assert sharing.count_visibility_changes(store, parts, "la") == 0


def test_no_contact_of_another_school_may_receive_a_private_record():
    """Only our own laptops (role "own" in exchange/ledger.py) hold private records: a contact
    whose card says "school" is another school (DESIGN §2.6: nothing private leaves the laptop)."""
    from selfeval_app.core.visibility import allowed_for
    from selfeval_app.exchange.ledger import allowed_visibilities

    for role in ("school", "reviewer", "la"):
        assert "private" not in allowed_for(role)
        assert "private" not in allowed_visibilities(role)
    assert "private" in allowed_visibilities("own")
