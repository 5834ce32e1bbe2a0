"""Checking and saving what a person types into the School Development Plan screens.

Every save goes through a `check_*` function first: it turns the form's raw input (texts as typed,
dates, years) into record values and collects every problem by field, as `ValidationError`s whose
message is shown under the field in the current language. `save_*` functions run on the database
worker: they check again and raise the first problem before anything is written, and a save of
several records (reordering, the year end) is one transaction, so nothing is ever saved half-way.

Also here: figures the screens need that `plan_figures` does not give (priorities running in a
year, small cohorts of an indicator that may leave the laptop).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from selfeval_app.core.errors import ValidationError
from selfeval_app.core.i18n import N_
from selfeval_app.core.record_types import (
    ACTION_STATUSES,
    CRITERION_STATUSES,
    FUNDING_SOURCES,
    RAG,
    TERMS,
    VISIBILITIES,
)
from selfeval_app.core.records import RecordStore
from selfeval_app.core.year_transitions import OUTCOMES, record_year_end, roll_over_priorities

#: A gentle note (never a block) when more priorities than this run in one year.
PRIORITY_GUIDE = 5
#: Soft guide for the length of one text, in characters (shown as a count; never enforced).
TEXT_GUIDE = 600
#: Smallest group whose figures may leave the laptop without a flag.
SMALL_COHORT = 5

ERR_TEXT_REQUIRED = N_("Write this in Welsh or English (or both).")
ERR_YEAR_REQUIRED = N_("Give the first academic year of the plan.")
ERR_DATE_REQUIRED = N_("Give the date.")
ERR_END_BEFORE_START = N_("The last year comes before the first year.")
ERR_DUE_BEFORE_START = N_("The due date comes before the start date.")
ERR_OUTSIDE_PLAN = N_("The plan covers %(first)s to %(last)s: choose years within it.")
ERR_MONEY = N_("Write an amount in pounds, e.g. 1,250 or £1,250.50.")
ERR_MONEY_NEGATIVE = N_("An amount of money cannot be negative.")
ERR_MONEY_PENNIES = N_("Give at most two figures after the decimal point (pence).")
ERR_NUMBER = N_("Write a number, e.g. 95 or 12.5.")
ERR_NUMBER_UNIT = N_("Write a number: the unit is %(unit)s.")
ERR_WHOLE_NUMBER = N_("Write a whole number of pupils, e.g. 28.")
ERR_PERIOD = N_("Name the period of each value, e.g. 2025–26 autumn.")
ERR_VALUE_REQUIRED = N_("Each period needs a value.")
ERR_REVISION_DATE = N_("Each revision needs a date.")


class Problems(dict):
    """Problems by field name: {field: ValidationError}. Empty when the input can be saved."""

    def add(self, field_name: str, message_id: str, **params) -> None:
        self.setdefault(field_name, ValidationError(field_name, message_id, **params))

    def raise_first(self) -> None:
        if self:
            raise next(iter(self.values()))


@dataclass
class Checked:
    values: dict[str, Any] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- parsing ---------------------------------------------------------------------------------

_MONEY = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$")


def parse_money(text: str | None, field_name: str = "cost") -> int | None:
    """Pounds as typed ("£1,250.50", "1250", "£0.99") -> pence; None when empty."""
    s = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    negative = s.startswith("-") or s.startswith("−") or s.startswith("£-") or s.startswith("-£")
    s = s.lstrip("-−").lstrip("£").lstrip("-−")
    m = _MONEY.match(s)
    if not m:
        raise ValidationError(field_name, ERR_MONEY)
    if negative:
        raise ValidationError(field_name, ERR_MONEY_NEGATIVE)
    pennies = m.group(1) or ""
    if len(pennies) > 2:
        raise ValidationError(field_name, ERR_MONEY_PENNIES)
    whole = int(s.split(".", 1)[0].replace(",", ""))
    return whole * 100 + int((pennies + "00")[:2])


def money_input(pence: int | None) -> str:
    """Pence as an editable amount in pounds: 125050 -> "1250.50" (no symbol, no separators)."""
    if pence is None:
        return ""
    return f"{pence // 100}" if pence % 100 == 0 else f"{pence // 100}.{pence % 100:02d}"


def parse_number(text: str | None, field_name: str, unit: str = "") -> float | None:
    """A measure as typed ("95", "12.5", "95%") -> float; None when empty."""
    s = (text or "").strip().replace("\u00a0", " ")
    if not s:
        return None
    if unit and s.endswith(unit.strip()) and unit.strip():
        s = s[: -len(unit.strip())].strip()
    s = s.rstrip("%").strip().replace(",", "")
    try:
        value = float(s)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", s):
        if unit.strip():
            raise ValidationError(field_name, ERR_NUMBER_UNIT, unit=unit.strip())
        raise ValidationError(field_name, ERR_NUMBER)
    return value


def number_input(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _text(pair: Mapping[str, str] | None) -> dict[str, str]:
    pair = pair or {}
    return {lang: (pair.get(lang) or "").strip() for lang in ("cy", "en") if lang in pair}


def _has_text(pair: Mapping[str, str]) -> bool:
    return any((v or "").strip() for v in pair.values())


def _date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value)).isoformat()


def _bitexts(raw: Mapping[str, Any], names: Iterable[str]) -> dict[str, dict[str, str]]:
    return {n: _text(raw.get(n)) for n in names if n in raw}


# --- checks ----------------------------------------------------------------------------------


def check_plan(raw: Mapping[str, Any]) -> Checked:
    out = Checked()
    out.values.update(_bitexts(raw, ("title", "strategy", "targets_review")))
    if "title" in raw and not _has_text(out.values["title"]):
        out.problems.add("title", ERR_TEXT_REQUIRED)
    year = raw.get("start_year")
    if not isinstance(year, int) or isinstance(year, bool):
        out.problems.add("start_year", ERR_YEAR_REQUIRED)
    out.values["start_year"] = year
    out.values["approved_on"] = _date(raw.get("approved_on"))
    revisions = []
    for rev in raw.get("revisions") or []:
        note = _text(rev.get("note"))
        if not rev.get("date"):
            if _has_text(note):
                out.problems.add("revisions", ERR_REVISION_DATE)
            continue
        revisions.append({"date": _date(rev["date"]), "note": {"cy": note.get("cy", ""), "en": note.get("en", "")}})
    out.values["revisions"] = sorted(revisions, key=lambda r: r["date"])
    return out


def plan_years(plan: Mapping[str, Any] | None) -> tuple[int, int] | None:
    """First and last academic year of a plan (three years from `start_year`)."""
    if not plan or plan.get("start_year") is None:
        return None
    return plan["start_year"], plan["start_year"] + 2


def check_priority(raw: Mapping[str, Any], plan: Mapping[str, Any] | None = None) -> Checked:
    out = Checked()
    texts = ("title", "rationale", "expected_outcomes", "strategy", "professional_learning", "community_work", "resources")
    out.values.update(_bitexts(raw, texts))
    if not _has_text(out.values.get("title") or {}):
        out.problems.add("title", ERR_TEXT_REQUIRED)
    for name in ("area_ids", "statement_ids", "evidence_ids", "national_priority_ids"):
        if name in raw:
            out.values[name] = list(raw[name] or [])
    out.values["lead"] = (raw.get("lead") or "").strip()
    start, end = raw.get("start_year"), raw.get("end_year")
    out.values["start_year"], out.values["end_year"] = start, end
    if start is not None and end is not None and end < start:
        out.problems.add("end_year", ERR_END_BEFORE_START)
    years = plan_years(plan)
    if years:
        for name, year in (("start_year", start), ("end_year", end)):
            if year is not None and not years[0] <= year <= years[1]:
                out.problems.add(name, ERR_OUTSIDE_PLAN, first=year_label(years[0]), last=year_label(years[1]))
    return out


def check_criterion(raw: Mapping[str, Any]) -> Checked:
    out = Checked()
    out.values["description"] = _text(raw.get("description"))
    if not _has_text(out.values["description"]):
        out.problems.add("description", ERR_TEXT_REQUIRED)
    unit = (raw.get("unit") or "").strip()
    out.values["unit"] = unit
    for name in ("baseline", "target", "actual"):
        try:
            out.values[name] = parse_number(raw.get(name), name, unit)
        except ValidationError as e:
            out.problems[name] = e
    status = raw.get("status") or "not_started"
    if status not in CRITERION_STATUSES:
        raise ValueError(f"unknown criterion status {status!r}")
    out.values["status"] = status
    return out


def check_action(raw: Mapping[str, Any]) -> Checked:
    out = Checked()
    out.values["description"] = _text(raw.get("description"))
    if not _has_text(out.values["description"]):
        out.problems.add("description", ERR_TEXT_REQUIRED)
    out.values["lead"] = (raw.get("lead") or "").strip()
    start, due = _date(raw.get("start_date")), _date(raw.get("due_date"))
    out.values["start_date"], out.values["due_date"] = start, due
    if start and due and due < start:
        out.problems.add("due_date", ERR_DUE_BEFORE_START)
    for name, key in (("cost", "cost_pence"), ("committed", "committed_pence")):
        try:
            out.values[key] = parse_money(raw.get(name), name)
        except ValidationError as e:
            out.problems[name] = e
    status = raw.get("status") or "not_started"
    if status not in ACTION_STATUSES:
        raise ValueError(f"unknown action status {status!r}")
    source = raw.get("funding_source") or None
    if source is not None and source not in FUNDING_SOURCES:
        raise ValueError(f"unknown funding source {source!r}")
    out.values["status"], out.values["funding_source"] = status, source
    return out


def check_review(raw: Mapping[str, Any]) -> Checked:
    out = Checked()
    day = _date(raw.get("date"))
    if not day:
        out.problems.add("date", ERR_DATE_REQUIRED)
    out.values["date"] = day
    out.values["academic_year"] = raw.get("academic_year")
    term, rag = raw.get("term"), raw.get("rag")
    if term not in TERMS or rag not in RAG:
        raise ValueError(f"term {term!r} and rag {rag!r} must come from the vocabulary")
    out.values["term"], out.values["rag"] = term, rag
    out.values["commentary"] = _text(raw.get("commentary"))
    out.values["evidence_ids"] = list(raw.get("evidence_ids") or [])
    return out


TERM_WORDS = {"autumn": "autumn", "hydref": "autumn", "spring": "spring", "gwanwyn": "spring", "summer": "summer", "haf": "summer"}
_PERIOD = re.compile(r"^(\d{4})\s*[-–]\s*(\d{2})\s+(?:tymor\s+(?:yr?\s+)?)?(\w+)(?:\s+term)?$", re.IGNORECASE)


def normalise_period(text: str) -> str:
    """"2025–26 hydref", "2025-26 Autumn term" -> "2025-26 autumn" (the stored form); other
    periods (e.g. "2025", "Summer 2025 (Y6)") are kept as typed."""
    m = _PERIOD.match(text.strip())
    if m and m.group(3).lower() in TERM_WORDS:
        return f"{m.group(1)}-{m.group(2)} {TERM_WORDS[m.group(3).lower()]}"
    return text.strip()


def period_input(period: str, lang: str) -> str:
    """A stored period as typed in `lang`: "2025-26 autumn" -> "2025-26 hydref" in Welsh."""
    welsh = {"autumn": "hydref", "spring": "gwanwyn", "summer": "haf"}
    parts = (period or "").split()
    if lang == "cy" and len(parts) == 2 and parts[1] in welsh:
        return f"{parts[0]} {welsh[parts[1]]}"
    return period or ""


def check_indicator(raw: Mapping[str, Any]) -> Checked:
    out = Checked()
    out.values.update(_bitexts(raw, ("title", "description")))
    if not _has_text(out.values.get("title") or {}):
        out.problems.add("title", ERR_TEXT_REQUIRED)
    unit = (raw.get("unit") or "").strip()
    out.values["unit"] = unit
    out.values["transition_point"] = (raw.get("transition_point") or "").strip() or None
    values = []
    for row in raw.get("values") or []:
        period = normalise_period(row.get("period") or "")
        value_text = (row.get("value") or "").strip() if isinstance(row.get("value"), str) else row.get("value")
        cohort_text = row.get("cohort")
        if not period and value_text in (None, "") and cohort_text in (None, ""):
            continue  # an empty row
        if not period:
            out.problems.add("values", ERR_PERIOD)
        value = None
        try:
            value = value_text if isinstance(value_text, (int, float)) else parse_number(value_text, "values", unit)
        except ValidationError as e:
            out.problems.setdefault("values", e)
        if value is None:
            out.problems.add("values", ERR_VALUE_REQUIRED)
        cohort = None
        if isinstance(cohort_text, int):
            cohort = cohort_text
        elif (cohort_text or "").strip():
            if not re.fullmatch(r"\d+", cohort_text.strip()):
                out.problems.add("values", ERR_WHOLE_NUMBER)
            else:
                cohort = int(cohort_text.strip())
        entry: dict[str, Any] = {"period": period, "value": value}
        if cohort is not None:
            entry["cohort"] = cohort
        values.append(entry)
    out.values["values"] = values
    for name in ("priority_ids", "area_ids"):
        out.values[name] = list(raw.get(name) or [])
    out.visibility = _visibility(raw)  # type: ignore[attr-defined]
    return out


def year_label(year: int) -> str:
    """2025 -> '2025–26' (the same in both languages)."""
    return f"{year}–{(year + 1) % 100:02d}"


# --- derived figures -------------------------------------------------------------------------


def runs_in(priority: Mapping[str, Any], year: int) -> bool:
    start = priority.get("start_year")
    end = priority.get("end_year") if priority.get("end_year") is not None else start
    if start is None:
        return True  # no years given: it runs for the whole plan
    return start <= year <= end


def priorities_in_year(priorities: Iterable[Mapping[str, Any]], year: int) -> list[Mapping[str, Any]]:
    return [p for p in priorities if runs_in(p, year)]


def busy_years(priorities: Iterable[Mapping[str, Any]], years: Iterable[int]) -> dict[int, int]:
    """Years with more than `PRIORITY_GUIDE` priorities running: {year: count} (a note, not a rule)."""
    priorities = list(priorities)
    out = {}
    for y in years:
        n = len(priorities_in_year(priorities, y))
        if n > PRIORITY_GUIDE:
            out[y] = n
    return out


def leaves_laptop(visibility: str | None) -> bool:
    return visibility in ("peers", "la")


def small_cohorts(indicator: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Values whose cohort is under `SMALL_COHORT`, when the indicator may leave the laptop."""
    if not leaves_laptop(indicator.get("visibility")):
        return []
    return [v for v in indicator.get("values") or [] if v.get("cohort") is not None and v["cohort"] < SMALL_COHORT]


