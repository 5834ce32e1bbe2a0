"""The Sharing page's sync section: the state in words (where sync goes, last success, what waits
for each contact, the last error and what to do), "Sync now" and "Sync settings…".

It reads the window's `SyncController` (gui/sync.py), which exists a moment after the first paint;
until then it says it is reading the state.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from selfeval_app.core.i18n import _
from selfeval_app.gui.language import Retranslatable


class SyncSection(Retranslatable, QGroupBox):
    def __init__(self, window, parent: QWidget | None = None, *, on_imported=None):
        super().__init__(parent)
        self.window_ = window
        self.on_imported = on_imported  # the page re-reads (new conflicts) after a round imported
        self.setObjectName("syncSection")
        layout = QVBoxLayout(self)
        self.state = QWidget(self)  # one label per line of the state (each a sentence of its own)
        self.state.setObjectName("syncState")
        self.state_layout = QVBoxLayout(self.state)
        self.state_layout.setContentsMargins(0, 0, 0, 0)
        self.lines: list[QLabel] = []
        layout.addWidget(self.state)
        row = QHBoxLayout()
        self.sync_now_button = QPushButton(self)
        self.sync_now_button.setObjectName("syncNow")
        self.sync_now_button.clicked.connect(self.sync_now)
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("syncSettingsButton")
        self.settings_button.clicked.connect(self.open_settings)
        row.addWidget(self.sync_now_button)
        row.addWidget(self.settings_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._connected = False
        window.syncStarted.connect(self._connect)
        self._connect()
        self.retranslate()

    def _connect(self) -> None:
        if self._connected or self.window_.sync is None:
            return
        self._connected = True
        self.window_.sync.changed.connect(self.show_state)
        self.window_.sync.roundFinished.connect(self._round_finished)
        self.show_state()

    def _round_finished(self, result) -> None:
        # re-read after an import (new conflicts), a bundle of another laptop held or no longer
        # held (its question under "Needs a decision"), or our laptops' list changed
        if not result or self.on_imported is None:
            return
        if result.get("imported") or result.get("held") or result.get("devices_changed") or self._shows_held():
            self.on_imported()

    def _shows_held(self) -> bool:
        page = self.parent()
        data = getattr(page, "data", None) or {}
        return any(not h.get("confirmed") for h in data.get("held", []))

    def sync_now(self) -> None:
        if self.window_.sync is not None:
            self.window_.sync.sync_now()

    def open_settings(self):
        from selfeval_app.gui.settings_dialog import open_sync_settings

        return open_sync_settings(self.window_, self)

    def retranslate(self) -> None:
        self.setTitle(_("Sync"))
        self.state.setAccessibleName(_("Sync state"))
        self.sync_now_button.setText(_("Sync &now"))
        self.sync_now_button.setAccessibleName(_("Sync now"))
        self.sync_now_button.setToolTip(_("Send what is due and fetch what your contacts sent, now"))
        self.settings_button.setText(_("Sync se&ttings…"))
        self.settings_button.setAccessibleName(_("Sync settings"))
        self.show_state()

    def state_text(self) -> str:
        """The state as shown, one line per sentence."""
        return "\n".join(label.text() for label in self.lines if label.text())

    def show_state(self) -> None:
        from selfeval_app.sync_views import status_lines

        sync = self.window_.sync
        info = sync.info if sync is not None else None
        running = bool(sync and sync.running)
        texts = status_lines(info, self.window_.clock.today(), running=running)
        while len(self.lines) < len(texts):
            label = QLabel(self.state)
            label.setObjectName(f"syncStateLine{len(self.lines)}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            self.state_layout.addWidget(label)
            self.lines.append(label)
        for label, text in zip(self.lines, texts + [""] * (len(self.lines) - len(texts)), strict=True):
            label.setText(text)
            label.setVisible(bool(text))
        configured = bool(info and info.get("configured"))
        self.sync_now_button.setEnabled(sync is not None and configured and not running)
