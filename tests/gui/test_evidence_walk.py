"""Walking the evidence log and the search page: no English in Welsh mode (inline messages, the
Undo bar, the dialogs' texts included), an accessible name on every control in both languages,
and a live language switch that changes everything at once."""

from __future__ import annotations

from evidence_helpers import STATEMENTS, evidence, open_page, seed, with_evaluation
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from test_gui_walk import data_strings

from selfeval_app.core import framework

ITEM = {"cy": "Taith ddysgu: llythrennedd", "en": "Learning walk: literacy"}
SUMMARY = {"cy": "Darllen yn y dosbarth", "en": "Reading in class"}


def fill(store):
    with_evaluation(store)
    store.create("area", {"code": "BW1", "title": {"cy": "Y Gymraeg", "en": "Welsh"}})
    evidence(store, ITEM["cy"], ITEM["en"], summary=SUMMARY, area_ids=["estyn-2024-1"], statement_ids=["st-reading"])


def allowed(lang: str) -> set[str]:
    """Data shown as it is (record text, framework names), not interface."""
    data = data_strings(lang) | set(ITEM.values()) | set(SUMMARY.values()) | {"1", "BW1", "BW1 Y Gymraeg", "BW1 Welsh"}
    for area in framework.current_framework().areas:
        data.add(f"{area.number}. {area.title(lang)}")
    for st in STATEMENTS:
        kind = {"strength": {"cy": "Cryfder", "en": "Strength"}, "development": {"cy": "Maes i’w ddatblygu", "en": "Area for development"}}[st["kind"]]
        data.add(f"1 · {kind[lang]}: {st['text'][lang]}")
    return data


def walk_states(ctx, qtbot, fake_dialogs, tmp_path):
    """The two pages in every state worth seeing; yields (name, widget)."""
    window = ctx.window
    page = window.show_page("evidence")
    yield "evidence page, nothing chosen", page
    page.select(page.model.record(0)["id"])
    yield "evidence page, item chosen", page
    page.new_evidence()
    page.editor.date.setDate(page.editor.date.minimumDate())
    page.editor.save_button.click()  # inline messages
    yield "evidence page, inline messages", page
    fake_dialogs.answers.append(True)  # leave the unsaved new item
    page.select(page.model.record(0)["id"])
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        page.editor.delete_button.click()
    yield "evidence page, undo bar", page
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        page.undo_button.click()
    page.select(page.model.record(0)["id"])
    source = tmp_path / "nodiadau.txt"
    source.write_text("x")
    fake_dialogs.files.append(str(source))
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        page.editor.attach_button.click()
    fake_dialogs.answers.append(False)
    page.editor.purge_button.click()
    yield "evidence page, attached file", page
    search = window.show_page("search")
    yield "search page, empty", search
    search.box.setText("llythrennedd")
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        search.search_now()
    yield "search page, results", search
    search.box.setText("jiráff")
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        search.search_now()
    yield "search page, nothing found", search


def test_no_english_in_welsh_mode(launch, school_dir, qtbot, tmp_path, fake_dialogs):
    seed(school_dir, fill)
    ctx, _page = open_page(launch, school_dir, "cy")
    ok = allowed("cy") | {"nodiadau.txt", "llythrennedd", "jiráff"}
    problems, walked = [], 0
    for name, widget in walk_states(ctx, qtbot, fake_dialogs, tmp_path):
        pairs = collect(widget)
        walked += len(pairs)
        problems += [f"{name}: {p}" for p in english_problems(pairs, ok)]
        # the list's rows (model data, not widgets) too
        model = getattr(widget, "model", None)
        if model is not None and model.rowCount():
            columns = model.columnCount() if name.startswith("evidence") else 1
            cells = [("row0", str(model.data(model.index(0, c)) or "")) for c in range(columns)]
            problems += [f"{name}: {p}" for p in english_problems(cells, ok | {"03/11/2025", "01/10/2025"})]
    # What went to the dialog service (reminder, purge question, warnings) was Welsh too.
    dialog_texts = [("dialog", text) for call in fake_dialogs.calls for text in call[1:] if isinstance(text, str)]
    problems += english_problems(dialog_texts, ok | {f"Dileu “{ITEM['cy']}” am byth?"})
    assert walked > 100
    assert not problems, "English in Welsh mode:\n" + "\n".join(problems)


def test_every_control_has_an_accessible_name_in_both_languages(launch, school_dir, qtbot, tmp_path, fake_dialogs):
    seed(school_dir, fill)
    for lang in ("cy", "en"):
        ctx, _page = open_page(launch, school_dir, lang)
        missing = []
        for name, widget in walk_states(ctx, qtbot, fake_dialogs, tmp_path):
            missing += [f"{name}: {w}" for w in interactive_without_name(widget)]
        ctx.close()
        assert not missing, f"{lang}: no accessible name: {missing}"


def test_live_language_switch_changes_both_pages(launch, school_dir, qtbot):
    seed(school_dir, fill)
    ctx, page = open_page(launch, school_dir, "cy")
    page.select(page.model.record(0)["id"])
    search = ctx.window.page("search")
    search.box.setText("llythrennedd")
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        search.search_now()
    assert page.editor.save_button.text() == "&Cadw" and page.model.data(page.model.index(0, 1)) == "Taith ddysgu"
    assert search.count_label.text() == "1 canlyniad"
    ctx.window.en_button.click()
    assert page.editor.save_button.text() == "&Save"
    assert page.model.data(page.model.index(0, 1)) == "Learning walk"
    assert page.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "Date"
    assert page.editor.visibility_help.text() == "Stays on the school's own computers: it is never sent to anyone else."
    areas = [page.editor.areas.item(i).text() for i in range(page.editor.areas.count())]
    assert areas[0] == "1. Teaching and learning" and "BW1 Welsh" in areas
    assert page.editor.statements.item(0).text() == "1 · Strength: Reading is strong"
    assert search.count_label.text() == "1 result"
    assert search.model.data(search.model.index(0)).startswith("Evidence — ")
    leftovers = welsh_problems(collect(page) + collect(search), allowed("en"))
    assert not leftovers, leftovers
    ctx.window.cy_button.click()
    assert page.editor.kind.currentText() == "Taith ddysgu" and search.count_label.text() == "1 canlyniad"
