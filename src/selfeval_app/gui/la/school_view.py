"""One school at the LA (issue 13 item 3): what it shared, read-only, in a window of its own.

A read-only summary view (the reusable "another owner's records in the usual pages" piece was
not there to reuse when this was written): the school's priorities with their national tags,
latest progress review (its word, never a colour) and trend; overdue actions; its self-evaluation
(areas and years evaluated, with the narrative it shared); its evidence; peer reviews hosted and
given; partnerships with their joint activities. Everything comes from la_views and the reader;
nothing here can change a record (they are the school's)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.la.tables import Column, RowsModel, fit_columns, name_table, table_view
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.plan.widgets import name_tab_scrollers

VISIT_KIND_LABELS = {
    "peer_review": N_("Peer review"),
    "peer_enquiry": N_("Peer enquiry"),
    "cluster_visit": N_("Cluster visit"),
    "other": N_("Other visit"),
}
VISIT_STATUS_LABELS = {
    "draft": N_("Draft"),
    "pack_sent": N_("Pack sent"),
    "visit": N_("Visit under way"),
    "fact_check": N_("Report in fact-check"),
    "agreed": N_("Agreed"),
    "closed": N_("Closed"),
}
CRITERION_STATUS_ORDER = ("met", "partially_met", "in_progress", "not_met", "not_started")


def _label(table: dict[str, str], key: str) -> str:
    message = table.get(key)
    return _(message) if message else key


def _pick(pair) -> str:
    from selfeval_app.gui.plan.words import pick

    return pick(pair)


def _date(value: str | None) -> str:
    from selfeval_app.gui.la.schools import date_only

    return date_only(value) if value else ""


def _escape(text: str) -> str:
    import html

    return html.escape(text or "").replace("\n", "<br>")


def _years(years) -> str:
    from selfeval_app.core.plan_years import year_label

    return ", ".join(year_label(y) for y in years)


def _criteria_text(criteria: dict[str, int]) -> str:
    from selfeval_app.gui.plan.words import CRITERION_STATUS_NAMES

    parts = [f"{_(CRITERION_STATUS_NAMES[s])}: {criteria[s]}" for s in CRITERION_STATUS_ORDER if criteria.get(s)]
    return "; ".join(parts)


def _visit_dates(v) -> str:
    if v.end_date and v.end_date != v.start_date:
        return _("%(start)s to %(end)s") % {"start": _date(v.start_date), "end": _date(v.end_date)}
    return _date(v.start_date)


def priority_columns():
    from selfeval_app.gui.la.schools import tags_text
    from selfeval_app.la_views import rag_label, trend_label

    return [
        Column(N_("Priority"), lambda p: _pick(p.title)),
        Column(N_("National priorities"), lambda p: tags_text(p.national_tags)),
        Column(N_("Latest review"), lambda p: rag_label(p.latest_rag), lambda p: (p.latest_rag or "", p.latest_date or "")),
        Column(N_("Date of latest review"), lambda p: _date(p.latest_date), lambda p: p.latest_date or ""),
        Column(N_("Trend"), lambda p: trend_label(p.trend)),
        Column(N_("Success criteria"), lambda p: _criteria_text(p.criteria), lambda p: sum(p.criteria.values())),
    ]


def overdue_columns():
    from selfeval_app.gui.plan.words import ACTION_STATUS_NAMES, name

    return [
        Column(N_("Action"), lambda a: _pick(a.description)),
        Column(N_("Due date"), lambda a: _date(a.due_date), lambda a: a.due_date or ""),
        Column(N_("Status"), lambda a: name(ACTION_STATUS_NAMES, a.status)),
        Column(N_("Who leads it"), lambda a: a.lead),
    ]


def coverage_columns():
    return [
        Column(N_("Area"), lambda c: _pick(c.title)),
        Column(N_("Years evaluated"), lambda c: _years(c.years), lambda c: c.years),
    ]


def visit_columns(given: bool):
    host = [Column(N_("Host school"), lambda v: _pick(v.host_name))] if given else []
    return [
        *host,
        Column(N_("Dates"), _visit_dates, lambda v: v.start_date or ""),
        Column(N_("Kind"), lambda v: _label(VISIT_KIND_LABELS, v.kind or "other")),
        Column(N_("Where it is"), lambda v: _label(VISIT_STATUS_LABELS, v.status)),
        Column(N_("Team"), lambda v: ", ".join(v.team)),
        Column(N_("Findings shared"), lambda v: str(v.findings_shared), lambda v: v.findings_shared),
    ]


class SchoolDialog(Retranslatable, QDialog):
    """One school's shared records, read-only (not modal: several schools can be open). It reads
    once the LA's summaries are up to date (`loaded` then)."""

    loaded = Signal()

    def __init__(self, window, key: str, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window_ = window
        self.key = key
        self.summary = None
        self.loaded_once = False
        self.setObjectName("laSchoolDialog")
        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        font = self.banner.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.banner.setFont(font)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.banner)
        layout.addWidget(self.facts)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("laSchoolTabs")
        layout.addWidget(self.tabs, 1)

        self.tables = {}
        for key_, columns in (
            ("priorities", priority_columns()),
            ("overdue", overdue_columns()),
            ("coverage", coverage_columns()),
            ("hosted", visit_columns(False)),
            ("given", visit_columns(True)),
        ):
            view = table_view(self.tabs, f"laSchool_{key_}")
            model = RowsModel(columns, view)
            view.setModel(model)
            view.setSortingEnabled(False)
            self.tables[key_] = (view, model)
        self.evaluation = QTextBrowser(self.tabs)
        self.evaluation.setObjectName("laSchoolEvaluation")
        self.evidence = QTextBrowser(self.tabs)
        self.evidence.setObjectName("laSchoolEvidence")
        self.partnerships = QTextBrowser(self.tabs)
        self.partnerships.setObjectName("laSchoolPartnerships")
        self.visits = QWidget(self.tabs)
        col = QVBoxLayout(self.visits)
        self.hosted_label = QLabel(self.visits)
        self.given_label = QLabel(self.visits)
        for label, key_ in ((self.hosted_label, "hosted"), (self.given_label, "given")):
            label.setBuddy(self.tables[key_][0])
            col.addWidget(label)
            col.addWidget(self.tables[key_][0], 1)
        self.overdue_empty = QLabel(self.tabs)
        self.tabs.addTab(self.tables["priorities"][0], "")
        self.tabs.addTab(self.tables["overdue"][0], "")
        self.tabs.addTab(self._with_text(self.tables["coverage"][0], self.evaluation), "")
        self.tabs.addTab(self.evidence, "")
        self.tabs.addTab(self.visits, "")
        self.tabs.addTab(self.partnerships, "")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.pages_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.pages_button.setObjectName("laSchoolUsualPages")
        self.pages_button.setEnabled(False)
        self.pages_button.clicked.connect(self.open_in_pages)
        layout.addWidget(self.buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 130, metrics.lineSpacing() * 36)
        self.reload()

    def open_in_pages(self):
        """This school's shared records in the app's usual pages, read-only, in a window of their own."""
        from selfeval_app.gui.la.schools import open_in_pages

        if self.summary is None or not self.summary.row.identity_id:
            return None
        return open_in_pages(self.window_, self.summary.row)

    def _with_text(self, table, browser) -> QWidget:
        box = QWidget(self.tabs)
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(table, 1)
        col.addWidget(browser, 2)
        return box

    def reload(self) -> None:
        """Read the school's summary (after the LA's summaries are brought up to date)."""
        from selfeval_app.gui.la.reading import after_refresh

        after_refresh(self.window_, self._read_once)

    def _read_once(self) -> None:
        from selfeval_app.gui.la.reading import read_or_retry

        read_or_retry(self.window_, self._read, self._read)

    def _read(self) -> None:
        from selfeval_app import la_views

        reader = self.window_.session.reader
        if reader is None:
            return
        self.summary = la_views.school_summary(reader, self.key, today=self.window_.clock.today())
        self.loaded_once = True
        self.retranslate()
        self.loaded.emit()

    def _owner_records(self, type_name: str, order_by: str) -> list[dict]:
        s = self.summary
        if s is None or not s.row.identity_id:
            return []
        return self.window_.session.reader.list(type_name, owners=s.row.identity_id, order_by=order_by)

    def retranslate(self) -> None:
        from selfeval_app.gui.la.schools import shared_detail, shared_text, tags_text

        self.setLocale(qlocale())
        s = self.summary
        name = s.row.name_in() if s is not None else ""
        # Translators: title of the window showing one school's shared records at the LA.
        title = _("%(school)s — shared with the authority") % {"school": name}
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.banner.setText(_("%(school)s: what the school shared — read only") % {"school": name})
        self.pages_button.setText(_("Open in the usual pages…"))
        self.pages_button.setAccessibleName(_("Open the school's records in the usual pages"))
        self.pages_button.setToolTip(_("What the school shared, in the app's usual pages (self-evaluation, evidence, development plan), read only, in a window of their own"))
        self.pages_button.setEnabled(s is not None and bool(s.row.identity_id))
        self.tabs.setTabText(0, _("Priorities and progress"))
        self.tabs.setTabText(1, _("Overdue actions"))
        self.tabs.setTabText(2, _("Self-evaluation"))
        self.tabs.setTabText(3, _("Evidence"))
        self.tabs.setTabText(4, _("Peer reviews"))
        self.tabs.setTabText(5, _("Partnerships"))
        self.tabs.setAccessibleName(_("What the school shared"))
        name_tab_scrollers(self.tabs)
        self.hosted_label.setText(_("Peer reviews it hosted:"))
        self.given_label.setText(_("Peer reviews its people gave in other schools:"))
        for key_, label in (
            ("priorities", _("Priorities and progress")),
            ("overdue", _("Overdue actions")),
            ("coverage", _("Areas evaluated")),
            ("hosted", _("Peer reviews it hosted")),
            ("given", _("Peer reviews its people gave in other schools")),
        ):
            name_table(self.tables[key_][0], label)
        self.evaluation.setAccessibleName(_("The self-evaluation it shared"))
        self.evidence.setAccessibleName(_("The evidence it shared"))
        self.partnerships.setAccessibleName(_("Its partnerships and joint activities"))
        if s is None:
            self.facts.setText(_("This school is no longer in the list or in what was received.") if self.loaded_once else "")
            return
        row = s.row
        facts = []
        if row.number:
            facts.append(_("School number: %(number)s") % {"number": row.number})
        facts.append(_("Last bundle: %(date)s") % {"date": _date(row.last_bundle_at)} if row.last_bundle_at else _("Nothing received from this school yet."))
        facts.append(_("What it shares: %(what)s") % {"what": shared_text(row) + (f" ({shared_detail(row)})" if shared_detail(row) else "")})
        if row.national_tags:
            facts.append(_("National priorities: %(tags)s") % {"tags": tags_text(row.national_tags)})
        if not row.listed:
            facts.append(_("Not on the authority's list of schools."))
        self.facts.setText("\n".join(facts))
        self.tables["priorities"][1].set_rows(s.priorities)
        self.tables["overdue"][1].set_rows(s.overdue)
        self.tables["coverage"][1].set_rows(s.coverage)
        self.tables["hosted"][1].set_rows(s.visits_hosted)
        self.tables["given"][1].set_rows(s.visits_given)
        for view, model in self.tables.values():
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)
            fit_columns(view, 50)
        self.evaluation.setHtml(self._evaluation_html())
        self.evidence.setHtml(self._evidence_html())
        self.partnerships.setHtml(self._partnerships_html())

    def _evaluation_html(self) -> str:
        from selfeval_app.core.plan_years import year_label

        titles = {c.area_id: c.title for c in self.summary.coverage}
        parts = []
        for e in self._owner_records("evaluation", "academic_year DESC, area_id"):
            narrative = _pick(e.get("narrative"))
            if not narrative:
                continue
            head = f"{_pick(titles.get(e.get('area_id'))) or e.get('area_id') or ''} — {year_label(e['academic_year'])}"
            parts.append(f"<h4>{_escape(head)}</h4><p>{_escape(narrative)}</p>")
        return "".join(parts) or f"<p>{_escape(_('No evaluation text shared.'))}</p>"

    def _evidence_html(self) -> str:
        from selfeval_app.core.evidence_labels import kind_label

        items = self._owner_records("evidence", "date DESC, id")
        if not items:
            return f"<p>{_escape(_('No evidence shared.'))}</p>"
        parts = []
        for e in items:
            parts.append(
                f"<p><b>{_escape(_pick(e.get('title')))}</b> ({_escape(_date(e.get('date')))}, {_escape(kind_label(e.get('kind')))})"
                + (f"<br>{_escape(_pick(e.get('summary')))}" if _pick(e.get("summary")) else "")
                + "</p>"
            )
        return "".join(parts)

    def _partnerships_html(self) -> str:
        from selfeval_app.core import collaboration as collab
        from selfeval_app.gui.collaboration.page import dates_text

        if not self.summary.partnerships:
            return f"<p>{_escape(_('No partnerships shared.'))}</p>"
        parts = []
        for p in self.summary.partnerships:
            parts.append(f"<h3>{_escape(_pick(p.name))}</h3>")
            lines = [collab.kind_label(p.kind)]
            partners = ", ".join(_pick(x.name) or (x.number or "") for x in p.partners)
            if partners:
                lines.append(_("Partner schools: %(names)s") % {"names": partners})
            if _pick(p.purpose):
                lines.append(_pick(p.purpose))
            if p.priority_titles:
                lines.append(_("Priorities it serves: %(titles)s") % {"titles": "; ".join(_pick(t) for t in p.priority_titles)})
            step = collab.maturity_step(p.maturity)
            if step is not None:
                lines.append(_("Step %(number)s of 4: %(step)s") % {"number": step.number, "step": step.label_text()} + " — " + step.sentence_text())
            if _pick(p.maturity_note):
                lines.append(_pick(p.maturity_note))
            when = dates_text(p.start_date, p.end_date) if p.end_date else (_("Since %(date)s") % {"date": _date(p.start_date)} if p.start_date else "")
            if when:
                lines.append(when)
            parts.append("<p>" + "<br>".join(_escape(x) for x in lines) + "</p>")
            for a in p.activities:
                bits = [f"<b>{_escape(_pick(a.title))}</b> ({_escape(dates_text(a.start_date, a.end_date))})"]
                if _pick(a.participants):
                    bits.append(_escape(_("Who took part: %(who)s") % {"who": _pick(a.participants)}))
                if _pick(a.what_changed):
                    bits.append(_escape(_("What changed: %(what)s") % {"what": _pick(a.what_changed)}))
                parts.append("<blockquote>" + "<br>".join(bits) + "</blockquote>")
        return "".join(parts)


