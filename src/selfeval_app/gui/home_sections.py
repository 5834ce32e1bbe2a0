"""The parts of the School home (`gui/school_home.py`): a section of what needs attention, its
items (buttons whose text wraps), the school's details, and how many items a section holds as a
sentence in the current language. Imported just after the window's first paint, with the home.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _, current_language, npgettext
from selfeval_app.gui.language import plain

#: Items listed in one section at most; the rest are on the page the section's button opens.
SHOWN_AT_MOST = 5

SECTIONS = ("overdue", "due_soon", "reviews_due", "statements", "follow_ups", "waiting_to_share")

SECTION_TITLES = {
    "overdue": N_("Overdue actions"),
    "due_soon": N_("Actions due within 14 days"),
    "reviews_due": N_("Progress reviews due this term"),
    "statements": N_("Statements with no evidence this year"),
    "waiting_to_share": N_("Waiting to be shared"),
    "follow_ups": N_("Peer review follow-up"),
}

#: The page each section's "Open…" button shows (None: no such page yet).
SECTION_PAGES = {
    "overdue": ("plan", N_("Open the development plan")),
    "due_soon": ("plan", N_("Open the development plan")),
    "reviews_due": ("plan", N_("Open the development plan")),
    "statements": ("coverage", N_("Open the evidence coverage")),
    "waiting_to_share": (None, ""),
    "follow_ups": ("peer_review", N_("Open the peer review page")),
}


#: What a section says when it holds nothing (a sentence of its own in each language).
NONE_SENTENCES = {
    "overdue": N_("No action is overdue."),
    "due_soon": N_("No action is due within 14 days."),
    "reviews_due": N_("Every priority running this year has a progress review this term."),
    "statements": N_("Every statement of this year has evidence linked to it."),
    "waiting_to_share": N_("Nothing is waiting to be shared."),
    "follow_ups": N_("No peer review visit is due for its follow-up."),
}


def count_sentence(section: str, n: int) -> str:
    """How many items a section holds, as a sentence (Welsh: each of the six plural forms is a
    whole sentence, so the numeral's mutation is written out, never built). None at all has a
    sentence of its own ("0 priorities have…" reads badly in English)."""
    if n == 0:
        return _(NONE_SENTENCES[section])
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
    elif section == "follow_ups":
        text = npgettext(
            "home",
            "%(count)s peer review visit is due for its follow-up.",
            "%(count)s peer review visits are due for their follow-up.",
            n,
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
        import html

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


class AttentionSection(QGroupBox):
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


