"""Who may receive a record, in the window: the same control in every editor, the school's
default for new records, and "Share the whole plan with the local authority…"."""

from __future__ import annotations

import datetime as dt

from test_evaluation_page import open_page, stored, type_into, wait_saved
from test_plan_pages import CLOCK, save, set_text

from selfeval_app.core import sharing
from selfeval_app.gui.visibility_chooser import VisibilityChooser


def _profile_default(qtbot, window, visibility):
    dialog = window.edit_profile()
    assert dialog.form.default_visibility.value() == "private"
    dialog.form.default_visibility.combo.setCurrentIndex(dialog.form.default_visibility.combo.findData(visibility))
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        assert dialog.try_save()
    assert window.school()["default_visibility"] == visibility


def test_every_plan_editor_has_the_control_and_new_records_take_the_school_default(launch, school_dir, qtbot, fake_dialogs):
    ctx = launch(school_dir, "en")
    window = ctx.window
    window.clock = CLOCK
    _profile_default(qtbot, window, "peers")
    page = window.show_page("plan")
    d = page.edit_plan()
    assert isinstance(d.visibility_chooser, VisibilityChooser) and d.visibility_chooser.value() == "peers"
    assert d.visibility_chooser.combo.accessibleName() == "Who may receive it"
    set_text(d.title, en="Plan")
    d.start_year.setCurrentIndex(d.start_year.findData(2025))
    save(qtbot, window, d)
    assert page.plan["visibility"] == "peers"
    d = page.edit_priority(new=True)
    set_text(d.texts["title"], en="Reading")
    d.start_year.setCurrentIndex(d.start_year.findData(2025))
    d.end_year.setCurrentIndex(d.end_year.findData(2025))
    d.visibility_chooser.combo.setCurrentIndex(d.visibility_chooser.combo.findData("private"))  # chosen: kept
    save(qtbot, window, d)
    page.priority_list.setCurrentRow(0)
    assert page.current_priority()["visibility"] == "private"
    d = page.criterion_dialog(edit=False)
    set_text(d.description, en="Learners reading at their age")
    assert d.visibility_chooser.value() == "peers"
    save(qtbot, window, d)
    d = page.action_dialog(edit=False)
    set_text(d.description, en="Buy books")
    save(qtbot, window, d)
    d = page.review_dialog(edit=False)
    d.rag.setCurrentIndex(d.rag.findData("green"))
    save(qtbot, window, d)
    ind = window.show_page("indicators").edit(new=True)
    assert ind.visibility_chooser.value() == "peers"
    reader = window.session.reader
    assert {r["visibility"] for t in ("success_criterion", "action", "progress_review") for r in reader.list(t)} == {"peers"}

    # the whole plan to the LA: the confirmation counts what changes; No changes nothing
    page = window.show_page("plan")
    parts = sharing.plan_parts(reader, page.plan["id"])
    assert len(parts) == 5
    fake_dialogs.answers = [False]
    assert not page.share_plan_with_la()
    assert fake_dialogs.calls[-1][0] == "question" and fake_dialogs.calls[-1][2].startswith("5 records of the plan will change")
    assert {reader.get(t, i)["visibility"] for t, i in parts} == {"peers", "private"}
    fake_dialogs.answers = [True]
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        assert page.share_plan_with_la()
    assert {reader.get(t, i)["visibility"] for t, i in parts} == {"la"}
    assert not page.share_plan_with_la()  # nothing left to change: it says so
    assert fake_dialogs.calls[-1][0] == "information"
    ctx.close()


def test_the_evaluation_page_saves_the_chosen_visibility(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    page = open_page(ctx)
    assert page.visibility.value() == "private" and page.visibility.combo.accessibleName() == "Who may receive it"
    page.visibility.combo.setCurrentIndex(page.visibility.combo.findData("la"))  # before it exists
    type_into(qtbot, page.narrative.boxes["en"], "Good progress.")
    wait_saved(qtbot, page)
    assert page.record["visibility"] == "la"
    page.visibility.combo.setCurrentIndex(page.visibility.combo.findData("peers"))  # a change alone
    wait_saved(qtbot, page)
    db, store = stored(ctx.window.session.data_dir)
    try:
        rec = store.get("evaluation", page.record["id"])
        assert rec["visibility"] == "peers" and rec["narrative"]["en"] == "Good progress."
    finally:
        db.close()
    ctx.close()


def test_the_control_speaks_welsh(launch, school_dir, qtbot):
    ctx = launch(school_dir, "cy")
    page = open_page(ctx, dt.datetime(2026, 3, 10, 10, 0))
    assert page.visibility_label.text() == "Pwy gaiff ei dderbyn:"
    assert [page.visibility.combo.itemText(i) for i in range(3)] == [
        "Preifat i'r ysgol",
        "Adolygwyr cymheiriaid",
        "Awdurdod lleol ac adolygwyr cymheiriaid",
    ]
    ctx.window.en_button.click()
    assert page.visibility.combo.itemText(2) == "Local authority and peer reviewers"
    ctx.close()
