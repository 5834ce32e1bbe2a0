"""Another owner's records in the app's usual pages, read-only (issue 12 item 3: the host's shared
records at a peer reviewer's; issue 13 item 3: one school's at the LA).

`RecordsWindow(main_window, scope)` is a top-level window of its own: a banner across the top
naming whose records they are (`OwnerScope.banner()`, also the window's title), the page
navigation of the main window (a list, Ctrl+1…6) and a Close button. Its pages are the usual
Self-evaluation, Evidence, Evidence coverage, Development plan, This term at a glance and Search
(of that owner's records only, of every type), made in read-only mode (`read_only=True`: no
control that edits), over a reader store of the window's own, opened with
`session.private_reader().viewing({owner})` and closed with the window.

The pages see this window as their `window_`: it offers what they read (`session.reader`,
`clock`, `school()`, `show_status`, `open_record`...) and a `run_job` that refuses every job
not marked `reads_only` (`gui.operations.reads_only`, e.g. opening an attached file): it logs
and says so in the window's status line; with `REFUSE_LOUDLY` (the tests set it) it raises, so a
missed editing control fails a test. The store refuses writes to another owner's records anyway
(`ReadOnlyRecordError`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _
from selfeval_app.core.owner_scope import OwnerScope
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.pages import PAGES, PageSpec, load_page_class

log = logging.getLogger(__name__)

#: The usual pages the window shows, in the main window's order.
PAGE_KEYS = ("evaluation", "evidence", "coverage", "plan", "glance", "search")
#: Pages made with `read_only=True` (the others have no editing control at all).
READ_ONLY_ARG = {"evaluation", "evidence", "plan"}
#: Tests set this: a write asked of the window raises instead of being refused quietly.
REFUSE_LOUDLY = False
REFUSED = N_("Read only: these records are not ours to change. Nothing was changed.")


class WriteRefused(RuntimeError):
    """A read-only window was asked to run a job that may write (a control that should not be
    there). Raised only with `REFUSE_LOUDLY`."""


class _NoWorker(QObject):
    """What pages connect to on `window.worker`: this window has no writer of its own."""

    aboutToStop = Signal()  # noqa: N815
    busy = False


class _ReadSession:
    """The `session` the pages see: the window's own reader, viewing one owner's records."""

    def __init__(self, main_session, reader):
        self.reader = reader
        self.store = None  # nothing here writes
        self.data_dir = main_session.data_dir
        self._main = main_session

    @property
    def is_example(self) -> bool:
        return self._main.is_example

    def private_reader(self):
        return self._main.private_reader().viewing(self.reader.view_owners)

    def school(self):
        return None


class RecordsWindow(Retranslatable, QWidget):
    """One other owner's records in the usual pages, read-only (see the module's docstring)."""

    recordsChanged = Signal(object)  # noqa: N815 - record types changed (forwarded from the main window)
    closed = Signal()
    read_only = True

    def __init__(self, main_window, scope: OwnerScope, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setObjectName("recordsWindow")
        self.main_window = main_window
        self.scope = scope
        self.clock = main_window.clock
        self.worker = _NoWorker(self)
        self.reader = main_window.session.private_reader().viewing({scope.owner})
        self.session = _ReadSession(main_window.session, self.reader)
        self.refused: list[str] = []  # jobs refused (what a test looks at)
        self._status_id: str | None = None
        self._school = self._owner_school()

        outer = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setWordWrap(True)
        self.banner.setMargin(6)
        font = self.banner.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.banner.setFont(font)
        self.banner.setAutoFillBackground(True)  # the system theme's tooltip pair: contrast holds
        self.banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.banner)

        body = QHBoxLayout()
        self.nav = QListWidget(self)
        self.nav.setObjectName("recordsNavigation")
        self.nav.setWordWrap(True)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget#recordsNavigation::item { padding: 0.35em 0.7em; }")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.stack = QStackedWidget(self)
        specs = {spec.key: spec for spec in PAGES}
        self.page_specs: list[PageSpec] = [specs[key] for key in PAGE_KEYS if key in specs]
        self.pages: dict[str, QWidget] = {}
        self._slots: dict[str, int] = {}
        for index, spec in enumerate(self.page_specs):
            QListWidgetItem(self.nav)
            self._slots[spec.key] = index
            self.stack.addWidget(QWidget(self.stack))  # the page, when first shown
        self.nav.currentRowChanged.connect(lambda row: self.show_page(self.page_specs[row].key) if row >= 0 else None)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)

        bottom = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("recordsStatus")
        self.status_label.setWordWrap(True)
        bottom.addWidget(self.status_label, 1)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("closeRecords")
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.close_button)
        outer.addLayout(bottom)

        self._shortcuts = []
        for index, spec in enumerate(self.page_specs):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda key=spec.key: self.show_page(key))
            self._shortcuts.append(shortcut)
        self.close_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        self.close_shortcut.activated.connect(self.close)

        main_window.recordsChanged.connect(self._records_changed)
        if main_window.worker is not None:
            main_window.worker.aboutToStop.connect(self.close)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 150, metrics.lineSpacing() * 40)
        self.retranslate()
        self.nav.setCurrentRow(0)
        self.setTabOrder(self.nav, self.close_button)

    # -- what the pages read ---------------------------------------------------------------------

    def _owner_school(self) -> dict | None:
        """The owner's school profile when it came with its records (the LA has one per school)."""
        rows = self.reader.list("school", where="owner = ?", params=(self.scope.owner,), limit=1)
        return rows[0] if rows else None

    def school(self) -> dict | None:
        """The owner's school (for its "we write in"); pages ask the window, as in the main one.
        Without one every text shows in both languages."""
        return self._school

    def show_status(self, message_id: str) -> None:
        self._status_id = message_id
        self.status_label.setText(_(message_id) if message_id else "")

    def current_page_key(self) -> str:
        return self.page_specs[self.stack.currentIndex()].key

    # -- jobs: none that writes ------------------------------------------------------------------

    def run_job(self, job, on_done=None, on_error=None, *, changed=(), status=None, done_status=None):
        """Jobs marked `reads_only` (they change no record: opening an attached file, bringing
        the search index up to date) go to the main window's worker; every other one is refused
        (see the module's docstring)."""
        if getattr(job, "reads_only", False):

            def done(result) -> None:
                self.show_status("")
                if on_done is not None:
                    on_done(result)

            return self.main_window.run_job(job, done, on_error, status=None, done_status=None)
        name = getattr(job, "__qualname__", repr(job))
        self.refused.append(name)
        log.error("a read-only records window was asked to run a job that may write: %s", name)
        self.show_status(REFUSED)
        if REFUSE_LOUDLY:
            raise WriteRefused(f"read-only window asked to run {name} (changed={set(changed)})")
        return None

    def run_off_writer(self, work, on_done=None, on_error=None, *, status=None, done_status=None) -> None:
        self.main_window.run_off_writer(work, on_done, on_error, status=status, done_status=done_status)

    # -- pages ---------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            from selfeval_app.gui.main_window import place_page

            spec = next(s for s in self.page_specs if s.key == key)
            cls = load_page_class(spec)
            page = cls(self, read_only=True) if key in READ_ONLY_ARG else cls(self)
            self.pages[key] = page
            place_page(self.stack, self._slots[key], page)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        from selfeval_app.gui.main_window import select_page

        page = self.page(key)
        select_page(self.stack, self.nav, self._slots[key], page)
        return page

    def open_record(self, record_type: str, record_id: str) -> bool:
        """Show a record on the page of this window that shows its type (links between pages)."""
        for spec in self.page_specs:
            if record_type in spec.opens:
                page = self.show_page(spec.key)
                if hasattr(page, "open_record"):
                    page.open_record(record_type, record_id)
                return True
        return False

    def _records_changed(self, types) -> None:
        """Something was imported or saved at this installation: the pages read again."""
        if self.reader is None:
            return
        self._school = self._owner_school()
        for page in self.pages.values():
            if hasattr(page, "records_changed"):
                page.records_changed(set(types))

    # -- language and closing ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        text = self.scope.banner()
        self.banner.setText(text)
        self.banner.setAccessibleName(text)
        self.setWindowTitle(text)
        self.setAccessibleName(text)
        self.nav.setAccessibleName(_("Pages"))
        for index, spec in enumerate(self.page_specs):
            item = self.nav.item(index)
            item.setText(_(spec.title))
            keys = QKeySequence(f"Ctrl+{index + 1}").toString(QKeySequence.SequenceFormat.NativeText)
            item.setToolTip(_("%(page)s (%(keys)s)") % {"page": _(spec.title), "keys": keys})
        metrics = self.nav.fontMetrics()
        widest = max((metrics.horizontalAdvance(_(spec.title)) for spec in self.page_specs), default=0)
        self.nav.setFixedWidth(min(widest + 6 * metrics.averageCharWidth() + 2 * self.nav.frameWidth(), 28 * metrics.averageCharWidth()))
        self.close_button.setText(_("&Close"))
        self.close_button.setAccessibleName(_("Close these records"))
        self.close_button.setToolTip(_("Close this window; nothing here was changed"))
        self.status_label.setAccessibleName(_("Status"))
        self.status_label.setText(_(self._status_id) if self._status_id else "")

    def closeEvent(self, event):  # noqa: N802
        self.worker.aboutToStop.emit()  # pages stop their timers
        try:
            self.main_window.recordsChanged.disconnect(self._records_changed)
        except (RuntimeError, TypeError):
            pass
        if self.main_window.worker is not None:
            try:
                self.main_window.worker.aboutToStop.disconnect(self.close)
            except (RuntimeError, TypeError):
                pass
        if self.reader is not None:
            self.reader.conn.close()
            self.reader = None
            self.session.reader = None
        super().closeEvent(event)
        self.closed.emit()


def open_records_window(main_window, owner: str, name: dict[str, str]) -> RecordsWindow:
    """Open (or bring forward) the read-only window of `owner`'s records at `main_window`."""
    windows = getattr(main_window, "records_windows", None)
    if windows is None:
        windows = main_window.records_windows = {}
    window = windows.get(owner)
    if window is not None:
        try:
            window.raise_()
            window.activateWindow()
            return window
        except RuntimeError:  # closed and deleted
            windows.pop(owner, None)
    window = RecordsWindow(main_window, OwnerScope(owner, name), main_window)
    windows[owner] = window
    window.closed.connect(lambda: windows.pop(owner, None))
    window.show()
    window.nav.setFocus()  # the keyboard starts at the pages
    return window
