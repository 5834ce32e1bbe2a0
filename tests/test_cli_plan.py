"""`selfeval export` and `selfeval search` on a development plan built through core with Welsh text:
the export holds every plan field as saved (a deleted action as a tombstone), and search finds
priority and action text in Welsh and English, ignoring accents, never a deleted action."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from selfeval_app.core import plan_edit as pe
from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

PLAN_TYPES = ("plan", "priority", "success_criterion", "action", "progress_review", "indicator")


def run(*args, lang="cy"):
    cmd = [sys.executable, "-m", "selfeval_app", *args, "--lang", lang]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-plan") / "ysgol"
    db = open_database(folder)
    store = RecordStore(db, device_id="cli-test")
    store.create("school", {"name": {"cy": "Ysgol y Wern", "en": "Ysgol y Wern"}, "writes_in": "both"}, visibility="la")
    plan = pe.save_plan(store, None, {
        "title": {"cy": "Cynllun Datblygu Ysgol 2025–2028", "en": "School Development Plan 2025–2028"},
        "start_year": 2025, "approved_on": "2025-09-30",
        "revisions": [{"date": "2025-10-14", "note": {"cy": "Ychwanegu blaenoriaeth darllen", "en": "Added a reading priority"}}],
        "strategy": {"cy": "Cydweithio â’r clwstwr", "en": "Working with the cluster"},
        "targets_review": {"cy": "Ni chyrhaeddwyd y targed presenoldeb", "en": "Attendance target not met"},
    })
    priority = pe.save_priority(store, plan["id"], None, {
        "title": {"cy": "Codi safonau darllen yn y Gymraeg", "en": "Raise standards of reading in Welsh"},
        "rationale": {"cy": "Dangosodd ein hunanwerthuso fwlch", "en": "Our self-evaluation showed a gap"},
        "lead": "Siân Ŵyn", "start_year": 2025, "end_year": 2026,
        "national_priority_ids": ["np-literacy"], "area_ids": ["area-1"],
        "expected_outcomes": {"cy": "85% yn darllen yn rhugl", "en": "85% reading fluently"},
        "strategy": {"cy": "Grwpiau darllen dyddiol", "en": "Daily reading groups"},
        "professional_learning": {"cy": "Hyfforddiant i gynorthwywyr", "en": "Training for assistants"},
        "community_work": {"cy": "Sesiynau i deuluoedd", "en": "Family sessions"},
        "resources": {"cy": "Cynorthwyydd am ddau fore", "en": "An assistant for two mornings"},
    })
    pe.save_criterion(store, priority["id"], None, {
        "description": {"cy": "Dysgwyr yn darllen ar eu hoedran", "en": "Learners reading at their age"},
        "unit": "%", "baseline": "68", "target": "85", "actual": "72.5", "status": "in_progress",
    })
    action = pe.save_action(store, priority["id"], None, {
        "description": {"cy": "Prynu llyfrau darllen i’r dosbarthiadau (gŵyl y llyfrau)", "en": "Buy reading books for the classes"},
        "lead": "Mr Gwyn", "start_date": "2025-09-01", "due_date": "2025-11-02", "status": "in_progress",
        "cost": "£1,250.50", "committed": "600", "funding_source": "pdg",
    })
    gone = pe.save_action(store, priority["id"], None, {"description": {"cy": "Cam gweithredu wedi’i ddileu: pysgodyn", "en": ""}})
    pe.delete_plan_item(store, "action", gone["id"])
    pe.save_review(store, priority["id"], None, {
        "date": "2025-11-10", "academic_year": 2025, "term": "autumn", "rag": "amber",
        "commentary": {"cy": "Dechrau da; cyrhaeddodd y llyfrau’n hwyr", "en": "Good start; the books arrived late"},
    })
    pe.save_indicator(store, None, {
        "title": {"cy": "Presenoldeb", "en": "Attendance"}, "description": {"cy": "Canran y sesiynau", "en": "Percentage of sessions"},
        "unit": "%", "transition_point": "Y6–Y7", "priority_ids": [priority["id"]], "area_ids": ["area-1"],
        "values": [{"period": "2025-26 autumn", "value": "94.1", "cohort": "158"}], "visibility": "private",
    })
    store.flush_search_index()
    saved = {t: store.list(t, include_deleted=True) for t in PLAN_TYPES}
    db.close()
    return folder, saved, {"priority": priority["id"], "action": action["id"], "gone": gone["id"]}


def test_export_has_every_plan_field_as_saved(plan_dir, tmp_path):
    folder, saved, ids = plan_dir
    out = tmp_path / "allforio.json"
    result = run("export", "--out", str(out), "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "allforio.json" in result.stdout
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    for type_name in PLAN_TYPES:
        t = rt.record_type(type_name)
        exported = {r["id"]: r for r in records[type_name]}
        assert set(exported) == {r["id"] for r in saved[type_name]}, type_name
        for rec in saved[type_name]:
            row = exported[rec["id"]]
            for name in [*rt.COMMON_FIELDS, *(f.name for f in t.fields)]:
                assert name in row, (type_name, name)
                assert row[name] == json.loads(json.dumps(rec[name], ensure_ascii=False)), (type_name, name)
    action = {r["id"]: r for r in records["action"]}[ids["action"]]
    assert action["cost_pence"] == 125050 and action["committed_pence"] == 60000 and action["funding_source"] == "pdg"
    assert action["description"]["cy"].startswith("Prynu llyfrau darllen")
    priority = {r["id"]: r for r in records["priority"]}[ids["priority"]]
    assert priority["lead"] == "Siân Ŵyn" and priority["resources"]["cy"] == "Cynorthwyydd am ddau fore"
    gone = {r["id"]: r for r in records["action"]}[ids["gone"]]
    assert gone["deleted"] is True and gone["description"] == {"cy": "", "en": ""}  # a tombstone: no content


def search(folder, query, lang="cy"):
    result = run("search", query, "--json", "--data-dir", str(folder), lang=lang)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("query", "lang", "type_name"),
    [
        ("Gymraeg", "cy", "priority"),
        ("reading in Welsh", "en", "priority"),
        ("hunanwerthuso", "cy", "priority"),  # the rationale
        ("Grwpiau darllen", "cy", "priority"),  # the strategy
        ("Sian Wyn", "cy", "priority"),  # the lead, without the accents
        ("llyfrau", "cy", "action"),
        ("gwyl", "cy", "action"),  # "gŵyl" found without its circumflex
        ("reading books", "en", "action"),
    ],
)
def test_search_finds_priority_and_action_text(plan_dir, query, lang, type_name):
    folder, _saved, ids = plan_dir
    data = search(folder, query, lang)
    hits = [(h["type"], h["id"]) for h in data["results"]]
    wanted = ids["priority"] if type_name == "priority" else ids["action"]
    assert (type_name, wanted) in hits, data


def test_search_in_words_and_never_a_deleted_action(plan_dir):
    folder, _saved, ids = plan_dir
    assert search(folder, "pysgodyn")["results"] == []
    result = run("search", "llyfrau", "--data-dir", str(folder), lang="cy")
    assert result.returncode == 0, result.stderr
    assert "Prynu llyfrau darllen i’r dosbarthiadau (gŵyl y llyfrau)" in result.stdout
    assert "llyfrau" in result.stdout.splitlines()[0]
