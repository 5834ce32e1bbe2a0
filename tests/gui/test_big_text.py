"""Text at 200%: the window still fits a laptop screen (1366 × 768) with every page, because pages
scroll inside it and the evidence page stacks its list above its editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from selfeval_app.core.demo import build_example_school

LAPTOP_WIDTH, LAPTOP_HEIGHT = 1366, 768


@pytest.fixture
def big_text(qapp):
    font = qapp.font()
    original = qapp.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    qapp.setFont(font)
    yield
    qapp.setFont(original)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_every_page_fits_a_laptop_screen_at_200_percent(launch, tmp_path, qtbot, big_text, lang):
    folder = tmp_path / "example"
    build_example_school(folder, device_id="device-big-text")
    ctx = launch(folder, lang)
    window = ctx.window
    for spec in window.page_specs:
        window.show_page(spec.key)
        QApplication.processEvents()
        needed = window.minimumSizeHint()
        assert needed.width() <= LAPTOP_WIDTH, (spec.key, needed)
        assert needed.height() <= LAPTOP_HEIGHT, (spec.key, needed)
    reports = window.open_reports()
    assert reports.minimumSizeHint().height() <= LAPTOP_HEIGHT
    reports.reject()


def test_evidence_page_stacks_list_and_editor_when_the_text_is_big(launch, school_dir, qtbot, big_text):
    ctx = launch(school_dir, "cy")
    ctx.window.resize(LAPTOP_WIDTH, LAPTOP_HEIGHT)
    page = ctx.window.show_page("evidence")
    page.fit_width(ctx.window.stack.width())
    assert page.splitter.orientation() == Qt.Orientation.Vertical
    page.fit_width(200 * page.fontMetrics().averageCharWidth())
    assert page.splitter.orientation() == Qt.Orientation.Horizontal
