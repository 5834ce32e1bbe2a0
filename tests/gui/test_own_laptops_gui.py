"""Another laptop of this school in the window: the new laptop's first start ("This laptop joins my
school"), the head's "Add another laptop of this school" on the Sharing page with the fingerprint
shown large and ticked as the same, the reply carried on a (pretend) USB stick, the joined laptop
opening on the school; the held bundle of another laptop asked about on the Sharing page; the
dialog and the joining page walked in Welsh with accessible names."""

from __future__ import annotations

import json
import shutil

import pytest
from gui_walk import collect, english_problems, interactive_without_name, welsh_problems
from PySide6.QtWidgets import QApplication
from test_gui_walk import data_strings

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore


@pytest.fixture(scope="module")
def school_template(tmp_path_factory):
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.exchange import keys

    root = tmp_path_factory.mktemp("own-laptops")
    build_example_school(root / "S", device_id="device-S")
    store = RecordStore(open_database(root / "S"), device_id="device-S")
    keys.ensure_identity(store)
    store.close()
    return root / "S"


@pytest.fixture
def school(school_template, tmp_path):
    shutil.copytree(school_template, tmp_path / "S")
    return tmp_path / "S"


def settle(window_or_ctx, qtbot):
    worker = window_or_ctx.worker
    qtbot.waitUntil(lambda: not worker.busy, timeout=30000)
    QApplication.processEvents()


def records_of(data_dir, owner):
    import sqlite3

    from selfeval_app.core import record_types as rt

    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        return {row[0]: row[1:] for t in rt.RECORD_TYPES for row in conn.execute(f'SELECT id, rev, content_hash, deleted FROM "{t}" WHERE owner = ?', (owner,))}
    finally:
        conn.close()


def test_a_new_laptop_joins_the_school_through_the_windows(launch, school, qtbot, fake_dialogs, tmp_path):
    from selfeval_app.exchange import keys

    stick = tmp_path / "USB"
    stick.mkdir()
    b_dir = tmp_path / "new laptop" / "data"
    # 1. the new laptop's first start: "This laptop joins my school"; the request on the stick
    ctx_b = launch(b_dir, "en")
    dialog = ctx_b.first_start
    dialog.stack.setCurrentIndex(dialog.PAGE_CHOICE)
    dialog.join_button.click()
    panel = dialog.join_panel
    settle(ctx_b, qtbot)
    b_fingerprint = panel.fingerprint.value
    assert len(b_fingerprint) == 24 and panel.fingerprint.font().pointSizeF() >= 2 * dialog.font().pointSizeF() - 0.1
    fake_dialogs.files.append(str(stick / "request"))
    panel.save_request_button.click()
    settle(ctx_b, qtbot)
    assert (stick / "request.selfeval-join-request").is_file()
    ctx_b.close()  # the head walks to the school's laptop; the new one may be closed meanwhile

    # 2. the school's laptop: Sharing → Add another laptop of this school
    ctx_a = launch(school, "en")
    window = ctx_a.window
    page = window.show_page("sharing")
    settle(window, qtbot)
    assert page.add_laptop_button.isVisibleTo(page)
    add = page.add_laptop()
    fake_dialogs.files.append(str(stick / "request.selfeval-join-request"))
    add.open_request_button.click()
    settle(window, qtbot)
    assert add.stack.currentIndex() == add.STEP_COMPARE
    assert add.request_fingerprint.text() == b_fingerprint  # the same as on the new laptop
    assert not add.reply_file_button.isEnabled()  # only once the head ticks "the same"
    add.same.setChecked(True)
    fake_dialogs.files.append(str(stick / "reply"))
    add.reply_file_button.click()
    settle(window, qtbot)
    assert add.stack.currentIndex() == add.STEP_DONE, add.error.text()
    school_fp = keys.require_keys(school).fingerprint()
    assert add.school_fingerprint.text() == school_fp
    add.reject()
    settle(window, qtbot)
    assert page.devices.rowCount() == 2
    ctx_a.close()

    # 3. the new laptop again: its request is the same; the reply from the stick; join
    ctx_b = launch(b_dir, "en")
    dialog = ctx_b.first_start
    dialog.stack.setCurrentIndex(dialog.PAGE_CHOICE)
    dialog.join_button.click()
    panel = dialog.join_panel
    settle(ctx_b, qtbot)
    assert panel.fingerprint.value == b_fingerprint
    panel.next_button.click()
    fake_dialogs.files.append(str(stick / "reply.selfeval-join"))
    panel.open_reply_button.click()
    settle(ctx_b, qtbot)
    assert panel.school_fingerprint.text() == school_fp
    assert not panel.join_button.isEnabled()
    panel.same.setChecked(True)
    panel.join_button.click()
    qtbot.waitUntil(lambda: ctx_b.window is not None, timeout=30000)
    settle(ctx_b.window, qtbot)
    owner = keys.require_keys(school).identity_id
    assert ctx_b.window.session.reader.school()["owner"] == owner
    assert records_of(b_dir, owner) == records_of(school, owner)
    b_keys = keys.require_keys(b_dir)
    assert b_keys.identity_id == owner and b_keys.device.device_id != keys.require_keys(school).device.device_id


