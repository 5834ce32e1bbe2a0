"""Another owner's records in the app's usual pages, read-only (gui/records_window.py; issue 12
item 3 at a peer reviewer's, issue 13 item 3 at the LA).

At a reviewer's (a head's school laptop with a reviewer identity, holding the host's visit pack,
and its own school's evaluation, evidence and plan): the window shows the host's evaluation
narrative, evidence and priorities and none of the laptop's own school's; no editing control is
offered; typing, keys and clicks change nothing in the database (the window's `run_job` raises
on any write here); the banner follows the language; the navigation and Close are reached by
Tab. At the LA: one example school's records only, not another school's."""

from __future__ import annotations

import shutil

import pytest
from la_helpers import la_dir  # noqa: F401 - the fixture
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

HOST_EN = "Ysgol Gymraeg Bro’r Wennol"
OWN_NARRATIVE = "OWN SCHOOL NARRATIVE: never shown as the host's"
OWN_EVIDENCE = "OWN SCHOOL EVIDENCE: never shown as the host's"
OWN_PRIORITY = "OWN SCHOOL PRIORITY: never shown as the host's"


def _own_school(path):
    """A head's school laptop: its own school with an evaluation, evidence and a plan."""
    from selfeval_app.core import framework

    db = open_database(path)
    try:
        store = RecordStore(db, device_id="device-S")
        store.create("school", {"name": {"cy": "Ysgol Gynradd Cwm Glas", "en": "Cwm Glas Primary School"}, "la_code": 667, "writes_in": "both"}, visibility="la")
        area = framework.current_framework().areas[0].id
        store.create("evaluation", {"area_id": area, "academic_year": 2026, "narrative": {"cy": OWN_NARRATIVE, "en": OWN_NARRATIVE}, "statements": []}, visibility="peers")
        store.create("evidence", {"date": "2026-11-20", "kind": "lesson_observation", "title": {"cy": OWN_EVIDENCE, "en": OWN_EVIDENCE}, "summary": {"cy": "", "en": ""}, "area_ids": [area]}, visibility="peers")
        plan = store.create("plan", {"title": {"cy": "Cynllun", "en": "Plan"}, "start_year": 2026}, visibility="peers")
        store.create("priority", {"plan_id": plan["id"], "title": {"cy": OWN_PRIORITY, "en": OWN_PRIORITY}, "position": 1}, visibility="peers")
        db.conn.execute("BEGIN IMMEDIATE")
        db.set_meta("is_example", "1")  # to trust the example school's card
        db.conn.execute("COMMIT")
    finally:
        db.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """S: a school laptop whose head is a peer reviewer and has imported the example school's
    visit pack (the host's shared records, owned by the host)."""
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.exchange import contacts, identity_keys, keys
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    root = tmp_path_factory.mktemp("records-window")
    build_example_school(root / "H", device_id="device-H")
    _own_school(root / "S")
    h = RecordStore(open_database(root / "H"), device_id="device-H")
    s = RecordStore(open_database(root / "S"), device_id="device-S")
    try:
        kh, ks = keys.ensure_identity(h), keys.ensure_identity(s)
        kr = identity_keys.become_reviewer(s, {"cy": "Ann Jones (Ysgol Gynradd Cwm Glas)", "en": "Ann Jones (Cwm Glas Primary School)"})
        contacts.trust(h, kh, kr.card(), kr.fingerprint())
        contacts.trust(s, ks, kh.card(), kh.fingerprint())
        visit = h.get("review_visit", visit_id())
        h.update("review_visit", visit["id"], {"team": [{"identity_id": kr.identity_id, "name": "Ann Jones", "role": "lead"}]})
        to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
        pack = root / "pack.selfeval-bundle"
        write_bundle(h, kh, to_reviewer, pack, plan_visit_bundle(h, kh, to_reviewer, visit["id"]))
        identity_keys.import_bundle_any(s, pack)
        host_owner = kh.identity_id
        host_name = h.get("review_visit", visit["id"])["host_name"]
    finally:
        h.close()
        s.close()
    return root, host_owner, host_name


@pytest.fixture
def laptop(template, tmp_path):
    root, host_owner, host_name = template
    shutil.copytree(root / "S", tmp_path / "S", ignore=shutil.ignore_patterns("*.lock"))
    return tmp_path / "S", host_owner, host_name


