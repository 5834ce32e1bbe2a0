"""The local authority's view (issue 13, DESIGN §15) as plain data: no Qt, no league tables, no
colour categories. Built only from what schools chose to share (foreign, read-only records at the
LA's installation, each owned by its school's identity), the LA's list of its schools
(`la_school`, imported from a CSV) and the LA's contacts.

CONTRACT (stable for the LA pages, branch `lagui`; every function takes the worker's
`RecordStore`; `lang` None = the current language; `today` None = the store's clock):

    schools(store, *, search="", lang=None, today=None) -> list[SchoolRow]
    schools_with_priorities(store, ...) -> list[(SchoolRow, list[PriorityLine])]; school_json(row, pris)
        Every school: listed in `la_school`, a trusted school contact, or an owner of records held
        here; schools that sent nothing are listed too (`last_bundle_at` None). Sorted in Welsh
        (or English) order by name; `search` folds case and accents (ŵ = w) over names and
        numbers; every word must match.
    school_summary(store, key, *, lang=None, today=None) -> SchoolSummary | None
        One school (key = SchoolRow.key): its row, priorities with national tags, latest RAG and
        trend, overdue actions, evaluation coverage by area, visits hosted and given,
        partnerships with their joint activities.
    alignment(store, *, today=None) -> Alignment
        Schools per national priority; schools with more than five priorities running this year;
        priorities with no national tag.
    progress_by_national_priority(store, *, today=None) -> list[TagProgress]
        Per national priority: schools, priorities, latest RAG counts (words, never colours),
        trends, success criteria by status.
    collaboration(store, *, today=None) -> Network
        Nodes (schools, and partners typed by name), edges (who works with whom, kinds, from
        partnerships and peer reviews, reciprocity), schools with no partnership or peer review
        in the last year.
    combined_indicators(store) -> list[CombinedIndicator]
        Indicators of the same title (folded) and unit combined per period across schools;
        values with a cohort under 5 are left out; a combined figure under 5 is suppressed.
    TABLES, table(store, name, *, lang=None, today=None) -> Table
        Every table above as headers + rows of text (in the chosen language) for CSV export
        (`write_csv`) and for the pages' table alternatives.
    write_csv(store, name, out, *, lang=None, today=None) -> int  (rows written)

School keys: a school's identity id when it is known (a contact or an owner of records), else
"list:NNN/NNNN" for a listed school never heard from, else "name:<folded name>" for a partner
typed by name that matches no known school. Names are {"cy","en"} pairs; `SchoolRow.name_in(lang)`
gives one with the other language as fallback.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.records import RecordStore

#: A gentle flag, never a grade: a school running more priorities than this in one year.
MANY_PRIORITIES = 5
#: Smallest cohort whose figure may be shown or combined.
SMALL_COHORT = 5
#: "In the last year" for the collaboration view.
LAST_YEAR_DAYS = 365
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}
TRENDS = ("improving", "steady", "worse")
NONE = "none"

TREND_LABELS = {"improving": N_("Improving"), "steady": N_("No change"), "worse": N_("Less good"), NONE: N_("Not yet known")}


# --- small helpers ------------------------------------------------------------------------------


def fold(text: str | None) -> str:
    """Case- and accent-folded text for search and matching (ŵ = w, Tŷ = ty)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _lang(lang: str | None) -> str:
    return lang if lang in ("cy", "en") else current_language()


def pick(pair: Mapping[str, Any] | None, lang: str) -> str:
    """A {"cy","en"} pair in `lang`, else in the other language (core/bilingual.text_or_other)."""
    from selfeval_app.core.bilingual import text_or_other

    return text_or_other(pair, lang) if isinstance(pair, Mapping) or pair is None else str(pair)


def _pair(cy: Any, en: Any) -> dict[str, str]:
    return {"cy": cy or "", "en": en or ""}


def _json(raw: Any) -> Any:
    if raw in (None, ""):
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


def _today(store: RecordStore, today: dt.date | None) -> dt.date:
    return today or store.clock.today()


def national_tags() -> list[tuple[str, dict[str, str]]]:
    """The national priority tags in their order: (id, {"cy","en"})."""
    from selfeval_app.core.framework import national_priorities

    return [(p.id, {"cy": p.name("cy"), "en": p.name("en")}) for p in national_priorities()]


def tag_label(tag_id: str, lang: str | None = None) -> str:
    for tid, name in national_tags():
        if tid == tag_id:
            return pick(name, _lang(lang))
    return tag_id


def trend_label(trend: str | None) -> str:
    message = TREND_LABELS[trend] if trend in TREND_LABELS else TREND_LABELS[NONE]
    return _(message)


def rag_label(rag: str | None) -> str:
    """A progress review's RAG as its word (never a colour alone)."""
    from selfeval_app.core.i18n import pgettext

    if rag == "red":
        return pgettext("RAG", "Red")
    if rag == "amber":
        return pgettext("RAG", "Amber")
    if rag == "green":
        return pgettext("RAG", "Green")
    return _("No review yet")


def trend_of(latest: str | None, previous: str | None) -> str | None:
    if latest not in RAG_ORDER or previous not in RAG_ORDER:
        return None
    diff = RAG_ORDER[latest] - RAG_ORDER[previous]
    return "improving" if diff > 0 else "worse" if diff < 0 else "steady"


# --- the dataclasses the pages use ---------------------------------------------------------------


