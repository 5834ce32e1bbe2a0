"""The local authority's pages, offscreen, with the example LA (`demo --role la`: a dozen example
schools' real bundles): first start as an LA; the Schools list (schools that sent nothing too,
search folding accents, Welsh order, RAG always as a word), one school read-only, importing the
list of schools from a CSV (and a bad one changing nothing); Across schools (alignment, progress,
the network by keyboard with its table, suppression said in words); Exports (CSV and PDF, off
the writer); and every LA page in Welsh with no English left and every control named."""

from __future__ import annotations

import subprocess

import pytest
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from la_helpers import la_data_strings, la_dir, walk_la  # noqa: F401 - la_dir is a fixture
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from selfeval_app import la_views
from selfeval_app.core.sorting import sort_key

LA_KEYS = ["la_schools", "la_across", "la_exports", "sharing"]
RAG_WORDS_EN = {"Green", "Amber", "Red", "No review yet"}


def open_la(launch, qtbot, data_dir, lang="en"):
    ctx = launch(data_dir, lang)
    window = ctx.window
    assert window is not None and window.is_la
    page = window.show_page("la_schools")
    qtbot.waitUntil(lambda: page._built and bool(page.rows), timeout=10000)
    return ctx, window, page


def shown_rows(page):
    return [page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(page.proxy.rowCount())]


def test_first_start_sets_up_a_local_authority(launch, tmp_path, qtbot):
    ctx = launch(tmp_path / "new" / "ALl", "en")
    dialog = ctx.first_start
    dialog.stack.setCurrentIndex(dialog.PAGE_CHOICE)
    assert dialog.la_button.text() == "I work for a local authority"
    dialog.la_button.click()
    assert dialog.stack.currentIndex() == dialog.PAGE_LA
    assert dialog.la_combo.count() == 22
    dialog.la_combo.setCurrentIndex(dialog.la_combo.findData(669))
    dialog.la_save.click()
    qtbot.waitUntil(lambda: ctx.window is not None, timeout=10000)
    window = ctx.window
    assert window.is_la and [s.key for s in window.page_specs] == LA_KEYS
    assert window.name_label.text() == "Carmarthenshire"
    assert not window.reports_button.isVisibleTo(window)  # the governors' reports are a school's
    identity = ctx.session.primary_identity()
    assert identity.role == "la" and identity.name_cy == "Sir Gaerfyrddin"
    page = window.show_page("la_schools")
    qtbot.waitUntil(lambda: "No schools yet" in page.count_label.text(), timeout=10000)
    assert page.rows == []
    ctx.close()
    # Opened again, it is the LA's window at once (no first start).
    again = launch(tmp_path / "new" / "ALl", "en")
    assert again.first_start is None and again.window.is_la