def test_a_wrong_request_says_why_and_adds_nothing(launch, school, qtbot, fake_dialogs, tmp_path):
    from selfeval_app.exchange import keys

    (tmp_path / "bad.selfeval-join-request").write_text("{}", encoding="utf-8")
    ctx = launch(school, "en")
    window = ctx.window
    page = window.show_page("sharing")
    settle(window, qtbot)
    add = page.add_laptop()
    fake_dialogs.files.append(str(tmp_path / "bad.selfeval-join-request"))
    add.open_request_button.click()
    settle(window, qtbot)
    assert add.stack.currentIndex() == add.STEP_REQUEST
    assert "not a request from another laptop" in add.error.text()
    assert len(keys.require_keys(school).devices) == 1


def test_a_held_bundle_is_asked_about_on_the_sharing_page(launch, school, qtbot, fake_dialogs):
    from selfeval_app.exchange import inbox, sync_state

    store = RecordStore(open_database(school), device_id="device-S")
    try:
        state = sync_state.inbox(store)
        state["held"]["x.selfeval-bundle"] = {"bundle_id": "x", "sender_device": "ab12cd34-0000", "created_at": "2026-12-03T10:00:00Z", "deleting": 30, "total": 120}
        sync_state.save(store, "sync_inbox", state)
    finally:
        store.close()
    ctx = launch(school, "en")
    window = ctx.window
    page = window.show_page("sharing")
    settle(window, qtbot)
    assert page.held.isVisibleTo(page) and "30" in page.held.text() and "120" in page.held.text()
    fake_dialogs.answers.append(False)  # "No": it stays held, nothing lost
    page.apply_held_button.click()
    settle(window, qtbot)
    assert page.held.isVisibleTo(page)
    fake_dialogs.answers.append(True)
    page.apply_held_button.click()
    settle(window, qtbot)
    settle(window, qtbot)
    assert not page.held.isVisibleTo(page)
    ctx.close()
    store = RecordStore(open_database(school), device_id="device-S")
    try:
        assert inbox.held(store)[0]["confirmed"]
    finally:
        store.close()


def _reply_for(school, b_dir, tmp_path):
    from selfeval_app.exchange import keys, own_devices

    request = own_devices.make_request(b_dir, computer="LAPTOP-B")
    store = RecordStore(open_database(school), device_id="device-S")
    try:
        k = keys.require_keys(school)
        entry = own_devices.add_device(k, request, own_devices.request_fingerprint(request))
        own_devices.write_package(store, k, entry["device_id"], tmp_path / "r.selfeval-join")
    finally:
        store.close()
    return request


def test_welsh_walk_of_the_add_laptop_dialog_and_the_joining_page(launch, school, qtbot, fake_dialogs, tmp_path):
    from selfeval_app.exchange import own_devices, sync_state

    b_dir = tmp_path / "B"
    request = _reply_for(school, b_dir, tmp_path)
    (tmp_path / "again.selfeval-join-request").write_text(json.dumps(request), encoding="utf-8")
    store = RecordStore(open_database(school), device_id="device-S")
    try:  # a held bundle, so its question on the Sharing page is walked too
        state = sync_state.inbox(store)
        state["held"]["x.selfeval-bundle"] = {"bundle_id": "x", "sender_device": "ab12cd34-0000", "created_at": "2026-12-03T10:00:00Z", "deleting": 30, "total": 120}
        sync_state.save(store, "sync_inbox", state)
    finally:
        store.close()
    allowed = data_strings("cy") | data_strings("en")
    for lang in ("cy", "en"):
        ctx = launch(school, lang)
        window = ctx.window
        page = window.show_page("sharing")
        settle(window, qtbot)
        school_rec = window.session.reader.school()
        data = allowed | {school_rec["name"]["cy"], school_rec["name"]["en"], "LAPTOP-B", own_devices.request_fingerprint(request)}
        data |= {f"{school_rec['name']['cy']} / {school_rec['name']['en']}", f"{school_rec['name']['en']} / {school_rec['name']['cy']}"}
        add = page.add_laptop()
        fake_dialogs.files.append(str(tmp_path / "again.selfeval-join-request"))
        add.open_request_button.click()
        settle(window, qtbot)
        add.same.setChecked(True)
        fake_dialogs.files.append(str(tmp_path / f"again-{lang}.selfeval-join"))
        add.reply_file_button.click()
        settle(window, qtbot)
        assert add.stack.currentIndex() == add.STEP_DONE, add.error.text()
        data |= {add.school_fingerprint.text(), str(tmp_path / f"again-{lang}.selfeval-join")}
        assert page.held.isVisibleTo(page)
        widgets = [("add laptop", add), ("sharing page", page)]
        ctx_b = launch(b_dir, lang)
        dialog = ctx_b.first_start
        dialog.stack.setCurrentIndex(dialog.PAGE_CHOICE)
        widgets.append(("first start choice", dialog))
        dialog.join_button.click()
        settle(ctx_b, qtbot)
        panel = dialog.join_panel
        panel.use_server.setChecked(True)  # the WebDAV server's fields and buttons walked too
        fake_dialogs.files.append(str(tmp_path / "r.selfeval-join"))
        panel.next_button.click()
        panel.open_reply_button.click()
        settle(ctx_b, qtbot)
        data |= {panel.fingerprint.value, panel.school_fingerprint.text()}
        widgets.append(("joining page", dialog))
        for where, widget in widgets:
            pairs = [(w, line) for w, text in collect(widget) for line in text.split("\n")]
            # a sentence that names the reply's file or folder is data around the words
            pairs = [(w, t) for w, t in pairs if str(tmp_path) not in t]
            assert pairs, where
            if lang == "cy":
                assert not english_problems(pairs, data), (where, english_problems(pairs, data))
            else:
                assert not welsh_problems(pairs, data), (where, welsh_problems(pairs, data))
            assert not interactive_without_name(widget), (where, interactive_without_name(widget))
        ctx_b.close()
        ctx.close()


