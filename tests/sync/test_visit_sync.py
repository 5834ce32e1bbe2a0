"""A peer review visit's bundles by sync (issue 12 with Exchange II): the host's pack to the
reviewer and the reviewer's notes and findings home, over a real folder and a real WebDAV server;
queued, put in the recipient's inbox, imported there once with a signed receipt, marked delivered
only by that receipt; a crash between queueing and upload; and still no `peers` record of the
host's goes to a reviewer by sync outside a visit's choice."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from webdav_server import USERS, webdav_server

from selfeval_app.cli import main
from selfeval_app.core import share_ledger
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import build_example_school
from selfeval_app.core.demo_review import EXAMPLE_REVIEWER_OWNER, visit_id
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, outbox, sync_state
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange.setup_reviewer import demo_reviewer
from selfeval_app.exchange.sync_round import run_round
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder
from selfeval_app.exchange.transport_webdav import WebDAVTransport
from selfeval_app.exchange.visit_bundle import VisitSyncError, queue_visit_bundle


@dataclass
class Visit:
    host: Path
    reviewer: Path


def _store(data_dir: Path, device: str) -> RecordStore:
    return RecordStore(open_database(data_dir), device_id=device)


@pytest.fixture(scope="module")
def visit_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("visit")
    host, reviewer = root / "H", root / "R"
    build_example_school(host, device_id="device-H")
    demo_reviewer(reviewer, device_id="device-R")
    h = _store(host, "device-H")
    r = _store(reviewer, "device-R")
    try:
        hk, rk = keys_mod.ensure_identity(h), keys_mod.ensure_identity(r)
        assert rk.identity_id == EXAMPLE_REVIEWER_OWNER
        contacts.trust(h, hk, rk.card(), rk.fingerprint())
        contacts.trust(r, rk, hk.card(), hk.fingerprint())
    finally:
        h.close()
        r.close()
    return Visit(host, reviewer)


@pytest.fixture
def pair(visit_template, tmp_path):
    shutil.copytree(visit_template.host, tmp_path / "H")
    shutil.copytree(visit_template.reviewer, tmp_path / "R")
    return Visit(tmp_path / "H", tmp_path / "R")


@pytest.fixture
def folder(pair, tmp_path):
    root = tmp_path / "OneDrive - Hwb" / "Adolygu"
    root.mkdir(parents=True)
    for data_dir, device in ((pair.host, "device-H"), (pair.reviewer, "device-R")):
        store = _store(data_dir, device)
        try:
            sync_state.save(store, "sync_config", {"kind": "folder", "path": str(prepare_folder(root, data_dir))})
        finally:
            store.close()
    return root


def _round(data_dir: Path, device: str, transport):
    store = _store(data_dir, device)
    try:
        return run_round(store, keys_mod.require_keys(data_dir), transport)
    finally:
        store.close()


def _queue(data_dir: Path, device: str, visit: str):
    """Queue the visit's bundle for the other side (the host's pack, or the reviewer's notes)."""
    store = _store(data_dir, device)
    try:
        keys = keys_mod.require_keys(data_dir)
        [contact] = contacts.all_contacts(store)
        return queue_visit_bundle(store, keys, contact, visit)
    finally:
        store.close()


def _ids(pair):
    return keys_mod.require_keys(pair.host).identity_id, keys_mod.require_keys(pair.reviewer).identity_id


def _visits(data_dir: Path, device: str):
    from selfeval_app.core import peer_review

    store = _store(data_dir, device)
    try:
        return {v.id: v for v in peer_review.list_visits(store)}
    finally:
        store.close()


def _imports(data_dir: Path) -> int:
    store = _store(data_dir, "x")
    try:
        return store.conn.execute("SELECT count(*) FROM exchange_import").fetchone()[0]
    finally:
        store.close()


def _outbox(data_dir: Path):
    store = _store(data_dir, "x")
    try:
        return sync_state.outbox(store)
    finally:
        store.close()


