"""The host's Peer review page (issue 12), offscreen with a fixed clock, on real data folders:
the example school H (host, with keys) and the example reviewer R, trusting each other.

- the host creates a visit, chooses a private record, previews the pack (exactly what it holds)
  and sends it to the reviewer contact: a real bundle file that R's data folder imports;
- the reviewers' findings come home read-only; the host responds, the responses go to the lead
  in the pack and come back agreed; the host keeps the agreed copy and makes the PDF;
- the host turns a finding into an action, which shows on the plan with its link back;
- the page and its dialogs in Welsh show no English, and every control has a name.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from gui_walk import collect, english_problems, interactive_without_name
from PySide6.QtWidgets import QApplication
from test_gui_walk import data_strings

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.demo_review import EXAMPLE_REVIEWER_OWNER, REVIEWER_NAME, visit_id
from selfeval_app.core.records import RecordStore

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.setup_reviewer import demo_reviewer

    root = tmp_path_factory.mktemp("host-review")
    build_example_school(root / "H", device_id="device-H", today=TODAY)
    store = RecordStore(open_database(root / "H"), device_id="device-H")
    h_keys = keys.ensure_identity(store)
    _d, r_keys, _c = demo_reviewer(root / "R", device_id="device-R")
    contacts.trust(store, h_keys, r_keys.card(), r_keys.fingerprint())
    store.close()
    r_store = RecordStore(open_database(root / "R"), device_id="device-R")
    contacts.trust(r_store, r_keys, h_keys.card(), h_keys.fingerprint())
    r_store.close()
    return root


@pytest.fixture
def folders(template, tmp_path):
    for name in ("H", "R"):
        shutil.copytree(template / name, tmp_path / name)
    return tmp_path


def _store(folder, device):
    return RecordStore(open_database(folder), device_id=device)


def reviewer_sends_back(folders, out):
    """R's notes and findings of the example visit, as `bundle export --visit` writes them."""
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    r = _store(folders / "R", "device-R")
    try:
        r_keys = keys.require_keys(folders / "R")
        host = Recipient.from_contact(contacts.get(r, keys.require_keys(folders / "H").identity_id))
        write_bundle(r, r_keys, host, out, plan_visit_bundle(r, r_keys, host, visit_id()))
    finally:
        r.close()
    return out


def reviewer_imports(folders, path):
    from selfeval_app.exchange import keys
    from selfeval_app.exchange.bundle_import import import_bundle

    r = _store(folders / "R", "device-R")
    try:
        return import_bundle(r, keys.require_keys(folders / "R"), path)
    finally:
        r.close()


def settle(window, qtbot):
    qtbot.waitUntil(lambda: not window.worker.busy and not window.operations.background_busy, timeout=30000)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not window.worker.busy and not window.operations.background_busy, timeout=30000)


def open_page(launch, folder, qtbot, lang="en"):
    ctx = launch(folder, lang)
    window = ctx.window
    window.clock = FixedClock(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC))
    page = window.show_page("peer_review")
    settle(window, qtbot)
    return ctx, window, page


def _import_findings(page, window, qtbot, folders):
    back = reviewer_sends_back(folders, folders / "back.selfeval-bundle")
    page.import_bundle(str(back))
    settle(window, qtbot)
    assert page.detail is not None and len(page.detail["findings"]) == 2


def test_host_turns_a_finding_into_an_action_shown_on_the_plan_with_its_link(launch, folders, qtbot):
    ctx, window, page = open_page(launch, folders / "H", qtbot)
    assert [r["id"] for r in page.rows] == [visit_id()]
    _import_findings(page, window, qtbot, folders)
    # the findings are the reviewers', read-only, marked as theirs
    assert not any(f["ours"] for f in page.detail["findings"])
    assert REVIEWER_NAME in page.finding_text.toPlainText() and page.finding_text.isReadOnly()
    page.findings.setCurrentRow(0)
    finding = page.current_finding()
    dialog = page.add_to_plan()
    assert dialog.existing.isChecked() and dialog.priority.count() > 0
    dialog.description.editors["cy"].setPlainText("Her i ddarllenwyr mwyaf abl Blwyddyn 4")
    dialog.description.editors["en"].setPlainText("Challenge for the most able readers in Year 4")
    priority_id = dialog.priority.currentData()
    dialog._ok()
    settle(window, qtbot)
    f = next(x for x in page.detail["findings"] if x["id"] == finding["id"])
    assert f["action"] is not None and f["action"]["priority_id"] == priority_id
    assert "Challenge for the most able readers" in page.response_text.text()

    # the plan shows the action with its link back; the link opens the finding
    page.go_to_action()
    QApplication.processEvents()
    assert window.current_page_key() == "plan"
    plan = window.page("plan")
    row = plan.actions_table.currentRow()
    assert row >= 0
    assert "(from a peer review finding)" in plan.actions_table.item(row, 0).text()
    assert plan.finding_button.isEnabled()
    assert plan.go_to_finding()
    assert window.current_page_key() == "peer_review"
    assert page.current_finding()["id"] == finding["id"]

    # a new priority path: made under the newest plan, linked the same way
    page.findings.setCurrentRow(1)
    dialog = page.add_to_plan()
    dialog.new.setChecked(True)
    dialog.new_title.editors["cy"].setText("Cymraeg ar yr iard")
    dialog.new_title.editors["en"].setText("Welsh in the yard")
    dialog._ok()
    settle(window, qtbot)
    f = page.current_finding()
    assert f["action"] is not None
    store = _store(folders / "H", "t")
    try:
        assert store.require("priority", f["action"]["priority_id"])["title"]["en"] == "Welsh in the yard"
    finally:
        store.close()