def test_a_new_laptop_joins_through_the_schools_webdav_server(launch, school, qtbot, fake_dialogs, tmp_path, monkeypatch):
    """The same join with the request and reply on the school's WebDAV server (a real wsgidav on
    loopback): the new laptop's password is typed once and kept in the keyring (an in-memory one:
    no keyring runs on a headless machine), and sync is set up there when it joins."""
    import sys
    from pathlib import Path

    import keyring

    from selfeval_app import laptops_views as lviews
    from selfeval_app.exchange import keys, sync_password, sync_setup, sync_state

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
    from test_sync_webdav import MemoryKeyring
    from webdav_server import USERS, webdav_server

    monkeypatch.delenv("SELFEVAL_WEBDAV_PASSWORD", raising=False)
    previous, ring = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        with webdav_server(tmp_path / "dav") as url:
            store = RecordStore(open_database(school), device_id="device-S")
            sync_setup.setup_webdav(store, url, "ysgol", USERS["ysgol"])
            store.close()
            b_dir = tmp_path / "new laptop" / "data"

            # 1. the new laptop: the request on the server; a wrong password says so first
            ctx_b = launch(b_dir, "en")
            dialog = ctx_b.first_start
            dialog.stack.setCurrentIndex(dialog.PAGE_CHOICE)
            dialog.join_button.click()
            panel = dialog.join_panel
            settle(ctx_b, qtbot)
            assert not panel.server_request_button.isVisibleTo(panel)
            panel.use_server.setChecked(True)
            assert panel.server_request_button.isVisibleTo(panel) and not panel.server_request_button.isEnabled()
            panel.url.setText(url)
            panel.user.setText("ysgol")
            panel.password.setText("not the password")
            panel.server_request_button.click()
            settle(ctx_b, qtbot)
            assert panel.error.text() and "Traceback" not in panel.error.text()
            assert not panel.request_done.isVisibleTo(panel)
            panel.password.setText(USERS["ysgol"])
            panel.server_request_button.click()
            settle(ctx_b, qtbot)
            assert panel.request_done.isVisibleTo(panel), panel.error.text()
            assert not panel.error.text()
            b_fingerprint = panel.fingerprint.value

            # 2. the school's laptop finds it there and puts the reply there (Sharing page's steps)
            store = RecordStore(open_database(school), device_id="device-S")
            sync_password.store_password(url, "ysgol", USERS["ysgol"])
            [found] = lviews.requests_in_sync(store)
            assert found["fingerprint"] == b_fingerprint
            lviews.add_laptop(store, found["request"], b_fingerprint, None)
            store.close()

            # 3. the new laptop: the reply from the server; join; sync is set up with the server
            ring.items.clear()
            panel.next_button.click()
            panel.server_reply_button.click()
            settle(ctx_b, qtbot)
            assert panel.school_fingerprint.text() == keys.require_keys(school).fingerprint(), panel.error.text()
            panel.same.setChecked(True)
            panel.join_button.click()
            qtbot.waitUntil(lambda: ctx_b.window is not None, timeout=30000)
            settle(ctx_b.window, qtbot)
            owner = keys.require_keys(school).identity_id
            assert records_of(b_dir, owner) == records_of(school, owner)
            b_store = RecordStore(open_database(b_dir), device_id="b")
            try:
                assert sync_state.config(b_store) == {"kind": "webdav", "url": url, "user": "ysgol"}
            finally:
                b_store.close()
            assert sync_password.get_password(url, "ysgol") == USERS["ysgol"]
            assert not any(USERS["ysgol"] in p.read_text(errors="ignore") for p in b_dir.rglob("*") if p.is_file() and p.stat().st_size < 2_000_000)
            ctx_b.close()
    finally:
        keyring.set_keyring(previous)
