"""Issue 12's first "must show" sequence through the command line: the host's pack goes to the
example reviewer, the notes and findings come home, the report PDF is Welsh before English."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from tests.exchange.test_exchange_cli import run, run_json

from selfeval_app.cli import main
from selfeval_app.core.database import open_database
from selfeval_app.core.demo_review import EXAMPLE_REVIEWER_OWNER, visit_id
from selfeval_app.core.records import ReadOnlyRecordError, RecordStore


def _exchange_cards(capsys, tmp_path, h_dir, r_dir):
    assert run(capsys, "keys", "card", "--out", tmp_path / "h.card", "--data-dir", h_dir)[0] == 0
    assert run(capsys, "keys", "card", "--out", tmp_path / "r.card", "--data-dir", r_dir)[0] == 0
    h_info = run_json(capsys, "keys", "show", "--data-dir", h_dir)
    r_info = run_json(capsys, "keys", "show", "--data-dir", r_dir)
    assert r_info["role"] == "reviewer" and r_info["id"] == EXAMPLE_REVIEWER_OWNER
    assert run(capsys, "keys", "trust", tmp_path / "r.card", "--fingerprint", r_info["fingerprint"], "--data-dir", h_dir)[0] == 0
    assert run(capsys, "keys", "trust", tmp_path / "h.card", "--fingerprint", h_info["fingerprint"], "--data-dir", r_dir)[0] == 0
    return h_info, r_info


def test_peer_review_visit_by_the_command_line(tmp_path, capsys):
    h_dir, r_dir = tmp_path / "H", tmp_path / "R"
    assert run(capsys, "demo", "--data-dir", h_dir)[0] == 0
    code, out, err = run(capsys, "demo", "--role", "reviewer", "--data-dir", r_dir)
    assert code == 0, err
    h_info, r_info = _exchange_cards(capsys, tmp_path, h_dir, r_dir)
    visit = visit_id()
    assert run_json(capsys, "visit", "list", "--data-dir", r_dir)["visits"] == []  # no pack yet

    pack = tmp_path / "pack.selfeval-bundle"
    code, _, err = run(capsys, "bundle", "export", "--to", r_info["fingerprint"], "--visit", visit, "--out", pack, "--data-dir", h_dir)
    assert code == 0, err
    report = run_json(capsys, "bundle", "import", pack, "--data-dir", r_dir)
    assert visit in {r["id"] for r in report["new"]}
    [listed] = run_json(capsys, "visit", "list", "--data-dir", r_dir)["visits"]
    assert listed["id"] == visit and listed["host"]["cy"] == "Ysgol Gymraeg Bro’r Wennol"
    assert listed["ours"] is False and listed["findings"] == 2 and listed["notes"] == 5

    back = tmp_path / "back.selfeval-bundle"
    code, _, err = run(capsys, "bundle", "export", "--to", h_info["fingerprint"], "--visit", visit, "--out", back, "--data-dir", r_dir)
    assert code == 0, err
    inspected = run_json(capsys, "bundle", "inspect", back, "--data-dir", h_dir)
    assert {r["type"] for r in inspected["records"]} == {"review_note", "review_finding"}
    assert run_json(capsys, "bundle", "import", back, "--data-dir", h_dir)["conflicts"] == []
    [at_host] = run_json(capsys, "visit", "list", "--data-dir", h_dir)["visits"]
    assert at_host["ours"] is True and at_host["findings"] == 2 and at_host["notes"] == 5

    # the host's records are read-only at the reviewer's, the reviewer's at the host's
    for folder, type_name, rid in ((r_dir, "review_visit", visit), (h_dir, "review_finding", None)):
        store = RecordStore(open_database(folder), device_id="test")
        try:
            rid = rid or store.list(type_name)[0]["id"]
            with pytest.raises(ReadOnlyRecordError):
                store.update(type_name, rid, {"status": "closed"} if type_name == "review_visit" else {"agreed": True})
        finally:
            store.close()

    # the host checks facts, the lead marks the findings agreed, the host keeps its copy
    finding = run_json(capsys, "bundle", "inspect", back, "--data-dir", h_dir)["records"]
    finding = next(r["id"] for r in finding if r["type"] == "review_finding")
    code, _, err = run(capsys, "visit", "respond", finding, "--response", "correction", "--text-cy", "Cywiriad bach.", "--text-en", "A small correction.", "--data-dir", h_dir)
    assert code == 0, err
    code, _, err = run(capsys, "bundle", "export", "--to", r_info["fingerprint"], "--visit", visit, "--out", tmp_path / "p2.b", "--data-dir", h_dir)
    assert code == 0, err
    assert run(capsys, "bundle", "import", tmp_path / "p2.b", "--data-dir", r_dir)[0] == 0
    assert run(capsys, "visit", "agree", visit, "--date", "2026-12-10", "--data-dir", r_dir)[0] == 0
    code, _, err = run(capsys, "bundle", "export", "--to", h_info["fingerprint"], "--visit", visit, "--out", tmp_path / "b2.b", "--data-dir", r_dir)
    assert code == 0, err
    assert run(capsys, "bundle", "import", tmp_path / "b2.b", "--data-dir", h_dir)[0] == 0
    assert run(capsys, "visit", "agree", visit, "--date", "2026-12-10", "--data-dir", h_dir)[0] == 0
    [agreed] = run_json(capsys, "visit", "list", "--data-dir", h_dir)["visits"]
    assert agreed["status"] == "agreed" and agreed["findings"] == 2
    code, _, err = run(capsys, "visit", "agree", visit, "--date", "10/12/2026", "--data-dir", h_dir, lang="cy")
    assert code == 1 and "Ni newidiwyd dim" in err

    pdf = tmp_path / "visit.pdf"
    # `report` has its own --lang (the report's language), so no `run` here
    assert main(["report", "peer-review", visit, "--out", str(pdf), "--lang", "both", "--data-dir", str(h_dir)]) == 0
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.index("Canfyddiadau") < text.index("Findings")
    assert text.index("Adroddiad ymweliad adolygu cymheiriaid") < text.index("Peer review visit report")
    assert "Year 6 learners discuss characters" in text and "Mae dysgwyr Blwyddyn 6 yn trafod" in text
    assert text.index("Cywiriad bach.") < text.index("A small correction.") and "DRAFT" not in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(r[-5] == "yes" for r in rows)  # every font embedded


def test_report_peer_review_of_an_unknown_visit_is_a_sentence(tmp_path, capsys):
    h_dir = tmp_path / "H"
    assert run(capsys, "demo", "--data-dir", h_dir)[0] == 0
    code = main(["--lang", "cy", "report", "peer-review", "nope", "--out", str(tmp_path / "x.pdf"), "--data-dir", str(h_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "Nid oes ymweliad nope" in err and "Traceback" not in err and not (tmp_path / "x.pdf").exists()


def test_visit_create_and_edit_by_the_command_line(tmp_path, capsys):
    h_dir, r_dir = tmp_path / "H", tmp_path / "R"
    assert run(capsys, "demo", "--data-dir", h_dir)[0] == 0
    assert run(capsys, "demo", "--role", "reviewer", "--data-dir", r_dir)[0] == 0
    _h_info, r_info = _exchange_cards(capsys, tmp_path, h_dir, r_dir)
    code, out, err = run(
        capsys, "visit", "create", "--start", "2027-01-20", "--end", "2027-01-21", "--kind", "peer_enquiry",
        "--question-cy", "I ba raddau y mae dysgwyr yn darllen er pleser?", "--question-en", "To what extent do learners read for pleasure?",
        "--lead", r_info["fingerprint"], "--link-leader", "Mrs Siân Lloyd", "--follow-up", "2027-04-01", "--data-dir", h_dir,
    )
    assert code == 0, err
    new_id = out.strip()
    listed = {v["id"]: v for v in run_json(capsys, "visit", "list", "--data-dir", h_dir)["visits"]}
    assert listed[new_id]["kind"] == "peer_enquiry" and listed[new_id]["status"] == "draft" and listed[new_id]["ours"]
    # a bad date says so and changes nothing
    code, _, err = run(capsys, "visit", "create", "--start", "20/01/2027", "--data-dir", h_dir)
    assert code != 0 and "YYYY-MM-DD" in err and "Traceback" not in err
    assert len(run_json(capsys, "visit", "list", "--data-dir", h_dir)["visits"]) == 2
    code, _, err = run(capsys, "visit", "edit", new_id, "--status", "pack_sent", "--share-findings", "yes", "--data-dir", h_dir)
    assert code == 0, err
    listed = {v["id"]: v for v in run_json(capsys, "visit", "list", "--data-dir", h_dir)["visits"]}
    assert listed[new_id]["status"] == "pack_sent"
    store = RecordStore(open_database(h_dir), device_id="test")
    try:
        visit = store.require("review_visit", new_id)
        assert visit["share_findings"] is True and visit["team"][0]["identity_id"] == EXAMPLE_REVIEWER_OWNER
        [summary] = store.list("review_summary", where="visit_id = ?", params=(new_id,))
        assert summary["status"] == "pack_sent" and summary["visibility"] == "la"
    finally:
        store.close()
    # the reviewer cannot edit the host's visit
    pack = tmp_path / "pack.selfeval-bundle"
    assert run(capsys, "bundle", "export", "--to", r_info["fingerprint"], "--visit", new_id, "--out", pack, "--data-dir", h_dir)[0] == 0
    assert run(capsys, "bundle", "import", pack, "--data-dir", r_dir)[0] == 0
    code, _, err = run(capsys, "visit", "edit", new_id, "--status", "closed", "--data-dir", r_dir)
    assert code != 0 and "only the host" in err
