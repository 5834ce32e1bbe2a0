"""Figures of the School Development Plan, computed from records: pure functions, no storage, no Qt.

Used by the governors' report and the SDP summary, and meant for the plan screens too, so a screen
and a report never disagree:

- `action_status`: an action's status for a given day, with the derived `due` (due within
  `DUE_WITHIN_DAYS` days) and `overdue` (due date passed, not done) of DESIGN §4;
- `criteria_counts`: success criteria by status;
- `money_by_source`: money planned (`cost_pence`) and committed (`committed_pence`, see
  docs/decisions.md) per funding source, in integer pence;
- `term_of`, `previous_term`, `priority_rags`, `trend`: RAG per priority now and last term;
- `changes_since`: what changed since a `report_issue` was issued.

Records are the dicts `RecordStore` returns (only the fields each function names are read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from selfeval_app.core.record_types import CRITERION_STATUSES, FUNDING_SOURCES, RAG, TERMS

DUE_WITHIN_DAYS = 14
UNSPECIFIED = "unspecified"  # funding source not given

# --- actions ---------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def action_status(action: Mapping[str, Any], today: dt.date) -> str:
    """`done`, `overdue`, `due`, or the stored status (`not_started`, `in_progress`, `blocked`).

    An action not done whose due date has passed is `overdue` (blocked ones too: governors need to
    see them); one due today or within `DUE_WITHIN_DAYS` days is `due`.
    """
    status = action.get("status") or "not_started"
    if status == "done":
        return "done"
    due = _date(action.get("due_date"))
    if due is not None:
        if due < today:
            return "overdue"
        if due <= today + dt.timedelta(days=DUE_WITHIN_DAYS):
            return "due"
    return status


def is_overdue(action: Mapping[str, Any], today: dt.date) -> bool:
    return action_status(action, today) == "overdue"


def days_overdue(action: Mapping[str, Any], today: dt.date) -> int:
    """Whole days since the due date (0 when not overdue)."""
    due = _date(action.get("due_date"))
    if due is None or not is_overdue(action, today):
        return 0
    return (today - due).days


def days_until_due(action: Mapping[str, Any], today: dt.date) -> int | None:
    """Whole days from today to the due date (0 = due today; None when no due date or done)."""
    due = _date(action.get("due_date"))
    if due is None or (action.get("status") or "") == "done":
        return None
    return (due - today).days


# --- success criteria ------------------------------------------------------------------------


def criteria_counts(criteria: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Success criteria by status: every status of the vocabulary is a key (0 when none)."""
    counts = dict.fromkeys(CRITERION_STATUSES, 0)
    for c in criteria:
        status = c.get("status") or "not_started"
        counts[status] = counts.get(status, 0) + 1
    return counts


# --- money -----------------------------------------------------------------------------------


@dataclass
class Money:
    planned_pence: int = 0
    committed_pence: int = 0

    @property
    def uncommitted_pence(self) -> int:
        return self.planned_pence - self.committed_pence


def money_by_source(actions: Iterable[Mapping[str, Any]]) -> dict[str, Money]:
    """Planned (`cost_pence`) and committed (`committed_pence`) money per funding source.

    Keys: the funding sources in vocabulary order, then `UNSPECIFIED` for actions with money but
    no source; only sources with some money appear. Add the values for a total (`total_money`).
    """
    by: dict[str, Money] = {}
    for a in actions:
        planned, committed = a.get("cost_pence") or 0, a.get("committed_pence") or 0
        if not planned and not committed:
            continue
        m = by.setdefault(a.get("funding_source") or UNSPECIFIED, Money())
        m.planned_pence += planned
        m.committed_pence += committed
    order = {s: i for i, s in enumerate((*FUNDING_SOURCES, UNSPECIFIED))}
    return dict(sorted(by.items(), key=lambda kv: order.get(kv[0], len(order))))


def total_money(by_source: Mapping[str, Money]) -> Money:
    return Money(
        sum(m.planned_pence for m in by_source.values()),
        sum(m.committed_pence for m in by_source.values()),
    )


# --- terms and RAG ---------------------------------------------------------------------------


def term_of(day: dt.date) -> tuple[int, str]:
    """(academic year, term) of a date: autumn September–December, spring January–March,
    summer April–August (the Easter holiday moves; reviews are dated by the school anyway)."""
    if day.month >= 9:
        return day.year, "autumn"
    if day.month <= 3:
        return day.year - 1, "spring"
    return day.year - 1, "summer"


def previous_term(year: int, term: str) -> tuple[int, str]:
    i = TERMS.index(term)
    return (year, TERMS[i - 1]) if i > 0 else (year - 1, TERMS[-1])


def next_term(year: int, term: str) -> tuple[int, str]:
    i = TERMS.index(term)
    return (year, TERMS[i + 1]) if i < len(TERMS) - 1 else (year + 1, TERMS[0])


