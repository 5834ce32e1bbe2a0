"""What needs the school's attention now: the figures of the School home page, from one function.

`what_needs_attention(store, today)` gathers, for the academic year and term of `today`:

- actions that are overdue, and those due within `plan_figures.DUE_WITHIN_DAYS` days (the rule is
  `plan_figures.action_status`, the one the glance page and the reports use);
- priorities running this year (`plan_edit.priorities_in_year`) with no progress review in this
  term yet (`plan_figures.latest_reviews`);
- this year's evaluation statements that no evidence backs (`evidence_queries.coverage`);
- what is waiting to be shared with peers or the local authority: an empty slot until exchange
  (DESIGN §11) lands; the home page shows the section only when it holds something;
- our peer review visits whose follow-up date is near or past (`peer_review_host.follow_ups`,
  the rule "This term at a glance" uses too).

No Qt and no language here: items carry the records' bilingual texts; the page words them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from selfeval_app.core import plan_figures as pf
from selfeval_app.core.evidence_queries import coverage
from selfeval_app.core.owner_sql import and_owner
from selfeval_app.core.peer_review_host import FollowUp, follow_ups
from selfeval_app.core.plan_years import priorities_in_year
from selfeval_app.core.records import RecordStore


@dataclass(frozen=True)
class ActionItem:
    """An action that is overdue (`days` late) or due soon (due in `days`; 0 = today)."""

    action_id: str
    description: Mapping[str, str]
    priority_title: Mapping[str, str]
    due_date: str
    days: int


@dataclass(frozen=True)
class ReviewDue:
    """A priority running this year with no progress review in this term yet."""

    priority_id: str
    title: Mapping[str, str]


@dataclass(frozen=True)
class StatementItem:
    """An evaluation statement of this year that no evidence backs yet."""

    evaluation_id: str
    area_id: str
    statement_id: str
    kind: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class ShareItem:
    """A record waiting to be shared (filled by exchange, DESIGN §11)."""

    record_type: str
    record_id: str
    title: Mapping[str, str]


@dataclass
class Attention:
    today: dt.date
    year: int  # the academic year, by its first calendar year
    term: str  # autumn | spring | summer
    overdue: list[ActionItem] = field(default_factory=list)
    due_soon: list[ActionItem] = field(default_factory=list)
    reviews_due: list[ReviewDue] = field(default_factory=list)
    statements_without_evidence: list[StatementItem] = field(default_factory=list)
    waiting_to_share: list[ShareItem] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    has_plan: bool = False
    has_evaluations: bool = False

    def is_empty(self) -> bool:
        return not (
            self.overdue or self.due_soon or self.reviews_due or self.statements_without_evidence or self.waiting_to_share or self.follow_ups
        )


def _text(value: Any) -> Mapping[str, str]:
    return value if isinstance(value, Mapping) else {}


def what_needs_attention(store: RecordStore, today: dt.date) -> Attention:
    """Everything the School home lists for `today`, in the order each section shows it."""
    year, term = pf.term_of(today)
    result = Attention(today=today, year=year, term=term)

    mine, params = and_owner(store, "plan")
    result.has_plan = bool(store.conn.execute('SELECT 1 FROM "plan" WHERE deleted = 0' + mine + " LIMIT 1", params).fetchone())
    priorities = priorities_in_year(store.list("priority", order_by="position, created_at"), year)
    titles = {p["id"]: _text(p.get("title")) for p in priorities}
    ids = list(titles)
    if ids:
        marks = ",".join("?" * len(ids))
        actions = store.list("action", where=f"priority_id IN ({marks})", params=ids, order_by="due_date IS NULL, due_date, created_at")
        for a in actions:
            status = pf.action_status(a, today)
            if status == "overdue":
                days = pf.days_overdue(a, today)
            elif status == "due":
                days = pf.days_until_due(a, today) or 0
            else:
                continue
            item = ActionItem(a["id"], _text(a.get("description")), titles.get(a["priority_id"], {}), a["due_date"], days)
            (result.overdue if status == "overdue" else result.due_soon).append(item)
        reviews = store.list("progress_review", where=f"academic_year = ? AND term = ? AND priority_id IN ({marks})", params=(year, term, *ids))
        reviewed = pf.latest_reviews(reviews, year, term)
        result.reviews_due = [ReviewDue(pid, titles[pid]) for pid in ids if pid not in reviewed]

    result.follow_ups = follow_ups(store, today)
    evaluations = store.list("evaluation", where="academic_year = ?", params=(year,))
    result.has_evaluations = bool(evaluations)
    if evaluations:
        unbacked = {sid for cov in coverage(store, year).values() for sid in cov.statements_without_evidence}
        for ev in evaluations:
            for s in ev.get("statements") or []:
                if s.get("id") in unbacked:
                    result.statements_without_evidence.append(
                        StatementItem(ev["id"], ev["area_id"], s["id"], s.get("kind") or "", _text(s.get("text")))
                    )
    return result
