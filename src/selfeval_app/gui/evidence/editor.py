"""The editor for one piece of evidence: date, kind, title and summary (Welsh, English or both,
side by side, following the school's "we write in"), links to areas, statements and priorities,
visibility with what it means, and the list of attached files.

The editor only holds and checks what is typed; the page saves it through the database worker.
Inline messages (in the current language) sit under the fields until the problem is fixed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.evidence_edit import Choice, validate_evidence
from selfeval_app.core.evidence_labels import KIND_LABELS, visibility_explanation
from selfeval_app.core.i18n import _
from selfeval_app.gui.evidence.attachments import format_size
from selfeval_app.gui.form_widgets import ErrorLabel, refill_combo
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.visibility_chooser import VisibilityChooser
from selfeval_app.gui.welsh_letters import install_welsh_letters

NO_DATE = QDate(2000, 1, 1)  # the date field's "no date" value (shown as a dash)
#: Object names of the editor's editing controls (hidden or disabled in read-only mode).
EDITING_CONTROLS = frozenset({
    "saveEvidence", "deleteEvidence", "purgeEvidence", "attachFile", "removeAttachment",
    "evidenceVisibility", "evidenceKind", "evidenceDate",
})


class CheckList(QListWidget):
    """A list of choices with a tick box each (Space ticks the current one); `read_only`: the
    ticks are shown, never changed."""

    read_only = False

    def set_choices(self, choices: list[Choice], checked: set[str]) -> None:
        self.blockSignals(True)
        self.clear()
        for choice in choices:
            item = QListWidgetItem(choice.label, self)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsUserCheckable if self.read_only else flags)
            item.setCheckState(Qt.CheckState.Checked if choice.id in checked else Qt.CheckState.Unchecked)
            item.setToolTip(choice.label)
        self.blockSignals(False)
        # As tall as its rows (up to eight; then it scrolls), from the font, so 200% text fits.
        row = max(self.sizeHintForRow(0), self.fontMetrics().lineSpacing()) if self.count() else self.fontMetrics().lineSpacing()
        self.setFixedHeight(min(max(self.count(), 1), 8) * row + 2 * self.frameWidth() + 4)

    def checked_ids(self) -> list[str]:
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, ids: set[str]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in ids else Qt.CheckState.Unchecked)


class EvidenceEditor(Retranslatable, QWidget):
    changed = Signal()  # something was typed or chosen
    dateChanged = Signal()  # noqa: N815 - the statements of another academic year may apply

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.record: dict | None = None
        self.writes_in = "both"
        self.read_only = False
        #: Whether an attachment's file is here to open (the page sets it; a shared record's files
        #: may not have come with it).
        self.can_open = lambda _attachment_id: True
        self.dirty = False
        self._loading = False
        self._errors: dict[str, str] = {}

        outer = QVBoxLayout(self)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.date = QDateEdit(self)
        self.date.setObjectName("evidenceDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setMinimumDate(NO_DATE)
        self.date.setSpecialValueText("—")
        self.date_error = ErrorLabel(self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("evidenceKind")
        self.kind_error = ErrorLabel(self)
        self.date_label, self.kind_label = QLabel(self), QLabel(self)
        self.date_label.setBuddy(self.date)
        self.kind_label.setBuddy(self.kind)
        form.addRow(self.date_label, self.date)
        form.addRow(self.date_error)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.kind_error)
        outer.addLayout(form)

        # Welsh and English side by side (only the languages the school writes in, unless the
        # record already has text in the other one).
        texts = QGridLayout()
        self.texts = texts
        self.lang_heads = {"cy": QLabel(self), "en": QLabel(self)}
        self.title_label, self.summary_label = QLabel(self), QLabel(self)
        self.title = {"cy": QLineEdit(self), "en": QLineEdit(self)}
        self.summary = {"cy": QPlainTextEdit(self), "en": QPlainTextEdit(self)}
        for col, lang in ((1, "cy"), (2, "en")):
            self.title[lang].setObjectName(f"evidenceTitle_{lang}")
            self.summary[lang].setObjectName(f"evidenceSummary_{lang}")
            self.summary[lang].setTabChangesFocus(True)
            lines = self.summary[lang].fontMetrics().lineSpacing()
            # Long writing: at least four lines, and the editor's spare height beyond them.
            self.summary[lang].setMinimumHeight(lines * 4)
            self.summary[lang].setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.title[lang].setLocale(qlocale(lang))
            texts.addWidget(self.lang_heads[lang], 0, col)
            texts.addWidget(self.title[lang], 1, col)
            texts.addWidget(self.summary[lang], 3, col)
            install_welsh_letters(self.title[lang])
            install_welsh_letters(self.summary[lang])
            self.title[lang].textEdited.connect(self._edited)
            self.summary[lang].textChanged.connect(self._edited)
        self.title_error = ErrorLabel(self)
        texts.addWidget(self.title_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        texts.addWidget(self.title_error, 2, 1, 1, 2)
        texts.addWidget(self.summary_label, 3, 0, Qt.AlignmentFlag.AlignTop)
        texts.setColumnStretch(1, 1)
        texts.setColumnStretch(2, 1)
        texts.setRowStretch(3, 1)
        outer.addLayout(texts, 1)

        self.links = QGroupBox(self)
        links = QVBoxLayout(self.links)
        self.areas_label, self.statements_label, self.priorities_label = QLabel(self), QLabel(self), QLabel(self)
        self.areas, self.statements, self.priorities = CheckList(self), CheckList(self), CheckList(self)
        self.statements_none, self.priorities_none = QLabel(self), QLabel(self)
        for label, widget, none in (
            (self.areas_label, self.areas, None),
            (self.statements_label, self.statements, self.statements_none),
            (self.priorities_label, self.priorities, self.priorities_none),
        ):
            label.setBuddy(widget)
            widget.itemChanged.connect(self._edited)
            links.addWidget(label)
            links.addWidget(widget)
            if none is not None:
                none.setWordWrap(True)
                links.addWidget(none)
        self.areas.setObjectName("evidenceAreas")
        self.statements.setObjectName("evidenceStatements")
        self.priorities.setObjectName("evidencePriorities")
        outer.addWidget(self.links)

        vis = QFormLayout()
        vis.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.visibility_label = QLabel(self)
        # The same control as every other editor (gui/visibility_chooser.py).
        self.visibility_chooser = VisibilityChooser(self, object_name="evidenceVisibilityChooser")
        self.visibility = self.visibility_chooser.combo
        self.visibility.setObjectName("evidenceVisibility")
        self.visibility_label.setBuddy(self.visibility)
        self.visibility_help = self.visibility_chooser.help
        vis.addRow(self.visibility_label, self.visibility_chooser)
        outer.addLayout(vis)

        self.files = QGroupBox(self)
        files = QVBoxLayout(self.files)
        self.attachments = QListWidget(self.files)
        self.attachments.setObjectName("attachments")
        files.addWidget(self.attachments)
        self.files_note = QLabel(self.files)
        self.files_note.setWordWrap(True)
        files.addWidget(self.files_note)
        row = QHBoxLayout()
        self.attach_button = QPushButton(self.files)
        self.attach_button.setObjectName("attachFile")
        self.open_button = QPushButton(self.files)
        self.open_button.setObjectName("openAttachment")
        self.remove_button = QPushButton(self.files)
        self.remove_button.setObjectName("removeAttachment")
        for button in (self.attach_button, self.open_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        files.addLayout(row)
        outer.addWidget(self.files)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveEvidence")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("deleteEvidence")
        self.purge_button = QPushButton(self)
        self.purge_button.setObjectName("purgeEvidence")
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.purge_button)
        outer.addLayout(buttons)

        self.date.dateChanged.connect(self._date_changed)
        self.kind.currentIndexChanged.connect(self._edited)
        self.visibility.currentIndexChanged.connect(self._visibility_changed)
        self.attachments.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._attachment_rows: list[dict] = []
        self.retranslate()
        self.load(None, today=dt.date.today())

    # -- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.heading.setText(self._heading_text())
        for label, widget, text in (
            (self.date_label, self.date, _("&Date:")),
            (self.kind_label, self.kind, _("&Kind of evidence:")),
            (self.visibility_label, self.visibility, _("&Visibility:")),
        ):
            label.setText(text)
            widget.setAccessibleName(plain(text))
        self.date.lineEdit().setAccessibleName(plain(_("&Date:")))
        self.date.setToolTip(_("The day the evidence was gathered."))
        self.lang_heads["cy"].setText(_("Welsh"))
        self.lang_heads["en"].setText(_("English"))
        self.title_label.setText(_("Title:"))
        self.summary_label.setText(_("Summary:"))
        self.title["cy"].setAccessibleName(_("Title in Welsh"))
        self.title["en"].setAccessibleName(_("Title in English"))
        self.summary["cy"].setAccessibleName(_("Summary in Welsh"))
        self.summary["en"].setAccessibleName(_("Summary in English"))
        for lang in ("cy", "en"):
            self.title[lang].setToolTip(_("Type Welsh letters such as ŵ and ŷ with Ctrl+Shift+L."))
            self.summary[lang].setPlaceholderText(_("What was found"))
        self.links.setTitle(_("Links"))
        for label, widget, text in (
            (self.areas_label, self.areas, _("&Areas it supports:")),
            (self.statements_label, self.statements, _("S&tatements it supports (this academic year):")),
            (self.priorities_label, self.priorities, _("&Priorities it relates to:")),
        ):
            label.setText(text)
            widget.setAccessibleName(plain(text))
        self.statements_none.setText(_("No statements for this academic year yet: write them on the self-evaluation page."))
        self.priorities_none.setText(_("No priorities yet: once the development plan has priorities, evidence can be linked to them."))
        self._fill_combo(self.kind, [(None, _("Choose…"))] + [(k, _(v)) for k, v in KIND_LABELS.items()])
        self.visibility_chooser.retranslate()
        self.files.setTitle(_("Attached files"))
        self.attachments.setAccessibleName(_("Attached files"))
        self.attach_button.setText(_("A&ttach a file…"))
        self.attach_button.setAccessibleName(_("Attach a file"))
        self.open_button.setText(_("&Open"))
        self.open_button.setAccessibleName(_("Open the attached file (a read-only copy)"))
        self.open_button.setToolTip(_("Opens a read-only copy: the stored file never changes."))
        self.remove_button.setText(_("&Remove"))
        self.remove_button.setAccessibleName(_("Remove the attached file"))
        self.save_button.setText(_("&Save"))
        self.save_button.setAccessibleName(_("Save the evidence"))
        self.delete_button.setText(_("&Delete"))
        self.delete_button.setAccessibleName(_("Delete the evidence"))
        self.delete_button.setToolTip(_("Delete it; you can undo this straight away."))
        self.purge_button.setText(_("P&urge…"))
        self.purge_button.setAccessibleName(_("Purge the evidence for good"))
        self.purge_button.setToolTip(_("Remove it for good, with its history and files. This cannot be undone."))
        self._show_attachments()
        self._show_errors()
        self._update_buttons()

    def _heading_text(self) -> str:
        if self.read_only:
            return _("Evidence") if self.record is not None else _("Choose evidence in the list to read it.")
        return _("New evidence") if self.record is None else _("Evidence")

    def set_read_only(self, on: bool) -> None:
        """Another owner's evidence: every field shown and selectable, none editable; no save,
        delete, purge, attach or remove. An attached file can still be opened (a copy)."""
        self.read_only = on
        self.date.setReadOnly(on)
        self.kind.setEnabled(not on)
        for lang in ("cy", "en"):
            self.title[lang].setReadOnly(on)
            self.summary[lang].setReadOnly(on)
            if on:
                self.summary[lang].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        for checks in (self.areas, self.statements, self.priorities):
            checks.read_only = on
        self.visibility_chooser.setEnabled(not on)
        for button in (self.save_button, self.delete_button, self.purge_button, self.attach_button, self.remove_button):
            button.setVisible(not on)
        self.heading.setText(self._heading_text())
        self._show_attachments()
        self._update_buttons()

    _fill_combo = staticmethod(refill_combo)

    # -- data ----------------------------------------------------------------------------

    def set_writes_in(self, writes_in: str | None) -> None:
        self.writes_in = writes_in if writes_in in ("cy", "en", "both") else "both"
        self._show_languages()

    def _show_languages(self) -> None:
        rec = self.record or {}
        shown = {"cy", "en"} if self.writes_in == "both" else {self.writes_in}
        for lang in ("cy", "en"):
            has_text = bool((rec.get("title") or {}).get(lang) or (rec.get("summary") or {}).get(lang))
            visible = lang in shown or has_text
            for widget in (self.lang_heads[lang], self.title[lang], self.summary[lang]):
                widget.setVisible(visible)

    def load(self, record: dict | None, *, today: dt.date, visibility_default: str = "private") -> None:
        """Show a record (None: a new, empty one dated today)."""
        self._loading = True
        self.record = record
        rec = record or {}
        day = dt.date.fromisoformat(rec["date"]) if rec.get("date") else (None if record or self.read_only else today)
        self.date.setDate(QDate(day.year, day.month, day.day) if day else NO_DATE)
        self.kind.setCurrentIndex(max(self.kind.findData(rec.get("kind")), 0) if rec.get("kind") else 0)
        for lang in ("cy", "en"):
            self.title[lang].setText((rec.get("title") or {}).get(lang, ""))
            self.summary[lang].setPlainText((rec.get("summary") or {}).get(lang, ""))
        self.areas.set_checked(set(rec.get("area_ids") or []))
        self.statements.set_checked(set(rec.get("statement_ids") or []))
        self.priorities.set_checked(set(rec.get("priority_ids") or []))
        self.visibility.setCurrentIndex(max(self.visibility.findData(rec.get("visibility") or visibility_default), 0))
        self.visibility_help.setText(visibility_explanation(self.visibility.currentData()))
        self._attachment_rows = []
        self._errors = {}
        self.dirty = False
        self._loading = False
        self.heading.setText(self._heading_text())
        self._show_languages()
        self._show_attachments()
        self._show_errors()
        self._update_buttons()

    def set_choices(self, areas: list[Choice], statements: list[Choice], priorities: list[Choice]) -> None:
        """Fill the link lists, keeping what is ticked now."""
        self._loading = True
        ticked_areas = set(self.areas.checked_ids()) if self.dirty else set((self.record or {}).get("area_ids") or [])
        self.areas.set_choices(areas, ticked_areas)
        ticked_statements = set(self.statements.checked_ids()) if self.dirty else set((self.record or {}).get("statement_ids") or [])
        ticked_priorities = set(self.priorities.checked_ids()) if self.dirty else set((self.record or {}).get("priority_ids") or [])
        self.statements.set_choices(statements, ticked_statements)
        self.priorities.set_choices(priorities, ticked_priorities)
        self.statements.setVisible(bool(statements))
        self.statements_none.setVisible(not statements)
        self.priorities.setVisible(bool(priorities))
        self.priorities_none.setVisible(not priorities)
        self._loading = False

    def set_attachments(self, rows: list[dict]) -> None:
        self._attachment_rows = rows
        self._show_attachments()
        self._update_buttons()

    def _show_attachments(self) -> None:
        current = self.selected_attachment()
        self.attachments.clear()
        for att in self._attachment_rows:
            text = "{name} ({size})".format(name=att["name"], size=format_size(att.get("size")))
            item = QListWidgetItem(text, self.attachments)
            item.setData(Qt.ItemDataRole.UserRole, att["id"])
            if current and att["id"] == current:
                self.attachments.setCurrentItem(item)
        if self.record is None:
            self.files_note.setText("" if self.read_only else _("Save the evidence first; then you can attach files to it."))
        elif not self._attachment_rows:
            self.files_note.setText(_("No files attached."))
        else:
            self.files_note.setText("")
        self.files_note.setVisible(bool(self.files_note.text()))

    def selected_attachment(self) -> str | None:
        item = self.attachments.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def values(self) -> dict:
        day = self.date.date()
        return {
            "date": None if day == NO_DATE or not day.isValid() else dt.date(day.year(), day.month(), day.day()),
            "kind": self.kind.currentData(),
            "title": {lang: self.title[lang].text().strip() for lang in ("cy", "en")},
            "summary": {lang: self.summary[lang].toPlainText().strip() for lang in ("cy", "en")},
            "area_ids": self.areas.checked_ids(),
            "statement_ids": self.statements.checked_ids(),
            "priority_ids": self.priorities.checked_ids(),
        }

    def chosen_visibility(self) -> str:
        return self.visibility.currentData() or "private"

    def validate(self) -> bool:
        self._errors = validate_evidence(self.values())
        self._show_errors()
        if self._errors:
            first = {"date": self.date, "kind": self.kind, "title": self._first_title()}[next(iter(self._errors))]
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return not self._errors

    def _first_title(self) -> QLineEdit:
        return self.title["en"] if self.writes_in == "en" else self.title["cy"]

    def error_text(self, field: str) -> str:
        return _(self._errors[field]) if field in self._errors else ""

    def _show_errors(self) -> None:
        for field, label, inputs in (
            ("date", self.date_error, (self.date,)),
            ("kind", self.kind_error, (self.kind,)),
            ("title", self.title_error, (self.title["cy"], self.title["en"])),
        ):
            text = self.error_text(field)
            label.setText(text)
            label.setVisible(bool(text))
            for widget in inputs:
                widget.setAccessibleDescription(text)

    def _edited(self, *_args) -> None:
        if self._loading or self.read_only:
            return
        self.dirty = True
        if self._errors:  # a fixed problem's message goes as soon as it is fixed
            self._errors = {k: v for k, v in validate_evidence(self.values()).items() if k in self._errors}
            self._show_errors()
        self.changed.emit()

    def _date_changed(self, *_args) -> None:
        self._edited()
        if not self._loading:
            self.dateChanged.emit()

    def _visibility_changed(self, *_args) -> None:
        self.visibility_help.setText(visibility_explanation(self.visibility.currentData()))
        self._edited()

    def _update_buttons(self) -> None:
        saved = self.record is not None
        editable = saved and not self.read_only
        self.delete_button.setEnabled(editable)
        self.purge_button.setEnabled(editable)
        self.attach_button.setEnabled(editable)
        chosen = self.selected_attachment()
        has_file = chosen is not None
        self.open_button.setEnabled(saved and has_file and self.can_open(chosen))
        self.remove_button.setEnabled(editable and has_file)
