"""The Sharing page: identity and fingerprint, a contact added only with the matching fingerprint,
the send preview listing exactly what leaves (ledger changed only after the file is written), an
import with its report and a refused bundle that changes nothing, and a conflict between two
laptops of one school decided in the window. Walked in Welsh with accessible names."""

from __future__ import annotations

import shutil

import pytest
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from PySide6.QtWidgets import QApplication
from test_gui_walk import data_strings

from selfeval_app import exchange_views as views
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore


@pytest.fixture(scope="module")
def pair_template(tmp_path_factory):
    """The example school S (with keys) and the example LA L, not yet contacts of each other."""
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.exchange import keys, setup

    root = tmp_path_factory.mktemp("sharing-pair")
    build_example_school(root / "S", device_id="device-S")
    store = RecordStore(open_database(root / "S"), device_id="device-S")
    keys.ensure_identity(store)
    store.close()
    setup.demo_la(root / "L", device_id="device-L")
    keys.write_card(keys.require_keys(root / "L"), root / "la.selfeval-card")
    return root


@pytest.fixture
def pair(pair_template, tmp_path):
    for name in ("S", "L"):
        shutil.copytree(pair_template / name, tmp_path / name)
    shutil.copy(pair_template / "la.selfeval-card", tmp_path / "la.selfeval-card")
    return tmp_path


def open_sharing(launch, folder, qtbot, lang="en"):
    ctx = launch(folder, lang)
    window = ctx.window
    page = window.show_page("sharing")
    settle(window, qtbot)
    return ctx, window, page


def settle(window, qtbot):
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=20000)
    QApplication.processEvents()


def la_keys(pair):
    from selfeval_app.exchange import keys

    return keys.require_keys(pair / "L")


def trust_la(pair):
    from selfeval_app.exchange import contacts, keys

    store = RecordStore(open_database(pair / "S"), device_id="device-S")
    try:
        card = keys.read_card(pair / "la.selfeval-card")
        contacts.trust(store, keys.require_keys(pair / "S"), card, keys.fingerprint(card))
    finally:
        store.close()


def test_the_page_shows_our_identity_fingerprint_and_this_laptop(launch, school_dir, qtbot):
    from selfeval_app.exchange import keys

    ctx, window, page = open_sharing(launch, school_dir, qtbot)
    fingerprint = keys.require_keys(school_dir).fingerprint()  # made on first opening the page
    assert fingerprint in page.my_fingerprint.text()
    assert len(fingerprint.split("-")) == 5 and all(len(g) == 4 for g in fingerprint.split("-"))
    assert "Builth Wells Primary School" in page.my_names.text()
    assert page.devices.rowCount() == 1 and page.devices.item(0, 1).text() == "This laptop"
    page.devices.selectRow(0)
    assert not page.remove_device_button.isEnabled()  # a laptop cannot remove itself
    assert page.no_contacts.isVisibleTo(page) and not page.send_button.isEnabled()


def test_save_our_key_card_through_the_dialog_service(launch, school_dir, qtbot, fake_dialogs, tmp_path):
    from selfeval_app.exchange import keys

    ctx, window, page = open_sharing(launch, school_dir, qtbot)
    out = tmp_path / "card.selfeval-card"
    fake_dialogs.files.append(str(out))
    page.save_card_button.click()
    settle(window, qtbot)
    card = keys.read_card(out)
    assert keys.fingerprint(card) == keys.require_keys(school_dir).fingerprint()
    assert fake_dialogs.calls[-1][0] == "information" and keys.fingerprint(card) in fake_dialogs.calls[-1][2]


def test_a_contact_is_added_only_when_the_fingerprint_matches(launch, pair, qtbot, fake_dialogs):
    ctx, window, page = open_sharing(launch, pair / "S", qtbot)
    fake_dialogs.files.append(str(pair / "la.selfeval-card"))
    page.add_contact_button.click()
    settle(window, qtbot)
    dialog = page.add_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.names.text() == "Carmarthenshire / Sir Gaerfyrddin"  # the card's names
    assert "Local authority" in dialog.role.text()
    right = la_keys(pair).fingerprint()
    dialog.fingerprint.setText("AAAA-BBBB-CCCC-DDDD-EEEE")
    dialog.add_button.click()
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog)
    assert "not this key card's fingerprint" in dialog.error.text()
    settle(window, qtbot)
    assert page.contacts.rowCount() == 0
    dialog.fingerprint.setText(right.lower().replace("-", " "))  # as typed over the phone
    dialog.add_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert page.contacts.rowCount() == 1
    assert page.contacts.item(0, 2).text() == right