@pytest.fixture(autouse=True)
def loud(monkeypatch):
    """A write asked of a read-only window fails the test at once."""
    from selfeval_app.gui import records_window

    monkeypatch.setattr(records_window, "REFUSE_LOUDLY", True)


def settle(window, qtbot):
    qtbot.waitUntil(lambda: not window.worker.busy and not window.operations.background_busy, timeout=30000)
    QApplication.processEvents()


def start(launch, folder, qtbot, lang="en"):
    ctx = launch(folder, lang)
    window = ctx.window
    qtbot.waitUntil(lambda: window._painted, timeout=10000)  # noqa: SLF001
    settle(window, qtbot)
    return window


def open_for(window, owner, name, qtbot):
    from selfeval_app.gui.records_window import open_records_window

    records = open_records_window(window, owner, name)
    qtbot.waitExposed(records)
    return records


def changes(folder) -> int:
    """The change log's last sequence number: any write moves it."""
    db = open_database(folder)
    try:
        return db.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
    finally:
        db.close()


def owned(folder, type_name, owner) -> list[dict]:
    store = RecordStore(open_database(folder), device_id="device-test")
    try:
        return store.list(type_name, owners=owner)
    finally:
        store.close()


def editing_controls() -> frozenset[str]:
    from selfeval_app.gui.evaluation.page import EDITING_CONTROLS as evaluation
    from selfeval_app.gui.evidence.page import EDITING_CONTROLS as evidence
    from selfeval_app.gui.plan.page import EDITING_CONTROLS as plan

    return evaluation | evidence | plan


def offered(widget: QWidget, root: QWidget) -> bool:
    """Whether a control could be used to edit: shown, enabled and not read-only."""
    if not widget.isVisibleTo(root) or not widget.isEnabled():
        return False
    return not (hasattr(widget, "isReadOnly") and widget.isReadOnly())


def every_page(records):
    for spec in records.page_specs:
        yield spec.key, records.show_page(spec.key)


# -- at a peer reviewer's ------------------------------------------------------------------------


def test_the_window_shows_the_hosts_records_and_none_of_our_own(launch, laptop, qtbot):
    from selfeval_app.core import evaluation_edit as ee
    from selfeval_app.core.messages_common import evidence_count

    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    host_evaluations = [e for e in owned(folder, "evaluation", host_owner) if (e.get("narrative") or {}).get("en")]
    host_evidence = owned(folder, "evidence", host_owner)
    host_priorities = owned(folder, "priority", host_owner)
    assert host_evaluations and host_evidence and host_priorities  # the pack brought them

    records = open_for(window, host_owner, host_name, qtbot)
    assert HOST_EN in records.banner.text() and "read only" in records.banner.text()
    assert records.windowTitle() == records.banner.text()
    assert [records.nav.item(i).text() for i in range(records.nav.count())] == [
        "Self-evaluation", "Evidence", "Evidence coverage", "Development plan", "This term at a glance", "Search",
    ]

    page = records.show_page("evaluation")
    assert page.selected_year() == max(e["academic_year"] for e in owned(folder, "evaluation", host_owner))
    shown = host_evaluations[0]
    page.select(area_id=shown["area_id"], year=shown["academic_year"])
    assert page.narrative.value()["en"] == shown["narrative"]["en"]
    for area in page.areas:  # our own school's narrative is on no area, in no year
        for year in ee.evaluation_years(records.reader, 2026):
            page.select(area_id=area.id, year=year)
            assert OWN_NARRATIVE not in page.narrative.value().values()

    page = records.show_page("evidence")
    titles = [page.model.record(r)["title"]["en"] for r in range(page.model.rowCount())]
    assert sorted(titles) == sorted(e["title"]["en"] for e in host_evidence)
    assert OWN_EVIDENCE not in titles
    assert page.count_label.text() == evidence_count(len(host_evidence))
    assert page.editor.record is not None and page.editor.record["owner"] == host_owner  # the newest, shown at once

    page = records.show_page("plan")
    listed = [page.priority_list.item(i).text() for i in range(page.priority_list.count())]
    assert listed and all(OWN_PRIORITY not in text for text in listed)
    assert {p["id"] for p in page.priorities} <= {p["id"] for p in host_priorities}
    assert all(p["owner"] == host_owner for p in page.priorities)
    for key, _page in every_page(records):  # every page opens on the host's records
        assert records.current_page_key() == key
    assert records.refused == []


