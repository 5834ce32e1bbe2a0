"""Settings: language, "we write in", the data folder, sync, backups, the Welsh-letter helper.

The dialog does no database work itself: it asks its host (the main window) to save, back up
and restore, which go through the database worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _, current_language, format_date
from selfeval_app.gui.labels import WRITES_IN_NAMES
from selfeval_app.gui.language import Retranslatable, plain, qlocale

#: Each language's name in its own language (shown the same in both languages).
LANGUAGE_NAMES = (("cy", "Cymraeg"), ("en", "English"))

BACKUP_REASONS = {
    "manual": N_("made by hand"),
    "auto": N_("automatic"),
    "before-migration": N_("before an update"),
    "before-restore": N_("before a restore"),
}


def describe_backup(path: Path) -> str:
    """ "21/05/2026 14:03 – made by hand" from a backup's file name (its time is UTC)."""
    name = path.stem  # selfeval-<reason>-YYYYmmdd-HHMMSS-ffffff
    parts = name.split("-")
    reason_key = "-".join(parts[1:-3]) if len(parts) >= 5 else "manual"
    try:
        when = dt.datetime.strptime(parts[-3] + parts[-2], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC).astimezone()
    except (ValueError, IndexError):
        return path.name
    reason_id = BACKUP_REASONS.get(reason_key, BACKUP_REASONS["manual"])
    reason = _(reason_id)
    # Translators: a backup in the list: date, time, and why it was made.
    return _("%(date)s %(time)s – %(reason)s") % {
        "date": format_date(when.date()),
        "time": when.strftime("%H:%M"),
        "reason": reason,
    }


def sync_config(window) -> dict | None:
    """The sync settings as the window last read them (one meta read on its reader otherwise)."""
    sync = getattr(window, "sync", None)
    if sync is not None and sync.info is not None:
        return sync.info.get("configured")
    reader = window.session.reader if getattr(window, "session", None) is not None else None
    if reader is None:
        return None
    from selfeval_app.sync_views import config

    return config(reader)


