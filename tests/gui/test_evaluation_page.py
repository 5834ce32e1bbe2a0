"""The evaluation page: writing in both languages survives a restart, autosave states, one history
version per editing session and restore, a new academic year as a copy, conflicts, evidence links."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from conftest import make_school
from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

TODAY = dt.datetime(2026, 3, 10, 10, 0)  # academic year 2025–26


def stored(data_dir: Path):
    """A fresh store on the folder (another connection, like a second process)."""
    db = open_database(data_dir)
    return db, RecordStore(db, device_id="reader")


def open_page(ctx, when=TODAY):
    window = ctx.window
    window.clock = FixedClock(when)
    return window.show_page("evaluation")


def type_into(qtbot, widget, text: str, *, at_end: bool = True) -> None:
    """Type as a keyboard does, one key event per character (Welsh letters too: QTest's own
    keyClicks knows only ASCII), at the end of the text unless told otherwise."""
    widget.setFocus()
    if at_end:
        widget.moveCursor(QTextCursor.MoveOperation.End)
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown if ord(ch) > 127 else Qt.Key(ord(ch.upper())), Qt.KeyboardModifier.NoModifier, ch))


def wait_saved(qtbot, page) -> None:
    page.flush()
    qtbot.waitUntil(lambda: not page.has_unsaved_changes(), timeout=10000)


def test_write_in_both_languages_restart_and_find_it(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    page = open_page(ctx)
    assert page.writes_in() == "both"
    assert page.narrative.boxes["cy"].isVisibleTo(page) and page.narrative.boxes["en"].isVisibleTo(page)
    area = page.selected_area()
    assert area.id == "estyn-2024-1" and page.selected_year() == 2025
    assert page.record is None

    type_into(qtbot, page.narrative.boxes["cy"], "Mae’r dysgwyr yn ŵyr i’r ysgol; tŷ, gêm, môr, llên, ŷd.")
    assert page.state_label.text() == "Saving…"
    # The missing English is marked gently (the school writes in both).
    assert page.narrative.notes["en"].isVisibleTo(page)
    assert page.narrative.notes["en"].text() == "Not written in English yet"
    type_into(qtbot, page.narrative.boxes["en"], "Learners make good progress.")
    assert not page.narrative.notes["en"].isVisibleTo(page)

    row = page.sections["strength"].add_new()
    type_into(qtbot, row.editor.boxes["cy"], "Darllen â brwdfrydedd ŵ ŷ â ê î ô û")
    type_into(qtbot, row.editor.boxes["en"], "Reading with enthusiasm")
    step = page.sections["next_step"].add_new()
    type_into(qtbot, step.editor.boxes["cy"], "Cynnwys teuluoedd di-Gymraeg")
    # The page saves by itself after a pause (the 1 s timer), through the worker.
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        pass
    qtbot.waitUntil(lambda: page.state_label.text() == "Saved", timeout=10000)
    assert ctx.window.status_label.text() == "Saved"
    assert step.evidence_count == 0 and step.note.isVisibleTo(page) and step.note.text() == "No evidence linked yet"
    ctx.close()

    db, store = stored(school_dir)
    rec = ee.find_evaluation(store, "estyn-2024-1", 2025)
    assert rec["framework_id"] == "estyn-2024" and rec["framework_version"]
    assert rec["narrative"]["cy"].startswith("Mae’r dysgwyr yn ŵyr")
    db.close()

    again = launch(school_dir, "cy")
    page = open_page(again)
    assert page.narrative.value() == {"cy": "Mae’r dysgwyr yn ŵyr i’r ysgol; tŷ, gêm, môr, llên, ŷd.", "en": "Learners make good progress."}
    strengths = page.sections["strength"].statements()
    assert [s["text"] for s in strengths] == [{"cy": "Darllen â brwdfrydedd ŵ ŷ â ê î ô û", "en": "Reading with enthusiasm"}]
    steps = page.sections["next_step"].statements()
    assert steps[0]["text"]["cy"] == "Cynnwys teuluoedd di-Gymraeg"
    assert page.sections["next_step"].rows[0].editor.notes["en"].text() == "Heb ei ysgrifennu yn Saesneg eto"
    assert page.state_label.text() == "Wedi'i gadw"


def test_closing_the_window_saves_what_was_typed_at_once(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    page = open_page(ctx)
    type_into(qtbot, page.narrative.boxes["en"], "Typed just before closing")
    assert page.has_unsaved_changes()
    ctx.close()  # no wait: the pending text is handed to the worker, which finishes it
    db, store = stored(school_dir)
    assert ee.find_evaluation(store, "estyn-2024-1", 2025)["narrative"]["en"] == "Typed just before closing"
    db.close()


def test_one_history_version_per_editing_session_and_restore(launch, school_dir, qtbot, fake_dialogs):
    ctx = launch(school_dir, "en")
    page = open_page(ctx)
    type_into(qtbot, page.narrative.boxes["en"], "First session.")
    wait_saved(qtbot, page)
    type_into(qtbot, page.narrative.boxes["en"], " More in the same session.")
    wait_saved(qtbot, page)
    record_id = page.record["id"]
    assert len(page.reader.history("evaluation", record_id)) == 1  # only the current version

    page.select(area_id="estyn-2024-2")  # another area: the session ends
    page.select(area_id="estyn-2024-1")
    assert page.narrative.value()["en"] == "First session. More in the same session."
    box = page.narrative.boxes["en"]
    box.setFocus()
    box.selectAll()
    type_into(qtbot, box, "Second session rewrote it.", at_end=False)
    wait_saved(qtbot, page)
    type_into(qtbot, box, " Still the second session.")
    wait_saved(qtbot, page)
    versions = page.reader.history("evaluation", record_id)
    assert [v["history_id"] is None for v in versions] == [True, False]
    assert versions[1]["content"]["narrative"]["en"] == "First session. More in the same session."

    dialog = page.open_history()
    assert dialog.list.count() == 2
    assert "(current)" in dialog.list.item(0).text() and "this computer" in dialog.list.item(0).text()
    assert not dialog.restore_button.isEnabled()
    dialog.list.setCurrentRow(1)
    assert "First session." in dialog.preview.toPlainText()
    fake_dialogs.answers.append(False)
    assert not dialog.restore_selected()  # said no: nothing happens
    fake_dialogs.answers.append(True)
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        assert dialog.restore_selected()
    qtbot.waitUntil(lambda: page.narrative.value()["en"] == "First session. More in the same session.", timeout=10000)
    assert [c[0] for c in fake_dialogs.calls] == ["question", "question"]
    versions = page.reader.history("evaluation", record_id)
    assert len(versions) == 3  # the replaced second session is kept too
    assert versions[1]["content"]["narrative"]["en"] == "Second session rewrote it. Still the second session."


def test_new_year_starts_as_a_copy_and_the_old_year_is_unchanged(launch, tmp_path, qtbot, fake_dialogs):
    from selfeval_app.core.demo import build_example_school

    folder = tmp_path / "example"
    build_example_school(folder, device_id="d", today=dt.date(2025, 10, 1))
    db, store = stored(folder)
    before = {e["id"]: (e["rev"], e["content_hash"]) for e in store.list("evaluation", where="academic_year = 2025")}
    db.close()
    assert before
    ctx = launch(folder, "en")
    page = open_page(ctx, dt.datetime(2026, 9, 15, 9, 0))  # 2026–27 has no evaluations yet
    assert page.selected_year() == 2026
    assert page.start_year_button.isVisibleTo(page)
    assert page.start_year_button.text() == "Start 2026–27 from 2025–26…"
    fake_dialogs.answers.append(True)
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.start_year_button.click()
    qtbot.waitUntil(lambda: page.record is not None, timeout=10000)
    assert fake_dialogs.calls[0][0] == "question"
    assert not page.start_year_button.isVisibleTo(page)
    assert page.record["copied_from"] and page.record["academic_year"] == 2026
    assert page.narrative.value()["cy"]
    db, store = stored(folder)
    after = {e["id"]: (e["rev"], e["content_hash"]) for e in store.list("evaluation", where="academic_year = 2025")}
    copies = store.list("evaluation", where="academic_year = 2026")
    db.close()
    assert after == before  # copy, never move
    assert {c["copied_from"] for c in copies} == set(before)


def test_a_conflict_reloads_and_keeps_the_text_to_copy(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    page = open_page(ctx)
    type_into(qtbot, page.narrative.boxes["en"], "Mine.")
    wait_saved(qtbot, page)
    db, store = stored(school_dir)  # another writer changes the record meanwhile
    store.update("evaluation", page.record["id"], {"narrative": {"en": "Theirs."}})
    db.close()
    type_into(qtbot, page.narrative.boxes["en"], " And more of mine.")
    page.flush()
    qtbot.waitUntil(lambda: page.conflict_box.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: page.narrative.value()["en"] == "Theirs.", timeout=10000)
    assert "Mine. And more of mine." in page.conflict_text.toPlainText()
    assert page.state_label.text() == "Not saved"
    assert "changed elsewhere" in page.conflict_label.text()
    page.copy_button.click()
    assert QApplication.clipboard().text() == page.conflict_text.toPlainText()
    # Writing on goes on from the stored version.
    type_into(qtbot, page.narrative.boxes["en"], " Merged.")
    wait_saved(qtbot, page)
    assert page.state_label.text() == "Saved"
    assert page.reader.get("evaluation", page.record["id"])["narrative"]["en"] == "Theirs. Merged."


def test_reorder_remove_and_link_evidence(launch, tmp_path, qtbot, fake_dialogs):
    from selfeval_app.core.demo import build_example_school

    folder = tmp_path / "example"
    build_example_school(folder, device_id="d", today=TODAY.date())
    ctx = launch(folder, "en")
    page = open_page(ctx)
    section = page.sections["strength"]
    assert len(section.rows) >= 2
    first, second = section.rows[0].statement_id, section.rows[1].statement_id
    section.rows[1].up_button.click()
    assert [r.statement_id for r in section.rows[:2]] == [second, first]
    assert section.rows[0].accessibleName() == "Strength 1"
    wait_saved(qtbot, page)
    stored_ids = [s["id"] for s in page.reader.get("evaluation", page.record["id"])["statements"] if s["kind"] == "strength"]
    assert stored_ids[:2] == [second, first]

    # Link two pieces of evidence to the first strength through the dialog.
    row = section.rows[0]
    before = row.evidence_count
    dialog = page.link_evidence(row.statement_id)
    wait_saved(qtbot, page)
    model = dialog.model
    unlinked = [i for i in range(model.rowCount()) if model.data(model.index(i, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked]
    dialog.filter.setText("zzzz-nothing")
    assert model.rowCount() == 0
    dialog.filter.setText("")
    for i in unlinked[:2]:
        model.setData(model.index(i, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    chosen = [model.choice(i).id for i in unlinked[:2]]
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: row.evidence_count == before + 2, timeout=10000)
    assert row.count_label.text() == f"{before + 2} items of evidence"
    for eid in chosen:
        ev = page.reader.get("evidence", eid)
        assert row.statement_id in ev["statement_ids"] and page.selected_area().id in ev["area_ids"]

    # Removing a statement with text asks first.
    count = len(section.rows)
    fake_dialogs.answers.append(False)
    section.rows[-1].remove_button.click()
    assert len(section.rows) == count
    fake_dialogs.answers.append(True)
    section.rows[-1].remove_button.click()
    assert len(section.rows) == count - 1
    wait_saved(qtbot, page)
    assert len([s for s in page.reader.get("evaluation", page.record["id"])["statements"] if s["kind"] == "strength"]) == count - 1


@pytest.mark.parametrize("writes_in", ["cy", "en"])
def test_one_language_school_sees_one_box_and_can_show_the_other(launch, tmp_path, qtbot, writes_in):
    folder = tmp_path / "one-language"
    make_school(folder, writes_in=writes_in)
    ctx = launch(folder, "en")
    page = open_page(ctx)
    other = "en" if writes_in == "cy" else "cy"
    assert page.narrative.boxes[writes_in].isVisibleTo(page)
    assert not page.narrative.boxes[other].isVisibleTo(page)
    assert page.other_language.isVisibleTo(page)
    type_into(qtbot, page.narrative.boxes[writes_in], "Testun")
    assert not page.narrative.notes[other].isVisibleTo(page)  # no nagging about the other language
    page.other_language.setChecked(True)
    assert page.narrative.boxes[other].isVisibleTo(page)
    assert not page.narrative.notes[other].isVisibleTo(page)
    wait_saved(qtbot, page)


def test_worker_stop_runs_the_jobs_still_queued(qapp):
    from selfeval_app.gui.worker import DatabaseWorker

    ran = []
    worker = DatabaseWorker(session=None)
    for n in range(3):
        worker.submit(lambda _s, n=n: ran.append(n))
    worker.stop()
    assert ran == [0, 1, 2]


def test_the_narrative_box_grows_with_the_window(launch, school_dir, qtbot):
    """Long writing takes the height there is: in a taller window the narrative's boxes are taller
    by most of the extra height, not stuck at a few lines."""
    ctx = launch(school_dir, "en")
    window = ctx.window
    page = open_page(ctx)
    box = page.narrative.boxes["cy"]
    heights = {}
    for height in (700, 1050):
        window.resize(1400, height)
        qtbot.waitUntil(lambda h=height: window.height() == h, timeout=5000)
        QApplication.processEvents()
        heights[height] = (box.height(), page.scroll.viewport().height())
    (small, small_view), (big, big_view) = heights[700], heights[1050]
    spare = big_view - small_view
    assert spare > 250
    assert big - small >= 0.8 * spare, heights
    assert big >= 0.5 * big_view  # most of the page, not eight lines
    assert small >= 5 * box.fontMetrics().lineSpacing()  # never less than its five lines
