"""Choosing the evidence behind one statement: every piece of evidence (title, date, kind) with a
tick box, newest first, and a filter box (accent-insensitive: "wyr" finds "ŵyr"). The links are
saved on the evidence records by the page, when the person presses Save.

The list is an item model over plain rows, so 20,000 items open and filter quickly.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
)

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.evidence_labels import kind_label
from selfeval_app.core.i18n import N_, _, current_language, format_date
from selfeval_app.core.messages_common import evidence_listed_count, evidence_ticked_count
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.welsh_letters import install_welsh_letters

HEADERS = (N_("Evidence"), N_("Date"), N_("Kind"))


class EvidenceChoiceModel(QAbstractTableModel):
    def __init__(self, choices: list[ee.EvidenceChoice], parent=None):
        super().__init__(parent)
        self.choices = choices
        self.ticked = {c.id for c in choices if c.linked}
        self.visible = list(range(len(choices)))

    def set_filter(self, text: str) -> None:
        words = ee.fold(text).split()
        self.beginResetModel()
        self.visible = [i for i, c in enumerate(self.choices) if ee.matches_filter(c, words, ee.fold(kind_label(c.kind)))]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def choice(self, row: int) -> ee.EvidenceChoice:
        return self.choices[self.visible[row]]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = self.choice(index.row())
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return ee.bitext_in(c.title, current_language())
            if col == 1:
                try:
                    return format_date(dt.date.fromisoformat(c.date))
                except ValueError:
                    return c.date
            return kind_label(c.kind)
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if c.id in self.ticked else Qt.CheckState.Unchecked
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            c = self.choice(index.row())
            if Qt.CheckState(value) == Qt.CheckState.Checked:
                self.ticked.add(c.id)
            else:
                self.ticked.discard(c.id)
            self.dataChanged.emit(index, index, [role])
            return True
        return False

    def flags(self, index):
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.visible:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.visible) - 1, len(HEADERS) - 1))

    def changes(self) -> tuple[list[str], list[str]]:
        """(evidence to link, evidence to unlink) compared with how it was."""
        before = {c.id for c in self.choices if c.linked}
        return [c.id for c in self.choices if c.id in self.ticked and c.id not in before], [i for i in before if i not in self.ticked]


class LinkEvidenceDialog(Retranslatable, QDialog):
    chosen = Signal(list, list)  # evidence ids to link, to unlink

    def __init__(self, page, statement_id: str, statement_name: str):
        super().__init__(page)
        self.setLocale(qlocale())
        self.statement_name = statement_name
        reader = page.window.session.reader
        self.model = EvidenceChoiceModel(ee.evidence_choices(reader, statement_id, current_language()), self)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.filter_label = QLabel(self)
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        install_welsh_letters(self.filter)
        self.filter_label.setBuddy(self.filter)
        self.filter.textChanged.connect(self._filter)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._toggle)
        self.count_label = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.model.dataChanged.connect(lambda *_a: self._count())
        for w in (self.intro, self.filter_label, self.filter, self.table, self.count_label, self.buttons):
            layout.addWidget(w)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().lineSpacing() * 30)
        self.retranslate()

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._count()

    def _toggle(self, index) -> None:
        first = self.model.index(index.row(), 0)
        ticked = self.model.data(first, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        self.model.setData(first, (Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked).value, Qt.ItemDataRole.CheckStateRole)

    def _count(self) -> None:
        n = len(self.model.ticked)
        self.count_label.setText(evidence_ticked_count(n))
        shown = len(self.model.visible)
        self.table.setAccessibleDescription(evidence_listed_count(shown))

    def _save(self) -> None:
        link, unlink = self.model.changes()
        self.chosen.emit(link, unlink)
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Evidence behind a statement"))
        # Translators: %(statement)s is e.g. "Strength 2".
        self.intro.setText(_("Tick the evidence that backs %(statement)s. Press Space or Enter to tick or untick the chosen row.") % {"statement": self.statement_name})
        self.filter_label.setText(_("&Filter:"))
        self.filter.setAccessibleName(plain(_("Filter:")))
        self.filter.setPlaceholderText(_("Words in the title, a date or a kind"))
        self.table.setAccessibleName(_("Evidence to tick"))
        self.table.horizontalHeader().setAccessibleName(_("Column headings"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(_("Save the links"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(_("Cancel"))
        self.model.retranslate()
        self._count()