def test_adding_a_contact_in_the_core_refuses_a_wrong_fingerprint(pair):
    store = RecordStore(open_database(pair / "S"), device_id="device-S")
    try:
        with pytest.raises(views.FingerprintMismatch):
            views.add_contact(store, pair / "la.selfeval-card", "AAAA-BBBB-CCCC-DDDD-EEEE")
        assert store.conn.execute("SELECT count(*) FROM exchange_contact").fetchone()[0] == 0
    finally:
        store.close()


def test_send_preview_lists_exactly_what_leaves_and_the_ledger_changes_after_the_file(launch, pair, qtbot, fake_dialogs):
    from selfeval_app.exchange.bundle_import import import_bundle
    from selfeval_app.exchange.contacts import trust
    from selfeval_app.exchange.keys import require_keys

    trust_la(pair)
    ctx, window, page = open_sharing(launch, pair / "S", qtbot)
    page.contacts.selectRow(0)
    assert page.send_button.isEnabled()
    page.send_button.click()
    settle(window, qtbot)
    dialog = page.preview_dialog
    preview = dialog.preview
    reader = window.session.reader
    expected = {
        (t, r["id"]) for t in ("evidence", "evaluation", "plan", "priority", "action", "school", "indicator", "attachment", "success_criterion", "progress_review", "area", "partnership", "joint_activity", "review_summary")
        for r in reader.list(t, where="visibility = 'la'")
    }
    assert {(r["type"], r["id"]) for r in preview.rows} == expected and expected
    assert all(r["visibility"] == "la" for r in preview.rows)
    assert dialog.records.rowCount() == len(preview.rows)
    assert sum(preview.counts_by_type.values()) == len(preview.rows)
    assert str(len(preview.rows)) in dialog.counts.text()
    assert window.session.reader.conn.execute("SELECT count(*) FROM share_ledger").fetchone()[0] == 0
    out = pair / "out" / "to-la.selfeval-bundle"
    out.parent.mkdir()
    fake_dialogs.files.append(str(out))
    dialog.write_button.click()
    settle(window, qtbot)
    assert out.is_file()
    assert any(c[0] == "save_file" for c in fake_dialogs.calls)
    sent = window.session.reader.conn.execute("SELECT count(*) FROM share_ledger").fetchone()[0]
    assert sent == len(preview.rows)
    # the LA receives exactly the previewed records
    la = RecordStore(open_database(pair / "L"), device_id="device-L")
    try:
        s_keys = require_keys(pair / "S")
        trust(la, require_keys(pair / "L"), s_keys.card(), s_keys.fingerprint())
        report = import_bundle(la, require_keys(pair / "L"), out)
        assert {(r["type"], r["id"]) for r in report["new"]} == expected
    finally:
        la.close()
    # sent once: the next preview is empty and cannot be written
    page.send_button.click()
    settle(window, qtbot)
    assert page.preview_dialog.preview.empty and not page.preview_dialog.write_button.isEnabled()


def test_the_suggested_file_name_is_in_the_language_of_the_app():
    from selfeval_app.core import i18n

    name = {"cy": "Cyngor Sir Powys", "en": "Powys County Council"}
    try:
        i18n.set_language("cy")
        assert views.suggested_file_name(name, "2026-12-03") == "Cofnodion ar gyfer Cyngor Sir Powys 2026-12-03.selfeval-bundle"
        i18n.set_language("en")
        assert views.suggested_file_name(name, "2026-12-03") == "Records for Powys County Council 2026-12-03.selfeval-bundle"
        assert "/" not in views.suggested_file_name({"en": "A/B: C"}, "2026-12-03")
    finally:
        i18n.set_language("en")


