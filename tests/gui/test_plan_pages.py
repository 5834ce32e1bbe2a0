"""The development plan screens: building a plan through the GUI, a restart, due/overdue for a
fixed date, "at a glance", bad input (nothing saved), the year end, Welsh mode and switching."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from PySide6.QtCore import QDate, Qt

from selfeval_app.core import framework, i18n
from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import database_path

TODAY = dt.date(2025, 11, 20)  # autumn term 2025–26
CLOCK = FixedClock(dt.datetime(2025, 11, 20, 10, 0))


def count(data_dir, table: str) -> int:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}" WHERE deleted = 0').fetchone()[0]
    finally:
        conn.close()


def open_window(launch, data_dir, lang="en"):
    ctx = launch(data_dir, lang)
    ctx.window.clock = CLOCK
    return ctx


def save(qtbot, window, dialog):
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        dialog.save()


def set_text(bitext, cy="", en=""):
    for lang, text in (("cy", cy), ("en", en)):
        editor = bitext.editors.get(lang)
        if editor is not None:
            editor.setPlainText(text) if hasattr(editor, "setPlainText") else editor.setText(text)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def add_action(qtbot, window, page, description, start, due, cost, committed="", source="pdg", status="in_progress"):
    page.tabs.setCurrentIndex(2)
    d = page.action_dialog(edit=False)
    set_text(d.description, cy=description + " (cy)", en=description)
    d.lead.setText("Mrs Jones")
    for opt, day in ((d.start, start), (d.due, due)):
        opt.given.setChecked(True)
        opt.edit.setDate(qdate(day))
    d.status.setCurrentIndex(d.status.findData(status))
    d.cost.setText(cost)
    d.committed.setText(committed)
    d.funding.setCurrentIndex(d.funding.findData(source))
    save(qtbot, window, d)


def build_plan(qtbot, window):
    page = window.show_page("plan")
    assert page.plan is None and page.plan_button.text() == "&Create the plan…"
    d = page.edit_plan()
    set_text(d.title, cy="Cynllun Datblygu Ysgol 2025–2028", en="School Development Plan 2025–2028")
    d.start_year.setCurrentIndex(d.start_year.findData(2025))
    d.approved.given.setChecked(True)
    d.approved.edit.setDate(QDate(2025, 9, 30))
    d.add_revision.click()
    d.revisions.cellWidget(0, 0).setDate(QDate(2025, 10, 14))
    d.revisions.cellWidget(0, 2).setText("Added a reading priority")
    set_text(d.targets_review, en="Attendance target not met: persistent absence stayed high.")
    save(qtbot, window, d)
    assert page.plan["start_year"] == 2025
    for title in ("Raise standards of reading", "Improve attendance"):
        d = page.edit_priority(new=True)
        set_text(d.texts["title"], cy=title + " (cy)", en=title)
        set_text(d.texts["rationale"], en="Our evaluation showed it.")
        set_text(d.texts["professional_learning"], en="Training for all staff.")
        d.lead.setText("Mr Gwyn")
        d.national.item(0).setCheckState(Qt.CheckState.Checked)
        d.areas.item(0).setCheckState(Qt.CheckState.Checked)
        d.start_year.setCurrentIndex(d.start_year.findData(2025))
        d.end_year.setCurrentIndex(d.end_year.findData(2025 if title.startswith("Improve") else 2026))
        save(qtbot, window, d)
    assert page.priority_list.count() == 2
    page.priority_list.setCurrentRow(0)
    d = page.criterion_dialog(edit=False)
    set_text(d.description, en="Learners reading at their age")
    d.unit.setText("%")
    d.baseline.setText("68")
    d.target.setText("85")
    d.actual.setText("72.5")
    d.status.setCurrentIndex(d.status.findData("in_progress"))
    save(qtbot, window, d)
    add_action(qtbot, window, page, "Buy books", dt.date(2025, 9, 1), dt.date(2025, 11, 2), "£1,250.50", "600", "pdg")
    add_action(qtbot, window, page, "Family sessions", dt.date(2025, 10, 1), dt.date(2025, 11, 29), "300", "", "school_budget")
    add_action(qtbot, window, page, "Train assistants", dt.date(2025, 9, 1), dt.date(2026, 3, 1), "", "", "la_grant", "not_started")
    d = page.review_dialog(edit=False)
    d.date.setDate(QDate(2025, 11, 10))
    d.rag.setCurrentIndex(d.rag.findData("amber"))
    set_text(d.commentary, en="Good start; the new books arrived late.")
    save(qtbot, window, d)
    ind = window.show_page("indicators")
    d = ind.edit(new=True)
    set_text(d.title, cy="Presenoldeb", en="Attendance")
    d.unit.setText("%")
    d.add_row.click()
    d.values.item(0, 0).setText("2024-25 summer")
    d.values.item(0, 1).setText("93.5")
    d.values.item(0, 2).setText("160")
    d.add_row.click()
    d.values.item(1, 1).setText("94.1")
    d.values.item(1, 2).setText("158")
    save(qtbot, window, d)
    return page


def test_build_a_plan_restart_and_everything_is_there(launch, school_dir, qtbot):
    ctx = open_window(launch, school_dir)
    build_plan(qtbot, ctx.window)
    ctx.close()
    assert count(school_dir, "priority") == 2 and count(school_dir, "action") == 3
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = window.show_page("plan")
    plan = page.plan
    assert plan["title"]["en"] == "School Development Plan 2025–2028" and plan["approved_on"] == "2025-09-30"
    assert plan["revisions"] == [{"date": "2025-10-14", "note": {"cy": "", "en": "Added a reading priority"}}]
    assert "Attendance target not met" in page.plan_facts.toPlainText()
    assert [p["title"]["en"] for p in page.priorities] == ["Raise standards of reading", "Improve attendance"]
    reading = page.priorities[0]
    assert reading["lead"] == "Mr Gwyn" and (reading["start_year"], reading["end_year"]) == (2025, 2026)
    assert reading["national_priority_ids"] == [framework.national_priorities()[0].id]
    assert reading["professional_learning"]["en"] == "Training for all staff."
    crit = page.criteria[0]
    assert (crit["baseline"], crit["target"], crit["actual"], crit["unit"], crit["status"]) == (68.0, 85.0, 72.5, "%", "in_progress")
    actions = {a["description"]["en"]: a for a in page.action_records}
    assert actions["Buy books"]["cost_pence"] == 125050 and actions["Buy books"]["committed_pence"] == 60000
    assert actions["Buy books"]["funding_source"] == "pdg" and actions["Buy books"]["due_date"] == "2025-11-02"
    # due and overdue for the fixed date (20 Nov 2025)
    page.priority_list.setCurrentRow(0)
    whens = {page.actions_table.item(r, 0).text(): page.actions_table.item(r, 4).text() for r in range(page.actions_table.rowCount())}
    assert whens == {"Buy books": "Overdue by 18 days", "Family sessions": "Due in 9 days", "Train assistants": "Not started"}
    assert page.actions_table.item(0, 5).text() == "£1,250.50"
    review = page.reviews[0]
    assert (review["academic_year"], review["term"], review["rag"]) == (2025, "autumn", "amber")
    assert page.reviews_table.item(0, 2).text() == "Amber"
    ind = window.show_page("indicators")
    rec = ind.records[0]
    assert rec["values"] == [{"period": "2024-25 summer", "value": 93.5, "cohort": 160}, {"period": "2025-26 autumn", "value": 94.1, "cohort": 158}]
    assert ind.table.item(1, 0).text() == "Autumn term 2025–26" and ind.table.item(1, 1).text() == "94.1%"
    assert "Autumn term 2025–26: 94.1%" in ind.chart.accessibleDescription()
    assert ind.flag.isHidden()
    # glance for the fixed term
    glance = window.show_page("glance")
    assert glance.heading.text() == "Autumn term 2025–26"
    _box, summary, table = glance.sections["priorities"]
    assert table.rowCount() == 2 and table.item(0, 1).text() == "Amber" and table.item(1, 1).text() == "No review"
    _box, summary, table = glance.sections["overdue"]
    assert table.rowCount() == 1 and table.item(0, 3).text() == "18 days late" and summary.text() == "1 action is overdue."
    _box, summary, table = glance.sections["due"]
    assert table.item(0, 0).text() == "Family sessions" and table.item(0, 3).text() == "in 9 days"
    _box, summary, table = glance.sections["money"]
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in (1, 2)] for r in range(table.rowCount())}
    assert rows == {"School budget": ["£300.00", "£0.00"], "Pupil Development Grant": ["£1,250.50", "£600.00"], "Total": ["£1,550.50", "£600.00"]}
    _box, summary, _table = glance.sections["criteria"]
    assert summary.text() == "0 of 1 success criteria met; 0 partly met; 0 not met."
    assert glance.sections["money"][2].accessibleDescription() == "Planned £1,550.50; committed £600.00; not yet committed £950.50."


def test_bad_input_shows_messages_and_saves_nothing(launch, school_dir, qtbot):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    window.show_page("plan")
    before = {t: count(school_dir, t) for t in ("priority", "action", "success_criterion", "plan")}
    # a priority whose last year is before its first, and no title
    d = page.edit_priority(new=True)
    d.start_year.setCurrentIndex(d.start_year.findData(2026))
    d.end_year.setCurrentIndex(d.end_year.findData(2025))
    d.save()
    assert d.problem_text("end_year") == "The last year comes before the first year."
    assert d.problem_text("title") == "Write this in Welsh or English (or both)."
    assert d.errors["end_year"].isVisibleTo(d) and d.isVisible()
    d.reject()
    # an action: due before start, negative cost, non-numeric committed
    page.priority_list.setCurrentRow(0)
    d = page.action_dialog(edit=False)
    set_text(d.description, en="Something")
    d.start.given.setChecked(True)
    d.start.edit.setDate(QDate(2025, 12, 1))
    d.due.given.setChecked(True)
    d.due.edit.setDate(QDate(2025, 11, 1))
    d.cost.setText("-50")
    d.committed.setText("lots")
    d.save()
    assert d.problem_text("due_date") == "The due date comes before the start date."
    assert d.problem_text("cost") == "An amount of money cannot be negative."
    assert d.problem_text("committed") == "Write an amount in pounds, e.g. 1,250 or £1,250.50."
    assert d.cost.accessibleDescription() == "An amount of money cannot be negative."
    # the messages follow a language switch
    window.switch_language("cy")
    assert d.problem_text("due_date") == "Mae'r dyddiad cwblhau yn dod cyn y dyddiad dechrau."
    assert d.errors["cost"].text() == i18n._("An amount of money cannot be negative.")
    d.reject()
    # a criterion with a non-numeric target for a numeric unit, in Welsh
    d = page.criterion_dialog(edit=False)
    set_text(d.description, cy="Darllen")
    d.unit.setText("%")
    d.target.setText("llawer")
    d.save()
    assert d.problem_text("target") == "Ysgrifennwch rif: yr uned yw %."
    d.reject()
    # an indicator value that is not a number
    ind = window.show_page("indicators")
    d = ind.edit(new=True)
    set_text(d.title, cy="Darllen")
    d.add_row.click()
    d.values.item(0, 1).setText("uchel")
    d.save()
    assert d.problem_text("values") == "Ysgrifennwch rif, e.e. 95 neu 12.5."
    d.reject()
    window.switch_language("en")
    after = {t: count(school_dir, t) for t in ("priority", "action", "success_criterion", "plan")}
    assert after == before and count(school_dir, "indicator") == 1


def test_year_end_roll_over_keeps_history(launch, school_dir, qtbot, fake_dialogs):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    window.show_page("plan")
    attendance = page.priorities[1]
    old_rev = attendance["rev"]
    d = page.open_year_end()
    assert d.year.currentData() == 2025 and len(d.rows) == 2
    by_title = {p["title"]["en"]: (outcome, why) for p, _g, _l, outcome, why in d.rows}
    outcome, why = by_title["Improve attendance"]
    outcome.setCurrentIndex(outcome.findData("partly"))
    set_text(why, en="Persistent absence stayed high.")
    fake_dialogs.answers = [False]  # "start the next year?" no: nothing happens
    d.save_and_roll_over()
    assert count(school_dir, "priority") == 2 and d.isVisible()
    fake_dialogs.answers = [True]
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        d.save_and_roll_over()
    assert fake_dialogs.calls[-1][0] == "question"
    priorities = page.priorities
    assert len(priorities) == 3
    copy = next(p for p in priorities if p.get("origin_id") == attendance["id"])
    assert (copy["start_year"], copy["end_year"], copy["title"]["en"]) == (2026, 2026, "Improve attendance")
    original = next(p for p in priorities if p["id"] == attendance["id"])
    assert original["year_end"]["2025"] == {"met": "partly", "why_not": {"cy": "", "en": "Persistent absence stayed high."}}
    assert original["rev"] == old_rev + 1 and original["start_year"] == 2025
    # the reading priority runs into 2026 already: not copied; the history keeps the old version
    assert sum(1 for p in priorities if p["title"]["en"] == "Raise standards of reading") == 1
    history = window.session.reader.history("priority", attendance["id"])
    assert history[1]["content"].get("year_end") in (None, {})


def test_priority_order_and_the_gentle_note(launch, school_dir, qtbot):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    window.show_page("plan")
    page.priority_list.setCurrentRow(1)
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        page.up_button.click()
    assert [p["title"]["en"] for p in page.priorities] == ["Improve attendance", "Raise standards of reading"]
    assert page.priority_note.isHidden()
    for n in range(4):
        d = page.edit_priority(new=True)
        set_text(d.texts["title"], en=f"Extra {n}")
        d.start_year.setCurrentIndex(d.start_year.findData(2025))
        d.end_year.setCurrentIndex(d.end_year.findData(2025))
        save(qtbot, window, d)
    assert not page.priority_note.isHidden()
    assert page.priority_note.text().startswith("6 priorities run in 2025–26.")
    assert page.add_priority_button.isEnabled()  # a note, never a block


def walk(widget, lang_allowed):
    problems = english_problems(collect(widget), lang_allowed)
    missing = interactive_without_name(widget)
    return problems, missing


def test_welsh_mode_walk_and_accessible_names(launch, tmp_path, qtbot):
    from selfeval_app.core.demo import build_example_school

    folder = tmp_path / "example"
    build_example_school(folder, device_id="d", today=TODAY)
    ctx = open_window(launch, folder, "cy")
    window = ctx.window
    window.resize(1300, 850)
    window.show()
    reader = window.session.reader
    data = set()
    for t, fields in (("priority", ("title", "rationale", "expected_outcomes", "strategy", "professional_learning", "community_work", "resources")),
                      ("action", ("description",)), ("success_criterion", ("description",)), ("progress_review", ("commentary",)),
                      ("indicator", ("title", "description")), ("plan", ("title", "strategy", "targets_review")), ("evidence", ("title",)), ("area", ("title",))):
        for rec in reader.list(t):
            for f in fields:
                for lang in ("cy", "en"):
                    text = (rec.get(f) or {}).get(lang) or ""
                    data.add(text)
                    data.update(line for line in text.split("\n"))
            for key in ("lead", "unit", "transition_point"):
                if rec.get(key):
                    data.add(rec[key])
    for ev in reader.list("evaluation"):
        for st in ev["statements"] or []:
            data.update((st.get("text") or {}).values())
    for lang in ("cy", "en"):  # framework data: area titles and national priorities
        data |= {f"{a.number}. {a.title(lang)}" for a in framework.current_framework().areas}
        data |= {n.name(lang) for n in framework.national_priorities()}
    school = window.school()
    data |= {school["name"]["cy"], school["name"]["en"], "Cymraeg", "English"}

    def data_ok(pairs):
        exploded = pairs
        # record text (titles, leads, commentary) and composite rows made of it are data
        return [(w, t) for w, t in exploded if t not in data and not any(d and d in t for d in data if len(d) > 12)]

    for lang in ("cy", "en"):
        window.switch_language(lang)
        page = window.show_page("plan")
        widgets = [("plan page", page)]
        for dialog in (page.edit_plan(), page.edit_priority(), page.criterion_dialog(False), page.action_dialog(False),
                       page.review_dialog(False), page.open_year_end()):
            widgets.append((type(dialog).__name__, dialog))
        page.criteria_table.selectRow(0)
        widgets.append(("criterion edit", page.criterion_dialog(True)))
        widgets.append(("glance", window.show_page("glance")))
        ind = window.show_page("indicators")
        widgets.append(("indicators", ind))
        widgets.append(("indicator dialog", ind.edit()))
        for where, widget in widgets:
            if widget.isWindow():
                widget.show()
            if lang == "cy":
                problems = english_problems(data_ok(collect(widget)), set())
                assert not problems, (where, problems)
            else:
                assert not welsh_problems(collect(widget), data), where
            assert not interactive_without_name(widget), (where, interactive_without_name(widget))
            if widget.isWindow() and widget is not window:
                widget.reject()


def test_live_language_switch_changes_the_pages(launch, school_dir, qtbot):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    build_plan(qtbot, window)
    page = window.show_page("plan")
    glance = window.show_page("glance")
    ind = window.show_page("indicators")
    assert glance.heading.text() == "Autumn term 2025–26"
    window.switch_language("cy")
    assert glance.heading.text() == "Tymor yr hydref 2025–26"
    assert glance.sections["priorities"][2].item(0, 1).text() == "Ambr"
    assert glance.sections["priorities"][2].item(0, 0).text() == "Raise standards of reading (cy)"
    assert page.tabs.tabText(2) == "Camau gweithredu"
    assert page.edit_priority_button.text() == "Golygu'r &flaenoriaeth…"
    page.priority_list.setCurrentRow(0)
    assert page.actions_table.item(0, 4).text().endswith("yn hwyr")
    assert page.priority_list.item(0).text().startswith("1. Raise standards of reading (cy)")
    assert ind.table.item(1, 0).text() == "Tymor yr hydref 2025–26"
    assert ind.chart.accessibleName() == "Siart llinell: Presenoldeb"
    window.switch_language("en")
    assert page.tabs.tabText(2) == "Actions"
    assert glance.sections["priorities"][2].item(0, 0).text() == "Raise standards of reading"


@pytest.mark.parametrize("visibility", ["la", "private"])
def test_small_cohort_flag(launch, school_dir, qtbot, visibility):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    ind = window.show_page("indicators")
    d = ind.edit(new=True)
    set_text(d.title, en="Y6 to Y7 transition reading")
    d.transition.setEditText("Y6–Y7")
    d.visibility.setCurrentIndex(d.visibility.findData(visibility))
    d.add_row.click()
    d.values.item(0, 1).setText("75")
    d.values.item(0, 2).setText("4")
    save(qtbot, window, d)
    rec = ind.records[0]
    assert rec["transition_point"] == "Y6–Y7" and rec["visibility"] == visibility
    if visibility == "la":
        assert not ind.flag.isHidden() and "Fewer than 5 pupils" in ind.flag.text()
        assert ind.table.item(0, 2).text() == "4 (fewer than 5)"
    else:
        assert ind.flag.isHidden() and ind.table.item(0, 2).text() == "4"
