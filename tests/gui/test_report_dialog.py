"""The "Reports for governors…" dialog: choosing a report, making it on the worker with progress,
cancelling, bad output paths, the term with nothing to report, and no English in Welsh mode."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading

import pytest
from gui_walk import collect, english_problems, interactive_without_name
from PySide6.QtCore import Qt

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import build_example_school
from selfeval_app.core.records import RecordStore
from selfeval_app.gui.report_dialog import suggested_file_name

TODAY = dt.date(2026, 11, 23)  # autumn term 2026–27
pdftotext = shutil.which("pdftotext")


@pytest.fixture
def example_dir(tmp_path):
    folder = tmp_path / "example"
    build_example_school(folder, device_id="device-report-test", today=TODAY)
    return folder


def open_dialog(launch, data_dir, lang):
    ctx = launch(data_dir, lang)
    ctx.window.clock = FixedClock(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC))
    return ctx, ctx.window.open_reports()


def report_issues(data_dir) -> list[dict]:
    db = open_database(data_dir)
    try:
        return RecordStore(db, device_id="reader").list("report_issue")
    finally:
        db.close()


def text_of(pdf) -> str:
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(pdftotext is None, reason="poppler-utils not installed (./run-tests.sh installs it)")
def test_draft_governors_report_in_welsh_is_written_and_offered_to_open(launch, example_dir, qtbot, tmp_path, fake_dialogs):
    before = report_issues(example_dir)
    ctx, dialog = open_dialog(launch, example_dir, "cy")
    assert dialog.kind == "governors" and dialog.chosen_period() == (2026, "autumn")
    assert dialog.draft.isChecked()  # a draft unless the head unticks it
    dialog.language.setCurrentIndex(dialog.language.findData("cy"))
    dialog.notes[("decision", "cy")].setPlainText("Cymeradwyo’r polisi ŵyr ac ŷd newydd.")
    out = tmp_path / "adroddiad ŵ.pdf"
    fake_dialogs.files.append(str(out))
    fake_dialogs.answers.append(True)  # "Open it now?"
    progress = []
    dialog._relay.progressed.connect(progress.append)
    with qtbot.waitSignal(dialog.reportMade, timeout=30000) as made:
        dialog.make_button.click()
    result = made.args[0]
    assert result.path == out and out.exists() and result.issue_id is None
    text = text_of(out)
    assert "DRAFFT" in text and "Cymeradwyo’r polisi ŵyr ac ŷd newydd." in text
    assert progress and progress[-1] == 1.0
    assert ("open_document", str(out)) in fake_dialogs.calls
    assert report_issues(example_dir) == before  # a draft is not recorded
    assert not list(tmp_path.glob("*.tmp*"))


@pytest.mark.skipif(pdftotext is None, reason="poppler-utils not installed (./run-tests.sh installs it)")
def test_issuing_in_both_languages_records_the_issue(launch, example_dir, qtbot, tmp_path, fake_dialogs):
    before = {r["id"] for r in report_issues(example_dir)}
    ctx, dialog = open_dialog(launch, example_dir, "en")
    dialog.language.setCurrentIndex(dialog.language.findData("both"))
    dialog.draft.setChecked(False)
    for i in range(dialog.sections.count()):  # only two sections
        item = dialog.sections.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) in ("priorities", "overdue_actions")
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(dialog.reportMade, timeout=30000) as made:
        dialog.make(out)
    issues = [r for r in report_issues(example_dir) if r["id"] not in before]
    assert len(issues) == 1 and issues[0]["id"] == made.args[0].issue_id
    assert issues[0]["language"] == "both" and issues[0]["sections"] == ["priorities", "overdue_actions"]
    assert issues[0]["term"] == "autumn" and issues[0]["academic_year"] == 2026
    text = text_of(out)
    assert "DRAFT" not in text
    assert text.index("Blaenoriaethau") < text.index("Priorities")  # Welsh block first


def test_sdp_summary_is_public_by_default(launch, example_dir, qtbot, tmp_path):
    ctx, dialog = open_dialog(launch, example_dir, "cy")
    dialog.sdp_radio.setChecked(True)
    assert dialog.kind == "sdp_summary"
    assert not dialog.notes_box.isVisibleTo(dialog) and dialog.include_box.isVisibleTo(dialog)
    assert not any(b.isChecked() for b in (dialog.include_leads, dialog.include_costs, dialog.include_evaluation))
    assert dialog.chosen_sections() == ["priorities", "last_year"]
    assert dialog.chosen_period() == (2026, None)
    dialog.include_evaluation.setChecked(True)
    assert "evaluation" in dialog.chosen_sections()
    out = tmp_path / "crynodeb.pdf"
    with qtbot.waitSignal(dialog.reportMade, timeout=30000):
        dialog.make(out)
    assert out.stat().st_size > 1000


def test_cancel_writes_nothing(launch, example_dir, qtbot, tmp_path):
    ctx, dialog = open_dialog(launch, example_dir, "cy")
    # Hold the background pool (one thread) so the cancel lands before the report starts:
    # deterministic, no timing.
    gate = threading.Event()
    ctx.operations.run_off_writer(lambda: gate.wait(30))
    out = tmp_path / "wedi-stopio.pdf"
    dialog.make(out)
    assert dialog.close_button.text() == "Canslo" and dialog.progress.isVisible()
    with qtbot.waitSignal(dialog.reportFailed, timeout=30000) as failed:
        dialog.reject()  # Escape while making: cancels, keeps the dialog
        gate.set()
    assert failed.args[0] is None
    assert not out.exists() and not list(tmp_path.glob("*.pdf*"))
    assert dialog.message.text() == "Wedi stopio. Nid ysgrifennwyd dim."
    assert dialog.close_button.text() == "Cau" and dialog.isVisible()


def test_unwritable_path_and_locked_file_give_clear_messages(launch, example_dir, qtbot, tmp_path):
    ctx, dialog = open_dialog(launch, example_dir, "cy")
    missing = tmp_path / "dim-ffolder" / "adroddiad.pdf"
    with qtbot.waitSignal(dialog.reportFailed, timeout=30000):
        dialog.make(missing)
    assert "nid yw'r ffolder yn bodoli" in dialog.message.text().lower() or "ffolder" in dialog.message.text()
    assert "Traceback" not in dialog.message.text() and not missing.parent.exists()
    # A file another program holds open: Windows refuses the rename. Injected at the narrowest
    # point (os.replace inside the atomic write), since Linux has no such lock.
    target = tmp_path / "ar-agor.pdf"
    target.write_bytes(b"old")
    import selfeval_app.core.safe_files as safe_files

    real_replace = safe_files.os.replace

    def locked(src, dst, *a, **k):
        if str(dst) == str(target):
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(src, dst, *a, **k)

    safe_files.os.replace = locked
    try:
        with qtbot.waitSignal(dialog.reportFailed, timeout=30000):
            dialog.make(target)
    finally:
        safe_files.os.replace = real_replace
    assert "ar agor mewn rhaglen arall" in dialog.message.text()
    assert target.read_bytes() == b"old" and not [p for p in tmp_path.iterdir() if p.name.startswith("ar-agor.pdf.")]


def test_a_term_with_no_data_says_so(launch, school_dir, qtbot, tmp_path):
    ctx, dialog = open_dialog(launch, school_dir, "en")
    out = tmp_path / "empty.pdf"
    with qtbot.waitSignal(dialog.reportFailed, timeout=30000) as failed:
        dialog.make(out)
    assert "nothing to report" in dialog.message.text() and "Autumn term 2026–27" in dialog.message.text()
    assert failed.args[0] is not None and not out.exists()


def test_report_dialog_in_welsh_has_no_english_and_names_every_control(launch, example_dir, qtbot):
    ctx, dialog = open_dialog(launch, example_dir, "cy")
    qtbot.waitExposed(dialog)
    allowed = {"DRAFFT / DRAFT"}
    problems = english_problems(collect(dialog), allowed)
    dialog.sdp_radio.setChecked(True)
    problems += english_problems(collect(dialog), allowed)
    assert not problems, problems
    for lang in ("cy", "en"):
        ctx.window.switch_language(lang)
        assert not interactive_without_name(dialog), lang


def test_language_switch_with_the_dialog_open(launch, example_dir, qtbot):
    ctx, dialog = open_dialog(launch, example_dir, "cy")
    assert dialog.windowTitle() == "Adroddiadau i'r llywodraethwyr"
    assert dialog.period.currentText() == "Tymor yr hydref 2026–27"
    ctx.window.switch_language("en")
    assert dialog.windowTitle() == "Reports for governors"
    assert dialog.period.currentText() == "Autumn term 2026–27"
    assert dialog.close_button.text().replace("&", "") == "Close"
    assert dialog.sections.item(0).text() == "What has changed since the last report"


def test_suggested_file_names_follow_the_report_language():
    assert suggested_file_name("governors", "cy", 2026, "autumn", True) == (
        "Adroddiad y pennaeth i'r llywodraethwyr, tymor yr hydref 2026–27 (drafft).pdf"
    )
    assert suggested_file_name("sdp_summary", "en", 2026, None, False) == "School development plan summary, 2026–27.pdf"
    assert suggested_file_name("governors", "both", 2025, "summer", False).startswith("Adroddiad")


def test_opening_the_dialog_imports_no_reportlab(school_dir):
    """reportlab is imported on the worker when a report is made, not to show the choices."""
    import os
    import sys

    code = (
        "import sys; from pathlib import Path; from selfeval_app.gui.app import start; "
        f"ctx = start(Path({str(school_dir)!r}), 'cy'); dialog = ctx.window.open_reports(); "
        "print('SECTIONS', dialog.sections.count()); print('REPORTLAB', 'reportlab' in sys.modules); ctx.close()"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "SECTIONS 7" in out.stdout, out.stderr
    assert "REPORTLAB False" in out.stdout, out.stdout
