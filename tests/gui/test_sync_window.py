"""Sync in the window (issue 11, item 4): the state in words after a round, an unreachable folder
(clear words, nothing deleted), "Sync now", a wrong WebDAV password asked for again, the network
coming back, never two rounds at once, pages told what a round imported, and the settings dialog.

Real parts: the example school and LA trusting each other (tests/exchange helpers), a real sync
folder, the real wsgidav server of tests/sync on loopback. The machine's network cannot be switched
off by a test, so the network-return trigger is driven through `SyncController.network_changed`,
the slot Qt's `QNetworkInformation.reachabilityChanged` calls.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

sys.path.append(str(Path(__file__).resolve().parents[1] / "exchange"))
sys.path.append(str(Path(__file__).resolve().parents[1] / "sync"))

from exchange_helpers import copy_pair, make_pair  # noqa: E402

from selfeval_app.core.database import open_database  # noqa: E402
from selfeval_app.core.records import RecordStore  # noqa: E402
from selfeval_app.exchange import keys as keys_mod  # noqa: E402
from selfeval_app.exchange import sync_setup, sync_state  # noqa: E402
from selfeval_app.exchange.transport_folder import FolderTransport  # noqa: E402

WAIT = 30000


@pytest.fixture(scope="module")
def pair_template(tmp_path_factory):
    return make_pair(tmp_path_factory.mktemp("sync-window-pair"))


@pytest.fixture
def pair(pair_template, tmp_path):
    return copy_pair(pair_template, tmp_path / "pair")


@pytest.fixture(autouse=True)
def _no_system_network(monkeypatch):
    """The system's network backend is not the tests' to drive (see the module's docstring)."""
    from selfeval_app.gui import main_window

    monkeypatch.setattr(main_window, "START_NETWORK_WATCH", False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("SELFEVAL_WEBDAV_PASSWORD", raising=False)


def _store(data_dir, device):
    return RecordStore(open_database(data_dir), device_id=device)


def setup_folder(data_dir, folder, device="device-S"):
    folder.mkdir(parents=True, exist_ok=True)
    store = _store(data_dir, device)
    try:
        sync_setup.setup_folder(store, folder)
    finally:
        store.close()


def school_state(data_dir, key, default=None):
    store = _store(data_dir, "device-S")
    try:
        return sync_state.load(store, key, default)
    finally:
        store.close()


def open_window(launch, data_dir, qtbot, lang="en"):
    ctx = launch(data_dir, lang)
    window = ctx.window
    qtbot.waitUntil(lambda: window.sync is not None, timeout=WAIT)
    return ctx, window


def wait_idle(window, qtbot, rounds=None):
    sync = window.sync
    if rounds is not None:
        qtbot.waitUntil(lambda: sync.rounds >= rounds, timeout=WAIT)
    qtbot.waitUntil(lambda: not sync.running and not sync._relays, timeout=WAIT)
    QApplication.processEvents()


def la_round(pair, folder):
    from sync_helpers import la_round as run

    return run(pair, FolderTransport(folder, pair.la))


def test_status_shows_last_success_after_a_round(launch, pair, tmp_path, qtbot):
    folder = tmp_path / "OneDrive - Hwb" / "Rhannu"
    setup_folder(pair.school, folder)
    la_id = keys_mod.require_keys(pair.la).identity_id
    ctx, window = open_window(launch, pair.school, qtbot)
    wait_idle(window, qtbot, rounds=1)  # the first automatic round, a moment after the first paint
    assert window.sync.rounds == 1
    assert window.sync_label.text().startswith("Last synced at "), window.sync_label.text()
    assert "Sync" in window.sync_label.accessibleName()
    assert len(list((folder / "inbox" / la_id).glob("*.selfeval-bundle"))) == 1
    page = window.show_page("sharing")
    section = page.sync_section
    text = section.state_text()
    assert f"Sync uses the folder {folder.resolve()}." in text
    assert "Last synced at " in text
    assert "records not yet confirmed" in text  # sent, waiting for the LA's receipt

    assert la_round(pair, folder)["imported"] == 1  # the LA takes it in and signs a receipt
    before = window.sync.rounds
    qtbot.mouseClick(section.sync_now_button, qtbot_button())
    wait_idle(window, qtbot, rounds=before + 1)
    assert window.sync.rounds == before + 1, "Sync now runs one round"
    assert "Everything shared has reached" in section.state_text(), section.state_text()
    assert section.sync_now_button.accessibleName() == "Sync now"


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_an_unreachable_folder_shows_clear_words_and_deletes_nothing(launch, pair, tmp_path, qtbot):
    folder = tmp_path / "usb" / "Rhannu"
    setup_folder(pair.school, folder)
    ctx, window = open_window(launch, pair.school, qtbot)
    wait_idle(window, qtbot, rounds=1)
    la_id = keys_mod.require_keys(pair.la).identity_id
    outbox_before = school_state(pair.school, "sync_outbox", [])
    files_before = sorted(p.name for p in (pair.school / "sync-outbox").iterdir())
    assert outbox_before and files_before
    pulled = tmp_path / "usb-pulled"
    folder.parent.rename(pulled)  # the USB stick is pulled out
    page = window.show_page("sharing")
    before = window.sync.rounds
    page.sync_section.sync_now_button.click()
    wait_idle(window, qtbot, rounds=before + 1)
    text = page.sync_section.state_text()
    assert "The last sync did not work" in text and "cannot be reached just now" in text, text
    assert "Nothing was lost" in text
    assert window.sync_label.text() == "Sync failed: see Sharing"
    assert window.sync.retry_timer.isActive() and window.sync.retry_timer.remainingTime() <= 31000, "tried again when the back-off ends"
    assert school_state(pair.school, "sync_outbox", []) == outbox_before, "nothing forgotten"
    assert sorted(p.name for p in (pair.school / "sync-outbox").iterdir()) == files_before, "nothing deleted"
    assert not folder.exists(), "nothing made in place of the missing folder"
    pulled.rename(folder.parent)  # back in
    assert len(list((folder / "inbox" / la_id).glob("*.selfeval-bundle"))) == 1
    page.sync_section.sync_now_button.click()
    wait_idle(window, qtbot, rounds=before + 2)
    assert "The last sync did not work" not in page.sync_section.state_text()
    assert window.sync_label.text().startswith("Last synced at ")


def test_the_network_coming_back_starts_a_round(launch, pair, tmp_path, qtbot):
    folder = tmp_path / "share"
    setup_folder(pair.school, folder)
    ctx, window = open_window(launch, pair.school, qtbot)
    wait_idle(window, qtbot, rounds=1)
    sync = window.sync
    sync.network_changed(False)  # as QNetworkInformation says when the network goes
    sync.automatic()  # the timer's tick while offline: no round
    QApplication.processEvents()
    assert sync.rounds == 1 and not sync.running
    sync.network_changed(True)  # and comes back
    assert sync.running
    wait_idle(window, qtbot, rounds=2)
    assert sync.rounds == 2


def test_no_round_overlaps_another(launch, pair, tmp_path, qtbot, monkeypatch):
    folder = tmp_path / "share"
    setup_folder(pair.school, folder)
    ctx, window = open_window(launch, pair.school, qtbot)
    wait_idle(window, qtbot, rounds=1)
    sync = window.sync
    # The narrowest point: the transport's reachability check at the start of each round waits
    # for the test, and counts how many rounds are inside it at once.
    release = threading.Event()
    inside, most = [0], [0]
    original = FolderTransport.check

    def held_check(self):
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        try:
            release.wait(20)
            return original(self)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(FolderTransport, "check", held_check)
    assert sync.request(manual=True)
    assert not sync.request(manual=True), "a second Sync now while one runs waits for it"
    sync.network_changed(False)
    sync.network_changed(True)
    sync.automatic()
    assert sync.rounds == 2
    release.set()
    wait_idle(window, qtbot, rounds=3)  # the one noted while the round ran, after it
    wait_idle(window, qtbot)
    assert sync.rounds == 3 and most[0] == 1


def test_a_wrong_webdav_password_says_so_and_is_asked_for_again(launch, pair, tmp_path, qtbot, monkeypatch):
    from webdav_server import USERS, webdav_server

    with webdav_server(tmp_path / "dav") as url:
        store = _store(pair.school, "device-S")
        try:
            sync_setup.setup_webdav(store, url, "ysgol", USERS["ysgol"])
        finally:
            store.close()
        monkeypatch.setenv("SELFEVAL_WEBDAV_PASSWORD", "not-the-password")
        ctx, window = open_window(launch, pair.school, qtbot)
        wait_idle(window, qtbot, rounds=1)
        sync = window.sync
        qtbot.waitUntil(lambda: sync.password_dialog is not None, timeout=WAIT)
        dialog = sync.password_dialog
        assert "refused the user name or password: check them in Settings" in dialog.reason.text()
        page = window.show_page("sharing")
        assert "refused the user name or password: check them in Settings" in page.sync_section.state_text()
        monkeypatch.delenv("SELFEVAL_WEBDAV_PASSWORD")
        dialog.password.setText(USERS["ysgol"])
        dialog.accept()
        wait_idle(window, qtbot, rounds=2)
        assert sync.password_dialog is None
        assert "Last synced at " in page.sync_section.state_text(), page.sync_section.state_text()
        la_id = keys_mod.require_keys(pair.la).identity_id
        assert len(list((tmp_path / "dav" / "inbox" / la_id).glob("*.selfeval-bundle"))) == 1


def test_pages_are_told_what_a_round_imported(launch, pair, tmp_path, qtbot):
    """The LA's window takes in the school's bundle: the pages hear which record types changed.
    (The LA's folder is given a school profile only so that its window opens past first start.)"""
    store = _store(pair.la, "device-L")
    try:  # (not conftest.make_school: this module puts tests/sync, with its own conftest, on the path)
        store.create("school", {"name": {"cy": "Awdurdod", "en": "Authority"}, "la_code": 667, "writes_in": "both"})
    finally:
        store.close()
    folder = tmp_path / "share"
    setup_folder(pair.school, folder)
    from sync_helpers import school_round

    assert school_round(pair, FolderTransport(folder, pair.school))["bundles_put"] == 1
    setup_folder(pair.la, folder, device="device-L")
    ctx = launch(pair.la, "en")
    window = ctx.window
    heard = []
    window.recordsChanged.connect(lambda types: heard.append(set(types)))
    qtbot.waitUntil(lambda: window.sync is not None, timeout=WAIT)
    wait_idle(window, qtbot, rounds=1)
    school_id = keys_mod.require_keys(pair.school).identity_id
    store = _store(pair.la, "device-L")
    try:
        from selfeval_app.core import record_types as rt

        carried = {t for t in rt.RECORD_TYPES if store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE owner = ?', (school_id,)).fetchone()[0]}
    finally:
        store.close()
    assert carried and "priority" in carried
    assert heard == [carried], "told once, of exactly the record types the bundle carried"


def test_settings_set_up_a_folder_refuse_the_data_folder_and_turn_sync_off(launch, pair, tmp_path, qtbot, fake_dialogs):
    ctx, window = open_window(launch, pair.school, qtbot)
    wait_idle(window, qtbot)
    assert window.sync_label.text() == "Sync is off"
    settings = window.open_settings()
    assert settings.sync_where.text() == "Sync is off."
    dialog = settings.sync_setup.click() or window.sync_settings_dialog
    dialog.folder_kind.setChecked(True)
    fake_dialogs.files.append(str(pair.school / "inside"))
    (pair.school / "inside").mkdir()
    dialog.choose.click()
    assert dialog.folder.text() == str(pair.school / "inside")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
    assert "holds this installation's own data folder" in dialog.result.text(), dialog.result.text()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
    assert "holds this installation's own data folder" in dialog.result.text()
    assert school_state(pair.school, "sync_config") is None, "refused: nothing saved"

    share = tmp_path / "Teams" / "Rhannu"
    share.mkdir(parents=True)
    dialog.folder.setText(str(share))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
    assert dialog.result.text() == "The folder can be reached. It becomes the sync folder when you save."
    before = window.sync.rounds
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.sync.rounds > before, timeout=WAIT)
    wait_idle(window, qtbot)
    assert school_state(pair.school, "sync_config") == {"kind": "folder", "path": str(share.resolve())}
    assert (share / "selfeval-sync.json").is_file()
    assert window.sync_label.text().startswith("Last synced at ")
    assert settings.sync_where.text() == f"Sync uses the folder {share.resolve()}."

    off = window.sync_settings_dialog = None
    settings.sync_setup.click()
    off = window.sync_settings_dialog
    assert off.folder_kind.isChecked() and off.folder.text() == str(share.resolve())
    off.off.setChecked(True)
    off.buttons.button(off.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: school_state(pair.school, "sync_config", "x") is None, timeout=WAIT)
    wait_idle(window, qtbot)
    qtbot.waitUntil(lambda: window.sync_label.text() == "Sync is off", timeout=WAIT)
    rounds = window.sync.rounds
    window.sync.automatic()
    assert window.sync.rounds == rounds, "no automatic round once sync is off"


def test_settings_test_a_webdav_server_in_words_and_save_it(launch, pair, tmp_path, qtbot):
    from webdav_server import USERS, webdav_server

    with webdav_server(tmp_path / "dav") as url:
        ctx, window = open_window(launch, pair.school, qtbot)
        wait_idle(window, qtbot)
        settings = window.open_settings()
        settings.sync_setup.click()
        dialog = window.sync_settings_dialog
        dialog.webdav_kind.setChecked(True)
        assert dialog.webdav_box.isEnabled() and not dialog.folder_box.isEnabled()
        dialog.url.setText(url)
        dialog.user.setText("ysgol")
        dialog.password.setText("not-the-password")
        dialog.test_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
        assert "refused the user name or password" in dialog.result.text(), dialog.result.text()
        dialog.url.setText("http://example.org/dav")
        dialog.test_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
        assert "must begin with https://" in dialog.result.text(), dialog.result.text()
        dialog.url.setText(url)
        dialog.password.setText(USERS["ysgol"])
        dialog.test_button.click()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
        assert dialog.result.text() == "The server answered and took the user name and password."
        before = window.sync.rounds
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        qtbot.waitUntil(lambda: window.sync.rounds > before, timeout=WAIT)
        wait_idle(window, qtbot)
        assert school_state(pair.school, "sync_config") == {"kind": "webdav", "url": url, "user": "ysgol"}
        # No keyring on the test machine (the fail backend): the password is kept nowhere, and
        # the window says so; the first round then asks for it.
        assert any(c[0] == "information" and "no keyring" in c[2] for c in window_dialog_calls())
        qtbot.waitUntil(lambda: window.sync.password_dialog is not None, timeout=WAIT)
        assert "No password for the server" in window.sync.password_dialog.reason.text()
        assert "password" not in str(school_state(pair.school, "sync_config")).lower()
        for file in pair.school.glob("selfeval.sqlite3*"):  # the database and its WAL
            assert USERS["ysgol"].encode() not in file.read_bytes(), f"the password is in {file.name}"


def window_dialog_calls():
    from selfeval_app.gui import dialogs

    return dialogs.dialogs().calls


# -- a school with two laptops (branch ownlaptops) in the window's split round -------------------


def _join_second_laptop(pair, b_dir):
    """Laptop B joins the school by a file (the library calls the CLI and the window use)."""
    from selfeval_app.exchange import own_devices

    request = own_devices.make_request(b_dir, computer="LAPTOP-B")
    store = _store(pair.school, "device-S")
    try:
        keys = keys_mod.require_keys(pair.school)
        entry = own_devices.add_device(keys, request, own_devices.request_fingerprint(request))
        info = own_devices.write_package(store, keys, entry["device_id"], b_dir.parent / "reply.selfeval-join")
    finally:
        store.close()
    own_devices.join(b_dir, b_dir.parent / "reply.selfeval-join", info["school_fingerprint"], device_id="device-B")


def _school_records(data_dir, owner):
    import sqlite3

    from selfeval_app.core import record_types as rt

    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        return {row[0]: row[1:] for t in rt.RECORD_TYPES for row in conn.execute(f'SELECT id, rev, content_hash, deleted FROM "{t}" WHERE owner = ?', (owner,))}
    finally:
        conn.close()


def test_a_second_laptop_syncs_in_the_window_and_a_held_mass_delete_is_asked_about(launch, pair, tmp_path, qtbot, fake_dialogs):
    """The window's round (a read-only reader of its own, writes as writer jobs) on the second
    laptop: it puts its device list in the sync place, holds a bundle of the first laptop that
    deletes more than a tenth of the school's records (shown under "Needs a decision" and in the
    sync state, nothing applied), and applies it once the person says yes (a round at once)."""
    from sync_helpers import round_for

    from selfeval_app.core import record_types as rt

    b_dir = tmp_path / "Laptop B" / "data"
    b_dir.mkdir(parents=True)
    _join_second_laptop(pair, b_dir)
    folder = tmp_path / "OneDrive - Hwb" / "Rhannu"
    setup_folder(pair.school, folder)
    setup_folder(b_dir, folder, device="device-B")
    ka, kb = keys_mod.require_keys(pair.school), keys_mod.require_keys(b_dir)
    owner, b_device = ka.identity_id, kb.device.device_id
    assert round_for(pair.school, "device-S", FolderTransport(folder, pair.school))["ok"]
    # the first laptop deletes more than a tenth of the school's records, and syncs
    store = _store(pair.school, "device-S")
    try:
        total = sum(store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE owner = ? AND deleted = 0', (owner,)).fetchone()[0] for t in rt.RECORD_TYPES)
        candidates = [r for t in ("evidence", "action") for r in store.list(t)]
        deleting = total // 10 + 1
        assert deleting <= len(candidates)
        for rec in candidates[:deleting]:
            store.delete(rec["type"], rec["id"])
    finally:
        store.close()
    assert round_for(pair.school, "device-S", FolderTransport(folder, pair.school))["ok"]
    assert list((folder / "inbox" / b_device).glob("*.selfeval-bundle"))
    before = _school_records(b_dir, owner)

    ctx, window = open_window(launch, b_dir, qtbot)
    wait_idle(window, qtbot, rounds=1)
    assert window.sync.info and window.sync.info["held"] == 1, window.sync.info
    assert window.sync_label.text().startswith("Last synced at "), window.sync_label.text()
    assert (folder / "cards" / owner / f"{b_device}.selfeval-card").is_file()  # the device-list step ran
    assert _school_records(b_dir, owner) == before  # nothing of it applied
    page = window.show_page("sharing")
    qtbot.waitUntil(lambda: page.held.isVisibleTo(page), timeout=WAIT)
    assert f"would delete {deleting} of the school's {total} records" in page.held.text(), page.held.text()
    assert "would delete many records and waits for a decision" in page.sync_section.state_text()
    assert not page.nothing_to_decide.isVisibleTo(page)
    # the first laptop sees nothing delivered to B yet (no receipt for a held bundle)
    assert not list((folder / "receipts" / owner).glob(f"*.{b_device}.selfeval-receipt"))

    before_rounds = window.sync.rounds
    fake_dialogs.answers.append(True)  # "Apply the deletions": yes
    page.apply_held_button.click()
    wait_idle(window, qtbot, rounds=before_rounds + 1)
    qtbot.waitUntil(lambda: not page.held.isVisibleTo(page), timeout=WAIT)
    assert window.sync.info["held"] == 0
    assert "waits for a decision" not in page.sync_section.state_text()
    assert _school_records(b_dir, owner) == _school_records(pair.school, owner)
    assert list((folder / "receipts" / owner).glob(f"*.{b_device}.selfeval-receipt"))  # its receipt went back
    ctx.close()
    # and the first laptop takes that receipt: nothing waits for B any more
    assert round_for(pair.school, "device-S", FolderTransport(folder, pair.school))["ok"]
    assert not [e for e in school_state(pair.school, "sync_outbox", []) if e["contact"] == b_device]
