"""The one database worker: every database write runs on one QThread, one at a time.

`DatabaseWorker.submit(job, on_done, on_error)` queues `job(session)` on the worker thread; its
result (or the UserFacingError it raised) comes back to the main thread by signal and is handed to
the callbacks there. Jobs never touch widgets: they get the `Session` (data folder, writer
database, record store) and return plain data. The thread starts on the first job, so opening the
window costs nothing for it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from selfeval_app.core.errors import UserFacingError
from selfeval_app.gui.garbage_collection import held_during_background_work

log = logging.getLogger(__name__)


def deliver(result: Any, error: Exception | None, on_done: Callable | None, on_error: Callable | None, what: str) -> None:
    """Hand a finished job's result to `on_done`, or its error to `on_error` (logged when nobody
    takes it): one rule for the database worker and the background pool (gui/operations.py)."""
    if error is None:
        if on_done is not None:
            on_done(result)
    elif on_error is not None:
        on_error(error)
    else:
        log.error("%s failed: %s", what, error)


class _Runner(QObject):
    """Lives on the worker thread; runs what it is given, in order."""

    finished = Signal(int, object, object)  # job id, result, error

    def __init__(self, session):
        super().__init__()
        self.session = session

    @Slot(object)
    def run_waited(self, box: dict) -> None:
        """A job from another thread that waits for it (`DatabaseWorker.call`)."""
        try:
            with held_during_background_work():
                box["result"] = box["job"](self.session)
        except BaseException as exc:  # noqa: BLE001 - handed back to the waiting thread
            box["error"] = exc
        finally:
            box["done"].set()

    @Slot(int, object)
    def run(self, job_id: int, job: Callable[[Any], Any]) -> None:
        if job is None:  # stop(): every job queued before it has run
            QThread.currentThread().quit()
            return
        try:
            with held_during_background_work():
                result, error = job(self.session), None
        except UserFacingError as exc:
            result, error = None, exc
        except Exception as exc:  # a fault in the app: keep the worker alive, report it
            log.exception("database job failed")
            result, error = None, exc
        self.finished.emit(job_id, result, error)


class DatabaseWorker(QObject):
    """The main thread's handle on the worker thread."""

    _request = Signal(int, object)
    _waited = Signal(object)
    jobDone = Signal(int)  # noqa: N815 (Qt naming) - emitted after a job's callbacks ran
    busyChanged = Signal(bool)  # noqa: N815
    #: Emitted as stop() begins: pages submit their pending saves now, and they still run.
    aboutToStop = Signal()  # noqa: N815

    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._thread: QThread | None = None
        self._runner: _Runner | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._main_thread = threading.get_ident()

    def _start(self) -> None:
        self._thread = QThread()
        self._thread.setObjectName("database-worker")
        self._runner = _Runner(self.session)
        self._runner.moveToThread(self._thread)
        self._request.connect(self._runner.run)
        self._waited.connect(self._runner.run_waited)
        self._runner.finished.connect(self._finished)
        self._thread.start()

    def submit(
        self,
        job: Callable[[Any], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Queue `job(session)` on the worker; callbacks run on the main thread."""
        if self._thread is None:
            self._start()
        job_id = next(self._ids)
        self._pending[job_id] = (on_done, on_error)
        if len(self._pending) == 1:
            self.busyChanged.emit(True)
        self._request.emit(job_id, job)
        return job_id

    def ensure_started(self) -> None:
        """Start the thread now (from the main thread), so `call` can be used from others."""
        if self._thread is None:
            self._start()

    def call(self, job: Callable[[Any], Any]) -> Any:
        """From a background thread (a sync round): run `job(session)` on the worker, in turn with
        the window's jobs, wait for it and return its result (or raise its error). Short jobs
        only: each is one more job in the writer's queue. Never from the main thread."""
        if threading.get_ident() == self._main_thread:
            raise RuntimeError("DatabaseWorker.call is for background threads")
        if self._thread is None:
            raise RuntimeError("the database worker is not running")
        box: dict[str, Any] = {"job": job, "done": threading.Event()}
        self._waited.emit(box)
        box["done"].wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    @Slot(int, object, object)
    def _finished(self, job_id: int, result: Any, error: Exception | None) -> None:
        on_done, on_error = self._pending.pop(job_id, (None, None))
        try:
            deliver(result, error, on_done, on_error, "database job")
        finally:
            if not self._pending:
                self.busyChanged.emit(False)
            self.jobDone.emit(job_id)

    def stop(self) -> None:
        """Finish queued jobs and end the thread (on closing the window). A plain quit() would
        drop the jobs still queued, so the quit itself is queued behind them."""
        self.aboutToStop.emit()
        if self._thread is not None:
            self._request.emit(-1, None)
            self._thread.wait()
            self._thread = None
            self._runner = None