def _there_and_back(pair, host_t, reviewer_t, root: Path):
    host_id, reviewer_id = _ids(pair)
    visit = visit_id()
    # nothing goes to a reviewer by sync on its own
    first = _round(pair.host, "device-H", host_t())
    assert first["ok"] and first["bundles_made"] == 0 and first["bundles_put"] == 0
    entry, new = _queue(pair.host, "device-H", visit)
    assert new and entry["visit"] == visit and entry["contact"] == reviewer_id
    assert _queue(pair.host, "device-H", visit)[1] is False  # the same again: nothing new written
    put = _round(pair.host, "device-H", host_t())
    assert put["ok"] and put["bundles_put"] == 1
    assert [p.name for p in (root / "inbox" / reviewer_id).glob("*.selfeval-bundle")] == [entry["name"]]
    assert visit not in _visits(pair.reviewer, "device-R")
    got = _round(pair.reviewer, "device-R", reviewer_t())
    assert got["ok"] and got["imported"] == 1 and got["receipts_written"] == 1, got
    assert _visits(pair.reviewer, "device-R")[visit].host_owner == host_id
    again = _round(pair.reviewer, "device-R", reviewer_t())
    assert again["imported"] == 0 and _imports(pair.reviewer) == 1  # imported once
    back = _round(pair.host, "device-H", host_t())
    assert back["ok"] and back["acknowledged"] == 1
    assert _outbox(pair.host) == []
    store = _store(pair.host, "device-H")
    try:
        sent = share_ledger.sent_to(store, reviewer_id)
        assert {v["id"] for v in entry["versions"]} <= set(sent)
    finally:
        store.close()

    # the reviewer's notes and findings come home the same way
    notes, new = _queue(pair.reviewer, "device-R", visit)
    assert new and {v["type"] for v in notes["versions"]} == {"review_note", "review_finding"}
    assert _round(pair.reviewer, "device-R", reviewer_t())["bundles_put"] == 1
    home = _round(pair.host, "device-H", host_t())
    assert home["ok"] and home["imported"] == 1
    assert _visits(pair.host, "device-H")[visit].findings == 2
    done = _round(pair.reviewer, "device-R", reviewer_t())
    assert done["acknowledged"] == 1 and _outbox(pair.reviewer) == []


def test_pack_and_report_by_sync_over_a_folder(pair, folder):
    def t(data_dir):
        return lambda: FolderTransport(folder, data_dir)

    _there_and_back(pair, t(pair.host), t(pair.reviewer), folder)


def test_pack_and_report_by_sync_over_webdav(pair, tmp_path):
    root = tmp_path / "dav-root"
    with webdav_server(root) as url:
        for data_dir, device in ((pair.host, "device-H"), (pair.reviewer, "device-R")):
            store = _store(data_dir, device)
            try:
                sync_state.save(store, "sync_config", {"kind": "webdav", "url": url, "user": "ysgol"})
            finally:
                store.close()

        def host_t():
            return WebDAVTransport(url, "ysgol", USERS["ysgol"])

        def reviewer_t():
            return WebDAVTransport(url, "awdurdod", USERS["awdurdod"])

        _there_and_back(pair, host_t, reviewer_t, root)


def test_queueing_needs_sync_set_up(pair):
    store = _store(pair.host, "device-H")
    try:
        keys = keys_mod.require_keys(pair.host)
        [contact] = contacts.all_contacts(store)
        with pytest.raises(VisitSyncError) as err:
            queue_visit_bundle(store, keys, contact, visit_id())
        assert "selfeval sync setup" in err.value.message() and sync_state.outbox(store) == []
    finally:
        store.close()


def test_a_crash_between_queueing_and_upload_leaves_it_queued_and_sends_it_once(pair, folder, monkeypatch):
    _host_id, reviewer_id = _ids(pair)
    entry, _new = _queue(pair.host, "device-H", visit_id())

    def crash(self, place, name, source):
        raise KeyboardInterrupt("power cut")  # the narrowest point: the upload itself

    monkeypatch.setattr(FolderTransport, "write", crash)
    with pytest.raises(KeyboardInterrupt):
        _round(pair.host, "device-H", FolderTransport(folder, pair.host))
    monkeypatch.undo()
    assert [e["bundle_id"] for e in _outbox(pair.host)] == [entry["bundle_id"]]
    assert (pair.host / "sync-outbox" / entry["name"]).is_file()
    assert not (folder / "inbox" / reviewer_id).exists() or list((folder / "inbox" / reviewer_id).iterdir()) == []
    # restart: a fresh process opens the folder again
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["bundles_put"] == 1
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["bundles_put"] == 0
    got = _round(pair.reviewer, "device-R", FolderTransport(folder, pair.reviewer))
    assert got["imported"] == 1 and _imports(pair.reviewer) == 1
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["acknowledged"] == 1


