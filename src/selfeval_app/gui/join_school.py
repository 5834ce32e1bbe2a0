"""First start on a new laptop: "This laptop joins my school (another laptop already has its data)".

Two steps, in a page of the first-start dialog:
1. This laptop's request, made once (its keys), with its fingerprint shown large; saved to a file
   (a USB stick) or put in the school's sync folder.
   Or, where the school syncs through a WebDAV server, put there (address, user name, password:
   the password goes to the keyring when the laptop joins, never into a file).
2. The reply from the school's laptop, opened from a file or taken from the sync place: the
   school's name and fingerprint are shown large, to compare with the school's laptop, and a tick
   says they match before "Join the school" can be pressed.
The host (`gui/app.py`) gives the page a way to run jobs on the database worker (`configure`);
when the join is committed, `joined` is emitted and the host opens the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import laptops_views as lviews
from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.busy import BusyIndicator
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.form_widgets import ErrorLabel
from selfeval_app.gui.language import Retranslatable
from selfeval_app.gui.sharing.laptops import REPLY_FILTER, REQUEST_FILTER, FingerprintLabel


def _wrapped(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    return label


class JoinSchoolPanel(Retranslatable, QWidget):
    joined = Signal(dict)
    back = Signal()

    STEP_REQUEST, STEP_REPLY = range(2)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.run_job = None
        self.data_dir: Path | None = None
        self.request: dict | None = None
        self.reply: dict | None = None
        self.sync_folder: str | None = None
        self.reply_folder: str | None = None
        self.reply_place: dict | None = None  # where the reply came from (sync is set up with it)
        col = QVBoxLayout(self)
        self.steps = QStackedWidget(self)
        col.addWidget(self.steps, 1)

        # 1. the request
        page = QWidget(self.steps)
        v = QVBoxLayout(page)
        self.intro = _wrapped(page)
        self.fingerprint_intro = _wrapped(page)
        self.fingerprint = FingerprintLabel(page)
        self.fingerprint.setObjectName("thisLaptopFingerprint")
        self.save_request_button = QPushButton(page)
        self.save_request_button.setObjectName("saveRequest")
        self.save_request_button.clicked.connect(self.save_request)
        self.folder_request_button = QPushButton(page)
        self.folder_request_button.setObjectName("requestToFolder")
        self.folder_request_button.clicked.connect(self.request_to_folder)
        self.server_request_button = QPushButton(page)
        self.server_request_button.setObjectName("requestToServer")
        self.server_request_button.clicked.connect(self.request_to_server)
        self.request_done = _wrapped(page)
        self.request_done.setObjectName("requestDone")
        self.request_done.hide()
        self.next_button = QPushButton(page)
        self.next_button.setObjectName("toReply")
        self.next_button.clicked.connect(lambda: self._go(self.STEP_REPLY))
        for w in (self.intro, self.fingerprint_intro, self.fingerprint, self.save_request_button, self.folder_request_button, self.server_request_button, self.request_done, self.next_button):
            v.addWidget(w)
        v.addStretch(1)
        self.steps.addWidget(page)

        # 2. the reply
        page = QWidget(self.steps)
        v = QVBoxLayout(page)
        self.reply_intro = _wrapped(page)
        self.open_reply_button = QPushButton(page)
        self.open_reply_button.setObjectName("openReply")
        self.open_reply_button.clicked.connect(self.open_reply)
        self.folder_reply_button = QPushButton(page)
        self.folder_reply_button.setObjectName("replyFromFolder")
        self.folder_reply_button.clicked.connect(self.reply_from_folder)
        self.server_reply_button = QPushButton(page)
        self.server_reply_button.setObjectName("replyFromServer")
        self.server_reply_button.clicked.connect(self.reply_from_server)
        self.school_name = _wrapped(page)
        font = self.school_name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.school_name.setFont(font)
        self.school_help = _wrapped(page)
        self.school_fingerprint = FingerprintLabel(page)
        self.school_fingerprint.setObjectName("schoolFingerprint")
        self.same = QCheckBox(page)
        self.same.setObjectName("sameSchoolFingerprint")
        self.same.toggled.connect(self._update)
        self.join_button = QPushButton(page)
        self.join_button.setObjectName("joinSchool")
        self.join_button.clicked.connect(self.join)
        for w in (self.reply_intro, self.open_reply_button, self.folder_reply_button, self.server_reply_button, self.school_name, self.school_help, self.school_fingerprint, self.same, self.join_button):
            v.addWidget(w)
        v.addStretch(1)
        self.steps.addWidget(page)

        # The school's WebDAV server (both steps use it): shown by "Use the school's WebDAV server".
        self.use_server = QCheckBox(self)
        self.use_server.setObjectName("useSchoolServer")
        self.use_server.toggled.connect(self._update)
        col.addWidget(self.use_server)
        self.server_box = QWidget(self)
        form = QFormLayout(self.server_box)
        form.setContentsMargins(24, 0, 0, 0)
        self.url_label, self.url = QLabel(self.server_box), QLineEdit(self.server_box)
        self.user_label, self.user = QLabel(self.server_box), QLineEdit(self.server_box)
        self.password_label, self.password = QLabel(self.server_box), QLineEdit(self.server_box)
        self.url.setObjectName("joinServerUrl")
        self.user.setObjectName("joinServerUser")
        self.password.setObjectName("joinServerPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, field in ((self.url_label, self.url), (self.user_label, self.user), (self.password_label, self.password)):
            label.setBuddy(field)
            field.textChanged.connect(self._update)
            form.addRow(label, field)
        col.addWidget(self.server_box)

        self.busy = BusyIndicator(self)
        col.addWidget(self.busy)
        self.error = ErrorLabel(self)
        col.addWidget(self.error)
        row = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.clicked.connect(self._back)
        row.addWidget(self.back_button)
        row.addStretch(1)
        col.addLayout(row)
        self.retranslate()

    def configure(self, run_job, data_dir: Path) -> None:
        """`run_job(job(session), done, failed)`: runs on the database worker."""
        self.run_job = run_job
        self.data_dir = Path(data_dir)

    def start(self) -> None:
        """Make (or read back) this laptop's request and show its fingerprint."""
        self._go(self.STEP_REQUEST)
        if self.request is not None or self.run_job is None:
            return
        data_dir = self.data_dir

        def done(info) -> None:
            self.request = info
            self.retranslate()

        self.run_job(lambda _s: lviews.start_request(data_dir), done, self._failed)

    # -- words ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "This laptop will hold the same school as the laptop that has its data now, and the two "
                "will stay in step. On the school's laptop, open Sharing and choose “Add another laptop "
                "of this school”."
            )
        )
        self.fingerprint_intro.setText(_("This laptop's fingerprint (the school's laptop must show the same):"))
        if self.request:
            self.fingerprint.show_fingerprint(self.request["fingerprint"], _("This laptop's fingerprint: %(fingerprint)s"))
        self.save_request_button.setText(_("&Save the request to a file…"))
        self.save_request_button.setAccessibleName(_("Save the request to a file"))
        self.save_request_button.setToolTip(_("For a USB stick: take it to the school's laptop"))
        self.folder_request_button.setText(_("&Put the request in the school's sync folder…"))
        self.folder_request_button.setAccessibleName(_("Put the request in the school's sync folder"))
        self.server_request_button.setText(_("Put the request on the school's WebDAV ser&ver"))
        self.server_request_button.setAccessibleName(_("Put the request on the school's WebDAV server"))
        self.server_request_button.setToolTip(_("The server's address, your user name and password go in the fields below"))
        self.next_button.setText(_("&Next: the reply from the school's laptop"))
        self.next_button.setAccessibleName(_("Next: the reply from the school's laptop"))
        self.reply_intro.setText(
            _(
                "When the school's laptop has added this one, it gives a reply: on a USB stick, or in "
                "the sync folder. Open it here."
            )
        )
        self.open_reply_button.setText(_("&Open the reply file…"))
        self.open_reply_button.setAccessibleName(_("Open the reply file"))
        self.folder_reply_button.setText(_("&Look in the sync folder…"))
        self.folder_reply_button.setAccessibleName(_("Look for the reply in the sync folder"))
        self.server_reply_button.setText(_("Look on the school's WebDAV ser&ver"))
        self.server_reply_button.setAccessibleName(_("Look for the reply on the school's WebDAV server"))
        self.use_server.setText(_("The school syncs t&hrough a WebDAV server"))
        self.use_server.setAccessibleName(_("The school syncs through a WebDAV server"))
        self.use_server.setToolTip(_("Such as your local authority's: the same server the school's laptop uses for sync"))
        self.url_label.setText(_("Server a&ddress:"))
        self.url.setAccessibleName(_("Server address"))
        self.url.setPlaceholderText(_("https://…"))
        self.user_label.setText(_("&User name:"))
        self.user.setAccessibleName(_("User name on the server"))
        self.password_label.setText(_("Pass&word:"))
        self.password.setAccessibleName(_("Password on the server"))
        self.password.setToolTip(_("Kept in this computer's keyring when the laptop joins, never in the school's data."))
        if self.reply:
            from selfeval_app.gui.sharing.dialogs import both_names

            self.school_name.setText(both_names(self.reply["name"]))
            self.school_fingerprint.show_fingerprint(self.reply["fingerprint"], _("The school's fingerprint: %(fingerprint)s"))
        self.school_help.setText(_("Check that the school's laptop shows exactly this fingerprint for the school:"))
        self.same.setText(_("The school's laptop shows this &same fingerprint"))
        self.same.setAccessibleName(_("The school's laptop shows this same fingerprint"))
        self.join_button.setText(_("&Join the school"))
        self.join_button.setAccessibleName(_("Join the school"))
        self.back_button.setText(_("Back"))
        self.back_button.setAccessibleName(_("Back"))
        self.steps.setAccessibleName(_("This laptop joins my school"))
        self._update()

    def _update(self) -> None:
        has_reply = self.reply is not None
        for w in (self.school_name, self.school_help, self.school_fingerprint, self.same, self.join_button):
            w.setVisible(has_reply)
        self.join_button.setEnabled(has_reply and self.same.isChecked())
        self.save_request_button.setEnabled(self.request is not None)
        self.folder_request_button.setEnabled(self.request is not None)
        server = self.use_server.isChecked()
        self.server_box.setVisible(server)
        ready = server and bool(self.url.text().strip()) and bool(self.user.text().strip())
        for button in (self.server_request_button, self.server_reply_button):
            button.setVisible(server)
        self.server_request_button.setEnabled(ready and self.request is not None)
        self.server_reply_button.setEnabled(ready)

    def _failed(self, error) -> None:
        self.busy.finish()
        self.join_button.setEnabled(self.same.isChecked() and self.reply is not None)
        self.error.show_problem(error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed."))

    def _go(self, step: int) -> None:
        self.error.show_problem("")
        self.steps.setCurrentIndex(step)

    def _back(self) -> None:
        if self.steps.currentIndex() == self.STEP_REPLY:
            self._go(self.STEP_REQUEST)
        else:
            self.back.emit()

    # -- actions -------------------------------------------------------------------------------

    def save_request(self) -> None:
        if self.request is None:
            return
        path = dialogs().save_file(self, _("Save the request"), str(Path.home() / ("join-request" + lviews.REQUEST_FILTER_SUFFIX)), _(REQUEST_FILTER))
        if not path:
            return
        if not path.endswith(lviews.REQUEST_FILTER_SUFFIX):
            path += lviews.REQUEST_FILTER_SUFFIX
        request = self.request["request"]

        def done(where) -> None:
            self.request_done.setText(_("The request is saved in %(where)s. Take it to the school's laptop.") % {"where": where})
            self.request_done.show()

        self.run_job(lambda _s: lviews.save_request(request, Path(path)), done, self._failed)

    def request_to_folder(self) -> None:
        if self.request is None:
            return
        folder = dialogs().choose_folder(self, _("The school's sync folder"), str(Path.home()))
        if not folder:
            return
        request, data_dir = self.request["request"], self.data_dir

        def done(where) -> None:
            self.sync_folder = folder
            self.request_done.setText(_("The request is in the sync folder %(where)s.") % {"where": where})
            self.request_done.show()

        self.run_job(lambda _s: lviews.put_request_in_folder(data_dir, request, Path(folder)), done, self._failed)

    def server_place(self) -> dict:
        return {"kind": "webdav", "url": self.url.text().strip(), "user": self.user.text().strip(), "password": self.password.text()}

    def request_to_server(self) -> None:
        if self.request is None:
            return
        request, data_dir, place = self.request["request"], self.data_dir, self.server_place()

        def done(where) -> None:
            self.busy.finish()
            self.request_done.setText(_("The request is on the school's server %(where)s.") % {"where": where})
            self.request_done.show()

        self.error.show_problem("")
        self.busy.start(N_("Putting the request on the server…"))
        self.run_job(lambda _s: lviews.put_request_in_place(data_dir, request, place), done, self._failed)

    def reply_from_server(self) -> None:
        data_dir, place = self.data_dir, self.server_place()

        def done(reply) -> None:
            self.busy.finish()
            self._show_reply(reply, None, place)

        self.error.show_problem("")
        self.busy.start(N_("Looking on the server…"))
        self.run_job(lambda _s: lviews.fetch_reply_from_place(data_dir, place), done, self._failed)

    def _show_reply(self, reply: dict, folder: str | None, place: dict | None = None) -> None:
        self.reply = reply
        self.reply_folder = folder
        self.reply_place = place if place is not None else ({"kind": "folder", "path": folder} if folder else None)
        self.same.setChecked(False)
        self.error.show_problem("")
        self.retranslate()
        self.same.setFocus()

    def open_reply(self) -> None:
        path = dialogs().open_file(self, _("Open the reply file"), str(Path.home()), _(REPLY_FILTER))
        if not path:
            return
        data_dir = self.data_dir
        self.run_job(lambda _s: lviews.read_reply(data_dir, Path(path)), lambda r: self._show_reply(r, None), self._failed)

    def reply_from_folder(self) -> None:
        folder = self.sync_folder or dialogs().choose_folder(self, _("The school's sync folder"), str(Path.home()))
        if not folder:
            return
        data_dir = self.data_dir
        self.run_job(lambda _s: lviews.fetch_reply_from_folder(data_dir, Path(folder)), lambda r: self._show_reply(r, folder), self._failed)

    def join(self) -> None:
        if self.reply is None or not self.same.isChecked():
            return
        reply, fingerprint, place = self.reply, self.reply["fingerprint"], self.reply_place
        self.join_button.setEnabled(False)
        self.busy.start(N_("Joining the school…"))
        self.run_job(lambda s: lviews.join_school(s.store, reply, fingerprint, place=place), self.joined.emit, self._failed)
