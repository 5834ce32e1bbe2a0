"""What needs attention (the School home's figures), from real records in a real database: overdue
and due-soon actions by the plan's own rule, reviews due this term, statements with no evidence
this year, and nothing from other years or deleted records."""

from __future__ import annotations

import datetime as dt

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.attention import what_needs_attention

TODAY = dt.date(2025, 11, 20)  # autumn term of 2025–26


def _plan(store):
    plan = store.create("plan", {"start_year": 2025})
    running = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Darllen", "en": "Reading"}, "start_year": 2025, "end_year": 2026, "position": 1})
    finished = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Hen", "en": "Old"}, "start_year": 2023, "end_year": 2024, "position": 2})
    return plan, running, finished


def test_empty_school_needs_nothing(store):
    att = what_needs_attention(store, TODAY)
    assert att.is_empty() and (att.year, att.term) == (2025, "autumn")
    assert not att.has_plan and not att.has_evaluations and att.waiting_to_share == []


def test_actions_overdue_and_due_soon_by_the_plan_rule(store):
    _plan_, running, finished = _plan(store)

    def action(priority, due, status="in_progress", text="x"):
        return store.create("action", {"priority_id": priority["id"], "description": {"cy": text, "en": text}, "due_date": due, "status": status})

    late = action(running, "2025-11-10", text="late")
    action(running, "2025-11-01", status="done", text="done late")  # done: never overdue
    today = action(running, "2025-11-20", text="today")
    soon = action(running, "2025-12-04", text="in 14 days")
    action(running, "2025-12-05", text="in 15 days")  # beyond the 14 days
    action(finished, "2024-06-01", text="old priority")  # its priority does not run this year
    gone = action(running, "2025-11-11", text="deleted")
    store.delete("action", gone["id"])

    att = what_needs_attention(store, TODAY)
    assert [(a.action_id, a.days) for a in att.overdue] == [(late["id"], 10)]
    assert att.overdue[0].priority_title == {"cy": "Darllen", "en": "Reading"} and att.overdue[0].due_date == "2025-11-10"
    assert [(a.action_id, a.days) for a in att.due_soon] == [(today["id"], 0), (soon["id"], 14)]
    assert att.has_plan and not att.is_empty()


def test_reviews_due_for_running_priorities_not_reviewed_this_term(store):
    plan, running, _finished = _plan(store)
    other = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Lles"}, "start_year": 2025, "end_year": 2025, "position": 3})
    # Reviewed last term only: still due this term.
    store.create("progress_review", {"priority_id": running["id"], "date": "2025-07-01", "academic_year": 2024, "term": "summer", "rag": "amber"})
    store.create("progress_review", {"priority_id": other["id"], "date": "2025-10-15", "academic_year": 2025, "term": "autumn", "rag": "green"})
    att = what_needs_attention(store, TODAY)
    assert [r.priority_id for r in att.reviews_due] == [running["id"]]
    store.create("progress_review", {"priority_id": running["id"], "date": "2025-11-19", "academic_year": 2025, "term": "autumn", "rag": "green"})
    assert what_needs_attention(store, TODAY).reviews_due == []


def test_statements_without_evidence_this_year(store):
    backed = ee.new_statement("strength", {"cy": "Darllen da", "en": "Good reading"})
    bare = ee.new_statement("next_step", {"cy": "Ysgrifennu", "en": "Writing"})
    this_year = ee.save_evaluation(store, ee.SaveChain("estyn-2024-1", 2025), {"statements": [backed, bare]})
    ee.save_evaluation(store, ee.SaveChain("estyn-2024-2", 2024), {"statements": [ee.new_statement("strength", {"cy": "Llynedd"})]})
    evidence = store.create("evidence", {"date": "2025-10-01", "kind": "learning_walk", "title": {"cy": "Taith"}, "area_ids": ["estyn-2024-1"]})
    ee.link_evidence(store, backed["id"], "estyn-2024-1", [evidence["id"]], [])

    att = what_needs_attention(store, TODAY)
    assert att.has_evaluations
    assert [(s.evaluation_id, s.area_id, s.statement_id, s.kind) for s in att.statements_without_evidence] == [
        (this_year["id"], "estyn-2024-1", bare["id"], "next_step")
    ]
    assert att.statements_without_evidence[0].text == {"cy": "Ysgrifennu", "en": "Writing"}
