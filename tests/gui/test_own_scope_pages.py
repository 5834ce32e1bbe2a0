"""The head's usual pages on a laptop that also reviews (docs/decisions/ownscope.md): with the
example host's pack held, Self-evaluation, Evidence, Plan, "This term at a glance" and Search list
only the school's own records, and the area narrative typed is saved to the school's evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication
from tests.exchange import own_scope_laptop as osl

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

CLOCK = FixedClock(dt.datetime(2026, 12, 3, 10, 0))  # osl.TODAY: autumn term 2026-27


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return osl.build(tmp_path_factory.mktemp("own-scope-gui"))


@pytest.fixture
def laptop(template, tmp_path):
    return osl.copy(template, tmp_path / "S")


def _open(launch, laptop, qtbot, key):
    ctx = launch(laptop.folder, "en")
    window = ctx.window
    window.clock = CLOCK
    qtbot.waitUntil(lambda: window._painted, timeout=10000)  # noqa: SLF001
    page = window.show_page(key)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30000)
    QApplication.processEvents()
    return ctx, window, page


def _read(laptop, fn):
    db = open_database(laptop.folder)
    try:
        return fn(RecordStore(db, device_id="reader"))
    finally:
        db.close()


def test_the_self_evaluation_page_shows_and_saves_the_schools_own(launch, laptop, qtbot):
    _ctx, window, page = _open(launch, laptop, qtbot, "evaluation")
    assert page.selected_area().id == osl.AREA and page.selected_year() == osl.YEAR
    assert page.record is not None and page.record["id"] == laptop.own["evaluation"]
    assert page.narrative.value() == osl.OUR_NARRATIVE
    years = [page.year_combo.itemData(i) for i in range(page.year_combo.count())]
    assert years == sorted(set(years), reverse=True) and osl.YEAR in years
    box = page.narrative.boxes["en"]
    box.setFocus()
    box.moveCursor(QTextCursor.MoveOperation.End)
    for ch in " today":
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(box, QKeyEvent(kind, Qt.Key(ord(ch.upper())), Qt.KeyboardModifier.NoModifier, ch))
    page.flush()
    qtbot.waitUntil(lambda: not page.has_unsaved_changes(), timeout=10000)
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30000)
    saved = _read(laptop, lambda s: ee.find_evaluation(s, osl.AREA, osl.YEAR))
    assert saved["id"] == laptop.own["evaluation"] and saved["narrative"]["en"] == "Our reading is improving today"
    host = _read(laptop, lambda s: [e for e in s.list("evaluation", owners=laptop.host) if e["area_id"] == osl.AREA])
    assert host and all(e["rev"] == 1 for e in host)  # the host's narrative was neither picked nor touched


def test_the_evidence_page_lists_only_the_schools_evidence(launch, laptop, qtbot):
    _ctx, _window, page = _open(launch, laptop, qtbot, "evidence")
    assert page.model.rowCount() == 1 and page.model.record(0)["id"] == laptop.own["evidence"]
    assert _read(laptop, lambda s: len(s.list("evidence", owners=laptop.host))) > 0


def test_the_plan_and_glance_pages_list_only_the_schools_plan(launch, laptop, qtbot):
    _ctx, window, page = _open(launch, laptop, qtbot, "plan")
    assert page.plan["id"] == laptop.own["plan"]
    assert [p["id"] for p in page.priorities] == [laptop.own["priority"]]
    assert page.priority_list.count() == 1
    indicators = window.show_page("indicators")
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30000)
    assert [r["id"] for r in indicators.records] == [laptop.own["indicator"]]
    glance = window.show_page("glance")
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=30000)
    _box, _summary, table = glance.sections["priorities"]
    assert table.rowCount() == 1
    _box, summary, table = glance.sections["overdue"]
    assert table.rowCount() == 1 and summary.text() == "1 action is overdue."


def test_the_search_page_finds_only_the_schools_records(launch, laptop, qtbot):
    ctx, _window, page = _open(launch, laptop, qtbot, "search")
    for text, expected in ((osl.WORD, {laptop.own["evaluation"], laptop.own["evidence"], laptop.own["priority"]}), ("reading", None)):
        page.box.setText(text)
        with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
            page.box.returnPressed.emit()
        ids = {h.record_id for h in page.model.hits}
        owners = _read(laptop, lambda s, ids=ids, hits=page.model.hits: {s.get(h.type, h.record_id)["owner"] for h in hits if h.type not in ("school", "review_visit")})
        assert owners <= {laptop.school}
        if expected:
            assert ids >= expected
