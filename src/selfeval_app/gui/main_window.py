"""The main window: the school's name and academic year, a Cymraeg/English toggle, navigation
between the pages of `gui/pages.py` (the school's home first), Settings, and a status area for
saves and long work.

Pages other than the school's are made when first shown. Pages save through `run_job()`, which
says "Saving…"/"Saved" and then tells every page which record types changed
(`recordsChanged`, taken from the core's own `Change` by gui/operations.py), so each refreshes
only what it shows. Work that needs no database writer (PDFs) goes through `run_off_writer()`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.bilingual import text_or_other
from selfeval_app.core.clock import SYSTEM_CLOCK, academic_year_of
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.plan_years import year_label
from selfeval_app.gui.language import Retranslatable, controller, qlocale
from selfeval_app.gui.pages import LA_PAGES, PAGES, load_page_class, page_available, page_wanted
from selfeval_app.gui.school_home import SchoolHomePage

FIRST_PAINT_PROBE = "SELFEVAL_FIRST_PAINT_PROBE"
SAVING, SAVED = N_("Saving…"), N_("Saved")
SYNC_START_MS = 300  # after the first paint: the sync controller and its first look at the state
#: Tests switch this off: the system's network backend is not theirs to drive (they call
#: `SyncController.network_changed` instead).
START_NETWORK_WATCH = True


def school_name(record: dict | None, lang: str | None = None) -> str:
    """The school's name in the current language, or the other one if that is empty."""
    return text_or_other((record or {}).get("name"), lang or current_language())


class _NameLabel(QLabel):
    """The school's name. With SELFEVAL_FIRST_PAINT_PROBE set (benchmarks/bench_start.py) its
    first paint with the name prints a timestamp and ends the app."""

    _probe = bool(os.environ.get(FIRST_PAINT_PROBE))
    painted = Signal()  # the first paint showing the name

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if self.text() and not self.property("painted"):
            self.setProperty("painted", True)
            QTimer.singleShot(0, self.painted.emit)  # once this paint is on the screen
        if self._probe and self.text():
            type(self)._probe = False
            sys.stdout.write(f"FIRST_PAINT {time.time():.6f}\n")
            sys.stdout.flush()
            QTimer.singleShot(0, QApplication.quit)


def place_page(stack, slot: int, page: QWidget) -> None:
    """Put `page` (in its scroll area) where its placeholder stood in `stack`, keeping the slot
    current if it was (the main window and the records window make their pages when first shown)."""
    current = stack.currentIndex() == slot
    placeholder = stack.widget(slot)
    stack.insertWidget(slot, _scrolling(page, stack))
    stack.removeWidget(placeholder)
    placeholder.deleteLater()
    if current:
        stack.setCurrentIndex(slot)


def select_page(stack, nav, slot: int, page: QWidget) -> None:
    """Show the page in `slot`, with its navigation row chosen (no signal) and told it is shown."""
    stack.setCurrentIndex(slot)
    if nav.currentRow() != slot:
        nav.blockSignals(True)
        nav.setCurrentRow(slot)
        nav.blockSignals(False)
    if hasattr(page, "page_shown"):
        page.page_shown()