def test_a_cancelled_write_leaves_no_file_and_no_ledger_entry(pair):
    trust_la(pair)
    store = RecordStore(open_database(pair / "S"), device_id="device-S")
    try:
        la_id = la_keys(pair).identity_id
        preview = views.preview_send(store, la_id)
        out = pair / "cancelled.selfeval-bundle"
        asked = []

        def cancelled_after_the_first_check() -> bool:  # cancelled while the file is written
            asked.append(True)
            return len(asked) > 1

        with pytest.raises(views.SharingCancelled):
            views.write_previewed(store, preview, out, is_cancelled=cancelled_after_the_first_check)
        assert not out.exists()
        assert store.conn.execute("SELECT count(*) FROM share_ledger").fetchone()[0] == 0
        steps = []
        views.write_previewed(store, preview, out, progress=lambda d, t: steps.append((d, t)))
        assert out.is_file() and steps[0] == (0, 2) and steps[-1] == (2, 2)
    finally:
        store.close()


@pytest.fixture
def laptops(pair):
    """Laptop A (the example school) and laptop B, a second laptop of the same school."""
    from selfeval_app.exchange import keys

    a_dir, b_dir = pair / "S", pair / "B"
    shutil.copytree(a_dir, b_dir)
    shutil.rmtree(b_dir / "keys")
    a_keys = keys.require_keys(a_dir)
    b_keys = keys.join_identity(b_dir, a_keys.card())
    a_keys.add_device(b_keys.card())
    return a_dir, b_dir


def edit_on_b_and_write(laptops, text, out):
    """Both laptops edit the same evaluation from the same base; B writes a bundle for A."""
    from selfeval_app.exchange import keys
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle

    a_dir, b_dir = laptops
    a = RecordStore(open_database(a_dir), device_id="device-A")
    b = RecordStore(open_database(b_dir), device_id="device-B")
    try:
        evaluation = a.list("evaluation")[0]
        a.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn A", "en": "Version A"}})
        b.update("evaluation", evaluation["id"], {"narrative": text})
        b_keys = keys.require_keys(b_dir)
        write_bundle(b, b_keys, Recipient.own_devices(b_keys), out)
    finally:
        a.close()
        b.close()
    return evaluation["id"]


def test_two_laptops_conflict_is_shown_side_by_side_and_decided_in_the_window(launch, laptops, qtbot, fake_dialogs, tmp_path):
    from selfeval_app.core.integrity import check_store

    bundle = tmp_path / "from-b.selfeval-bundle"
    record_id = edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    ctx, window, page = open_sharing(launch, laptops[0], qtbot)
    assert page.send_own_button.isVisibleTo(page)  # the school's other laptop is a send target
    fake_dialogs.files.append(str(bundle))
    page.import_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    title, report_text = fake_dialogs.calls[-1][1], fake_dialogs.calls[-1][2]
    assert title == "Bundle imported"
    assert "Records that need a decision: 1" in report_text and "Last import:" in page.report.text()
    assert page.conflicts.rowCount() == 1 and page.conflicts.item(0, 0).text() == "Evaluation"
    rows = {page.comparison.item(r, 0).text(): (page.comparison.item(r, 1).text(), page.comparison.item(r, 2).text()) for r in range(page.comparison.rowCount())}
    mine, theirs = rows["Narrative"]
    assert "Welsh: Fersiwn A" in mine and "English: Version A" in mine  # both languages shown
    assert "Welsh: Fersiwn B" in theirs and "English: Version B" in theirs
    assert window.session.reader.get("evaluation", record_id)["narrative"]["en"] == "Version A"  # never overwritten
    page.keep_incoming_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert page.conflicts.rowCount() == 0 and page.nothing_to_decide.isVisibleTo(page)
    kept = window.session.reader.get("evaluation", record_id)
    assert kept["narrative"] == {"cy": "Fersiwn B", "en": "Version B"}
    assert kept["owner"] == window.session.reader.owner
    ctx.close()
    store = RecordStore(open_database(laptops[0]), device_id="device-A")
    try:
        assert check_store(store) == []
    finally:
        store.close()