def test_search_finds_the_hosts_records_only_and_opens_them_read_only(launch, laptop, qtbot):
    """The records window's Search page searches that owner's records (the viewing scope), never
    ours; a result opens on the window's own read-only page. The main window's search is ours."""
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.core.peer_review_reviewer import save_note

    folder, host_owner, host_name = laptop
    store = RecordStore(open_database(folder), device_id="device-S")
    try:  # our own visit note (the reviewer's): a type the usual search does not limit by owner
        save_note(store, visit_id(), None, {"kind": "learning_walk", "text": {"cy": "Nodyn cudd", "en": "Zebra crossing"}})
    finally:
        store.close()
    window = start(launch, folder, qtbot)
    host_evidence = owned(folder, "evidence", host_owner)
    word = host_evidence[0]["title"]["en"].split()[0]
    records = open_for(window, host_owner, host_name, qtbot)
    page = records.show_page("search")
    assert records.current_page_key() == "search"
    for query in ("OWN SCHOOL", "Zebra", "Cwm Glas", word):
        page.box.setText(query)
        page.search_now()
        qtbot.waitUntil(lambda q=query: page._searched == q, timeout=10000)  # noqa: SLF001
        found = [page.model.hits[i] for i in range(len(page.model.hits))]
        if query != word:  # our evidence, our visit note, our school's profile: none are the host's
            assert page.model.total == 0 and page.empty.isVisible(), (query, [(h.type, h.title) for h in found])
        else:
            assert found, f"nothing found for {word!r}"
            assert all(records.reader.get(h.type, h.record_id)["owner"] == host_owner for h in found)
    hit = next(i for i, h in enumerate(page.model.hits) if h.type == "evidence")
    page.results.setCurrentIndex(page.model.index(hit))
    page.open_result()
    assert records.current_page_key() == "evidence"
    shown = records.pages["evidence"].editor.record
    assert shown["id"] == page.model.hits[hit].record_id and shown["owner"] == host_owner
    assert records.refused == []

    mine = window.show_page("search")  # the main window: our own school's records
    for query, least in (("OWN SCHOOL", 3), ("Zebra", 1)):
        mine.box.setText(query)
        mine.search_now()
        qtbot.waitUntil(lambda q=query: mine._searched == q, timeout=10000)  # noqa: SLF001
        assert mine.model.total >= least, query


def test_no_control_that_edits_is_offered(launch, laptop, qtbot):
    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    records = open_for(window, host_owner, host_name, qtbot)
    names = editing_controls()
    allowed_buttons = {"closeRecords", "openAttachment"}  # and the pages' own viewing controls below
    for key, page in every_page(records):
        if key == "plan":
            for tab in range(page.tabs.count()):
                page.tabs.setCurrentIndex(tab)
                for table in (page.criteria_table, page.actions_table, page.reviews_table):
                    if table.rowCount():
                        table.selectRow(0)
        QApplication.processEvents()
        found = [w for w in records.findChildren(QWidget) if w.objectName() in names]
        assert found, key
        assert not [w.objectName() for w in found if offered(w, records)], key
        assert not [a.objectName() for a in records.findChildren(QAction) if a.objectName() in names and a.isEnabled()]
        # Every button still offered only reads: navigation, Close, opening a file, viewing ones.
        buttons = [w for w in records.findChildren(QAbstractButton) if offered(w, records)]
        viewing = {
            getattr(page, "prompts_button", None), getattr(page, "other_language", None),
            getattr(page, "clear_filters", None), page.button if key == "search" else None,  # "Search now"
        }
        extra = [b.text() or b.objectName() for b in buttons if b.objectName() not in allowed_buttons and b not in viewing and b.objectName() != "qt_calendar_prevmonth" and not b.objectName().startswith("qt_")]
        # Qt's own tab-bar scroll buttons are named by name_tab_scrollers; they edit nothing.
        extra = [e for e in extra if not e.startswith(("Scroll", "Sgrolio"))]
        assert extra == [], (key, extra)
    page = records.pages["evaluation"]
    assert page.narrative.is_read_only()
    for section in page.sections.values():
        assert not section.add_button.isVisibleTo(records)
        assert all(row.editor.is_read_only() for row in section.rows)
    editor = records.pages["evidence"].editor
    assert all(editor.title[lang].isReadOnly() and editor.summary[lang].isReadOnly() for lang in ("cy", "en"))
    assert editor.date.isReadOnly() and not editor.kind.isEnabled() and not editor.visibility.isEnabled()


