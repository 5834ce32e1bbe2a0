"""Summary of the School Development Plan for the governors' annual report to parents.

Priorities for this year and the next two, their expected outcomes and what the school will do,
and how last year's targets went (Education (School Development Plans) (Wales) Regulations 2014).

The summary is public, so by default it carries no staff names (lead fields), no costs (the
`resources` text, action costs) and no evaluation text (evaluations, and a priority's rationale,
which quotes them): `SdpSummaryOptions` adds them when the head chooses (DESIGN §2.6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether

from selfeval_app.core import plan_figures as pf
from selfeval_app.core.framework import current_framework
from selfeval_app.core.i18n import N_
from selfeval_app.core.plan_years import runs_during
from selfeval_app.core.records import RecordStore
from selfeval_app.reports.errors import NoReportDataError
from selfeval_app.reports.governors import school_names, title_block
from selfeval_app.reports.layout import DocInfo, P, space, table, text_p
from selfeval_app.reports.model import ReportContent, Sources
from selfeval_app.reports.sections import (
    SDP_DEFAULT_SECTIONS,
    SDP_SECTION_TITLES,
    SDP_SECTIONS,
    SDP_TITLE,
)
from selfeval_app.reports.text import L, academic_year_label, block_languages

KIND = "sdp_summary"
SECTIONS = SDP_SECTIONS
DEFAULT_SECTIONS = SDP_DEFAULT_SECTIONS
SECTION_TITLES = SDP_SECTION_TITLES
TITLE = SDP_TITLE
SHORT_TITLE = N_("School development plan summary")


def section_title(section: str, lang: str) -> str:
    return L(lang)._(SECTION_TITLES[section])


@dataclass
class SdpSummaryOptions:
    include_leads: bool = False  # staff names
    include_costs: bool = False  # planned and committed money, the "use of staff and money" text
    include_evaluation: bool = False  # evaluation narratives and priorities' rationale


def _years(Lg: L, p: Mapping[str, Any]) -> str:
    start, end = p.get("start_year"), p.get("end_year")
    one = start if start is not None else end
    if one is None:
        return "–"
    if start is None or end is None or start == end:
        return academic_year_label(one)
    return Lg._("%(first)s to %(last)s") % {"first": academic_year_label(start), "last": academic_year_label(end)}


def _labelled(label: str, markup: str) -> str:
    return f"<b>{escape(label)}</b> {markup}"


def build(
    store: RecordStore,
    *,
    lang: str,
    year: int,
    today: dt.date,
    sections: Sequence[str] | None = None,
    draft: bool = False,
    options: SdpSummaryOptions | None = None,
) -> ReportContent:
    o = options or SdpSummaryOptions()
    wanted = sections or (SECTIONS if o.include_evaluation else DEFAULT_SECTIONS)
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    chosen = [s for s in SECTIONS if s in wanted and (s != "evaluation" or o.include_evaluation)]
    school = store.school()
    plans = store.list("plan", order_by="start_year DESC, id")
    all_priorities = store.list("priority", order_by="position, sort_cy, id")
    priorities = [p for p in all_priorities if runs_during(p, year, year + 2)]
    last_year = [p for p in all_priorities if str(year - 1) in (p.get("year_end") or {})]
    plan = next((p for p in plans if p["start_year"] <= year), plans[0] if plans else None)
    if not priorities and not last_year:
        raise NoReportDataError(year, None)
    actions: list[dict] = []
    if o.include_costs and priorities:
        marks = ", ".join("?" for _ in priorities)
        actions = store.list("action", where=f"priority_id IN ({marks})", params=[p["id"] for p in priorities])
    evaluations = store.list("evaluation", where="academic_year = ?", params=(year,)) if "evaluation" in chosen else []
    sources = Sources()
    sources.add(school)
    sources.add(plan)
    sources.add_all(priorities)
    sources.add_all(last_year)
    sources.add_all(actions)
    sources.add_all(evaluations)

    def priorities_section(Lg: L) -> list[Flowable]:
        if not priorities:
            return [P(Lg._("The plan has no priorities for these years yet."))]
        out: list[Flowable] = [
            P(Lg._("Our priorities from %(first)s to %(last)s:") % {
                "first": academic_year_label(year), "last": academic_year_label(year + 2)}),
            table(
                [Lg._("No."), Lg._("Priority"), Lg._("Years")],
                [[str(i + 1), Lg.pick(p["title"]).markup(), _years(Lg, p)] for i, p in enumerate(priorities)],
                [0.6, 7, 2.4],
            ),
            space(6),
        ]
        for i, p in enumerate(priorities):
            block: list[Flowable] = [P(f"{i + 1}. {Lg.pick(p['title']).markup()}", "h2")]
            if o.include_evaluation and any((p.get("rationale") or {}).values()):
                block.append(P(_labelled(Lg._("Why this is a priority:"), Lg.pick(p.get('rationale')).markup())))
            block.append(P(_labelled(Lg._("Expected outcomes:"), Lg.pick(p.get('expected_outcomes')).markup())))
            if any((p.get("strategy") or {}).values()):
                block.append(P(_labelled(Lg._("What we will do:"), Lg.pick(p.get('strategy')).markup())))
            if any((p.get("community_work") or {}).values()):
                block.append(P(_labelled(Lg._("Working with families and the community:"), Lg.pick(p.get('community_work')).markup())))
            if o.include_leads and p.get("lead"):
                block.append(P(_labelled(Lg._("Led by:"), escape(p["lead"]))))
            if o.include_costs:
                mine = [a for a in actions if a["priority_id"] == p["id"]]
                money = pf.total_money(pf.money_by_source(mine))
                if any((p.get("resources") or {}).values()):
                    block.append(P(_labelled(Lg._("Use of staff and money:"), Lg.pick(p.get('resources')).markup())))
                if money.planned_pence:
                    block.append(P(Lg._("Planned cost %(planned)s; committed so far %(committed)s.") % {
                        "planned": Lg.money(money.planned_pence), "committed": Lg.money(money.committed_pence)}))
            out.append(KeepTogether(block))
        return out

    def last_year_section(Lg: L) -> list[Flowable]:
        out: list[Flowable] = []
        if plan and any((plan.get("targets_review") or {}).values()):
            out.append(P(Lg.pick(plan.get("targets_review")).markup()))
        if not last_year:
            if not out:
                out.append(P(Lg._("No targets were recorded for %(year)s.") % {"year": academic_year_label(year - 1)}))
            return out
        words = {"met": Lg._("Met"), "partly": Lg._("Partly met"), "not_met": Lg._("Not met")}
        rows = []
        for p in last_year:
            outcome = (p.get("year_end") or {}).get(str(year - 1)) or {}
            why = outcome.get("why_not") or {}
            rows.append([
                Lg.pick(p["title"]).markup(),
                words.get(str(outcome.get("met")), "–"),
                Lg.pick(why).markup() if any(why.values()) else "–",
            ])
        out.append(P(Lg._("The priorities of %(year)s:") % {"year": academic_year_label(year - 1)}))
        out.append(table([Lg._("Priority"), Lg._("Outcome"), Lg._("Why not, if not met")], rows, [4, 1.6, 5]))
        return out

    def evaluation_section(Lg: L) -> list[Flowable]:
        if not evaluations:
            return [P(Lg._("No self-evaluation has been written for this year yet."))]
        out: list[Flowable] = []
        fw = current_framework()
        def in_area_order(e: dict) -> tuple[int, str]:
            area = fw.area(e["area_id"])
            return (area.number if area else 99, e["area_id"])

        for e in sorted(evaluations, key=in_area_order):
            area = fw.area(e["area_id"])
            if area is None:
                own = store.get("area", e["area_id"])
                title = Lg.pick((own or {}).get("title")).plain() if own else e["area_id"]
            else:
                title = f"{area.number}. {area.title(Lg.code)}"
            out += [text_p(title, "h2"), P(Lg.pick(e.get("narrative")).markup())]
        return out

    render = {"priorities": priorities_section, "last_year": last_year_section, "evaluation": evaluation_section}
    langs = block_languages(lang)
    story: list[Flowable] = []
    for Lg in langs:
        dated = (
            Lg._("Draft made on %(date)s: not issued.") if draft else Lg._("Issued on %(date)s.")
        ) % {"date": Lg.date_long(today)}
        subtitle = Lg._("For the governors’ annual report to parents, %(year)s") % {"year": academic_year_label(year)}
        story += title_block(Lg, TITLE, subtitle, school, dated)
        story.append(space(6))
    for section in chosen:
        for Lg in langs:
            story.append(P(Lg._(SECTION_TITLES[section]), "h1"))
            story += render[section](Lg)
            story.append(space(4))
    names = school_names(school, langs)
    info = DocInfo(
        lang=lang,
        title=" / ".join(f"{Lg._(SHORT_TITLE)} {academic_year_label(year)}" for Lg in langs),
        subject=" / ".join(Lg._(TITLE) for Lg in langs),
        author=names,
        header_left=names,
        header_right=" · ".join(f"{Lg._(SHORT_TITLE)} {academic_year_label(year)}" for Lg in langs),
        footer_left=" · ".join(
            (Lg._("Draft") if draft else Lg._("Issued %(date)s") % {"date": Lg.date(today)}) for Lg in langs
        ),
        blocks=langs,
        draft=draft,
    )
    return ReportContent(KIND, lang, year, None, chosen, story, info, sources)
