"""The headteacher's report to governors for a term: short and exception-based (issue 6).

Sections (the head chooses which, per report; independent of record visibility, DESIGN §2.6):
what changed since the last issued report; priorities with RAG now and last term (table and chart,
always with the RAG word); success criteria met / partly met / not met; overdue actions;
self-evaluation highlights per inspection area; indicators (table and chart); and a short
"for decision / for information" section the head writes for this report.

Everything comes from records the head already keeps; nothing is typed twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable

from selfeval_app.core import plan_figures as pf
from selfeval_app.core.framework import current_framework
from selfeval_app.core.i18n import N_
from selfeval_app.core.owner_sql import where_owner
from selfeval_app.core.plan_years import runs_in
from selfeval_app.core.record_types import RECORD_TYPES, TERMS
from selfeval_app.core.records import RecordStore
from selfeval_app.reports import charts
from selfeval_app.reports.errors import NoReportDataError
from selfeval_app.reports.layout import (
    DocInfo,
    P,
    bullets,
    space,
    styles,
    table,
    text_p,
)
from selfeval_app.reports.model import ReportContent, Sources
from selfeval_app.reports.sections import (
    GOVERNORS_SECTION_TITLES,
    GOVERNORS_SECTIONS,
    GOVERNORS_TITLE,
)
from selfeval_app.reports.text import L, block_languages

KIND = "governors"
SECTIONS = GOVERNORS_SECTIONS
SECTION_TITLES = GOVERNORS_SECTION_TITLES
TITLE = GOVERNORS_TITLE
SHORT_TITLE = N_("Report to governors")

_TYPE_HEADINGS = {
    "school": N_("School details"),
    "plan": N_("Development plan"),
    "area": N_("School’s own areas"),
    "evaluation": N_("Evaluations"),
    "evidence": N_("Evidence"),
    "attachment": N_("Attachments"),
    "priority": N_("Priorities"),
    "action": N_("Actions"),
    "success_criterion": N_("Success criteria"),
    "progress_review": N_("Progress reviews"),
    "indicator": N_("Indicators"),
}


def section_title(section: str, lang: str) -> str:
    """A section's heading in one language (tests and the GUI's section picker use it too)."""
    return L(lang)._(SECTION_TITLES[section])


def report_title(lang: str) -> str:
    return L(lang)._(TITLE)


@dataclass
class GovernorsOptions:
    """What the head chooses beyond the sections."""

    #: {"decision": {"cy": ..., "en": ...}, "information": {"cy": ..., "en": ...}}
    notes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    show_leads: bool = True  # who leads each overdue action
    max_overdue: int = 25
    max_statements: int = 3  # per kind, per area
    max_indicators: int = 6
    max_points: int = 5  # values per indicator chart/table


# --- gathering ---------------------------------------------------------------------------------


def _in_list(column: str, ids: Sequence[str]) -> tuple[str, list[str]]:
    return f"{column} IN ({', '.join('?' for _ in ids)})", list(ids)


@dataclass
class GovernorsData:
    year: int
    term: str
    today: dt.date
    school: dict | None
    priorities: list[dict]
    number: dict[str, int]  # priority id -> its number in this report
    rags: dict[str, pf.PriorityRag]
    chart_terms: list[tuple[int, str]]
    term_reviews: dict[tuple[int, str], dict[str, Mapping[str, Any]]]
    criteria: list[dict]
    actions: list[dict]
    evaluations: list[dict]
    indicators: list[dict]
    last_issue: dict | None
    changes: pf.ChangeSet | None
    own_areas: dict[str, dict]


def _chart_terms(year: int, term: str) -> list[tuple[int, str]]:
    terms = [pf.previous_term(year, term)]
    for t in TERMS[: TERMS.index(term) + 1]:
        if (year, t) not in terms:
            terms.append((year, t))
    return terms


def _current_records(store: RecordStore) -> list[pf.CurrentRecord]:
    out = []
    for name in RECORD_TYPES:
        if name == "report_issue":
            continue
        mine, params = where_owner(store, name)  # our own records: another owner's are not the report's
        for rid, rev, created, deleted in store.conn.execute(
            f'SELECT id, rev, created_at, deleted FROM "{name}"' + mine, params
        ):
            out.append(pf.CurrentRecord(name, rid, rev, created or "", bool(deleted)))
    return out


def gather(store: RecordStore, year: int, term: str, today: dt.date) -> GovernorsData:
    if term not in TERMS:
        raise ValueError(f"term must be one of {TERMS}, not {term!r}")
    priorities = [p for p in store.list("priority", order_by="position, sort_cy, id") if runs_in(p, year)]
    pids = [p["id"] for p in priorities]
    chart_terms = _chart_terms(year, term)
    years = sorted({y for y, _t in chart_terms})
    reviews = store.list(
        "progress_review",
        where=f"academic_year IN ({', '.join('?' for _ in years)})",
        params=years,
        order_by="date, updated_at, id",
    )
    in_term = [r for r in reviews if r["academic_year"] == year and r["term"] == term]
    evaluations = store.list("evaluation", where="academic_year = ?", params=(year,))
    if not priorities and not in_term and not evaluations:
        raise NoReportDataError(year, term)
    criteria = actions = []
    if pids:
        where, params = _in_list("priority_id", pids)
        criteria = store.list("success_criterion", where=where, params=params, order_by="sort_cy, id")
        actions = store.list("action", where=where, params=params, order_by="due_date, sort_cy, id")
    indicators = [i for i in store.list("indicator", order_by="sort_cy, id") if i.get("values")]
    issues = store.list(
        "report_issue",
        where="kind = ? AND issued_on IS NOT NULL AND issued_on <= ?",
        params=(KIND, today.isoformat()),
        order_by="issued_on DESC, created_at DESC",
        limit=1,
    )
    last_issue = issues[0] if issues else None
    changes = pf.changes_since(last_issue, _current_records(store)) if last_issue else None
    own_area_ids = {e["area_id"] for e in evaluations if not current_framework().area(e["area_id"])}
    own_areas = {}
    for aid in own_area_ids:
        rec = store.get("area", aid)
        if rec:
            own_areas[aid] = rec
    return GovernorsData(
        year=year,
        term=term,
        today=today,
        school=store.school(),
        priorities=priorities,
        number={p["id"]: i + 1 for i, p in enumerate(priorities)},
        rags=pf.priority_rags(pids, reviews, year, term),
        chart_terms=chart_terms,
        term_reviews={yt: pf.latest_reviews(reviews, *yt) for yt in chart_terms},
        criteria=criteria,
        actions=actions,
        evaluations=evaluations,
        indicators=indicators,
        last_issue=last_issue,
        changes=changes,
        own_areas=own_areas,
    )


# --- sections ----------------------------------------------------------------------------------


def _prio_label(d: GovernorsData, pid: str) -> str:
    return str(d.number.get(pid, "–"))


def _changes(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    if d.last_issue is None or d.changes is None:
        return [P(Lg._("This is the first report to governors made with this app, so there is nothing to compare it with yet."))]
    issue = d.last_issue
    when = Lg.date_long(issue.get("issued_on"))
    if issue.get("term") and issue.get("academic_year"):
        text = Lg._("The last report to governors (%(term)s) was issued on %(date)s.") % {
            "term": Lg.term_title(issue["academic_year"], issue["term"]),
            "date": when,
        }
    else:
        text = Lg._("The last report to governors was issued on %(date)s.") % {"date": when}
    out: list[Flowable] = [P(text)]
    counts = d.changes.counts_by_type()
    if not counts:
        out.append(P(Lg._("Nothing in the plan, the self-evaluation or the evidence has changed since then.")))
        return out
    rows = []
    for name in RECORD_TYPES:
        if name in counts:
            new, changed, removed = counts[name]
            heading = _TYPE_HEADINGS.get(name)
            rows.append([Lg._(heading) if heading else name, Lg.integer(new), Lg.integer(changed), Lg.integer(removed)])
    # "Removed" needs its own context: the evidence page's "Removed" (one file) is another Welsh word.
    removed_label = Lg.pgettext("changes since the last report", "Removed")
    out.append(table([Lg._("Records"), Lg._("New"), Lg._("Changed"), removed_label], rows, [4, 1.4, 1.4, 1.4]))
    # Which priorities the changes touch, by number
    owner: dict[str, str] = {p["id"]: p["id"] for p in d.priorities}
    for rec in (*d.criteria, *d.actions):
        owner[rec["id"]] = rec["priority_id"]
    for reviews in d.term_reviews.values():
        for r in reviews.values():
            owner[r["id"]] = r["priority_id"]
    ids = [c[1] for c in d.changes.changed] + [n[1] for n in d.changes.new]
    touched = {owner[i] for i in ids if i in owner}
    if touched:
        nums = sorted(d.number[p] for p in touched if p in d.number)
        out.append(space(4))
        out.append(P(Lg._("Priorities with changes since then: %(numbers)s.") % {"numbers": ", ".join(str(n) for n in nums)}))
    return out


def _priorities(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    if not d.priorities:
        return [P(Lg._("No priority of the development plan runs in this year."))]
    last_y, last_t = pf.previous_term(d.year, d.term)
    header = [
        Lg._("No."),
        Lg._("Priority"),
        Lg._("Last term (%(term)s)") % {"term": Lg.term_short(last_t)},
        Lg._("This term (%(term)s)") % {"term": Lg.term_short(d.term)},
        Lg._("Trend"),
    ]
    rows, fills = [], {}
    for i, p in enumerate(d.priorities):
        r = d.rags[p["id"]]
        rows.append([str(i + 1), Lg.pick(p["title"]).markup(), Lg.rag(r.last), Lg.rag(r.now), Lg.trend(r.trend)])
        fills[(2, i)] = charts.RAG_FILL.get(r.last)
        fills[(3, i)] = charts.RAG_FILL.get(r.now)
    out: list[Flowable] = [table(header, rows, [0.6, 5.2, 1.9, 1.9, 1.3], fills=fills), space(8)]
    out.append(P(Lg._("RAG by term (Red, Amber, Green), by priority number:"), "small"))
    columns = [
        f"{Lg.term_short(t)} {str(y)[2:]}/{str(y + 1)[2:]}" for y, t in d.chart_terms
    ]
    chart_rows = [
        (_prio_label(d, p["id"]), [(d.term_reviews[yt].get(p["id"]) or {}).get("rag") for yt in d.chart_terms])
        for p in d.priorities
    ]
    out.append(charts.rag_chart(Lg, chart_rows, columns))
    out.append(space(6))
    said = False
    for p in d.priorities:
        review = d.rags[p["id"]].now_review
        if not review:
            continue
        if not said:
            out.append(P(Lg._("What the progress reviews say this term"), "h2"))
            said = True
        label = f"<b>{_prio_label(d, p['id'])}. {Lg.rag(review.get('rag'))}</b> ({Lg.date(review.get('date'))}): "
        out.append(P(label + Lg.pick(review.get("commentary")).markup()))
    if not said:
        out.append(P(Lg._("No progress review has been written this term yet.")))
    return out


def _criteria(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    if not d.criteria:
        return [P(Lg._("No success criteria have been set for this year’s priorities."))]
    header = [Lg._("No."), Lg._("Met"), Lg._("Partly met"), Lg._("Not met"), Lg._("In progress"), Lg._("Not started")]
    keys = ("met", "partially_met", "not_met", "in_progress", "not_started")
    rows = []
    total = dict.fromkeys(keys, 0)
    for p in d.priorities:
        counts = pf.criteria_counts(c for c in d.criteria if c["priority_id"] == p["id"])
        if not any(counts.values()):
            continue
        for k in keys:
            total[k] += counts[k]
        rows.append([_prio_label(d, p["id"]), *(Lg.integer(counts[k]) for k in keys)])
    all_label = Lg._("All")
    rows.append([f"<b>{all_label}</b>", *(f"<b>{Lg.integer(total[k])}</b>" for k in keys)])
    out: list[Flowable] = [table(header, rows, [1.2, 1, 1, 1, 1, 1], total_row=True)]
    not_met = [c for c in d.criteria if c.get("status") in ("not_met", "partially_met")]
    if not_met:
        out.append(P(Lg._("Criteria not met or only partly met"), "h2"))
        items = []
        for c in not_met[:10]:
            status = Lg._("Not met") if c["status"] == "not_met" else Lg._("Partly met")
            figures = ""
            if c.get("target") is not None and c.get("actual") is not None:
                figures = " " + Lg._("(target %(target)s, actual %(actual)s)") % {
                    "target": Lg.value(c["target"], c.get("unit")),
                    "actual": Lg.value(c["actual"], c.get("unit")),
                }
            items.append(f"<b>{_prio_label(d, c['priority_id'])}. {status}:</b> {Lg.pick(c['description']).markup()}{figures}")
        out += bullets(items)
    return out


def _overdue(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    overdue = [a for a in d.actions if pf.is_overdue(a, d.today)]
    overdue.sort(key=lambda a: (a.get("due_date") or "", d.number.get(a["priority_id"], 0)))
    due = [a for a in d.actions if pf.action_status(a, d.today) == "due"]
    out: list[Flowable] = []
    if not overdue:
        out.append(P(Lg._("No action is overdue.")))
    else:
        header = [Lg._("No."), Lg._("Action"), Lg._("Due"), Lg._("Days late"), Lg._("Status")]
        widths = [0.6, 5.4, 1.5, 1.1, 1.5]
        if o.show_leads:
            header.append(Lg._("Lead"))
            widths.append(2.0)
        statuses = {
            "not_started": Lg._("Not started"),
            "in_progress": Lg._("In progress"),
            "blocked": Lg._("Blocked"),
        }
        rows = []
        for a in overdue[: o.max_overdue]:
            row = [
                _prio_label(d, a["priority_id"]),
                Lg.pick(a["description"]).markup(),
                Lg.date(a.get("due_date")),
                Lg.integer(pf.days_overdue(a, d.today)),
                statuses.get(a.get("status") or "not_started", a.get("status") or ""),
            ]
            if o.show_leads:
                row.append(text_p(a.get("lead") or "–", "cell"))
            rows.append(row)
        out.append(table(header, rows, widths))
        more = len(overdue) - o.max_overdue
        if more > 0:
            out.append(P(Lg.ngettext("…and %(count)d more overdue action.", "…and %(count)d more overdue actions.", more) % {"count": more}, "small"))
    if due:
        out.append(P(Lg.ngettext(
            "%(count)d more action is due in the next 14 days.",
            "%(count)d more actions are due in the next 14 days.",
            len(due),
        ) % {"count": len(due)}))
    return out


def _area_title(d: GovernorsData, Lg: L, area_id: str) -> str:
    area = current_framework().area(area_id)
    if area is not None:
        return f"{area.number}. {area.title(Lg.code)}"
    own = d.own_areas.get(area_id)
    if own:
        code = f"{own.get('code')}. " if own.get("code") else ""
        return code + Lg.pick(own.get("title")).plain()
    return area_id


def _area_order(d: GovernorsData, e: Mapping[str, Any]) -> tuple[int, str]:
    area = current_framework().area(e["area_id"])
    return (area.number, "") if area else (99, e["area_id"])


def _self_evaluation(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    from xml.sax.saxutils import escape

    if not d.evaluations:
        return [P(Lg._("No self-evaluation has been written for this year yet."))]
    out: list[Flowable] = []
    kinds = (
        ("strength", Lg._("Strengths")),
        ("development", Lg._("Areas for development")),
        ("next_step", Lg._("Next steps")),
    )
    for e in sorted(d.evaluations, key=lambda e: _area_order(d, e)):
        out.append(P(escape(_area_title(d, Lg, e["area_id"])), "h2"))
        any_items = False
        for kind, label in kinds:
            items = [s for s in e.get("statements") or [] if isinstance(s, dict) and s.get("kind") == kind]
            if not items:
                continue
            any_items = True
            out.append(P(f"<b>{label}</b>", "body"))
            out += bullets([Lg.pick(s.get("text")).markup() for s in items[: o.max_statements]])
        if not any_items:
            out.append(P(Lg.pick(e.get("narrative")).markup()))
    return out


def _indicators(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    if not d.indicators:
        return [P(Lg._("No indicators have been recorded."))]
    from reportlab.platypus import KeepTogether

    out: list[Flowable] = []
    for ind in d.indicators[: o.max_indicators]:
        values = [v for v in ind.get("values") or [] if isinstance(v, dict) and isinstance(v.get("value"), int | float)]
        values = values[-o.max_points:]
        if not values:
            continue
        unit = ind.get("unit")
        rows = []
        for v in values:
            term, year = charts._period_parts(Lg, str(v.get("period") or ""))
            rows.append([f"{term} {year}".strip(), Lg.value(v["value"], unit), Lg.integer(v["cohort"]) if isinstance(v.get("cohort"), int) else "–"])
        block = [
            P(Lg.pick(ind["title"]).markup(), "h2"),
            table([Lg._("Period"), Lg._("Value"), Lg._("Learners")], rows, [2.4, 1.4, 1.4]),
            space(4),
            charts.line_chart(Lg, [(str(v.get("period") or ""), float(v["value"])) for v in values], unit),
            space(4),
        ]
        out.append(KeepTogether(block))
    return out


def _for_decision(d: GovernorsData, Lg: L, o: GovernorsOptions) -> list[Flowable]:
    out: list[Flowable] = []
    for key, heading, empty in (
        ("decision", Lg._("For decision"), Lg._("Nothing for decision this term.")),
        ("information", Lg._("For information"), Lg._("Nothing further for information this term.")),
    ):
        out.append(P(heading, "h2"))
        pair = o.notes.get(key) or {}
        if not any((pair.get(x) or "").strip() for x in ("cy", "en")):
            out.append(P(empty))
            continue
        text = Lg.pick(pair)
        if text.missing:
            out.append(P(text.markup()))
            continue
        for para in [s.strip() for s in text.text.split("\n\n") if s.strip()]:
            lines = para.splitlines()
            if all(ln.lstrip().startswith(("-", "•", "*")) for ln in lines):
                from xml.sax.saxutils import escape

                out += bullets([escape(ln.lstrip()[1:].strip()) for ln in lines])
            else:
                out.append(text_p(" ".join(ln.strip() for ln in lines)))
    return out


_RENDER = {
    "changes": _changes,
    "priorities": _priorities,
    "success_criteria": _criteria,
    "overdue_actions": _overdue,
    "self_evaluation": _self_evaluation,
    "indicators": _indicators,
    "for_decision": _for_decision,
}


def _sources(d: GovernorsData, sections: Sequence[str], o: GovernorsOptions) -> Sources:
    s = Sources()
    s.add(d.school)
    s.add_all(d.priorities)
    for reviews in d.term_reviews.values():
        s.add_all(reviews.values())
    if "success_criteria" in sections:
        s.add_all(d.criteria)
    if "overdue_actions" in sections:
        s.add_all(d.actions)
    if "self_evaluation" in sections:
        s.add_all(d.evaluations)
        s.add_all(d.own_areas.values())
    if "indicators" in sections:
        s.add_all(d.indicators[: o.max_indicators])
    return s


def title_block(Lg: L, title: str, subtitle: str, school: Mapping[str, Any] | None, dated: str) -> list[Flowable]:
    name = Lg.pick((school or {}).get("name")).plain() if school else ""
    out = [P(Lg._(title), "title"), P(subtitle, "subtitle")]
    if name:
        out.append(text_p(name, "subtitle"))
    out.append(P(dated, "small"))
    return out


def school_names(school: Mapping[str, Any] | None, langs: Sequence[L]) -> str:
    names = []
    for Lg in langs:
        n = Lg.pick((school or {}).get("name")).plain() if school else ""
        if n and n not in names:
            names.append(n)
    return " · ".join(names)


def build(
    store: RecordStore,
    *,
    lang: str,
    year: int,
    term: str,
    today: dt.date,
    sections: Sequence[str] | None = None,
    draft: bool = False,
    options: GovernorsOptions | None = None,
) -> ReportContent:
    o = options or GovernorsOptions()
    chosen = [s for s in SECTIONS if s in (sections or SECTIONS)]
    unknown = set(sections or ()) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    d = gather(store, year, term, today)
    langs = block_languages(lang)
    story: list[Flowable] = []
    for Lg in langs:
        dated = (
            Lg._("Draft made on %(date)s: not issued.") if draft else Lg._("Issued on %(date)s.")
        ) % {"date": Lg.date_long(today)}
        story += title_block(Lg, TITLE, Lg.term_title(year, term), d.school, dated)
        story.append(space(6))
    for section in chosen:
        for Lg in langs:
            story.append(P(Lg._(SECTION_TITLES[section]), "h1"))
            story += _RENDER[section](d, Lg, o)
            story.append(space(4))
    styles()  # fonts registered before rendering starts
    names = school_names(d.school, langs)
    info = DocInfo(
        lang=lang,
        title=" / ".join(f"{Lg._(TITLE)}: {Lg.term_title(year, term)}" for Lg in langs),
        subject=" / ".join(Lg._(SHORT_TITLE) for Lg in langs),
        author=names,
        header_left=names,
        header_right=" · ".join(f"{Lg._(SHORT_TITLE)}, {Lg.term_title(year, term)}" for Lg in langs)
        if len(langs) == 1
        else " · ".join(Lg._(SHORT_TITLE) for Lg in langs),
        footer_left=" · ".join(
            (Lg._("Draft") if draft else Lg._("Issued %(date)s") % {"date": Lg.date(today)}) for Lg in langs
        ),
        blocks=langs,
        draft=draft,
    )
    return ReportContent(KIND, lang, year, term, chosen, story, info, _sources(d, chosen, o))
