"""The school's Partnerships page: a partnership with partner schools (from the LA's list and
typed), purpose, linked priority, maturity with its sentence, visibility; a joint activity under
it; editing, bad input (nothing saved), deleting; Welsh mode with no English left."""

from __future__ import annotations

import datetime as dt
import sqlite3

from gui_walk import collect, english_problems, interactive_without_name
from PySide6.QtCore import QDate

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import database_path, open_database
from selfeval_app.core.records import RecordStore

CLOCK = FixedClock(dt.datetime(2025, 11, 20, 10, 0))


def count(data_dir, table: str) -> int:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}" WHERE deleted = 0').fetchone()[0]
    finally:
        conn.close()


def add_priority_and_list(data_dir) -> str:
    """A plan priority to link, and the LA's list of schools held at the school (la_school)."""
    db = open_database(data_dir)
    try:
        store = RecordStore(db, device_id="device-gui-test")
        plan = store.create("plan", {"title": {"cy": "Cynllun", "en": "Plan"}, "start_year": 2025})
        priority = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Codi safonau darllen", "en": "Raise standards of reading"}, "position": 1})
        with store.transaction():
            store.conn.execute("INSERT INTO la_school (number, name_cy, name_en, imported_at) VALUES (?, ?, ?, ?)", ("667/2002", "Ysgol y Bryn", "Bryn School", "2025-09-01T00:00:00Z"))
        return priority["id"]
    finally:
        db.close()


def save(qtbot, window, dialog):
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        dialog.save()


def test_partnership_and_activity_through_the_page(launch, school_dir, qtbot, fake_dialogs):
    priority_id = add_priority_and_list(school_dir)
    ctx = launch(school_dir, "en")
    window = ctx.window
    window.clock = CLOCK
    page = window.show_page("partnerships")
    assert page.tree.topLevelItemCount() == 0 and not page.empty.isHidden()

    d = page.edit_partnership(new=True)
    d.kind.setCurrentIndex(d.kind.findData("cluster"))
    d.name.editors["en"].setText("Builth cluster")
    d.name.editors["cy"].setText("Clwstwr Llanfair")
    assert d.partners.from_list.isVisibleTo(d) and d.partners.from_list.count() == 1
    d.partners.add_listed()
    d.partners.typed_name.setText("Ysgol Dinas")
    d.partners.typed_number.setText("667/2003")
    d.partners.add_typed()
    assert d.partners.list.count() == 2
    d.purpose.editors["en"].setPlainText("Reading across the cluster")
    d.priorities.item(0).setCheckState(d.priorities.item(0).checkState().__class__.Checked)
    d.maturity.buttons["established"].setChecked(True)
    assert "regularly" in d.maturity.sentences["established"].text()
    d.visibility_chooser.combo.setCurrentIndex(d.visibility_chooser.combo.findData("la"))
    save(qtbot, window, d)
    p = page.partnerships[0]
    assert p["kind"] == "cluster" and p["maturity"] == "established" and p["visibility"] == "la"
    assert p["priority_ids"] == [priority_id]
    assert {x["number"] for x in p["partners"]} == {"667/2002", "667/2003"}
    assert next(x for x in p["partners"] if x["number"] == "667/2002")["name"]["cy"] == "Ysgol y Bryn"
    html = page.detail.toPlainText()
    assert "Step 3 of 4: Established" in html and "regularly" in html and "Bryn School (667/2002)" in html

    a = page.edit_activity(new=True)
    a.title.editors["en"].setText("Joint book look")
    a.start.setDate(QDate(2025, 10, 9))
    a.participants.editors["en"].setPlainText("Heads and literacy leads of both schools")
    a.what_changed.editors["en"].setPlainText("A shared marking code")
    assert a.visibility_chooser.value() == "la"  # the partnership's, by default
    save(qtbot, window, a)
    assert count(school_dir, "joint_activity") == 1
    top = page.tree.topLevelItem(0)
    assert top.childCount() == 1 and top.child(0).text(0) == "Joint book look"
    assert page.chosen()[0] == "joint_activity"
    assert "A shared marking code" in page.detail.toPlainText()

    # Bad input: an activity with no title saves nothing and says why, inline.
    bad = page.edit_activity(new=True)
    bad.save()
    assert "title" in bad.problem_text("title").lower() or bad.problem_text("title")
    assert count(school_dir, "joint_activity") == 1
    bad.reject()

    # Edit the partnership's maturity.
    page.tree.setCurrentItem(top)
    e = page.edit_chosen()
    e.maturity.buttons["embedded"].setChecked(True)
    save(qtbot, window, e)
    assert page.partnerships[0]["maturity"] == "embedded"

    # Delete (asks first): the partnership goes with its activity.
    fake_dialogs.answers.append(True)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        assert page.delete_chosen()
    assert count(school_dir, "partnership") == 0 and count(school_dir, "joint_activity") == 0
    assert fake_dialogs.calls[-1][0] == "question"


def test_partnerships_in_welsh(launch, school_dir, qtbot):
    add_priority_and_list(school_dir)
    ctx = launch(school_dir, "cy")
    window = ctx.window
    page = window.show_page("partnerships")
    from test_gui_walk import data_strings

    allowed = data_strings("cy") | {"Ysgol y Bryn (667/2002)", "Codi safonau darllen"}
    problems = english_problems(collect(window), allowed)
    d = page.edit_partnership(new=True)
    problems += english_problems(collect(d), allowed)
    assert not interactive_without_name(d)
    d.reject()
    assert not problems, problems
