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
    refresh(store) -> int
        Brings the per-school summaries (migration 0009_la_view) up to date from the change log;
        every view calls it (cheap when nothing changed). Call it on the worker after a sync to
        pay its cost there. forget(store) drops the remembered snapshot.

Speed (1,500 schools): the views read one snapshot of the summaries, remembered while nothing in
the database changes (PRAGMA data_version and the connection's total_changes), and each view's
result is kept with it. Results are shared between callers: never change them.

School keys: a school's identity id when it is known (a contact or an owner of records), else
"list:NNN/NNNN" for a listed school never heard from, else "name:<folded name>" for a partner
typed by name that matches no known school. Names are {"cy","en"} pairs; `SchoolRow.name_in(lang)`
gives one with the other language as fallback.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import json
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
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
    # The texts the Welsh and English sort keys are made from; each key is made when first asked
    # for (a list in one language needs only that language's: `la schools` sorts 1,500 names).
    sort_names: tuple[str, str] = ("", "")

    @cached_property
    def sort_cy(self) -> str:
        from selfeval_app.core.sorting import sort_key_cy

        return sort_key_cy(self.sort_names[0])

    @cached_property
    def sort_en(self) -> str:
        from selfeval_app.core.sorting import sort_key_en

        return sort_key_en(self.sort_names[1])

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


class _Snapshot:
    """What the views read: the schools with their counts at once; priorities, criteria, visits,
    partnerships and the name index when first asked for."""

    def __init__(self, store, today, schools, priority_counts, overdue, partnership_counts, by_number):
        self.store = store
        self.today: dt.date = today
        self.schools: dict[str, _School] = schools
        self.priority_counts: dict[str, tuple[int, str]] = priority_counts  # owner -> (n, "tag,tag,...")
        self.overdue: dict[str, int] = overdue
        self.partnership_counts: dict[str, int] = partnership_counts
        self.by_number: dict[str, str] = by_number
        self.rows: list[SchoolRow] | None = None
        self.memo: dict[str, Any] = {}  # a view's result, while the data stays as it is

    @cached_property
    def _priorities(self):
        return _load_priorities(self.store)

    @property
    def priorities(self) -> dict[str, list[dict[str, Any]]]:  # owner -> priorities in plan order
        return self._priorities[0]

    @property
    def reviews(self) -> dict[str, tuple[str | None, str | None, str | None, int]]:  # latest, date, previous, n
        return self._priorities[1]

    @cached_property
    def criteria(self) -> dict[str, dict[str, int]]:  # priority -> status -> n
        raw = self._priorities[2]
        # one parse of all of them (thousands of small json.loads calls cost several times more)
        parsed = json.loads("[" + ",".join(raw.values()) + "]") if raw else []
        return dict(zip(raw, parsed, strict=True))

    @cached_property
    def by_name(self) -> dict[str, str]:  # folded name -> school key
        out: dict[str, str] = {}
        for key, s in self.schools.items():
            for lang in ("cy", "en"):
                if s.name[lang]:
                    out.setdefault(fold(s.name[lang]), key)
        return out

    @cached_property
    def visits(self) -> list[dict[str, Any]]:
        return _load_visits(self.store)

    @cached_property
    def partnerships(self) -> list[dict[str, Any]]:
        return _load_partnerships(self.store)


def _foreign_owners(store: RecordStore) -> tuple[str, ...]:
    return tuple(store.identity_ids)


def _not_ours(store: RecordStore) -> tuple[str, tuple[str, ...]]:
    ours = _foreign_owners(store)
    return f"owner NOT IN ({', '.join('?' for _ in ours)})", ours


def _table_exists(store: RecordStore, name: str) -> bool:
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


@contextmanager
def _plain_rows(store: RecordStore) -> Iterator[None]:
    """Read rows as plain tuples (several times faster than sqlite3.Row for thousands of rows)."""
    conn = store.db.conn
    factory, conn.row_factory = conn.row_factory, None
    try:
        yield
    finally:
        conn.row_factory = factory


_MEMO: weakref.WeakKeyDictionary[RecordStore, tuple[tuple[Any, ...], _Snapshot]] = weakref.WeakKeyDictionary()


def _state_key(store: RecordStore, day: dt.date) -> tuple[Any, ...]:
    """Changes whenever anything in the database changes: another connection's commit moves
    `data_version`, this connection's writes move `total_changes`."""
    return (store.conn.execute("PRAGMA data_version").fetchone()[0], store.conn.total_changes, day)


def _snapshot(store: RecordStore, today: dt.date | None = None) -> _Snapshot:
    """The snapshot the views read; the same one again while nothing in the database changed
    (the LA moving between its pages reads the data once)."""
    refresh(store)
    day = _today(store, today)
    key = _state_key(store, day)
    held = _MEMO.get(store)
    if held is not None and held[0] == key:
        return held[1]
    with _plain_rows(store):
        snap = _read_snapshot(store, day)
    _MEMO[store] = (key, snap)
    return snap


def forget(store: RecordStore) -> None:
    """Drop the remembered snapshot (tests; a store being closed)."""
    _MEMO.pop(store, None)


def _read_snapshot(store: RecordStore, today: dt.date | None) -> _Snapshot:
    conn = store.conn
    day = _today(store, today)
    not_ours, ours = _not_ours(store)
    schools: dict[str, _School] = {}
    by_number: dict[str, str] = {}

    # Contacts of role school: names and numbers from their key cards (read by SQLite's JSON1).
    for identity_id, cy, en, number in conn.execute(
        "SELECT identity_id, json_extract(card, '$.identity.name.cy'), json_extract(card, '$.identity.name.en'), "
        "json_extract(card, '$.identity.school_number') FROM exchange_contact WHERE role = 'school'"
    ):
        s = schools.setdefault(identity_id, _School(identity_id, identity_id))
        s.contact = True
        s.name = _pair(cy, en)
        s.number = number or None
        if s.number:
            by_number.setdefault(s.number, identity_id)
    # Owners of records held here (a school whose card was later removed still shows), with what
    # they share and their school record's names: the summaries `refresh` keeps.
    open_due: dict[str, list[str]] = {}
    school_names: list[tuple[str, str, str, str]] = []
    for owner, shared, due, cy, en, number in conn.execute(
        "SELECT owner, shared, open_due, name_cy, name_en, number FROM la_view_owner"
    ):
        if owner in ours:
            continue
        s = schools.setdefault(owner, _School(owner, owner))
        s.shared = _json(shared) or {}
        open_due[owner] = due.split(",") if due else []
        school_names.append((owner, cy, en, number))
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
    for owner, cy, en, number in school_names:
        s = schools.get(owner)
        if s is not None:
            if not (s.name["cy"] or s.name["en"]):
                s.name = _pair(cy, en)
            if not s.number and number:
                s.number = number
                by_number.setdefault(number, owner)
    counts: dict[str, tuple[int, str]] = {}
    for owner, n, tags in conn.execute("SELECT owner, count(*), group_concat(tags, ',') FROM la_view_priority GROUP BY owner"):
        if owner not in ours:
            counts[owner] = (n, tags or "")
    today_text = day.isoformat()
    overdue = {o: bisect.bisect_left(dues, today_text) for o, dues in open_due.items() if dues}
    partnership_counts = dict(
        conn.execute(f"SELECT owner, count(*) FROM partnership WHERE deleted = 0 AND {not_ours} GROUP BY owner", ours).fetchall()
    )
    return _Snapshot(store, day, schools, counts, overdue, partnership_counts, by_number)


def _load_priorities(
    store: RecordStore, owner: str | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, tuple[Any, Any, Any, int]], dict[str, str]]:
    ours = store.identity_ids
    priorities: dict[str, list[dict[str, Any]]] = defaultdict(list)
    reviews: dict[str, tuple[str | None, str | None, str | None, int]] = {}
    criteria_raw: dict[str, str] = {}
    where, params = ("WHERE owner = ?", (owner,)) if owner is not None else ("", ())
    with _plain_rows(store):
        rows = store.conn.execute(
            "SELECT id, owner, title_cy, title_en, tags, start_year, end_year, rag, rag_date, prev_rag, reviews, criteria "
            f"FROM la_view_priority {where} ORDER BY rowid",
            params,
        ).fetchall()
    for row in rows:
        if row[1] in ours:
            continue
        priorities[row[1]].append(
            {
                "id": row[0],
                "owner": row[1],
                "title": {"cy": row[2] or "", "en": row[3] or ""},
                "tags": tuple(row[4].split(",")) if row[4] else (),
                "start_year": row[5],
                "end_year": row[6],
            }
        )
        if row[10]:
            reviews[row[0]] = (row[7], row[8], row[9], row[10])
        if row[11] and row[11] != "{}":
            criteria_raw[row[0]] = row[11]
    return priorities, reviews, criteria_raw


