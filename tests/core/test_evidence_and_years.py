"""Evidence filters, sorting and coverage; a new academic year's evaluations; the plan's year end."""

from __future__ import annotations

import datetime as dt

from selfeval_app.core.evidence_queries import (
    EvidenceFilter,
    count_evidence,
    coverage,
    list_evidence,
)
from selfeval_app.core.year_transitions import (
    record_year_end,
    roll_over_priorities,
    start_evaluation_year,
)


def _ev(store, title_cy, title_en, date, kind="learning_walk", areas=("estyn-2024-1",), **extra):
    return store.create(
        "evidence",
        {
            "date": date,
            "kind": kind,
            "title": {"cy": title_cy, "en": title_en},
            "area_ids": list(areas),
            **extra,
        },
    )


def test_filter_by_area_kind_date_and_visibility(store):
    a = _ev(store, "Taith ddysgu", "Learning walk", "2025-10-01")
    b = _ev(
        store,
        "Craffu ar waith",
        "Book look",
        "2025-11-01",
        kind="book_look",
        areas=("estyn-2024-1", "estyn-2024-3"),
    )
    c = _ev(
        store,
        "Llais y dysgwr",
        "Learner voice",
        "2026-03-01",
        kind="learner_voice",
        areas=("estyn-2024-2",),
    )
    store.set_visibility("evidence", c["id"], "peers")
    ids = lambda rows: {r["id"] for r in rows}  # noqa: E731
    assert ids(list_evidence(store, EvidenceFilter(area_id="estyn-2024-1"))) == {a["id"], b["id"]}
    assert ids(list_evidence(store, EvidenceFilter(area_id="estyn-2024-3"))) == {b["id"]}
    assert ids(list_evidence(store, EvidenceFilter(kinds=("book_look", "learner_voice")))) == {
        b["id"],
        c["id"],
    }
    assert ids(
        list_evidence(
            store, EvidenceFilter(date_from=dt.date(2025, 10, 15), date_to=dt.date(2026, 1, 1))
        )
    ) == {b["id"]}
    assert ids(list_evidence(store, EvidenceFilter(visibilities=("peers",)))) == {c["id"]}
    assert count_evidence(store, EvidenceFilter(area_id="estyn-2024-1")) == 2
    # a filter value is data, never SQL
    assert list_evidence(store, EvidenceFilter(area_id="x') OR 1=1 --")) == []


def test_sort_by_title_follows_each_language(store):
    for cy, en in [
        ("Chwarae rôl", "Role play"),
        ("Cyfweliad", "Interview"),
        ("Dysgu", "Learning"),
        ("Ddoe a heddiw", "Past and present"),
    ]:
        _ev(store, cy, en, "2025-10-01")
    cy_order = [r["title"]["cy"] for r in list_evidence(store, sort="title", lang="cy")]
    en_order = [r["title"]["en"] for r in list_evidence(store, sort="title", lang="en")]
    assert cy_order == ["Cyfweliad", "Chwarae rôl", "Dysgu", "Ddoe a heddiw"]
    assert en_order == ["Interview", "Learning", "Past and present", "Role play"]
    dates = [r["date"] for r in list_evidence(store, sort="date")]
    assert dates == sorted(dates, reverse=True)


def test_coverage_counts_kinds_and_flags_statements_without_evidence(store):
    ev = store.create(
        "evaluation",
        {
            "area_id": "estyn-2024-1",
            "academic_year": 2025,
            "statements": [
                {
                    "id": "s1",
                    "kind": "strength",
                    "text": {"cy": "Darllen da", "en": "Good reading"},
                },
                {"id": "s2", "kind": "development", "text": {"cy": "Ysgrifennu", "en": "Writing"}},
            ],
        },
    )
    _ev(store, "Taith", "Walk", "2025-10-01", statement_ids=["s1"])
    _ev(store, "Llyfrau", "Books", "2026-02-01", kind="book_look", statement_ids=["s1"])
    _ev(store, "Hen", "Old", "2024-10-01")  # another year
    cov = coverage(store, 2025)["estyn-2024-1"]
    assert cov.total == 2 and cov.by_kind == {"learning_walk": 1, "book_look": 1}
    assert cov.statements_without_evidence == ["s2"]
    assert ev["id"]


