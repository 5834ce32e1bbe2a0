"""Plan input checks and saves: money and numbers as typed, dates and years in order, required
text, whole-or-nothing saves (year end, reordering), small cohorts and busy years."""

from __future__ import annotations

import pytest

from selfeval_app.core import plan_edit as pe
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import ValidationError
from selfeval_app.core.records import RecordStore


@pytest.fixture
def store(tmp_path):
    db = open_database(tmp_path / "Ysgol #3 Beth? pam a%20b ŵŷ")
    s = RecordStore(db, device_id="test")
    yield s
    db.close()


@pytest.mark.parametrize(
    ("text", "pence"),
    [("", None), ("  ", None), ("1250", 125000), ("£1,250.50", 125050), ("£ 0.99", 99), ("12.5", 1250), ("3.", 300), ("1,000,000", 100000000)],
)
def test_parse_money(text, pence):
    assert pe.parse_money(text) == pence


@pytest.mark.parametrize(
    ("text", "message"),
    [("-5", pe.ERR_MONEY_NEGATIVE), ("£-5", pe.ERR_MONEY_NEGATIVE), ("lots", pe.ERR_MONEY), ("1,25", pe.ERR_MONEY), ("1.255", pe.ERR_MONEY_PENNIES), ("1e3", pe.ERR_MONEY)],
)
def test_parse_money_refuses(text, message):
    with pytest.raises(ValidationError) as info:
        pe.parse_money(text, "cost")
    assert info.value.message_id == message and info.value.field == "cost"


def test_money_input_round_trips():
    for pence in (0, 99, 125050, 300):
        assert pe.parse_money(pe.money_input(pence)) == pence


def test_parse_number_with_unit():
    assert pe.parse_number("95%", "target", "%") == 95.0
    assert pe.parse_number(" 12.5 days", "target", "days") == 12.5
    with pytest.raises(ValidationError) as info:
        pe.parse_number("lots", "target", "%")
    assert info.value.message_id == pe.ERR_NUMBER_UNIT and info.value.params == {"unit": "%"}
    with pytest.raises(ValidationError) as info:
        pe.parse_number("nan", "target")
    assert info.value.message_id == pe.ERR_NUMBER


def test_check_action_problems_all_at_once():
    checked = pe.check_action({"description": {"en": " "}, "start_date": "2025-12-01", "due_date": "2025-11-01", "cost": "-1", "committed": "x"})
    assert set(checked.problems) == {"description", "due_date", "cost", "committed"}
    ok = pe.check_action({"description": {"cy": "Prynu llyfrau"}, "due_date": "2025-11-01", "cost": "£10", "funding_source": "pdg"})
    assert ok.ok and ok.values["cost_pence"] == 1000 and ok.values["committed_pence"] is None


def test_check_priority_years_and_plan():
    plan = {"start_year": 2025}
    assert pe.check_priority({"title": {"en": "A"}, "start_year": 2026, "end_year": 2025}, plan).problems["end_year"].message_id == pe.ERR_END_BEFORE_START
    outside = pe.check_priority({"title": {"en": "A"}, "start_year": 2025, "end_year": 2028}, plan)
    assert outside.problems["end_year"].params == {"first": "2025–26", "last": "2027–28"}
    assert pe.check_priority({"title": {"cy": "B"}, "start_year": 2025, "end_year": 2027}, plan).ok


def test_check_criterion_and_indicator():
    c = pe.check_criterion({"description": {"en": "Reading"}, "unit": "%", "target": "eighty", "baseline": "68"})
    assert list(c.problems) == ["target"] and c.values["baseline"] == 68.0
    i = pe.check_indicator({"title": {"en": "Attendance"}, "values": [{"period": "2025–26 Hydref", "value": "94.1", "cohort": "3"}, {"period": "", "value": "", "cohort": ""}], "visibility": "la"})
    assert i.ok and i.values["values"] == [{"period": "2025-26 autumn", "value": 94.1, "cohort": 3}]
    bad = pe.check_indicator({"title": {"en": "A"}, "values": [{"period": "2025-26 autumn", "value": "", "cohort": "3.5"}]})
    assert bad.problems["values"].message_id in (pe.ERR_VALUE_REQUIRED, pe.ERR_WHOLE_NUMBER)


