"""The search page: accent-insensitive search, text that looks like query syntax, highlighted
snippets with plain accessible text, paging through many hits, opening a result."""

from __future__ import annotations

import pytest
from evidence_helpers import evidence, open_page, seed, with_evaluation

from selfeval_app.core.search import MARK_END, MARK_START
from selfeval_app.gui.search.delegate import snippet_html
from selfeval_app.gui.search.model import ID_ROLE, SNIPPET_ROLE, TYPE_ROLE


def fill(store):
    with_evaluation(store)
    evidence(store, "Ymweliad â’r tŷ hir ger Llan-faes", "Visit to the longhouse near Llan-faes", summary={"cy": "Plant i'r amgueddfa", "en": ""})
    evidence(store, "Sgwrs gyda’r ŵyr", "Talk with the grandson")
    evidence(store, "Ty bach twt", "Little house")
    evidence(store, "Wyr y fferm", "The farm's grandchildren")


@pytest.fixture
def data(school_dir):
    seed(school_dir, fill)
    return school_dir


def run(qtbot, ctx, page, text):
    page.box.setText(text)
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        page.box.returnPressed.emit()


def found_titles(page):
    return sorted(page.model.titles)


def test_accents_do_not_matter(launch, data, qtbot):
    ctx, page = open_page(launch, data, "cy", "search")
    for text in ("tŷ", "ty", "TŶ"):
        run(qtbot, ctx, page, text)
        assert found_titles(page) == ["Ty bach twt", "Ymweliad â’r tŷ hir ger Llan-faes"], text
    for text in ("ŵyr", "wyr"):
        run(qtbot, ctx, page, text)
        assert found_titles(page) == ["Sgwrs gyda’r ŵyr", "Wyr y fferm"], text
    assert page.count_label.text() == "2 ganlyniad"


def test_query_syntax_is_searched_as_text(launch, data, qtbot):
    ctx, page = open_page(launch, data, "en", "search")
    run(qtbot, ctx, page, "Llan-faes")
    assert page.model.total == 1 and page.count_label.text() == "1 result"
    snippet = page.model.data(page.model.index(0), SNIPPET_ROLE)
    assert f"{MARK_START}Llan{MARK_END}" in snippet
    for text in ("i'r", "a’r", '"', "AND", "NOT", "tŷ AND", '"Llan'):
        run(qtbot, ctx, page, text)  # no error, whatever was typed
        assert page.count_label.text()
    run(qtbot, ctx, page, "i'r")
    assert page.model.total >= 1


def test_nothing_found_is_said_kindly(launch, data, qtbot):
    ctx, page = open_page(launch, data, "cy", "search")
    run(qtbot, ctx, page, "jiráff")
    assert page.count_label.text() == "Dim canlyniadau"
    assert page.empty.isVisibleTo(page) and page.empty.text().startswith("Ni chafwyd dim ar gyfer “jiráff”")
    assert not page.results.isVisibleTo(page)


def test_snippets_are_highlighted_but_read_without_marks(launch, data, qtbot):
    ctx, page = open_page(launch, data, "en", "search")
    run(qtbot, ctx, page, "grandson")
    index = page.model.index(0)
    text = page.model.data(index)
    assert MARK_START not in text and MARK_END not in text
    assert text.startswith("Evidence — Talk with the grandson")
    html = snippet_html(page.model.data(index, SNIPPET_ROLE), "#ff0", "#000")
    assert '<b style="background-color:#ff0; color:#000">grandson</b>' in html
    assert snippet_html("<b>\x02x\x03</b>", "a", "b").startswith("&lt;b&gt;")


def test_a_result_opens_its_record(launch, data, qtbot):
    ctx, page = open_page(launch, data, "cy", "search")
    run(qtbot, ctx, page, "ŵyr")
    index = next(page.model.index(r) for r in range(page.model.rowCount()) if page.model.titles[r] == "Sgwrs gyda’r ŵyr")
    page.results.setCurrentIndex(index)
    page.results.activated.emit(index)
    assert ctx.window.current_page_key() == "evidence"
    assert ctx.window.page("evidence").editor.record["id"] == page.model.data(index, ID_ROLE)


def test_an_evaluation_result_is_named_and_opening_it_does_not_crash(launch, data, qtbot):
    ctx, page = open_page(launch, data, "en", "search")
    run(qtbot, ctx, page, "extended writing")
    assert page.model.total == 1 and page.model.data(page.model.index(0), TYPE_ROLE) == "evaluation"
    assert page.model.titles[0] == "Teaching and learning, 2025–26"
    page.open_result(page.model.index(0))  # the evaluation page, or a status message if it is not there
    assert ctx.window.current_page_key() in ("evaluation", "search")


def test_many_hits_are_paged_in(launch, school_dir, qtbot):
    seed(school_dir, lambda store: [evidence(store, f"Cwningod {i}", f"Rabbits {i}") for i in range(250)])
    ctx, page = open_page(launch, school_dir, "cy", "search")
    run(qtbot, ctx, page, "cwningod")
    assert page.model.total == 250 and page.model.rowCount() == 100 and page.model.canFetchMore()
    page.model.fetchMore()
    page.model.fetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == 250 and not page.model.canFetchMore()
    assert len({page.model.data(page.model.index(r), ID_ROLE) for r in range(250)}) == 250


def test_new_evidence_is_found_after_saving(launch, school_dir, qtbot):
    ctx, page = open_page(launch, school_dir, "en", "search")
    run(qtbot, ctx, page, "hedyn")
    assert page.model.total == 0
    evidence_page = ctx.window.page("evidence")
    evidence_page.new_evidence()
    evidence_page.editor.kind.setCurrentIndex(1)
    evidence_page.editor.title["cy"].setText("Plannu hedyn")
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        evidence_page.editor.save_button.click()
    # The search page heard of the change and searched again.
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=10000)