def test_new_academic_year_copies_evaluations_never_moves(store):
    old = store.create(
        "evaluation",
        {
            "area_id": "estyn-2024-2",
            "academic_year": 2025,
            "framework_id": "estyn-2024",
            "framework_version": "1",
            "narrative": {"cy": "Mae lles yn gryf.", "en": "Well-being is strong."},
            "statements": [
                {"id": "s1", "kind": "strength", "text": {"cy": "Lles", "en": "Well-being"}}
            ],
        },
    )
    created = start_evaluation_year(store, 2026)
    assert len(created) == 1
    new = created[0]
    assert new["academic_year"] == 2026 and new["copied_from"] == old["id"]
    assert new["narrative"] == old["narrative"]
    assert new["statements"][0]["copied_from"] == "s1" and new["statements"][0]["id"] != "s1"
    assert store.get("evaluation", old["id"]) == old  # the old year is untouched
    assert start_evaluation_year(store, 2026) == []  # running again copies nothing twice


def test_year_end_and_roll_over(store):
    plan = store.create("plan", {"start_year": 2025})
    done = store.create(
        "priority",
        {
            "plan_id": plan["id"],
            "title": {"cy": "Presenoldeb"},
            "start_year": 2025,
            "end_year": 2025,
        },
    )
    open_ = store.create(
        "priority",
        {
            "plan_id": plan["id"],
            "title": {"cy": "Darllen"},
            "start_year": 2025,
            "end_year": 2025,
            "lead": "Mrs Siân Lloyd",
        },
    )
    longer = store.create(
        "priority",
        {"plan_id": plan["id"], "title": {"cy": "Lles"}, "start_year": 2025, "end_year": 2027},
    )
    store.create(
        "success_criterion",
        {
            "priority_id": open_["id"],
            "description": {"cy": "Oed darllen"},
            "baseline": 8.0,
            "target": 9.0,
            "actual": 8.5,
            "unit": "oed",
            "status": "partially_met",
        },
    )
    store.create(
        "success_criterion",
        {"priority_id": open_["id"], "description": {"cy": "Mwynhau"}, "status": "met"},
    )
    store.create(
        "action",
        {
            "priority_id": open_["id"],
            "description": {"cy": "Prynu llyfrau"},
            "status": "done",
            "cost_pence": 50000,
        },
    )
    store.create(
        "action",
        {
            "priority_id": open_["id"],
            "description": {"cy": "Hyfforddi staff"},
            "status": "in_progress",
            "cost_pence": 20000,
        },
    )
    record_year_end(store, done["id"], 2025, "met")
    record_year_end(
        store, open_["id"], 2025, "partly", {"cy": "Salwch staff", "en": "Staff illness"}
    )
    assert (
        store.get("priority", open_["id"])["year_end"]["2025"]["why_not"]["en"] == "Staff illness"
    )

    copies = roll_over_priorities(store, plan["id"], 2025)
    assert [c["origin_id"] for c in copies] == [open_["id"]]
    copy = copies[0]
    assert copy["start_year"] == 2026 and copy["title"]["cy"] == "Darllen"
    criteria = store.list("success_criterion", where="priority_id = ?", params=(copy["id"],))
    assert [c["description"]["cy"] for c in criteria] == ["Oed darllen"] and criteria[0][
        "baseline"
    ] == 8.5
    actions = store.list("action", where="priority_id = ?", params=(copy["id"],))
    assert [a["description"]["cy"] for a in actions] == ["Hyfforddi staff"]
    assert longer["id"] not in [c["origin_id"] for c in copies]
    assert roll_over_priorities(store, plan["id"], 2025) == []  # never twice
    assert store.get("priority", open_["id"])["start_year"] == 2025  # the original is untouched