def test_typing_keys_and_clicks_change_nothing(launch, laptop, qtbot):
    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    before = changes(folder)
    records = open_for(window, host_owner, host_name, qtbot)
    records.activateWindow()

    page = records.show_page("evaluation")
    shown = next(e for e in owned(folder, "evaluation", host_owner) if (e.get("narrative") or {}).get("en"))
    page.select(area_id=shown["area_id"], year=shown["academic_year"])
    box = page.narrative.boxes["en"]
    box.setFocus()
    QTest.keyClicks(box, "typed over the host's words")
    QTest.keyClick(box, Qt.Key.Key_Backspace)
    assert page.narrative.value()["en"] == shown["narrative"]["en"]
    assert not page.timer.isActive() and not page.has_unsaved_changes()
    page.flush()
    page.hide()  # leaving the page flushes
    page.show()

    page = records.show_page("evidence")
    title = page.editor.title["en"]
    before_title = title.text()
    title.setFocus()
    QTest.keyClicks(title, "more")
    assert title.text() == before_title and not page.editor.dirty
    for keys in ("Ctrl+S", "Ctrl+N", "Ctrl+Z"):
        QTest.keySequence(page.table, keys)
    page.save()
    page.delete()
    page.purge()
    page.attach()
    page.new_evidence()

    page = records.show_page("plan")
    page.priority_list.setCurrentRow(0)
    page.priority_list.setFocus()
    QTest.keyClick(page.priority_list, Qt.Key.Key_Return)  # would open the priority's editor
    QTest.keyClick(page.priority_list, Qt.Key.Key_Delete)  # would ask to delete it
    page.tabs.setCurrentIndex(2)
    if page.actions_table.rowCount():
        page.actions_table.selectRow(0)
        QTest.keyClick(page.actions_table, Qt.Key.Key_Delete)
        page.actions_table.doubleClicked.emit(page.actions_table.model().index(0, 0))
    assert page.move_priority(1) is None and not page.share_plan_with_la()
    assert page.edit_plan() is None and page.open_year_end() is None and page.action_dialog(edit=True) is None
    settle(window, qtbot)
    records.close()
    settle(window, qtbot)
    assert records.refused == []
    assert changes(folder) == before


def test_an_attached_file_can_be_opened_but_none_added(launch, laptop, qtbot, fake_dialogs, monkeypatch):
    from selfeval_app.gui.evidence import attachments as files

    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    records = open_for(window, host_owner, host_name, qtbot)
    page = records.show_page("evidence")
    assert not page.editor.attach_button.isVisibleTo(records) and not page.editor.remove_button.isVisibleTo(records)
    # A file that did not come with the pack: listed, but Open stays off (nothing to open).
    page.editor.set_attachments([{"id": "att-missing", "name": "notes.pdf", "size": 10}])
    page.editor.attachments.setCurrentRow(0)
    assert not page.editor.open_button.isEnabled()
    opened = []
    monkeypatch.setattr(files, "open_in_system", lambda path: opened.append(path) or True)
    page._file_is_here = lambda _id: True  # noqa: SLF001 - as if it were here
    page.editor.can_open = page._file_is_here  # noqa: SLF001
    page.editor._update_buttons()  # noqa: SLF001
    assert page.editor.open_button.isEnabled()
    page.open_attachment()  # a job that only reads: the main window's worker runs it
    settle(window, qtbot)
    assert records.refused == []
    assert ("warning", "The file could not be opened") == fake_dialogs.calls[-1][:2]  # no such attachment record here


def test_the_banner_follows_the_language(launch, laptop, qtbot):
    from selfeval_app.gui.language import controller

    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    records = open_for(window, host_owner, host_name, qtbot)
    assert records.banner.text() == f"{host_name['en']}'s records — read only"
    controller().switch("cy", remember=False)
    try:
        assert records.banner.text() == f"Cofnodion {host_name['cy']} — darllen yn unig"
        assert records.windowTitle() == records.banner.text()
        assert records.nav.item(0).text() == "Hunanwerthuso"
        assert records.close_button.text().replace("&", "") == "Cau"
    finally:
        controller().switch("en", remember=False)
    assert records.banner.text() == f"{host_name['en']}'s records — read only"