def test_schools_list_search_order_and_one_school(launch, la_dir, qtbot):  # noqa: F811
    ctx, window, page = open_la(launch, qtbot, la_dir)
    rows = page.rows
    silent = [r for r in rows if not r.last_bundle_at]
    assert len(rows) >= 12 and silent, "the example LA lists schools that sent nothing"
    assert page.count_label.text() == f"{len(rows)} schools." and page.silent_label.text() == f"{len(silent)} have sent nothing yet."
    # The list shows every school, alphabetically; a silent school says so in words.
    names = [r.name_in("en") for r in shown_rows(page)]
    assert names == sorted(names, key=lambda n: sort_key(n, "en"))
    model = page.model
    last_col = next(i for i, c in enumerate(model.columns) if c.header == "Last bundle")
    for r, row in enumerate(model.rows):
        if not row.last_bundle_at:
            assert model.index(r, last_col).data() == "Nothing received yet"
    # RAG only ever as words: the progress column holds RAG words and counts, and no cell has a colour.
    rag_col = next(i for i, c in enumerate(model.columns) if c.header == "Latest progress reviews")
    texts = [model.index(r, rag_col).data() for r in range(model.rowCount()) if model.index(r, rag_col).data()]
    assert texts and all(any(w in t for w in RAG_WORDS_EN) for t in texts)
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            assert model.index(r, c).data(Qt.ItemDataRole.BackgroundRole) is None
            assert model.index(r, c).data(Qt.ItemDataRole.ForegroundRole) is None

    # Search folds case and accents: ŵ finds w and w finds ŵ; every word must match.
    target = next(r for r in rows if "ŵ" in (r.name.get("cy") or "") + (r.name.get("en") or "") or "Ŵ" in (r.name.get("en") or ""))
    page.search.setText("ŵyn")
    with_accent = {r.key for r in shown_rows(page)}
    page.search.setText("WYN")
    assert {r.key for r in shown_rows(page)} == with_accent and target.key in with_accent
    page.search.setText(target.number)
    assert [r.key for r in shown_rows(page)] == [target.key]
    assert page.match_label.text() == "1 matches the search."
    page.search.setText("ysgol nosuchword")
    assert shown_rows(page) == []
    page.search.clear()

    # Sorting by a column of numbers sorts by value.
    pri_col = next(i for i, c in enumerate(model.columns) if c.header == "Priorities")
    page.table.sortByColumn(pri_col, Qt.SortOrder.DescendingOrder)
    counts = [r.priorities for r in shown_rows(page)]
    assert counts == sorted(counts, reverse=True)

    # One school, read-only: its priorities with national tags and the latest review's word.
    sender = next(r for r in rows if r.priorities and r.partnerships)
    dialog = page.open_school(sender.key)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10000)
    assert sender.name_in("en") in dialog.banner.text() and "read only" in dialog.banner.text()
    view, pmodel = dialog.tables["priorities"]
    assert pmodel.rowCount() == sender.priorities
    latest_col = next(i for i, c in enumerate(pmodel.columns) if c.header == "Latest review")
    assert {pmodel.index(r, latest_col).data() for r in range(pmodel.rowCount())} <= RAG_WORDS_EN
    assert "Step" in dialog.partnerships.toPlainText() or dialog.summary.partnerships[0].maturity is None
    assert dialog.summary.row.key == sender.key
    assert not dialog.findChildren(type(page.search))  # nothing to type into: read-only
    # Enter on the list opens the chosen school too.
    page.table.setFocus()
    page.table.selectRow(0)
    before = len(page.open_dialogs)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(page.open_dialogs) == before + 1


def test_importing_the_list_of_schools(launch, la_dir, qtbot, tmp_path, fake_dialogs):  # noqa: F811
    ctx, window, page = open_la(launch, qtbot, la_dir)
    before = {r.number for r in page.rows if r.listed}
    good = tmp_path / "ysgolion.csv"
    lines = ["number,name_cy,name_en"] + [f"{n},Ysgol {n},School {n}" for n in sorted(before)] + ["669/2999,Ysgol Newydd Llanŵ,New School Llanw"]
    good.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    fake_dialogs.files.append(str(good))
    with qtbot.waitSignal(window.recordsChanged, timeout=10000):
        assert page.import_list()
    qtbot.waitUntil(lambda: any(r.number == "669/2999" for r in page.rows), timeout=10000)
    new = next(r for r in page.rows if r.number == "669/2999")
    assert new.listed and not new.last_bundle_at and new.name["cy"] == "Ysgol Newydd Llanŵ"
    assert "1 new" in page.problem.text()

    # A bad file: the problem with its line number, and the list is as it was.
    bad = tmp_path / "bad.csv"
    bad.write_text("number,name\n669/2999,Ysgol\n12345,Ysgol Arall\n", encoding="utf-8")
    listed = sorted(r.number for r in page.rows if r.listed)
    page.import_from(bad)
    qtbot.waitUntil(lambda: page.problem.isVisibleTo(page) and "line 3" in page.problem.text(), timeout=10000)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.reload()
    assert sorted(r.number for r in page.rows if r.listed) == listed
    assert window.status_label.text() == "Not saved."


