"""The School page: the school's home. What needs attention now (overdue actions, actions due
within 14 days, progress reviews due this term, statements with no evidence this year, and what
is waiting to be shared once exchange exists), each item a button that opens its record, and the
school's details with a button to edit them.

The figures come from `core.attention.what_needs_attention` for the window's clock. To keep the
start light, nothing here is read or built before the window's first paint: `start()` (called by
the main window just after it) builds and fills the page, with its parts from
`gui/home_sections.py`; later it refreshes when shown after a save.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from selfeval_app.core.i18n import _, current_language, ngettext
from selfeval_app.gui.language import Retranslatable, qlocale

#: Record types whose saves change what the home shows.
HOME_TYPES = {"school", "plan", "priority", "action", "progress_review", "evaluation", "evidence", "area"}


class SchoolHomePage(Retranslatable, QWidget):
    """The school's home (the first page). `record` is the school record the window shows."""

    editRequested = Signal()  # noqa: N815

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setObjectName("schoolHome")
        self.window_ = window
        self.record: dict | None = None
        self.attention = None  # core.attention.Attention, once read
        self._built = False
        self._stale = True
        self._wide: bool | None = None
        self._area_names: tuple[str, dict[str, str]] | None = None
        self.outer = QVBoxLayout(self)
        self.hide()  # until the window puts it in its place (its scroll area shows it)

    # -- building (after the first paint) ---------------------------------------------------

    def start(self) -> None:
        """Build and fill the page (the window calls this right after its first paint)."""
        if not self._built:
            self._build()
        self.reload()

    def _build(self) -> None:
        from PySide6 import QtCore
        from PySide6.QtWidgets import QBoxLayout, QLabel

        from selfeval_app.gui.home_sections import SECTIONS, AttentionSection, SchoolProfileView

        self._built = True
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.today_label = QLabel(self)
        self.today_label.setWordWrap(True)
        self.nothing = QLabel(self)
        self.nothing.setWordWrap(True)
        self.nothing.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.outer.addWidget(self.heading)
        self.outer.addWidget(self.today_label)
        self.outer.addWidget(self.nothing)

        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        attention_column = QVBoxLayout()
        self.sections = {key: AttentionSection(key, self) for key in SECTIONS}
        for section in self.sections.values():
            attention_column.addWidget(section)
        attention_column.addStretch(1)
        self.profile = SchoolProfileView(self)
        self.profile.edit.clicked.connect(self.editRequested)
        profile_column = QVBoxLayout()
        profile_column.addWidget(self.profile)
        profile_column.addStretch(1)
        self.columns.addLayout(attention_column, 3)
        self.columns.addLayout(profile_column, 2)
        self.outer.addLayout(self.columns, 1)
        self._arrange()
        self.retranslate()

    def _ensure_built(self) -> None:
        if not self._built:
            self._build()

    @property
    def values(self) -> dict:
        """The profile's value labels (key -> label), built on first use."""
        self._ensure_built()
        return self.profile.values

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if self._built:
            self._arrange()

    def _arrange(self) -> None:
        """Two columns (attention, details) when there is room for both at this text size."""
        from PySide6.QtWidgets import QBoxLayout

        wide = self.width() >= 110 * self.fontMetrics().averageCharWidth()
        if wide != self._wide:
            self._wide = wide
            self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)

    # -- data ------------------------------------------------------------------------------

    def show_record(self, record: dict | None) -> None:
        self.record = record
        if self._built:
            self.profile.show_record(record)

    def reload(self) -> None:
        from selfeval_app.core.attention import what_needs_attention

        self._ensure_built()
        self._stale = False
        reader = self.window_.session.reader
        if reader is None:
            return
        self.attention = what_needs_attention(reader, self.window_.clock.today())
        self._area_names = None
        self.fill()

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & HOME_TYPES:
            self._stale = True
            if self.isVisible():
                self.reload()

    def _open(self, target) -> None:
        if not target:
            return
        kind, record_id = target
        if kind == "page":
            self.window_.show_page(record_id)
        elif kind == "reviews_of":  # a priority, on its progress reviews
            self.window_.open_record("priority", record_id)
            plan = self.window_.pages.get("plan")
            tabs = getattr(plan, "tabs", None)
            if tabs is not None and tabs.count() > 3:
                tabs.setCurrentIndex(3)
        else:
            self.window_.open_record(kind, record_id)

    # -- showing ---------------------------------------------------------------------------

    def fill(self) -> None:
        from selfeval_app.core.evaluation_edit import bitext_in
        from selfeval_app.gui.evaluation.statements import SECTION_TITLES as KIND_TITLES
        from selfeval_app.gui.home_sections import SHOWN_AT_MOST
        from selfeval_app.gui.plan.words import date_text, pick, term_title
        from selfeval_app.peer_review_views import VISIT_KIND_NAMES, word

        att = self.attention
        if att is None:
            return
        lang = current_language()
        self.heading.setText(_("What needs attention now"))
        self.heading.setAccessibleName(self.heading.text())
        self.today_label.setText(_("%(term)s. Today's date: %(date)s.") % {"term": term_title(att.year, att.term), "date": date_text(att.today)})
        if not att.has_plan:
            self.nothing.setText(_("There is no development plan yet."))
        elif att.is_empty():
            self.nothing.setText(_("Nothing needs attention now."))
        self.nothing.setVisible(att.is_empty() or not att.has_plan)

        def action_rows(items, overdue: bool):
            rows = []
            for a in items[:SHOWN_AT_MOST]:
                if overdue:
                    when = ngettext("%(count)s day late", "%(count)s days late", a.days) % {"count": a.days}
                else:
                    when = _("Due today") if a.days == 0 else ngettext("in %(count)s day", "in %(count)s days", a.days) % {"count": a.days}
                # Translators: under an action's description on the School page.
                detail = _("Priority: %(priority)s · due %(date)s · %(when)s") % {"priority": pick(a.priority_title), "date": date_text(a.due_date), "when": when}
                rows.append((pick(a.description) or _("(an action with no description)"), detail, ("action", a.action_id)))
            return rows

        self.sections["overdue"].set_items(action_rows(att.overdue, True), len(att.overdue), self._open)
        self.sections["due_soon"].set_items(action_rows(att.due_soon, False), len(att.due_soon), self._open)
        reviews = [(pick(r.title), _("Add this term's progress review"), ("reviews_of", r.priority_id)) for r in att.reviews_due[:SHOWN_AT_MOST]]
        self.sections["reviews_due"].set_items(reviews, len(att.reviews_due), self._open)
        areas = self._areas(lang)
        statements = [
            (
                bitext_in(dict(s.text), lang) or _("(a statement with no text)"),
                f"{areas.get(s.area_id, '')} · {_(KIND_TITLES[s.kind])}" if s.kind in KIND_TITLES else areas.get(s.area_id, ""),
                ("evaluation", s.evaluation_id),
            )
            for s in att.statements_without_evidence[:SHOWN_AT_MOST]
        ]
        self.sections["statements"].set_items(statements, len(att.statements_without_evidence), self._open)
        follow = []
        for f in att.follow_ups[:SHOWN_AT_MOST]:
            if f.days < 0:
                when = ngettext("%(count)s day ago", "%(count)s days ago", -f.days) % {"count": -f.days}
            else:
                when = _("Today") if f.days == 0 else ngettext("in %(count)s day", "in %(count)s days", f.days) % {"count": f.days}
            # Translators: a peer review visit on the School page, e.g. "Peer enquiry, 20/01/2027".
            title = _("%(kind)s, %(date)s") % {"kind": word(VISIT_KIND_NAMES, f.kind), "date": date_text(f.start_date)}
            # Translators: under a visit on the School page: its follow-up date and how near it is.
            detail = _("Follow-up %(date)s · %(when)s") % {"date": date_text(f.follow_up), "when": when}
            follow.append((title, detail, ("review_visit", f.visit_id)))
        self.sections["follow_ups"].set_items(follow, len(att.follow_ups), self._open)
        shares = [(pick(s.title), "", (s.record_type, s.record_id)) for s in att.waiting_to_share[:SHOWN_AT_MOST]]
        self.sections["waiting_to_share"].set_items(shares, len(att.waiting_to_share), self._open)

        # A plan's sections only once there is a plan; the evaluation's once there is one this
        # year; what waits to be shared only when something does.
        self.sections["overdue"].setVisible(att.has_plan)
        self.sections["due_soon"].setVisible(att.has_plan)
        self.sections["reviews_due"].setVisible(att.has_plan)
        self.sections["statements"].setVisible(att.has_evaluations)
        self.sections["waiting_to_share"].setVisible(bool(att.waiting_to_share))
        self.sections["follow_ups"].setVisible(bool(att.follow_ups))

    def _areas(self, lang: str) -> dict[str, str]:
        if self._area_names is None or self._area_names[0] != lang:
            from selfeval_app.core import evaluation_edit as ee

            reader = self.window_.session.reader
            self._area_names = (lang, {a.id: a.label(lang) for a in ee.area_choices(reader, lang)} if reader is not None else {})
        return self._area_names[1]

    def retranslate(self) -> None:
        from selfeval_app.gui.home_sections import SECTION_PAGES, SECTION_TITLES

        self.setLocale(qlocale())
        if not self._built:
            return
        for key, section in self.sections.items():
            section.setTitle(_(SECTION_TITLES[key]))
            section.setAccessibleName(_(SECTION_TITLES[key]))
            page, label = SECTION_PAGES[key]
            if page is not None:
                section.more.setText(_(label))
        self.profile.show_record(self.record)
        self.fill()
