"""The report of a peer review visit (issue 12): questions, activities in summary, findings, the
host's responses and the agreed next steps. Bilingual like the other reports: Welsh block first
for `both`, text missing in one language marked. No grades.

On the host's side after agreement the findings come from the host's own copy
(`review_report`); before that, and on a reviewer's laptop, from the findings held there.
Not recorded as an issued report (`report_issue` kinds are the school's statutory reports).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether

from selfeval_app.core import peer_review
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.reports.issue import write_pdf
from selfeval_app.reports.layout import DocInfo, P, render, space, table
from selfeval_app.reports.text import L, block_languages

TITLE = N_("Peer review visit report")

VISIT_KIND_LABELS = {
    "peer_review": N_("Peer review"),
    "peer_enquiry": N_("Peer enquiry"),
    "cluster_visit": N_("Cluster visit"),
    "other": N_("Other visit"),
}
NOTE_KIND_LABELS = {
    "joint_lesson_observation": N_("Joint lesson observation"),
    "learning_walk": N_("Learning walk"),
    "work_scrutiny": N_("Work scrutiny / book look"),
    "learner_voice": N_("Learner voice"),
    "meeting_staff": N_("Meeting with staff"),
    "meeting_governors": N_("Meeting with governors"),
    "meeting_parents": N_("Meeting with parents"),
    "other": N_("Other activity"),
}
STATUS_LABELS = {
    "draft": N_("Draft"),
    "pack_sent": N_("Pack sent"),
    "visit": N_("Visit under way"),
    "fact_check": N_("Report in fact-check"),
    "agreed": N_("Agreed"),
    "closed": N_("Closed"),
}
RESPONSE_LABELS = {"agree": N_("Agreed"), "correction": N_("Correction"), "comment": N_("Comment")}
ROLE_LABELS = {"lead": N_("Lead reviewer"), "reviewer": N_("Reviewer"), "link_leader": N_("Host's link leader")}
FINDING_PARTS = (
    ("strengths", N_("Strengths")),
    ("areas_for_development", N_("Areas for development")),
    ("practice_worth_sharing", N_("Practice worth sharing")),
    ("lines_of_enquiry", N_("Lines of further enquiry")),
)


@dataclass(frozen=True)
class PeerReviewResult:
    path: Path
    pages: int


def _label(Lg: L, labels: dict[str, str], key: str | None) -> str:
    return Lg._(labels[key]) if key in labels else escape(key or "–")


def build_story(store: RecordStore, visit_id: str, *, lang: str, today: dt.date) -> tuple[list[Flowable], DocInfo]:
    visit = peer_review.get_visit(store, visit_id)
    notes = peer_review.notes_of(store, visit_id)
    report = peer_review.report_of(store, visit_id)
    findings = list(report["findings"]) if report else peer_review.findings_of(store, visit_id)
    responses = {r["finding_id"]: r for r in peer_review.responses_of(store, visit_id)}
    questions = {q["id"]: q for q in visit.get("questions") or [] if isinstance(q, dict) and q.get("id")}
    langs = block_languages(lang)
    story: list[Flowable] = []
    for Lg in langs:
        story.append(P(Lg._(TITLE), "title"))
        story.append(P(Lg.pick(visit["host_name"]).markup(), "subtitle"))
        dates = Lg.date_long(visit.get("start_date"))
        if visit.get("end_date") and visit["end_date"] != visit.get("start_date"):
            dates = Lg._("%(first)s to %(last)s") % {"first": dates, "last": Lg.date_long(visit["end_date"])}
        story.append(P(escape(f"{_label(Lg, VISIT_KIND_LABELS, visit['kind'])} · {dates}")))
        story.append(P(Lg._("Status: %(status)s") % {"status": _label(Lg, STATUS_LABELS, visit["status"])}, "small"))
        if report:
            story.append(P(Lg._("Agreed on %(date)s by the host school and the reviewers.") % {"date": Lg.date_long(report["agreed_on"])}, "small"))
        else:
            story.append(P(Lg._("Not agreed yet: a draft made on %(date)s.") % {"date": Lg.date_long(today)}, "small"))
        team = visit.get("team") or []
        if team:
            story.append(P(Lg._("The team"), "h2"))
            story.append(table(
                [Lg._("Name"), Lg._("Role")],
                [[escape(m.get("name") or "–"), _label(Lg, ROLE_LABELS, m.get("role"))] for m in team if isinstance(m, dict)],
                [6, 4],
            ))
        story.append(space(6))

    for Lg in langs:
        story.append(P(Lg._("The questions"), "h1"))
        if not questions:
            story.append(P(Lg._("The visit has no questions yet.")))
        for n, q in enumerate(questions.values(), 1):
            story.append(P(f"{n}. {Lg.pick(q.get('text')).markup()}"))
        story.append(P(Lg._("Activities"), "h1"))
        if not notes:
            story.append(P(Lg._("No activities are recorded here.")))
        else:
            counts = Counter(n["kind"] for n in notes)
            story.append(table(
                [Lg._("Activity"), Lg._("Times")],
                [[_label(Lg, NOTE_KIND_LABELS, kind), str(c)] for kind, c in sorted(counts.items())],
                [7, 3],
            ))
        story.append(P(Lg._("Findings"), "h1"))
        if not findings:
            story.append(P(Lg._("No findings are written yet.")))
        for f in findings:
            question = questions.get(f.get("question_id"))
            heading = Lg.pick(question.get("text")).markup() if question else escape(f.get("question_id") or "–")
            block: list[Flowable] = [P(heading, "h2")]
            for key, label in FINDING_PARTS:
                if any((f.get(key) or {}).values()):
                    block.append(P(f"<b>{escape(Lg._(label))}:</b> {Lg.pick(f.get(key)).markup()}"))
            authors = f.get("authors") or []
            if authors:
                block.append(P(Lg._("Written by: %(names)s") % {"names": escape(", ".join(authors))}, "small"))
            response = responses.get(f.get("finding_id") or f.get("id"))
            if response is not None:
                words = _label(Lg, RESPONSE_LABELS, response["response"])
                text = Lg.pick(response.get("text")).markup() if any((response.get("text") or {}).values()) else ""
                block.append(P(f"<b>{escape(Lg._('The host school’s response'))}:</b> {words}. {text}"))
            story.append(KeepTogether(block))
        story.append(P(Lg._("Agreed next steps"), "h1"))
        steps = [f for f in findings if any((f.get("lines_of_enquiry") or {}).values())]
        if not report:
            story.append(P(Lg._("The next steps are agreed with the report.")))
        elif not steps:
            story.append(P(Lg._("No next steps were agreed.")))
        for f in steps if report else []:
            story.append(P(f"• {Lg.pick(f.get('lines_of_enquiry')).markup()}"))
        if visit.get("follow_up"):
            story.append(P(Lg._("Follow-up: %(date)s") % {"date": Lg.date_long(visit["follow_up"])}))
        story.append(space(6))
    names = " · ".join(dict.fromkeys(Lg.pick(visit["host_name"]).plain() for Lg in langs))
    info = DocInfo(
        lang=lang,
        title=" / ".join(Lg._(TITLE) for Lg in langs),
        subject=" / ".join(Lg._(TITLE) for Lg in langs),
        author=names,
        header_left=names,
        header_right=" · ".join(Lg._(TITLE) for Lg in langs),
        footer_left=" · ".join(Lg.date(today) for Lg in langs),
        blocks=langs,
        draft=report is None,
    )
    return story, info


def make_peer_review_report(
    store: RecordStore, visit_id: str, out: Path, *, lang: str = "both", today: dt.date | None = None
) -> PeerReviewResult:
    story, info = build_story(store, visit_id, lang=lang, today=today or store.clock.today())
    data, pages = render(story, info)
    write_pdf(data, Path(out))
    return PeerReviewResult(Path(out), pages)

