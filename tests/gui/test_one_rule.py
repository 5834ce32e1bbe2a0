"""One rule for "does this priority run in year Y?": the "This term at a glance" page and both
reports list the same priorities, from every plan, including one with no end year (issue 16)."""

from __future__ import annotations

import datetime as dt

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.reports import governors, sdp_summary

CLOCK = FixedClock(dt.datetime(2025, 11, 20, 10, 0))  # autumn term 2025–26
TODAY = dt.date(2025, 11, 20)


def _plans_with_open_ended_priority(data_dir) -> dict[str, str]:
    db = open_database(data_dir)
    try:
        store = RecordStore(db, device_id="device-rule-test")
        older = store.create("plan", {"start_year": 2024})
        newer = store.create("plan", {"start_year": 2025})
        ids = {
            # no end year: runs on until it is ended
            "open": store.create("priority", {"plan_id": older["id"], "title": {"en": "Attendance"}, "start_year": 2024})["id"],
            # in the older plan: the glance page used to read only the newest plan
            "older": store.create("priority", {"plan_id": older["id"], "title": {"en": "Reading"}, "start_year": 2024, "end_year": 2026})["id"],
            "newer": store.create("priority", {"plan_id": newer["id"], "title": {"en": "Numeracy"}, "start_year": 2025, "end_year": 2025})["id"],
            "ended": store.create("priority", {"plan_id": older["id"], "title": {"en": "Old"}, "start_year": 2024, "end_year": 2024})["id"],
        }
        return ids
    finally:
        db.close()


def test_glance_and_both_reports_list_the_same_priorities(launch, school_dir, qtbot):
    ids = _plans_with_open_ended_priority(school_dir)
    expected = {ids["open"], ids["older"], ids["newer"]}

    db = open_database(school_dir)
    try:
        store = RecordStore(db, device_id="device-rule-test")
        in_governors = {p["id"] for p in governors.gather(store, 2025, "autumn", TODAY).priorities}
        summary = sdp_summary.build(store, lang="en", year=2025, today=TODAY)
        in_summary = {s["id"] for s in summary.sources.as_list() if s["type"] == "priority"}
    finally:
        db.close()

    ctx = launch(school_dir, "en")
    ctx.window.clock = CLOCK
    glance = ctx.window.show_page("glance")
    on_glance = {p["id"] for p in glance.data["priorities"]}

    assert in_governors == expected
    assert on_glance == expected
    assert in_summary == expected  # the summary covers 2025–26 to 2027–28: "ended" ran in 2024–25