def _load_visits(store: RecordStore) -> list[dict[str, Any]]:
    with _plain_rows(store):
        return _read_visits(store)


def _read_visits(store: RecordStore) -> list[dict[str, Any]]:
    conn = store.conn
    not_ours, ours = _not_ours(store)
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
    # What a host lets its LA know of a visit (core/peer_review_host.summary_values): the visit
    # itself never travels to the LA, its summary does (dates, kind, partner schools, areas).
    held = {v["id"] for v in visits}
    for row in conn.execute(
        f"SELECT visit_id, owner, start_date, end_date, kind, status, partner_schools, area_ids "
        f"FROM review_summary WHERE deleted = 0 AND {not_ours} ORDER BY start_date DESC, id",
        ours,
    ):
        if row[0] in held:
            continue
        held.add(row[0])
        partners = [{"name": p} for p in _json(row[6]) or [] if isinstance(p, dict)]
        visits.append(
            {
                "id": row[0],
                "owner": row[1],
                "host_name": {"cy": "", "en": ""},  # the host's name comes from its school record
                "start_date": row[2] or "",
                "end_date": row[3],
                "kind": row[4] or "",
                "status": row[5] or "",
                "team": [],
                "questions": [{"area_ids": [a for a in _json(row[7]) or [] if isinstance(a, str)]}],
                "extra": {"partner_schools": partners},
            }
        )
    visits.sort(key=lambda v: (v["start_date"] or "", v["id"]), reverse=True)
    return visits