@dataclass(frozen=True)
class SchoolRow:
    key: str
    identity_id: str | None
    number: str | None
    name: dict[str, str]
    listed: bool  # in the LA's list of schools
    contact: bool  # a trusted contact (its bundles can be read)
    last_bundle_at: str | None  # UTC ISO of the last bundle imported from it; None: nothing yet
    shared: dict[str, int]  # record type -> how many records it shares with the LA
    priorities: int
    national_tags: tuple[str, ...]  # ids of the tags its priorities carry, in the tags' order
    overdue_actions: int
    partnerships: int
    visits_hosted: int
    visits_given: int
    sort_cy: str = ""
    sort_en: str = ""

    def name_in(self, lang: str | None = None) -> str:
        return pick(self.name, _lang(lang)) or (self.number or "")

    @property
    def shared_total(self) -> int:
        return sum(self.shared.values())


@dataclass(frozen=True)
class PriorityLine:
    id: str
    title: dict[str, str]
    national_tags: tuple[str, ...]
    start_year: int | None
    end_year: int | None
    latest_rag: str | None
    latest_date: str | None
    trend: str | None  # improving | steady | worse | None
    reviews: int
    criteria: dict[str, int]  # success criterion status -> count


@dataclass(frozen=True)
class ActionLine:
    id: str
    priority_id: str
    description: dict[str, str]
    due_date: str
    status: str | None
    lead: str


@dataclass(frozen=True)
class CoverageLine:
    area_id: str
    title: dict[str, str]
    years: tuple[int, ...]  # academic years evaluated, newest first


@dataclass(frozen=True)
class VisitLine:
    id: str
    host_key: str
    host_name: dict[str, str]
    start_date: str
    end_date: str | None
    kind: str
    status: str
    team: tuple[str, ...]  # names of the team
    partner_keys: tuple[str, ...]  # schools whose people reviewed (when the visit says so)
    areas: tuple[str, ...]  # areas the questions are about
    findings_shared: int  # findings or an agreed report the host let travel


@dataclass(frozen=True)
class ActivityLine:
    id: str
    title: dict[str, str]
    start_date: str
    end_date: str | None
    participants: dict[str, str]
    what_changed: dict[str, str]


@dataclass(frozen=True)
class PartnerRef:
    key: str
    name: dict[str, str]
    number: str | None


@dataclass(frozen=True)
class PartnershipLine:
    id: str
    kind: str
    name: dict[str, str]
    purpose: dict[str, str]
    partners: tuple[PartnerRef, ...]
    maturity: str | None
    maturity_note: dict[str, str]
    start_date: str | None
    end_date: str | None
    priority_titles: tuple[dict[str, str], ...]
    activities: tuple[ActivityLine, ...]


@dataclass(frozen=True)
class SchoolSummary:
    row: SchoolRow
    priorities: list[PriorityLine]
    overdue: list[ActionLine]
    coverage: list[CoverageLine]
    visits_hosted: list[VisitLine]
    visits_given: list[VisitLine]
    partnerships: list[PartnershipLine]


@dataclass(frozen=True)
class SchoolRef:
    key: str
    name: dict[str, str]
    number: str | None

    def name_in(self, lang: str | None = None) -> str:
        return pick(self.name, _lang(lang)) or (self.number or "")


@dataclass(frozen=True)
class TagCount:
    tag_id: str
    label: dict[str, str]
    schools: int
    priorities: int


@dataclass(frozen=True)
class UntaggedPriority:
    school: SchoolRef
    priority_id: str
    title: dict[str, str]


@dataclass(frozen=True)
class Alignment:
    tags: list[TagCount]
    schools_with_priorities: int
    schools_total: int
    many_priorities: list[tuple[SchoolRef, int]]  # schools running more than MANY_PRIORITIES this year
    untagged: list[UntaggedPriority]


@dataclass(frozen=True)
class TagProgress:
    tag_id: str
    label: dict[str, str]
    schools: int
    priorities: int
    rag: dict[str, int]  # red | amber | green | none -> priorities whose latest review says so
    trend: dict[str, int]  # improving | steady | worse | none
    criteria: dict[str, int]  # success criterion status -> count


@dataclass(frozen=True)
class Node:
    key: str
    name: dict[str, str]
    number: str | None
    listed: bool
    known: bool  # a school heard from (records or a contact); False: listed only, or typed

    def name_in(self, lang: str | None = None) -> str:
        return pick(self.name, _lang(lang)) or (self.number or "")


@dataclass(frozen=True)
class Edge:
    a: str  # node keys, a < b
    b: str
    kinds: tuple[str, ...]  # partnership kinds, and "peer_review" for visits
    named_by: tuple[str, ...]  # keys of the schools whose records name the link
    reciprocal: bool  # both schools name each other
    partnerships: tuple[dict[str, str], ...]  # names of the partnerships behind it
    visits: int


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]
    isolated: list[Node]  # known or listed schools with no partnership or peer review in the last year
    named_pairs: int  # pairs where at least one school names the other in a partnership
    reciprocal_pairs: int  # pairs where both do

    def edges_of(self, key: str) -> list[Edge]:
        return [e for e in self.edges if key in (e.a, e.b)]


@dataclass(frozen=True)
class CombinedIndicator:
    title: dict[str, str]
    unit: str
    period: str
    schools: int  # schools whose value is combined
    cohort: int | None  # pupils behind the combined value (None when some values had no cohort)
    value: float | None  # cohort-weighted mean (plain mean when cohorts are missing); None if suppressed
    suppressed: bool  # the combined cohort is under SMALL_COHORT
    left_out: int  # values left out because their cohort was under SMALL_COHORT