def _scrolling(page: QWidget, parent: QWidget) -> QWidget:
    """The page in a scroll area: at its size when there is room, scrolling when a big text size
    (200%) makes it larger than the window, so the window never grows past the screen."""
    from PySide6.QtCore import Qt  # not at the top: Qt's namespace waits for the first paint
    from PySide6.QtWidgets import QScrollArea

    area = QScrollArea(parent)
    area.setObjectName(f"{page.objectName() or type(page).__name__}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


class MainWindow(Retranslatable, QMainWindow):
    closed = Signal()
    recordsChanged = Signal(object)  # noqa: N815 - set of record types a saved job changed
    pageShown = Signal(str)  # noqa: N815 - key of the page now shown
    syncStarted = Signal()  # noqa: N815 - the sync controller exists (pages show its state)

    def __init__(self, app_context, parent: QWidget | None = None, *, glance=None):
        """`glance` (core/school_glance.py): the school's name read lightly, when the context
        opens its session just after the first paint and then calls `attach_session()`."""
        super().__init__(parent)
        self.ctx = app_context
        self.session = None
        self.worker = None
        self.operations = None  # gui/operations.py: every write goes through it
        #: The one clock of the window (due/overdue, "this term", today's date); tests set a
        #: FixedClock here before opening pages.
        self.clock = getattr(app_context, "clock", None) or SYSTEM_CLOCK
        self._status_id: str | None = None
        self.setLocale(qlocale())
        self._record = glance.record if glance is not None else None
        #: A local authority's installation shows the LA's pages (pages.LA_PAGES) instead of the
        #: school's; its header shows the authority's name (its identity's names). The light look
        #: at the name (`glance`) is made only for a school's own profile, so it is never an LA's.
        if glance is not None:
            self.is_la, self._la_name = glance.role == "la", None
        else:
            identity = app_context.session.primary_identity()
            self.is_la = identity is not None and identity.role == "la"
            self._la_name = {"name": {"cy": identity.name_cy, "en": identity.name_en}} if self.is_la else None

        central = QWidget(self)
        outer = QVBoxLayout(central)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        self.name_label = _NameLabel(central)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setWordWrap(True)
        self.year_label = QLabel(central)
        self.year_label.setMinimumHeight(self.year_label.fontMetrics().height())  # filled after the first paint
        titles.addWidget(self.name_label)
        titles.addWidget(self.year_label)
        header.addLayout(titles, 1)

        self.language_buttons = QButtonGroup(self)
        self.language_buttons.setExclusive(True)
        self.lang_box = QWidget(central)
        lang_row = QHBoxLayout(self.lang_box)
        lang_row.setContentsMargins(0, 0, 0, 0)
        lang_row.setSpacing(0)
        self.cy_button = QPushButton("Cymraeg", self.lang_box)
        self.en_button = QPushButton("English", self.lang_box)
        for code, button in (("cy", self.cy_button), ("en", self.en_button)):  # Welsh first
            button.setCheckable(True)
            button.setProperty("language", code)
            self.language_buttons.addButton(button)
            lang_row.addWidget(button)
        self.cy_button.setObjectName("languageCymraeg")
        self.en_button.setObjectName("languageEnglish")
        self.cy_button.setLocale(qlocale("cy"))
        self.en_button.setLocale(qlocale("en"))
        self.language_buttons.buttonClicked.connect(lambda b: self.switch_language(b.property("language")))
        # The buttons sit at the top of the header: a row above a stretch (no alignment flag, so
        # nothing from Qt's namespace is needed before the first paint, see _after_first_paint).
        buttons = QHBoxLayout()
        buttons_column = QVBoxLayout()
        buttons_column.addLayout(buttons)
        buttons_column.addStretch(1)
        buttons.addWidget(self.lang_box)
        self.reports_button = QPushButton(central)
        self.reports_button.setObjectName("reportsButton")
        self.reports_button.clicked.connect(self.open_reports)
        buttons.addWidget(self.reports_button)
        self.settings_button = QPushButton(central)
        self.settings_button.clicked.connect(self.open_settings)
        buttons.addWidget(self.settings_button)
        header.addLayout(buttons_column)
        outer.addLayout(header)

        self.banner = QLabel(central)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setWordWrap(True)
        self.banner.setMargin(6)
        banner_font = self.banner.font()
        banner_font.setBold(True)
        self.banner.setFont(banner_font)
        # Stands out in the system theme's own colours (the tooltip pair), so contrast holds.
        self.banner.setAutoFillBackground(True)
        self.banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.banner.setVisible(glance.is_example if glance is not None else False)
        outer.addWidget(self.banner)
        self.reports_button.setVisible(not self.is_la)  # the LA's reports are on its Exports page

        body = QHBoxLayout()
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setWordWrap(True)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 0.35em 0.7em; }")
        self.stack = QStackedWidget(central)
        if self.is_la:
            from selfeval_app.gui.la.schools import SchoolsPage

            specs, self.school_page = LA_PAGES, SchoolsPage(self, self.stack)
        else:
            specs, self.school_page = PAGES, SchoolHomePage(self, self.stack)
        self.home_key = specs[0].key  # the first page, made now (the others when first shown)
        self.school_page.editRequested.connect(self.edit_profile)
        self.recordsChanged.connect(self.school_page.records_changed)
        self.page_specs = [spec for spec in specs if spec.key == self.home_key or page_available(spec)]
        self.pages: dict[str, QWidget] = {self.home_key: self.school_page}  # the home is placed after the first paint
        self._placed: set[str] = set()
        self._page_slots: dict[str, int] = {}
        for index, spec in enumerate(self.page_specs):
            QListWidgetItem(self.nav)
            self._page_slots[spec.key] = index
            self.stack.addWidget(QWidget(self.stack))  # replaced by the page when first shown
        # Optional pages ("Visits I review") join the navigation after the first paint, when
        # this installation turns out to need them (refresh_optional_pages).
        self._hidden_pages = {spec.key for spec in self.page_specs if spec.shown_when}
        for key in self._hidden_pages:
            self.nav.item(self._page_slots[key]).setHidden(True)
        self._page_shortcuts: list = []
        self.nav.setCurrentRow(0)
        self.nav.currentRowChanged.connect(lambda row: self.show_page(self.page_specs[row].key) if row >= 0 else None)
        self.nav.setVisible(len(self.page_specs) > 1)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        # The status bar joins after the first paint (making the first one costs a few ms); its
        # label exists from the start, so a status shown before then is kept.
        self.status_label = QLabel(self)
        self.status_label.hide()
        self.busy = None  # BusyIndicator, made when first needed
        self.sync = None  # gui/sync.py SyncController, made just after the first paint
        self.sync_label: QLabel | None = None
        self._painted = False
        if app_context.session is not None:
            self.attach_session()
        self.school_page.record = self._record
        self.retranslate()
        self.name_label.painted.connect(self._after_first_paint)

    def attach_session(self) -> None:
        """Take the context's open session, worker and operations (at once, or just after the
        first paint when the window was made from a light read of the school's name)."""
        glanced = self._record
        self.session = self.ctx.session
        self.worker = self.ctx.worker
        self.operations = self.ctx.operations
        self.operations.recordsChanged.connect(self.recordsChanged)
        # Busy while the writer or the background pool (a PDF) has work.
        self.worker.busyChanged.connect(self._work_busy_changed)
        self.operations.backgroundBusyChanged.connect(self._work_busy_changed)
        self._record = self.session.school()
        self.banner.setVisible(self.session.is_example)
        if glanced is not None:  # attached after the first paint
            self.school_page.record = self._record
            if school_name(glanced) != school_name(self._record):
                self.retranslate()
            if self._painted:
                self._session_ready()

    def _after_first_paint(self) -> None:
        """What can wait until the school's name is on the screen (DESIGN §12): Qt's namespace
        (its enums cost a measurable part of the start), the keyboard shortcuts, and the home."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        self.name_label.painted.disconnect(self._after_first_paint)
        self._painted = True
        from selfeval_app.gui.app_icon import app_icon

        QApplication.instance().setWindowIcon(app_icon())  # the task bar's icon: after the name
        self._show_year()
        self.statusBar().addWidget(self.status_label, 1)  # made now (or by a busy indicator before)
        self.status_label.show()
        self.refresh_optional_pages(hints=False)
        self._retranslate_key_hints()
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.settings_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Preferences), self)
        self.settings_shortcut.activated.connect(self.open_settings)
        self.reports_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        self.reports_shortcut.activated.connect(self.open_reports)
        if self.session is not None:
            self._session_ready()

    def _session_ready(self) -> None:
        """After the first paint, once the session is open: what needs the database."""
        self.session.clean_leftovers()  # copies left by a killed backup or restore
        if self._hidden_pages:
            self.refresh_optional_pages()  # read now that the session is open
        if self.current_page_key() == self.home_key:
            # Into its place in the stack now (placing a page polishes every widget of it: tens
            # of ms); when another page was shown before the session opened, when first shown.
            self.page(self.home_key)
        self.school_page.start()
        QTimer.singleShot(SYNC_START_MS, self.start_sync)

    # -- sync (gui/sync.py) --------------------------------------------------------------------

    def start_sync(self, *, watch_network: bool = True) -> None:
        """The sync controller and its status-bar words, a moment after the first paint."""
        if self.sync is not None or self.worker is None:
            return
        from selfeval_app.gui.sync import SyncController

        self.sync = SyncController(self)
        self.sync_label = QLabel(self)
        self.sync_label.setObjectName("syncStatus")
        self.statusBar().addPermanentWidget(self.sync_label)
        self.sync.changed.connect(self._show_sync)
        self._show_sync()
        self.syncStarted.emit()
        self.sync.start(watch_network=watch_network and START_NETWORK_WATCH)

    def _show_sync(self) -> None:
        if self.sync is None or self.sync_label is None:
            return
        from selfeval_app.sync_views import short_line

        text = short_line(self.sync.info, self.clock.today(), running=self.sync.running)
        self.sync_label.setText(text)
        self.sync_label.setAccessibleName(_("Sync: %(state)s") % {"state": text} if text else _("Sync"))

    # -- language ----------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.ctx.data_dir

    def school(self) -> dict | None:
        return self._record

    def retranslate(self) -> None:
        lang = current_language()
        self.setLocale(qlocale(lang))
        name = school_name(self._la_name if self.is_la else self._record, lang) or self._identity_name(lang)
        self.name_label.setText(name)
        self.name_label.setAccessibleName(name)
        self.setWindowTitle(_("%(school)s — Self-evaluation") % {"school": name} if name else _("Self-evaluation"))
        if self._painted:
            self._show_year()
        if self.is_la:
            self.banner.setText(_("Example local authority: its schools and what they shared are made up, to explore the app. A real authority's data is kept in its own folder."))
            self.banner.setAccessibleName(_("Example local authority"))
        else:
            self.banner.setText(_("Example school: the data here is made up, to explore the app. Your own school's data is kept in its own folder."))
            self.banner.setAccessibleName(_("Example school"))
        for button in (self.cy_button, self.en_button):
            button.setChecked(button.property("language") == lang)
        self.lang_box.setAccessibleName(_("Language of the app"))
        self.cy_button.setAccessibleName("Cymraeg")
        self.en_button.setAccessibleName("English")
        self.cy_button.setToolTip("Defnyddio'r ap yn Gymraeg")
        self.en_button.setToolTip("Use the app in English")
        self.settings_button.setText(_("Settings…"))
        self.reports_button.setText(_("Reports for governors…"))
        self.reports_button.setAccessibleName(_("Reports for governors"))
        self.settings_button.setAccessibleName(_("Settings"))
        self.status_label.setAccessibleName(_("Status"))
        self.status_label.setText(_(self._status_id) if self._status_id else "")
        self.school_page.show_record(self._record)
        self.nav.setAccessibleName(_("Pages"))
        for index, spec in enumerate(self.page_specs):
            item = self.nav.item(index)
            item.setText(_(spec.title))

        # Wide enough for the longest title in this language (and at 200% text), never a scrollbar.
        metrics = self.nav.fontMetrics()
        widest = max((metrics.horizontalAdvance(_(spec.title)) for spec in self.page_specs), default=0)
        self.nav.setFixedWidth(min(widest + 3 * metrics.averageCharWidth() * 2 + 2 * self.nav.frameWidth(), 28 * metrics.averageCharWidth()))
        if self._painted:
            self._retranslate_key_hints()
        self._show_sync()

    def _identity_name(self, lang: str) -> str:
        """With no school profile (a peer reviewer's own laptop): the primary identity's name."""
        reader = self.session.reader if self.session is not None else None
        if self._record is not None or reader is None:
            return ""
        row = reader.conn.execute("SELECT name_cy, name_en FROM identity WHERE id = ?", (reader.owner,)).fetchone()
        if row is None:
            return ""
        from selfeval_app.core.bilingual import text_or_other

        return text_or_other({"cy": row[0], "en": row[1]}, lang)

    def _show_year(self) -> None:
        """The academic year under the name (after the first paint: today's date in Wales needs
        the time zone data, a few ms of the start)."""
        year = academic_year_of(SYSTEM_CLOCK.today())
        # Translators: e.g. "Academic year 2025–26".
        self.year_label.setText(_("Academic year %(year)s") % {"year": year_label(year)})

    def _retranslate_key_hints(self) -> None:
        """Tooltips naming keyboard shortcuts (set after the first paint, with the shortcuts)."""
        from PySide6.QtGui import QKeySequence

        self.reports_button.setToolTip(
            _("Make the headteacher’s report to governors or the development plan summary for parents, as a PDF (%(keys)s)")
            % {"keys": QKeySequence(QKeySequence.StandardKey.Print).toString(QKeySequence.SequenceFormat.NativeText)}
        )
        for index, spec in enumerate(self.shown_page_specs()[:9]):
            # Translators: tooltip of a page in the navigation; %(keys)s is e.g. "Ctrl+2".
            self.nav.item(self._page_slots[spec.key]).setToolTip(
                _("%(page)s (%(keys)s)") % {"page": _(spec.title), "keys": QKeySequence(f"Ctrl+{index + 1}").toString(QKeySequence.SequenceFormat.NativeText)}
            )

    # -- pages -----------------------------------------------------------------------------

    def shown_page_specs(self) -> list:
        """The pages in the navigation now, in order (optional ones only when wanted)."""
        return [spec for spec in self.page_specs if spec.key not in self._hidden_pages]

    def refresh_optional_pages(self, *, hints: bool = True) -> None:
        """Show or hide the optional pages (e.g. "Visits I review" once this installation has a
        peer reviewer identity or holds a visit as a reviewer); Ctrl+1…9 follow what is shown."""
        from PySide6.QtGui import QKeySequence, QShortcut

        reader = self.session.reader if self.session is not None else None
        if reader is not None:
            reader.forget_cached_meta()
        for spec in self.page_specs:
            if spec.shown_when is None:
                continue
            try:  # before the session opens (just after the first paint) optional pages wait
                wanted = reader is not None and page_wanted(spec, reader)
            except Exception:  # noqa: BLE001 - a damaged database: the page stays out
                wanted = False
            self.nav.item(self._page_slots[spec.key]).setHidden(not wanted)
            if wanted:
                self._hidden_pages.discard(spec.key)
            else:
                self._hidden_pages.add(spec.key)
        for shortcut in self._page_shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._page_shortcuts = []
        for index, spec in enumerate(self.shown_page_specs()[:9]):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda key=spec.key: self.show_page(key))
            self._page_shortcuts.append(shortcut)
        if hints:
            self._retranslate_key_hints()

    def page(self, key: str) -> QWidget:
        """The page called `key`, made (and put in its place) now if it was not shown yet."""
        if key not in self.pages:
            spec = next(s for s in self.page_specs if s.key == key)
            page = load_page_class(spec)(self)
            self.pages[key] = page
            if hasattr(page, "records_changed"):
                self.recordsChanged.connect(page.records_changed)
        if key not in self._placed:
            self._placed.add(key)
            place_page(self.stack, self._page_slots[key], self.pages[key])
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        page = self.page(key)
        select_page(self.stack, self.nav, self._page_slots[key], page)
        self.pageShown.emit(key)
        return page

    def current_page_key(self) -> str:
        return self.page_specs[self.stack.currentIndex()].key

    def open_record(self, record_type: str, record_id: str) -> bool:
        """Show a record on the page that owns its type; False if no page shows that type."""
        specs = [spec for spec in self.page_specs if record_type in spec.opens]
        if len(specs) > 1 and self.session is not None and self.session.reader is not None:
            # Two pages open this type (a visit: the host's page, the reviewer's page): by owner.
            record = self.session.reader.get(record_type, record_id)
            whose = "own" if self.session.reader.is_own(record) else "others"
            specs = [spec for spec in specs if spec.owners in (whose, "any")] or specs
        for spec in specs:
            if record_type in spec.opens:
                page = self.show_page(spec.key)
                if hasattr(page, "open_record"):
                    page.open_record(record_type, record_id)
                return True
        return False

    def run_job(self, job, on_done=None, on_error=None, *, changed=(), status=SAVING, done_status=SAVED):
        """Run `job(session)` on the database worker. While it runs the status area says
        `status`; when it is committed it says `done_status`, `on_done(result)` runs and
        `recordsChanged(types)` tells every page the record types it wrote (what the store
        recorded, plus `changed` for what it cannot see). On a failure the status says
        "Not saved." and `on_error(error)` runs (or a warning dialog in the user's language)."""

        def done(result) -> None:
            if done_status:
                self.show_status(done_status)
            if on_done is not None:
                on_done(result)

        if status:
            self.show_status(status)
        return self.operations.run(job, done, lambda e: self._failed(e, on_error), also_changed=changed)

    def run_off_writer(self, work, on_done=None, on_error=None, *, status=None, done_status=None) -> None:
        """Run `work()` off the database writer (a PDF, later crypto and network): saves go on
        while it runs. Status and failures as in `run_job`."""

        def done(result) -> None:
            if done_status:
                self.show_status(done_status)
            if on_done is not None:
                on_done(result)

        if status:
            self.show_status(status)
        self.operations.run_off_writer(work, done, lambda e: self._failed(e, on_error))

    def switch_language(self, lang: str) -> None:
        if lang and lang != current_language():
            controller().switch(lang)
        else:
            self.retranslate()

    # -- status --------------------------------------------------------------------------

    def show_status(self, message_id: str) -> None:
        """Show a catalog message (N_) in the status area; it follows language switches."""
        self._status_id = message_id
        self.status_label.setText(_(message_id))

    def _work_busy_changed(self, _busy: bool) -> None:
        self._busy_changed(self.worker.busy or self.operations.background_busy)

    def _busy_changed(self, busy: bool) -> None:
        if self.busy is None:
            from selfeval_app.gui.busy import BusyIndicator

            self.busy = BusyIndicator(self.statusBar())
            self.statusBar().addPermanentWidget(self.busy)
        if busy:
            self.busy.start(N_("Working…"))
        else:
            self.busy.finish()

    # -- school profile ------------------------------------------------------------------------

    def save_school(self, values, record_id, base_rev, on_done, on_error) -> None:
        from selfeval_app.gui.session import save_school_job

        def done(record: dict) -> None:
            self.school_saved(record)
            on_done(record)

        self.run_job(save_school_job(values, record_id, base_rev), done, on_error)

    def _failed(self, error, on_error=None) -> None:
        self.show_status(N_("Not saved."))
        if on_error is not None:
            on_error(error)
        else:
            from selfeval_app.gui.dialogs import dialogs

            text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
            dialogs().warning(self, _("Not saved"), text)

    def school_saved(self, record: dict) -> None:
        self._record = record
        self.show_status(N_("Saved"))
        self.retranslate()

    def edit_profile(self):
        from PySide6.QtCore import Qt

        from selfeval_app.gui.school_profile import SchoolProfileDialog

        dialog = SchoolProfileDialog(self._record, self.save_school, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def save_writes_in(self, value: str) -> None:
        if self._record is None or value == self._record.get("writes_in"):
            return
        self.save_school({"writes_in": value}, self._record["id"], self._record["rev"], lambda _r: None, None)

    # -- settings ------------------------------------------------------------------------

    def open_settings(self):
        from PySide6.QtCore import Qt

        from selfeval_app.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def open_reports(self):
        from selfeval_app.gui.report_dialog import open_report_dialog

        return open_report_dialog(self)

    def open_data_folder(self) -> None:
        from selfeval_app.gui.dialogs import dialogs

        dialogs().open_folder(self, self.data_dir)

    def set_welsh_letter_helper(self, on: bool) -> None:
        from selfeval_app.core.settings import save_settings
        from selfeval_app.gui import welsh_letters

        welsh_letters.set_enabled(on)
        save_settings(welsh_letter_helper=bool(on))

    def make_backup(self, on_done=None) -> None:
        from selfeval_app.gui.session import backup_job

        self.run_job(backup_job(), on_done, None, status=N_("Making a backup…"), done_status=N_("Backup made."))

    def restore_backup(self, path: Path, on_done=None) -> None:
        from selfeval_app.gui.dialogs import dialogs
        from selfeval_app.gui.session import restore_job

        if not dialogs().question(
            self,
            _("Restore a backup"),
            _("Bring back the school's data as it was in this backup? The data as it is now is backed up first, so nothing is lost."),
        ):
            return
        self.session.close_reader()

        def done(_ok) -> None:
            self._record = self.session.school()
            self.banner.setVisible(self.session.is_example)
            self.show_status(N_("Backup restored."))
            self.retranslate()
            if on_done:
                on_done()

        def failed(error) -> None:
            if self.session.reader is None and self.session.db is not None:
                self.session.open_reader()
            self._failed(error)  # the warning, in the user's language

        from selfeval_app.core.record_types import RECORD_TYPES

        self.run_job(
            restore_job(path, self.session.device_id), done, failed,
            changed=set(RECORD_TYPES), status=N_("Restoring…"), done_status=N_("Backup restored."),
        )

    # -- window ------------------------------------------------------------------------------

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event):  # noqa: N802
        super().closeEvent(event)
        self.closed.emit()
