"""The School page: the school's home. What needs attention now (overdue actions, actions due
within 14 days, progress reviews due this term, statements with no evidence this year, and what
is waiting to be shared once exchange exists), each item a button that opens its record, and the
school's details with a button to edit them.

The figures come from `core.attention.what_needs_attention` for the window's clock. To keep the
start light, nothing here is read or built before the window's first paint: `start()` (called by
the main window just after it) fills the page; later it refreshes when shown after a save.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _, current_language, ngettext, npgettext
from selfeval_app.gui.language import Retranslatable, plain, qlocale

#: Items listed in one section at most; the rest are on the page the section's button opens.
SHOWN_AT_MOST = 5

#: Record types whose saves change what the home shows.
HOME_TYPES = {"school", "plan", "priority", "action", "progress_review", "evaluation", "evidence", "area"}

SECTIONS = ("overdue", "due_soon", "reviews_due", "statements", "waiting_to_share")

SECTION_TITLES = {
    "overdue": N_("Overdue actions"),
    "due_soon": N_("Actions due within 14 days"),
    "reviews_due": N_("Progress reviews due this term"),
    "statements": N_("Statements with no evidence this year"),
    "waiting_to_share": N_("Waiting to be shared"),
}

#: The page each section's "Open…" button shows (None: no such page yet).
SECTION_PAGES = {
    "overdue": ("plan", N_("Open the development plan")),
    "due_soon": ("plan", N_("Open the development plan")),
    "reviews_due": ("plan", N_("Open the development plan")),
    "statements": ("coverage", N_("Open the evidence coverage")),
    "waiting_to_share": (None, ""),
}


def count_sentence(section: str, n: int) -> str:
    """How many items a section holds, as a sentence (Welsh: each of the six plural forms is a
    whole sentence, so the numeral's mutation is written out, never built)."""
    if section == "overdue":
        # Translators: Welsh forms: 0 "Nid oes yr un cam gweithredu'n hwyr.", 1 "Mae un cam…",
        # 2 "Mae dau gam…", 3 "Mae tri cham…", 6 "Mae chwe cham…", other "Mae %(count)s o gamau…".
        text = npgettext("home", "%(count)s action is overdue.", "%(count)s actions are overdue.", n)
    elif section == "due_soon":
        text = npgettext("home", "%(count)s action is due within the next 14 days.", "%(count)s actions are due within the next 14 days.", n)
    elif section == "reviews_due":
        text = npgettext(
            "home", "%(count)s priority has no progress review this term yet.", "%(count)s priorities have no progress review this term yet.", n
        )
    elif section == "statements":
        text = npgettext(
            "home", "%(count)s statement this year has no evidence linked to it.", "%(count)s statements this year have no evidence linked to them.", n
        )
    else:
        text = npgettext("home", "%(count)s record is waiting to be shared.", "%(count)s records are waiting to be shared.", n)
    return text % {"count": n}


class AttentionButton(QPushButton):
    """One item that needs attention: its text wraps (a plain QPushButton's does not), Tab reaches
    it and Enter, Return or Space opens it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionItem")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        layout = QVBoxLayout(self)
        m = self.fontMetrics().averageCharWidth()
        layout.setContentsMargins(m * 2, m, m * 2, m)
        layout.addWidget(self.label)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_texts(self, main: str, detail: str) -> None:
        self.label.setText(f"<b>{html.escape(main)}</b><br>{html.escape(detail)}" if detail else f"<b>{html.escape(main)}</b>")
        self.setAccessibleName(f"{main}. {detail}" if detail else main)
        self.updateGeometry()

    def sizeHint(self):  # noqa: N802
        return self.layout().totalSizeHint()

    def minimumSizeHint(self):  # noqa: N802
        return self.layout().totalMinimumSize()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout().totalHeightForWidth(width)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class _Section(QGroupBox):
    def __init__(self, key: str, parent: QWidget):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"home_{key}")
        v = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # read by screen readers in Tab order
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        v.addWidget(self.summary)
        self.items = QVBoxLayout()
        v.addLayout(self.items)
        row = QHBoxLayout()
        self.more = QPushButton(self)
        self.more.setObjectName(f"home_{key}_more")
        row.addWidget(self.more)
        row.addStretch(1)
        v.addLayout(row)
        self.buttons: list[AttentionButton] = []

    def set_items(self, rows: list[tuple[str, str, object]], total: int, on_open) -> None:
        """rows: (main text, detail, what to open); `total` may be more than the rows shown."""
        while len(self.buttons) > len(rows):
            button = self.buttons.pop()
            self.items.removeWidget(button)
            button.deleteLater()
        while len(self.buttons) < len(rows):
            button = AttentionButton(self)
            button.clicked.connect(lambda _c=False, b=button: on_open(b.property("target")))
            self.items.addWidget(button)
            self.buttons.append(button)
        for button, (main, detail, target) in zip(self.buttons, rows, strict=True):
            button.set_texts(main, detail)
            button.setProperty("target", target)
        self.summary.setText(count_sentence(self.key, total))
        self.summary.setAccessibleName(self.summary.text())
        page, label = SECTION_PAGES[self.key]
        self.more.setVisible(page is not None and total > len(rows))
        if page is not None:
            self.more.setText(_(label))
            if total > len(rows):
                # Translators: under a list cut short: how many of the items are listed.
                self.more.setToolTip(_("%(shown)s of %(count)s are listed here.") % {"shown": len(rows), "count": total})


class SchoolProfileView(QGroupBox):
    """The school's details, read-only (edited in `SchoolProfileDialog`)."""

    FIELDS = (
        ("name_cy", N_("School name in Welsh:")),
        ("name_en", N_("School name in English:")),
        ("la", N_("Local authority:")),
        ("number", N_("Establishment number:")),
        ("cluster", N_("Cluster:")),
        ("phase", N_("Phase:")),
        ("language_category", N_("Language category:")),
        ("writes_in", N_("We write in:")),
    )

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("schoolProfile")
        v = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key, _text in self.FIELDS:
            label, value = QLabel(self), QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            label.setBuddy(value)
            self.labels[key], self.values[key] = label, value
            form.addRow(label, value)
        v.addLayout(form)
        row = QHBoxLayout()
        self.edit = QPushButton(self)
        self.edit.setObjectName("editSchoolDetails")
        row.addWidget(self.edit)
        row.addStretch(1)
        v.addLayout(row)

    def show_record(self, record: dict | None) -> None:
        from selfeval_app.core import framework
        from selfeval_app.gui.labels import writes_in_name

        lang = current_language()
        self.setTitle(_("The school's details"))
        self.edit.setText(_("Edit the school's details…"))
        self.edit.setAccessibleName(_("Edit the school's details"))
        rec = record or {}
        name = rec.get("name") or {}
        la = framework.local_authority_by_code(rec["la_code"]) if rec.get("la_code") else None
        phase = {p.id: p.name(lang) for p in framework.phases()}.get(rec.get("phase"), "")
        category = {c.id: c.name(lang) for c in framework.language_categories()}.get(rec.get("language_category"), "")
        not_given = _("(not given)")
        shown = {
            "name_cy": name.get("cy") or "",
            "name_en": name.get("en") or "",
            "la": la.name(lang) if la else "",
            "number": rec.get("establishment_number") or "",
            "cluster": rec.get("cluster") or "",
            "phase": phase,
            "language_category": category,
            "writes_in": writes_in_name(rec.get("writes_in")),
        }
        for key, text in self.FIELDS:
            self.labels[key].setText(_(text))
            value = shown[key] or not_given
            self.values[key].setText(value)
            self.values[key].setAccessibleName(plain(_(text)))
            self.values[key].setAccessibleDescription(value)


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

    # -- building (after the first paint) ---------------------------------------------------

    def start(self) -> None:
        """Build and fill the page (the window calls this right after its first paint)."""
        if not self._built:
            self._build()
        self.reload()

    def _build(self) -> None:
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
        self.nothing.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.outer.addWidget(self.heading)
        self.outer.addWidget(self.today_label)
        self.outer.addWidget(self.nothing)

        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        attention_column = QVBoxLayout()
        self.sections = {key: _Section(key, self) for key in SECTIONS}
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
    def values(self) -> dict[str, QLabel]:
        """The profile's value labels (key -> label), built on first use."""
        self._ensure_built()
        return self.profile.values

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if self._built:
            self._arrange()

    def _arrange(self) -> None:
        """Two columns (attention, details) when there is room for both at this text size."""
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
        else:
            self.window_.open_record(kind, record_id)

    # -- showing ---------------------------------------------------------------------------

    def fill(self) -> None:
        from selfeval_app.core.evaluation_edit import bitext_in
        from selfeval_app.gui.evaluation.statements import SECTION_TITLES as KIND_TITLES
        from selfeval_app.gui.plan.words import date_text, pick, term_title

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
        reviews = [(pick(r.title), _("Add this term's progress review"), ("priority", r.priority_id)) for r in att.reviews_due[:SHOWN_AT_MOST]]
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
        shares = [(pick(s.title), "", (s.record_type, s.record_id)) for s in att.waiting_to_share[:SHOWN_AT_MOST]]
        self.sections["waiting_to_share"].set_items(shares, len(att.waiting_to_share), self._open)

        # A plan's sections only once there is a plan; the evaluation's once there is one this
        # year; what waits to be shared only when something does.
        self.sections["overdue"].setVisible(att.has_plan)
        self.sections["due_soon"].setVisible(att.has_plan)
        self.sections["reviews_due"].setVisible(att.has_plan)
        self.sections["statements"].setVisible(att.has_evaluations)
        self.sections["waiting_to_share"].setVisible(bool(att.waiting_to_share))

    def _areas(self, lang: str) -> dict[str, str]:
        if self._area_names is None or self._area_names[0] != lang:
            from selfeval_app.core import evaluation_edit as ee

            reader = self.window_.session.reader
            self._area_names = (lang, {a.id: a.label(lang) for a in ee.area_choices(reader, lang)} if reader is not None else {})
        return self._area_names[1]

    def retranslate(self) -> None:
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