def test_keeping_this_laptops_version_makes_a_version_above_both(laptops, tmp_path):
    from selfeval_app.exchange import apply, keys
    from selfeval_app.exchange.bundle_import import import_bundle
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle

    bundle = tmp_path / "from-b.selfeval-bundle"
    record_id = edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    a = RecordStore(open_database(laptops[0]), device_id="device-A")
    b = RecordStore(open_database(laptops[1]), device_id="device-B")
    try:
        views.import_with_progress(a, bundle)
        [conflict] = apply.open_conflicts(a)
        kept = views.keep_version(a, conflict["conflict_id"], "local")
        assert kept["narrative"]["en"] == "Version A" and kept["rev"] > conflict["incoming"]["rev"]
        with pytest.raises(views.ConflictGone):
            views.keep_version(a, conflict["conflict_id"], "incoming")
        # laptop B takes the decision as an ordinary newer version: no conflict there
        a_keys = keys.require_keys(laptops[0])
        back = tmp_path / "from-a.selfeval-bundle"
        write_bundle(a, a_keys, Recipient.own_devices(a_keys), back)
        import_bundle(b, keys.require_keys(laptops[1]), back)
        assert b.get("evaluation", record_id)["narrative"]["en"] == "Version A"
        assert apply.open_conflicts(b) == []
    finally:
        a.close()
        b.close()


def test_a_refused_bundle_says_why_and_changes_nothing(launch, laptops, qtbot, fake_dialogs, tmp_path):
    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken = tmp_path / "broken.selfeval-bundle"
    broken.write_bytes(bytes(data))
    ctx, window, page = open_sharing(launch, laptops[0], qtbot, "cy")
    before = window.session.reader.changes_since(0)
    fake_dialogs.files.append(str(broken))
    page.import_button.click()
    settle(window, qtbot)
    kind, _title, text = fake_dialogs.calls[-1]
    assert kind == "warning" and text.startswith("Gwrthodwyd y bwndel") and text.endswith("Ni newidiwyd dim."), text
    assert "Traceback" not in text
    assert window.session.reader.changes_since(0) == before
    assert page.conflicts.rowCount() == 0 and not page.busy.isVisibleTo(page)


def test_a_cancelled_import_changes_nothing(laptops, tmp_path, monkeypatch):
    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    a = RecordStore(open_database(laptops[0]), device_id="device-A")
    try:
        before = a.changes_since(0)
        with pytest.raises(views.SharingCancelled):
            views.import_with_progress(a, bundle, is_cancelled=lambda: True)
        # cancelled inside the transaction: SQLite rolls it back (the progress handler interrupts);
        # a bundle this small runs too few instructions per statement to reach the usual check
        monkeypatch.setattr(views, "CANCEL_CHECK_EVERY", 1)
        calls = []

        def cancel_once_inside() -> bool:
            calls.append(True)
            return len(calls) > 1

        with pytest.raises(views.SharingCancelled):
            views.import_with_progress(a, bundle, is_cancelled=cancel_once_inside)
        assert a.changes_since(0) == before
        assert a.conn.execute("SELECT count(*) FROM exchange_import").fetchone()[0] == 0
        report = views.import_with_progress(a, bundle)
        assert len(report["conflicts"]) == 1
    finally:
        a.close()


