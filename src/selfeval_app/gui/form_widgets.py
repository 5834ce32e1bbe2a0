"""Small pieces every form uses: the inline problem label under a field, the notice bar with one
button (e.g. "Deleted …  [Undo]"), and filling a combo box again (after a language switch or new
data) while keeping what was chosen."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ErrorLabel(QLabel):
    """An inline problem under a field: bold, wrapped, selectable, hidden when empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setObjectName("inlineError")
        self.hide()

    def show_problem(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class NoticeBar(QFrame):
    """A wrapped message with one button, in the theme's tooltip colours (so contrast holds);
    hidden until shown. `label` and `button` are for the owner to fill."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        row = QHBoxLayout(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()


def refill_combo(combo: QComboBox, items: Iterable[tuple[object, str]], empty: str | None = None) -> None:
    """Replace a combo box's items with (data, text) pairs, keeping the chosen data if it is
    still there (else the first item), without emitting change signals."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def select_data(combo: QComboBox, data) -> None:
    """Choose the item holding `data` (the first item if none does)."""
    index = combo.findData(data) if data is not None else -1
    combo.setCurrentIndex(max(index, 0))