def test_period_words():
    assert pe.normalise_period("2025-26 tymor yr hydref") == "2025-26 autumn"
    assert pe.normalise_period("2024–25 Summer term") == "2024-25 summer"
    assert pe.normalise_period("Summer 2025 (Y6)") == "Summer 2025 (Y6)"
    # Welsh word order, as the hint shows it: the term first.
    assert pe.normalise_period("hydref 2025–26") == "2025-26 autumn"
    assert pe.normalise_period("Tymor yr haf 2025-26") == "2025-26 summer"
    assert pe.normalise_period("tymor y gwanwyn 2026 – 27") == "2026-27 spring"
    assert pe.normalise_period("Autumn term 2025-26") == "2025-26 autumn"
    assert pe.normalise_period("Gŵyl 2025-26") == "Gŵyl 2025-26"  # not a term: kept as typed
    assert pe.period_input("2025-26 spring", "cy") == "gwanwyn 2025–26"
    assert pe.normalise_period(pe.period_input("2025-26 spring", "cy")) == "2025-26 spring"
    assert pe.period_input("2025-26 spring", "en") == "2025-26 spring"


def test_small_cohorts_only_when_leaving_the_laptop():
    values = [{"period": "a", "value": 1, "cohort": 4}, {"period": "b", "value": 1, "cohort": 5}, {"period": "c", "value": 1}]
    assert pe.small_cohorts({"visibility": "private", "values": values}) == []
    assert pe.small_cohorts({"visibility": "peers", "values": values}) == [values[0]]


def test_busy_years_is_a_count():
    prios = [{"start_year": 2025, "end_year": 2026}] * 5 + [{"start_year": 2026, "end_year": 2026}]
    assert pe.busy_years(prios, range(2025, 2028)) == {2026: 6}


def make_plan(store):
    plan = pe.save_plan(store, None, {"title": {"en": "Plan"}, "start_year": 2025})
    a = pe.save_priority(store, plan["id"], None, {"title": {"en": "A"}, "start_year": 2025, "end_year": 2025})
    b = pe.save_priority(store, plan["id"], None, {"title": {"en": "B"}, "start_year": 2025, "end_year": 2025})
    return plan, a, b


def test_saves_check_before_writing(store):
    plan, a, _b = make_plan(store)
    assert (a["position"], _b["position"]) == (1, 2)
    with pytest.raises(ValidationError):
        pe.save_action(store, a["id"], None, {"description": {"en": "x"}, "cost": "-3"})
    with pytest.raises(ValidationError):
        pe.save_plan(store, plan["id"], {"title": {"en": ""}, "start_year": 2025}, plan["rev"])
    assert store.count("action") == 0 and store.get("plan", plan["id"])["rev"] == 1


def test_reorder_and_year_end_are_one_transaction(store):
    plan, a, b = make_plan(store)
    pe.reorder_priorities(store, [b["id"], a["id"]])
    assert [p["id"] for p in store.list("priority", order_by="position")] == [b["id"], a["id"]]
    with pytest.raises(ValueError):
        pe.finish_year(store, plan["id"], 2025, {a["id"]: ("met", {}), b["id"]: ("bogus", {})}, roll_over=True)
    with pytest.raises(Exception):  # noqa: B017 - a missing record fails after a first write
        pe.finish_year(store, plan["id"], 2025, {a["id"]: ("met", {}), "missing": ("met", {})}, roll_over=True)
    assert store.get("priority", a["id"])["year_end"] in (None, {}) and store.count("priority") == 2
    new = pe.finish_year(store, plan["id"], 2025, {a["id"]: ("met", {}), b["id"]: ("not_met", {"en": "Too much"})}, roll_over=True)
    assert [p["origin_id"] for p in new] == [b["id"]] and new[0]["start_year"] == 2026
    assert store.get("priority", b["id"])["year_end"]["2025"] == {"met": "not_met", "why_not": {"cy": "", "en": "Too much"}}


def _with_parts(store):
    plan, a, b = make_plan(store)
    crit = pe.save_criterion(store, a["id"], None, {"description": {"cy": "Darllen yn rhugl"}})
    act = pe.save_action(store, a["id"], None, {"description": {"cy": "Prynu llyfrau"}, "cost": "£100", "funding_source": "pdg"})
    rev = pe.save_review(store, a["id"], None, {"date": "2025-11-10", "academic_year": 2025, "term": "autumn", "rag": "amber"})
    other = pe.save_action(store, b["id"], None, {"description": {"en": "Other"}})
    return plan, a, b, crit, act, rev, other