# --- saving (on the database worker) -----------------------------------------------------------


def _visibility(raw: Mapping[str, Any]) -> str | None:
    """The visibility the editor chose (None: unchanged, or the school's default when new)."""
    visibility = raw.get("visibility") or None
    if visibility is not None and visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    return visibility


def _save(store: RecordStore, type_name: str, record_id: str | None, values: dict, *, base_rev=None, visibility=None) -> dict:
    if record_id is None:
        return store.create(type_name, values, visibility=visibility)  # None: the school's default
    if visibility is not None:
        return store.update_change(type_name, record_id, values, base_rev=base_rev, visibility=visibility).record
    return store.update(type_name, record_id, values, base_rev=base_rev)


def save_plan(store: RecordStore, record_id: str | None, raw: Mapping[str, Any], base_rev: int | None = None) -> dict:
    checked = check_plan(raw)
    checked.problems.raise_first()
    return _save(store, "plan", record_id, checked.values, base_rev=base_rev, visibility=_visibility(raw))


def save_priority(store: RecordStore, plan_id: str, record_id: str | None, raw: Mapping[str, Any], base_rev: int | None = None) -> dict:
    plan = store.require("plan", plan_id)
    checked = check_priority(raw, plan)
    checked.problems.raise_first()
    values = dict(checked.values, plan_id=plan_id)
    if record_id is None:
        positions = [p["position"] or 0 for p in store.list("priority", where="plan_id = ?", params=(plan_id,))]
        values["position"] = max(positions, default=0) + 1
    return _save(store, "priority", record_id, values, base_rev=base_rev, visibility=_visibility(raw))