def _load_partnerships(store: RecordStore, owner: str | None = None) -> list[dict[str, Any]]:
    with _plain_rows(store):
        return _read_partnerships(store, owner)


def _read_partnerships(store: RecordStore, owner: str | None = None) -> list[dict[str, Any]]:
    conn = store.conn
    not_ours, ours = _not_ours(store)
    if owner is not None:
        not_ours, ours = "owner = ?", (owner,)
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
    return partnerships



# --- the summaries kept up to date from the change log (migration 0009_la_view) --------------------

VIEW_SEQ_KEY = "la_view_seq"


def _owners_changed_since(store: RecordStore, seq: int) -> set[str]:
    owners: set[str] = set()
    types = [t for (t,) in store.conn.execute("SELECT DISTINCT type FROM change_log WHERE seq > ?", (seq,)) if t in rt.RECORD_TYPES]
    for t in types:
        owners.update(
            o for (o,) in store.conn.execute(
                f'SELECT DISTINCT r.owner FROM change_log c JOIN "{t}" r ON r.id = c.record_id WHERE c.seq > ? AND c.type = ?',
                (seq, t),
            )
        )
    return owners


def refresh(store: RecordStore) -> int:
    """Bring the per-school summaries up to date with the records held (one transaction); returns
    how many schools were summarised again. Cheap when nothing changed (one look at the change
    log). The views call it; the LA's pages may call it after a sync. A database another program
    is writing to is left as it is (the views then show the summaries as they were)."""
    from selfeval_app.core.errors import DatabaseLockedError

    conn = store.conn
    top = conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
    last = int(store.db.meta(VIEW_SEQ_KEY, "0") or 0)
    if top == last:
        return 0
    ours = set(store.identity_ids)
    everything = last == 0
    owners = None if everything else _owners_changed_since(store, last) - ours
    if owners is not None and not owners:
        try:
            with store.transaction():
                store.db.set_meta(VIEW_SEQ_KEY, str(top))
        except DatabaseLockedError:
            pass
        return 0
    try:
        with store.transaction():
            n = _summarise(store, owners, ours)
            store.db.set_meta(VIEW_SEQ_KEY, str(top))
    except DatabaseLockedError:
        return 0
    return n


