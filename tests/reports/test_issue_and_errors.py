"""Issuing (report_issue with the PDF's SHA-256), drafts, cancelling, and bad input: a clear
message and no partial file left behind."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from conftest import TODAY
from selfeval_app.reports.errors import NoReportDataError, ReportFileError, ReportFileLockedError
from selfeval_app.reports.issue import make_report


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_issuing_records_a_report_issue_with_the_pdfs_sha256(example_store, tmp_path):
    before = {r["id"] for r in example_store.list("report_issue")}
    out = tmp_path / "out" / "governors.pdf"
    out.parent.mkdir()
    seen = []
    result = make_report(
        example_store, "governors", out, lang="both", today=TODAY, term="autumn", year=2026,
        sections=["priorities", "overdue_actions"], progress=seen.append,
    )
    assert result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert _leftovers(out.parent) == ["governors.pdf"]
    issues = [r for r in example_store.list("report_issue") if r["id"] not in before]
    assert len(issues) == 1 and issues[0]["id"] == result.issue_id
    issue = issues[0]
    assert (issue["kind"], issue["academic_year"], issue["term"], issue["language"]) == ("governors", 2026, "autumn", "both")
    assert issue["sections"] == ["priorities", "overdue_actions"]
    assert issue["pdf_sha256"] == result.sha256 and issue["issued_on"] == TODAY.isoformat()
    sources = {s["id"]: s for s in issue["sources"]}
    for p in example_store.list("priority"):
        if p["start_year"] <= 2026 <= p["end_year"]:
            assert sources[p["id"]] == {"id": p["id"], "type": "priority", "rev": p["rev"]}
    assert any(s["type"] == "action" for s in issue["sources"])
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_the_next_report_shows_what_changed_since(example_store, tmp_path):
    import re

    from pdfcheck import pdftotext

    make_report(example_store, "governors", tmp_path / "a.pdf", lang="en", today=TODAY)
    prio = example_store.list("priority", order_by="position, sort_cy, id")[0]
    example_store.update("priority", prio["id"], {"title": {"en": prio["title"]["en"] + " and writing"}})
    make_report(example_store, "governors", tmp_path / "b.pdf", lang="en", today=TODAY, draft=True)
    text = re.sub(r"\s+", " ", pdftotext(tmp_path / "b.pdf"))
    assert "issued on 23 November 2026" in text
    assert "Priorities 0 1 0" in text  # one priority changed since the report just issued
    assert "Priorities with changes since then: 1." in text


def test_a_draft_is_not_recorded(example_store, tmp_path):
    n = len(example_store.list("report_issue"))
    result = make_report(example_store, "sdp_summary", tmp_path / "d.pdf", lang="cy", draft=True, today=TODAY)
    assert result.issue_id is None
    assert len(example_store.list("report_issue")) == n


def test_cancelling_writes_nothing(example_store, tmp_path):
    from selfeval_app.reports.layout import ReportCancelled

    n = len(example_store.list("report_issue"))
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # cancelled while the pages are being laid out

    with pytest.raises(ReportCancelled):
        make_report(example_store, "governors", tmp_path / "c.pdf", lang="both", today=TODAY, cancelled=cancelled)
    assert _leftovers(tmp_path) == ["data"]
    assert len(example_store.list("report_issue")) == n


def test_missing_folder_or_a_folder_as_output(example_store, tmp_path):
    with pytest.raises(ReportFileError) as e:
        make_report(example_store, "governors", tmp_path / "nowhere" / "r.pdf", today=TODAY)
    assert "the folder does not exist" in e.value.message()
    (tmp_path / "a-folder.pdf").mkdir()
    with pytest.raises(ReportFileError) as e:
        make_report(example_store, "governors", tmp_path / "a-folder.pdf", today=TODAY)
    assert "it is a folder" in e.value.message()


def test_unwritable_folder(example_store, tmp_path, monkeypatch):
    """No permission to create a file in the folder. Tests may run as root, which ignores folder
    permissions, so the refusal is injected where the temporary file is created."""
    import tempfile

    out_dir = tmp_path / "locked-folder"
    out_dir.mkdir()

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ReportFileError) as e:
        make_report(example_store, "governors", out_dir / "r.pdf", today=TODAY)
    assert "you do not have permission to write there" in e.value.message()
    assert "Nothing was written" in e.value.message()
    assert _leftovers(out_dir) == []


def test_file_open_in_another_program(example_store, tmp_path, monkeypatch):
    """Windows refuses to replace a PDF that a viewer holds open. That is simulated here by
    injecting a PermissionError at os.replace (where Windows raises it): the old file stays as it
    was, no temporary file is left, and no report_issue is recorded."""
    out = tmp_path / "open-in-viewer.pdf"
    out.write_bytes(b"%PDF-1.4 the copy the viewer has open")
    n = len(example_store.list("report_issue"))
    real_replace = os.replace

    def locked(src, dst, *a, **kw):
        if os.fspath(dst) == os.fspath(out):
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ReportFileLockedError) as e:
        make_report(example_store, "governors", out, today=TODAY)
    assert "open in another program" in e.value.message()
    assert out.read_bytes() == b"%PDF-1.4 the copy the viewer has open"
    assert _leftovers(tmp_path) == ["data", "open-in-viewer.pdf"]
    assert len(example_store.list("report_issue")) == n


def test_a_term_with_no_data(example_store, tmp_path):
    with pytest.raises(NoReportDataError) as e:
        make_report(example_store, "governors", tmp_path / "r.pdf", year=2031, term="spring", today=TODAY)
    assert "Spring term 2031–32" in e.value.message()
    with pytest.raises(NoReportDataError):
        make_report(example_store, "sdp_summary", tmp_path / "s.pdf", year=2035, today=TODAY)
    assert _leftovers(tmp_path) == ["data"]


def test_cli_report(example_dir, tmp_path):
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(example_dir, data_dir)
    env = {**os.environ, "SELFEVAL_LANG": "en"}
    out = tmp_path / "cli.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "selfeval_app", "report", "sdp-summary", "--out", str(out), "--lang", "both", "--draft", "--data-dir", str(data_dir)],
        capture_output=True, text=True, env=env,
    )
    assert run.returncode == 0, run.stderr
    assert str(out) in run.stdout and out.read_bytes().startswith(b"%PDF")
    run = subprocess.run(
        [sys.executable, "-m", "selfeval_app", "--lang", "cy", "report", "governors", "--out", str(tmp_path / "no" / "x.pdf"), "--data-dir", str(data_dir)],
        capture_output=True, text=True, env=env,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "x.pdf" in run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "selfeval_app", "report", "governors", "--out", str(tmp_path / "y.pdf"), "--year", "2031", "--data-dir", str(data_dir)],
        capture_output=True, text=True, env=env,
    )
    assert run.returncode == 1 and "2031–32" in run.stderr
    assert not (tmp_path / "y.pdf").exists()


def test_importing_the_cli_does_not_import_reportlab():
    code = "import sys, selfeval_app.cli; print(any(m == 'reportlab' or m.startswith('reportlab.') for m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_every_issued_report_names_only_sections_that_exist(example_store):
    """The example school's issued report, and any issued here, name real sections (issue 16)."""
    from selfeval_app.reports.sections import GOVERNORS_SECTIONS, SDP_SECTIONS

    known = {"governors": set(GOVERNORS_SECTIONS), "sdp_summary": set(SDP_SECTIONS)}
    issued = example_store.list("report_issue")
    assert issued, "the example school has an issued report"
    for rec in issued:
        assert rec["sections"], rec["id"]
        assert set(rec["sections"]) <= known[rec["kind"]], (rec["id"], rec["sections"])