# --- the snapshot: everything the views read, in a few queries -----------------------------------


@dataclass
class _School:
    key: str
    identity_id: str | None = None
    number: str | None = None
    name: dict[str, str] = field(default_factory=lambda: {"cy": "", "en": ""})
    listed: bool = False
    contact: bool = False
    last_bundle_at: str | None = None
    shared: dict[str, int] = field(default_factory=dict)


@dataclass
class _Snapshot:
    today: dt.date
    schools: dict[str, _School]
    priorities: dict[str, list[dict[str, Any]]]  # owner -> priority rows
    reviews: dict[str, tuple[str | None, str | None, str | None, int]]  # priority -> latest, date, previous, n
    criteria: dict[str, dict[str, int]]  # priority -> status -> n
    overdue: dict[str, int]
    visits: list[dict[str, Any]]
    partnerships: list[dict[str, Any]]
    by_number: dict[str, str]
    by_name: dict[str, str]


def _foreign_owners(store: RecordStore) -> tuple[str, ...]:
    return tuple(store.identity_ids)


def _not_ours(store: RecordStore) -> tuple[str, tuple[str, ...]]:
    ours = _foreign_owners(store)
    return f"owner NOT IN ({', '.join('?' for _ in ours)})", ours


def _table_exists(store: RecordStore, name: str) -> bool:
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _snapshot(store: RecordStore, today: dt.date | None = None, *, detail: bool = True) -> _Snapshot:
    conn = store.conn
    day = _today(store, today)
    not_ours, ours = _not_ours(store)
    schools: dict[str, _School] = {}
    by_number: dict[str, str] = {}

    # Contacts of role school: names and numbers from their key cards.
    for identity_id, role, card in conn.execute("SELECT identity_id, role, card FROM exchange_contact"):
        if role != "school":
            continue
        ident = (_json(card) or {}).get("identity") or {}
        s = schools.setdefault(identity_id, _School(identity_id, identity_id))
        s.contact = True
        name = ident.get("name") or {}
        s.name = _pair(name.get("cy"), name.get("en"))
        s.number = ident.get("school_number") or None
        if s.number:
            by_number.setdefault(s.number, identity_id)
    # Owners of records held here (a school whose card was later removed still shows).
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for t in rt.RECORD_TYPES:
        for owner, n in conn.execute(
            f'SELECT owner, count(*) FROM "{t}" WHERE deleted = 0 AND {not_ours} GROUP BY owner', ours
        ):
            counts[owner][t] = n
    for owner, by_type in counts.items():
        s = schools.setdefault(owner, _School(owner, owner))
        s.shared = by_type
    # The LA's list.
    if _table_exists(store, "la_school"):
        for number, cy, en in conn.execute("SELECT number, name_cy, name_en FROM la_school"):
            key = by_number.get(number)
            if key is None:
                key = f"list:{number}"
                schools[key] = _School(key, None, number)
                by_number[number] = key
            s = schools[key]
            s.listed = True
            if not (s.name["cy"] or s.name["en"]):
                s.name = _pair(cy, en)
            elif cy or en:  # the LA's list names its schools the LA's way, the card fills gaps
                s.name = {"cy": cy or s.name["cy"], "en": en or s.name["en"]}
    for sender, last in conn.execute("SELECT sender_identity, max(imported_at) FROM exchange_import GROUP BY sender_identity"):
        if sender in schools:
            schools[sender].last_bundle_at = last
    # Schools named by a school record held here (a school's own record shared with the LA).
    for owner, cy, en, number in conn.execute(
        f'SELECT owner, name_cy, name_en, establishment_number FROM "school" WHERE deleted = 0 AND {not_ours}', ours
    ):
        s = schools.get(owner)
        if s is not None:
            if not (s.name["cy"] or s.name["en"]):
                s.name = _pair(cy, en)
            if not s.number and number:
                s.number = number
                by_number.setdefault(number, owner)
    by_name = {}
    for key, s in schools.items():
        for lang in ("cy", "en"):
            if s.name[lang]:
                by_name.setdefault(fold(s.name[lang]), key)

    priorities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(
        f'SELECT id, owner, title_cy, title_en, national_priority_ids, start_year, end_year, position '
        f'FROM "priority" WHERE deleted = 0 AND {not_ours} ORDER BY owner, position, sort_cy, id',
        ours,
    ):
        priorities[row[1]].append(
            {
                "id": row[0],
                "owner": row[1],
                "title": _pair(row[2], row[3]),
                "tags": tuple(_json(row[4]) or ()),
                "start_year": row[5],
                "end_year": row[6],
            }
        )
    reviews: dict[str, tuple[str | None, str | None, str | None, int]] = {}
    for pid, rag, date, prev, n in conn.execute(
        f"SELECT priority_id, rag, date, prev, n FROM (SELECT priority_id, rag, date, "
        f"lead(rag) OVER w AS prev, count(*) OVER (PARTITION BY priority_id) AS n, "
        f"row_number() OVER w AS k FROM progress_review WHERE deleted = 0 AND {not_ours} "
        f"WINDOW w AS (PARTITION BY priority_id ORDER BY date DESC, academic_year DESC, id)) WHERE k = 1",
        ours,
    ):
        reviews[pid] = (rag, date, prev, n)
    criteria: dict[str, dict[str, int]] = defaultdict(dict)
    for pid, status, n in conn.execute(
        f"SELECT priority_id, coalesce(status, 'not_started'), count(*) FROM success_criterion "
        f"WHERE deleted = 0 AND {not_ours} GROUP BY priority_id, status",
        ours,
    ):
        criteria[pid][status] = criteria[pid].get(status, 0) + n
    overdue = dict(
        conn.execute(
            f"SELECT owner, count(*) FROM action WHERE deleted = 0 AND {not_ours} AND due_date < ? "
            f"AND coalesce(status, '') != 'done' GROUP BY owner",
            (*ours, day.isoformat()),
        ).fetchall()
    )
    visits = []
    for row in conn.execute(
        f"SELECT id, owner, host_name_cy, host_name_en, start_date, end_date, kind, status, team, questions, extra "
        f"FROM review_visit WHERE deleted = 0 AND {not_ours} ORDER BY start_date DESC, id",
        ours,
    ):
        visits.append(
            {
                "id": row[0],
                "owner": row[1],
                "host_name": _pair(row[2], row[3]),
                "start_date": row[4] or "",
                "end_date": row[5],
                "kind": row[6] or "",
                "status": row[7] or "",
                "team": _json(row[8]) or [],
                "questions": _json(row[9]) or [],
                "extra": _json(row[10]) or {},
            }
        )
    partnerships = []
    for row in conn.execute(
        f"SELECT id, owner, kind, name_cy, name_en, partners, maturity, start_date, end_date, purpose_cy, purpose_en, "
        f"priority_ids, maturity_note_cy, maturity_note_en FROM partnership WHERE deleted = 0 AND {not_ours} "
        f"ORDER BY owner, sort_cy, id",
        ours,
    ):
        partnerships.append(
            {
                "id": row[0],
                "owner": row[1],
                "kind": row[2] or "other",
                "name": _pair(row[3], row[4]),
                "partners": _json(row[5]) or [],
                "maturity": row[6],
                "start_date": row[7],
                "end_date": row[8],
                "purpose": _pair(row[9], row[10]),
                "priority_ids": _json(row[11]) or [],
                "maturity_note": _pair(row[12], row[13]),
            }
        )
    return _Snapshot(day, schools, priorities, reviews, criteria, overdue, visits, partnerships, by_number, by_name)