def test_host_creates_a_visit_chooses_previews_and_sends_a_pack_the_reviewer_imports(launch, folders, qtbot, fake_dialogs):
    h = _store(folders / "H", "device-H")
    private = h.create("evidence", {"date": "2026-11-20", "kind": "book_look", "title": {"cy": "Llyfrau Blwyddyn 4", "en": "Year 4 books"}}, visibility="private")
    other_private = h.create("evidence", {"date": "2026-11-21", "kind": "other", "title": {"cy": "Cyfrinachol", "en": "Secret"}}, visibility="private")
    h.close()
    ctx, window, page = open_page(launch, folders / "H", qtbot)

    dialog = page.edit_visit(new=True)
    dialog.kind.setCurrentIndex(dialog.kind.findData("peer_enquiry"))
    question = dialog.open_question(None)
    question.text.editors["cy"].setPlainText("I ba raddau y mae dysgwyr Blwyddyn 4 yn darllen yn annibynnol?")
    question.text.editors["en"].setPlainText("To what extent do Year 4 learners read independently?")
    question.lists["areas"][1].item(0).setCheckState(question.lists["areas"][1].item(0).checkState().Checked)
    question._ok()
    member = dialog.open_member(None)
    member.role.setCurrentIndex(member.role.findData("lead"))
    member.contact.setCurrentIndex(member.contact.findData(EXAMPLE_REVIEWER_OWNER))
    assert member.name.text()  # taken from the contact's card
    member.name.setText("Mr Huw Bowen")
    member._ok()
    dialog.save()
    settle(window, qtbot)
    assert dialog.result() == dialog.DialogCode.Accepted
    new_id = dialog.saved_record["id"]
    assert page.current_visit_id() == new_id
    assert page.detail["visit"]["status"] == "draft" and page.detail["summary"]["kind"] == "peer_enquiry"

    chooser = page.choose_records()
    chooser.set_chosen(private["id"], True)
    chooser.accept()
    settle(window, qtbot)
    assert page.detail["visit"]["shared_record_ids"] == [private["id"]]

    assert page.reviewer.currentData() == EXAMPLE_REVIEWER_OWNER
    page.send_pack()
    settle(window, qtbot)
    preview_dialog = page.dialog
    rows = {r["id"]: r for r in preview_dialog.preview.rows}
    assert rows[private["id"]]["why"] == "chosen" and other_private["id"] not in rows
    assert rows[new_id]["why"] == "visit"
    # the preview is exactly the core's pack
    from selfeval_app.core import peer_review

    h = _store(folders / "H", "t")
    try:
        assert set(rows) == {r["id"] for r in peer_review.pack_records(h, new_id)}
    finally:
        h.close()
    out = folders / "pack"
    fake_dialogs.files = [str(out)]
    preview_dialog.accept()
    settle(window, qtbot)
    assert page.last_written["path"] == str(out) + ".selfeval-bundle"
    assert page.detail["visit"]["status"] == "pack_sent"
    report = reviewer_imports(folders, out.with_name("pack.selfeval-bundle"))
    assert {new_id, private["id"]} <= {r["id"] for r in report["new"]}
    r = _store(folders / "R", "t")
    try:
        assert r.get("evidence", private["id"]) is not None and r.get("evidence", other_private["id"]) is None
        assert r.require("review_visit", new_id)["owner"] != EXAMPLE_REVIEWER_OWNER
    finally:
        r.close()


