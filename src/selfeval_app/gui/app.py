"""Starting the window: `run(data_dir, lang)` (called by `selfeval` with no subcommand).

Start path, kept light (DESIGN §12): the OS instance lock, the remembered language, a read-only
look at the database that makes the full open's refusal checks and reads the school's name
(core/school_glance.py), the window. The session (writer lock, writer connection, record store),
the single-instance server, the database worker thread and the automatic backup start after the
first paint. When the light look finds anything unusual (first start, migrations pending, a
problem), the session is opened before the window, as before. Nothing heavy (reportlab, babel, exchange) is imported here.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from selfeval_app.core import i18n
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.instance_lock import InstanceLock
from selfeval_app.gui.garbage_collection import freeze_long_lived

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USER = 0, 1
AUTO_BACKUP_DELAY_MS = 5000

_translator = None


def qt_application() -> QApplication:
    """The QApplication, with our translator for Qt's own strings installed once."""
    global _translator
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if _translator is None:
        from selfeval_app.gui.qt_translator import GettextQtTranslator
        from selfeval_app.gui.report_fonts import keep_screen_font

        keep_screen_font(app)  # before any widget: the report fonts added later change nothing
        app.setApplicationName("selfeval_app")
        app.setApplicationDisplayName("Hunanwerthuso | Self-evaluation")
        app.setDesktopFileName("cymru.hunanwerthuso.selfeval")  # the .desktop entry, for the task bar
        _translator = GettextQtTranslator(app)
        app.installTranslator(_translator)
    return app