def _summarise(store: RecordStore, owners: set[str] | None, ours: set[str]) -> int:
    """Write the summaries of `owners` (None: every owner but ours) inside the caller's transaction."""
    conn = store.conn
    if owners is None:
        marks = ", ".join("?" for _ in ours)
        where, params = f"owner NOT IN ({marks})", tuple(ours)
        conn.execute("DELETE FROM la_view_owner")
        conn.execute("DELETE FROM la_view_priority")
        conn.execute("DELETE FROM la_view_link")
        conn.execute("DELETE FROM la_view_tag")
        conn.execute("DELETE FROM la_view_value")
    else:
        marks = ", ".join("?" for _ in owners)
        where, params = f"owner IN ({marks})", tuple(owners)
        conn.execute(f"DELETE FROM la_view_owner WHERE {where}", params)
        conn.execute(f"DELETE FROM la_view_priority WHERE {where}", params)
        conn.execute(f"DELETE FROM la_view_link WHERE {where}", params)
        conn.execute(f"DELETE FROM la_view_tag WHERE {where}", params)
        conn.execute(f"DELETE FROM la_view_value WHERE {where}", params)
    shared: dict[str, dict[str, int]] = defaultdict(dict)
    for t in rt.RECORD_TYPES:
        for owner, n in conn.execute(f'SELECT owner, count(*) FROM "{t}" WHERE deleted = 0 AND {where} GROUP BY owner', params):
            shared[owner][t] = n
    dues: dict[str, list[str]] = defaultdict(list)
    for owner, due in conn.execute(
        f"SELECT owner, due_date FROM action WHERE deleted = 0 AND {where} AND due_date IS NOT NULL "
        f"AND coalesce(status, '') != 'done' ORDER BY owner, due_date",
        params,
    ):
        dues[owner].append(due)
    names: dict[str, tuple[str, str, str]] = {}
    for owner, cy, en, number in conn.execute(
        f'SELECT owner, name_cy, name_en, establishment_number FROM "school" WHERE deleted = 0 AND {where} ORDER BY created_at DESC',
        params,
    ):
        names[owner] = (cy or "", en or "", number or "")
    conn.executemany(
        "INSERT INTO la_view_owner (owner, shared, open_due, name_cy, name_en, number) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (o, json.dumps(by_type, sort_keys=True), ",".join(dues.get(o, [])), *names.get(o, ("", "", "")))
            for o, by_type in shared.items()
        ],
    )
    reviews: dict[str, tuple[Any, Any, Any, int]] = {}
    for pid, rag, date, prev, n in conn.execute(
        f"SELECT priority_id, rag, date, prev, n FROM (SELECT priority_id, rag, date, "
        f"lead(rag) OVER w AS prev, count(*) OVER (PARTITION BY priority_id) AS n, "
        f"row_number() OVER w AS k FROM progress_review WHERE deleted = 0 AND {where} "
        f"WINDOW w AS (PARTITION BY priority_id ORDER BY date DESC, academic_year DESC, id)) WHERE k = 1",
        params,
    ):
        reviews[pid] = (rag, date, prev, n)
    criteria: dict[str, dict[str, int]] = defaultdict(dict)
    for pid, status, n in conn.execute(
        f"SELECT priority_id, coalesce(status, 'not_started'), count(*) FROM success_criterion "
        f"WHERE deleted = 0 AND {where} GROUP BY priority_id, status",
        params,
    ):
        criteria[pid][status] = criteria[pid].get(status, 0) + n
    rows = []
    for pid, owner, cy, en, tags, start, end, position, sort_cy in conn.execute(
        f'SELECT id, owner, title_cy, title_en, national_priority_ids, start_year, end_year, position, sort_cy '
        f'FROM "priority" WHERE deleted = 0 AND {where}',
        params,
    ):
        rag, date, prev, n = reviews.get(pid, (None, None, None, 0))
        tag_list = [t for t in (_json(tags) or []) if isinstance(t, str) and t and "," not in t]
        rows.append((pid, owner, cy, en, ",".join(tag_list), start, end, position, sort_cy, rag, date, prev, n,
                     json.dumps(criteria[pid], sort_keys=True) if pid in criteria else "{}"))
    tag_rows = []
    for r in rows:
        by_status = criteria.get(r[0], {})
        counts = [by_status.get(st, 0) for st in rt.CRITERION_STATUSES]
        tag_rows.extend((t, r[0], r[1], r[9], trend_of(r[9], r[11]), *counts) for t in r[4].split(",") if t)
    conn.executemany(
        "INSERT OR IGNORE INTO la_view_tag (tag, priority_id, owner, rag, trend, c_not_started, c_in_progress, c_not_met, "
        "c_partially_met, c_met) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tag_rows,
    )
    # In plan order within each school, so reading the table in rowid order needs no sort.
    rows.sort(key=lambda r: (r[1], r[7] is None, r[7] or 0, r[8] or "", r[0]))
    conn.executemany(
        "INSERT INTO la_view_priority (id, owner, title_cy, title_en, tags, start_year, end_year, position, sort_cy, "
        "rag, rag_date, prev_rag, reviews, criteria) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    values = []
    folded: dict[str, str] = {}
    for owner, cy, en, unit, raw in conn.execute(
        f'SELECT owner, title_cy, title_en, unit, "values" FROM indicator WHERE deleted = 0 AND {where}', params
    ):
        title_text = en or cy or ""
        tkey = folded.get(title_text) or folded.setdefault(title_text, fold(title_text))
        for v in _json(raw) or []:
            if not isinstance(v, dict):
                continue
            value, cohort = v.get("value"), v.get("cohort")
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            if not isinstance(cohort, int) or isinstance(cohort, bool):
                cohort = None
            values.append((owner, tkey, (unit or "").strip(), str(v.get("period") or "").strip(), cy or "", en or "", float(value), cohort))
    conn.executemany(
        "INSERT INTO la_view_value (owner, tkey, unit, period, title_cy, title_en, value, cohort) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        values,
    )
    links = []
    for pid, owner, kind, cy, en, end, partners in conn.execute(
        f"SELECT id, owner, kind, name_cy, name_en, end_date, partners FROM partnership WHERE deleted = 0 AND {where}", params
    ):
        entries = [e for e in (_json(partners) or []) if isinstance(e, dict)]
        if not entries:  # a partnership naming nobody still counts as the school's
            links.append((owner, pid, kind or "other", cy, en, end, None, None, None, None))
        for e in entries:
            name = e.get("name") if isinstance(e.get("name"), dict) else {"cy": str(e.get("name") or ""), "en": ""}
            links.append((owner, pid, kind or "other", cy, en, end, e.get("identity_id") or None, e.get("number") or None,
                          name.get("cy") or "", name.get("en") or ""))
    conn.executemany(
        "INSERT INTO la_view_link (owner, partnership_id, kind, name_cy, name_en, end_date, partner_identity, "
        "partner_number, partner_cy, partner_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        links,
    )
    return len(shared)


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
        if not isinstance(member, dict):
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
        if isinstance(p, dict):
            entries.append(p)
    for entry in entries:
        key = _resolve_partner(snap, entry)[0]
        if key != visit["owner"]:
            keys.append(key)
    return list(dict.fromkeys(keys))


def _sort_key(s: _School, lang: str) -> str:
    from selfeval_app.core.sorting import sort_key_cy, sort_key_en

    cy, en = _sort_names(s)
    return sort_key_cy(cy) if lang == "cy" else sort_key_en(en)


def _sort_names(s: _School) -> tuple[str, str]:
    cy = s.name["cy"] or s.name["en"] or s.number or ""
    en = s.name["en"] or s.name["cy"] or s.number or ""
    return cy, en


def _running(p: Mapping[str, Any], year: int) -> bool:
    return (p.get("start_year") is None or p["start_year"] <= year) and (p.get("end_year") is None or p["end_year"] >= year)


def _rows(store: RecordStore, snap: _Snapshot) -> list[SchoolRow]:
    """The schools' rows (remembered with the snapshot; rows are shared: never change them)."""
    if snap.rows is None:
        snap.rows = _make_rows(snap)
    return list(snap.rows)


def _make_rows(snap: _Snapshot) -> list[SchoolRow]:
    order = {tid: i for i, (tid, _n) in enumerate(national_tags())}
    hosted: dict[str, int] = defaultdict(int)
    given: dict[str, int] = defaultdict(int)
    for v in snap.visits:
        hosted[v["owner"]] += 1
        for k in _visit_partner_keys(snap, v):
            given[k] += 1
    partnerships = snap.partnership_counts
    out = []
    for key, s in snap.schools.items():
        n_pris, joined = snap.priority_counts.get(key, (0, ""))
        tags = sorted({t for t in joined.split(",") if t}, key=lambda t: (order.get(t, 99), t))
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
                priorities=n_pris,
                national_tags=tuple(tags),
                overdue_actions=snap.overdue.get(key, 0),
                partnerships=partnerships.get(key, 0),
                visits_hosted=hosted.get(key, 0),
                visits_given=given.get(key, 0),
                sort_names=_sort_names(s),
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
        if isinstance(q, dict):
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
        team=tuple(str(m.get("name") or "") for m in v.get("team") or [] if isinstance(m, dict)),
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
    if "_priorities" in snap.__dict__:  # already read for another view
        pris, reviews, raw = snap._priorities
    else:
        pris, reviews, raw = _load_priorities(store, owner)
    lines = []
    for p in pris.get(owner, []):
        rag, date, prev, n = reviews.get(p["id"], (None, None, None, 0))
        lines.append(
            PriorityLine(p["id"], p["title"], p["tags"], p["start_year"], p["end_year"], rag, date, trend_of(rag, prev), n,
                         json.loads(raw[p["id"]]) if p["id"] in raw else {})
        )
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
    mine = [v for v in snap.visits if v["owner"] == owner]
    theirs = [v for v in snap.visits if key in _visit_partner_keys(snap, v)]
    findings: dict[str, int] = defaultdict(int)
    ids = [v["id"] for v in mine + theirs]
    if ids:
        marks = ", ".join("?" for _ in ids)
        for table in ("review_finding", "review_report"):
            for vid, n in conn.execute(
                f"SELECT visit_id, count(*) FROM {table} WHERE deleted = 0 AND visit_id IN ({marks}) GROUP BY visit_id", ids
            ):
                findings[vid] += n
    hosted = [_visit_line(snap, v, findings) for v in mine]
    given = [_visit_line(snap, v, findings) for v in theirs]
    titles = {p["id"]: p["title"] for p in pris.get(owner, [])}
    parts = []
    for p in _load_partnerships(store, owner) if owner else []:
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
            PartnerRef(*_resolve_partner(snap, e)) for e in p["partners"] if isinstance(e, dict)
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
    if "alignment" not in snap.memo:
        snap.memo["alignment"] = _alignment(snap)
    return snap.memo["alignment"]


def _alignment(snap: _Snapshot) -> Alignment:
    """Counted by SQLite over the summaries (`la_view_tag`, `la_view_priority`)."""
    year = academic_year_of(snap.today)
    conn, ours = snap.store.conn, snap.store.identity_ids
    marks = ", ".join("?" for _ in ours)
    with _plain_rows(snap.store):
        per_tag = {
            tag: (schools_, n)
            for tag, schools_, n in conn.execute(
                f"SELECT tag, count(DISTINCT owner), count(*) FROM la_view_tag WHERE owner NOT IN ({marks}) GROUP BY tag",
                tuple(ours),
            )
        }
        running = conn.execute(
            f"SELECT owner, count(*) FROM la_view_priority WHERE owner NOT IN ({marks}) "
            "AND (start_year IS NULL OR start_year <= ?) AND (end_year IS NULL OR end_year >= ?) "
            "GROUP BY owner HAVING count(*) > ?",
            (*ours, year, year, MANY_PRIORITIES),
        ).fetchall()
        bare = conn.execute(
            f"SELECT owner, id, title_cy, title_en FROM la_view_priority WHERE owner NOT IN ({marks}) "
            "AND coalesce(tags, '') = ''",
            tuple(ours),
        ).fetchall()
        with_priorities = conn.execute(
            f"SELECT count(DISTINCT owner) FROM la_view_priority WHERE owner NOT IN ({marks})", tuple(ours)
        ).fetchone()[0]
    many = [(_school_ref(snap, owner), n) for owner, n in running]
    untagged = [UntaggedPriority(_school_ref(snap, owner), pid, {"cy": cy or "", "en": en or ""}) for owner, pid, cy, en in bare]
    from selfeval_app.core.sorting import sort_key_cy

    many.sort(key=lambda x: sort_key_cy(x[0].name_in("cy")))
    untagged.sort(key=lambda u: (sort_key_cy(u.school.name_in("cy")), sort_key_cy(pick(u.title, "cy"))))
    tags = [TagCount(tid, name, *per_tag.get(tid, (0, 0))) for tid, name in national_tags()]
    return Alignment(
        tags=tags,
        schools_with_priorities=with_priorities,
        schools_total=len(snap.schools),
        many_priorities=many,
        untagged=untagged,
    )


def progress_by_national_priority(store: RecordStore, *, today: dt.date | None = None) -> list[TagProgress]:
    snap = _snapshot(store, today)
    if "progress" not in snap.memo:
        snap.memo["progress"] = _progress(snap)
    return list(snap.memo["progress"])


def _progress(snap: _Snapshot) -> list[TagProgress]:
    """Counted by SQLite over `la_view_tag` (one row per tag a priority carries)."""
    conn, ours = snap.store.conn, snap.store.identity_ids
    marks = ", ".join("?" for _ in ours)
    with _plain_rows(snap.store):
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT tag, count(DISTINCT owner), count(*), "
                "total(rag = 'red'), total(rag = 'amber'), total(rag = 'green'), "
                "total(rag IS NULL OR rag NOT IN ('red', 'amber', 'green')), "
                "total(trend = 'improving'), total(trend = 'steady'), total(trend = 'worse'), total(trend IS NULL), "
                "total(c_not_started), total(c_in_progress), total(c_not_met), total(c_partially_met), total(c_met) "
                f"FROM la_view_tag WHERE owner NOT IN ({marks}) GROUP BY tag",
                tuple(ours),
            )
        }
    out = []
    for tid, name in national_tags():
        r = [int(x) for x in rows.get(tid) or (0,) * 15]  # total() is a float
        out.append(
            TagProgress(
                tid,
                name,
                r[0],
                r[1],
                {"red": r[2], "amber": r[3], "green": r[4], NONE: r[5]},
                {"improving": r[6], "steady": r[7], "worse": r[8], NONE: r[9]},
                dict(zip(rt.CRITERION_STATUSES, r[10:15], strict=True)),
            )
        )
    return out