def test_the_navigation_and_close_are_reached_by_tab(launch, laptop, qtbot):
    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    records = open_for(window, host_owner, host_name, qtbot)
    records.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is records, timeout=5000)
    records.nav.setFocus()
    seen = []
    for _n in range(80):
        focused = QApplication.focusWidget()
        seen.append(focused)
        if focused is records.close_button and records.nav in seen:
            break
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    assert records.nav in seen and records.close_button in seen
    # The navigation by keyboard: the arrow keys and Ctrl+number change the page.
    records.nav.setFocus()
    QTest.keyClick(records.nav, Qt.Key.Key_Down)
    assert records.current_page_key() == "evidence"
    QTest.keySequence(records, "Ctrl+4")
    assert records.current_page_key() == "plan"
    QTest.keyClick(records.close_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not records.isVisible(), timeout=5000)


def test_the_visit_workspace_opens_the_hosts_records(launch, laptop, qtbot):
    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    page = window.show_page("visits")
    settle(window, qtbot)
    page.table.selectRow(0)
    page.open_button.click()
    settle(window, qtbot)
    ws = page.workspace
    button = ws.open_host_button
    assert button.isEnabled() and button.accessibleName() == "Open the host's records" and button.toolTip()
    button.click()
    records = window.records_windows[host_owner]
    qtbot.waitExposed(records)
    assert records.scope.owner == host_owner and HOST_EN in records.banner.text()
    assert ws.open_host_records() is records  # a second click brings the same window forward
    records.close()
    assert records.reader is None  # its reader was closed with it


# -- at the local authority ----------------------------------------------------------------------


def test_one_school_at_the_la_shows_its_records_only(launch, la_dir, qtbot):  # noqa: F811
    window = start(launch, la_dir, qtbot)
    schools = window.pages["la_schools"]
    qtbot.waitUntil(lambda: not schools.loading and bool(schools.rows), timeout=20000)
    senders = [r for r in schools.rows if r.priorities and r.identity_id]
    assert len(senders) >= 2
    school, other = senders[0], senders[1]
    dialog = schools.open_school(school.key)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10000)
    assert dialog.pages_button.isEnabled() and dialog.pages_button.accessibleName()
    dialog.pages_button.click()
    records = window.records_windows[school.identity_id]
    qtbot.waitExposed(records)
    assert school.name_in("en") in records.banner.text() and "read only" in records.banner.text()

    plan = records.show_page("plan")
    ours = {p["id"] for p in owned(la_dir, "priority", school.identity_id)}
    theirs = {p["id"] for p in owned(la_dir, "priority", other.identity_id)}
    assert ours and theirs
    assert {p["id"] for p in plan.priorities} <= ours and plan.priorities
    evidence = records.show_page("evidence")
    owners = {evidence.model.record(r)["owner"] for r in range(evidence.model.rowCount())}
    assert owners <= {school.identity_id}
    evaluation = records.show_page("evaluation")
    assert evaluation.narrative.is_read_only()
    for key, _page in every_page(records):  # every page opens on the school's records
        found = [w for w in records.findChildren(QWidget) if w.objectName() in editing_controls()]
        assert found and not [w.objectName() for w in found if offered(w, records)], key
    records.close()
    assert records.refused == []
    # The schools page opens the window for the school chosen in its list: the other one's.
    window.show_page("la_schools")
    proxy = schools.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(Qt.ItemDataRole.UserRole).key == other.key)
    schools.table.setCurrentIndex(proxy.index(row, 0))
    assert schools.pages_button.isEnabled() and schools.pages_button.accessibleName() and schools.pages_button.toolTip()
    schools.pages_button.click()
    second = window.records_windows[other.identity_id]
    qtbot.waitExposed(second)
    assert other.name_in("en") in second.banner.text()
    plan = second.show_page("plan")
    assert plan.priorities and {p["id"] for p in plan.priorities} <= theirs
    assert not {p["id"] for p in plan.priorities} & ours


def _host_texts(folder, owner) -> set[str]:
    """Every text of the owner's records (data: shown as it is, in either language)."""
    from selfeval_app.core.record_types import WORKSPACE_TYPES

    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            found.add(value)
            found.update(line for line in value.splitlines() if line)

    for type_name in WORKSPACE_TYPES:
        for rec in owned(folder, type_name, owner):
            walk(dict(rec))
    return found