def _resolve_partner(snap: _Snapshot, partner: Mapping[str, Any]) -> tuple[str, dict[str, str], str | None]:
    """A partner entry -> (school key, name, number): by identity id, then number, then name."""
    name = partner.get("name") if isinstance(partner.get("name"), Mapping) else {"cy": str(partner.get("name") or ""), "en": ""}
    name = _pair(name.get("cy"), name.get("en"))
    number = partner.get("number") or None
    ident = partner.get("identity_id") or ""
    if ident and ident in snap.schools:
        s = snap.schools[ident]
        return ident, s.name, s.number
    if number and number in snap.by_number:
        key = snap.by_number[number]
        return key, snap.schools[key].name, number
    for lang in ("cy", "en"):
        if name[lang] and fold(name[lang]) in snap.by_name:
            key = snap.by_name[fold(name[lang])]
            return key, snap.schools[key].name, snap.schools[key].number
    if ident:
        return ident, name, number
    if number:
        return f"list:{number}", name, number
    return f"name:{fold(name['cy'] or name['en'])}", name, None


def _visit_partner_keys(snap: _Snapshot, visit: Mapping[str, Any]) -> list[str]:
    """The schools whose people reviewed at a visit: team members whose identity is a school,
    or who name their school (`school_identity_id` / `school_number` / `school`), and the visit's
    `partner_schools` when the host recorded them. Tolerates their absence."""
    keys: list[str] = []
    entries: list[Mapping[str, Any]] = []
    for member in visit.get("team") or []:
        if not isinstance(member, Mapping):
            continue
        if member.get("identity_id") and member["identity_id"] in snap.schools and member["identity_id"] != visit["owner"]:
            keys.append(member["identity_id"])
            continue
        entry: dict[str, Any] = {}
        if member.get("school_identity_id"):
            entry["identity_id"] = member["school_identity_id"]
        if member.get("school_number"):
            entry["number"] = member["school_number"]
        if isinstance(member.get("school"), (str, Mapping)):
            entry["name"] = member["school"]
        if entry:
            entries.append(entry)
    for p in (visit.get("extra") or {}).get("partner_schools") or []:
        if isinstance(p, Mapping):
            entries.append(p)
    for entry in entries:
        key = _resolve_partner(snap, entry)[0]
        if key != visit["owner"]:
            keys.append(key)
    return list(dict.fromkeys(keys))


def _sort_keys(s: _School) -> tuple[str, str]:
    from selfeval_app.core.sorting import sort_key_cy, sort_key_en

    cy = s.name["cy"] or s.name["en"] or s.number or ""
    en = s.name["en"] or s.name["cy"] or s.number or ""
    return sort_key_cy(cy), sort_key_en(en)


def _running(p: Mapping[str, Any], year: int) -> bool:
    return (p.get("start_year") is None or p["start_year"] <= year) and (p.get("end_year") is None or p["end_year"] >= year)


