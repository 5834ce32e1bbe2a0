"""A busy/progress indicator for long work, with a Cancel button.

`BusyIndicator` is a small bar for the status area: `start(text, cancellable=...)`, `progress(done,
total)`, `finish()`. Cancelling sets `cancelled` and emits `cancelRequested`; long jobs check a
`CancelToken` between steps (the worker never touches the widget: it reports progress by signal).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from selfeval_app.core.i18n import _


class CancelToken:
    """Thread-safe flag a long job polls between steps."""

    def __init__(self):
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class BusyIndicator(QWidget):
    cancelRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.token: CancelToken | None = None
        self._text_source = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.retranslate()
        self.hide()

    def start(self, text_id: str, *, cancellable: bool = False) -> CancelToken:
        """Show the indicator; `text_id` is a catalog message (N_), translated now and on a switch."""
        self._text_source = text_id
        self.token = CancelToken()
        self.bar.setRange(0, 0)  # busy until the first progress
        self.cancel_button.setVisible(cancellable)
        self.retranslate()
        self.show()
        return self.token

    def progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def finish(self) -> None:
        self.token = None
        self.hide()

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
        self.cancelRequested.emit()

    def retranslate(self) -> None:
        self.label.setText(_(self._text_source) if self._text_source else "")
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.bar.setAccessibleName(_("Progress"))

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