def test_the_records_window_in_welsh_has_every_control_named(launch, laptop, qtbot):
    from gui_walk import collect, english_problems, interactive_without_name
    from test_gui_walk import data_strings

    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot, lang="cy")
    records = open_for(window, host_owner, host_name, qtbot)
    data = _host_texts(folder, host_owner)
    allowed = data_strings("cy") | {host_name["cy"], host_name["en"]} | data
    problems = []
    for key, _page in every_page(records):
        problems += [f"{key}: {p}" for p in interactive_without_name(records)]
        # Labels composed from the host's data ("BW1 Its own area", "1 · Strength: ...") are data.
        pairs = [(w, t) for w, t in collect(records) if not any(len(d) > 5 and d in t for d in data)]
        problems += [f"{key}: {p}" for p in english_problems(pairs, allowed)]
    assert not problems, "\n".join(problems)


def test_the_window_refuses_every_write_and_the_store_too(launch, laptop, qtbot, monkeypatch):
    from selfeval_app.core.records import ReadOnlyRecordError
    from selfeval_app.gui import records_window

    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    records = open_for(window, host_owner, host_name, qtbot)
    before = changes(folder)

    def write(session):
        return session.store.delete("evidence", "anything")

    with pytest.raises(records_window.WriteRefused):
        records.run_job(write)
    monkeypatch.setattr(records_window, "REFUSE_LOUDLY", False)
    assert records.run_job(write) is None  # refused quietly in use: said in the status line
    assert records.status_label.text() == "Read only: these records are not ours to change. Nothing was changed."
    assert len(records.refused) == 2
    settle(window, qtbot)
    assert changes(folder) == before
    # Whatever a page did, the store refuses to change the host's records.
    host_evidence = owned(folder, "evidence", host_owner)[0]
    store = RecordStore(open_database(folder), device_id="device-S")
    try:
        with pytest.raises(ReadOnlyRecordError):
            store.update("evidence", host_evidence["id"], {"title": {"cy": "x", "en": "x"}})
    finally:
        store.close()


def test_evidence_coverage_counts_the_hosts_evidence_only(launch, laptop, qtbot):
    from selfeval_app.core import framework

    folder, host_owner, host_name = laptop
    window = start(launch, folder, qtbot)
    records = open_for(window, host_owner, host_name, qtbot)
    page = records.show_page("coverage")
    area = framework.current_framework().areas[0].id
    year = page.selected_year()
    host = [e for e in owned(folder, "evidence", host_owner) if area in (e.get("area_ids") or []) and e["date"] >= f"{year}-09-01" and e["date"] <= f"{year + 1}-08-31"]
    figures = page.figures.get(area)
    assert (figures.total if figures else 0) == len(host)  # our own school's evidence in that area is not counted


def test_a_school_that_shared_little_at_the_la(launch, la_dir, qtbot):  # noqa: F811
    """A school with nothing here: the pages say so, in Welsh; no empty form to fill in."""
    from gui_walk import collect, english_problems, interactive_without_name
    from la_helpers import la_data_strings
    from test_gui_walk import data_strings

    window = start(launch, la_dir, qtbot, lang="cy")
    schools = window.pages["la_schools"]
    qtbot.waitUntil(lambda: not schools.loading and bool(schools.rows), timeout=20000)
    # A school whose card is trusted but whose records have not come (an identity holding nothing).
    quiet = {"cy": "Ysgol Dawel", "en": "Quiet School"}
    records = open_for(window, "00000000-0000-4000-8000-00000000d0e5", quiet, qtbot)
    assert records.banner.text() == "Cofnodion Ysgol Dawel — darllen yn unig"
    plan = records.show_page("plan")
    assert plan.plan_facts.toPlainText() == "Ni rannwyd unrhyw gynllun datblygu."
    evidence = records.show_page("evidence")
    assert evidence.model.rowCount() == 0 and not evidence.scroll.isVisibleTo(records)
    allowed = la_data_strings(la_dir, "cy") | data_strings("cy") | set(quiet.values())
    problems = []
    for key, _page in every_page(records):
        problems += [f"{key}: {p}" for p in interactive_without_name(records)]
        problems += [f"{key}: {p}" for p in english_problems(collect(records), allowed)]
    assert not problems, "\n".join(problems)
