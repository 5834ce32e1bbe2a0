"""A head's laptop that also reviews holds the example host's pack: the school's usual reads,
reports and commands give only the school's own records (docs/decisions/ownscope.md)."""

from __future__ import annotations

import json

import pytest
from tests.exchange import own_scope_laptop as osl
from tests.exchange.test_exchange_cli import run, run_json

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core import evidence_queries as eq
from selfeval_app.core import search as core_search
from selfeval_app.core.attention import what_needs_attention
from selfeval_app.core.database import open_database
from selfeval_app.core.record_types import WORKSPACE_TYPES
from selfeval_app.core.records import RecordStore
from selfeval_app.core.year_transitions import roll_over_priorities
from selfeval_app.reports import governors

HOST_WORD = "Wennol"  # in the host's school name and text; not in the head's school's records


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return osl.build(tmp_path_factory.mktemp("own-scope"))


@pytest.fixture
def laptop(template, tmp_path):
    return osl.copy(template, tmp_path / "S")


@pytest.fixture
def store(laptop):
    s = RecordStore(open_database(laptop.folder), device_id="device-S")
    yield s
    s.close()


def _host_held(store, laptop, type_name):
    return store.list(type_name, owners=laptop.host)


def test_the_laptop_holds_the_hosts_records_of_the_same_area_and_year(store, laptop):
    """The setting is what the tests below need: the host's records are there, and first."""
    host_evals = [e for e in _host_held(store, laptop, "evaluation") if e["area_id"] == osl.AREA and e["academic_year"] == osl.YEAR]
    assert host_evals and _host_held(store, laptop, "evidence") and _host_held(store, laptop, "priority")
    first = store.conn.execute(
        "SELECT owner FROM evaluation WHERE area_id = ? AND academic_year = ? ORDER BY rowid LIMIT 1", (osl.AREA, osl.YEAR)
    ).fetchone()[0]
    assert first == laptop.host


def test_find_evaluation_gives_the_schools_and_editing_the_narrative_works(store, laptop):
    found = ee.find_evaluation(store, osl.AREA, osl.YEAR)
    assert found["id"] == laptop.own["evaluation"] and found["owner"] == laptop.school
    chain = ee.SaveChain(area_id=osl.AREA, year=osl.YEAR, record_id=found["id"], rev=found["rev"])
    saved = ee.save_evaluation(store, chain, {"narrative": {"cy": "Newydd", "en": "New"}})
    assert saved["id"] == laptop.own["evaluation"] and saved["narrative"]["en"] == "New"
    host_eval = next(e for e in _host_held(store, laptop, "evaluation") if e["area_id"] == osl.AREA)
    assert store.get("evaluation", host_eval["id"])["rev"] == host_eval["rev"]  # the host's untouched
    # A new year's first save for an area the host evaluates is not refused as "already there".
    fresh = ee.save_evaluation(store, ee.SaveChain(area_id="estyn-2024-2", year=osl.YEAR), {"narrative": {"en": "Ours"}})
    assert fresh["owner"] == laptop.school


def test_evaluation_years_and_year_checks_count_only_ours(store, laptop):
    ours = {e["academic_year"] for e in store.list("evaluation")}
    assert ee.evaluation_years(store, 2030) == sorted(ours | {2030}, reverse=True)
    host_years = {e["academic_year"] for e in _host_held(store, laptop, "evaluation")}
    for year in host_years - ours:
        assert not ee.year_has_evaluations(store, year)
    assert ee.year_has_evaluations(store, osl.YEAR)
    # Without an evaluation of our own this year, the host's do not count as ours.
    store.delete("evaluation", laptop.own["evaluation"])
    assert not ee.year_has_evaluations(store, osl.YEAR)
    assert ee.evaluation_years(store, 2030) == [2030]
    assert not ee.can_start_year_from_previous(store, osl.YEAR + 1)


def test_evidence_lists_counts_coverage_and_choices_are_ours(store, laptop):
    assert {r["id"] for r in eq.list_evidence(store)} == {laptop.own["evidence"]}
    assert eq.count_evidence(store) == 1
    assert eq.count_evidence(store, eq.EvidenceFilter(area_id=osl.AREA)) == 1
    cov = eq.coverage(store, osl.YEAR)
    assert sum(c.total for c in cov.values()) == 1 and cov[osl.AREA].total == 1
    assert all(not c.statements_without_evidence for c in cov.values())  # our one statement is backed
    choices = ee.evidence_choices(store, laptop.own["statement"], "en")
    assert [(c.id, c.linked) for c in choices] == [(laptop.own["evidence"], True)]
    host_statement = next(
        s["id"] for e in _host_held(store, laptop, "evaluation") for s in e["statements"] or [] if s.get("id")
    )
    assert ee.statement_evidence_counts(store, [laptop.own["statement"], host_statement]) == {
        laptop.own["statement"]: 1, host_statement: 0,
    }
    # The host's, asked for by owner (the read-only window of another owner's records).
    store.viewing({laptop.host})
    try:
        assert eq.count_evidence(store) == len(_host_held(store, laptop, "evidence")) > 0
    finally:
        store.viewing(None)


