"""The example school (`selfeval demo`, DESIGN §10): every record type, idempotent, bilingual."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from selfeval_app.core import record_types as rt
from selfeval_app.core.attachments import stored_path
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import EXAMPLE_OWNER, EXAMPLE_SCHOOL_ID, build_example_school
from selfeval_app.core.integrity import check_store
from selfeval_app.core.records import RecordStore

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _config(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_CONFIG_DIR", str(tmp_path / "config"))


def _open(folder):
    return RecordStore(open_database(folder), device_id="device-test-reader")


def _snapshot(store):
    return {
        name: {r["id"]: (r["rev"], r["content_hash"]) for r in store.list(name, include_deleted=True)}
        for name in rt.RECORD_TYPES
    }


def _all_texts(store):
    """Every stored bilingual text and statement text, as (cy, en) pairs."""
    pairs = []
    for name, t in rt.RECORD_TYPES.items():
        for rec in store.list(name):
            for f in t.fields:
                if f.kind == rt.BITEXT:
                    pairs.append((rec[f.name]["cy"], rec[f.name]["en"]))
            if name == "evaluation":
                pairs += [(s["text"]["cy"], s["text"]["en"]) for s in rec["statements"]]
    return pairs


@pytest.fixture
def example(tmp_path):
    folder = tmp_path / "enghraifft"
    counts = build_example_school(folder, device_id="device-demo", today=TODAY)
    store = _open(folder)
    yield folder, counts, store
    store.db.close()


def test_building_twice_gives_the_same_records(tmp_path):
    folder = tmp_path / "enghraifft"
    first = build_example_school(folder, device_id="device-demo", today=TODAY)
    store = _open(folder)
    before, seq = _snapshot(store), store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    store.db.close()

    second = build_example_school(folder, device_id="device-demo", today=TODAY)
    store = _open(folder)
    try:
        assert second == first
        assert _snapshot(store) == before  # same ids, no new records, no new revs
        assert store.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0] == seq
        for name, n in first.items():
            assert store.count(name) == n, name
    finally:
        store.db.close()


def test_refresh_restores_canonical_content_and_leaves_other_records_alone(tmp_path):
    folder = tmp_path / "enghraifft"
    build_example_school(folder, device_id="device-demo", today=TODAY)
    store = _open(folder)
    evidence = store.list("evidence")[0]
    store.update("evidence", evidence["id"], {"title": {"cy": "Wedi newid", "en": "Changed"}})
    deleted = store.list("action")[0]
    store.delete("action", deleted["id"])
    mine = store.create("evidence", {"date": "2026-11-20", "kind": "other", "title": {"cy": "Fy nhystiolaeth", "en": ""}})
    store.db.close()

    build_example_school(folder, device_id="device-demo", today=TODAY)
    store = _open(folder)
    try:
        assert store.get("evidence", evidence["id"])["title"] == evidence["title"]
        assert store.get("action", deleted["id"])["description"] == deleted["description"]
        assert store.get("evidence", mine["id"]) == mine
    finally:
        store.db.close()


def test_every_record_type_and_the_example_owner(example):
    folder, counts, store = example
    assert set(counts) == set(rt.RECORD_TYPES)
    # The reviewers' records and the host's answers to them come with the visit's exchange
    # (`demo --role reviewer`, tests/exchange/test_peer_review_cli.py), not with the host.
    later = {"review_note", "review_finding", "review_response", "review_report"}
    for name in set(rt.RECORD_TYPES) - later:
        assert store.count(name) >= 1, name
        assert counts[name] == store.count(name), name
    assert store.owner == EXAMPLE_OWNER
    assert store.db.meta("is_example") == "1"
    assert {r["owner"] for name in rt.RECORD_TYPES for r in store.list(name)} == {EXAMPLE_OWNER}
    school = store.school()
    assert school["id"] == EXAMPLE_SCHOOL_ID and school["is_example"] and school["writes_in"] == "both"
    assert school["establishment_number"].startswith(f"{school['la_code']}/")
    assert {r["visibility"] for r in store.list("evidence")} == {"private", "peers", "la"}
    assert check_store(store) == []


def test_plan_shape(example):
    _, counts, store = example
    current = 2026
    assert 20 <= counts["evidence"] <= 30
    assert counts["attachment"] == 2
    plan = store.list("plan")[0]
    assert plan["start_year"] == current - 1 and plan["approved_on"] and len(plan["revisions"]) == 1
    priorities = store.list("priority")
    this_year = [p for p in priorities if p["start_year"] <= current <= p["end_year"]]
    assert 3 <= len(this_year) <= 4
    carried = [p for p in priorities if p["origin_id"]]
    assert carried and all(store.get("priority", p["origin_id"]) for p in carried)
    for p in priorities:
        assert 2 <= len(store.list("success_criterion", where="priority_id = ?", params=(p["id"],))) <= 3
        assert 3 <= len(store.list("action", where="priority_id = ?", params=(p["id"],))) <= 4
    assert "pdg" in {a["funding_source"] for a in store.list("action")}
    assert {"done", "blocked"} <= {a["status"] for a in store.list("action")}
    transition = [i for i in store.list("indicator") if i["transition_point"] == "Y6-Y7"]
    assert transition and any(v["cohort"] < 5 for v in transition[0]["values"])
    report = store.list("report_issue")[0]
    assert report["kind"] == "governors" and report["language"] == "both" and len(report["pdf_sha256"]) == 64
    assert report["sources"] and all({"id", "type", "rev"} <= set(s) for s in report["sources"])


def test_two_academic_years_of_evaluations_and_several_review_terms(example):
    _, _, store = example
    years = {e["academic_year"] for e in store.list("evaluation")}
    assert {2025, 2026} <= years
    for area in ("estyn-2024-1", "estyn-2024-2", "estyn-2024-3"):
        assert {e["academic_year"] for e in store.list("evaluation", where="area_id = ?", params=(area,))} == {2025, 2026}
    statements = [s for e in store.list("evaluation") for s in e["statements"]]
    assert {"strength", "development", "next_step"} == {s["kind"] for s in statements}
    statement_ids = {s["id"] for s in statements}
    linked = {sid for ev in store.list("evidence") for sid in ev["statement_ids"]}
    assert linked and linked <= statement_ids
    terms = {(r["academic_year"], r["term"]) for r in store.list("progress_review")}
    assert len(terms) >= 3
    assert {"red", "amber", "green"} == {r["rag"] for r in store.list("progress_review")}


@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 9, 2), dt.date(2028, 1, 4), dt.date(2027, 8, 30)])
def test_overdue_and_due_actions_whenever_it_is_built(tmp_path, today):
    folder = tmp_path / "enghraifft"
    build_example_school(folder, device_id="device-demo", today=today)
    store = _open(folder)
    try:
        actions = store.list("action")
        open_ = [a for a in actions if a["status"] != "done"]
        overdue = [a for a in open_ if dt.date.fromisoformat(a["due_date"]) < today]
        due = [a for a in open_ if today <= dt.date.fromisoformat(a["due_date"]) <= today + dt.timedelta(days=14)]
        assert len(overdue) >= 2 and len(due) >= 1
        assert all(a["start_date"] <= a["due_date"] for a in actions)
        # what has happened cannot be in the future
        for name, field in (("evidence", "date"), ("progress_review", "date"), ("report_issue", "issued_on")):
            assert all(dt.date.fromisoformat(r[field]) <= today for r in store.list(name)), name
        assert check_store(store) == []
    finally:
        store.db.close()


def test_text_in_one_language_only_and_welsh_letters(example):
    _, _, store = example
    pairs = _all_texts(store)
    assert any(cy and not en for cy, en in pairs)
    assert any(en and not cy for cy, en in pairs)
    welsh = "\n".join(cy for cy, _ in pairs)
    for letter in "ŵŷâêîôû":
        assert letter in welsh, letter
    for text in ("tŷ", "Llan-faes", "i'r", "a’r"):  # straight and typographic apostrophes both occur
        assert text in welsh, text


def test_attachment_files_are_stored(example):
    folder, _, store = example
    names = set()
    for att in store.list("attachment"):
        path = stored_path(folder, att["sha256"])
        assert path.exists()
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == att["sha256"] and len(data) == att["size"]
        assert store.get("evidence", att["attached_to"]) is not None
        names.add(att["name"])
    assert names == {"holiadur-rhieni-crynodeb.csv", "taith-ddysgu-nodiadau.txt"}


def test_a_real_school_database_is_refused(tmp_path):
    folder = tmp_path / "go-iawn"
    db = open_database(folder)
    RecordStore(db, device_id="d").create("school", {"name": {"cy": "Ysgol Go Iawn", "en": ""}})
    owner = db.meta("school_owner")
    db.close()
    with pytest.raises(ValueError):
        build_example_school(folder, device_id="device-demo", today=TODAY)
    store = _open(folder)
    try:
        assert store.owner == owner and store.db.meta("is_example") is None
        assert store.count("school") == 1 and store.count("evidence") == 0
    finally:
        store.db.close()
