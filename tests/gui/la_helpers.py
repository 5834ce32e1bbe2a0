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
