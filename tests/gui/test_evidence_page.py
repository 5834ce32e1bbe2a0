"""The evidence log: adding evidence with links and an attachment, filters, sorting in each
language's order, inline checks, delete and undo, purge, attachment errors and read-only copies.
Real SQLite files; the worker's saves are waited for by signal."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

import pytest
from evidence_helpers import TODAY, evidence, open_page, read, seed, titles, with_evaluation
from PySide6.QtCore import QDate, Qt

from selfeval_app.core.attachments import MAX_ATTACHMENT_BYTES, stored_path
from selfeval_app.core.paths import attachments_dir
from selfeval_app.core.search import search
from selfeval_app.gui.evidence import attachments as files
from selfeval_app.gui.evidence.editor import NO_DATE

WELSH_NAME = "Nodiadau taith ddysgu – tŷ’r ŵyr.txt"


def tick(check_list, ids):
    for i in range(check_list.count()):
        item = check_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in ids:
            item.setCheckState(Qt.CheckState.Checked)


def save(qtbot, page):
    with qtbot.waitSignal(page.window_.recordsChanged, timeout=10000):
        page.editor.save_button.click()


def stored_files(data_dir: Path) -> list[Path]:
    root = attachments_dir(data_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def add_and_attach(qtbot, page, fake_dialogs, source: Path, title="Taith ddysgu: darllen") -> dict:
    page.new_evidence()
    editor = page.editor
    editor.date.setDate(QDate(2025, 11, 3))
    editor.kind.setCurrentIndex(editor.kind.findData("learning_walk"))
    editor.title["cy"].setText(title)
    editor.title["en"].setText("Learning walk: reading")
    editor.summary["cy"].setPlainText("Dysgwyr yn darllen yn annibynnol.")
    tick(editor.areas, {"estyn-2024-1", "estyn-2024-3"})
    tick(editor.statements, {"st-reading"})
    save(qtbot, page)
    fake_dialogs.files.append(str(source))
    with qtbot.waitSignal(page.window_.recordsChanged, timeout=10000):
        editor.attach_button.click()
    return editor.record


@pytest.fixture
def data(school_dir):
    seed(school_dir, with_evaluation)
    return school_dir


def test_add_evidence_with_welsh_named_attachment_and_links(launch, data, qtbot, tmp_path, fake_dialogs):
    source = tmp_path / WELSH_NAME
    source.write_text("Arsylwadau: dysgwyr yn darllen yn y llyfrgell.\n", encoding="utf-8")
    ctx, page = open_page(launch, data, "cy")
    rec = add_and_attach(qtbot, page, fake_dialogs, source)

    stored = read(data, lambda s: s.get("evidence", rec["id"]))
    assert stored["area_ids"] == ["estyn-2024-1", "estyn-2024-3"]
    assert stored["statement_ids"] == ["st-reading"]
    assert stored["date"] == "2025-11-03" and stored["kind"] == "learning_walk"
    atts = read(data, lambda s: s.list("attachment", where="attached_to = ?", params=(rec["id"],)))
    assert [a["name"] for a in atts] == [WELSH_NAME]
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    assert atts[0]["sha256"] == sha and stored_path(data, sha).read_bytes() == source.read_bytes()
    # The data-protection reminder came first, in Welsh, once per session.
    reminder = [c for c in fake_dialogs.calls if c[0] == "information"]
    assert len(reminder) == 1 and "data personol" in reminder[0][2] and "polisi diogelu data" in reminder[0][2]
    assert page.editor.attachments.count() == 1
    assert page.editor.attachments.item(0).text().startswith(WELSH_NAME)
    assert " KB" in page.editor.attachments.item(0).text()  # KB is written the same in Welsh
    second = tmp_path / "ail.txt"
    second.write_text("ail")
    fake_dialogs.files.append(str(second))
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.editor.attach_button.click()
    assert len([c for c in fake_dialogs.calls if c[0] == "information"]) == 1
    assert page.editor.attachments.count() == 2
    # The list shows it, with its areas and visibility in Welsh.
    row = page.model.row_of(rec["id"])
    assert [page.model.data(page.model.index(row, c)) for c in range(5)] == [
        "03/11/2025", "Taith ddysgu", "Taith ddysgu: darllen", "1, 3", "Preifat i'r ysgol",
    ]


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_missing_date_kind_and_title_show_inline_and_save_nothing(launch, data, qtbot, lang):
    ctx, page = open_page(launch, data, lang)
    submitted = []
    ctx.worker.jobDone.connect(submitted.append)
    page.new_evidence()
    page.editor.date.setDate(NO_DATE)
    page.editor.save_button.click()
    expected = {
        "cy": ("Rhowch y dyddiad y casglwyd y dystiolaeth.", "Dewiswch y math o dystiolaeth.", "Rhowch deitl i'r dystiolaeth."),
        "en": ("Give the date the evidence was gathered.", "Choose the kind of evidence.", "Give the evidence a title."),
    }[lang]
    assert (page.editor.date_error.text(), page.editor.kind_error.text(), page.editor.title_error.text()) == expected
    assert page.editor.title["cy"].accessibleDescription() == expected[2]
    assert not submitted and not ctx.worker.busy
    assert read(data, lambda s: s.count("evidence")) == 0
    # Fixing the title clears its message at once; the others stay.
    page.editor.title["cy"].setText("Teitl")
    page.editor.title["cy"].textEdited.emit("Teitl")
    assert page.editor.title_error.isHidden() and page.editor.kind_error.isVisible()


def test_filters_by_area_kind_dates_and_visibility(launch, data, qtbot):
    def fill(store):
        evidence(store, "Un", date="2025-09-10", kind="learning_walk", area_ids=["estyn-2024-1"])
        evidence(store, "Dau", date="2025-10-10", kind="book_look", area_ids=["estyn-2024-2"], visibility="peers")
        evidence(store, "Tri", date="2025-11-10", kind="book_look", area_ids=["estyn-2024-1", "estyn-2024-2"], visibility="la")
        evidence(store, "Pedwar", date="2024-11-10", kind="learner_voice", area_ids=["estyn-2024-3"])

    seed(data, fill)
    ctx, page = open_page(launch, data, "cy")
    assert titles(page) == ["Tri", "Dau", "Un", "Pedwar"]
    assert page.count_label.text() == "4 eitem o dystiolaeth"
    page.area_filter.setCurrentIndex(page.area_filter.findData("estyn-2024-2"))
    assert titles(page) == ["Tri", "Dau"]
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("book_look"))
    assert titles(page) == ["Tri", "Dau"]
    page.visibility_filter.setCurrentIndex(page.visibility_filter.findData("la"))
    assert titles(page) == ["Tri"]
    page.reset_filters()
    page.from_filter.setDate(QDate(2025, 9, 1))
    page.to_filter.setDate(QDate(2025, 10, 31))
    assert titles(page) == ["Dau", "Un"]
    assert page.count_label.text() == "2 eitem o dystiolaeth"
    page.reset_filters()
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("learner_voice"))
    assert titles(page) == ["Pedwar"]


SORT_TITLES = ["Lôn goed", "Llyfrau darllen", "Cylch trafod", "Chwarae rôl", "Dysgu awyr agored", "Ddraig goch"]


def test_title_sort_follows_each_languages_alphabet(launch, data, qtbot):
    seed(data, lambda store: [evidence(store, t) for t in SORT_TITLES])
    ctx, page = open_page(launch, data, "cy")
    page.sort.setCurrentIndex(page.sort.findData("title"))
    # Welsh: ch after c, dd after d, ll after l.
    assert titles(page) == ["Cylch trafod", "Chwarae rôl", "Dysgu awyr agored", "Ddraig goch", "Lôn goed", "Llyfrau darllen"]
    ctx.window.en_button.click()
    assert page.sort.currentData() == "title"
    assert titles(page) == ["Chwarae rôl", "Cylch trafod", "Ddraig goch", "Dysgu awyr agored", "Llyfrau darllen", "Lôn goed"]


def test_delete_then_undo_by_button_and_by_ctrl_z(launch, data, qtbot):
    seed(data, lambda store: evidence(store, "I'w dileu", "To delete"))
    ctx, page = open_page(launch, data, "en")
    ctx.window.show()
    qtbot.waitExposed(ctx.window)
    rec_id = page.model.record(0)["id"]
    assert page.select(rec_id) and page.editor.record["id"] == rec_id
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.editor.delete_button.click()
    assert page.model.rowCount() == 0 and read(data, lambda s: s.get("evidence", rec_id)) is None
    assert page.undo_bar.isVisible() and page.undo_label.text() == "Evidence deleted: “To delete”."
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.undo_button.click()
    assert titles(page) == ["To delete"] and not page.undo_bar.isVisible()
    assert page.editor.record["id"] == rec_id
    # Again, undone with Ctrl+Z this time.
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.editor.delete_button.click()
    assert page.undo_shortcut.isEnabled()
    page.table.setFocus()
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert read(data, lambda s: s.get("evidence", rec_id))["title"]["en"] == "To delete"
    # The Undo bar goes with the next action.
    page.new_evidence()
    page.editor.kind.setCurrentIndex(1)
    page.editor.title["en"].setText("Another")
    save(qtbot, page)
    assert not page.undo_bar.isVisible()


def test_purge_leaves_nothing_in_search_history_or_files(launch, data, qtbot, tmp_path, fake_dialogs):
    source = tmp_path / WELSH_NAME
    source.write_bytes(b"cynnwys cyfrinachol")
    ctx, page = open_page(launch, data, "en")
    rec = add_and_attach(qtbot, page, fake_dialogs, source, title="Purdeb unigryw")
    # One more edit, so there is history to purge too.
    page.editor.summary["en"].setPlainText("Second version")
    save(qtbot, page)
    rec_id = rec["id"]
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    assert stored_path(data, sha).exists()
    fake_dialogs.answers.append(False)  # first: say no
    page.editor.purge_button.click()
    assert read(data, lambda s: s.get("evidence", rec_id)) is not None
    fake_dialogs.answers.append(True)
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.editor.purge_button.click()
    question = [c for c in fake_dialogs.calls if c[0] == "question"][-1]
    assert "cannot be undone" in question[2] and "search" in question[2]

    def check(store):
        store.flush_search_index()
        assert search(store.conn, "Purdeb") == [] and search(store.conn, "unigryw") == []
        assert store.conn.execute("SELECT count(*) FROM history WHERE record_id = ?", (rec_id,)).fetchone()[0] == 0
        row = store.conn.execute("SELECT title_cy, summary_en, deleted FROM evidence WHERE id = ?", (rec_id,)).fetchone()
        assert tuple(row) == ("", "", 1)
        assert store.conn.execute("SELECT count(*) FROM attachment WHERE deleted = 0").fetchone()[0] == 0

    read(data, check)
    assert not stored_path(data, sha).exists() and stored_files(data) == []
    # secure_delete and the truncated WAL: the purged title is nowhere in the database files.
    for path in data.glob("selfeval.sqlite3*"):
        assert b"Purdeb unigryw" not in path.read_bytes(), path
    assert page.model.rowCount() == 0 and page.editor.record is None


@pytest.fixture
def with_item(data):
    seed(data, lambda store: evidence(store, "Ffeiliau", "Files"))
    return data


def attach_expecting_error(qtbot, ctx, page, fake_dialogs, path) -> str:
    page.select(page.model.record(0)["id"])
    fake_dialogs.files.append(str(path))
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        page.editor.attach_button.click()
    warning = [c for c in fake_dialogs.calls if c[0] == "warning"][-1]
    return warning[2]


def nothing_stored(data: Path) -> bool:
    """No attachment record (not even a tombstone), no stored file, no half-written temp file."""
    no_records = read(data, lambda s: s.count("attachment", include_deleted=True)) == 0
    root = attachments_dir(data)
    leftovers = list(root.rglob("*")) if root.exists() else []
    return no_records and not [p for p in leftovers if p.is_file()]


def test_a_folder_is_refused_clearly(launch, with_item, qtbot, tmp_path, fake_dialogs):
    ctx, page = open_page(launch, with_item, "cy")
    folder = tmp_path / "Ffolder ŵyr"
    folder.mkdir()
    text = attach_expecting_error(qtbot, ctx, page, fake_dialogs, folder)
    assert "ffolder" in text.lower() and "Ffolder ŵyr" in text
    assert nothing_stored(with_item)


def test_a_file_over_the_limit_is_refused(launch, with_item, qtbot, tmp_path, fake_dialogs):
    ctx, page = open_page(launch, with_item, "en")
    big = tmp_path / "sgan-mawr.pdf"
    with open(big, "wb") as f:
        f.truncate(MAX_ATTACHMENT_BYTES + 1)  # sparse: no 50 MiB written to disk
    text = attach_expecting_error(qtbot, ctx, page, fake_dialogs, big)
    assert text.endswith("it is larger than 50 MB. Nothing was stored.")
    assert nothing_stored(with_item)


def test_an_unreadable_file_is_refused(launch, with_item, qtbot, tmp_path, fake_dialogs, monkeypatch):
    ctx, page = open_page(launch, with_item, "en")
    secret = tmp_path / "cyfrinachol.txt"
    secret.write_text("x" * 5000)
    if os.geteuid() != 0:
        secret.chmod(0)
    else:
        # Root reads any file whatever its mode, so the fault is injected at the narrowest
        # point instead: opening this one file for reading in core.attachments fails as it would.
        import builtins

        from selfeval_app.core import attachments

        real_open = builtins.open

        def failing_open(path, *args, **kwargs):
            if Path(path) == secret:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(attachments, "open", failing_open, raising=False)
    text = attach_expecting_error(qtbot, ctx, page, fake_dialogs, secret)
    assert "the file cannot be read" in text and "Nothing was stored" in text
    assert nothing_stored(with_item)


def test_opened_copy_is_read_only_and_editing_it_leaves_the_store_alone(launch, data, qtbot, tmp_path, fake_dialogs, monkeypatch):
    source = tmp_path / WELSH_NAME
    source.write_text("gwreiddiol", encoding="utf-8")
    ctx, page = open_page(launch, data, "en")
    add_and_attach(qtbot, page, fake_dialogs, source)
    opened: list[Path] = []
    monkeypatch.setattr(files, "open_in_system", lambda path: opened.append(Path(path)) or True)
    page.editor.attachments.setCurrentRow(0)
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        page.editor.open_button.click()
    assert len(opened) == 1 and opened[0].name == WELSH_NAME
    copy = opened[0]
    assert not copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    sha = hashlib.sha256(b"gwreiddiol").hexdigest()
    copy.chmod(stat.S_IRUSR | stat.S_IWUSR)  # someone makes it writable and edits it
    copy.write_text("wedi newid", encoding="utf-8")
    assert hashlib.sha256(stored_path(data, sha).read_bytes()).hexdigest() == sha
    assert stored_path(data, sha).read_text(encoding="utf-8") == "gwreiddiol"


def test_remove_attachment_then_undo(launch, data, qtbot, tmp_path, fake_dialogs):
    source = tmp_path / WELSH_NAME
    source.write_text("ffeil")
    ctx, page = open_page(launch, data, "cy")
    add_and_attach(qtbot, page, fake_dialogs, source)
    page.editor.attachments.setCurrentRow(0)
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.editor.remove_button.click()
    assert page.editor.attachments.count() == 0
    assert page.undo_label.text() == f"Tynnwyd y ffeil: “{WELSH_NAME}”."
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.undo_button.click()
    assert page.editor.attachments.count() == 1


def test_open_record_selects_the_item_even_when_filtered_out(launch, data, qtbot):
    ids = seed(data, lambda store: [evidence(store, "Arall", kind="other")["id"], evidence(store, "Hon", kind="book_look")["id"]])
    ctx, page = open_page(launch, data, "cy")
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("other"))
    ctx.window.show_page("school")
    assert ctx.window.open_record("evidence", ids[1])
    assert ctx.window.current_page_key() == "evidence"
    assert page.editor.record["id"] == ids[1] and page.editor.title["cy"].text() == "Hon"
    assert page.model.record(page.table.currentIndex().row())["id"] == ids[1]


def test_switching_rows_saves_what_was_typed(launch, data, qtbot):
    ids = seed(data, lambda store: [evidence(store, "Cyntaf", date="2025-10-02")["id"], evidence(store, "Ail", date="2025-10-01")["id"]])
    ctx, page = open_page(launch, data, "cy")
    page.select(ids[0])
    page.editor.title["cy"].setText("Cyntaf wedi newid")
    page.editor.title["cy"].textEdited.emit("Cyntaf wedi newid")
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        page.table.setCurrentIndex(page.model.index(page.model.row_of(ids[1]), 2))
    assert read(data, lambda s: s.get("evidence", ids[0]))["title"]["cy"] == "Cyntaf wedi newid"
    assert page.editor.record["id"] == ids[1]


def test_writes_in_decides_which_languages_show(launch, school_dir, qtbot):
    seed(school_dir, lambda s: s.update("school", s.school()["id"], {"writes_in": "cy"}))
    ctx, page = open_page(launch, school_dir, "en")
    page.new_evidence()
    assert page.editor.title["cy"].isVisibleTo(page) and not page.editor.title["en"].isVisibleTo(page)
    assert TODAY == dt.date(2025, 11, 20) and page.editor.date.date() == QDate(2025, 11, 20)


def test_leaving_an_item_that_cannot_be_saved_asks_first(launch, data, qtbot, fake_dialogs):
    ids = seed(data, lambda store: [evidence(store, "Yno")["id"]])
    ctx, page = open_page(launch, data, "cy")
    page.new_evidence()
    page.editor.title["cy"].setText("Heb fath")
    page.editor.title["cy"].textEdited.emit("Heb fath")
    fake_dialogs.answers.append(False)  # stay
    page.table.setCurrentIndex(page.model.index(0, 2))
    assert page.editor.record is None and page.editor.title["cy"].text() == "Heb fath"
    assert page.editor.kind_error.text() == "Dewiswch y math o dystiolaeth."
    assert "cholli'r hyn a deipiwyd" in fake_dialogs.calls[-1][2]
    fake_dialogs.answers.append(True)  # leave it
    page.table.setCurrentIndex(page.model.index(0, 2))
    assert page.editor.record["id"] == ids[0]
    assert read(data, lambda s: s.count("evidence")) == 1


def test_the_evidence_summary_grows_with_the_window(launch, school_dir, qtbot):
    """The summary is long writing: a taller window gives it most of the extra height."""
    from PySide6.QtWidgets import QApplication

    ctx = launch(school_dir, "en")
    window = ctx.window
    page = window.show_page("evidence")
    box = page.editor.summary["cy"]
    heights = {}
    for height in (1150, 1500):  # both tall enough for the whole editor
        window.resize(1600, height)
        qtbot.waitUntil(lambda h=height: window.height() == h, timeout=5000)
        QApplication.processEvents()
        heights[height] = (box.height(), page.scroll.viewport().height())
    (small, small_view), (big, big_view) = heights[1150], heights[1500]
    assert big_view - small_view > 250 and big - small >= 0.4 * (big_view - small_view), heights


def test_a_purge_held_up_by_another_reader_says_so(launch, data, qtbot, fake_dialogs):
    """Another program holding a read snapshot stops the WAL being emptied: the window must say the
    purge finishes when that program closes, not just "Purged" (reliability review, finding 16)."""
    import sqlite3

    from selfeval_app.core.sqlite_uri import readonly_uri

    seed(data, lambda store: evidence(store, "Cyfrinach", "Secret"))
    ctx, page = open_page(launch, data, "cy")
    rec_id = page.model.record(0)["id"]
    page.select(rec_id)
    other = sqlite3.connect(readonly_uri(data / "selfeval.sqlite3"), uri=True)  # a real second reader
    try:
        other.execute("BEGIN")
        other.execute("SELECT count(*) FROM evidence").fetchone()
        fake_dialogs.answers.append(True)
        with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
            page.editor.purge_button.click()
        qtbot.waitUntil(lambda: any(c[0] == "information" for c in fake_dialogs.calls), timeout=5000)
    finally:
        other.close()
    told = [c for c in fake_dialogs.calls if c[0] == "information"][-1]
    from selfeval_app.core import i18n
    from selfeval_app.core.purge import PENDING_MESSAGE

    assert told[2] == i18n.lookup(PENDING_MESSAGE, lang="cy")