def trend(now: str | None, last: str | None) -> str | None:
    """`better`, `same` or `worse` from last term's RAG to now (None if either is missing)."""
    if now not in RAG or last not in RAG:
        return None
    d = RAG.index(now) - RAG.index(last)
    return "better" if d > 0 else "worse" if d < 0 else "same"


@dataclass
class PriorityRag:
    priority_id: str
    now: str | None = None  # red | amber | green, or None: no review this term
    last: str | None = None  # the same for the previous term
    now_review: Mapping[str, Any] | None = None
    last_review: Mapping[str, Any] | None = None

    @property
    def trend(self) -> str | None:
        return trend(self.now, self.last)


def latest_reviews(reviews: Iterable[Mapping[str, Any]], year: int, term: str) -> dict[str, Mapping[str, Any]]:
    """The latest review (by date, then update time) of each priority in one term."""
    best: dict[str, Mapping[str, Any]] = {}
    for r in reviews:
        if r.get("academic_year") != year or r.get("term") != term:
            continue
        pid = r.get("priority_id")
        if not isinstance(pid, str):
            continue  # a review of no priority: no priority can show it
        key = (str(r.get("date") or ""), str(r.get("updated_at") or ""), str(r.get("id") or ""))
        cur = best.get(pid)
        if cur is None or key > (str(cur.get("date") or ""), str(cur.get("updated_at") or ""), str(cur.get("id") or "")):
            best[pid] = r
    return best


def priority_rags(
    priority_ids: Iterable[str], reviews: Iterable[Mapping[str, Any]], year: int, term: str
) -> dict[str, PriorityRag]:
    """RAG of each priority in a term and in the term before, from its latest review in each."""
    reviews = list(reviews)
    now = latest_reviews(reviews, year, term)
    last = latest_reviews(reviews, *previous_term(year, term))
    out = {}
    for pid in priority_ids:
        n, la = now.get(pid), last.get(pid)
        out[pid] = PriorityRag(pid, n.get("rag") if n else None, la.get("rag") if la else None, n, la)
    return out


def rag_counts(rags: Iterable[PriorityRag], *, last: bool = False) -> dict[str | None, int]:
    counts: dict[str | None, int] = {**dict.fromkeys(RAG, 0), None: 0}
    for r in rags:
        counts[r.last if last else r.now] += 1
    return counts


# --- what changed since a report -------------------------------------------------------------


@dataclass(frozen=True)
class CurrentRecord:
    """What `changes_since` needs of a record as it is now."""

    type: str
    id: str
    rev: int
    created_at: str  # UTC ISO-8601, "2026-11-23T19:45:00Z"
    deleted: bool = False


@dataclass
class ChangeSet:
    issued_on: dt.date | None
    changed: list[tuple[str, str, int, int]] = field(default_factory=list)  # type, id, old, new rev
    new: list[tuple[str, str]] = field(default_factory=list)  # type, id
    removed: list[tuple[str, str]] = field(default_factory=list)  # deleted or gone since

    def counts_by_type(self) -> dict[str, tuple[int, int, int]]:
        """type -> (new, changed, removed)."""
        out: dict[str, list[int]] = {}
        for t, _id in self.new:
            out.setdefault(t, [0, 0, 0])[0] += 1
        for t, _id, _a, _b in self.changed:
            out.setdefault(t, [0, 0, 0])[1] += 1
        for t, _id in self.removed:
            out.setdefault(t, [0, 0, 0])[2] += 1
        return {t: (v[0], v[1], v[2]) for t, v in out.items()}

    def is_empty(self) -> bool:
        return not (self.changed or self.new or self.removed)


def _local_day(timestamp: str) -> dt.date | None:
    from selfeval_app.core.clock import LONDON

    try:
        when = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(LONDON).date()


def changes_since(issue: Mapping[str, Any], current: Iterable[CurrentRecord]) -> ChangeSet:
    """What changed since a report was issued.

    - changed: records the report drew on (`issue["sources"]`) whose rev is now higher;
    - removed: records it drew on that are now deleted or gone;
    - new: records it did not draw on that were created after the day of issue (Europe/London),
      except other `report_issue` records.
    """
    issued_on = _date(issue.get("issued_on"))
    sources = {s["id"]: s for s in issue.get("sources") or [] if isinstance(s, Mapping) and "id" in s}
    result = ChangeSet(issued_on)
    seen: set[str] = set()
    for rec in current:
        src = sources.get(rec.id)
        if src is not None:
            seen.add(rec.id)
            if rec.deleted:
                result.removed.append((rec.type, rec.id))
            elif rec.rev > int(src.get("rev") or 0):
                result.changed.append((rec.type, rec.id, int(src.get("rev") or 0), rec.rev))
            continue
        if rec.deleted or rec.type == "report_issue":
            continue
        day = _local_day(rec.created_at)
        if issued_on is None or (day is not None and day > issued_on):
            result.new.append((rec.type, rec.id))
    for sid, src in sources.items():
        if sid not in seen:
            result.removed.append((str(src.get("type")), sid))
    return result