def test_responses_round_trip_and_the_agreed_copy(launch, folders, qtbot, fake_dialogs):
    ctx, window, page = open_page(launch, folders / "H", qtbot)
    _import_findings(page, window, qtbot, folders)
    page.findings.setCurrentRow(0)
    finding_id = page.current_finding()["id"]
    dialog = page.respond()
    dialog.radios["correction"].setChecked(True)
    dialog.text.editors["cy"].setPlainText("Grŵp darllen Blwyddyn 4 yn newydd ers mis Hydref.")
    dialog.text.editors["en"].setPlainText("The Year 4 reading group has been new since October.")
    dialog._ok()
    settle(window, qtbot)
    assert page.current_finding()["response"]["response"] == "correction"

    # the responses go to the lead in the pack
    page.send_pack()
    settle(window, qtbot)
    assert any(r["type"] == "review_response" for r in page.dialog.preview.rows)
    fake_dialogs.files = [str(folders / "p2.selfeval-bundle")]
    page.dialog.accept()
    settle(window, qtbot)
    reviewer_imports(folders, folders / "p2.selfeval-bundle")
    r = _store(folders / "R", "device-R")
    try:
        [held] = r.list("review_response", where="finding_id = ?", params=(finding_id,))
        assert held["response"] == "correction" and "October" in held["text"]["en"]
        from selfeval_app.core.peer_review import mark_findings_agreed

        assert mark_findings_agreed(r, visit_id(), agreed_on="2026-12-10") == 2
    finally:
        r.close()
    back = reviewer_sends_back(folders, folders / "b2.selfeval-bundle")
    page.import_bundle(str(back))
    settle(window, qtbot)
    assert all(f["agreed"] for f in page.detail["findings"])
    page.keep_agreed_report()
    settle(window, qtbot)
    report = page.detail["report"]
    assert report is not None and report["authors"] == [REVIEWER_NAME] and report["agreed_on"] == TODAY.isoformat()
    assert page.detail["visit"]["status"] == "agreed"
    assert "agreed on" in page.facts.text()

    pdf = folders / "visit.pdf"
    page.make_pdf(str(pdf))
    settle(window, qtbot)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Grŵp darllen Blwyddyn 4" in text and text.index("Grŵp darllen") < text.index("The Year 4 reading group")

    # sharing the findings with the LA: a clear choice, kept on the visit
    assert not page.share.isChecked()
    page.share.setChecked(True)
    settle(window, qtbot)
    assert page.detail["visit"]["share_findings"] is True
    assert page.detail["report"]["visibility"] == "la"


def test_welsh_walk_of_the_page_and_its_dialogs(launch, folders, qtbot):
    ctx, window, page = open_page(launch, folders / "H", qtbot, lang="cy")
    _import_findings(page, window, qtbot, folders)
    page.findings.setCurrentRow(0)
    from selfeval_app import peer_review_views as views

    allowed = data_strings("cy") | _data_of(folders / "H")
    allowed |= {views.finding_text(f) for f in page.detail["findings"]}  # data under Welsh labels
    problems, unnamed = [], []

    def walk(name, widget):
        pairs = collect(widget)
        assert pairs, name
        problems.extend(f"{name}: {p}" for p in english_problems(pairs, allowed))
        unnamed.extend(f"{name}: {w}" for w in interactive_without_name(widget))

    walk("page", page)
    visit = page.edit_visit()
    walk("visit dialog", visit)
    walk("question dialog", visit.open_question(0))
    visit.dialog.reject()
    walk("team member dialog", visit.open_member(0))
    visit.dialog.reject()
    visit.reject()
    chooser = page.choose_records()
    walk("what the reviewers may see", chooser)
    chooser.reject()
    page.send_pack()
    settle(window, qtbot)
    walk("pack preview", page.dialog)
    page.dialog.reject()
    respond = page.respond()
    walk("response dialog", respond)
    respond.reject()
    plan = page.add_to_plan()
    walk("add to our plan", plan)
    plan.reject()
    assert not problems, "English in Welsh mode:\n" + "\n".join(problems)
    assert not unnamed, unnamed


def _data_of(folder) -> set[str]:
    """The example's own texts (names, questions, findings, records' titles): data, not interface."""
    out: set[str] = set()
    store = _store(folder, "t")
    try:
        from selfeval_app.core import record_types as rt

        for t in rt.RECORD_TYPES:
            for rec in store.list(t):
                for value in rec.values():
                    if isinstance(value, str):
                        out.add(value)
                    elif isinstance(value, dict):
                        out |= {v for v in value.values() if isinstance(v, str)}
                    elif isinstance(value, list):
                        for item in value:
                            if isinstance(item, str):
                                out.add(item)
                            elif isinstance(item, dict):
                                for v in item.values():
                                    if isinstance(v, str):
                                        out.add(v)
                                    elif isinstance(v, dict):
                                        out |= {x for x in v.values() if isinstance(x, str)}
    finally:
        store.close()
    return out


