"""The history of one evaluation: its saved versions (one per editing session), newest first, with
the local date and time and which computer saved each, a preview, and "Restore this version".

Restoring asks first (through the dialog service) and makes that version the current one as a new
version, so the version it replaces stays in the history too: nothing is lost.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from selfeval_app.core.clock import LONDON
from selfeval_app.core.i18n import _, format_date
from selfeval_app.gui.language import Retranslatable, qlocale


def local_time(stamp: str) -> str:
    """A stored UTC timestamp as the local date and time in Wales, e.g. "23/11/2026 19:45"."""
    try:
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC).astimezone(LONDON)
    except (TypeError, ValueError):
        return stamp or ""
    return f"{format_date(when.date())} {when:%H:%M}"


class HistoryDialog(Retranslatable, QDialog):
    restoreRequested = Signal(str, int)  # noqa: N815 - record id, history id

    def __init__(self, page, record_id: str):
        super().__init__(page)
        self.setLocale(qlocale())
        self.page = page
        self.record_id = record_id
        self.device_id = page.window.session.device_id
        self.versions = page.reader.history("evaluation", record_id)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        row = QHBoxLayout()
        self.list = QListWidget(self)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        row.addWidget(self.list, 1)
        row.addWidget(self.preview, 2)
        layout.addLayout(row, 1)
        self.restore_button = QPushButton(self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._show)
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().lineSpacing() * 28)
        self.retranslate()
        if self.versions:
            self.list.setCurrentRow(0)

    def _who(self, device: str | None) -> str:
        if device == self.device_id:
            return _("this computer")
        # Translators: %(id)s is the start of another computer's identifier.
        return _("another computer (%(id)s)") % {"id": (device or "?")[:8]}

    def _fill(self) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for v in self.versions:
            text = _("%(when)s, %(who)s") % {"when": local_time(v["saved_at"]), "who": self._who(v["updated_by"])}
            if v["history_id"] is None:
                text = _("%(version)s (current)") % {"version": text}
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, v["history_id"])
        if self.versions:
            self.list.setCurrentRow(max(0, current))

    def _show(self, row: int) -> None:
        from selfeval_app.gui.evaluation.page import evaluation_as_text

        if not 0 <= row < len(self.versions):
            self.preview.clear()
            self.restore_button.setEnabled(False)
            return
        content = self.versions[row]["content"]
        self.preview.setPlainText(evaluation_as_text(content.get("narrative") or {}, content.get("statements") or []))
        self.restore_button.setEnabled(self.versions[row]["history_id"] is not None)

    def restore_selected(self) -> bool:
        from selfeval_app.gui.dialogs import dialogs

        row = self.list.currentRow()
        if not 0 <= row < len(self.versions) or self.versions[row]["history_id"] is None:
            return False
        if not dialogs().question(
            self,
            _("Restore this version"),
            _("Make this version the current one? The version you have now is kept in the history, so you can go back to it."),
        ):
            return False
        self.restoreRequested.emit(self.record_id, int(self.versions[row]["history_id"]))
        self.accept()
        return True

    def retranslate(self) -> None:
        self.setWindowTitle(_("History of this evaluation"))
        self.intro.setText(_("One version is kept each time the evaluation is edited. Choose a version to see it."))
        self.list.setAccessibleName(_("Saved versions"))
        self.preview.setAccessibleName(_("The chosen version"))
        self.restore_button.setText(_("&Restore this version"))
        self.restore_button.setAccessibleName(_("Restore this version"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close"))
        self._fill()