def save_criterion(store: RecordStore, priority_id: str, record_id: str | None, raw: Mapping[str, Any], base_rev: int | None = None) -> dict:
    checked = check_criterion(raw)
    checked.problems.raise_first()
    return _save(store, "success_criterion", record_id, dict(checked.values, priority_id=priority_id), base_rev=base_rev, visibility=_visibility(raw))


def save_action(store: RecordStore, priority_id: str, record_id: str | None, raw: Mapping[str, Any], base_rev: int | None = None) -> dict:
    checked = check_action(raw)
    checked.problems.raise_first()
    return _save(store, "action", record_id, dict(checked.values, priority_id=priority_id), base_rev=base_rev, visibility=_visibility(raw))


def save_review(store: RecordStore, priority_id: str, record_id: str | None, raw: Mapping[str, Any], base_rev: int | None = None) -> dict:
    checked = check_review(raw)
    checked.problems.raise_first()
    return _save(store, "progress_review", record_id, dict(checked.values, priority_id=priority_id), base_rev=base_rev, visibility=_visibility(raw))


def save_indicator(store: RecordStore, record_id: str | None, raw: Mapping[str, Any], base_rev: int | None = None) -> dict:
    checked = check_indicator(raw)
    checked.problems.raise_first()
    return _save(store, "indicator", record_id, checked.values, base_rev=base_rev, visibility=checked.visibility)  # type: ignore[attr-defined]