def test_across_schools_page(launch, la_dir, qtbot):  # noqa: F811
    ctx, window, _schools = open_la(launch, qtbot, la_dir)
    page = window.show_page("la_across")
    qtbot.waitUntil(lambda: page.network is not None, timeout=10000)
    reader = ctx.session.reader
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Alignment", "Progress", "Collaboration", "Indicators"]
    tags = la_views.national_tags()
    assert page.tables["alignment"].model.rowCount() == len(tags)
    assert page.tables["progress"].model.rowCount() == len(tags)
    assert "schools have shared priorities" in page.alignment_summary.text()
    net = la_views.collaboration(reader)
    assert page.tables["collaboration"].model.rowCount() == len(net.edges) > 0
    assert page.tables["no_collaboration"].model.rowCount() == len(net.isolated)
    assert page.reciprocal.text().startswith(f"In {net.reciprocal_pairs} pair")
    assert page.isolated.text().startswith(f"{len(net.isolated)} school")
    # The drawing: a labelled node per school, a line per link; line style says reciprocal or not.
    view = page.network_view
    assert len(view.edge_items) == len(net.edges)
    styles = {line.pen().style() for _e, line in view.edge_items}
    assert Qt.PenStyle.SolidLine in styles
    # Keyboard: focus, arrows move from school to school, the words say whom it works with.
    page.tabs.setCurrentIndex(2)
    view.setFocus()
    qtbot.waitUntil(lambda: view.chosen is not None, timeout=5000)
    first = view.chosen
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.chosen != first and view.chosen == view.order[1]
    linked = next(k for k in view.order if net.edges_of(k))
    view.choose(linked)
    assert "works with:" in page.network_words.text()
    with qtbot.waitSignal(view.openRequested, timeout=2000):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.school_page.open_dialogs and window.school_page.open_dialogs[-1].key == linked
    opened = window.school_page.open_dialogs[-1]
    qtbot.waitUntil(lambda: opened.summary is not None, timeout=10000)
    # Indicators: small cohorts said in words.
    assert "fewer than 5 pupils" in page.suppression.text()
    ind = page.tables["indicators"].model
    suppressed_col = next((i for i, h in enumerate(ind.headers) if h == "Combined value"), None)
    assert suppressed_col is not None
    for row in ind.rows:
        assert row[suppressed_col] != "" or row[4] == ""


def test_exports_csv_and_pdf_off_the_writer(launch, la_dir, qtbot, tmp_path, fake_dialogs):  # noqa: F811
    ctx, window, _schools = open_la(launch, qtbot, la_dir)
    page = window.show_page("la_exports")
    assert page.table_combo.count() == len(la_views.TABLES)
    out = tmp_path / "tablau" / "ysgolion"
    out.parent.mkdir(parents=True)
    fake_dialogs.files.append(str(out))
    page.table_combo.setCurrentIndex(page.table_combo.findData("schools"))
    seen_background = []
    window.operations.backgroundBusyChanged.connect(seen_background.append)
    assert page.ask_csv()
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    csv_path = out.with_suffix(".csv")
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"School,School number" in data
    assert seen_background[:1] == [True]  # written on the background pool, not the writer
    assert f"to {csv_path}" in page.message.text() and page.open_button.isVisibleTo(page)
    page.open_last()
    assert fake_dialogs.calls[-1] == ("open_document", str(csv_path))

    pdf = tmp_path / "crynodeb.pdf"
    page.pdf_language.setCurrentIndex(page.pdf_language.findData("both"))
    page.make_pdf(pdf, "both")
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.index("Sir Gaerfyrddin") < text.index("Carmarthenshire")  # Welsh first
    assert "page" in page.message.text()


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_la_pages_have_every_control_named(launch, la_dir, qtbot, lang):  # noqa: F811
    ctx, window, _page = open_la(launch, qtbot, la_dir, lang)
    missing = []
    for name, widget in walk_la(window, qtbot):
        missing += [f"{name}: {w}" for w in interactive_without_name(widget)]
    assert not missing, missing