def _rows(store: RecordStore, snap: _Snapshot) -> list[SchoolRow]:
    order = {tid: i for i, (tid, _n) in enumerate(national_tags())}
    hosted: dict[str, int] = defaultdict(int)
    given: dict[str, int] = defaultdict(int)
    for v in snap.visits:
        hosted[v["owner"]] += 1
        for k in _visit_partner_keys(snap, v):
            given[k] += 1
    partnerships: dict[str, int] = defaultdict(int)
    for p in snap.partnerships:
        partnerships[p["owner"]] += 1
    out = []
    for key, s in snap.schools.items():
        pris = snap.priorities.get(key, [])
        tags = sorted({t for p in pris for t in p["tags"]}, key=lambda t: (order.get(t, 99), t))
        cy, en = _sort_keys(s)
        out.append(
            SchoolRow(
                key=key,
                identity_id=s.identity_id,
                number=s.number,
                name=s.name,
                listed=s.listed,
                contact=s.contact,
                last_bundle_at=s.last_bundle_at,
                shared=dict(s.shared),
                priorities=len(pris),
                national_tags=tuple(tags),
                overdue_actions=snap.overdue.get(key, 0),
                partnerships=partnerships.get(key, 0),
                visits_hosted=hosted.get(key, 0),
                visits_given=given.get(key, 0),
                sort_cy=cy,
                sort_en=en,
            )
        )
    return out


def _matches(row: SchoolRow, words: list[str]) -> bool:
    hay = fold(" ".join([row.name["cy"], row.name["en"], row.number or ""]))
    return all(w in hay for w in words)


# --- the views --------------------------------------------------------------------------------


def schools(store: RecordStore, *, search: str = "", lang: str | None = None, today: dt.date | None = None) -> list[SchoolRow]:
    lang = _lang(lang)
    rows = _rows(store, _snapshot(store, today))
    words = fold(search).split()
    if words:
        rows = [r for r in rows if _matches(r, words)]
    rows.sort(key=lambda r: ((r.sort_cy if lang == "cy" else r.sort_en), r.number or "", r.key))
    return rows


def _priority_lines(snap: _Snapshot, owner: str | None) -> list[PriorityLine]:
    lines = []
    for p in snap.priorities.get(owner or "", []):
        rag, date, prev, n = snap.reviews.get(p["id"], (None, None, None, 0))
        lines.append(
            PriorityLine(
                id=p["id"],
                title=p["title"],
                national_tags=p["tags"],
                start_year=p["start_year"],
                end_year=p["end_year"],
                latest_rag=rag,
                latest_date=date,
                trend=trend_of(rag, prev),
                reviews=n,
                criteria=dict(snap.criteria.get(p["id"], {})),
            )
        )
    return lines


def schools_with_priorities(
    store: RecordStore, *, search: str = "", lang: str | None = None, today: dt.date | None = None
) -> list[tuple[SchoolRow, list[PriorityLine]]]:
    """`schools` with each school's priorities (one snapshot; `la schools --json`)."""
    lang = _lang(lang)
    snap = _snapshot(store, today)
    rows = _rows(store, snap)
    words = fold(search).split()
    if words:
        rows = [r for r in rows if _matches(r, words)]
    rows.sort(key=lambda r: ((r.sort_cy if lang == "cy" else r.sort_en), r.number or "", r.key))
    return [(r, _priority_lines(snap, r.identity_id)) for r in rows]


def _priority_json(p: PriorityLine) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "national_tags": list(p.national_tags),
        "start_year": p.start_year,
        "end_year": p.end_year,
        "latest_rag": p.latest_rag,
        "latest_review": p.latest_date,
        "trend": p.trend,
        "reviews": p.reviews,
        "criteria": p.criteria,
    }


def school_json(row: SchoolRow, priorities: list[PriorityLine]) -> dict[str, Any]:
    """A school as `la schools --json` prints it (keys stable)."""
    return {
        "key": row.key,
        "identity_id": row.identity_id,
        "number": row.number,
        "name": row.name,
        "listed": row.listed,
        "contact": row.contact,
        "last_bundle_at": row.last_bundle_at,
        "shared": row.shared,
        "national_tags": list(row.national_tags),
        "priorities": [_priority_json(p) for p in priorities],
        "overdue_actions": row.overdue_actions,
        "partnerships": row.partnerships,
        "visits_hosted": row.visits_hosted,
        "visits_given": row.visits_given,
    }


def summary_json(s: SchoolSummary) -> dict[str, Any]:
    """One school as `la school KEY --json` prints it."""
    from dataclasses import asdict

    out = school_json(s.row, s.priorities)
    out["overdue"] = [asdict(a) for a in s.overdue]
    out["coverage"] = [{"area_id": c.area_id, "title": c.title, "years": list(c.years)} for c in s.coverage]
    out["visits_hosted"] = [asdict(v) for v in s.visits_hosted]
    out["visits_given"] = [asdict(v) for v in s.visits_given]
    out["partnerships"] = [asdict(p) for p in s.partnerships]
    return out


def _school_ref(snap: _Snapshot, key: str) -> SchoolRef:
    s = snap.schools.get(key)
    return SchoolRef(key, s.name if s else {"cy": "", "en": ""}, s.number if s else None)


def _visit_line(snap: _Snapshot, v: Mapping[str, Any], findings: Mapping[str, int]) -> VisitLine:
    areas = []
    for q in v.get("questions") or []:
        if isinstance(q, Mapping):
            areas.extend(a for a in q.get("area_ids") or [] if isinstance(a, str))
    host = snap.schools.get(v["owner"])
    return VisitLine(
        id=v["id"],
        host_key=v["owner"],
        host_name=(host.name if host and (host.name["cy"] or host.name["en"]) else v["host_name"]),
        start_date=v["start_date"],
        end_date=v["end_date"],
        kind=v["kind"],
        status=v["status"],
        team=tuple(str(m.get("name") or "") for m in v.get("team") or [] if isinstance(m, Mapping)),
        partner_keys=tuple(_visit_partner_keys(snap, v)),
        areas=tuple(dict.fromkeys(areas)),
        findings_shared=findings.get(v["id"], 0),
    )