def test_delete_a_priority_takes_its_parts_and_undo_brings_back_exactly_those(store):
    _plan, a, b, crit, act, rev, other = _with_parts(store)
    gone_before = pe.save_action(store, a["id"], None, {"description": {"en": "Deleted on its own"}})
    pe.delete_plan_item(store, "action", gone_before["id"])
    impact = pe.delete_impact(store, "priority", a["id"])
    assert (impact.criteria, impact.actions, impact.reviews, impact.copies, impact.reports) == (1, 1, 1, 0, 0)
    removed = pe.delete_plan_item(store, "priority", a["id"])
    assert removed[-1] == ("priority", a["id"])
    assert set(removed) == {("success_criterion", crit["id"]), ("action", act["id"]), ("progress_review", rev["id"]), ("priority", a["id"])}
    assert [p["id"] for p in store.list("priority")] == [b["id"]] and [x["id"] for x in store.list("action")] == [other["id"]]
    assert store.count("success_criterion") == 0 and store.count("progress_review") == 0
    pe.undo_delete(store, removed)
    assert store.get("priority", a["id"])["title"] == {"cy": "", "en": "A"}
    assert store.get("action", act["id"])["cost_pence"] == 10000 and store.get("action", act["id"])["priority_id"] == a["id"]
    assert store.get("progress_review", rev["id"])["rag"] == "amber"
    assert store.get("action", gone_before["id"]) is None  # deleted before: stays deleted


def test_undo_is_all_or_nothing(store):
    _plan, a, _b, _crit, act, _rev, _other = _with_parts(store)
    removed = pe.delete_plan_item(store, "priority", a["id"])
    pe.undo_delete(store, [("action", act["id"])])  # brought back on its own first
    with pytest.raises(Exception):  # noqa: B017 - the action is not deleted any more
        pe.undo_delete(store, removed)
    assert store.get("priority", a["id"]) is None and store.count("success_criterion") == 0


def test_delete_impact_names_copies_and_reports(store):
    plan, a, b = make_plan(store)
    new = pe.finish_year(store, plan["id"], 2025, {a["id"]: ("not_met", {}), b["id"]: ("met", {})}, roll_over=True)
    store.create("report_issue", {"kind": "governors", "language": "cy", "sources": [{"id": a["id"], "type": "priority", "rev": 2}]})
    impact = pe.delete_impact(store, "priority", a["id"])
    assert (impact.copies, impact.reports) == (1, 1)
    assert pe.delete_impact(store, "priority", b["id"]) == pe.DeleteImpact()
    pe.delete_plan_item(store, "priority", a["id"])  # still allowed: the copy keeps its link
    assert store.get("priority", new[0]["id"])["origin_id"] == a["id"]
    assert store.history("priority", a["id"])[0]["content"]["title"]["en"] == "A"


def test_delete_indicator_and_refusals(store):
    ind = pe.save_indicator(store, None, {"title": {"en": "Attendance"}, "values": []})
    assert pe.delete_plan_item(store, "indicator", ind["id"]) == [("indicator", ind["id"])]
    assert store.count("indicator") == 0
    with pytest.raises(Exception):  # noqa: B017 - gone already
        pe.delete_plan_item(store, "indicator", ind["id"])
    with pytest.raises(ValueError):
        pe.delete_plan_item(store, "school", "x")


def test_roll_over_leaves_a_priority_with_no_end_year_running(store):
    """No end year: it runs on (core/plan_years.py), so the year end has nothing to copy."""
    from selfeval_app.core.year_transitions import roll_over_priorities

    plan = store.create("plan", {"start_year": 2025})
    open_ended = store.create("priority", {"plan_id": plan["id"], "title": {"en": "Attendance"}, "start_year": 2025})
    ended = store.create("priority", {"plan_id": plan["id"], "title": {"en": "Reading"}, "start_year": 2025, "end_year": 2025})
    copies = roll_over_priorities(store, plan["id"], 2025)
    assert [c["origin_id"] for c in copies] == [ended["id"]]
    assert open_ended["id"] not in {p.get("origin_id") for p in store.list("priority")}
