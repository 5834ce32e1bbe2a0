"""Deleting from the development plan screens and undoing it: each kind of record, a priority with
its parts (checked in the SQLite file), cancelling, the Delete key and Ctrl+Z, "at a glance" and
the governors' report after a delete, a roll-over original, Welsh mode and a language switch while
the Undo bar shows."""

from __future__ import annotations

import sqlite3

from gui_walk import collect, english_problems, interactive_without_name
from PySide6.QtCore import Qt
from test_plan_pages import CLOCK, TODAY, build_plan, count, open_window, save, set_text

from selfeval_app.core import plan_figures as pf
from selfeval_app.core.database import database_path


def deleted_flags(data_dir, table: str) -> dict[str, int]:
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return dict(conn.execute(f'SELECT id, deleted FROM "{table}"').fetchall())
    finally:
        conn.close()


def focus(qtbot, window, widget) -> None:
    """Keys reach shortcuts only in the active window, with the focus in the page."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    widget.setFocus()


def click_and_wait(qtbot, window, button):
    with qtbot.waitSignal(window.recordsChanged, timeout=10000) as blocker:
        button.click()
    return blocker.args[0]


def test_delete_each_kind_and_undo(launch, school_dir, qtbot, fake_dialogs):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    window.show()
    qtbot.waitExposed(window)
    page = build_plan(qtbot, window)
    window.show_page("plan")
    page.priority_list.setCurrentRow(0)
    for tab, table, button, type_name, deleted_text in (
        (1, page.criteria_table, page.delete_criterion, "success_criterion", "Success criterion deleted: “Learners reading at their age”."),
        (2, page.actions_table, page.delete_action, "action", "Action deleted: “Buy books”."),
        (3, page.reviews_table, page.delete_review, "progress_review", "Progress review dated 10/11/2025 deleted."),
    ):
        page.tabs.setCurrentIndex(tab)
        assert not button.isEnabled()  # nothing chosen yet
        table.setCurrentCell(0, 0)
        assert button.isEnabled()
        chosen = table.item(0, 0).data(Qt.ItemDataRole.UserRole)
        before = count(school_dir, type_name)
        fake_dialogs.answers = [True]
        changed = click_and_wait(qtbot, window, button)
        assert changed == {type_name}
        kind, title, text = fake_dialogs.calls[-1]
        assert kind == "question" and title.startswith("Delete the ")
        assert count(school_dir, type_name) == before - 1 and deleted_flags(school_dir, type_name)[chosen] == 1
        assert chosen not in {table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount())}
        assert page.undo_bar.isVisible() and page.undo_bar.label.text() == deleted_text
        click_and_wait(qtbot, window, page.undo_bar.button)
        assert count(school_dir, type_name) == before and deleted_flags(school_dir, type_name)[chosen] == 0
        assert page.undo_bar.isHidden() and page.tabs.currentIndex() == tab
        assert chosen in {table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount())}
    # the review question names its date
    assert any("Delete the progress review dated 10/11/2025?" in c[2] for c in fake_dialogs.calls if c[0] == "question")
    # an indicator, with the Delete key in the list and Ctrl+Z
    ind = window.show_page("indicators")
    ind.list.setCurrentRow(0)
    focus(qtbot, window, ind.list)
    fake_dialogs.answers = [True]
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        qtbot.keyClick(ind.list, Qt.Key.Key_Delete)
    assert fake_dialogs.calls[-1][2].startswith("Delete the indicator “Attendance”?")
    assert count(school_dir, "indicator") == 0 and ind.list.count() == 0 and not ind.delete_button.isEnabled()
    assert ind.undo_bar.label.text() == "Indicator deleted: “Attendance”."
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        qtbot.keyClick(ind.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert count(school_dir, "indicator") == 1 and ind.list.count() == 1 and ind.current()["title"]["en"] == "Attendance"
    assert ind.undo_bar.isHidden()


def test_priority_with_its_parts_deleted_and_undone_together(launch, school_dir, qtbot, fake_dialogs):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    window.show()
    qtbot.waitExposed(window)
    page = build_plan(qtbot, window)
    window.show_page("plan")
    reading = page.priorities[0]
    parts = {
        "success_criterion": {c["id"] for c in page.criteria if c["priority_id"] == reading["id"]},
        "action": {a["id"] for a in page.action_records if a["priority_id"] == reading["id"]},
        "progress_review": {v["id"] for v in page.reviews if v["priority_id"] == reading["id"]},
    }
    assert [len(v) for v in parts.values()] == [1, 3, 1]
    page.priority_list.setCurrentRow(0)
    focus(qtbot, window, page.priority_list)
    fake_dialogs.answers = [True]
    with qtbot.waitSignal(window.recordsChanged, timeout=10000) as blocker:
        qtbot.keyClick(page.priority_list, Qt.Key.Key_Delete)  # the Delete key in the list
    assert blocker.args[0] == {"priority", "success_criterion", "action", "progress_review"}
    _kind, title, text = fake_dialogs.calls[-1]
    assert title == "Delete the priority"
    assert text.startswith("Delete the priority “Raise standards of reading”?")
    assert "Its success criteria (1), actions (3) and progress reviews (1) are deleted with it." in text
    assert "carried forward" not in text
    # the real file: the priority and all its parts are tombstones, the other priority is not
    assert deleted_flags(school_dir, "priority") == {reading["id"]: 1, page.priorities[0]["id"]: 0}
    for table, ids in parts.items():
        flags = deleted_flags(school_dir, table)
        assert all(flags[i] == 1 for i in ids)
    assert [p["title"]["en"] for p in page.priorities] == ["Improve attendance"]
    assert page.undo_bar.label.text() == "Priority deleted, with its success criteria, actions and progress reviews: “Raise standards of reading”."
    # Ctrl+Z on the page brings all of it back, in one go
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        qtbot.keyClick(page.priority_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert deleted_flags(school_dir, "priority")[reading["id"]] == 0
    for table, ids in parts.items():
        flags = deleted_flags(school_dir, table)
        assert all(flags[i] == 0 for i in ids)
    assert page.current_priority_id() == reading["id"] and page.actions_table.rowCount() == 3
    restored = window.session.reader.get("priority", reading["id"])
    assert restored["title"] == reading["title"] and restored["position"] == reading["position"]
    assert page.undo_bar.isHidden() and not page.undo_bar.shortcut.isEnabled()


def test_cancelling_changes_nothing(launch, school_dir, qtbot, fake_dialogs):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    window.show_page("plan")
    before = {t: deleted_flags(school_dir, t) for t in ("priority", "action", "success_criterion", "progress_review")}
    page.priority_list.setCurrentRow(0)
    changes = []
    window.recordsChanged.connect(changes.append)
    fake_dialogs.answers = [False]
    assert page.delete_priority() is False
    page.tabs.setCurrentIndex(2)
    page.actions_table.setCurrentCell(0, 0)
    fake_dialogs.answers = [False]
    page.delete_action.click()
    assert [c[0] for c in fake_dialogs.calls[-2:]] == ["question", "question"]
    # the worker runs jobs in order: once a marker job is done, any delete would have been too
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        window.run_job(lambda session: None, changed={"marker"})
    assert changes == [{"marker"}] and page.undo_bar.isHidden()
    assert {t: deleted_flags(school_dir, t) for t in before} == before


def test_glance_and_reports_no_longer_count_a_deleted_action(launch, school_dir, qtbot, fake_dialogs):
    from selfeval_app.reports.governors import gather

    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    glance = window.show_page("glance")
    assert glance.sections["overdue"][1].text() == "1 action is overdue."
    window.show_page("plan")
    page.priority_list.setCurrentRow(0)
    page.tabs.setCurrentIndex(2)
    row = next(r for r in range(page.actions_table.rowCount()) if page.actions_table.item(r, 0).text() == "Buy books")
    page.actions_table.setCurrentCell(row, 0)
    fake_dialogs.answers = [True]
    click_and_wait(qtbot, window, page.delete_action)
    reader = window.session.reader
    actions = reader.list("action")
    assert "Buy books" not in {a["description"]["en"] for a in actions}
    money = pf.money_by_source(actions)
    assert "pdg" not in money and pf.total_money(money).planned_pence == 30000
    assert not any(pf.action_status(a, TODAY) == "overdue" for a in actions)
    data = gather(reader, 2025, "autumn", TODAY)
    assert {a["description"]["en"] for a in data.actions} == {"Family sessions", "Train assistants"}
    glance = window.show_page("glance")
    assert glance.sections["overdue"][1].text() == "No action is overdue." and glance.sections["overdue"][2].rowCount() == 0
    assert glance.sections["money"][2].accessibleDescription() == "Planned £300.00; committed £0.00; not yet committed £300.00."
    # undo from the plan page: the glance counts it again
    window.show_page("plan")
    click_and_wait(qtbot, window, page.undo_bar.button)
    glance = window.show_page("glance")
    assert glance.sections["overdue"][1].text() == "1 action is overdue."


def test_deleting_a_roll_over_original_says_so_and_the_copy_stays(launch, school_dir, qtbot, fake_dialogs):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    window.show_page("plan")
    d = page.open_year_end()
    fake_dialogs.answers = [True]
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        d.save_and_roll_over()
    original = next(p for p in page.priorities if p["title"]["en"] == "Improve attendance" and not p.get("origin_id"))
    copy = next(p for p in page.priorities if p.get("origin_id") == original["id"])
    page.priority_list.setCurrentRow([p["id"] for p in page.priorities].index(original["id"]))
    fake_dialogs.answers = [True]
    click_and_wait(qtbot, window, page.delete_priority_button)
    text = fake_dialogs.calls[-1][2]
    assert "It was carried forward into a later year: that copy stays, still linked to this original" in text
    reader = window.session.reader
    assert reader.get("priority", original["id"]) is None
    assert reader.get("priority", copy["id"])["origin_id"] == original["id"]
    assert reader.history("priority", original["id"])[0]["content"]["title"]["en"] == "Improve attendance"


def test_the_next_action_ends_the_undo(launch, school_dir, qtbot, fake_dialogs):
    ctx = open_window(launch, school_dir)
    window = ctx.window
    page = build_plan(qtbot, window)
    window.show_page("plan")
    page.priority_list.setCurrentRow(0)
    page.tabs.setCurrentIndex(1)
    page.criteria_table.setCurrentCell(0, 0)
    fake_dialogs.answers = [True]
    click_and_wait(qtbot, window, page.delete_criterion)
    assert page.undo_bar.isVisible()
    d = page.edit_priority()
    set_text(d.texts["title"], en="Raise standards of reading and writing")
    save(qtbot, window, d)
    assert page.undo_bar.isHidden() and not page.undo_bar.shortcut.isEnabled()
    page.undo_bar.undo()  # nothing to undo: nothing happens
    assert count(school_dir, "success_criterion") == 0


def test_welsh_mode_walk_names_and_switch_while_undo_shows(launch, tmp_path, qtbot, fake_dialogs):
    from selfeval_app.core.demo import build_example_school

    folder = tmp_path / "example"
    build_example_school(folder, device_id="d", today=TODAY)
    ctx = open_window(launch, folder, "cy")
    window = ctx.window
    window.clock = CLOCK
    window.resize(1300, 850)
    window.show()
    reader = window.session.reader
    page = window.show_page("plan")
    page.priority_list.setCurrentRow(0)
    priority = page.current_priority()
    fake_dialogs.answers = [True]
    click_and_wait(qtbot, window, page.delete_priority_button)
    _kind, title, text = fake_dialogs.calls[-1]
    assert title == "Dileu'r flaenoriaeth"
    assert text.startswith(f"Dileu'r flaenoriaeth “{priority['title']['cy']}”?")
    assert "yn cael eu dileu gyda hi." in text and "Gallwch ddadwneud hyn yn syth wedyn." in text
    assert page.undo_bar.isVisible()
    assert page.undo_bar.label.text().startswith("Dilëwyd y flaenoriaeth")
    assert priority["title"]["cy"] in page.undo_bar.label.text()
    ind = window.show_page("indicators")
    ind.list.setCurrentRow(0)
    indicator = ind.current()
    fake_dialogs.answers = [True]
    click_and_wait(qtbot, window, ind.delete_button)
    assert ind.undo_bar.label.text() == f"Dilëwyd y dangosydd: “{indicator['title']['cy']}”."
    data = {priority["title"]["cy"], indicator["title"]["cy"]}
    for rec in reader.list("priority") + reader.list("indicator"):
        data.update((rec.get("title") or {}).values())
    for rec in reader.list("action") + reader.list("success_criterion"):
        data.update((rec.get("description") or {}).values())
    for rec in reader.list("progress_review"):
        data.update((rec.get("commentary") or {}).values())
    for rec in reader.list("priority") + reader.list("action"):
        if rec.get("lead"):
            data.add(rec["lead"])
    for rec in reader.list("plan"):
        for f in ("title", "strategy", "targets_review"):
            data.update((rec.get(f) or {}).values())
        for r in rec.get("revisions") or []:
            data.update((r.get("note") or {}).values())
    for rec in reader.list("priority"):
        for f in ("rationale", "expected_outcomes", "strategy", "professional_learning", "community_work", "resources"):
            data.update((rec.get(f) or {}).values())
    for rec in reader.list("indicator"):
        data.update((rec.get("description") or {}).values())
        if rec.get("unit"):
            data.add(rec["unit"])

    def is_data(text: str) -> bool:
        return text in data or any(d and len(d) > 12 and d in text for d in data)

    def welsh_walk(widget):
        pairs = [(w, t) for w, t in collect(widget) if not is_data(t)]
        return english_problems(pairs, set())

    for widget in (page, ind):
        window.show_page("plan" if widget is page else "indicators")
        assert not welsh_walk(widget), welsh_walk(widget)
        assert not interactive_without_name(widget)
    assert page.delete_priority_button.accessibleName() == "Dileu'r flaenoriaeth a ddewiswyd"
    assert page.delete_action.accessibleName() == "Dileu'r cam gweithredu a ddewiswyd"
    assert page.undo_bar.button.accessibleName() == "Dadwneud y dileu" and page.undo_bar.button.text() == "&Dadwneud"
    assert ind.delete_button.accessibleName() == "Dileu'r dangosydd a ddewiswyd"
    # a live switch while the bars show: the words and the record's title change language
    window.switch_language("en")
    assert not page.undo_bar.isHidden() and page.undo_bar.label.text().startswith("Priority deleted")
    assert priority["title"]["en"] in page.undo_bar.label.text()
    assert ind.undo_bar.label.text() == f"Indicator deleted: “{indicator['title']['en']}”."
    assert page.undo_bar.button.text() == "&Undo" and page.undo_bar.button.accessibleName() == "Undo the deletion"
    assert page.delete_priority_button.accessibleName() == "Delete the chosen priority"
    assert page.delete_review.text() == "De&lete the review…" and ind.delete_button.text() == "&Delete the indicator…"
    for widget in (page, ind):
        assert not interactive_without_name(widget)
    # and Undo still works after the switch
    window.show_page("plan")
    click_and_wait(qtbot, window, page.undo_bar.button)
    assert reader.get("priority", priority["id"]) is not None and page.current_priority_id() == priority["id"]


def test_confirmation_words_for_copies_and_reports():
    from selfeval_app.core import i18n
    from selfeval_app.core.plan_edit import DeleteImpact
    from selfeval_app.gui.plan.deleting import confirmation

    priority = {"title": {"cy": "Gwella presenoldeb", "en": "Improve attendance"}}
    text = confirmation("priority", priority, DeleteImpact(criteria=2, actions=0, reviews=1, copies=2, reports=1))
    assert "Its success criteria (2), actions (0) and progress reviews (1) are deleted with it." in text
    assert "those 2 copies stay, still linked to this original" in text
    assert "A report already issued drew on it; issued reports are not changed." in text
    action = {"description": {"cy": "Prynu " + "llyfrau " * 30, "en": "Buy books"}}
    i18n.set_language("cy")
    try:
        text = confirmation("priority", priority, DeleteImpact(copies=1))
        assert text.startswith("Dileu'r flaenoriaeth “Gwella presenoldeb”?")
        assert "Cafodd ei chario ymlaen i flwyddyn ddiweddarach: bydd y copi hwnnw'n aros" in text
        text = confirmation("action", action, DeleteImpact(reports=1))
        name = text.split("“", 1)[1].split("”", 1)[0]
        assert len(name) <= 120 and name.endswith("…")  # a long description is cut short
        assert "Defnyddiwyd y cofnod hwn mewn adroddiad" in text and "Its " not in text
    finally:
        i18n.set_language("en")
