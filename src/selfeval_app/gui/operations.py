"""The one way the window runs work in the background.

- `Operations.run(operation, ...)`: a core operation, `operation(session)`, on the database worker
  (the one writer). What it changed is taken from the core itself: the record store collects every
  committed write in a `Change` (`RecordStore.recording`), and `recordsChanged(types)` announces
  those types after `on_done` ran. Callers never list what they changed, so a save cannot go
  unannounced (`also_changed` is for work the store cannot see, such as a restore).
- `Operations.run_off_writer(work, ...)`: work that needs no database writer (rendering a PDF,
  later encryption and the network) on a thread of its own pool, so it never holds up saves.
  `work()` gets no session: it takes what it reads (e.g. a reader store of its own) with it.

Callbacks run on the main thread; the work never touches a widget. An error the person can act on
(`UserFacingError`) reaches `on_error`; any other is logged and reaches `on_error` too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from selfeval_app.core.errors import UserFacingError
from selfeval_app.gui.garbage_collection import held_during_background_work
from selfeval_app.gui.worker import deliver

log = logging.getLogger(__name__)


def reads_only(job: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Mark a database job that changes no record (copying an attached file out to open it,
    bringing the search index up to date): a read-only window (gui/records_window.py) runs only
    jobs marked so."""
    job.reads_only = True  # type: ignore[attr-defined]
    return job


class _Relay(QObject):
    """Carries one off-writer task's outcome back to the main thread: it lives there, so the
    signal emitted on the pool's thread is queued to `deliver`."""

    finished = Signal(object, object)  # result, error

    def __init__(self, callback: Callable[[Any, Exception | None], None]):
        super().__init__()
        self.callback = callback
        self.finished.connect(self.deliver)

    @Slot(object, object)
    def deliver(self, result: Any, error: Exception | None) -> None:
        self.callback(result, error)


class _OffWriterTask(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.setAutoDelete(True)
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            with held_during_background_work():
                result, error = self.work(), None
        except UserFacingError as exc:
            result, error = None, exc
        except Exception as exc:  # a fault in the app: report it, keep the pool alive
            log.exception("background work failed")
            result, error = None, exc
        self.relay.finished.emit(result, error)


class Operations(QObject):
    """Runs operations for one window: database ones on its worker, the rest off the writer."""

    recordsChanged = Signal(object)  # noqa: N815 - set of record types an operation changed
    backgroundBusyChanged = Signal(bool)  # noqa: N815 - off-writer work running or not

    def __init__(self, worker, parent: QObject | None = None, *, max_threads: int = 1):
        super().__init__(parent)
        self.worker = worker
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()
        worker.aboutToStop.connect(self.finish_background)

    # -- the database writer ---------------------------------------------------------------

    def run(
        self,
        operation: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        also_changed: Iterable[str] = (),
    ) -> int:
        """Queue `operation(session)` on the database worker; see the module's docstring."""
        extra = set(also_changed)

        def job(session) -> tuple[Any, set[str]]:
            store = session.store
            if store is None:
                return operation(session), set()
            with store.recording() as change:
                result = operation(session)
            return result, change.types

        def done(outcome: tuple[Any, set[str]]) -> None:
            result, types = outcome
            if on_done is not None:
                on_done(result)
            changed = types | extra
            if changed:
                self.recordsChanged.emit(changed)

        return self.worker.submit(job, done, on_error)

    # -- off the writer ------------------------------------------------------------------------

    def run_off_writer(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run `work()` on the background pool, never on the database worker."""
        def finished(result: Any, error: Exception | None) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            try:
                deliver(result, error, on_done, on_error, "background work")
            finally:
                if not self._relays:
                    self.backgroundBusyChanged.emit(False)

        relay = _Relay(finished)
        self._relays.add(relay)
        if len(self._relays) == 1:
            self.backgroundBusyChanged.emit(True)
        self.pool.start(_OffWriterTask(work, relay))

    @property
    def background_busy(self) -> bool:
        return bool(self._relays)

    def finish_background(self) -> None:
        """Wait for off-writer work and deliver its outcomes now (the window is closing): their
        follow-up database work is then queued before the worker stops."""
        if not self._relays:
            return
        self.pool.waitForDone()
        for relay in list(self._relays):
            QCoreApplication.sendPostedEvents(relay)
