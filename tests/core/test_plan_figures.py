"""Plan figures: derived action status, criteria counts, money, RAG now/last term, changes since."""

from __future__ import annotations

import datetime as dt

import pytest

from selfeval_app.core import plan_figures as pf

TODAY = dt.date(2026, 11, 23)


def day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        ("in_progress", day(-1), "overdue"),
        ("blocked", day(-30), "overdue"),
        ("not_started", day(0), "due"),  # due today is not yet overdue
        ("in_progress", day(14), "due"),
        ("in_progress", day(15), "in_progress"),
        ("done", day(-10), "done"),
        ("blocked", None, "blocked"),
        (None, None, "not_started"),
    ],
)
def test_action_status(status, due, expected):
    action = {"status": status, "due_date": due}
    assert pf.action_status(action, TODAY) == expected
    assert pf.is_overdue(action, TODAY) == (expected == "overdue")


def test_days_overdue():
    assert pf.days_overdue({"status": "in_progress", "due_date": day(-18)}, TODAY) == 18
    assert pf.days_overdue({"status": "done", "due_date": day(-18)}, TODAY) == 0


def test_criteria_counts_has_every_status():
    counts = pf.criteria_counts([{"status": "met"}, {"status": "met"}, {"status": "not_met"}, {"status": None}])
    assert counts == {"not_started": 1, "in_progress": 0, "not_met": 1, "partially_met": 0, "met": 2}


def test_money_by_source_in_pence():
    actions = [
        {"cost_pence": 45000, "committed_pence": 20000, "funding_source": "la_grant"},
        {"cost_pence": 520000, "committed_pence": 260000, "funding_source": "pdg"},
        {"cost_pence": 5000, "committed_pence": 0, "funding_source": "pdg"},
        {"cost_pence": 0, "committed_pence": 0, "funding_source": "school_budget"},  # no money: left out
        {"cost_pence": 100, "committed_pence": None, "funding_source": None},
    ]
    by = pf.money_by_source(actions)
    assert list(by) == ["pdg", "la_grant", pf.UNSPECIFIED]
    assert (by["pdg"].planned_pence, by["pdg"].committed_pence) == (525000, 260000)
    assert by["pdg"].uncommitted_pence == 265000
    total = pf.total_money(by)
    assert (total.planned_pence, total.committed_pence) == (570100, 280000)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (dt.date(2026, 9, 1), (2026, "autumn")),
        (dt.date(2026, 12, 31), (2026, "autumn")),
        (dt.date(2027, 1, 5), (2026, "spring")),
        (dt.date(2027, 3, 31), (2026, "spring")),
        (dt.date(2027, 4, 1), (2026, "summer")),
        (dt.date(2027, 8, 31), (2026, "summer")),
    ],
)
def test_term_of(when, expected):
    assert pf.term_of(when) == expected


def test_previous_and_next_term():
    assert pf.previous_term(2026, "autumn") == (2025, "summer")
    assert pf.previous_term(2026, "summer") == (2026, "spring")
    assert pf.next_term(2026, "summer") == (2027, "autumn")


def test_rag_now_last_term_and_trend():
    reviews = [
        {"id": "a", "priority_id": "p1", "academic_year": 2025, "term": "summer", "date": "2026-07-07", "rag": "green"},
        {"id": "b", "priority_id": "p1", "academic_year": 2026, "term": "autumn", "date": "2026-10-01", "rag": "red"},
        {"id": "c", "priority_id": "p1", "academic_year": 2026, "term": "autumn", "date": "2026-11-24", "rag": "amber"},
        {"id": "d", "priority_id": "p2", "academic_year": 2025, "term": "summer", "date": "2026-07-07", "rag": "red"},
        {"id": "e", "priority_id": "p2", "academic_year": 2026, "term": "autumn", "date": "2026-11-01", "rag": "amber"},
        {"id": "f", "priority_id": "p3", "academic_year": 2026, "term": "autumn", "date": "2026-11-01", "rag": "green"},
    ]
    rags = pf.priority_rags(["p1", "p2", "p3", "p4"], reviews, 2026, "autumn")
    assert (rags["p1"].now, rags["p1"].last, rags["p1"].trend) == ("amber", "green", "worse")  # latest in term wins
    assert (rags["p2"].now, rags["p2"].last, rags["p2"].trend) == ("amber", "red", "better")
    assert (rags["p3"].now, rags["p3"].last, rags["p3"].trend) == ("green", None, None)
    assert (rags["p4"].now, rags["p4"].last) == (None, None)
    assert pf.trend("amber", "amber") == "same"
    assert pf.rag_counts(rags.values()) == {"red": 0, "amber": 2, "green": 1, None: 1}


def test_changes_since_an_issued_report():
    issue = {
        "issued_on": "2026-07-10",
        "sources": [
            {"id": "p1", "type": "priority", "rev": 2},
            {"id": "p2", "type": "priority", "rev": 3},
            {"id": "r1", "type": "progress_review", "rev": 1},
            {"id": "gone", "type": "action", "rev": 1},
        ],
    }
    current = [
        pf.CurrentRecord("priority", "p1", 3, "2025-06-01T10:00:00Z"),  # changed
        pf.CurrentRecord("priority", "p2", 3, "2025-06-01T10:00:00Z"),  # same
        pf.CurrentRecord("progress_review", "r1", 2, "2026-01-01T10:00:00Z", deleted=True),  # removed
        pf.CurrentRecord("progress_review", "r2", 1, "2026-07-10T22:30:00Z"),  # 23:30 in London on the 10th: not after
        pf.CurrentRecord("progress_review", "r3", 1, "2026-07-10T23:30:00Z"),  # 00:30 on the 11th: new
        pf.CurrentRecord("evidence", "e1", 1, "2026-09-01T08:00:00Z", deleted=True),  # new but deleted: left out
        pf.CurrentRecord("report_issue", "i2", 1, "2026-09-01T08:00:00Z"),  # reports are not "changes"
    ]
    ch = pf.changes_since(issue, current)
    assert ch.changed == [("priority", "p1", 2, 3)]
    assert sorted(ch.removed) == [("action", "gone"), ("progress_review", "r1")]
    assert ch.new == [("progress_review", "r3")]
    assert ch.counts_by_type() == {"progress_review": (1, 0, 1), "priority": (0, 1, 0), "action": (0, 0, 1)}
    assert not ch.is_empty()


def test_days_until_due():
    assert pf.days_until_due({"status": "in_progress", "due_date": day(9)}, TODAY) == 9
    assert pf.days_until_due({"status": "in_progress", "due_date": day(-2)}, TODAY) == -2
    assert pf.days_until_due({"status": "done", "due_date": day(3)}, TODAY) is None
    assert pf.days_until_due({"status": "in_progress"}, TODAY) is None