def reorder_priorities(store: RecordStore, ordered_ids: list[str]) -> None:
    """Give the priorities positions 1, 2, ... in this order, in one transaction."""
    with store.transaction():
        for position, pid in enumerate(ordered_ids, start=1):
            store.update("priority", pid, {"position": position})


def finish_year(
    store: RecordStore,
    plan_id: str,
    year: int,
    outcomes: Mapping[str, tuple[str, Mapping[str, str]]],
    *,
    roll_over: bool = False,
) -> list[dict]:
    """Record each priority's outcome for `year` ({priority_id: (met|partly|not_met, why_not)})
    and, with `roll_over`, start `year + 1` from the open ones; all in one transaction. Returns
    the new priorities."""
    for outcome, _why in outcomes.values():
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
    with store.transaction():
        for pid, (outcome, why_not) in outcomes.items():
            record_year_end(store, pid, year, outcome, dict(why_not or {}))
        return roll_over_priorities(store, plan_id, year) if roll_over else []


# --- deleting and undoing (on the database worker) ---------------------------------------------

#: What a priority takes with it when it is deleted.
PRIORITY_PARTS = ("success_criterion", "action", "progress_review")
#: The plan records a person may delete from the plan screens.
DELETABLE = ("priority", *PRIORITY_PARTS, "indicator")