def open_sync_settings(window, parent: QWidget | None = None):
    """The sync settings dialog (gui/sync_settings.py), window-modal."""
    from selfeval_app.gui.sync_settings import SyncSettingsDialog

    dialog = SyncSettingsDialog(window, sync_config(window), parent or window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    window.sync_settings_dialog = dialog
    return dialog


class SettingsDialog(Retranslatable, QDialog):
    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host  # the main window: data_dir, school, save_writes_in, backups
        self.setLocale(qlocale())
        layout = QVBoxLayout(self)

        self.general = QGroupBox(self)
        form = QFormLayout(self.general)
        self.language_label = QLabel(self.general)
        self.language = QComboBox(self.general)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language_label.setBuddy(self.language)
        form.addRow(self.language_label, self.language)
        self.writes_in_label = QLabel(self.general)
        self.writes_in = QComboBox(self.general)
        self.writes_in_label.setBuddy(self.writes_in)
        form.addRow(self.writes_in_label, self.writes_in)
        self.helper = QCheckBox(self.general)
        form.addRow(self.helper)
        layout.addWidget(self.general)

        self.folder_box = QGroupBox(self)
        folder_row = QHBoxLayout(self.folder_box)
        self.folder = QLineEdit(str(host.data_dir), self.folder_box)
        self.folder.setReadOnly(True)
        self.open_folder = QPushButton(self.folder_box)
        self.open_folder.clicked.connect(lambda: host.open_data_folder())
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder)
        layout.addWidget(self.folder_box)

        self.sync_box = QGroupBox(self)
        self.sync_box.setObjectName("syncBox")
        sync_row = QHBoxLayout(self.sync_box)
        self.sync_where = QLabel(self.sync_box)
        self.sync_where.setWordWrap(True)
        self.sync_setup = QPushButton(self.sync_box)
        self.sync_setup.setObjectName("syncSetup")
        self.sync_setup.clicked.connect(lambda: open_sync_settings(host, self))
        sync_row.addWidget(self.sync_where, 1)
        sync_row.addWidget(self.sync_setup)
        layout.addWidget(self.sync_box)
        if getattr(host, "sync", None) is not None:
            host.sync.changed.connect(self._show_sync)

        self.backup_box = QGroupBox(self)
        backup_layout = QVBoxLayout(self.backup_box)
        self.backups = QListWidget(self.backup_box)
        backup_layout.addWidget(self.backups)
        row = QHBoxLayout()
        self.backup_now = QPushButton(self.backup_box)
        self.restore = QPushButton(self.backup_box)
        self.backup_now.clicked.connect(self._backup_now)
        self.restore.clicked.connect(self._restore)
        row.addWidget(self.backup_now)
        row.addWidget(self.restore)
        row.addStretch(1)
        backup_layout.addLayout(row)
        layout.addWidget(self.backup_box, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._load()
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.writes_in.currentIndexChanged.connect(self._writes_in_chosen)
        self.helper.toggled.connect(self._helper_toggled)
        self.backups.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.retranslate()

    def _load(self) -> None:
        from selfeval_app.gui import welsh_letters

        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.language.blockSignals(False)
        self.helper.blockSignals(True)
        self.helper.setChecked(welsh_letters.is_enabled())
        self.helper.blockSignals(False)

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        title = _("Settings")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.general.setTitle(_("General"))
        self.language_label.setText(_("Language of the app:"))
        self.language.setAccessibleName(plain(_("Language of the app:")))
        self.writes_in_label.setText(_("We write in:"))
        self.writes_in.setAccessibleName(plain(_("We write in:")))
        self.writes_in.setToolTip(_("Which languages the school writes in: this decides which missing translations are pointed out."))
        school = self.host.school() or {}
        self.writes_in.blockSignals(True)
        self.writes_in.clear()
        for key, name in WRITES_IN_NAMES.items():
            self.writes_in.addItem(_(name), key)
        self.writes_in.setCurrentIndex(max(self.writes_in.findData(school.get("writes_in")), 0))
        self.writes_in.setEnabled(bool(school))
        self.writes_in.blockSignals(False)
        self.helper.setText(_("Show the Welsh-letter helper (Ctrl+Shift+L) in text fields"))
        self.helper.setAccessibleName(plain(self.helper.text()))
        self.folder_box.setTitle(_("Where the data is kept"))
        self.folder.setAccessibleName(_("Data folder"))
        self.folder.setToolTip(_("The folder that holds the school's database, attached files and backups."))
        self.open_folder.setText(_("Open the folder"))
        self.open_folder.setAccessibleName(_("Open the data folder"))
        self.sync_box.setTitle(_("Sync"))
        self.sync_setup.setText(_("Set up s&ync…"))
        self.sync_setup.setAccessibleName(_("Set up sync"))
        self._show_sync()
        self.backup_box.setTitle(_("Backups"))
        self.backups.setAccessibleName(_("Backups, newest first"))
        self.backup_now.setText(_("Make a backup now"))
        self.backup_now.setAccessibleName(_("Make a backup now"))
        self.restore.setText(_("Restore the chosen backup…"))
        self.restore.setAccessibleName(_("Restore the chosen backup"))
        self.refresh_backups()

    def _show_sync(self) -> None:
        from selfeval_app.sync_views import where_text

        self.sync_where.setText(where_text(sync_config(self.host)))
        self.sync_where.setAccessibleName(self.sync_where.text())

    def refresh_backups(self) -> None:
        from selfeval_app.core.backup import list_backups

        chosen = self.backups.currentItem().data(Qt.ItemDataRole.UserRole) if self.backups.currentItem() else None
        self.backups.clear()
        paths = list_backups(self.host.data_dir)
        for path in paths:
            item = QListWidgetItem(describe_backup(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(path.name)
            self.backups.addItem(item)
            if str(path) == chosen:
                self.backups.setCurrentItem(item)
        if not paths:
            item = QListWidgetItem(_("No backups yet."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.backups.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.backups.currentItem()
        self.restore.setEnabled(bool(item and item.data(Qt.ItemDataRole.UserRole)))

    def _language_chosen(self) -> None:
        self.host.switch_language(self.language.currentData())

    def _writes_in_chosen(self) -> None:
        self.host.save_writes_in(self.writes_in.currentData())

    def _helper_toggled(self, on: bool) -> None:
        self.host.set_welsh_letter_helper(on)

    def _backup_now(self) -> None:
        self.backup_now.setEnabled(False)

        def done(_path) -> None:
            self.backup_now.setEnabled(True)
            self.refresh_backups()

        self.host.make_backup(done)

    def _restore(self) -> None:
        item = self.backups.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item else None
        if path:
            self.host.restore_backup(Path(path), self.refresh_backups)
