"""The itemised statements of an evaluation: one section per kind (strengths, areas for development,
next steps), each a list of statements that can be added, edited, removed and moved up or down.

Each statement shows how many pieces of evidence back it; one with none gets a small, quiet note
(never an alarm). The section tells the page what happened through signals; the page saves.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.evaluation_edit import new_statement
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.messages_common import evidence_count
from selfeval_app.gui.evaluation.bitext import BiTextEditor

SECTION_TITLES = {
    "strength": N_("Strengths"),
    "development": N_("Areas for development"),
    "next_step": N_("Next steps"),
}
ITEM_NAMES = {  # the name of one statement, with its number
    "strength": N_("Strength %(n)s"),
    "development": N_("Area for development %(n)s"),
    "next_step": N_("Next step %(n)s"),
}
ADD_LABELS = {
    "strength": N_("Add a strength"),
    "development": N_("Add an area for development"),
    "next_step": N_("Add a next step"),
}
EMPTY_LABELS = {
    "strength": N_("No strengths written yet."),
    "development": N_("No areas for development written yet."),
    "next_step": N_("No next steps written yet."),
}


#: Object names of the editing controls (hidden in read-only mode; see EvaluationPage).
EDITING_CONTROLS = frozenset({
    *(f"addStatement_{kind}" for kind in SECTION_TITLES),
    "linkStatementEvidence", "moveStatementUp", "moveStatementDown", "removeStatement",
})

evidence_count_text = evidence_count  # the same words as the evidence log (core/messages_common.py)


class StatementRow(QFrame):
    """One statement: its text (Welsh | English), its evidence, and buttons to act on it."""

    def __init__(self, section: StatementSection, statement: dict):
        super().__init__(section)
        self.section = section
        self.statement = dict(statement)
        self.evidence_count = 0
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.editor = BiTextEditor(ITEM_NAMES[section.kind], {"n": 1}, min_lines=2, max_lines=6, parent=self)
        self.editor.set_value(statement.get("text"))
        layout.addWidget(self.editor)
        row = QHBoxLayout()
        self.count_label = QLabel(self)
        self.note = QLabel(self)  # a gentle note when no evidence backs it
        font = self.note.font()
        font.setItalic(True)
        self.note.setFont(font)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.link_button = QPushButton(self)
        self.up_button = QPushButton(self)
        self.down_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        row.addWidget(self.count_label)
        row.addWidget(self.note)
        row.addStretch(1)
        for b, object_name in (
            (self.link_button, "linkStatementEvidence"),
            (self.up_button, "moveStatementUp"),
            (self.down_button, "moveStatementDown"),
            (self.remove_button, "removeStatement"),
        ):
            b.setObjectName(object_name)
            row.addWidget(b)
            b.setVisible(not section.read_only)
        self.editor.set_read_only(section.read_only)
        layout.addLayout(row)
        self.editor.edited.connect(section.edited)
        self.editor.focusLeft.connect(section.focusLeft)
        self.link_button.clicked.connect(lambda: section.linkRequested.emit(self.statement_id))
        self.up_button.clicked.connect(lambda: section.move(self, -1))
        self.down_button.clicked.connect(lambda: section.move(self, +1))
        self.remove_button.clicked.connect(lambda: section.remove(self))

    @property
    def statement_id(self) -> str:
        return self.statement["id"]

    def value(self) -> dict:
        return {**self.statement, "text": self.editor.value()}

    def set_evidence_count(self, n: int) -> None:
        self.evidence_count = n
        self.retranslate()

    def retranslate(self, number: int | None = None) -> None:
        if number is not None:
            self.number = number
        n = getattr(self, "number", 1)
        name = _(ITEM_NAMES[self.section.kind]) % {"n": n}
        self.editor.set_name(ITEM_NAMES[self.section.kind], {"n": n})
        self.count_label.setText(evidence_count_text(self.evidence_count))
        self.note.setText(_("No evidence linked yet") if self.evidence_count == 0 else "")
        self.note.setVisible(self.evidence_count == 0)
        self.link_button.setText(_("&Evidence…"))
        self.link_button.setAccessibleName(_("Link evidence to %(statement)s") % {"statement": name})
        self.link_button.setToolTip(_("Choose the evidence that backs this statement"))
        self.up_button.setText(_("Up"))
        self.up_button.setAccessibleName(_("Move %(statement)s up") % {"statement": name})
        self.down_button.setText(_("Down"))
        self.down_button.setAccessibleName(_("Move %(statement)s down") % {"statement": name})
        self.remove_button.setText(_("Remove"))
        self.remove_button.setAccessibleName(_("Remove %(statement)s") % {"statement": name})
        self.setAccessibleName(name)


class StatementSection(QGroupBox):
    """The statements of one kind, in order."""

    edited = Signal()
    focusLeft = Signal()  # noqa: N815
    linkRequested = Signal(str)  # noqa: N815 - statement id
    removeRequested = Signal(object)  # noqa: N815 - the row (the page asks first)

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.read_only = False
        self.rows: list[StatementRow] = []
        self._writes_in, self._shown = "both", {"cy": True, "en": True}
        layout = QVBoxLayout(self)
        self.empty_label = QLabel(self)
        layout.addWidget(self.empty_label)
        self.rows_box = QVBoxLayout()
        layout.addLayout(self.rows_box)
        bottom = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName(f"addStatement_{kind}")
        self.add_button.clicked.connect(self.add_new)
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        self.retranslate()

    def set_read_only(self, on: bool) -> None:
        """Another owner's statements: shown, selectable, never edited (no add, move or remove)."""
        self.read_only = on
        self.add_button.setVisible(not on)
        for row in self.rows:
            row.editor.set_read_only(on)
            for b in (row.link_button, row.up_button, row.down_button, row.remove_button):
                b.setVisible(not on)

    def set_statements(self, statements: list[dict]) -> None:
        for row in self.rows:  # gone at once (a reload never runs inside a row's own signal)
            row.hide()
            row.setParent(None)
        self.rows = []
        for s in statements:
            self._append(s)
        self._renumber()

    def _append(self, statement: dict) -> StatementRow:
        row = StatementRow(self, statement)
        row.editor.set_languages(self._writes_in, self._shown)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        return row

    def statements(self) -> list[dict]:
        return [row.value() for row in self.rows]

    def add_new(self) -> StatementRow | None:
        if self.read_only:
            return None
        row = self._append(new_statement(self.kind))
        self._renumber()
        self.edited.emit()
        row.editor.boxes["cy" if self._shown["cy"] else "en"].setFocus()
        return row

    def remove(self, row: StatementRow) -> None:
        if self.read_only:
            return
        self.removeRequested.emit(row)

    def remove_now(self, row: StatementRow) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        self.edited.emit()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].editor.boxes["cy" if self._shown["cy"] else "en"].setFocus()
        else:
            self.add_button.setFocus()

    def move(self, row: StatementRow, step: int) -> None:
        if self.read_only:
            return
        i = self.rows.index(row)
        j = i + step
        if not 0 <= j < len(self.rows):
            return
        self.rows[i], self.rows[j] = self.rows[j], self.rows[i]
        self.rows_box.removeWidget(row)
        self.rows_box.insertWidget(j, row)
        self._renumber()
        self.edited.emit()
        (row.up_button if step < 0 and j > 0 else row.down_button if step > 0 and j < len(self.rows) - 1 else row.editor.boxes["cy" if self._shown["cy"] else "en"]).setFocus()

    def set_languages(self, writes_in: str, shown: dict[str, bool]) -> None:
        self._writes_in, self._shown = writes_in, dict(shown)
        for row in self.rows:
            row.editor.set_languages(writes_in, shown)

    def set_evidence_counts(self, counts: dict[str, int]) -> None:
        for row in self.rows:
            row.set_evidence_count(counts.get(row.statement_id, 0))

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.retranslate(number)
            row.up_button.setEnabled(number > 1)
            row.down_button.setEnabled(number < len(self.rows))
        self.empty_label.setVisible(not self.rows)

    def retranslate(self) -> None:
        self.setTitle(_(SECTION_TITLES[self.kind]))
        self.empty_label.setText(_(EMPTY_LABELS[self.kind]))
        self.add_button.setText(_(ADD_LABELS[self.kind]))
        self.add_button.setAccessibleName(_(ADD_LABELS[self.kind]))
        for row in self.rows:
            row.retranslate()
            row.editor.retranslate()
