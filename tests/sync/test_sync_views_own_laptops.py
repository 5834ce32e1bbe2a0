"""The window's sync state in words for a school with two laptops (no Qt): another laptop of ours
named by its short id, and bundles held for a decision, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from selfeval_app.core import i18n
from selfeval_app.sync_views import status_lines

INFO = {
    "configured": {"kind": "folder", "path": "/srv/Rhannu"},
    "last_success": "2026-12-03T10:42:00Z",
    "last_error": None,
    "next_try": None,
    "waiting_files": 0,
    "refused": [],
    "held": 2,
    "contacts": [
        {"identity": "ab12cd34-5678-4000-8000-000000000001", "name": {}, "own": True, "records": 3, "bundles": 1},
        {"identity": "ab12cd34-5678-4000-8000-000000000002", "name": {}, "own": True, "records": 0, "bundles": 0},
    ],
}


@pytest.fixture
def language():
    before = i18n.current_language()
    yield i18n.set_language
    i18n.set_language(before)


def test_own_laptops_and_held_bundles_in_english(language):
    language("en")
    lines = status_lines(INFO, dt.date(2026, 12, 3))
    assert "Waiting to reach another laptop of this school (laptop AB12CD34): 3 records not yet confirmed." in lines
    assert "Everything shared has reached another laptop of this school (laptop AB12CD34)." in lines
    assert "2 bundles from another laptop of this school would delete many records and wait for a decision: see “Needs a decision”." in lines
    assert not any("—" in line for line in lines)


def test_own_laptops_and_held_bundles_in_welsh(language):
    language("cy")
    lines = status_lines(INFO, dt.date(2026, 12, 3))
    text = "\n".join(lines)
    assert "gliniadur arall yr ysgol hon (gliniadur AB12CD34)" in text
    assert "Gweler “Angen penderfyniad”" in text and ": 2." in text
    for english in ("laptop of this school", "waits for a decision", "Needs a decision", "bundle"):
        assert english not in text
