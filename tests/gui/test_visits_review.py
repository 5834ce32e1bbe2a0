"""The reviewer's side in the window (issue 12, item 3): a head's school laptop becomes a peer
reviewer, imports the host's visit pack (the visit shows with the host's name), logs five
activities and three findings with no network, closes the window and reopens it: all there.
The host's records are read-only there (no edit control; the store refuses). The example
reviewer's laptop shows "Visits I review". Walked in Welsh."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)
from test_gui_walk import data_strings

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import ReadOnlyRecordError, RecordStore

HOST_EN = "Ysgol Gymraeg Bro’r Wennol"
CLOCK = FixedClock(dt.datetime(2026, 12, 2, 9, 30))
THIRD = {"id": "question-third", "text": {"cy": "I ba raddau y mae'r dysgwyr yn arwain eu dysgu?", "en": "To what extent do learners lead their learning?"}, "area_ids": [], "statement_ids": [], "priority_ids": []}


def _school(path):
    db = open_database(path)
    try:
        store = RecordStore(db, device_id="device-S")
        store.create("school", {"name": {"cy": "Ysgol Gynradd Cwm Glas", "en": "Cwm Glas Primary School"}, "la_code": 667, "writes_in": "both"}, visibility="la")
        db.conn.execute("BEGIN IMMEDIATE")
        db.set_meta("is_example", "1")
        db.conn.execute("COMMIT")
    finally:
        db.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The example school H (host) and a school laptop S whose head is a peer reviewer, as key
    contacts of each other, and H's visit pack for S's reviewer identity (three questions)."""
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.exchange import contacts, identity_keys, keys
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.setup_reviewer import demo_reviewer
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    root = tmp_path_factory.mktemp("visits-gui")
    build_example_school(root / "H", device_id="device-H")
    _school(root / "S")
    demo_reviewer(root / "R", device_id="device-R")
    h = RecordStore(open_database(root / "H"), device_id="device-H")
    s = RecordStore(open_database(root / "S"), device_id="device-S")
    try:
        kh, ks = keys.ensure_identity(h), keys.ensure_identity(s)
        kr = identity_keys.become_reviewer(s, {"cy": "Ann Jones (Ysgol Gynradd Cwm Glas)", "en": "Ann Jones (Cwm Glas Primary School)"})
        contacts.trust(h, kh, kr.card(), kr.fingerprint())
        contacts.trust(s, ks, kh.card(), kh.fingerprint())
        visit = h.get("review_visit", visit_id())
        h.update("review_visit", visit["id"], {
            "team": [{"identity_id": kr.identity_id, "name": "Ann Jones", "role": "lead"}],
            "questions": [*visit["questions"], THIRD],
        })
        to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
        write_bundle(h, kh, to_reviewer, root / "pack.selfeval-bundle", plan_visit_bundle(h, kh, to_reviewer, visit["id"]))
        host_owner = kh.identity_id
    finally:
        h.close()
        s.close()
    return root, host_owner


@pytest.fixture
def laptop(template, tmp_path):
    root, host_owner = template
    shutil.copytree(root / "S", tmp_path / "S")
    shutil.copytree(root / "R", tmp_path / "R")
    shutil.copy(root / "pack.selfeval-bundle", tmp_path / "pack.selfeval-bundle")
    return tmp_path, host_owner


def settle(window, qtbot):
    qtbot.waitUntil(lambda: not window.worker.busy and not window.operations.background_busy, timeout=30000)
    QApplication.processEvents()


def open_visits(launch, folder, qtbot, lang="en"):
    ctx = launch(folder, lang)
    window = ctx.window
    window.clock = CLOCK
    qtbot.waitUntil(lambda: window._painted, timeout=10000)  # noqa: SLF001 - the optional pages join after it
    settle(window, qtbot)
    page = window.show_page("visits")
    settle(window, qtbot)
    return ctx, window, page


def nav_shows(window, key) -> bool:
    return not window.nav.item(window._page_slots[key]).isHidden()  # noqa: SLF001


def import_pack(page, window, qtbot, fake_dialogs, path):
    fake_dialogs.files.append(str(path))
    page.import_button.click()
    settle(window, qtbot)
    settle(window, qtbot)


