"""The evaluation and coverage pages of the example school: coverage figures as the core counts
them, no English in Welsh mode on the pages and their dialogs, an accessible name on every control
in both languages, and a language switch with the pages open."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from PySide6.QtCore import Qt

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core import framework
from selfeval_app.core.clock import FixedClock
from selfeval_app.core.evidence_labels import kind_label
from selfeval_app.core.evidence_queries import coverage
from selfeval_app.gui import welsh_letters

TODAY = dt.datetime(2026, 3, 10, 10, 0)


@pytest.fixture
def example_dir(tmp_path):
    from selfeval_app.core.demo import build_example_school

    folder = tmp_path / "example"
    build_example_school(folder, device_id="d", today=TODAY.date())
    return folder


def open_window(launch, folder, lang):
    ctx = launch(folder, lang)
    ctx.window.clock = FixedClock(TODAY)
    return ctx


def data_strings(reader, lang: str) -> set[str]:
    """Record text the pages show as it is stored (the school's own words, names, numbers)."""
    allowed = set(welsh_letters.LETTERS) | {"Cymraeg", "Defnyddio'r ap yn Gymraeg"}
    school = reader.school()
    allowed |= {school["name"]["cy"], school["name"]["en"], school.get("cluster") or ""}
    for area in ee.area_choices(reader, lang):
        allowed.add(area.label(lang))
        allowed |= {ee.bitext_in(p, lang) for p in area.prompts}
        fw_area = framework.current_framework().area(area.id)
        if fw_area:
            allowed.add(fw_area.description(lang))
        else:
            allowed.add(ee.bitext_in(reader.get("area", area.id)["description"], lang))
    for ev in reader.list("evaluation"):
        for text in ev["narrative"].values():
            allowed.add(text)
        for s in ev["statements"]:
            allowed |= set(s["text"].values())
    for ev in reader.list("evidence"):
        allowed |= set(ev["title"].values())
    allowed.add("\n".join(sorted(allowed)))
    return allowed


def page_windows(ctx):
    """The evaluation page, its dialogs, and the coverage page; yields (name, widget)."""
    window = ctx.window
    page = window.show_page("evaluation")
    yield "evaluation page", page
    page.prompts_button.click()
    yield "evaluation page, prompts hidden", page
    page.prompts_button.click()
    dialog = page.open_history()
    yield "history dialog", dialog
    dialog.reject()
    row = page.sections["strength"].rows[0]
    link = page.link_evidence(row.statement_id)
    yield "evidence dialog", link
    link.reject()
    window.show_page("coverage")
    yield "coverage page", window.pages["coverage"]


def test_coverage_figures_match_the_core_and_open_the_area(launch, example_dir, qtbot):
    ctx = open_window(launch, example_dir, "en")
    page = ctx.window.show_page("coverage")
    year = page.selected_year()
    assert year == 2025
    expected = coverage(page.reader, year)
    model = page.model
    areas = model.areas
    assert [a.id for a in areas[:3]] == ["estyn-2024-1", "estyn-2024-2", "estyn-2024-3"]
    kinds = model.kinds
    assert kinds and all(model.headerData(i + 1, Qt.Orientation.Horizontal) == kind_label(k) for i, k in enumerate(kinds))
    grand = 0
    for row, area in enumerate(areas):
        cov = expected.get(area.id)
        total = model.data(model.index(row, len(kinds) + 1))
        assert total == str(cov.total if cov else 0)
        grand += cov.total if cov else 0
        for col, kind in enumerate(kinds, start=1):
            assert model.data(model.index(row, col)) == str(cov.by_kind.get(kind, 0) if cov else 0)
    assert model.data(model.index(len(areas), len(kinds) + 1)) == str(grand)
    assert page.table.accessibleName() == "Evidence by area and kind"
    assert "Teaching and learning:" in page.summary.text() and page.table.accessibleDescription() == page.summary.text()
    unbacked = [sid for cov in expected.values() for sid in cov.statements_without_evidence]
    if unbacked:
        assert page.gaps_box.title() == "Statements with no evidence yet"
    # Double-click / Enter on an area opens its evaluation there.
    page.table.activated.emit(model.index(1, 0))
    assert ctx.window.current_page_key() == "evaluation"
    evaluation = ctx.window.pages["evaluation"]
    assert evaluation.selected_area().id == areas[1].id and evaluation.selected_year() == year


def test_evidence_changes_refresh_counts(launch, example_dir, qtbot):
    ctx = open_window(launch, example_dir, "en")
    page = ctx.window.show_page("evaluation")
    row = page.sections["strength"].rows[0]
    before = row.evidence_count
    evidence_id = page.reader.list("evidence", limit=1)[0]["id"]

    def job(session):
        ev = session.store.require("evidence", evidence_id)
        ids = [s for s in ev["statement_ids"] if s != row.statement_id] + [row.statement_id]
        return session.store.update("evidence", evidence_id, {"statement_ids": ids})

    linked_before = row.statement_id in page.reader.get("evidence", evidence_id)["statement_ids"]
    with qtbot.waitSignal(ctx.window.recordsChanged, timeout=10000):
        ctx.window.run_job(job, changed={"evidence"})  # as the evidence page does
    # counted off the main thread (refresh_counts_in_background), shown when the count comes back
    qtbot.waitUntil(lambda: row.evidence_count == before + (0 if linked_before else 1), timeout=10000)


def test_walk_in_welsh_finds_no_english(launch, example_dir, qtbot):
    ctx = open_window(launch, example_dir, "cy")
    allowed = data_strings(ctx.window.session.reader, "cy")
    problems, walked = [], []
    for name, widget in page_windows(ctx):
        pairs = collect(widget)
        walked.append(name)
        if name == "coverage page":  # the unbacked statements, listed under their areas: data
            allowed.add(widget.gaps.text())
        problems += [f"{name}: {p}" for p in english_problems(pairs, allowed)]
    assert len(walked) == 5
    assert not problems, "English in Welsh mode:\n" + "\n".join(problems)


def test_every_control_has_an_accessible_name(launch, example_dir, qtbot):
    for lang in ("cy", "en"):
        ctx = open_window(launch, example_dir, lang)
        missing = []
        for name, widget in page_windows(ctx):
            missing += [f"{name}: {w}" for w in interactive_without_name(widget)]
        ctx.close()
        assert not missing, f"{lang}: no accessible name: {missing}"


def test_switching_language_with_the_pages_open(launch, example_dir, qtbot):
    ctx = open_window(launch, example_dir, "cy")
    window = ctx.window
    page = window.show_page("evaluation")
    history = page.open_history()
    assert page.sections["strength"].title() == "Cryfderau"
    assert page.area_combo.currentText().startswith("1 Addysgu a dysgu")
    window.en_button.click()
    assert page.sections["strength"].title() == "Strengths"
    assert page.area_combo.currentText() == "1 Teaching and learning"
    assert page.narrative.boxes["cy"].accessibleName() == "Narrative — Welsh"
    assert history.windowTitle() == "History of this evaluation"
    reader = window.session.reader
    leftovers = welsh_problems(collect(page), data_strings(reader, "en")) + welsh_problems(collect(history), data_strings(reader, "en"))
    assert not leftovers, leftovers
    window.cy_button.click()
    problems = english_problems(collect(page), data_strings(reader, "cy")) + english_problems(collect(history), data_strings(reader, "cy"))
    assert not problems, problems
    assert page.state_label.text() == "Wedi'i gadw"