def test_follow_up_date_on_this_term_at_a_glance(launch, folders, qtbot):
    """The example visit's follow-up is 90 days on: not shown; brought near, it is (with days)."""
    from selfeval_app.core.peer_review_host import FOLLOW_UP_WITHIN_DAYS

    ctx, window, page = open_page(launch, folders / "H", qtbot)
    glance = window.show_page("glance")
    _box, summary, table = glance.sections["follow_ups"]
    assert table.rowCount() == 0 and str(FOLLOW_UP_WITHIN_DAYS) in summary.text()
    visit = page.detail["visit"]
    raw = {k: visit[k] for k in ("start_date", "end_date", "kind", "questions", "team", "status")}
    raw["follow_up"] = (TODAY + dt.timedelta(days=10)).isoformat()
    from selfeval_app import peer_review_views as views

    window.run_job(lambda s: views.save_visit(s.store, visit["id"], raw, visit["rev"]))
    settle(window, qtbot)
    window.show_page("glance")
    assert table.rowCount() == 1 and table.item(0, 2).text() == "in 10 days"
    assert "1 peer review visit has its follow-up date" in summary.text()
    # the School home shows it too, from the same rule, and opens the visit
    home = window.show_page("school")
    home.reload()
    settle(window, qtbot)
    assert [f.visit_id for f in home.attention.follow_ups] == [visit["id"]]
    assert not home.sections["follow_ups"].isHidden()
    home._open(("review_visit", visit["id"]))
    assert window.current_page_key() == "peer_review" and page.current_visit_id() == visit["id"]


def test_the_pack_goes_by_sync_when_it_is_set_up(launch, folders, qtbot, fake_dialogs):
    """Both laptops use one shared folder (the folder transport, a real directory): the pack
    waits in the sync outbox, the next round puts it in the reviewer's inbox, the reviewer's
    round imports it and answers with a receipt, and only then does the host's ledger note it."""
    from selfeval_app.core import share_ledger
    from selfeval_app.exchange import keys, outbox, sync_round, sync_setup, sync_state

    shared = folders / "Hwb OneDrive" / "Rhannu"
    shared.mkdir(parents=True)
    for name, device in (("H", "device-H"), ("R", "device-R")):
        store = _store(folders / name, device)
        try:
            sync_setup.setup_folder(store, shared)
        finally:
            store.close()
    ctx, window, page = open_page(launch, folders / "H", qtbot)
    page.reload()
    settle(window, qtbot)
    assert "by sync" in page.send_button.text() and not page.file_button.isHidden()
    page.send_pack()
    settle(window, qtbot)
    page.dialog.accept()
    settle(window, qtbot)
    assert not any(c[0] == "question" for c in fake_dialogs.calls)  # Send sends by sync, and says so
    info = [c for c in fake_dialogs.calls if c[0] == "information"][-1]
    assert "Queued for" in info[2] and "next sync" in info[2]
    reviewer = EXAMPLE_REVIEWER_OWNER
    ledger = {}
    window.run_job(lambda s: ledger.update(share_ledger.sent_to(s.store, reviewer)))
    settle(window, qtbot)
    assert ledger == {}  # not sent until the receipt
    put = []
    window.run_job(lambda s: put.append(outbox.upload_waiting(s.store, sync_setup.transport_for(s.store))))
    settle(window, qtbot)
    assert put == [1]

    r = _store(folders / "R", "device-R")
    try:
        result = sync_round.run_round(r, keys.require_keys(folders / "R"), sync_setup.transport_for(r))
        assert result["imported"] == 1 and result["refused"] == []
        assert r.get("review_visit", visit_id()) is not None
    finally:
        r.close()
    acknowledged = []
    window.run_job(lambda s: acknowledged.append(outbox.read_receipts(s.store, keys.require_keys(folders / "H"), sync_setup.transport_for(s.store))))
    settle(window, qtbot)
    assert acknowledged == [1]
    window.run_job(lambda s: ledger.update(share_ledger.sent_to(s.store, reviewer)))
    settle(window, qtbot)
    assert visit_id() in ledger
    # "Save as a file instead" is kept: the same pack, to a file, noted at once
    out = folders / "pack-as-file.selfeval-bundle"
    fake_dialogs.files = [str(out)]
    page.send_pack(as_file=True)
    settle(window, qtbot)
    page.dialog.accept()
    settle(window, qtbot)
    assert out.is_file() and ("save_file", "Write the visit's pack") in fake_dialogs.calls
    waiting = []
    window.run_job(lambda s: waiting.extend(sync_state.outbox(s.store)))
    settle(window, qtbot)
    assert waiting == []  # nothing more queued