def test_welsh_walk_of_the_page_and_its_dialogs(launch, laptops, qtbot, fake_dialogs, tmp_path, pair):
    from selfeval_app.core import framework

    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    trust_la(pair)
    allowed = data_strings("cy") | data_strings("en")
    allowed |= {f"{la.name('cy')} / {la.name('en')}" for la in framework.local_authorities()}
    allowed |= {f"{la.name('en')} / {la.name('cy')}" for la in framework.local_authorities()}
    for lang in ("cy", "en"):
        ctx, window, page = open_sharing(launch, pair / "S", qtbot, lang)
        if lang == "cy":
            fake_dialogs.files.append(str(bundle))
            page.import_button.click()
            settle(window, qtbot)
            settle(window, qtbot)
        page.contacts.selectRow(0)
        page.send_button.click()
        settle(window, qtbot)
        fake_dialogs.files.append(str(pair / "la.selfeval-card"))
        page.add_contact_button.click()
        settle(window, qtbot)
        page.add_dialog.fingerprint.setText("AAAA")
        page.add_dialog.add_button.click()  # the inline error is walked too
        school = window.session.reader.school()
        data = allowed | {school["name"]["cy"], school["name"]["en"], school["cluster"], f"{school['name'][lang]} / {school['name']['en' if lang == 'cy' else 'cy']}"}
        # The page itself (the window's header and the School home have walks of their own:
        # test_gui_walk, test_school_home), its preview and its add-contact dialog.
        for where, widget in (("page", page), ("preview", page.preview_dialog), ("add contact", page.add_dialog)):
            # the import report is one message a line
            pairs = [(w, line) for w, text in collect(widget) for line in text.split("\n")]
            assert pairs, where
            if lang == "cy":
                problems = english_problems(pairs, data)
                assert not problems, (where, problems)
            else:
                assert not welsh_problems(pairs, data), where
            assert not interactive_without_name(widget), (where, interactive_without_name(widget))
        assert page.conflicts.rowCount() == 1
        page.preview_dialog.reject()
        page.add_dialog.reject()
        ctx.close()


def test_removing_a_laptop_is_confirmed_and_then_its_bundles_are_refused(launch, laptops, qtbot, fake_dialogs, tmp_path):
    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    ctx, window, page = open_sharing(launch, laptops[0], qtbot)
    assert page.devices.rowCount() == 2
    other = next(r for r in range(2) if page.devices.item(r, 1).text() == "Another laptop of this school")
    page.devices.selectRow(other)
    assert page.remove_device_button.isEnabled()
    fake_dialogs.answers.append(False)  # "No": nothing changes
    page.remove_device_button.click()
    settle(window, qtbot)
    assert page.devices.item(other, 1).text() == "Another laptop of this school"
    fake_dialogs.answers.append(True)
    page.remove_device_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert page.devices.item(other, 1).text() == "Removed: nothing it signs is accepted"
    assert not page.send_own_button.isVisibleTo(page)  # nothing new is sealed to it
    fake_dialogs.files.append(str(bundle))
    page.import_button.click()
    settle(window, qtbot)
    kind, _title, text = fake_dialogs.calls[-1]
    assert kind == "warning" and "signed on a computer that its school has removed" in text


def test_removing_a_contact_is_confirmed(launch, pair, qtbot, fake_dialogs):
    trust_la(pair)
    ctx, window, page = open_sharing(launch, pair / "S", qtbot)
    page.contacts.selectRow(0)
    fake_dialogs.answers.append(True)
    page.remove_contact_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert fake_dialogs.calls[-1][0] == "question" and "Carmarthenshire" in fake_dialogs.calls[-1][2]
    assert page.contacts.rowCount() == 0 and page.no_contacts.isVisibleTo(page)


def test_cancel_in_the_window_stops_an_import_before_it_changes_anything(launch, laptops, qtbot, fake_dialogs, tmp_path):
    import threading

    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    ctx, window, page = open_sharing(launch, laptops[0], qtbot)
    before = window.session.reader.changes_since(0)
    # Hold the worker with a job that waits, so the import is queued behind it: Cancel is
    # pressed while the import has not started, deterministically.
    release = threading.Event()
    window.worker.submit(lambda _s: release.wait(20))
    fake_dialogs.files.append(str(bundle))
    page.import_button.click()
    assert page.busy.isVisibleTo(page) and page.busy.cancel_button.isVisibleTo(page)
    assert not page.import_button.isEnabled()  # one bundle at a time
    page.busy.cancel_button.click()
    release.set()
    settle(window, qtbot)
    kind, _title, text = fake_dialogs.calls[-1]
    assert (kind, text) == ("warning", "Cancelled. Nothing was changed.")
    assert window.session.reader.changes_since(0) == before
    assert not page.busy.isVisibleTo(page) and page.import_button.isEnabled()