def test_la_pages_switch_language_at_once(launch, la_dir, qtbot, tmp_path):  # noqa: F811
    """(The walk of every LA page in Welsh is in test_gui_walk.py.)"""
    from test_gui_walk import data_strings

    ctx, window, _page = open_la(launch, qtbot, la_dir, "cy")
    assert window.name_label.text() == "Sir Gaerfyrddin"
    for _name, _widget in walk_la(window, qtbot):
        pass
    window.en_button.click()
    QApplication.processEvents()
    assert window.pages["la_across"].tabs.tabText(0) == "Alignment"
    leftovers = []
    allowed_en = data_strings("en") | la_data_strings(la_dir, "en") | la_data_strings(la_dir, "cy")
    for w in (window, *window.pages["la_schools"].open_dialogs):
        leftovers += welsh_problems(collect(w), allowed_en)
    assert not leftovers, leftovers


def test_first_start_la_page_in_welsh(launch, tmp_path):
    from test_gui_walk import data_strings

    ctx = launch(tmp_path / "newydd", "cy")
    dialog = ctx.first_start
    dialog.stack.setCurrentIndex(dialog.PAGE_CHOICE)
    problems = english_problems(collect(dialog), data_strings("cy"))
    dialog.stack.setCurrentIndex(dialog.PAGE_LA)
    problems += english_problems(collect(dialog), data_strings("cy"))
    assert not problems, problems
    assert not interactive_without_name(dialog)
    assert dialog.la_combo.itemText(0) == sorted((dialog.la_combo.itemText(i) for i in range(22)), key=lambda n: sort_key(n, "cy"))[0]


def test_first_start_opens_the_example_local_authority(launch, tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("SELFEVAL_EXAMPLE_DIR", str(tmp_path / "enghraifft" / "example"))
    ctx = launch(tmp_path / "newydd", "en")
    dialog = ctx.first_start
    dialog.stack.setCurrentIndex(dialog.PAGE_LA)
    assert dialog.la_example_button.text() == "Explore the example local authority"
    dialog.la_example_button.click()
    qtbot.waitUntil(lambda: ctx.window is not None, timeout=60000)
    window = ctx.window
    assert window.is_la and window.banner.isVisibleTo(window) and "Example local authority" in window.banner.text()
    assert ctx.data_dir == tmp_path / "enghraifft" / "example-la"
    page = window.show_page("la_schools")
    qtbot.waitUntil(lambda: len(page.rows) >= 12, timeout=10000)
    assert not any((tmp_path / "newydd").glob("keys"))  # the empty folder was left alone


def test_a_page_reading_stale_summaries_refreshes_on_the_worker_and_reads_again(launch, la_dir, qtbot, monkeypatch):  # noqa: F811
    """Fault injected at the narrowest point: the summaries' change-log mark is set back by
    another connection between the worker's refresh and the page's read, so la_views would write
    through the read-only reader (DatabaseReadOnlyError); the page refreshes again and reads."""
    import sqlite3

    from selfeval_app.core.database import database_path

    ctx, window, page = open_la(launch, qtbot, la_dir)
    before = [r.key for r in page.rows]
    from selfeval_app.gui.la import reading

    refreshes = []
    real = reading.after_refresh
    monkeypatch.setattr(reading, "after_refresh", lambda w, then: (refreshes.append(1), real(w, then)))
    conn = sqlite3.connect(database_path(la_dir))
    with conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = ?", (la_views.VIEW_SEQ_KEY,))
    conn.close()
    page.rows = []
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page._read_once()
    assert refreshes  # the read met stale summaries and asked the worker again
    assert [r.key for r in page.rows] == before
