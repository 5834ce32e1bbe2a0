"""The host's side of a peer review visit (issue 12): preparing the visit, choosing what the
reviewers may see, acting on the findings, the follow-up date, and what the LA may know.

No Qt here. Checks raise `VisitInputError` (a `ValidationError`: the field and a catalog
message) so the GUI and the command line word them in the user's language.

What the LA sees (DESIGN §14: "by default the LA sees only that a visit happened"): the visit
itself never goes to an LA (it holds the questions' text, the team's names and what the host
chose for the reviewers). Every save of a visit keeps one host-owned `review_summary` beside it,
visibility `la`: dates, kind, partner schools, the questions' areas, status. The agreed findings
(the host's `review_report` copy) and the host's responses go to the LA only when the visit's
`share_findings` is on: they are then visibility `la`, otherwise `private` (turning it off again
withdraws them from the LA through the share ledger, as for any record made private).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from selfeval_app.core import peer_review
from selfeval_app.core import record_types as rt
from selfeval_app.core.errors import ValidationError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import Record, RecordStore
from selfeval_app.core.text import nfc

# How far ahead "This term at a glance" and the School home show a visit's follow-up date.
FOLLOW_UP_WITHIN_DAYS = 28
# Types a host may choose for a visit beyond those already shared (the shareable ones).
CHOOSABLE_TYPES = rt.SHAREABLE_TYPES


class VisitInputError(ValidationError):
    """A visit (or an action made from a finding) that cannot be saved as given, by field;
    nothing was changed. `field` names the field, the message says why."""


NEED_START = N_("Give the first day of the visit.")
BAD_DATE = N_("%(date)s is not a date: write it as YYYY-MM-DD.")
END_BEFORE_START = N_("The last day of the visit comes before the first.")
BAD_KIND = N_("Choose the kind of visit.")
NEED_QUESTION_TEXT = N_("Question %(number)d has no text in either language.")
BAD_ROLE = N_("Choose a role for each member of the team.")
NEED_NAME = N_("Each member of the team needs a name.")
ONE_LEAD = N_("A visit has at most one lead reviewer.")
REVIEWER_NEEDS_CONTACT = N_("%(name)s is a reviewer but not one of the school's trusted reviewer contacts.")
FOLLOW_UP_BEFORE = N_("The follow-up date comes before the visit.")
BAD_STATUS = N_("That is not a step of a visit.")
NEED_DESCRIPTION = N_("The action needs a description in Welsh or English (or both).")
NEED_PRIORITY = N_("Choose a priority, or name a new one.")


def _date(field_name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise VisitInputError(field_name, BAD_DATE, date=str(value)) from None


def _pair(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {lang: nfc(str(value.get(lang) or "")).strip() for lang in rt.LANGS}
    return {"cy": "", "en": ""}


def _ids(values: Any) -> list[str]:
    return [str(v) for v in (values or []) if v]


def check_visit(raw: Mapping[str, Any], *, reviewer_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The visit's values as they will be saved, or `VisitInputError` for the first problem.
    `reviewer_ids`: the identities of trusted contacts of role reviewer (None: not checked)."""
    start = _date("start_date", raw.get("start_date"))
    if start is None:
        raise VisitInputError("start_date", NEED_START)
    end = _date("end_date", raw.get("end_date"))
    if end is not None and end < start:
        raise VisitInputError("end_date", END_BEFORE_START)
    kind = raw.get("kind")
    if kind not in rt.VISIT_KINDS:
        raise VisitInputError("kind", BAD_KIND)
    questions = []
    for number, q in enumerate(raw.get("questions") or [], start=1):
        text = _pair(q.get("text"))
        if not (text["cy"] or text["en"]):
            raise VisitInputError("questions", NEED_QUESTION_TEXT, number=number)
        questions.append(
            {
                "id": str(q.get("id") or uuid.uuid4()),
                "text": text,
                "area_ids": _ids(q.get("area_ids")),
                "statement_ids": _ids(q.get("statement_ids")),
                "priority_ids": _ids(q.get("priority_ids")),
            }
        )
    team = []
    allowed = set(reviewer_ids) if reviewer_ids is not None else None
    for m in raw.get("team") or []:
        name = nfc(str(m.get("name") or "")).strip()
        role = m.get("role")
        if role not in rt.VISIT_ROLES:
            raise VisitInputError("team", BAD_ROLE)
        if not name:
            raise VisitInputError("team", NEED_NAME)
        identity = str(m.get("identity_id") or "")
        if role in ("lead", "reviewer") and allowed is not None and identity not in allowed:
            raise VisitInputError("team", REVIEWER_NEEDS_CONTACT, name=name)
        member: dict[str, Any] = {"identity_id": identity if role != "link_leader" else "", "name": name, "role": role}
        school = _pair(m.get("school"))
        if school["cy"] or school["en"]:
            member["school"] = school
        team.append(member)
    if sum(1 for m in team if m["role"] == "lead") > 1:
        raise VisitInputError("team", ONE_LEAD)
    follow_up = _date("follow_up", raw.get("follow_up"))
    if follow_up is not None and follow_up < start:
        raise VisitInputError("follow_up", FOLLOW_UP_BEFORE)
    out: dict[str, Any] = {
        "start_date": start,
        "end_date": end,
        "kind": kind,
        "questions": questions,
        "team": team,
        "follow_up": follow_up,
    }
    if "share_findings" in raw:
        out["share_findings"] = bool(raw.get("share_findings"))
    if "shared_record_ids" in raw:
        out["shared_record_ids"] = _ids(raw.get("shared_record_ids"))
    if "status" in raw and raw.get("status") is not None:
        if raw["status"] not in rt.VISIT_STATUSES:
            raise VisitInputError("status", BAD_STATUS)
        out["status"] = raw["status"]
    return out


