"""Evidence input checks and saving, link choices, and paged search (core, no Qt)."""

from __future__ import annotations

import datetime as dt

import pytest

from selfeval_app.core import i18n
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import ValidationError
from selfeval_app.core.evidence_edit import (
    ERR_DATE,
    ERR_KIND,
    ERR_TITLE,
    area_choices,
    save_evidence,
    statement_choices,
    validate_evidence,
)
from selfeval_app.core.evidence_labels import kind_label, visibility_explanation
from selfeval_app.core.records import RecordStore
from selfeval_app.core.search import SearchPager, search
from selfeval_app.core.search import count as count_hits


@pytest.fixture
def store(tmp_path):
    db = open_database(tmp_path / "Ysgol #3 Beth? pam a%20b ŵŷ")
    s = RecordStore(db, device_id="d")
    s.create("school", {"name": {"cy": "Ysgol", "en": "School"}})
    yield s
    db.close()


def test_missing_date_kind_and_title_are_reported_and_nothing_is_saved(store):
    values = {"date": None, "kind": None, "title": {"cy": "  ", "en": ""}}
    assert validate_evidence(values) == {"date": ERR_DATE, "kind": ERR_KIND, "title": ERR_TITLE}
    with pytest.raises(ValidationError) as err:
        save_evidence(store, None, values)
    assert err.value.field == "date"
    assert store.count("evidence") == 0
    i18n.set_language("cy")
    try:
        assert err.value.message() == "Rhowch y dyddiad y casglwyd y dystiolaeth."
    finally:
        i18n.set_language("en")


def test_save_creates_then_updates_with_visibility_and_trimmed_links(store):
    values = {
        "date": dt.date(2025, 10, 3),
        "kind": "book_look",
        "title": {"cy": " Craffu ar lyfrau ", "en": ""},
        "area_ids": ["estyn-2024-1", "estyn-2024-1", "estyn-2024-3"],
    }
    rec = save_evidence(store, None, values, visibility="peers")
    assert rec["title"] == {"cy": "Craffu ar lyfrau", "en": ""}
    assert rec["area_ids"] == ["estyn-2024-1", "estyn-2024-3"] and rec["visibility"] == "peers"
    again = save_evidence(store, rec["id"], {**values, "kind": "learner_voice"}, visibility="la", base_rev=rec["rev"])
    assert again["kind"] == "learner_voice" and again["visibility"] == "la" and again["rev"] == rec["rev"] + 1


def test_choices_name_areas_and_the_years_statements(store):
    store.create("area", {"code": "BW1", "title": {"cy": "Y Gymraeg", "en": "Welsh"}})
    store.create(
        "evaluation",
        {"area_id": "estyn-2024-1", "academic_year": 2025, "statements": [{"id": "s1", "kind": "strength", "text": {"cy": "Cryf", "en": "Strong"}}]},
    )
    store.create(
        "evaluation",
        {"area_id": "estyn-2024-2", "academic_year": 2024, "statements": [{"id": "old", "kind": "next_step", "text": {"cy": "Hen", "en": "Old"}}]},
    )
    areas = area_choices(store, "cy")
    assert [a.short for a in areas] == ["1", "2", "3", "BW1"]
    assert areas[0].label == "1. Addysgu a dysgu"
    assert [c.id for c in statement_choices(store, 2025, "en")] == ["s1"]
    linked = statement_choices(store, 2025, "en", also=("old",))
    assert [c.id for c in linked] == ["s1", "old"]
    assert linked[0].label == "1 · Strength: Strong"


def test_labels_follow_the_language():
    i18n.set_language("cy")
    try:
        assert kind_label("learning_walk") == "Taith ddysgu"
        assert kind_label("book_look").startswith("Craffu ar waith")
        assert "ysgol" in visibility_explanation("private")
    finally:
        i18n.set_language("en")
    assert kind_label("learner_voice") == "Learner voice"


def test_search_pages_are_stable_one_hit_per_record(store):
    for i in range(45):
        store.create("evidence", {"date": "2025-10-01", "kind": "other", "title": {"cy": f"Tŷ {i}", "en": f"House tŷ {i}"}})
    store.flush_search_index()
    assert count_hits(store.conn, "ty") == 45
    pager = SearchPager(store.conn, "ty", lang="cy")
    pages = [pager.next_page(20) for _ in range(4)]
    ids = [h.record_id for page in pages for h in page]
    assert [len(p) for p in pages] == [20, 20, 5, 0]
    assert len(ids) == 45 == len(set(ids))
    assert all(h.lang == "cy" for page in pages for h in page)  # both rows matched: Welsh shown
    english = SearchPager(store.conn, "house", lang="cy").next_page(50)
    assert len(english) == 45 and all(h.lang == "en" for h in english)  # only the English matched
    # `search` with an offset counts records, the same order as the pager's
    assert [h.record_id for h in search(store.conn, "ty", lang="cy", limit=20, offset=20)] == [h.record_id for h in pages[1]]
    for text in ('"', "AND", "NOT", "i'r", "a’r", "*"):
        SearchPager(store.conn, text).next_page(10)  # never a syntax error


def test_search_pager_reads_on_after_a_page_that_ended_mid_fetch(store):
    # Only one language matches, so a fetch of 2 × limit rows holds more than one page.
    for i in range(25):
        store.create("evidence", {"date": "2025-10-01", "kind": "other", "title": {"cy": f"Cwningod {i}", "en": f"Rabbits {i}"}})
    store.flush_search_index()
    pager = SearchPager(store.conn, "cwningod", lang="en")
    pages = [pager.next_page(10) for _ in range(4)]
    assert [len(p) for p in pages] == [10, 10, 5, 0]
    assert len({h.record_id for p in pages for h in p}) == 25
