"""Another laptop of this school: the dialog on the laptop with the school's data ("Add another
laptop of this school"), and the big, readable fingerprint both laptops show.

Steps: (1) the new laptop's request, from a file (a USB stick) or from the sync place; (2) its
fingerprint, shown large, to compare with the one the new laptop shows, and a tick to say it is
the same before the laptop can be added; (3) the reply, written to a file or put in the sync
place, and the school's fingerprint for the new laptop to compare in turn. Database work runs on
the window's database worker (`run_job`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import laptops_views as lviews
from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.form_widgets import ErrorLabel
from selfeval_app.gui.language import Retranslatable

REQUEST_FILTER = N_("Requests from a new laptop (*.selfeval-join-request)")
REPLY_FILTER = N_("Replies from the school's laptop (*.selfeval-join)")


class FingerprintLabel(QLabel):
    """A fingerprint large enough to read across a desk (monospace, bold, twice the text size),
    selectable, and spelt out one character at a time for a screen reader."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(parent.font().pointSizeF() if parent else 10.0, 6.0) * 2.0)
        font.setBold(True)
        self.setFont(font)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setObjectName("bigFingerprint")
        self.value = ""

    def show_fingerprint(self, fingerprint: str, spoken: str) -> None:
        """`spoken` is the accessible name's sentence with %(fingerprint)s."""
        self.value = fingerprint
        self.setText(fingerprint)
        self.setAccessibleName(spoken % {"fingerprint": " ".join(fingerprint)})