def host_name(store: RecordStore) -> dict[str, str]:
    school = store.school()
    return _pair(school.get("name")) if school else {"cy": "", "en": ""}


def save_visit(
    store: RecordStore,
    visit_id: str | None,
    raw: Mapping[str, Any],
    *,
    base_rev: int | None = None,
    reviewer_ids: Iterable[str] | None = None,
) -> Record:
    """Create (visit_id None: host = our school, status draft) or edit one of our visits, and
    keep its LA summary (and the visibility of its findings for the LA) in step."""
    values = check_visit(raw, reviewer_ids=reviewer_ids)
    with store.transaction():
        if visit_id is None:
            values.setdefault("status", "draft")
            values.setdefault("shared_record_ids", [])
            values["host_name"] = host_name(store)
            visit = store.create("review_visit", values, visibility="private")
        else:
            visit = store.update("review_visit", visit_id, values, base_rev=base_rev)
        keep_la_view(store, visit)
    return visit


def set_status(store: RecordStore, visit_id: str, status: str) -> Record:
    if status not in rt.VISIT_STATUSES:
        raise VisitInputError("status", BAD_STATUS)
    with store.transaction():
        visit = store.update("review_visit", visit_id, {"status": status})
        keep_la_view(store, visit)
    return visit


def choose_records(store: RecordStore, visit_id: str, record_ids: Iterable[str]) -> Record:
    """The records chosen for this visit beyond those shared with peers or the LA."""
    visit = peer_review.get_visit(store, visit_id)
    ids = sorted({str(i) for i in record_ids})
    if sorted(visit.get("shared_record_ids") or []) == ids:
        return visit
    return store.update("review_visit", visit_id, {"shared_record_ids": ids})


def set_share_findings(store: RecordStore, visit_id: str, share: bool) -> Record:
    with store.transaction():
        visit = store.update("review_visit", visit_id, {"share_findings": bool(share)})
        keep_la_view(store, visit)
    return visit


# -- what the LA may know --------------------------------------------------------------------


def summary_values(visit: Mapping[str, Any]) -> dict[str, Any]:
    schools: list[dict[str, str]] = []
    for m in visit.get("team") or []:
        if isinstance(m, Mapping) and m.get("role") in ("lead", "reviewer"):
            school = _pair(m.get("school"))
            if (school["cy"] or school["en"]) and school not in schools:
                schools.append(school)
    areas: list[str] = []
    for q in visit.get("questions") or []:
        for a in q.get("area_ids") or []:
            if a not in areas:
                areas.append(a)
    return {
        "visit_id": visit["id"],
        "start_date": visit.get("start_date"),
        "end_date": visit.get("end_date"),
        "kind": visit.get("kind"),
        "partner_schools": schools,
        "area_ids": areas,
        "status": visit.get("status"),
    }


def summary_of(store: RecordStore, visit_id: str) -> Record | None:
    found = store.list("review_summary", where="visit_id = ? AND owner = ?", params=(visit_id, store.owner))
    return found[0] if found else None


def keep_la_view(store: RecordStore, visit: Record) -> None:
    """The visit's LA summary as the visit now is, and its findings' visibility for the LA
    (joins the caller's transaction). Only for our own visits."""
    if not store.is_own(visit):
        return
    values = summary_values(visit)
    with store.transaction():
        summary = summary_of(store, visit["id"])
        if summary is None:
            store.create("review_summary", values, visibility="la")
        elif any(summary.get(k) != v for k, v in values.items()):
            store.update("review_summary", summary["id"], values)
        wanted = "la" if visit.get("share_findings") else "private"
        for type_name in ("review_report", "review_response"):
            for rec in store.list(type_name, where="visit_id = ? AND owner = ?", params=(visit["id"], store.owner)):
                if rec["visibility"] != wanted:
                    store.set_visibility(type_name, rec["id"], wanted)