def _area_title(store: RecordStore, area_id: str) -> dict[str, str]:
    from selfeval_app.core.framework import current_framework

    try:
        area = current_framework().area(area_id)
    except Exception:  # framework data unreadable: show the id
        area = None
    if area is not None:
        return {"cy": area.title("cy"), "en": area.title("en")}
    rec = store.get("area", area_id)
    if rec is not None:
        return dict(rec.get("title") or {"cy": "", "en": ""})
    return {"cy": area_id, "en": area_id}


def school_summary(
    store: RecordStore, key: str, *, lang: str | None = None, today: dt.date | None = None
) -> SchoolSummary | None:
    snap = _snapshot(store, today)
    row = next((r for r in _rows(store, snap) if r.key == key), None)
    if row is None:
        return None
    conn = store.conn
    owner = row.identity_id or ""
    lines = _priority_lines(snap, owner)
    overdue = [
        ActionLine(r[0], r[1] or "", _pair(r[2], r[3]), r[4], r[5], r[6] or "")
        for r in conn.execute(
            "SELECT id, priority_id, description_cy, description_en, due_date, status, lead FROM action "
            "WHERE owner = ? AND deleted = 0 AND due_date < ? AND coalesce(status, '') != 'done' ORDER BY due_date, id",
            (owner, snap.today.isoformat()),
        )
    ]
    years: dict[str, list[int]] = defaultdict(list)
    for area_id, year in conn.execute(
        "SELECT area_id, academic_year FROM evaluation WHERE owner = ? AND deleted = 0 ORDER BY academic_year DESC", (owner,)
    ):
        years[area_id].append(year)
    coverage = [CoverageLine(a, _area_title(store, a), tuple(ys)) for a, ys in sorted(years.items())]
    findings: dict[str, int] = defaultdict(int)
    for vid, n in conn.execute("SELECT visit_id, count(*) FROM review_finding WHERE deleted = 0 GROUP BY visit_id"):
        findings[vid] += n
    for vid, n in conn.execute("SELECT visit_id, count(*) FROM review_report WHERE deleted = 0 GROUP BY visit_id"):
        findings[vid] += n
    hosted = [_visit_line(snap, v, findings) for v in snap.visits if v["owner"] == owner]
    given = [_visit_line(snap, v, findings) for v in snap.visits if key in _visit_partner_keys(snap, v)]
    titles = {p["id"]: p["title"] for p in snap.priorities.get(owner, [])}
    parts = []
    for p in snap.partnerships:
        if p["owner"] != owner:
            continue
        acts = tuple(
            ActivityLine(r[0], _pair(r[1], r[2]), r[3] or "", r[4], _pair(r[5], r[6]), _pair(r[7], r[8]))
            for r in conn.execute(
                "SELECT id, title_cy, title_en, start_date, end_date, participants_cy, participants_en, "
                "what_changed_cy, what_changed_en FROM joint_activity WHERE partnership_id = ? AND deleted = 0 "
                "ORDER BY start_date DESC, id",
                (p["id"],),
            )
        )
        partners = tuple(
            PartnerRef(*_resolve_partner(snap, e)) for e in p["partners"] if isinstance(e, Mapping)
        )
        parts.append(
            PartnershipLine(
                id=p["id"],
                kind=p["kind"],
                name=p["name"],
                purpose=p["purpose"],
                partners=partners,
                maturity=p["maturity"],
                maturity_note=p["maturity_note"],
                start_date=p["start_date"],
                end_date=p["end_date"],
                priority_titles=tuple(titles[i] for i in p["priority_ids"] if i in titles),
                activities=acts,
            )
        )
    return SchoolSummary(row, lines, overdue, coverage, hosted, given, parts)


def alignment(store: RecordStore, *, today: dt.date | None = None) -> Alignment:
    snap = _snapshot(store, today)
    year = academic_year_of(snap.today)
    tag_schools: dict[str, set[str]] = defaultdict(set)
    tag_priorities: dict[str, int] = defaultdict(int)
    many: list[tuple[SchoolRef, int]] = []
    untagged: list[UntaggedPriority] = []
    for owner, pris in snap.priorities.items():
        for p in pris:
            for t in p["tags"]:
                tag_schools[t].add(owner)
                tag_priorities[t] += 1
            if not p["tags"]:
                untagged.append(UntaggedPriority(_school_ref(snap, owner), p["id"], p["title"]))
        running = sum(1 for p in pris if _running(p, year))
        if running > MANY_PRIORITIES:
            many.append((_school_ref(snap, owner), running))
    from selfeval_app.core.sorting import sort_key_cy

    many.sort(key=lambda x: sort_key_cy(x[0].name_in("cy")))
    untagged.sort(key=lambda u: (sort_key_cy(u.school.name_in("cy")), sort_key_cy(pick(u.title, "cy"))))
    tags = [TagCount(tid, name, len(tag_schools.get(tid, ())), tag_priorities.get(tid, 0)) for tid, name in national_tags()]
    return Alignment(
        tags=tags,
        schools_with_priorities=sum(1 for pris in snap.priorities.values() if pris),
        schools_total=len(snap.schools),
        many_priorities=many,
        untagged=untagged,
    )


