"""Partnerships between schools and their joint activities (DESIGN §15, issue 13).

A `partnership` is the school's own record of a partnership it takes part in (a cluster, a
secondary and its feeder primaries, a federation, ...): its kind, the partner schools (picked from
the LA's list of schools, `la_school`, or typed), its purpose, the plan priorities it serves and a
self-assessed maturity on four steps. A `joint_activity` records something the partnership did:
dates, who took part, what changed. Both are records like any other: owned by the school,
read-only elsewhere, with a visibility the school chooses, and they travel to the LA like
priorities.

Every function here takes the worker's `RecordStore`; each save checks its input first and raises
a `ValidationError` (a field name and a message in the user's language) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from selfeval_app.core.errors import ValidationError
from selfeval_app.core.framework import normalise_establishment_number
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import MATURITY_STEPS as MATURITY_STEP_IDS
from selfeval_app.core.record_types import PARTNERSHIP_KINDS
from selfeval_app.core.records import Record, RecordStore

KIND_LABELS = {
    "cluster": N_("Cluster"),
    "vertical": N_("Vertical (across phases, e.g. a secondary and its feeder primaries)"),
    "horizontal": N_("Horizontal (schools of the same phase)"),
    "federation": N_("Federation"),
    "other": N_("Other partnership"),
}
KIND_SHORT = {
    "cluster": N_("Cluster"),
    "vertical": N_("Vertical"),
    "horizontal": N_("Horizontal"),
    "federation": N_("Federation"),
    "other": N_("Other"),
}


@dataclass(frozen=True)
class MaturityStep:
    id: str
    number: int  # 1..4
    label: str  # catalog message (N_)
    sentence: str  # catalog message (N_): what the step looks like

    def label_text(self) -> str:
        return _(self.label)

    def sentence_text(self) -> str:
        return _(self.sentence)


#: The four steps of a partnership's self-assessed maturity, in order (chosen for issue 13; see
#: docs/decisions/lacore.md). Each step says what working together looks like, not a grade.
MATURITY_STEPS: tuple[MaturityStep, ...] = (
    MaturityStep(
        "starting",
        1,
        N_("Starting"),
        N_("We have agreed to work together and are finding the aims we share."),
    ),
    MaturityStep(
        "developing",
        2,
        N_("Developing"),
        N_("We plan some work together and staff from each school take part."),
    ),
    MaturityStep(
        "established",
        3,
        N_("Established"),
        N_("We work together regularly on shared priorities and check what difference it makes."),
    ),
    MaturityStep(
        "embedded",
        4,
        N_("Embedded"),
        N_("Working together is part of how each school improves, and we can show its impact on learners."),
    ),
)
assert tuple(s.id for s in MATURITY_STEPS) == MATURITY_STEP_IDS
_STEPS = {s.id: s for s in MATURITY_STEPS}

ERR_KIND = N_("Choose the kind of partnership.")
ERR_NAME = N_("Give the partnership a name in Welsh or English (or both).")
ERR_PARTNER = N_("Each partner school needs a name or a school number.")
ERR_PARTNER_NUMBER = N_("A school number looks like NNN/NNNN, e.g. 669/2001.")
ERR_MATURITY = N_("Choose one of the four steps.")
ERR_DATE = N_("Write the date as YYYY-MM-DD, e.g. 2026-03-12.")
ERR_END_BEFORE_START = N_("The end date comes before the start date.")
ERR_TITLE = N_("Give the activity a title in Welsh or English (or both).")
ERR_START = N_("Give the date it started.")
ERR_PARTNERSHIP = N_("That partnership is not one of this school's.")


def maturity_step(step_id: str | None) -> MaturityStep | None:
    return _STEPS.get(step_id or "")


def kind_label(kind: str | None, *, short: bool = False) -> str:
    table = KIND_SHORT if short else KIND_LABELS
    return _(table[kind]) if kind in table else (kind or "")


def kind_choices() -> list[tuple[str, str]]:
    return [(k, kind_label(k)) for k in PARTNERSHIP_KINDS]


def maturity_choices() -> list[tuple[str, str, str]]:
    """(id, label, sentence) in the current language, in order."""
    return [(s.id, s.label_text(), s.sentence_text()) for s in MATURITY_STEPS]


# --- input ----------------------------------------------------------------------------------


def _pair(value: Any) -> dict[str, str]:
    if value is None:
        return {"cy": "", "en": ""}
    if isinstance(value, str):
        raise TypeError("bilingual text must be a {'cy', 'en'} mapping")
    return {lang: unicodedata.normalize("NFC", (value.get(lang) or "").strip()) for lang in ("cy", "en")}


def _date(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(field, ERR_DATE) from None


def normalise_partner(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One partner school as stored: {"number", "identity_id", "name": {"cy","en"}}; a number
    from the LA's list fills in the names when they are missing (done by `check_partners`)."""
    number = (entry.get("number") or "").strip()
    if number:
        norm = normalise_establishment_number(number)
        if norm is None:
            raise ValidationError("partners", ERR_PARTNER_NUMBER)
        number = norm
    name = entry.get("name")
    if isinstance(name, str):
        name = {"cy": name, "en": ""}
    pair = _pair(name)
    identity_id = (entry.get("identity_id") or "").strip()
    if not number and not identity_id and not (pair["cy"] or pair["en"]):
        raise ValidationError("partners", ERR_PARTNER)
    return {"number": number, "identity_id": identity_id, "name": pair}


