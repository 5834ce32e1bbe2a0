"""The local authority's summary of its schools (issue 13): what schools chose to share, across
schools. Bilingual like the other reports: for `both` the Welsh block comes first, then the
English; fonts embedded (reports/fonts.py). No league tables, no colour categories: schools are
listed in alphabetical order, RAG always as its word, counts rather than rankings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from selfeval_app import la_views
from selfeval_app.core.collaboration import KIND_SHORT
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.reports.issue import write_pdf
from selfeval_app.reports.layout import DocInfo, P, render, space, table
from selfeval_app.reports.text import L, block_languages

TITLE = N_("Local authority summary")


def _la_name(store: RecordStore) -> dict[str, str]:
    from selfeval_app.core.identities import primary_identity

    ident = primary_identity(store.db)
    return {"cy": ident.name_cy if ident else "", "en": ident.name_en if ident else ""}


def _bundle_date(Lg: L, value: str | None) -> str:
    return Lg.date(value[:10]) if value else Lg._("nothing received yet")


def build_story(store: RecordStore, *, lang: str, today: dt.date) -> tuple[list[Flowable], DocInfo]:
    langs = block_languages(lang)
    rows = la_views.schools(store, lang="cy", today=today)
    align = la_views.alignment(store, today=today)
    progress = la_views.progress_by_national_priority(store, today=today)
    net = la_views.collaboration(store, today=today)
    indicators = la_views.combined_indicators(store)
    la_name = _la_name(store)
    by_key = {n.key: n for n in net.nodes}
    story: list[Flowable] = []
    for Lg in langs:
        code = Lg.code
        ordered = rows if code == "cy" else sorted(rows, key=lambda r: (r.sort_en, r.number or "", r.key))
        story.append(P(Lg._(TITLE), "title"))
        story.append(P(Lg.pick(la_name).markup(), "subtitle"))
        story.append(P(Lg._("Made on %(date)s from what schools chose to share.") % {"date": Lg.date_long(today)}, "small"))
        sent = sum(1 for r in rows if r.last_bundle_at)
        story.append(P(
            Lg._("Schools: %(total)s. Schools that have shared their records: %(sent)s. Schools that have sent nothing yet: %(silent)s.")
            % {"total": Lg.integer(len(rows)), "sent": Lg.integer(sent), "silent": Lg.integer(len(rows) - sent)}
        ))

        story.append(P(Lg._("Alignment to national priorities"), "h1"))
        story.append(table(
            [Lg._("National priority"), Lg._("Schools"), Lg._("Priorities")],
            [[escape(Lg.pick(t.label).plain()), Lg.integer(t.schools), Lg.integer(t.priorities)] for t in align.tags],
            [6, 2, 2],
        ))
        story.append(P(
            Lg._("Schools running more than five priorities this year: %(count)s.") % {"count": Lg.integer(len(align.many_priorities))}
        ))
        story.append(P(Lg._("Priorities with no national tag: %(count)s.") % {"count": Lg.integer(len(align.untagged))}))

        story.append(P(Lg._("Progress by national priority"), "h1"))
        story.append(P(Lg._("The latest progress review of each priority, and whether it moved since the one before."), "small"))
        story.append(table(
            [Lg._("National priority"), Lg._("Priorities"), Lg.rag("green"), Lg.rag("amber"), Lg.rag("red"),
             Lg._("No review yet"), Lg._("Improving"), Lg._("No change"), Lg._("Less good")],
            [[escape(Lg.pick(t.label).plain()), Lg.integer(t.priorities), Lg.integer(t.rag["green"]), Lg.integer(t.rag["amber"]),
              Lg.integer(t.rag["red"]), Lg.integer(t.rag[la_views.NONE]), Lg.integer(t.trend["improving"]),
              Lg.integer(t.trend["steady"]), Lg.integer(t.trend["worse"])] for t in progress],
            [4, 1.6, 1.4, 1.4, 1.4, 1.6, 1.6, 1.6, 1.6],
        ))

        story.append(P(Lg._("Collaboration"), "h1"))
        story.append(P(
            Lg._("Links between schools: %(links)s. Pairs where both schools name each other: %(both)s. Pairs named by one school only: %(one)s.")
            % {"links": Lg.integer(len(net.edges)), "both": Lg.integer(net.reciprocal_pairs), "one": Lg.integer(net.named_pairs - net.reciprocal_pairs)}
        ))
        if net.edges:
            def kinds(e: la_views.Edge, Lg: L = Lg) -> str:
                return "; ".join(Lg._("Peer review") if k == "peer_review" else (Lg._(KIND_SHORT[k]) if k in KIND_SHORT else k) for k in e.kinds)

            def name(key: str, Lg: L = Lg) -> str:
                node = by_key[key]
                return escape(Lg.pick(node.name).plain() or node.number or "–")

            story.append(table(
                [Lg._("School"), Lg._("Works with"), Lg._("Kinds"), Lg._("Both name each other")],
                [[name(e.a), name(e.b), escape(kinds(e)), Lg._("Yes") if e.reciprocal else Lg._("No")] for e in net.edges],
                [4, 4, 3, 2],
            ))
        story.append(P(Lg._("Schools with no partnership or peer review in the last year"), "h2"))
        if net.isolated:
            story.append(P(escape(", ".join(Lg.pick(n.name).plain() or (n.number or "–") for n in net.isolated))))
        else:
            story.append(P(Lg._("None.")))

        story.append(P(Lg._("Indicators combined across schools"), "h1"))
        story.append(P(Lg._("Values of indicators with the same name and unit, weighted by cohort. Cohorts of fewer than 5 pupils are left out; a combined figure for fewer than 5 is not shown."), "small"))
        if indicators:
            story.append(table(
                [Lg._("Indicator"), Lg._("Period"), Lg._("Schools"), Lg._("Pupils"), Lg._("Combined value")],
                [[escape(Lg.pick(c.title).plain()), escape(c.period), Lg.integer(c.schools),
                  Lg.integer(c.cohort) if c.cohort is not None else "–",
                  Lg._("Suppressed (fewer than 5)") if c.suppressed else escape(Lg.value(c.value, c.unit))] for c in indicators],
                [5, 2.5, 1.5, 1.5, 2.5],
            ))
        else:
            story.append(P(Lg._("No school has shared an indicator yet.")))

        story.append(P(Lg._("Schools"), "h1"))
        story.append(P(Lg._("In alphabetical order."), "small"))
        if ordered:
            story.append(table(
                [Lg._("School"), Lg._("School number"), Lg._("Last bundle"), Lg._("Priorities"), Lg._("Overdue actions"), Lg._("Partnerships")],
                [[escape(Lg.pick(r.name).plain() or r.number or "–"), escape(r.number or "–"), _bundle_date(Lg, r.last_bundle_at),
                  Lg.integer(r.priorities), Lg.integer(r.overdue_actions), Lg.integer(r.partnerships)] for r in ordered],
                [5, 2, 2.4, 1.6, 1.6, 1.6],
            ))
        else:
            story.append(P(Lg._("No schools yet: import the list of schools, or the bundles schools send.")))
        story.append(space(8))
    names = " · ".join(dict.fromkeys(Lg.pick(la_name).plain() for Lg in langs))
    info = DocInfo(
        lang=lang,
        title=" / ".join(Lg._(TITLE) for Lg in langs),
        subject=" / ".join(Lg._(TITLE) for Lg in langs),
        author=names,
        header_left=names,
        header_right=" · ".join(Lg._(TITLE) for Lg in langs),
        footer_left=" · ".join(Lg.date(today) for Lg in langs),
        blocks=langs,
    )
    return story, info


def write_la_summary(store: RecordStore, out: Path, *, lang: str = "both", today: dt.date | None = None) -> int:
    """Write the summary PDF (temporary name, then renamed); returns its page count."""
    story, info = build_story(store, lang=lang, today=today or store.clock.today())
    data, pages = render(story, info)
    write_pdf(data, Path(out))
    return pages