def type_into(widget, text):
    """Typed key by key; a Welsh letter as the Welsh-letter helper or a Welsh keyboard types it."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    widget.setFocus()
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def test_a_school_without_a_reviewer_identity_has_no_visits_page(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    qtbot.waitUntil(lambda: ctx.window._painted, timeout=10000)  # noqa: SLF001
    assert not nav_shows(ctx.window, "visits")
    assert nav_shows(ctx.window, "evaluation")


def test_becoming_a_peer_reviewer_shows_the_page_and_the_key_card(launch, school_dir, qtbot, fake_dialogs, tmp_path):
    ctx, window, page = open_visits(launch, school_dir, qtbot)
    assert not nav_shows(window, "visits") and page.become_button.isVisible()
    page.become_reviewer("Ann Jones")
    settle(window, qtbot)
    assert nav_shows(window, "visits") and not page.become_button.isVisible()
    assert "Ann Jones (Builth Wells Primary School)" in page.me_label.text()
    fingerprint = page.data["reviewer"]["fingerprint"]
    assert fingerprint in page.me_label.text()
    fake_dialogs.files.append(str(tmp_path / "me.selfeval-card"))
    page.card_button.click()
    settle(window, qtbot)
    from selfeval_app.exchange import keys

    card = keys.read_card(tmp_path / "me.selfeval-card")
    assert card["identity"]["role"] == "reviewer" and keys.fingerprint(card) == fingerprint
    assert card["identity"]["id"] != window.session.reader.owner


def test_the_example_reviewer_laptop_shows_visits_i_review(launch, laptop, qtbot, fake_dialogs):
    folder, _host = laptop
    ctx, window, page = open_visits(launch, folder / "R", qtbot)
    assert nav_shows(window, "visits")
    assert page.data["reviewer"] is not None and not page.become_button.isVisible()


def test_the_pack_shows_the_visit_with_the_hosts_name(launch, laptop, qtbot, fake_dialogs):
    folder, _host = laptop
    ctx, window, page = open_visits(launch, folder / "S", qtbot)
    assert page.table.rowCount() == 0 and page.no_visits.isVisible()
    import_pack(page, window, qtbot, fake_dialogs, folder / "pack.selfeval-bundle")
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text() == HOST_EN
    assert any(HOST_EN in c[2] for c in fake_dialogs.calls if c[0] == "information")
    # A file that is not a bundle: refused in words, nothing changed.
    bad = folder / "not-a-bundle.selfeval-bundle"
    bad.write_bytes(b"hello")
    import_pack(page, window, qtbot, fake_dialogs, bad)
    kind, _title, text = fake_dialogs.calls[-1]
    assert kind == "warning" and "Nothing was changed" in text and "Traceback" not in text
    assert page.table.rowCount() == 1


def test_five_activities_and_three_findings_survive_closing_the_window(launch, laptop, qtbot, fake_dialogs):
    folder, host_owner = laptop
    ctx, window, page = open_visits(launch, folder / "S", qtbot)
    import_pack(page, window, qtbot, fake_dialogs, folder / "pack.selfeval-bundle")
    page.table.selectRow(0)
    page.open_button.click()
    settle(window, qtbot)
    ws = page.workspace
    assert ws.title.text() == HOST_EN
    assert ws.question_combo.count() == 3

    # The host's records: marked as the host's, with nothing that edits them.
    assert HOST_EN in ws.host_view.banner.text() and "read only" in ws.host_view.banner.text()
    assert "read only" in ws.questions_banner.text()
    for view in (ws.host_view, ws.questions_tab):
        editable = [
            w for w in view.findChildren(QWidget)
            if isinstance(w, (QLineEdit, QPlainTextEdit, QComboBox, QAbstractButton)) and not (isinstance(w, (QLineEdit, QPlainTextEdit)) and w.isReadOnly())
        ]
        assert not [w for w in editable if w.objectName() not in ("qt_scrollarea_viewport",)], editable
    assert ws.host_view.records["evaluation"] and all(r["owner"] == host_owner for rs in ws.host_view.records.values() for r in rs)
    host_eval = ws.host_view.records["evaluation"][0]

    kinds = ["learning_walk", "joint_lesson_observation", "work_scrutiny", "learner_voice", "meeting_governors"]
    ws.tabs.setCurrentWidget(ws.log_tab)
    for n, kind in enumerate(kinds):
        ws.new_note_button.click()
        settle(window, qtbot)
        assert ws.note_chain is not None and ws.note_chain.record_id
        assert ws.time_edit.text() == "2026-12-02 09:30"  # now, by the window's clock (Wales)
        ws.kind_combo.setCurrentIndex(ws.kind_combo.findData(kind))
        type_into(ws.place_edit, f"Dosbarth {n + 1}")
        type_into(ws.who_edit, "Mr Dafydd ap Gwyn")
        ws.note_questions.item(n % 3).setCheckState(Qt.CheckState.Checked)
        type_into(ws.note_text.boxes["cy"], f"Nodyn rhif {n + 1}: dysgwyr yn trafod ŵyl y gân.")
        type_into(ws.note_text.boxes["en"], f"Note {n + 1}: learners discuss.")
        qtbot.wait(50)
    assert ws.notes_list.count() == 5
    # Findings for the three questions, each linked to a note.
    ws.tabs.setCurrentWidget(ws.findings_tab)
    for q in range(3):
        ws.question_combo.setCurrentIndex(q)
        settle(window, qtbot)
        type_into(ws.parts["strengths"].boxes["cy"], f"Cryfder {q + 1}")
        type_into(ws.parts["lines_of_enquiry"].boxes["en"], f"Enquiry {q + 1}")
        ws.finding_notes.item(q).setCheckState(Qt.CheckState.Checked)
    ws.flush()
    settle(window, qtbot)
    assert not ws.has_unsaved_changes() and ws.state_label.text() == "Saved"

    # The store refuses a write to the host's records, as the reviewer or as the school.
    reviewer = ws.reviewer

    def try_edit(session):
        refused = 0
        for who in (None, reviewer):
            try:
                session.store.update("evaluation", host_eval["id"], {"narrative": {"en": "changed"}}, as_identity=who)
            except ReadOnlyRecordError:
                refused += 1
        return refused

    results = []
    window.run_job(try_edit, results.append, status=None, done_status=None)
    settle(window, qtbot)
    assert results == [2]
    ctx.close()

    # Reopened: everything is there, owned by the reviewer identity.
    ctx2, window2, page2 = open_visits(launch, folder / "S", qtbot)
    page2.table.selectRow(0)
    page2.open_selected()
    settle(window2, qtbot)
    ws2 = page2.workspace
    assert ws2.notes_list.count() == 5
    notes = ws2.ws.notes
    assert sorted(n["kind"] for n in notes) == sorted(kinds)
    assert {n["text"]["cy"] for n in notes} == {f"Nodyn rhif {n + 1}: dysgwyr yn trafod ŵyl y gân." for n in range(5)}
    assert {n["place"] for n in notes} == {f"Dosbarth {n + 1}" for n in range(5)}
    assert all(n["owner"] == reviewer and n["host_participant"] == "Mr Dafydd ap Gwyn" and n["time"] == "2026-12-02T09:30" for n in notes)
    findings = ws2.ws.findings
    assert len(findings) == 3 and all(f["owner"] == reviewer for f in findings)
    assert {f["strengths"]["cy"] for f in findings} == {"Cryfder 1", "Cryfder 2", "Cryfder 3"}
    assert all(len(f["note_ids"]) == 1 and f["authors"] == ["Ann Jones"] for f in findings)
    ws2.question_combo.setCurrentIndex(2)
    assert ws2.parts["lines_of_enquiry"].boxes["en"].toPlainText() == "Enquiry 3"


def test_sending_to_the_host_writes_only_the_reviewers_records(launch, laptop, qtbot, fake_dialogs, template):
    folder, host_owner = laptop
    ctx, window, page = open_visits(launch, folder / "S", qtbot)
    import_pack(page, window, qtbot, fake_dialogs, folder / "pack.selfeval-bundle")
    page.table.selectRow(0)
    page.open_selected()
    settle(window, qtbot)
    ws = page.workspace
    ws.new_note_button.click()
    settle(window, qtbot)
    type_into(ws.note_text.boxes["en"], "Seen in the hall.")
    out = folder / "to-host.selfeval-bundle"
    fake_dialogs.files.append(str(out))
    ws.send_button.click()  # saves first, then the bundle off the writer, then the ledger
    settle(window, qtbot)
    settle(window, qtbot)
    assert out.is_file() and ws.last_sent.records == 1
    # The draft report, rendered off the writer, then opened.
    pdf = folder / "visit.pdf"
    fake_dialogs.files.append(str(pdf))
    ws.report_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF") and ws.last_report.pages >= 1
    assert ("open_document", str(pdf)) in fake_dialogs.calls
    ctx.close()

    from selfeval_app.exchange import keys
    from selfeval_app.exchange.bundle_read import read_bundle

    root, _owner = template
    shutil.copytree(root / "H", folder / "H")
    h = RecordStore(open_database(folder / "H"), device_id="device-H")
    try:
        bundle = read_bundle(h, keys.require_keys(folder / "H"), out)
        try:
            [rec] = bundle.records
        finally:
            bundle.close()
    finally:
        h.close()
    assert rec["type"] == "review_note" and rec["text"]["en"] == "Seen in the hall."
    assert rec["owner"] != host_owner


def test_welsh_walk_of_the_visit_pages(launch, laptop, qtbot, fake_dialogs):
    folder, _host = laptop
    allowed = data_strings("cy") | data_strings("en")
    for lang in ("cy", "en"):
        ctx, window, page = open_visits(launch, folder / "S", qtbot, lang)
        if page.table.rowCount() == 0:
            import_pack(page, window, qtbot, fake_dialogs, folder / "pack.selfeval-bundle")
        page.table.selectRow(0)
        page.open_selected()
        settle(window, qtbot)
        ws = page.workspace
        ws.new_note_button.click()
        settle(window, qtbot)
        reader = window.session.reader
        data = set(allowed) | {HOST_EN, "Ann Jones", "Ysgol Gynradd Cwm Glas", "Cwm Glas Primary School"}
        for q in ws.ws.questions:
            data |= {q["text"]["cy"], q["text"]["en"]}
        for i in range(ws.question_combo.count()):
            data.add(ws.question_combo.itemText(i))
        for i in range(ws.note_questions.count()):
            data.add(ws.note_questions.item(i).text())
        for lst in (ws.notes_list, ws.finding_notes):
            for i in range(lst.count()):
                data.add(lst.item(i).text())
        data |= {page.table.item(0, c).text() for c in (0, 1)}
        del reader
        for where, widget in (("list", page.list_view), ("workspace", ws)):
            pairs = [(w, line) for w, t in collect(widget, item_data=False) for line in t.split("\n") if not w.startswith(("QTextBrowser", "hostRecords", "questions"))]
            assert pairs, where
            if lang == "cy":
                problems = english_problems(pairs, data)
                assert not problems, (where, problems)
            else:
                assert not welsh_problems(pairs, data), where
            for tab in range(ws.tabs.count()):
                ws.tabs.setCurrentIndex(tab)
                assert not interactive_without_name(ws.tabs.currentWidget()), (where, tab, interactive_without_name(ws.tabs.currentWidget()))
        ctx.close()
    assert isinstance(ws.notes_list, QListWidget)


def test_where_sync_is_set_up_send_queues_for_it_and_the_host_receives_it(launch, laptop, qtbot, fake_dialogs, template):
    """A head's reviewer identity on the school's own laptop: "Send to the host school" queues
    the bundle for sync and says so; the school laptop's round takes it to the host's inbox, the
    host's round imports it and writes a receipt in the reviewer's name, and the laptop's next
    round marks it delivered. "Save as a file instead" is kept."""
    from selfeval_app.exchange import keys, sync_setup, sync_state
    from selfeval_app.exchange.sync_round import run_round

    folder, host_owner = laptop
    root, _owner = template
    shutil.copytree(root / "H", folder / "H")
    shared = folder / "Hwb OneDrive" / "Adolygu"
    shared.mkdir(parents=True)
    for name, device in (("S", "device-S"), ("H", "device-H")):
        store = RecordStore(open_database(folder / name), device_id=device)
        try:
            sync_setup.setup_folder(store, shared)
        finally:
            store.close()
    ctx, window, page = open_visits(launch, folder / "S", qtbot)
    import_pack(page, window, qtbot, fake_dialogs, folder / "pack.selfeval-bundle")
    page.table.selectRow(0)
    page.open_selected()
    settle(window, qtbot)
    ws = page.workspace
    assert "by sync" in ws.send_button.text() and not ws.file_button.isHidden()
    ws.new_note_button.click()
    settle(window, qtbot)
    type_into(ws.note_text.boxes["en"], "Seen in the hall.")
    ws.send_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    info = [c for c in fake_dialogs.calls if c[0] == "information"][-1]
    assert "Queued for" in info[2] and "next sync" in info[2] and ws.last_sent.new
    # "Save as a file instead" writes the same bundle to a file
    out = folder / "to-host.selfeval-bundle"
    fake_dialogs.files.append(str(out))
    ws.file_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert out.is_file()
    ctx.close()

    def sync(name, device):
        store = RecordStore(open_database(folder / name), device_id=device)
        try:
            return run_round(store, keys.require_keys(folder / name), sync_setup.transport_for(store))
        finally:
            store.close()

    assert sync("S", "device-S")["bundles_put"] == 1
    got = sync("H", "device-H")
    assert got["imported"] == 1 and got["refused"] == [], got
    h = RecordStore(open_database(folder / "H"), device_id="device-H")
    try:
        [note] = [n for n in h.list("review_note") if n["text"]["en"] == "Seen in the hall."]
        assert note["owner"] != host_owner
    finally:
        h.close()
    assert sync("S", "device-S")["acknowledged"] == 1
    s = RecordStore(open_database(folder / "S"), device_id="device-S")
    try:
        assert sync_state.outbox(s) == []
    finally:
        s.close()