def collaboration(store: RecordStore, *, today: dt.date | None = None) -> Network:
    snap = _snapshot(store, today)
    if "collaboration" not in snap.memo:
        snap.memo["collaboration"] = _collaboration(snap)
    return snap.memo["collaboration"]


def _collaboration(snap: _Snapshot) -> Network:
    since = (snap.today - dt.timedelta(days=LAST_YEAR_DAYS)).isoformat()
    nodes: dict[str, Node] = {
        k: Node(k, s.name, s.number, s.listed, bool(s.identity_id)) for k, s in snap.schools.items()
    }
    named: dict[tuple[str, str], set[str]] = defaultdict(set)  # directed (namer, named)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    pnames: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    visits: dict[tuple[str, str], int] = defaultdict(int)
    active: set[str] = set()
    ours = snap.store.identity_ids
    by_number, schools = snap.by_number, snap.schools
    with _plain_rows(snap.store):
        links = snap.store.conn.execute(
            "SELECT owner, kind, name_cy, name_en, end_date, partner_identity, partner_number, partner_cy, partner_en "
            "FROM la_view_link"
        ).fetchall()
    for owner, kind, cy, en, end, ident, number, pcy, pen in links:
        if owner in ours:
            continue
        current = not end or end >= since
        if current:
            active.add(owner)
        if ident is None and number is None and not pcy and not pen:
            continue
        # the partner: by identity, then number (dict look-ups), else as `_resolve_partner` does
        if ident and ident in schools:
            key, name, num = ident, schools[ident].name, schools[ident].number
        elif number and number in by_number:
            key = by_number[number]
            name, num = schools[key].name, number
        else:
            key, name, num = _resolve_partner(snap, {"identity_id": ident, "number": number, "name": {"cy": pcy, "en": pen}})
        if key == owner:
            continue
        if key not in nodes:
            nodes[key] = Node(key, name, num, False, False)
        if current:
            active.add(key)
        pair = (owner, key) if owner < key else (key, owner)
        named[pair].add(owner)
        kinds[pair].add(kind)
        pname = {"cy": cy or "", "en": en or ""}
        if pname not in pnames[pair]:
            pnames[pair].append(pname)
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
    snap = _snapshot(store)
    if "indicators" not in snap.memo:
        with _plain_rows(store):
            snap.memo["indicators"] = _combined_indicators(store)
    return list(snap.memo["indicators"])