def agree_report(store: RecordStore, visit_id: str, *, agreed_on: str) -> Record:
    """`peer_review.agree_report`, then the LA's view kept (the report is shared with the LA
    only when the visit says so)."""
    with store.transaction():
        report = peer_review.agree_report(store, visit_id, agreed_on=agreed_on)
        keep_la_view(store, peer_review.get_visit(store, visit_id))
    return store.require("review_report", report["id"])


def respond(store: RecordStore, finding_id: str, response: str, text: Mapping[str, str] | None = None) -> Record:
    """`peer_review.respond` keeping a linked action, and the LA's view kept."""
    if response not in rt.RESPONSE_KINDS:
        raise ValueError(response)
    with store.transaction():
        current = store.list("review_response", where="finding_id = ? AND owner = ?", params=(finding_id, store.owner))
        action_id = current[0].get("action_id") if current else None
        rec = peer_review.respond(store, finding_id, response, _pair(text), action_id=action_id)
        visit = store.get("review_visit", rec["visit_id"])
        if visit is not None:
            keep_la_view(store, visit)
    return store.require("review_response", rec["id"])


# -- "Add to our plan" ---------------------------------------------------------------------------


def add_to_plan(
    store: RecordStore,
    finding_id: str,
    description: Mapping[str, str],
    *,
    priority_id: str | None = None,
    new_priority: Mapping[str, Any] | None = None,
) -> Record:
    """An action made from a finding under one of our priorities, or under a new priority
    (`new_priority`: {"plan_id", "title": {"cy","en"}}), linked back to the finding."""
    from selfeval_app.core.plan_edit import save_priority

    text = _pair(description)
    if not (text["cy"] or text["en"]):
        raise VisitInputError("description", NEED_DESCRIPTION)
    with store.transaction():
        if priority_id is None:
            if not new_priority or not new_priority.get("plan_id"):
                raise VisitInputError("priority", NEED_PRIORITY)
            priority = save_priority(store, new_priority["plan_id"], None, {"title": _pair(new_priority.get("title"))})
            priority_id = priority["id"]
        action = peer_review.add_to_plan(store, finding_id, priority_id, text)
        finding = store.get("review_finding", finding_id)
        visit = store.get("review_visit", finding["visit_id"]) if finding else None
        if visit is not None:
            keep_la_view(store, visit)
    return action


def finding_of_action(store: RecordStore, action_id: str) -> Record | None:
    """The finding an action was made from (through the host's response), if any."""
    found = store.list("review_response", where="action_id = ? AND owner = ?", params=(action_id, store.owner))
    if not found:
        return None
    return store.get("review_finding", found[0]["finding_id"])


def actions_from_findings(store: RecordStore) -> dict[str, str]:
    """{action id: finding id} for every action made from a finding."""
    rows = store.list("review_response", where="action_id IS NOT NULL AND action_id != '' AND owner = ?", params=(store.owner,))
    return {r["action_id"]: r["finding_id"] for r in rows}


# -- the follow-up date ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    visit_id: str
    follow_up: str
    days: int  # from today: negative when past
    kind: str
    start_date: str | None


def follow_ups(store: RecordStore, today: dt.date, *, within_days: int = FOLLOW_UP_WITHIN_DAYS) -> list[FollowUp]:
    """Our visits whose follow-up date is past or within `within_days`, and not closed: the one
    rule the glance page and the School home use."""
    out = []
    for v in store.list("review_visit", where="follow_up IS NOT NULL AND follow_up != '' AND status != 'closed'", order_by="follow_up, id"):
        if not store.is_own(v):
            continue
        try:
            day = dt.date.fromisoformat(v["follow_up"])
        except ValueError:
            continue
        days = (day - today).days
        if days <= within_days:
            out.append(FollowUp(v["id"], v["follow_up"], days, v["kind"], v.get("start_date")))
    return out


# -- what the reviewers may see --------------------------------------------------------------------


def choosable_records(store: RecordStore, visit_id: str) -> list[dict[str, Any]]:
    """Our records a host may choose for the visit: {"type", "id", "record", "visibility",
    "shared" (already goes: peers or la), "chosen"}."""
    visit = peer_review.get_visit(store, visit_id)
    chosen = set(visit.get("shared_record_ids") or [])
    out = []
    for t in CHOOSABLE_TYPES:
        for rec in store.list(t, owners=visit["owner"]):
            out.append(
                {
                    "type": t,
                    "id": rec["id"],
                    "record": rec,
                    "visibility": rec["visibility"],
                    "shared": rec["visibility"] in peer_review.SHARED_WITH_PEERS,
                    "chosen": rec["id"] in chosen,
                }
            )
    return out