def check_partners(store: RecordStore, partners: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    listed = la_school_names(store)
    for entry in partners:
        p = normalise_partner(entry)
        if p["number"] and not (p["name"]["cy"] or p["name"]["en"]) and p["number"] in listed:
            p["name"] = dict(listed[p["number"]])
        key = p["number"] or p["identity_id"] or (p["name"]["cy"] + "|" + p["name"]["en"]).casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def la_school_names(store: RecordStore) -> dict[str, dict[str, str]]:
    """The LA's list of schools held here (number -> names); empty when none was imported."""
    try:
        rows = store.conn.execute("SELECT number, name_cy, name_en FROM la_school").fetchall()
    except Exception:  # an older database without the table
        return {}
    return {r[0]: {"cy": r[1] or "", "en": r[2] or ""} for r in rows}


def _check_partnership(store: RecordStore, values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not partial or "kind" in values:
        if values.get("kind") not in PARTNERSHIP_KINDS:
            raise ValidationError("kind", ERR_KIND)
        out["kind"] = values["kind"]
    if not partial or "name" in values:
        name = _pair(values.get("name"))
        if not (name["cy"] or name["en"]):
            raise ValidationError("name", ERR_NAME)
        out["name"] = name
    if "partners" in values or not partial:
        out["partners"] = check_partners(store, values.get("partners") or ())
    for key in ("purpose", "maturity_note"):
        if key in values or not partial:
            out[key] = _pair(values.get(key))
    if "priority_ids" in values or not partial:
        out["priority_ids"] = list(dict.fromkeys(values.get("priority_ids") or ()))
    if "maturity" in values or not partial:
        m = values.get("maturity") or None
        if m is not None and m not in _STEPS:
            raise ValidationError("maturity", ERR_MATURITY)
        out["maturity"] = m
    for key in ("start_date", "end_date"):
        if key in values or not partial:
            out[key] = _date(values.get(key), key)
    return out


def _check_order(start: str | None, end: str | None) -> None:
    if start and end and end < start:
        raise ValidationError("end_date", ERR_END_BEFORE_START)


# --- partnerships ---------------------------------------------------------------------------


def create_partnership(
    store: RecordStore, values: Mapping[str, Any], *, visibility: str | None = None, as_identity: str | None = None
) -> Record:
    """values: kind, name {"cy","en"}, partners [...], purpose, priority_ids, maturity,
    maturity_note, start_date, end_date. Visibility None = the school's default for new records."""
    checked = _check_partnership(store, values, partial=False)
    _check_order(checked.get("start_date"), checked.get("end_date"))
    return store.create("partnership", checked, visibility=visibility, as_identity=as_identity)


def update_partnership(
    store: RecordStore, partnership_id: str, changes: Mapping[str, Any], *, base_rev: int | None = None
) -> Record:
    current = store.require("partnership", partnership_id)
    checked = _check_partnership(store, changes, partial=True)
    _check_order(checked.get("start_date", current.get("start_date")), checked.get("end_date", current.get("end_date")))
    visibility = changes.get("visibility")
    with store.transaction():
        rec = store.update("partnership", partnership_id, checked, base_rev=base_rev) if checked else current
        if visibility and visibility != rec["visibility"]:
            rec = store.set_visibility("partnership", partnership_id, visibility)
    return rec


def delete_partnership(store: RecordStore, partnership_id: str) -> int:
    """Delete a partnership and its joint activities (one transaction); returns how many records."""
    store.require("partnership", partnership_id)
    with store.transaction():
        n = 0
        for act in activities_of(store, partnership_id):
            store.delete("joint_activity", act["id"])
            n += 1
        store.delete("partnership", partnership_id)
    return n + 1


def partnerships(store: RecordStore, *, owner: str | None = None, lang: str = "cy") -> list[Record]:
    """One owner's partnerships (default: ours), in Welsh or English order."""
    order = "sort_cy" if lang == "cy" else "sort_en"
    return store.list("partnership", owners=owner or store.owner, order_by=f"{order}, id")


# --- joint activities -----------------------------------------------------------------------


def _check_activity(values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not partial or "title" in values:
        title = _pair(values.get("title"))
        if not (title["cy"] or title["en"]):
            raise ValidationError("title", ERR_TITLE)
        out["title"] = title
    if not partial or "start_date" in values:
        start = _date(values.get("start_date"), "start_date")
        if start is None:
            raise ValidationError("start_date", ERR_START)
        out["start_date"] = start
    if not partial or "end_date" in values:
        out["end_date"] = _date(values.get("end_date"), "end_date")
    for key in ("participants", "what_changed"):
        if key in values or not partial:
            out[key] = _pair(values.get(key))
    if "priority_ids" in values or not partial:
        out["priority_ids"] = list(dict.fromkeys(values.get("priority_ids") or ()))
    return out


def add_joint_activity(
    store: RecordStore, partnership_id: str, values: Mapping[str, Any], *, visibility: str | None = None
) -> Record:
    """values: title, start_date, end_date, participants, what_changed, priority_ids.
    Visibility None = the partnership's."""
    p = store.get("partnership", partnership_id)
    if p is None or not store.is_own(p):
        raise ValidationError("partnership_id", ERR_PARTNERSHIP)
    checked = _check_activity(values, partial=False)
    _check_order(checked["start_date"], checked["end_date"])
    checked["partnership_id"] = partnership_id
    return store.create("joint_activity", checked, visibility=visibility or p["visibility"], as_identity=p["owner"])


def update_joint_activity(
    store: RecordStore, activity_id: str, changes: Mapping[str, Any], *, base_rev: int | None = None
) -> Record:
    current = store.require("joint_activity", activity_id)
    checked = _check_activity(changes, partial=True)
    _check_order(checked.get("start_date", current.get("start_date")), checked.get("end_date", current.get("end_date")))
    visibility = changes.get("visibility")
    with store.transaction():
        rec = store.update("joint_activity", activity_id, checked, base_rev=base_rev) if checked else current
        if visibility and visibility != rec["visibility"]:
            rec = store.set_visibility("joint_activity", activity_id, visibility)
    return rec


def delete_joint_activity(store: RecordStore, activity_id: str) -> None:
    store.require("joint_activity", activity_id)
    store.delete("joint_activity", activity_id)


def activities_of(store: RecordStore, partnership_id: str) -> list[Record]:
    """A partnership's joint activities, newest first."""
    return store.list("joint_activity", where="partnership_id = ?", params=(partnership_id,), order_by="start_date DESC, id")