def _combined_indicators(store: RecordStore) -> list[CombinedIndicator]:
    """Counted by SQLite over `la_view_value` (one row per value of an indicator)."""
    ours = tuple(store.identity_ids)
    marks = ", ".join("?" for _ in ours)
    small = SMALL_COHORT
    titles = {
        tkey: {"cy": cy or "", "en": en or ""}
        for tkey, _first, cy, en in store.conn.execute(
            f"SELECT tkey, min(rowid), title_cy, title_en FROM la_view_value WHERE owner NOT IN ({marks}) GROUP BY tkey", ours
        )
    }
    out = []
    for tkey, unit, period, schools_, left_out, n, cohort_sum, wsum, plain_sum, missing in store.conn.execute(
        "SELECT tkey, unit, period, "
        f"count(DISTINCT CASE WHEN cohort IS NULL OR cohort >= {small} THEN owner END), "
        f"coalesce(sum(cohort IS NOT NULL AND cohort < {small}), 0), "
        f"coalesce(sum(cohort IS NULL OR cohort >= {small}), 0), "
        f"coalesce(sum(CASE WHEN cohort >= {small} THEN cohort ELSE 0 END), 0), "
        f"coalesce(sum(CASE WHEN cohort >= {small} THEN value * cohort ELSE 0 END), 0), "
        f"coalesce(sum(CASE WHEN cohort IS NULL OR cohort >= {small} THEN value ELSE 0 END), 0), "
        "coalesce(max(cohort IS NULL), 0) "
        f"FROM la_view_value WHERE owner NOT IN ({marks}) GROUP BY tkey, unit, period",
        ours,
    ):
        cohort = None if missing else cohort_sum
        suppressed = n == 0 or (cohort is not None and cohort < small)
        if suppressed:
            value = None
        elif cohort:
            value = round(wsum / cohort, 2)
        else:
            value = round(plain_sum / n, 2)
        out.append(CombinedIndicator(titles.get(tkey, {"cy": "", "en": ""}), unit, period, schools_, cohort, value, suppressed, left_out))
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
        ordered = sorted(snap.priorities.items(), key=lambda kv: _sort_key(snap.schools[kv[0]], lang) if kv[0] in snap.schools else "")
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
