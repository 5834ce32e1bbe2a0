"""Sync in the window: the rounds, when they start, and the state the window shows in words.

- One `SyncController` per window, made just after the first paint. A round runs on a thread of
  its own pool (never the database worker): the network, files, crypto and planning run there on
  a reader of the round's own, and each database write is one short job on the writer
  (`DatabaseWorker.call`), in turn with the page saves, so typing and saving go on.
- Rounds start on "Sync now", when the network comes back (Qt's `QNetworkInformation`, loaded a
  moment after the first paint; `network_changed` is the seam the tests drive), every
  `AUTOMATIC_EVERY_S` while the network is up (if the last failure's back-off allows), when a
  failure's back-off ends (30 s, 1 min, … as the core says), and after the settings are saved. Never two at once: a request while one runs is noted and run after it.
- After a round that imported records, `recordsChanged(types)` tells the pages what changed.
- A refused or missing password opens a dialog asking for it; with it, the round runs again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from selfeval_app.core.i18n import _
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.operations import _OffWriterTask, _Relay

log = logging.getLogger(__name__)
#: A moment after the first paint before the network backend is loaded (start-up is budgeted).
NETWORK_DELAY_MS = 2000
#: Python's GIL switch interval while a round runs (the default is 5 ms).
GIL_SWITCH_S = 0.001


class PasswordDialog(Retranslatable, QDialog):
    """Asks for the WebDAV password again, saying why."""

    def __init__(self, reason: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLocale(qlocale())
        self.setObjectName("syncPasswordDialog")
        self.reason_text = reason
        layout = QVBoxLayout(self)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.prompt = QLabel(self)
        self.password = QLineEdit(self)
        self.password.setObjectName("syncPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.prompt.setBuddy(self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for w in (self.reason, self.prompt, self.password, self.buttons):
            layout.addWidget(w)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Password for sync"))
        self.setAccessibleName(_("Password for sync"))
        self.reason.setText(self.reason_text)
        self.reason.setAccessibleName(_("Why the password is asked for"))
        self.prompt.setText(_("&Password:"))
        self.password.setAccessibleName(_("Password for the sync server"))


class SyncController(QObject):
    #: The state changed (a round started or ended, the settings changed): the status bar and
    #: the Sharing page read `info` and `running`.
    changed = Signal()
    #: One round ended: its result (the core's dict, or None when it could not run).
    roundFinished = Signal(object)  # noqa: N815

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.info: dict[str, Any] | None = None  # sync_views.status(), read off the writer
        self.running = False
        self.rounds = 0  # rounds started (tests)
        self.online: bool | None = None  # None: not known (no backend)
        self.password_dialog: PasswordDialog | None = None
        self._again = False
        self._stop = threading.Event()
        self._relays: set[_Relay] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        from selfeval_app.sync_views import AUTOMATIC_EVERY_S

        self.timer.setInterval(AUTOMATIC_EVERY_S * 1000)
        self.timer.timeout.connect(self.automatic)
        # After a failure, the core's back-off says when to try again (30 s, 1 min, …): sooner
        # than the timer's next tick, so a one-shot timer waits for it.
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.automatic)
        self._network = None
        self.window_.worker.aboutToStop.connect(self.shutdown)

    # -- starting ----------------------------------------------------------------------------

    def start(self, *, watch_network: bool = True) -> None:
        """After the first paint: read the state, start the timer, watch the network a moment
        later, and run a first automatic round."""
        self.timer.start()
        self.refresh(then_round=True)
        if watch_network:
            QTimer.singleShot(NETWORK_DELAY_MS, self.watch_network)

    def watch_network(self) -> None:
        """Load Qt's network information backend (lazily: after the first paint)."""
        from PySide6.QtNetwork import QNetworkInformation

        try:
            if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
                return
            info = QNetworkInformation.instance()
        except Exception:  # noqa: BLE001 - no backend on this system: the timer still runs
            return
        if info is None:
            return
        self._network = info
        info.reachabilityChanged.connect(lambda r: self.network_changed(r == QNetworkInformation.Reachability.Online))
        self.online = info.reachability() == QNetworkInformation.Reachability.Online

    def network_changed(self, online: bool) -> None:
        """The network went down or came back (Qt's signal, or a test): back means a round now."""
        was = self.online
        self.online = online
        if online and was is not True:
            self.request(manual=False, ignore_backoff=True)

    def automatic(self) -> None:
        if self.online is False:
            return
        self.request(manual=False)

    def sync_now(self) -> None:
        self.request(manual=True)

    def settings_changed(self) -> None:
        self.refresh(then_round=True)

    # -- one round at a time ------------------------------------------------------------------

    def configured(self) -> bool:
        return bool(self.info and self.info.get("configured"))

    def request(self, *, manual: bool, ignore_backoff: bool = False, password: str | None = None) -> bool:
        """Start a round unless one runs (then one more follows it). Automatic rounds run only
        when sync is set up and the last failure's back-off has passed."""
        if self._stop.is_set():
            return False
        if self.running:
            self._again = self._again or manual or ignore_backoff  # "Sync now", or the network back
            return False
        if not manual and not self.configured():
            return False
        if not manual and not ignore_backoff and not self._due():
            return False
        self._run(password)
        return True

    def _schedule_retry(self) -> None:
        import datetime as dt

        next_try = (self.info or {}).get("next_try")
        self.retry_timer.stop()
        if not next_try or not self.configured() or self._stop.is_set():
            return
        try:
            when = dt.datetime.fromisoformat(next_try.replace("Z", "+00:00"))
        except ValueError:
            return
        wait_ms = int((when - dt.datetime.now(dt.UTC)).total_seconds() * 1000) + 500
        if 0 < wait_ms < self.timer.interval():
            self.retry_timer.start(wait_ms)

    def _due(self) -> bool:
        import datetime as dt

        next_try = (self.info or {}).get("next_try")
        if not next_try:
            return True
        try:
            when = dt.datetime.fromisoformat(next_try.replace("Z", "+00:00"))
        except ValueError:
            return True
        return dt.datetime.now(dt.UTC) >= when  # the core's back-off is in real time

    def _run(self, password: str | None) -> None:
        from selfeval_app import sync_views

        self.running = True
        self.rounds += 1
        self._hurry_gil(True)
        self.changed.emit()
        worker = self.window_.worker
        worker.ensure_started()
        session = self.window_.session
        types: set[str] = set()
        stop = self._stop.is_set

        def write(fn):
            def job(s):
                with s.store.recording() as change:
                    result = fn(s.store)
                types.update(change.types)
                return result

            return worker.call(job)

        def work():
            reader = session.private_reader()
            try:
                return sync_views.run_round(reader, write, password=password, stop=stop)
            finally:
                reader.conn.close()

        def finished(result, error) -> None:
            self.running = False
            self._hurry_gil(False)
            if types:
                self.window_.operations.recordsChanged.emit(set(types))
            if error is not None:
                self._failed(error)
            else:
                self.info = result.get("status", self.info)
                self.roundFinished.emit(result)
                self.changed.emit()
            self._schedule_retry()
            if self._again and self.password_dialog is None:
                self._again = False
                self.request(manual=True)

        self._start_task(work, finished)

    _switch_interval: float | None = None

    def _hurry_gil(self, on: bool) -> None:
        """While a round runs, Python hands the GIL over every 1 ms instead of 5 ms, so the main
        thread's slots (a keystroke, the autosave) wait less behind the round's and the writer's
        Python work; restored afterwards."""
        import sys

        if on and SyncController._switch_interval is None:
            SyncController._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(SyncController._switch_interval, GIL_SWITCH_S))
        elif not on and SyncController._switch_interval is not None:
            sys.setswitchinterval(SyncController._switch_interval)
            SyncController._switch_interval = None

    def _start_task(self, work, finished) -> None:
        relay = _Relay(lambda result, error: self._deliver(relay, finished, result, error))
        self._relays.add(relay)
        self.pool.start(_OffWriterTask(work, relay))

    def _deliver(self, relay, finished, result, error) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        finished(result, error)

    def _failed(self, error: Exception) -> None:
        from selfeval_app import sync_views

        if isinstance(error, sync_views.NeedsPassword):
            self.refresh()
            self.roundFinished.emit(None)
            self.ask_password(error.message())
            return
        if not isinstance(error, sync_views.SyncOff):
            log.warning("sync round could not run: %s", error)
        self.refresh()
        self.roundFinished.emit(None)

    def ask_password(self, reason: str) -> PasswordDialog:
        from PySide6.QtCore import Qt

        if self.password_dialog is not None:
            return self.password_dialog
        dialog = PasswordDialog(reason, self.window_)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.password_dialog = dialog

        def answered(result: int) -> None:
            self.password_dialog = None
            if result == QDialog.DialogCode.Accepted and dialog.password.text():
                self.request(manual=True, password=dialog.password.text())

        dialog.finished.connect(answered)
        dialog.open()
        return dialog

    # -- the state -----------------------------------------------------------------------------

    def refresh(self, *, then_round: bool = False) -> None:
        """Read the state (with what waits for each contact) off the writer."""
        from selfeval_app import sync_views

        session = self.window_.session

        def work():
            reader = session.private_reader()
            try:
                return sync_views.status(reader)
            finally:
                reader.conn.close()

        def finished(info, error) -> None:
            if error is None:
                self.info = info
                self.changed.emit()
                self._schedule_retry()
            else:
                log.warning("sync state could not be read: %s", error)
            if then_round:
                self.request(manual=False)

        self._start_task(work, finished)

    def shutdown(self) -> None:
        """The window is closing: stop a running round between two steps and wait for it (what
        it did is kept; the rest is done next time)."""
        self._stop.set()
        self.timer.stop()
        self.retry_timer.stop()
        self.pool.waitForDone()
        from PySide6.QtCore import QCoreApplication

        for relay in list(self._relays):
            QCoreApplication.sendPostedEvents(relay)