def test_two_visits_queued_arrive_in_any_order_and_each_is_delivered(pair, folder):
    """A visit's bundles keep a sequence of their own: another visit's newer bundle never makes
    one of this visit look like a replay."""
    from selfeval_app.core import peer_review_host as host

    store = _store(pair.host, "device-H")
    try:
        keys = keys_mod.require_keys(pair.host)
        [contact] = contacts.all_contacts(store)
        visit = store.require("review_visit", visit_id())
        first_entry, _ = queue_visit_bundle(store, keys, contact, visit_id())
        second = host.save_visit(
            store,
            None,
            {
                "start_date": "2027-02-01",
                "kind": "peer_enquiry",
                "team": visit["team"],
                "questions": [{"id": "q1", "text": {"cy": "I ba raddau?", "en": "To what extent?"}}],
            },
        )
        second_entry, _ = queue_visit_bundle(store, keys, contact, second["id"])
        assert second_entry["seq_to"] > first_entry["seq_to"]
    finally:
        store.close()
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["bundles_put"] == 2
    inbox = folder / "inbox" / _ids(pair)[1]
    older = inbox / first_entry["name"]
    aside = folder / "aside.selfeval-bundle"
    older.rename(aside)  # the older visit's bundle is late (a cloud client still downloading it)
    got = _round(pair.reviewer, "device-R", FolderTransport(folder, pair.reviewer))
    assert got["imported"] == 1, got
    aside.rename(older)
    got = _round(pair.reviewer, "device-R", FolderTransport(folder, pair.reviewer))
    assert got["imported"] == 1 and got["superseded"] == 0 and got["refused"] == [], got
    assert {visit_id(), second["id"]} <= set(_visits(pair.reviewer, "device-R"))
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["acknowledged"] == 2
    assert _outbox(pair.host) == []


def test_no_peers_record_reaches_a_reviewer_by_sync_outside_the_visits_choice(pair, folder):
    """The host's `peers` records go to the reviewer only inside a visit's pack; a school contact
    (the reviewer's own school, say) gets nothing from sync on its own either, nor does the
    reviewer send its notes of one visit to anyone by sync on its own."""
    _host_id, reviewer_id = _ids(pair)
    store = _store(pair.host, "device-H")
    try:
        peers = [r["id"] for t in ("evidence", "priority", "evaluation") for r in store.list(t, where="visibility = 'peers'")]
        assert peers, "the example school shares something with peers"
        keys = keys_mod.require_keys(pair.host)
        assert outbox.pending_counts(store, keys).get(reviewer_id) is None
    finally:
        store.close()
    for _ in range(2):
        assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["bundles_made"] == 0
        assert _round(pair.reviewer, "device-R", FolderTransport(folder, pair.reviewer))["bundles_made"] == 0
    assert not any((folder / "inbox").rglob("*.selfeval-bundle"))
    r = _store(pair.reviewer, "device-R")
    try:
        assert all(r.get(t, i) is None for i in peers for t in ("evidence", "priority", "evaluation"))
    finally:
        r.close()