@dataclass(frozen=True)
class DeleteImpact:
    """What deleting a record touches, for the confirmation: a priority's parts that go with it,
    later priorities carried forward from it (they stay) and issued reports that drew on it."""

    criteria: int = 0
    actions: int = 0
    reviews: int = 0
    copies: int = 0
    reports: int = 0


def _parts(store: RecordStore, priority_id: str) -> dict[str, list[dict]]:
    return {t: store.list(t, where="priority_id = ?", params=(priority_id,), order_by="created_at, id") for t in PRIORITY_PARTS}


def delete_impact(store: RecordStore, type_name: str, record_id: str) -> DeleteImpact:
    """Read-only: what `delete_plan_item` would take with it and who points to the record."""
    reports = sum(
        1
        for issue in store.list("report_issue")
        if any(isinstance(s, Mapping) and s.get("id") == record_id for s in issue.get("sources") or [])
    )
    if type_name != "priority":
        return DeleteImpact(reports=reports)
    parts = _parts(store, record_id)
    copies = len(store.list("priority", where="origin_id = ?", params=(record_id,)))
    return DeleteImpact(
        criteria=len(parts["success_criterion"]),
        actions=len(parts["action"]),
        reviews=len(parts["progress_review"]),
        copies=copies,
        reports=reports,
    )


def delete_plan_item(store: RecordStore, type_name: str, record_id: str) -> list[tuple[str, str]]:
    """Delete (tombstone) a plan record in one transaction; a priority takes its success criteria,
    actions and progress reviews with it. Records that point to it (a later year's copy, an issued
    report, linked evidence or indicators) are left as they are: tombstones keep the history.
    Returns exactly what was deleted, as (type, id), for `undo_delete`."""
    if type_name not in DELETABLE:
        raise ValueError(f"not a deletable plan record: {type_name!r}")
    removed: list[tuple[str, str]] = []
    with store.transaction():
        store.require(type_name, record_id)  # gone already: RecordNotFoundError, nothing written
        if type_name == "priority":
            for part, records in _parts(store, record_id).items():
                for rec in records:
                    store.delete(part, rec["id"])
                    removed.append((part, rec["id"]))
        store.delete(type_name, record_id)
        removed.append((type_name, record_id))
    return removed


def undo_delete(store: RecordStore, removed: Iterable[tuple[str, str]]) -> None:
    """Bring back exactly what one `delete_plan_item` removed, in one transaction (all or none)."""
    items = list(removed)
    with store.transaction():
        for type_name, record_id in reversed(items):  # the priority first, then its parts
            store.undelete(type_name, record_id)
