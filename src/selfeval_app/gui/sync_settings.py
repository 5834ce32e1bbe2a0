"""Sync settings (opened from Settings and from the Sharing page's sync section): off, a folder
(a synced OneDrive/SharePoint/Teams folder, a network share, a USB stick) or a WebDAV server (its
address, user name and password; the password goes to the operating system's keyring, never the
database). "Test" makes one reachability check off the database writer and says what happened;
"Save" checks the same way, marks the folder (or keeps the password), then saves the settings on
the writer. The live data folder is refused with the core's message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.language import Retranslatable, plain, qlocale


class SyncSettingsDialog(Retranslatable, QDialog):
    def __init__(self, window, config: dict | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.window_ = window
        self.setObjectName("syncSettings")
        self.setLocale(qlocale())
        self.busy = False
        self.result_text = ""  # the last Test / Save outcome, in words
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        self.kinds = QButtonGroup(self)
        self.off = QRadioButton(self)
        self.folder_kind = QRadioButton(self)
        self.webdav_kind = QRadioButton(self)
        for i, button in enumerate((self.off, self.folder_kind, self.webdav_kind)):
            self.kinds.addButton(button, i)
            layout.addWidget(button)
            if i == 1:
                self.folder_box = QWidget(self)
                row = QHBoxLayout(self.folder_box)
                row.setContentsMargins(24, 0, 0, 0)
                self.folder_label = QLabel(self.folder_box)
                self.folder = QLineEdit(self.folder_box)
                self.folder.setObjectName("syncFolder")
                self.folder_label.setBuddy(self.folder)
                self.choose = QPushButton(self.folder_box)
                self.choose.clicked.connect(self.choose_folder)
                row.addWidget(self.folder_label)
                row.addWidget(self.folder, 1)
                row.addWidget(self.choose)
                layout.addWidget(self.folder_box)
        self.webdav_box = QWidget(self)
        form = QFormLayout(self.webdav_box)
        form.setContentsMargins(24, 0, 0, 0)
        self.url_label, self.url = QLabel(self.webdav_box), QLineEdit(self.webdav_box)
        self.user_label, self.user = QLabel(self.webdav_box), QLineEdit(self.webdav_box)
        self.password_label, self.password = QLabel(self.webdav_box), QLineEdit(self.webdav_box)
        self.url.setObjectName("syncUrl")
        self.user.setObjectName("syncUser")
        self.password.setObjectName("syncPasswordField")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, field in ((self.url_label, self.url), (self.user_label, self.user), (self.password_label, self.password)):
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addWidget(self.webdav_box)

        test_row = QHBoxLayout()
        self.test_button = QPushButton(self)
        self.test_button.clicked.connect(self.test)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.result = QLabel(self)
        self.result.setObjectName("syncTestResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)

        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        cfg = config or {}
        if cfg.get("kind") == "folder":
            self.folder_kind.setChecked(True)
            self.folder.setText(cfg.get("path", ""))
        elif cfg.get("kind") == "webdav":
            self.webdav_kind.setChecked(True)
            self.url.setText(cfg.get("url", ""))
            self.user.setText(cfg.get("user", ""))
        else:
            self.off.setChecked(True)
        self.kinds.idToggled.connect(lambda _id, _on: self._update())
        self._update()
        self.retranslate()

    def kind(self) -> str:
        return {0: "off", 1: "folder", 2: "webdav"}[self.kinds.checkedId()]

    def _update(self) -> None:
        kind = self.kind()
        self.folder_box.setEnabled(kind == "folder" and not self.busy)
        self.webdav_box.setEnabled(kind == "webdav" and not self.busy)
        self.test_button.setEnabled(kind != "off" and not self.busy)
        self.buttons.setEnabled(not self.busy)

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.setWindowTitle(_("Sync settings"))
        self.setAccessibleName(_("Sync settings"))
        self.intro.setText(
            _(
                "Sync sends what you chose to share to your contacts, and brings in what they send, "
                "whenever this laptop is online. Choose where the bundles go: a folder every side can "
                "reach, or your local authority's WebDAV server."
            )
        )
        self.off.setText(_("&Off: send and import bundles by hand only"))
        self.folder_kind.setText(_("A &folder: a synced OneDrive, SharePoint or Teams folder, a network share, a USB stick"))
        self.webdav_kind.setText(_("A &WebDAV server, such as your local authority's"))
        for button in (self.off, self.folder_kind, self.webdav_kind):
            button.setAccessibleName(plain(button.text()))
        self.folder_label.setText(_("F&older:"))
        self.folder.setAccessibleName(_("Sync folder"))
        self.choose.setText(_("&Choose…"))
        self.choose.setAccessibleName(_("Choose the sync folder"))
        self.url_label.setText(_("&Address:"))
        self.url.setAccessibleName(_("Server address"))
        self.url.setPlaceholderText(_("https://…"))
        self.user_label.setText(_("&User name:"))
        self.user.setAccessibleName(_("User name on the server"))
        self.password_label.setText(_("&Password:"))
        self.password.setAccessibleName(_("Password on the server"))
        self.password.setToolTip(_("Kept in this computer's keyring, never in the school's data."))
        self.test_button.setText(_("&Test"))
        self.test_button.setAccessibleName(_("Test the sync settings"))
        self.test_button.setToolTip(_("Check once that the folder or server can be reached"))
        self.result.setAccessibleName(_("Test result"))
        self.result.setText(self.result_text)

    def _say(self, text: str) -> None:
        self.result_text = text
        self.result.setText(text)

    def _set_busy(self, busy: bool, message_id: str | None = None) -> None:
        self.busy = busy
        if message_id:
            self._say(_(message_id))
        self._update()

    def choose_folder(self) -> None:
        from selfeval_app.gui.dialogs import dialogs

        path = dialogs().choose_folder(self, _("Choose the sync folder"), self.folder.text())
        if path:
            self.folder.setText(path)

    def _error(self, error) -> None:
        self._set_busy(False)
        self._say(error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed."))

    def test(self) -> None:
        from selfeval_app import sync_views

        kind, data_dir = self.kind(), self.window_.data_dir
        folder, url, user, typed = self.folder.text(), self.url.text(), self.user.text(), self.password.text()

        def work():
            if kind == "folder":
                return sync_views.test_folder(folder, data_dir)
            return sync_views.test_webdav(url, user, typed or sync_views.kept_password(url, user))

        self._set_busy(True, N_("Testing…"))
        # Not run_off_writer: a failed test is not "Not saved".
        self.window_.operations.run_off_writer(work, self._tested, self._error)

    def _tested(self, text: str) -> None:
        self._set_busy(False)
        self._say(text)

    def save(self) -> None:
        from selfeval_app import sync_views

        kind, data_dir = self.kind(), self.window_.data_dir
        if kind == "off":
            self._set_busy(True, N_("Saving…"))
            self.window_.run_job(lambda s: sync_views.save_config(s.store, None), lambda _r: self._saved(True), self._error, done_status=N_("Sync turned off."))
            return
        folder, url, user, typed = self.folder.text(), self.url.text(), self.user.text(), self.password.text()

        def work():
            password = typed or (sync_views.kept_password(url, user) if kind == "webdav" else "")
            return sync_views.prepare(kind, data_dir, folder=folder, url=url, user=user, password=password)

        def prepared(outcome) -> None:
            cfg = outcome["config"]
            self.window_.run_job(
                lambda s: sync_views.save_config(s.store, cfg), lambda _r: self._saved(outcome["kept"]), self._error, done_status=N_("Sync settings saved.")
            )

        self._set_busy(True, N_("Checking…"))
        self.window_.operations.run_off_writer(work, prepared, self._error)

    def _saved(self, kept: bool) -> None:
        self._set_busy(False)
        if self.window_.sync is not None:
            self.window_.sync.settings_changed()
        if not kept:
            from selfeval_app.gui.dialogs import dialogs

            dialogs().information(
                self,
                _("Sync settings"),
                _("This computer has no keyring to keep the password in, and it is not written anywhere else: you will be asked for it when sync needs it."),
            )
        self.accept()
