"""The example local authority for GUI tests: `selfeval demo --role la` built once per test
session (real bundles from a dozen example schools, imported the real way) and copied for each
test, so each test has a data folder of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

_TEMPLATE: dict[str, Path] = {}


def example_la_template(tmp_path_factory) -> Path:
    if "la" not in _TEMPLATE:
        from selfeval_app.exchange import setup
        from selfeval_app.exchange.la_example import add_example_schools

        folder = tmp_path_factory.mktemp("la-template") / "example la"
        setup.demo_la(folder, device_id="device-gui-la")
        add_example_schools(folder)
        _TEMPLATE["la"] = folder
    return _TEMPLATE["la"]


def copy_la(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("*.lock"))
    return target


@pytest.fixture
def la_dir(tmp_path_factory, tmp_path):
    return copy_la(example_la_template(tmp_path_factory), tmp_path / "la data" / "Sir Gâr")


def la_data_strings(data_dir: Path, lang: str) -> set[str]:
    """Names and titles from the example LA's data (shown as they are, in both languages)."""
    from selfeval_app import la_views
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    store = RecordStore(open_database(data_dir), device_id="device-gui-la")
    try:
        allowed: set[str] = set()
        for row in la_views.schools(store, lang=lang):
            allowed |= {row.name.get("cy") or "", row.name.get("en") or "", row.name_in(lang), row.number or ""}
        allowed |= {"Sir Gaerfyrddin", "Carmarthenshire"}
        return {a for a in allowed if a}
    finally:
        store.close()


def walk_la(window, qtbot):
    """Every LA page and tab, and one school's window: (name, widget), each once it has read."""
    for spec in window.page_specs:
        page = window.show_page(spec.key)
        if hasattr(page, "loading"):
            qtbot.waitUntil(lambda page=page: not page.loading, timeout=10000)
        tabs = getattr(page, "tabs", None)
        if tabs is not None:
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                yield f"page {spec.key} tab {i}", window
        else:
            yield f"page {spec.key}", window
    schools = window.pages["la_schools"]
    sender = next(r for r in schools.rows if r.priorities)
    dialog = schools.open_school(sender.key)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10000)
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        yield f"school window tab {i}", dialog
    silent = next(r for r in schools.rows if not r.last_bundle_at)
    quiet = schools.open_school(silent.key)
    qtbot.waitUntil(lambda: quiet.summary is not None, timeout=10000)
    yield "school window (sent nothing)", quiet
