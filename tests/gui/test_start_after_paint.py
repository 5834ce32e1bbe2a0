"""The usual start (issue 16, DESIGN §12): the window is made from a light, read-only look at the
school's name (core/school_glance.py) and the session opens just after its first paint; data that
cannot be opened after all is explained as at any start and the window closes."""

from __future__ import annotations

from selfeval_app.core.writer_lock import WriterLock


def test_the_session_opens_just_after_the_first_paint(school_dir, qapp, qtbot):
    from selfeval_app.gui.app import start

    ctx = start(school_dir, "en")
    try:
        window = ctx.window
        assert ctx.session is None and window.session is None  # not yet: the name comes first
        assert window.name_label.text() == "Builth Wells Primary School"
        qtbot.waitUntil(lambda: ctx.session is not None, timeout=10000)
        assert window.session is ctx.session and window.school()["establishment_number"] == "667/2001"
        qtbot.waitUntil(lambda: window.school_page.attention is not None, timeout=10000)  # the home filled
        assert ctx.server is not None  # the single-instance server followed
    finally:
        ctx.close()


def test_data_that_cannot_be_opened_after_the_paint_is_explained_and_the_window_closes(school_dir, qapp, qtbot, fake_dialogs):
    from selfeval_app.gui.app import start

    restore = WriterLock(school_dir)  # a restore holds the writer lock (the light look cannot tell)
    assert restore.acquire_exclusive()
    try:
        ctx = start(school_dir, "en")
        assert ctx.window is not None and ctx.session is None
        qtbot.waitUntil(lambda: ctx.window is None, timeout=10000)
        assert ctx.session is None and ctx.lock is None  # everything let go
        assert ctx.exit_code == 1  # what run() returns
        warnings = [c for c in fake_dialogs.calls if c[0] == "warning"]
        assert len(warnings) == 1 and "restore" in warnings[0][2].lower(), fake_dialogs.calls
    finally:
        restore.release()


def test_the_report_fonts_added_after_the_first_paint_change_no_widgets_font(school_dir):
    """Adding the report fonts (Noto Sans) after the first paint may make fontconfig resolve the
    generic family differently; the window's font is named as the application is made, so no
    widget gets a FontChange then (it used to reach every widget: ~40 ms of main-thread work in
    the typing benchmark's first second). In a fresh process: this one's fonts are added already."""
    import os
    import subprocess
    import sys

    script = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from selfeval_app.gui import report_fonts
from selfeval_app.gui.app import start
ctx = start(sys.argv[1], "en")
changed = []
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.FontChange:
            changed.append(type(obj).__name__ + ":" + obj.objectName())
        return False
watch = Watch()
ctx.qapp.installEventFilter(watch)
def done():
    if report_fonts._family is None or ctx.session is None:
        QTimer.singleShot(20, done)
        return
    QTimer.singleShot(200, ctx.qapp.quit)
QTimer.singleShot(0, done)
ctx.qapp.exec()
ctx.close()
print(len(changed), sorted(set(changed))[:5])
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script, str(school_dir)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    # A widget given its own font after the paint (a heading made then) gets one FontChange of
    # its own; the application's font changing reached every widget (72 in this window).
    assert int(out.stdout.split()[0]) < 5, out.stdout


def test_the_home_is_placed_when_first_shown_if_another_page_was_opened_first(school_dir, qapp, qtbot):
    """Placing a page polishes every widget of it; the home waits for its first showing when
    another page is on screen as the session opens (a page opened from the command line, a test)."""
    from selfeval_app.gui.app import start

    ctx = start(school_dir, "en")
    try:
        window = ctx.window
        ctx.finish_opening()
        window.show_page("evaluation")
        qtbot.waitUntil(lambda: window.school_page.attention is not None, timeout=10000)  # the home's data read
        assert window.home_key not in window._placed  # noqa: SLF001
        window.show_page(window.home_key)
        assert window.home_key in window._placed and window.stack.currentWidget().isVisible()  # noqa: SLF001
        assert window.current_page_key() == window.home_key
    finally:
        ctx.close()
