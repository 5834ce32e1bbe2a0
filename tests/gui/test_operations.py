"""The one operation helper (gui/operations.py): what a write changed is announced from the
core's own record of it, and a PDF is rendered off the database writer, so saves go on."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import build_example_school
from selfeval_app.core.records import RecordStore

TODAY = dt.date(2026, 11, 23)


def _announced(qtbot, window, action):
    with qtbot.waitSignal(window.recordsChanged, timeout=10000) as changed:
        action()
    return changed.args[0]


def test_a_school_save_announces_school(launch, school_dir, qtbot):
    window = launch(school_dir, "en").window
    rec = window.school()
    saved = []
    types = _announced(qtbot, window, lambda: window.save_school({"cluster": "Clwstwr Newydd"}, rec["id"], rec["rev"], saved.append, None))
    assert types == {"school"}
    assert saved[0]["cluster"] == "Clwstwr Newydd" and window.school()["cluster"] == "Clwstwr Newydd"


def test_a_job_that_lists_nothing_still_announces_what_it_wrote(launch, school_dir, qtbot):
    window = launch(school_dir, "en").window

    def job(session):
        plan = session.store.create("plan", {"start_year": 2025})
        session.store.create("priority", {"plan_id": plan["id"], "title": {"en": "Reading"}})

    assert _announced(qtbot, window, lambda: window.run_job(job)) == {"plan", "priority"}


def test_a_failed_job_announces_nothing(launch, school_dir, qtbot, fake_dialogs):
    window = launch(school_dir, "en").window
    announced = []
    window.recordsChanged.connect(announced.append)

    def job(session):
        with session.store.transaction():
            session.store.create("plan", {"start_year": 2025})
            session.store.create("priority", {"title": {"en": "no plan id"}, "plan_id": None})  # required: fails

    with qtbot.waitSignal(window.worker.jobDone, timeout=10000):
        window.run_job(job)
    assert announced == []
    assert fake_dialogs.calls and fake_dialogs.calls[-1][0] == "warning"


@pytest.fixture
def example_dir(tmp_path):
    folder = tmp_path / "example"
    build_example_school(folder, device_id="device-operations-test", today=TODAY)
    return folder


def test_a_save_completes_while_a_pdf_renders(launch, example_dir, qtbot, tmp_path, monkeypatch):
    """The render is held (an injected slow render); a school save meanwhile is committed and
    announced. On the old code the render ran on the one database writer and the save waited."""
    from selfeval_app.reports import layout

    started, release = threading.Event(), threading.Event()
    real_render = layout.render

    def slow_render(*args, **kwargs):
        started.set()
        release.wait(30)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(layout, "render", slow_render)
    ctx = launch(example_dir, "en")
    window = ctx.window
    window.clock = FixedClock(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC))
    dialog = window.open_reports()
    dialog.draft.setChecked(False)
    made = []
    dialog.reportMade.connect(made.append)
    try:
        dialog.make(tmp_path / "report.pdf")
        qtbot.waitUntil(started.is_set, timeout=30000)
        rec = window.school()
        types = _announced(qtbot, window, lambda: window.save_school({"cluster": "Clwstwr y Wennol"}, rec["id"], rec["rev"], lambda _r: None, None))
        assert types == {"school"}
        assert not made  # the report is still rendering
        db = open_database(example_dir)
        try:
            assert RecordStore(db, device_id="reader").school()["cluster"] == "Clwstwr y Wennol"
        finally:
            db.close()
    finally:
        release.set()
    with qtbot.waitSignal(window.recordsChanged, timeout=30000) as changed:
        qtbot.waitUntil(lambda: bool(made), timeout=30000)
    assert changed.args[0] == {"report_issue"}
    assert made[0].issue_id is not None


def test_nothing_in_the_gui_bypasses_the_operation_helper():
    """Only gui/operations.py hands jobs to the database worker (so every write is announced)."""
    from pathlib import Path

    import selfeval_app.gui as gui

    bypass = [
        f"{path.name}:{n}"
        for path in Path(gui.__file__).parent.rglob("*.py")
        if path.name not in ("operations.py", "worker.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".submit(" in line
    ]
    assert bypass == []