def progress_by_national_priority(store: RecordStore, *, today: dt.date | None = None) -> list[TagProgress]:
    snap = _snapshot(store, today)
    out = []
    for tid, name in national_tags():
        schools_: set[str] = set()
        n = 0
        rag = {"red": 0, "amber": 0, "green": 0, NONE: 0}
        trend = {"improving": 0, "steady": 0, "worse": 0, NONE: 0}
        crit: dict[str, int] = {s: 0 for s in rt.CRITERION_STATUSES}
        for owner, pris in snap.priorities.items():
            for p in pris:
                if tid not in p["tags"]:
                    continue
                schools_.add(owner)
                n += 1
                latest, _date, prev, _n = snap.reviews.get(p["id"], (None, None, None, 0))
                rag[latest if latest in rag else NONE] += 1
                trend[trend_of(latest, prev) or NONE] += 1
                for status, c in snap.criteria.get(p["id"], {}).items():
                    crit[status] = crit.get(status, 0) + c
        out.append(TagProgress(tid, name, len(schools_), n, rag, trend, crit))
    return out


def collaboration(store: RecordStore, *, today: dt.date | None = None) -> Network:
    snap = _snapshot(store, today)
    since = (snap.today - dt.timedelta(days=LAST_YEAR_DAYS)).isoformat()
    nodes: dict[str, Node] = {
        k: Node(k, s.name, s.number, s.listed, bool(s.identity_id)) for k, s in snap.schools.items()
    }
    named: dict[tuple[str, str], set[str]] = defaultdict(set)  # directed (namer, named)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    pnames: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    visits: dict[tuple[str, str], int] = defaultdict(int)
    active: set[str] = set()
    for p in snap.partnerships:
        owner = p["owner"]
        current = not p["end_date"] or p["end_date"] >= since
        if current:
            active.add(owner)
        for entry in p["partners"]:
            if not isinstance(entry, Mapping):
                continue
            key, name, number = _resolve_partner(snap, entry)
            if key == owner:
                continue
            if key not in nodes:
                nodes[key] = Node(key, name, number, False, False)
            if current:
                active.add(key)
            pair = (owner, key) if owner < key else (key, owner)
            named[pair].add(owner)
            kinds[pair].add(p["kind"])
            if p["name"] not in pnames[pair]:
                pnames[pair].append(p["name"])
    for v in snap.visits:
        recent = (v["start_date"] or "") >= since
        for key in _visit_partner_keys(snap, v):
            if key not in nodes:
                nodes[key] = Node(key, {"cy": key, "en": key}, None, False, False)
            pair = (v["owner"], key) if v["owner"] < key else (key, v["owner"])
            kinds[pair].add("peer_review")
            visits[pair] += 1
            if recent:
                active.update((v["owner"], key))
    edges = []
    for pair in sorted(kinds):
        by = named.get(pair, set())
        edges.append(
            Edge(
                a=pair[0],
                b=pair[1],
                kinds=tuple(sorted(kinds[pair], key=lambda k: (k == "peer_review", k))),
                named_by=tuple(sorted(by)),
                reciprocal=len(by) == 2,
                partnerships=tuple(pnames.get(pair, ())),
                visits=visits.get(pair, 0),
            )
        )
    from selfeval_app.core.sorting import sort_key_cy

    ordered = sorted(nodes.values(), key=lambda n: (sort_key_cy(n.name_in("cy")), n.key))
    isolated = [n for n in ordered if n.key in snap.schools and n.key not in active]
    return Network(
        nodes=ordered,
        edges=edges,
        isolated=isolated,
        named_pairs=sum(1 for p in named if named[p]),
        reciprocal_pairs=sum(1 for p in named if len(named[p]) == 2),
    )


def combined_indicators(store: RecordStore) -> list[CombinedIndicator]:
    not_ours, ours = _not_ours(store)
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for owner, cy, en, unit, values in store.conn.execute(
        f'SELECT owner, title_cy, title_en, unit, "values" FROM indicator WHERE deleted = 0 AND {not_ours}', ours
    ):
        title = _pair(cy, en)
        tkey = fold(en or cy)
        ukey = (unit or "").strip()
        for v in _json(values) or []:
            if not isinstance(v, Mapping) or not isinstance(v.get("value"), (int, float)) or isinstance(v.get("value"), bool):
                continue
            period = str(v.get("period") or "").strip()
            g = groups.setdefault((tkey, ukey, period), {"title": title, "owners": set(), "sum": 0.0, "wsum": 0.0, "cohort": 0, "missing": False, "left_out": 0, "n": 0})
            cohort = v.get("cohort")
            if isinstance(cohort, int) and not isinstance(cohort, bool):
                if cohort < SMALL_COHORT:
                    g["left_out"] += 1
                    continue
                g["cohort"] += cohort
                g["wsum"] += float(v["value"]) * cohort
            else:
                g["missing"] = True
            g["sum"] += float(v["value"])
            g["n"] += 1
            g["owners"].add(owner)
    out = []
    for (_t, unit, period), g in groups.items():
        cohort = None if g["missing"] else g["cohort"]
        suppressed = g["n"] == 0 or (cohort is not None and cohort < SMALL_COHORT)
        if suppressed:
            value = None
        elif cohort:
            value = round(g["wsum"] / cohort, 2)
        else:
            value = round(g["sum"] / g["n"], 2)
        out.append(CombinedIndicator(g["title"], unit, period, len(g["owners"]), cohort, value, suppressed, g["left_out"]))
    from selfeval_app.core.sorting import sort_key_cy

    out.sort(key=lambda c: (sort_key_cy(pick(c.title, "cy")), c.unit, c.period))
    return out


