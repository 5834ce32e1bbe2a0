"""Shared set-up for the evidence log and search page tests: data written with the real record
API into the real SQLite file before the app opens, and waiting for the worker's saves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

TODAY = dt.date(2025, 11, 20)  # academic year 2025–26
YEAR = 2025
STATEMENTS = [
    {"id": "st-reading", "kind": "strength", "text": {"cy": "Mae darllen yn gryf", "en": "Reading is strong"}},
    {"id": "st-writing", "kind": "development", "text": {"cy": "Ysgrifennu estynedig", "en": "Extended writing"}},
]


def seed(data_dir: Path, fn):
    """Run fn(store) on the data folder's database (before the app opens it)."""
    db = open_database(data_dir)
    try:
        return fn(RecordStore(db, device_id="device-seed"))
    finally:
        db.close()


def with_evaluation(store: RecordStore) -> None:
    store.create("evaluation", {"area_id": "estyn-2024-1", "academic_year": YEAR, "statements": STATEMENTS})


def evidence(store: RecordStore, title_cy: str, title_en: str | None = None, **values) -> dict:
    fields = {
        "date": values.pop("date", "2025-10-01"),
        "kind": values.pop("kind", "learning_walk"),
        "title": {"cy": title_cy, "en": title_en if title_en is not None else title_cy},
    }
    visibility = values.pop("visibility", "private")
    fields.update(values)
    return store.create("evidence", fields, visibility=visibility)


def open_page(launch, data_dir: Path, lang: str, key: str = "evidence"):
    ctx = launch(data_dir, lang)
    ctx.window.clock = FixedClock(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC))
    return ctx, ctx.window.show_page(key)


def read(data_dir: Path, fn):
    """Read the real SQLite file on a connection of its own."""
    return seed(data_dir, fn)


def titles(page) -> list[str]:
    model = page.model
    return [model.data(model.index(row, 2)) for row in range(model.rowCount())]
