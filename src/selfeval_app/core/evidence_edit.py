"""Editing evidence: checking what was entered, saving it, and the lists to link it to (areas,
evaluation statements, priorities), each named in the current language.

The evidence log (gui/evidence) calls `validate_evidence` for its inline messages and runs
`save_evidence` on the database worker; nothing is saved while a problem remains.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from selfeval_app.core import framework
from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.errors import ValidationError
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import EVIDENCE_KINDS, VISIBILITIES
from selfeval_app.core.records import Record, RecordStore

ERR_DATE = N_("Give the date the evidence was gathered.")
ERR_KIND = N_("Choose the kind of evidence.")
ERR_TITLE = N_("Give the evidence a title.")

STATEMENT_KINDS = {
    "strength": N_("Strength"),
    "development": N_("Area for development"),
    "next_step": N_("Next step"),
}


def _text(pair: dict | None) -> dict[str, str]:
    pair = pair or {}
    return {"cy": (pair.get("cy") or "").strip(), "en": (pair.get("en") or "").strip()}


def validate_evidence(values: dict) -> dict[str, str]:
    """Problems by field, as catalog messages (translate with `_()`); empty when it can be saved.

    `values` holds date (a date or None), kind, title and summary ({"cy", "en"}) and the links."""
    errors: dict[str, str] = {}
    if not isinstance(values.get("date"), dt.date):
        errors["date"] = ERR_DATE
    if values.get("kind") not in EVIDENCE_KINDS:
        errors["kind"] = ERR_KIND
    title = _text(values.get("title"))
    if not title["cy"] and not title["en"]:
        errors["title"] = ERR_TITLE
    return errors


def clean_values(values: dict) -> dict:
    """The record fields to store: texts trimmed, links without repeats."""
    return {
        "date": values.get("date"),
        "kind": values.get("kind"),
        "title": _text(values.get("title")),
        "summary": _text(values.get("summary")),
        "area_ids": list(dict.fromkeys(values.get("area_ids") or [])),
        "statement_ids": list(dict.fromkeys(values.get("statement_ids") or [])),
        "priority_ids": list(dict.fromkeys(values.get("priority_ids") or [])),
    }


def save_evidence(
    store: RecordStore,
    record_id: str | None,
    values: dict,
    *,
    visibility: str | None = None,
    base_rev: int | None = None,
) -> Record:
    """Create or update one evidence record; raises ValidationError (nothing saved) on bad input."""
    errors = validate_evidence(values)
    if errors:
        field = next(iter(errors))
        raise ValidationError(field, errors[field])
    if visibility is not None and visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    fields = clean_values(values)
    if record_id is None:
        return store.create("evidence", fields, visibility=visibility)
    return store.update_change("evidence", record_id, fields, base_rev=base_rev, visibility=visibility).record


# -- what evidence can be linked to -----------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: str
    label: str  # in the language asked for
    short: str = ""  # a short form for lists (area number or code)


def _pick(pair: dict | None, lang: str) -> str:
    pair = pair or {}
    other = "en" if lang == "cy" else "cy"
    return pair.get(lang) or pair.get(other) or ""


def area_choices(store: RecordStore, lang: str) -> list[Choice]:
    """Estyn's areas (in their order), then the school's own areas (alphabetical in `lang`)."""
    choices = [
        Choice(a.id, f"{a.number}. {a.title(lang)}", str(a.number)) for a in framework.current_framework().areas
    ]
    for rec in store.list("area", order_by=f"sort_{'cy' if lang == 'cy' else 'en'}"):
        title = _pick(rec["title"], lang)
        code = (rec.get("code") or "").strip()
        choices.append(Choice(rec["id"], f"{code} {title}".strip(), code or title))
    return choices


def statement_choices(store: RecordStore, year: int, lang: str, also: tuple[str, ...] = ()) -> list[Choice]:
    """The statements of the year's evaluations (and any in `also`, e.g. already linked ones from
    another year), labelled with their area and kind."""
    areas = {c.id: c for c in area_choices(store, lang)}
    wanted = set(also)
    choices: list[Choice] = []
    evaluations = store.list("evaluation", order_by="academic_year DESC, area_id")
    for ev in evaluations:
        this_year = ev.get("academic_year") == year
        for st in ev.get("statements") or []:
            if not isinstance(st, dict) or not st.get("id"):
                continue
            if not this_year and st["id"] not in wanted:
                continue
            area = areas.get(ev.get("area_id"))
            kind = _(STATEMENT_KINDS[st.get("kind")]) if st.get("kind") in STATEMENT_KINDS else ""
            text = _pick(st.get("text"), lang)
            label = "{area} · {kind}: {text}".format(
                area=area.short if area else "?",
                kind=kind,
                text=text,
            )
            choices.append(Choice(st["id"], label, area.short if area else ""))
    return choices


def priority_choices(store: RecordStore, lang: str) -> list[Choice]:
    return [
        Choice(rec["id"], _pick(rec["title"], lang))
        for rec in store.list("priority", order_by=f"position, sort_{'cy' if lang == 'cy' else 'en'}")
    ]


def year_of(day: dt.date | None, today: dt.date) -> int:
    return academic_year_of(day or today)