def test_status_counts_a_waiting_visit_bundle_and_the_cli_queues_it(pair, folder, capsys):
    _host_id, reviewer_id = _ids(pair)
    fingerprint = keys_mod.require_keys(pair.reviewer).fingerprint()
    code = main(["--lang", "en", "bundle", "export", "--to", fingerprint, "--visit", visit_id(), "--via-sync", "--data-dir", str(pair.host)])
    out = capsys.readouterr().out
    assert code == 0 and "Queued for" in out and "next sync" in out
    assert main(["sync", "status", "--json", "--data-dir", str(pair.host)]) == 0
    status = json.loads(capsys.readouterr().out)
    [waiting] = [c for c in status["contacts"] if c["identity"] == reviewer_id]
    assert waiting["bundles"] == 1 and waiting["visit_bundles"] == 1 and waiting["records"] > 0
    assert main(["--lang", "cy", "sync", "status", "--data-dir", str(pair.host)]) == 0
    text = capsys.readouterr().out
    assert "ymweliad" in text
    assert main(["sync", "--data-dir", str(pair.host)]) == 0
    assert main(["sync", "--data-dir", str(pair.reviewer)]) == 0
    assert main(["sync", "--data-dir", str(pair.host)]) == 0
    capsys.readouterr()
    assert main(["sync", "status", "--json", "--data-dir", str(pair.host)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [c for c in status["contacts"] if c["identity"] == reviewer_id] == []
    # --via-sync without --visit is refused in words
    code = main(["--lang", "en", "bundle", "export", "--to", fingerprint, "--via-sync", "--data-dir", str(pair.host)])
    captured = capsys.readouterr()
    assert code == 2 and "--visit" in captured.err and "Traceback" not in captured.err


def test_a_heads_reviewer_identity_receives_the_pack_by_the_schools_own_sync(visit_template, tmp_path):
    """The reviewer is the head of another school, reviewing under a reviewer identity of its
    own on the school's laptop: that laptop's sync round reads the reviewer's inbox with the
    reviewer's keys and receipts in the reviewer's name; nothing of it is the school's."""
    from selfeval_app.core import peer_review_host as host
    from selfeval_app.exchange import identity_keys

    shutil.copytree(visit_template.host, tmp_path / "H")
    school = tmp_path / "S"
    db = open_database(school)
    try:
        store = RecordStore(db, device_id="device-S")
        store.create("school", {"name": {"cy": "Ysgol Cwm Glas", "en": "Cwm Glas School"}, "la_code": 667, "writes_in": "both"}, visibility="la")
        db.conn.execute("BEGIN IMMEDIATE")
        db.set_meta("is_example", "1")
        db.conn.execute("COMMIT")
    finally:
        db.close()
    h, s = _store(tmp_path / "H", "device-H"), _store(school, "device-S")
    try:
        kh, ks = keys_mod.require_keys(tmp_path / "H"), keys_mod.ensure_identity(s)
        kr = identity_keys.become_reviewer(s, {"cy": "Ann Jones", "en": "Ann Jones"})
        contacts.trust(h, kh, kr.card(), kr.fingerprint())
        contacts.trust(s, ks, kh.card(), kh.fingerprint())
        visit = h.require("review_visit", visit_id())
        raw = {k: visit[k] for k in ("start_date", "end_date", "kind", "questions", "status")}
        raw["team"] = [{"identity_id": kr.identity_id, "name": "Ann Jones", "role": "lead"}]
        host.save_visit(h, visit["id"], raw, base_rev=visit["rev"])
        root = tmp_path / "shared"
        root.mkdir()
        for store, data_dir in ((h, tmp_path / "H"), (s, school)):
            sync_state.save(store, "sync_config", {"kind": "folder", "path": str(prepare_folder(root, data_dir))})
        entry, _new = queue_visit_bundle(h, kh, contacts.get(h, kr.identity_id), visit_id())
    finally:
        h.close()
        s.close()
    assert _round(tmp_path / "H", "device-H", FolderTransport(root, tmp_path / "H"))["bundles_put"] == 1
    assert (root / "inbox" / kr.identity_id / entry["name"]).is_file()
    got = _round(school, "device-S", FolderTransport(root, school))
    assert got["imported"] == 1 and got["refused"] == [], got
    assert list((root / "receipts" / kh.identity_id).glob("*.selfeval-receipt"))
    assert visit_id() in _visits(school, "device-S")
    assert _round(tmp_path / "H", "device-H", FolderTransport(root, tmp_path / "H"))["acknowledged"] == 1
    # the bundle is gone from the inbox: the laptop's next round cleans up the reviewer's receipt
    _round(school, "device-S", FolderTransport(root, school))
    assert not list((root / "receipts" / kh.identity_id).glob("*.selfeval-receipt"))


def test_the_windows_sync_status_counts_a_waiting_visit_bundle(pair, folder):
    import datetime as dt

    from selfeval_app import sync_views
    from selfeval_app.core.i18n import set_language

    _queue(pair.host, "device-H", visit_id())
    store = _store(pair.host, "device-H")
    try:
        info = sync_views.status(store)
    finally:
        store.close()
    [contact] = [c for c in info["contacts"] if c["visit_bundles"]]
    assert contact["bundles"] == 1 and contact["name"]
    try:
        for lang in ("en", "cy"):
            set_language(lang)
            lines = sync_views.status_lines(info, dt.date(2026, 12, 3))
            [line] = [x for x in lines if "visit" in x or "ymweliad" in x]
            assert "1" in line and "next sync" in line if lang == "en" else "cysoni nesaf" in line
    finally:
        set_language("en")


def test_a_visit_bundle_overtaken_by_a_newer_file_is_still_receipted(pair, folder, tmp_path):
    """Queued by sync, then the pack saved as a file after a change and imported by hand: the
    queued one arrives older than what the reviewer holds of that visit. It changes nothing, and
    is receipted all the same, so it does not wait at the host for ever."""
    from selfeval_app.exchange.bundle_import import import_bundle
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    entry, _new = _queue(pair.host, "device-H", visit_id())
    store = _store(pair.host, "device-H")
    try:
        keys = keys_mod.require_keys(pair.host)
        visit = store.require("review_visit", visit_id())
        store.update("review_visit", visit["id"], {"follow_up": "2027-06-01"})
        [contact] = contacts.all_contacts(store)
        recipient = Recipient.from_contact(contact)
        by_hand = tmp_path / "by-hand.selfeval-bundle"
        write_bundle(store, keys, recipient, by_hand, plan_visit_bundle(store, keys, recipient, visit_id()))
    finally:
        store.close()
    r = _store(pair.reviewer, "device-R")
    try:
        import_bundle(r, keys_mod.require_keys(pair.reviewer), by_hand)
    finally:
        r.close()
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["bundles_put"] == 1
    got = _round(pair.reviewer, "device-R", FolderTransport(folder, pair.reviewer))
    assert got["imported"] == 0 and got["refused"] == [] and got["receipts_written"] == 1, got
    assert _visits(pair.reviewer, "device-R")[visit_id()].id == visit_id()
    r = _store(pair.reviewer, "device-R")
    try:
        assert r.require("review_visit", visit_id())["follow_up"] == "2027-06-01"  # the newer one stands
    finally:
        r.close()
    assert _round(pair.host, "device-H", FolderTransport(folder, pair.host))["acknowledged"] == 1
    assert _outbox(pair.host) == [] and entry["bundle_id"]