def test_home_needs_attention_is_ours(store, laptop):
    att = what_needs_attention(store, osl.TODAY)
    assert att.has_plan
    assert [a.action_id for a in att.overdue] == [laptop.own["action"]]
    assert [r.priority_id for r in att.reviews_due] == [laptop.own["priority"]]
    assert att.statements_without_evidence == []  # the host's unbacked statements are not ours
    # With no plan of our own, home says so even though the host's plan is held.
    store.delete("action", laptop.own["action"])
    store.delete("priority", laptop.own["priority"])
    store.delete("plan", laptop.own["plan"])
    assert not what_needs_attention(store, osl.TODAY).has_plan


def test_search_finds_only_our_workspace_records(store, laptop):
    hits = store.search(osl.WORD, lang="en")
    assert {h.record_id for h in hits} >= {laptop.own["evaluation"], laptop.own["evidence"], laptop.own["priority"]}
    owners = {store.get(h.type, h.record_id)["owner"] for h in hits}
    assert owners == {laptop.school}
    # The host's text: found only in records that are not the school's workspace (its school
    # record and visit), never its evaluations, evidence or plan.
    host_hits = core_search.search(store.conn, "reading", lang="en", limit=500)
    assert all(h.type not in WORKSPACE_TYPES or store.get(h.type, h.record_id)["owner"] == laptop.school for h in host_hits)
    assert core_search.count(store.conn, "reading") == len(host_hits)
    every = core_search.search(store.conn, "reading", lang="en", limit=500, owners="any")
    assert any(h.type in WORKSPACE_TYPES and store.get(h.type, h.record_id)["owner"] == laptop.host for h in every)
    assert core_search.count(store.conn, "reading", owners="any") == len(every) > len(host_hits)
    only_host = core_search.SearchPager(store.conn, "reading", lang="en", owners=laptop.host).next_page(500)
    assert all(h.type not in WORKSPACE_TYPES or store.get(h.type, h.record_id)["owner"] == laptop.host for h in only_host)


def test_the_governors_report_gathers_only_ours(store, laptop):
    data = governors.gather(store, osl.YEAR, "autumn", osl.TODAY)
    assert [p["id"] for p in data.priorities] == [laptop.own["priority"]]
    assert [e["id"] for e in data.evaluations] == [laptop.own["evaluation"]]
    assert [a["id"] for a in data.actions] == [laptop.own["action"]]
    assert [i["id"] for i in data.indicators if i.get("values")] == [i["id"] for i in store.list("indicator") if i.get("values")]
    current = governors._current_records(store)
    assert current and all(
        c.type not in WORKSPACE_TYPES or store.get(c.type, c.id, include_deleted=True)["owner"] == laptop.school for c in current
    )


def test_year_roll_over_refuses_the_hosts_plan(store, laptop):
    from selfeval_app.core.errors import ReadOnlyRecordError

    [host_plan] = _host_held(store, laptop, "plan")
    with pytest.raises(ReadOnlyRecordError):
        roll_over_priorities(store, host_plan["id"], osl.YEAR)
    assert roll_over_priorities(store, laptop.own["plan"], osl.YEAR)  # ours rolls over


def test_export_search_and_reports_by_the_command_line_are_ours(laptop, tmp_path, capsys):
    d = laptop.folder
    code, _out, err = run(capsys, "export", "--out", tmp_path / "e.json", "--data-dir", d)
    assert code == 0, err
    records = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["records"]
    assert {r["owner"] for t in WORKSPACE_TYPES for r in records[t]} == {laptop.school}
    assert {r["id"] for r in records["evaluation"]} == {laptop.own["evaluation"]}
    code, _out, err = run(capsys, "export", "--all-owners", "--out", tmp_path / "all.json", "--data-dir", d)
    assert code == 0, err
    every = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["records"]
    assert laptop.host in {r["owner"] for r in every["evaluation"]}

    found = run_json(capsys, "search", "reading", "--json", "--data-dir", d)
    assert found["total"] == len(found["results"])
    assert not [r for r in found["results"] if r["type"] in WORKSPACE_TYPES and r["id"] not in laptop.own.values()]

    for kind in ("governors", "sdp-summary"):
        out = tmp_path / f"{kind}.pdf"
        code, _out, err = run(capsys, "report", kind, "--year", str(osl.YEAR), *(("--term", "autumn") if kind == "governors" else ()), "--out", out, "--data-dir", d)
        assert code == 0, err
    store = RecordStore(open_database(d), device_id="device-S")
    try:
        issued = store.list("report_issue")
        drew_on = {ref["id"] for rec in issued for ref in rec.get("sources") or []}
        assert issued and drew_on and not drew_on & {r["id"] for t in WORKSPACE_TYPES for r in store.list(t, owners=laptop.host)}
    finally:
        store.close()