# --- tables for CSV and the pages' table alternatives ------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str
    headers: list[str]
    rows: list[list[str]]


#: table name -> its title (catalog message)
TABLES = {
    "schools": N_("Schools"),
    "priorities": N_("Priorities"),
    "alignment": N_("Alignment to national priorities"),
    "untagged": N_("Priorities with no national tag"),
    "progress": N_("Progress by national priority"),
    "collaboration": N_("Collaboration"),
    "no_collaboration": N_("Schools with no partnership or peer review in the last year"),
    "indicators": N_("Indicators combined across schools"),
}


def table_title(name: str) -> str:
    return _(TABLES[name])


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def table(store: RecordStore, name: str, *, lang: str | None = None, today: dt.date | None = None) -> Table:
    """One table as text in the current language (headers and cells)."""
    lang = _lang(lang)
    if name not in TABLES:
        raise ValueError(f"unknown LA table {name!r}")
    if name == "schools":
        headers = [_("School"), _("School number"), _("In the list"), _("Last bundle"), _("Records shared"),
                   _("Priorities"), _("National priorities"), _("Overdue actions"), _("Partnerships"),
                   _("Peer reviews hosted"), _("Peer reviews given")]
        rows = [
            [r.name_in(lang), r.number or "", _yes(r.listed), (r.last_bundle_at or "")[:10], str(r.shared_total),
             str(r.priorities), "; ".join(tag_label(t, lang) for t in r.national_tags), str(r.overdue_actions),
             str(r.partnerships), str(r.visits_hosted), str(r.visits_given)]
            for r in schools(store, lang=lang, today=today)
        ]
    elif name == "priorities":
        snap = _snapshot(store, today)
        headers = [_("School"), _("School number"), _("Priority"), _("National priorities"), _("Latest review"),
                   _("Date of latest review"), _("Trend")]
        rows = []
        ordered = sorted(snap.priorities.items(), key=lambda kv: _sort_keys(snap.schools[kv[0]])[0 if lang == "cy" else 1] if kv[0] in snap.schools else "")
        for owner, pris in ordered:
            ref = _school_ref(snap, owner)
            for p in pris:
                rag, date, prev, _n = snap.reviews.get(p["id"], (None, None, None, 0))
                rows.append([ref.name_in(lang), ref.number or "", pick(p["title"], lang),
                             "; ".join(tag_label(t, lang) for t in p["tags"]), rag_label(rag), date or "",
                             trend_label(trend_of(rag, prev))])
    elif name == "alignment":
        a = alignment(store, today=today)
        headers = [_("National priority"), _("Schools"), _("Priorities")]
        rows = [[pick(t.label, lang), str(t.schools), str(t.priorities)] for t in a.tags]
    elif name == "untagged":
        a = alignment(store, today=today)
        headers = [_("School"), _("School number"), _("Priority")]
        rows = [[u.school.name_in(lang), u.school.number or "", pick(u.title, lang)] for u in a.untagged]
    elif name == "progress":
        headers = [_("National priority"), _("Schools"), _("Priorities"), rag_label("green"), rag_label("amber"),
                   rag_label("red"), rag_label(None), trend_label("improving"), trend_label("steady"), trend_label("worse")]
        rows = [[pick(t.label, lang), str(t.schools), str(t.priorities), str(t.rag["green"]), str(t.rag["amber"]),
                 str(t.rag["red"]), str(t.rag[NONE]), str(t.trend["improving"]), str(t.trend["steady"]),
                 str(t.trend["worse"])] for t in progress_by_national_priority(store, today=today)]
    elif name == "collaboration":
        from selfeval_app.core.collaboration import kind_label

        net = collaboration(store, today=today)
        by_key = {n.key: n for n in net.nodes}
        headers = [_("School"), _("Works with"), _("Kinds"), _("Partnerships"), _("Peer reviews"), _("Both name each other")]
        rows = [[by_key[e.a].name_in(lang), by_key[e.b].name_in(lang),
                 "; ".join(_("Peer review") if k == "peer_review" else kind_label(k, short=True) for k in e.kinds),
                 "; ".join(pick(p, lang) for p in e.partnerships), str(e.visits), _yes(e.reciprocal)] for e in net.edges]
    elif name == "no_collaboration":
        net = collaboration(store, today=today)
        headers = [_("School"), _("School number"), _("In the list")]
        rows = [[n.name_in(lang), n.number or "", _yes(n.listed)] for n in net.isolated]
    else:  # indicators
        headers = [_("Indicator"), _("Unit"), _("Period"), _("Schools"), _("Pupils"), _("Combined value"), _("Left out (cohort under 5)")]
        rows = [[pick(c.title, lang), c.unit, c.period, str(c.schools), _num(c.cohort),
                 _("Suppressed (fewer than 5)") if c.suppressed else _num(c.value), str(c.left_out)]
                for c in combined_indicators(store)]
    return Table(name, headers, rows)


def write_csv(store: RecordStore, name: str, out: Path, *, lang: str | None = None, today: dt.date | None = None) -> int:
    """Write one table as CSV: UTF-8 with a BOM (so Excel reads Welsh letters), headers in the
    chosen language; written to a temporary name and renamed. Returns the rows written."""
    t = table(store, name, lang=lang, today=today)
    return write_rows(out, t.headers, t.rows)


def write_rows(out: Path, headers: list[str], rows: Iterable[list[str]]) -> int:
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for row in rows:
            w.writerow(row)
            n += 1
    tmp.replace(out)
    return n
