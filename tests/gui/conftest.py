"""GUI tests: offscreen Qt, a fake dialog service, Qt warnings fail the test."""

from __future__ import annotations

import gc
import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

#: Messages the offscreen platform prints that say nothing about the app.
HARMLESS_QT_MESSAGES = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
    "QFont::setPointSizeF: Point size <= 0",
    "propagateSizeHints",
    "Unable to open default EUC-JP",  # fontconfig on minimal systems
)


class FakeDialogs:
    """Answers at once and records what was asked: no test can hang on a modal dialog."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.answers: list[bool] = []
        self.files: list[str | None] = []

    def information(self, parent, title, text):
        self.calls.append(("information", title, text))

    def warning(self, parent, title, text):
        self.calls.append(("warning", title, text))

    def question(self, parent, title, text):
        self.calls.append(("question", title, text))
        return self.answers.pop(0) if self.answers else False

    def open_file(self, parent, title, directory="", name_filter=""):
        self.calls.append(("open_file", title))
        return self.files.pop(0) if self.files else None

    def save_file(self, parent, title, directory="", name_filter=""):
        self.calls.append(("save_file", title))
        return self.files.pop(0) if self.files else None

    def choose_folder(self, parent, title, directory=""):
        self.calls.append(("choose_folder", title))
        return self.files.pop(0) if self.files else None

    def open_folder(self, parent, folder):
        self.calls.append(("open_folder", str(folder)))

    def open_document(self, parent, path):
        self.calls.append(("open_document", str(path)))


@pytest.fixture(autouse=True)
def fake_dialogs():
    from selfeval_app.gui import dialogs

    fake = FakeDialogs()
    previous = dialogs.set_service(fake)
    yield fake
    dialogs.set_service(previous)


@pytest.fixture(autouse=True)
def _qt_warnings_fail(qapp, qtlog):
    yield
    from PySide6.QtCore import QtMsgType

    bad = [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        and not any(h in r.message for h in HARMLESS_QT_MESSAGES)
    ]
    assert not bad, f"Qt warnings: {bad}"


@pytest.fixture(autouse=True)
def _clean_windows(qapp):
    yield
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from selfeval_app.gui import welsh_letters

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()
    welsh_letters.set_enabled(True)
    QLocale.setDefault(QLocale("en_GB"))
    # A window freezes what it holds once open (gui/garbage_collection.py), as an application
    # with one window for its life may; a test process opens hundreds: they are collected again.
    gc.unfreeze()


SCHOOL = {
    "name": {"cy": "Ysgol Gynradd Llanfair-ym-Muallt", "en": "Builth Wells Primary School"},
    "la_code": 667,
    "establishment_number": "667/2001",
    "cluster": "Clwstwr Llanfair",
    "phase": "primary",
    "language_category": None,
    "writes_in": "both",
}


def make_school(data_dir: Path, **changes) -> dict:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    db = open_database(data_dir)
    try:
        store = RecordStore(db, device_id="device-gui-test")
        return store.create("school", {**SCHOOL, **changes}, visibility="la")
    finally:
        db.close()


@pytest.fixture
def school_dir(tmp_path):
    folder = tmp_path / "school-data"
    make_school(folder)
    return folder


@pytest.fixture
def launch(qapp):
    """Start the app like `run()` does, without its event loop; closed after the test."""
    started = []

    def _launch(data_dir, lang=None):
        from selfeval_app.gui.app import start

        ctx = start(data_dir, lang)
        if not isinstance(ctx, int):
            started.append(ctx)
            # The usual start paints the school's name from a light read and opens the session
            # just after that paint (gui/app.py); tests get it at once, before the first paint.
            ctx.finish_opening()
        return ctx

    yield _launch
    for ctx in started:
        ctx.close()
