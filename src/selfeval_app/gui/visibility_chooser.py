"""The one control for who may receive a record: a choice of the three visibilities with a line
saying what the chosen one means. Every editor uses it (evidence, evaluation, plan, priority,
success criterion, action, progress review, indicator) and the school profile's default, so the
words are the same everywhere (`core/visibility.py`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from selfeval_app.core.i18n import N_, _
from selfeval_app.core.visibility import VISIBILITIES, visibility_choices, visibility_explanation

#: The label editors put beside the control.
LABEL = N_("Who may receive it:")


def default_for_new(window) -> str:
    """The school's default visibility for new records (the school profile's setting)."""
    value = ((window.school() if window is not None else None) or {}).get("default_visibility")
    return value if value in VISIBILITIES else "private"


class VisibilityChooser(QWidget):
    """A visibility combo box (`combo`) and its explanation (`help`)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, object_name: str = "visibilityChooser"):
        super().__init__(parent)
        self.setObjectName(object_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.setObjectName(object_name + "Combo")
        self.help = QLabel(self)
        self.help.setWordWrap(True)
        layout.addWidget(self.combo)
        layout.addWidget(self.help)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self._chosen)
        self.retranslate()

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's name
        """The name goes to the combo box, which is what a screen reader lands on."""
        super().setAccessibleName(name)
        self.combo.setAccessibleName(name)

    def value(self) -> str:
        return self.combo.currentData() or "private"

    def set_value(self, visibility: str | None) -> None:
        """Show a visibility without announcing a change (loading a record)."""
        blocked = self.combo.blockSignals(True)
        try:
            self.combo.setCurrentIndex(max(self.combo.findData(visibility or "private"), 0))
        finally:
            self.combo.blockSignals(blocked)
        self.help.setText(visibility_explanation(self.value()))

    def retranslate(self) -> None:
        current = self.combo.currentData() or "private"
        blocked = self.combo.blockSignals(True)  # a language switch is not a choice
        try:
            self.combo.clear()
            for value, label in visibility_choices():
                self.combo.addItem(label, value)
            self.combo.setCurrentIndex(max(self.combo.findData(current), 0))
        finally:
            self.combo.blockSignals(blocked)
        self.help.setText(visibility_explanation(self.value()))
        self.combo.setToolTip(_("Records leave this computer only in a bundle the school sends, and only to those their visibility allows."))

    def _chosen(self, _index: int) -> None:
        self.help.setText(visibility_explanation(self.value()))
        self.changed.emit(self.value())
