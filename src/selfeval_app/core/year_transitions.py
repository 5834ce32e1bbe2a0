"""Moving to a new academic year: evaluations start from last year's as copies (never moves), and
the plan's open priorities roll over as copies that keep their link to the original. History is
never altered: the old year's records stay exactly as they were."""

from __future__ import annotations

import uuid

from selfeval_app.core.errors import ReadOnlyRecordError
from selfeval_app.core.plan_years import runs_in
from selfeval_app.core.records import Record, RecordStore

OUTCOMES = ("met", "partly", "not_met")


def start_evaluation_year(
    store: RecordStore, year: int, *, from_year: int | None = None
) -> list[Record]:
    """Copy every evaluation of `from_year` (default: the year before) into `year`, unless that
    area already has one for `year`. Statements get new ids and remember the one they came from,
    so last year's evidence stays linked to last year's statements. Returns the new records."""
    from_year = year - 1 if from_year is None else from_year
    existing = {
        e["area_id"] for e in store.list("evaluation", where="academic_year = ?", params=(year,))
    }
    created = []
    for old in store.list(
        "evaluation", where="academic_year = ?", params=(from_year,), order_by="area_id"
    ):
        if old["area_id"] in existing:
            continue
        statements = [
            {**s, "id": str(uuid.uuid4()), "copied_from": s.get("id")}
            for s in (old["statements"] or [])
        ]
        created.append(
            store.create(
                "evaluation",
                {
                    "area_id": old["area_id"],
                    "academic_year": year,
                    "framework_id": old["framework_id"],
                    "framework_version": old["framework_version"],
                    "narrative": old["narrative"],
                    "statements": statements,
                    "copied_from": old["id"],
                },
                visibility=old["visibility"],
            )
        )
    return created


def record_year_end(
    store: RecordStore, priority_id: str, year: int, outcome: str, why_not: dict | None = None
) -> Record:
    """Record whether a priority's targets for `year` were met, and if not, why."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    priority = store.require("priority", priority_id)
    year_end = dict(priority["year_end"] or {})
    year_end[str(year)] = {
        "met": outcome,
        "why_not": {"cy": (why_not or {}).get("cy", ""), "en": (why_not or {}).get("en", "")},
    }
    return store.update("priority", priority_id, {"year_end": year_end})


def roll_over_priorities(store: RecordStore, plan_id: str, year: int) -> list[Record]:
    """Start `year + 1` from the priorities of `year` that are still open (not recorded as met):
    each becomes a new priority linked to its original by `origin_id`, with copies of its success
    criteria not yet met and its actions not yet done. Returns the new priorities. Another
    owner's plan is refused (its priorities are not ours to copy, nor is its plan ours to add to)."""
    if not store.is_own(store.require("plan", plan_id)):
        raise ReadOnlyRecordError()
    new_year = year + 1
    created = []
    already = {
        p["origin_id"]
        for p in store.list(
            "priority", where="plan_id = ? AND start_year = ?", params=(plan_id, new_year)
        )
    }
    for p in store.list(
        "priority", where="plan_id = ?", params=(plan_id,), order_by="position, created_at"
    ):
        if not runs_in(p, year) or p["id"] in already:
            continue
        if ((p["year_end"] or {}).get(str(year)) or {}).get("met") == "met":
            continue
        if runs_in(p, new_year):
            continue  # it already runs into next year (or has no end year): nothing to copy
        fields = {
            k: p[k]
            for k in (
                "title",
                "rationale",
                "area_ids",
                "statement_ids",
                "evidence_ids",
                "national_priority_ids",
                "lead",
                "expected_outcomes",
                "strategy",
                "professional_learning",
                "community_work",
                "resources",
                "position",
            )
        }
        fields.update(plan_id=plan_id, start_year=new_year, end_year=new_year, origin_id=p["id"])
        copy = store.create("priority", fields, visibility=p["visibility"])
        for c in store.list(
            "success_criterion", where="priority_id = ? AND status != 'met'", params=(p["id"],)
        ):
            store.create(
                "success_criterion",
                {
                    "priority_id": copy["id"],
                    "description": c["description"],
                    "baseline": c["actual"] if c["actual"] is not None else c["baseline"],
                    "target": c["target"],
                    "unit": c["unit"],
                    "status": "not_started",
                },
                visibility=c["visibility"],
            )
        for a in store.list(
            "action", where="priority_id = ? AND status != 'done'", params=(p["id"],)
        ):
            store.create(
                "action",
                {
                    "priority_id": copy["id"],
                    "description": a["description"],
                    "lead": a["lead"],
                    "status": "not_started",
                    "funding_source": a["funding_source"],
                },
                visibility=a["visibility"],
            )
        created.append(copy)
    return created