class AppContext(QObject):
    """One running window over one data folder: lock, session, worker, window."""

    def __init__(self, qapp: QApplication, data_dir: Path, lock: InstanceLock):
        super().__init__()
        self.qapp = qapp
        self.data_dir = data_dir
        self.lock = lock
        self.session = None
        self.worker = None
        self.operations = None  # gui/operations.py, over the worker
        self.window = None
        self.first_start = None
        self.server = None
        self._extra_locks: list[InstanceLock] = []
        self.in_event_loop = False  # run() sets it while its event loop runs
        self.exit_code: int | None = None  # set when the start fails after the first paint

    # -- opening -------------------------------------------------------------------------

    def open_session(self) -> None:
        from selfeval_app.gui.operations import Operations
        from selfeval_app.gui.session import Session
        from selfeval_app.gui.worker import DatabaseWorker

        self.session = Session(self.data_dir, _device_id_or_temporary())
        self.worker = DatabaseWorker(self.session)
        if self.operations is not None:
            self.operations.deleteLater()
        self.operations = Operations(self.worker, self)

    def open_or_explain(self) -> bool:
        """Open the data; if it cannot be opened, say why in a dialog (offering to restore the
        newest sound backup when the database is damaged) and return False."""
        from selfeval_app.gui.start_problems import as_user_error, offer_restore

        for attempt in (1, 2):
            try:
                self.open_session()
                self.session.school()  # reads a row: damage in the school table shows here
                return True
            except Exception as exc:
                error = as_user_error(exc, self.data_dir)
                self._drop_session()
                if error is None:
                    raise
                if attempt == 1 and offer_restore(self.data_dir, error):
                    continue
                if attempt == 2:
                    from selfeval_app.gui.dialogs import app_title, dialogs

                    dialogs().warning(None, app_title(), error.message())
                return False
        return False

    def finish_opening(self) -> bool:
        """Open the session of a window painted from a light read of the school's name (called
        just after that first paint, or by anything that needs the session sooner). If the data
        cannot be opened after all, the problem is explained as at any start, the window closes
        and the application ends with EXIT_USER; False then."""
        if self.session is not None:
            return True
        if self.open_or_explain():
            if self.window is not None:
                self.window.attach_session()
            freeze_long_lived()  # what the open window holds is kept: later collections skip it
            return True
        self.exit_code = EXIT_USER
        self.close()
        if self.in_event_loop:  # exit() outside the loop would stop every later loop at once
            self.qapp.exit(EXIT_USER)
        return False

    def _drop_session(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self.session is not None:
            try:
                self.session.close()
            except Exception:  # noqa: BLE001 - closing a damaged database; the error was shown
                log.warning("closing the damaged database failed", exc_info=True)
            self.session = None

    def show_main_window(self, glance=None):
        """The main window. With `glance` (the school's name read lightly) the session is not
        open yet: it is opened just after the first paint (`_after_first_paint`)."""
        from selfeval_app.gui.main_window import MainWindow

        self.window = MainWindow(self, glance=glance)
        self.window.closed.connect(self.close)
        size = self.window.sizeHint()
        screen = self.window.screen()
        if screen is not None:  # a comfortable first size: about two thirds of the screen
            available = screen.availableGeometry().size()
            size = size.expandedTo(available * 0.66).boundedTo(available)
        self.window.resize(size)
        # The instance server and the automatic backup wait for the first paint of the name.
        self.window.name_label.painted.connect(self._after_first_paint)  # emitted after the paint
        self.window.show()
        return self.window

    def _after_first_paint(self) -> None:
        if self.window is not None:
            self.window.name_label.painted.disconnect(self._after_first_paint)
        if self.session is None and not self.finish_opening():
            return
        self.start_server()
        QTimer.singleShot(AUTO_BACKUP_DELAY_MS, self._auto_backup)
        QTimer.singleShot(0, self._register_report_fonts)

    def _register_report_fonts(self) -> None:
        from selfeval_app.gui.report_fonts import register_report_fonts

        register_report_fonts()

    def start_server(self) -> None:
        if self.server is not None:
            return
        from selfeval_app.gui.single_instance import InstanceServer

        self.server = InstanceServer(self.data_dir, self)
        self.server.activateRequested.connect(self._bring_forward)
        self.server.listen()

    def _bring_forward(self) -> None:
        target = self.window or self.first_start
        if target is not None:
            if target.isMinimized():
                target.showNormal()
            target.raise_()
            target.activateWindow()

    def _auto_backup(self) -> None:
        if self.worker is None or self.session is None:
            return

        def job(session):
            from selfeval_app.core.backup import auto_backup_if_due

            return auto_backup_if_due(session.data_dir)

        self.operations.run(job, None, lambda e: log.warning("automatic backup failed: %s", e))

    # -- first start ---------------------------------------------------------------------

    def show_first_start(self, ask_language: bool):
        from selfeval_app.gui.first_start import FirstStartDialog

        self.first_start = FirstStartDialog(ask_language)
        self.first_start.profileChosen.connect(self._save_first_profile)
        self.first_start.exampleChosen.connect(self._open_example)
        self.first_start.laChosen.connect(self._set_up_la)
        self.first_start.exampleLAChosen.connect(self._open_example_la)
        self.first_start.join_panel.configure(lambda job, done, failed: self.operations.run(job, done, failed), self.data_dir)
        self.first_start.join_panel.joined.connect(self._joined_school)
        self.first_start.rejected.connect(self.close)
        self.first_start.show()
        QTimer.singleShot(0, self.start_server)
        return self.first_start

    def _save_first_profile(self, values: dict) -> None:
        from selfeval_app.gui.session import save_school_job

        self.operations.run(save_school_job(values, None, None), self._first_profile_saved, self.first_start.failed)

    def _first_profile_saved(self, _record) -> None:
        dialog, self.first_start = self.first_start, None
        self.show_main_window()
        self.window.show_status(N_("Saved"))
        dialog.done(1)
        dialog.deleteLater()

    def _set_up_la(self, la_code: int) -> None:
        """`selfeval init la` for this data folder, then the LA's window."""
        from selfeval_app.gui.session import init_la_job

        def done(_identity_id) -> None:
            # The window reads the new identity through a fresh reader.
            self.session.close_reader()
            self.session.open_reader()
            self._first_profile_saved(None)

        self.operations.run(init_la_job(la_code), done, self.first_start.failed)

    def _open_example_la(self) -> None:
        """The example local authority (`selfeval demo --role la`: a dozen example schools'
        bundles), in its own example folder; the empty data folder is left alone."""
        from selfeval_app.exchange.setup import example_la_dir

        def build(example, dev) -> None:
            from selfeval_app.exchange.la_example import add_example_schools
            from selfeval_app.exchange.setup import demo_la

            demo_la(example, device_id=dev)
            add_example_schools(example)

        self._open_example_folder(example_la_dir(), build, N_("The example local authority is already open in another window."))

    def _joined_school(self, _info) -> None:
        """This laptop now holds the school (same owner, its own device): open it afresh."""
        self.worker.stop()
        self.session.close()
        self.open_session()
        dialog, self.first_start = self.first_start, None
        self.show_main_window()
        self.window.show_status(N_("This laptop has joined the school."))
        dialog.done(1)
        dialog.deleteLater()

    def _open_example(self) -> None:
        from selfeval_app.core.paths import example_data_dir

        def build(example, dev) -> None:
            from selfeval_app.core.demo import build_example_school

            build_example_school(example, device_id=dev)

        self._open_example_folder(example_data_dir(), build, N_("The example school is already open in another window."))

    def _open_example_folder(self, example: Path, build, already_open: str) -> None:
        """Make (or refresh) an example folder with `build(folder, device_id)` on the worker and
        open it instead of the empty data folder, which is left alone."""
        from selfeval_app.core.paths import device_id

        lock = InstanceLock(example)
        if not lock.acquire():
            from selfeval_app.gui.single_instance import ask_first_instance_to_come_forward

            ask_first_instance_to_come_forward(example)
            self.first_start.failed(UserFacingError(already_open))
            return
        dev = device_id()

        def job(_session):
            build(example, dev)
            return True

        def done(_ok) -> None:
            self.worker.stop()
            self.session.close()
            self.lock.release()
            self.lock, self.data_dir = lock, example
            self.open_session()
            dialog, self.first_start = self.first_start, None
            self.show_main_window()
            dialog.done(1)
            dialog.deleteLater()

        def failed(error) -> None:
            lock.release()
            self.first_start.failed(error)

        self.operations.run(job, done, failed)

    # -- closing -------------------------------------------------------------------------

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.server is not None:
            self.server.close()
            self.server = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        window, self.window = self.window, None
        if window is not None:
            window.closed.disconnect(self.close)
            window.close()
            window.deleteLater()
        dialog, self.first_start = self.first_start, None
        if dialog is not None:
            dialog.rejected.disconnect(self.close)
            dialog.close()
            dialog.deleteLater()


_temporary_device_id: str | None = None


def _device_id_or_temporary() -> str:
    """This device's id; if the config folder cannot be written, say so once and use an id for
    this session only, so the window still opens."""
    global _temporary_device_id
    from selfeval_app.core import paths
    from selfeval_app.core.errors import ConfigFolderError
    from selfeval_app.gui.dialogs import app_title, dialogs

    try:
        value = paths.device_id()
    except ConfigFolderError as exc:
        if _temporary_device_id is None:
            import uuid

            _temporary_device_id = str(uuid.uuid4())
            dialogs().warning(None, app_title(), exc.message())
        return _temporary_device_id
    if paths.replaced_device_file is not None:
        dialogs().warning(None, app_title(), _("Warning: this computer's identity file could not be read, so a new one was made. The old file is kept as %(path)s.") % {"path": paths.replaced_device_file})
        paths.replaced_device_file = None
    return value


def refuse_second_instance(data_dir: Path) -> None:
    """Another window has this data folder: bring it forward and say so, in the user's language."""
    from selfeval_app.gui.dialogs import app_title, dialogs
    from selfeval_app.gui.single_instance import ask_first_instance_to_come_forward

    reached = ask_first_instance_to_come_forward(data_dir)
    if reached:
        text = _("Hunanwerthuso is already open with this school's data, so a second window was not opened. The open window has been brought to the front.")
    else:
        text = _("Hunanwerthuso is already open with this school's data, so a second window was not opened. Look for it on the taskbar.")
    dialogs().information(None, app_title(), text)


def start(data_dir: Path | None = None, lang: str | None = None) -> AppContext | int:
    """Open the window (or first start) without entering the event loop. An int is an exit code."""
    from selfeval_app.core.settings import load_settings
    from selfeval_app.gui import welsh_letters
    from selfeval_app.gui.language import controller

    qapp = qt_application()
    settings = load_settings()
    remembered = settings.get("language")
    chosen = lang or remembered or i18n.language_from_env()
    controller().apply(chosen or "cy")
    if lang and lang != remembered:
        from selfeval_app.core.settings import save_settings

        try:
            save_settings(language=lang)
        except UserFacingError as exc:  # an unwritable config folder: start anyway, unremembered
            log.warning("%s", exc)
    welsh_letters.set_enabled(settings.get("welsh_letter_helper", True))

    if data_dir is None:
        from selfeval_app.core.paths import default_data_dir

        data_dir = default_data_dir()
    data_dir = Path(data_dir).expanduser()
    lock = InstanceLock(data_dir)
    try:
        from selfeval_app.core.db_health import check_folder_writable, check_path_length

        check_path_length(data_dir)
        check_folder_writable(data_dir)
    except UserFacingError as exc:
        from selfeval_app.gui.dialogs import app_title, dialogs

        dialogs().warning(None, app_title(), exc.message())
        return EXIT_USER
    try:
        locked = lock.acquire()
    except OSError as exc:
        from selfeval_app.core.errors import DataFolderError
        from selfeval_app.gui.dialogs import app_title, dialogs
        from selfeval_app.gui.start_problems import as_user_error

        error = as_user_error(exc, data_dir) or DataFolderError(path=str(data_dir), reason=exc.strerror or str(exc))
        dialogs().warning(None, app_title(), error.message())
        return EXIT_USER
    if not locked:
        refuse_second_instance(data_dir)
        return EXIT_USER

    ctx = AppContext(qapp, data_dir, lock)
    if chosen is not None:
        from selfeval_app.core.school_glance import glance_school

        glance = glance_school(data_dir)
        if glance is not None:  # the usual start: paint the name, then open the session
            ctx.show_main_window(glance)
            return ctx
    if not ctx.open_or_explain():
        lock.release()
        return EXIT_USER
    if (ctx.session.school() is None and not ctx.session.is_la and not _reviewer_laptop(ctx.session)) or chosen is None:
        ctx.show_first_start(ask_language=chosen is None)
    else:
        ctx.show_main_window()
    return ctx


def _reviewer_laptop(session) -> bool:
    """A peer reviewer's own laptop (`selfeval demo --role reviewer`): its primary identity is a
    reviewer and it has no school profile to ask for; the window opens on "Visits I review"."""
    reader = session.reader
    if reader is None:
        return False
    row = reader.conn.execute("SELECT role FROM identity WHERE id = ?", (reader.owner,)).fetchone()
    return row is not None and row[0] == "reviewer"


def run(data_dir: Path | None = None, lang: str | None = None) -> int:
    """Open the window and run until it closes; returns the exit code."""
    ctx = start(data_dir, lang)
    if isinstance(ctx, int):
        return ctx
    qapp = ctx.qapp
    qapp.setQuitOnLastWindowClosed(True)
    ctx.in_event_loop = True
    code = qapp.exec()
    ctx.in_event_loop = False
    ctx.close()
    return ctx.exit_code if ctx.exit_code is not None else code
