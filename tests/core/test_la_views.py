"""The LA's views over records that arrived from schools (no exchange, no Qt): indicators combined
only where units match with small cohorts left out, visits without findings or team, partners
typed by name, schools known only by their records."""

from __future__ import annotations

import pytest

from selfeval_app import la_views
from selfeval_app.core.database import open_database
from selfeval_app.core.la_schools import ListedSchool, replace_school_list
from selfeval_app.core.records import RecordStore


@pytest.fixture
def schools(tmp_path):
    made = []

    def make(name_cy, number):
        s = RecordStore(open_database(tmp_path / f"school-{len(made)}"), device_id=f"device-{len(made)}")
        s.create("school", {"name": {"cy": name_cy, "en": ""}, "establishment_number": number}, visibility="la")
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


def _send(la, school):
    """Everything the school shares with the LA arrives (as a bundle would bring it)."""
    from selfeval_app.core import record_types as rt

    for t in rt.RECORD_TYPES:
        for rec in school.list(t, where="visibility = 'la'"):
            la.apply_incoming(rec)


def _indicator(s, title, unit, values):
    s.create("indicator", {"title": {"cy": title, "en": title}, "unit": unit, "values": values}, visibility="la")


def test_indicators_combine_where_units_match_and_small_cohorts_are_left_out(store, schools):
    a, b, c = schools("Ysgol A", "669/2001"), schools("Ysgol B", "669/2002"), schools("Ysgol C", "669/2003")
    _indicator(a, "Attendance", "%", [{"period": "2025-26 autumn", "value": 50.0, "cohort": 3}])
    _indicator(b, "attendance ", "%", [{"period": "2025-26 autumn", "value": 90.0, "cohort": 20}])
    _indicator(c, "Attendance", "%", [{"period": "2025-26 autumn", "value": 80.0, "cohort": 30}])
    _indicator(c, "Attendance", "days", [{"period": "2025-26 autumn", "value": 170, "cohort": 30}])
    _indicator(a, "Reading", "%", [{"period": "2025-26 autumn", "value": 70.0, "cohort": 2}])
    _indicator(b, "Reading", "%", [{"period": "2025-26 autumn", "value": 60.0, "cohort": 4}])
    for s in (a, b, c):
        _send(store, s)
    combined = {(c.title["en"].strip().lower(), c.unit): c for c in la_views.combined_indicators(store)}
    pct = combined[("attendance", "%")]
    assert (pct.schools, pct.cohort, pct.value, pct.left_out, pct.suppressed) == (2, 50, 84.0, 1, False)
    assert combined[("attendance", "days")].value == 170 and combined[("attendance", "days")].schools == 1
    reading = combined[("reading", "%")]
    assert reading.suppressed and reading.value is None and reading.left_out == 2
    rows = la_views.table(store, "indicators", lang="en").rows
    assert any("Suppressed" in r[5] for r in rows)


def test_schools_known_only_by_records_listed_ones_and_typed_partners(store, schools):
    a = schools("Ysgol Ŵyn", "669/2001")
    a.create("partnership", {"kind": "horizontal", "name": {"cy": "Partneriaeth", "en": ""}, "partners": [
        {"number": "", "identity_id": "", "name": {"cy": "Ysgol y Bont", "en": ""}},
        {"number": "", "identity_id": "", "name": {"cy": "YSGOL GLAN-Y-MOR", "en": ""}},
    ]}, visibility="la")
    _send(store, a)
    replace_school_list(store, [ListedSchool("669/2009", "Ysgol Glan-y-môr", "", 2)])
    rows = la_views.schools(store, lang="cy")
    assert [(r.name_in("cy"), r.listed, r.identity_id == a.owner) for r in rows] == [
        ("Ysgol Glan-y-môr", True, False),
        ("Ysgol Ŵyn", False, True),
    ]
    net = la_views.collaboration(store)
    keys = {n.key for n in net.nodes}
    assert "list:669/2009" in keys  # matched by the folded name to the listed school
    assert "name:ysgol y bont" in keys  # typed, known nowhere: a node of its own
    assert all(e.named_by == (a.owner,) and not e.reciprocal for e in net.edges) and len(net.edges) == 2


def test_visits_without_team_questions_or_findings_are_tolerated(store, schools):
    a = schools("Ysgol A", "669/2001")
    a.create("review_visit", {"host_name": {"cy": "Ysgol A", "en": ""}, "start_date": "2026-10-01", "kind": "peer_review", "status": "draft"}, visibility="la")
    _send(store, a)
    [row] = la_views.schools(store)
    assert row.visits_hosted == 1 and row.visits_given == 0
    summary = la_views.school_summary(store, row.key)
    [visit] = summary.visits_hosted
    assert visit.team == () and visit.partner_keys == () and visit.findings_shared == 0
    assert la_views.school_summary(store, "no-such-school") is None


def test_trend_and_words_never_colours_alone():
    assert la_views.trend_of("green", "amber") == "improving"
    assert la_views.trend_of("red", "amber") == "worse"
    assert la_views.trend_of("amber", "amber") == "steady"
    assert la_views.trend_of("amber", None) is None
    assert la_views.rag_label("green") == "Green" and la_views.rag_label(None) == "No review yet"


def test_every_table_has_headers_in_both_languages(store):
    from selfeval_app.core import i18n

    english = {name: la_views.table(store, name, lang="en").headers for name in la_views.TABLES}
    i18n.set_language("cy")
    welsh = {name: la_views.table(store, name, lang="cy").headers for name in la_views.TABLES}
    i18n.set_language("en")
    for name in la_views.TABLES:
        assert len(welsh[name]) == len(english[name])
        assert welsh[name] != english[name], name


def test_summaries_follow_the_change_log_one_school_at_a_time(store, schools):
    a, b = schools("Ysgol A", "669/2001"), schools("Ysgol B", "669/2002")
    plan = b.create("plan", {"title": {"cy": "Cynllun"}, "start_year": 2026}, visibility="la")
    pri = b.create("priority", {"plan_id": plan["id"], "title": {"cy": "Darllen"}, "national_priority_ids": ["literacy"]}, visibility="la")
    for s in (a, b):
        _send(store, s)
    assert la_views.refresh(store) == 2 and la_views.refresh(store) == 0
    before = {r.number: r for r in la_views.schools(store)}
    assert before["669/2002"].priorities == 1 and before["669/2002"].national_tags == ("literacy",)
    changed = b.update("priority", pri["id"], {"national_priority_ids": ["numeracy"]})
    store.apply_incoming(changed)
    assert la_views.refresh(store) == 1  # only school B is summarised again
    after = {r.number: r for r in la_views.schools(store)}
    assert after["669/2002"].national_tags == ("numeracy",) and after["669/2001"] == before["669/2001"]
    b.set_visibility("priority", pri["id"], "private")
    from selfeval_app.core.share_ledger import withdrawal_version

    store.apply_incoming(withdrawal_version(b, b.get("priority", pri["id"])))
    assert {r.number: r for r in la_views.schools(store)}["669/2002"].priorities == 0