def test_every_control_of_the_page_is_reached_with_the_keyboard(launch, laptops, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView

    ctx, window, page = open_sharing(launch, laptops[0], qtbot)
    from PySide6.QtWidgets import QHeaderView

    controls = [w for w in page.findChildren(QAbstractButton) + page.findChildren(QAbstractItemView) if w.isVisibleTo(page) and not isinstance(w, QHeaderView)]
    assert len(controls) > 8
    assert all(w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in controls), [w.accessibleName() for w in controls if not w.focusPolicy() & Qt.FocusPolicy.TabFocus]


def test_identity_and_contacts_stack_when_the_window_is_narrow_for_the_text(launch, school_dir, qtbot):
    from PySide6.QtWidgets import QBoxLayout

    ctx, window, page = open_sharing(launch, school_dir, qtbot)
    page.fit_width(100 * page.fontMetrics().averageCharWidth() * 4)
    assert page.top.direction() == QBoxLayout.Direction.LeftToRight
    page.fit_width(40 * page.fontMetrics().averageCharWidth())
    assert page.top.direction() == QBoxLayout.Direction.TopToBottom


def test_the_import_shows_progress_to_the_end(launch, laptops, qtbot, fake_dialogs, tmp_path):
    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    ctx, window, page = open_sharing(launch, laptops[0], qtbot)
    seen = []
    page._progress.changed.connect(lambda done, total: seen.append((done, total)))
    fake_dialogs.files.append(str(bundle))
    page.import_button.click()
    settle(window, qtbot)
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_importing_the_same_bundle_again_says_so_and_changes_nothing(laptops, tmp_path):
    from selfeval_app.core import i18n

    bundle = tmp_path / "from-b.selfeval-bundle"
    edit_on_b_and_write(laptops, {"cy": "Fersiwn B", "en": "Version B"}, bundle)
    a = RecordStore(open_database(laptops[0]), device_id="device-A")
    try:
        views.import_with_progress(a, bundle)
        before = a.changes_since(0)
        again = views.import_with_progress(a, bundle)
        assert a.changes_since(0) == before
        i18n.set_language("cy")
        assert views.report_lines(again) == ["Roedd y bwndel hwn wedi'i fewnforio eisoes. Ni newidiwyd dim."]
    finally:
        i18n.set_language("en")
        a.close()


def test_the_send_preview_fits_a_laptop_screen_at_200_percent(launch, pair, qtbot):
    from PySide6.QtWidgets import QApplication as App

    trust_la(pair)
    app = App.instance()
    original = app.font()
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(font)
    try:
        ctx, window, page = open_sharing(launch, pair / "S", qtbot, "cy")
        page.contacts.selectRow(0)
        page.send_button.click()
        settle(window, qtbot)
        dialog = page.preview_dialog
        screen = window.screen().availableGeometry()
        assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
        assert dialog.minimumSizeHint().height() <= 768 and dialog.minimumSizeHint().width() <= 1366
        dialog.reject()
    finally:
        app.setFont(original)


def test_a_conflict_over_another_owners_record_cannot_be_decided_here(pair, tmp_path):
    from selfeval_app.core import record_types as rt
    from selfeval_app.exchange import apply, contacts, keys

    trust_la(pair)
    s = RecordStore(open_database(pair / "S"), device_id="device-S")
    la = RecordStore(open_database(pair / "L"), device_id="device-L")
    try:
        preview = views.preview_send(s, la_keys(pair).identity_id)
        views.write_previewed(s, preview, tmp_path / "to-la.selfeval-bundle")
        s_keys = keys.require_keys(pair / "S")
        contacts.trust(la, keys.require_keys(pair / "L"), s_keys.card(), s_keys.fingerprint())
        views.import_with_progress(la, tmp_path / "to-la.selfeval-bundle")
        school = la.list("school")[0]
        # Two versions of the school's record with one rev (the way apply_incoming keeps them):
        # injected here, as building them takes two laptops of the school sending to the LA.
        other = {**school, "cluster": "Clwstwr arall"}
        with la.transaction():
            apply._keep_conflict(la, rt.record_type("school"), school, other, "bundle-x", "overlap")  # noqa: SLF001
        [conflict] = views.overview(la)["conflicts"]
        assert conflict["decidable"] is False
        with pytest.raises(views.NotOursToDecide):
            views.keep_version(la, conflict["conflict_id"], "incoming")
        assert la.get("school", school["id"]) == school
    finally:
        s.close()
        la.close()