def _wrapped(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    return label


class AddLaptopDialog(Retranslatable, QDialog):
    """"Add another laptop of this school", step by step (see the module's notes)."""

    STEP_REQUEST, STEP_COMPARE, STEP_DONE = range(3)

    def __init__(self, window, sync_ready: bool, parent: QWidget | None = None, *, on_added=None):
        super().__init__(parent)
        self.window_ = window
        self.on_added = on_added  # the page reloads its list of laptops (only after a job, never on closing)
        self.sync_ready = sync_ready
        self.request: dict | None = None
        self.result: dict | None = None
        self.setObjectName("addLaptop")
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)

        # 1. the request
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.intro = _wrapped(page)
        col.addWidget(self.intro)
        self.open_request_button = QPushButton(page)
        self.open_request_button.setObjectName("openRequest")
        self.open_request_button.clicked.connect(self.open_request)
        self.sync_request_button = QPushButton(page)
        self.sync_request_button.setObjectName("requestFromSync")
        self.sync_request_button.clicked.connect(self.request_from_sync)
        self.sync_request_button.setEnabled(sync_ready)
        self.no_sync = _wrapped(page)
        self.no_sync.setVisible(not sync_ready)
        for w in (self.open_request_button, self.sync_request_button, self.no_sync):
            col.addWidget(w)
        col.addStretch(1)
        self.stack.addWidget(page)

        # 2. compare the fingerprint
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.asks = _wrapped(page)
        self.compare_help = _wrapped(page)
        self.request_fingerprint = FingerprintLabel(page)
        self.same = QCheckBox(page)
        self.same.setObjectName("sameFingerprint")
        self.same.toggled.connect(self._update)
        self.reply_file_button = QPushButton(page)
        self.reply_file_button.setObjectName("replyToFile")
        self.reply_file_button.clicked.connect(lambda: self.add(to_file=True))
        self.reply_sync_button = QPushButton(page)
        self.reply_sync_button.setObjectName("replyToSync")
        self.reply_sync_button.clicked.connect(lambda: self.add(to_file=False))
        for w in (self.asks, self.compare_help, self.request_fingerprint, self.same, self.reply_file_button, self.reply_sync_button):
            col.addWidget(w)
        col.addStretch(1)
        self.stack.addWidget(page)

        # 3. done: the school's fingerprint for the new laptop
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.added = _wrapped(page)
        self.school_help = _wrapped(page)
        self.school_fingerprint = FingerprintLabel(page)
        self.school_fingerprint.setObjectName("schoolFingerprint")
        for w in (self.added, self.school_help, self.school_fingerprint):
            col.addWidget(w)
        col.addStretch(1)
        self.stack.addWidget(page)

        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().height() * 24)
        self.retranslate()

    # -- words ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        title = _("Add another laptop of this school")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.stack.setAccessibleName(title)
        self.intro.setText(
            _(
                "On the new laptop, start Hunanwerthuso and choose “This laptop joins my school”. It "
                "shows a fingerprint and saves a request, on a USB stick or in the school's sync "
                "folder. Open that request here."
            )
        )
        self.open_request_button.setText(_("&Open the request file…"))
        self.open_request_button.setAccessibleName(_("Open the request file"))
        self.sync_request_button.setText(_("&Find the request in the sync place"))
        self.sync_request_button.setAccessibleName(_("Find the request in the sync place"))
        self.no_sync.setText(_("Sync is not set up on this laptop, so the request must come on a USB stick or by another way."))
        computer = (self.request or {}).get("computer") or _("the new laptop")
        self.asks.setText(_("The laptop “%(computer)s” asks to join this school.") % {"computer": computer})
        self.compare_help.setText(
            _(
                "Check that the new laptop shows exactly this fingerprint. If one character differs, "
                "stop: the request is not from that laptop."
            )
        )
        if self.request:
            self.request_fingerprint.show_fingerprint(self.request["fingerprint"], _("The new laptop's fingerprint: %(fingerprint)s"))
        self.same.setText(_("The new laptop shows this &same fingerprint"))
        self.same.setAccessibleName(_("The new laptop shows this same fingerprint"))
        self.reply_file_button.setText(_("&Add the laptop and save its reply to a file…"))
        self.reply_file_button.setAccessibleName(_("Add the laptop and save its reply to a file"))
        self.reply_file_button.setToolTip(_("The reply holds all of the school's records, sealed so only the new laptop can open it"))
        self.reply_sync_button.setText(_("Add the laptop and put its reply in the s&ync place"))
        self.reply_sync_button.setAccessibleName(_("Add the laptop and put its reply in the sync place"))
        where = (self.result or {}).get("where", "")
        self.added.setText(_("The laptop is added. Its reply is in %(where)s: open it on the new laptop.") % {"where": where})
        self.school_help.setText(_("On the new laptop, check that the school's fingerprint is:"))
        if self.result:
            self.school_fingerprint.show_fingerprint(self.result["school_fingerprint"], _("The school's fingerprint: %(fingerprint)s"))
        self.close_button.setText(_("Close") if self.stack.currentIndex() == self.STEP_DONE else _("Cancel"))
        self.close_button.setAccessibleName(self.close_button.text())
        self._update()

    def _update(self) -> None:
        ticked = self.same.isChecked()
        self.reply_file_button.setEnabled(ticked)
        self.reply_sync_button.setEnabled(ticked and self.sync_ready)
        self.reply_sync_button.setVisible(self.sync_ready)

    def _failed(self, error) -> None:
        self.error.show_problem(error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed."))

    def _go(self, step: int) -> None:
        self.error.show_problem("")
        self.stack.setCurrentIndex(step)
        self.retranslate()

    # -- steps ---------------------------------------------------------------------------------

    def show_request(self, info: dict) -> None:
        self.request = info
        self.same.setChecked(False)
        self._go(self.STEP_COMPARE)
        self.same.setFocus()

    def open_request(self) -> None:
        from pathlib import Path

        path = dialogs().open_file(self, _("Open the request file"), str(Path.home()), _(REQUEST_FILTER))
        if not path:
            return
        self.window_.run_job(lambda _s: lviews.read_request_file(path), self.show_request, self._failed, status=None, done_status=None)

    def request_from_sync(self) -> None:
        def found(requests) -> None:
            if not requests:
                self.error.show_problem(_("No request from a new laptop is in the sync place yet. Try again once the new laptop has put it there."))
                return
            self.show_request(requests[0])

        self.window_.run_job(lambda s: lviews.requests_in_sync(s.store), found, self._failed, status=None, done_status=None)

    def add(self, *, to_file: bool) -> None:
        if self.request is None or not self.same.isChecked():
            return
        out = None
        if to_file:
            from pathlib import Path

            suggested = lviews.suggested_reply_name(self.request["computer"])
            out = dialogs().save_file(self, _("Save the reply"), str(Path.home() / suggested), _(REPLY_FILTER))
            if not out:
                return
            if not out.endswith(lviews.REPLY_SUFFIX):
                out += lviews.REPLY_SUFFIX
        request, fingerprint = self.request["request"], self.request["fingerprint"]

        def done(result) -> None:
            self.result = result
            self._go(self.STEP_DONE)
            self.window_.show_status(N_("Laptop added."))
            if self.on_added is not None:
                self.on_added()

        self.window_.run_job(lambda s: lviews.add_laptop(s.store, request, fingerprint, out), done, self._failed, status=None, done_status=None)
