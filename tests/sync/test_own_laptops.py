"""Two laptops of one school (issue 11 item 5): pairing by fingerprint (a file on a USB stick, or
the sync folder), the first bundle with everything, then syncing both ways through a real folder
and the real wsgidav server: offline edits of different records and of the same one, private
records that reach the other laptop and never the LA, the bulk-delete guard, a lost laptop."""

from __future__ import annotations

import sqlite3

import pytest
from sync_helpers import la_round, round_for, school_round
from webdav_server import USERS, webdav_server

from selfeval_app.cli import main
from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import apply, errors, inbox, own_devices
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange.bundle_import import MassDeleteHeld, import_bundle
from selfeval_app.exchange.errors import BundleRefused
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder
from selfeval_app.exchange.transport_webdav import WebDAVTransport


def _store(data_dir, device="device-S"):
    return RecordStore(open_database(data_dir), device_id=device)


def join_by_file(pair, b_dir):
    """The USB-stick path, through the library calls the CLI and the window use."""
    request = own_devices.make_request(b_dir, computer="LAPTOP-B")
    fp = own_devices.request_fingerprint(request)
    a = _store(pair.school)
    try:
        ka = keys_mod.require_keys(pair.school)
        entry = own_devices.add_device(ka, request, fp)
        info = own_devices.write_package(a, ka, entry["device_id"], b_dir.parent / "reply.selfeval-join")
    finally:
        a.close()
    return own_devices.join(b_dir, b_dir.parent / "reply.selfeval-join", info["school_fingerprint"], device_id="device-B")


def school_records(data_dir, owner, *, include_deleted=False):
    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        out = {}
        for t in rt.RECORD_TYPES:
            where = "owner = ?" + ("" if include_deleted else " AND deleted = 0")
            for row in conn.execute(f'SELECT id, rev, content_hash, deleted, visibility FROM "{t}" WHERE {where}', (owner,)):
                out[row[0]] = tuple(row[1:])
        return out
    finally:
        conn.close()


@pytest.fixture
def laptops(pair, tmp_path):
    b_dir = tmp_path / "Laptop B" / "data"
    b_dir.mkdir(parents=True)
    join_by_file(pair, b_dir)
    return pair, b_dir


def test_a_joined_laptop_holds_the_school_with_its_own_device(laptops):
    pair, b_dir = laptops
    ka, kb = keys_mod.require_keys(pair.school), keys_mod.require_keys(b_dir)
    assert kb.identity_id == ka.identity_id and kb.device.device_id != ka.device.device_id
    assert {d["device_id"] for d in ka.devices} == {d["device_id"] for d in kb.devices}
    owner = ka.identity_id
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)
    assert any(v[3] == "private" for v in school_records(b_dir, owner).values())  # private too
    b = _store(b_dir, "device-B")
    try:
        assert b.owner == owner and b.school() is not None
        from selfeval_app.exchange import contacts

        la_id = keys_mod.require_keys(pair.la).identity_id
        assert contacts.get(b, la_id) is not None  # the school's contacts came too
        rec = b.create("evidence", {"date": "2026-11-02", "kind": "other", "title": {"cy": "Ar liniadur B"}})
        assert rec["owner"] == owner  # what B writes is the school's
    finally:
        b.close()


def test_a_package_is_refused_with_a_wrong_fingerprint_or_for_another_laptop(pair, tmp_path):
    b_dir, c_dir = tmp_path / "B", tmp_path / "C"
    request = own_devices.make_request(b_dir)
    own_devices.make_request(c_dir)
    a = _store(pair.school)
    ka = keys_mod.require_keys(pair.school)
    try:
        with pytest.raises(own_devices.AddDeviceError):
            own_devices.add_device(ka, request, "AAAA-BBBB-CCCC-DDDD-EEEE")
        assert len(keys_mod.require_keys(pair.school).devices) == 1  # nothing changed
        entry = own_devices.add_device(ka, request, own_devices.request_fingerprint(request))
        info = own_devices.write_package(a, ka, entry["device_id"], tmp_path / "r.selfeval-join")
    finally:
        a.close()
    with pytest.raises(own_devices.JoinError) as wrong:
        own_devices.join(b_dir, tmp_path / "r.selfeval-join", "AAAA-BBBB-CCCC-DDDD-EEEE", device_id="d")
    assert wrong.value.params["reason"] == own_devices.WRONG_SCHOOL_FINGERPRINT
    with pytest.raises(own_devices.JoinError) as other:
        own_devices.join(c_dir, tmp_path / "r.selfeval-join", info["school_fingerprint"], device_id="d")
    assert other.value.params["reason"] == own_devices.NOT_FOR_THIS_LAPTOP
    assert keys_mod.load_keys(b_dir) is None and keys_mod.load_keys(c_dir) is None
    damaged = tmp_path / "damaged.selfeval-join"
    data = bytearray((tmp_path / "r.selfeval-join").read_bytes())
    data[200] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(own_devices.JoinError):
        own_devices.join(b_dir, damaged, info["school_fingerprint"], device_id="d")
    assert keys_mod.load_keys(b_dir) is None
    # joining twice with the same package finishes (or repeats) the join harmlessly
    own_devices.join(b_dir, tmp_path / "r.selfeval-join", info["school_fingerprint"], device_id="d")
    again = own_devices.join(b_dir, tmp_path / "r.selfeval-join", info["school_fingerprint"], device_id="d")
    assert again["report"]["already_imported"]


def _folder(pair, tmp_path):
    root = tmp_path / "OneDrive - Hwb" / "Rhannu"
    root.mkdir(parents=True)
    prepare_folder(root, pair.school)
    return root


def _edit_both(pair, b_dir):
    """Offline edits: a new private record on each laptop, a different field... and the same
    narrative on both (a real overlap)."""
    a, b = _store(pair.school), _store(b_dir, "device-B")
    try:
        on_a = a.create("evidence", {"date": "2026-11-03", "kind": "other", "title": {"cy": "Preifat A"}}, visibility="private")
        on_b = b.create("evidence", {"date": "2026-11-04", "kind": "other", "title": {"cy": "Preifat B"}}, visibility="private")
        evaluation = a.list("evaluation")[0]
        a.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn A", "en": "Version A"}})
        b.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn B", "en": "Version B"}})
        return on_a["id"], on_b["id"], evaluation["id"]
    finally:
        a.close()
        b.close()


def _sync_both(pair, b_dir, transport_a, transport_b, rounds=2):
    for _ in range(rounds):
        assert school_round(pair, transport_a)["ok"]
        assert round_for(b_dir, "device-B", transport_b)["ok"]


def _check_in_step(pair, b_dir, on_a, on_b, evaluation_id, la_transport):
    owner = keys_mod.require_keys(pair.school).identity_id
    on_b_laptop = school_records(b_dir, owner, include_deleted=True)
    on_a_laptop = school_records(pair.school, owner, include_deleted=True)
    # equal but for the record both edited: each laptop keeps its own text until someone decides
    assert on_b_laptop.keys() == on_a_laptop.keys()
    assert {k for k in on_a_laptop if on_a_laptop[k] != on_b_laptop[k]} == {evaluation_id}
    b = _store(b_dir, "device-B")
    a = _store(pair.school)
    try:
        assert b.get("evidence", on_a)["title"]["cy"] == "Preifat A"
        assert a.get("evidence", on_b)["title"]["cy"] == "Preifat B"
        for store in (a, b):
            [conflict] = apply.open_conflicts(store)  # "Needs a decision" on both laptops
            assert conflict["incoming"]["id"] == evaluation_id
        [conflict] = apply.open_conflicts(b)
        apply.resolve_conflict(b, conflict["conflict_id"], "incoming")  # B takes A's text
    finally:
        a.close()
        b.close()
    assert la_round(pair, la_transport)["ok"]
    held_by_la = school_records(pair.la, owner)
    assert held_by_la and on_a not in held_by_la and on_b not in held_by_la
    assert all(v[3] != "private" for v in held_by_la.values())


def test_two_laptops_in_step_through_a_folder(laptops, tmp_path):
    pair, b_dir = laptops
    root = _folder(pair, tmp_path)
    on_a, on_b, evaluation_id = _edit_both(pair, b_dir)
    _sync_both(pair, b_dir, FolderTransport(root, pair.school), FolderTransport(root, b_dir))
    _check_in_step(pair, b_dir, on_a, on_b, evaluation_id, FolderTransport(root, pair.la))
    _sync_both(pair, b_dir, FolderTransport(root, pair.school), FolderTransport(root, b_dir))
    owner = keys_mod.require_keys(pair.school).identity_id
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)
    a = _store(pair.school)
    try:
        assert a.get("evaluation", evaluation_id)["narrative"]["en"] == "Version A"
        assert apply.open_conflicts(a) == []  # B's decision settled A's copy of the conflict
    finally:
        a.close()
    # both directions in one round, and nothing left waiting afterwards
    a = _store(pair.school)
    try:
        from selfeval_app.exchange import sync_state

        assert [e for e in sync_state.outbox(a) if e["contact"] != keys_mod.require_keys(pair.la).identity_id] == []
    finally:
        a.close()
    assert not list((root / "inbox" / keys_mod.require_keys(b_dir).device.device_id).glob("*.selfeval-bundle"))


def test_two_laptops_in_step_through_webdav(laptops, tmp_path):
    pair, b_dir = laptops
    with webdav_server(tmp_path / "dav-root") as url:
        on_a, on_b, evaluation_id = _edit_both(pair, b_dir)
        transports = [WebDAVTransport(url, user, USERS[user]) for user in ("ysgol", "ysgol", "awdurdod")]
        try:
            _sync_both(pair, b_dir, transports[0], transports[1])
            _check_in_step(pair, b_dir, on_a, on_b, evaluation_id, transports[2])
        finally:
            for t in transports:
                t.close()


def _delete_share(data_dir, share, device):
    """Delete `share` of the school's live records that may be deleted (not the school profile)."""
    store = _store(data_dir, device)
    try:
        candidates = [r for t in ("evidence", "action") for r in store.list(t)]
        total = sum(
            store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE owner = ? AND deleted = 0', (store.owner,)).fetchone()[0]
            for t in rt.RECORD_TYPES
        )
        count = int(total * share)
        assert count <= len(candidates)
        for rec in candidates[:count]:
            store.delete(rec["type"], rec["id"])
        return count, total
    finally:
        store.close()


def test_the_guard_holds_a_bundle_deleting_more_than_a_tenth_until_confirmed(laptops, tmp_path):
    pair, b_dir = laptops
    root = _folder(pair, tmp_path)
    ta, tb = FolderTransport(root, pair.school), FolderTransport(root, b_dir)
    _sync_both(pair, b_dir, ta, tb, rounds=1)
    owner = keys_mod.require_keys(pair.school).identity_id
    deleted, total = _delete_share(pair.school, 0.11, "device-S")
    assert deleted > total / 10
    before = school_records(b_dir, owner, include_deleted=True)
    assert school_round(pair, ta)["ok"]
    result = round_for(b_dir, "device-B", tb)
    assert result["ok"] and result["held"] == 1 and result["imported"] == 0
    assert school_records(b_dir, owner, include_deleted=True) == before  # nothing applied
    # declined (nothing done): still held on the next rounds, and no receipt went back
    for _ in range(2):
        assert school_round(pair, ta)["ok"]
        assert round_for(b_dir, "device-B", tb)["held"] == 1
    assert school_records(b_dir, owner, include_deleted=True) == before
    b = _store(b_dir, "device-B")
    try:
        [held] = inbox.held(b)
        assert held["deleting"] == deleted and held["total"] == total
        assert inbox.confirm_held(b) == 1
    finally:
        b.close()
    result = round_for(b_dir, "device-B", tb)
    assert result["imported"] == 1 and result["held"] == 0
    assert school_round(pair, ta)["ok"]
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)


def test_the_guard_lets_a_tenth_or_less_through(laptops, tmp_path):
    pair, b_dir = laptops
    root = _folder(pair, tmp_path)
    ta, tb = FolderTransport(root, pair.school), FolderTransport(root, b_dir)
    owner = keys_mod.require_keys(pair.school).identity_id
    deleted, total = _delete_share(pair.school, 0.10, "device-S")
    assert 0 < deleted <= total / 10
    _sync_both(pair, b_dir, ta, tb, rounds=2)
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)


def test_the_guard_on_the_command_line(laptops, tmp_path, capsys):
    pair, b_dir = laptops
    deleted, total = _delete_share(pair.school, 0.2, "device-S")
    out = tmp_path / "own.selfeval-bundle"
    assert main(["bundle", "export", "--own-laptops", "--out", str(out), "--data-dir", str(pair.school)]) == 0
    owner = keys_mod.require_keys(pair.school).identity_id
    before = school_records(b_dir, owner, include_deleted=True)
    capsys.readouterr()
    assert main(["--lang", "en", "bundle", "import", str(out), "--data-dir", str(b_dir)]) != 0
    err = capsys.readouterr().err
    assert f"{deleted}" in err and "--allow-mass-delete" in err and "Traceback" not in err
    assert school_records(b_dir, owner, include_deleted=True) == before
    b = _store(b_dir, "device-B")
    try:
        with pytest.raises(MassDeleteHeld):
            import_bundle(b, keys_mod.require_keys(b_dir), out)
    finally:
        b.close()
    assert main(["bundle", "import", "--allow-mass-delete", str(out), "--data-dir", str(b_dir)]) == 0
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)


def test_pairing_through_the_sync_folder_with_the_commands(pair, tmp_path, capsys):
    root = _folder(pair, tmp_path)
    b_dir = tmp_path / "B"
    assert main(["--lang", "en", "keys", "join-request", "--sync-folder", str(root), "--data-dir", str(b_dir)]) == 0
    out = capsys.readouterr().out
    fp = next(w.rstrip(".") for w in out.split() if w.count("-") == 4 and len(w.rstrip(".")) == 24)
    assert main(["sync", "setup", "folder", str(root), "--data-dir", str(pair.school)]) == 0
    assert main(["--lang", "en", "keys", "add-device", "--fingerprint", fp, "--data-dir", str(pair.school)]) == 0
    out = capsys.readouterr().out
    school_fp = out.strip().split()[-1].rstrip(".")
    assert school_fp == keys_mod.require_keys(pair.school).fingerprint()
    assert main(["keys", "join", "--fingerprint", school_fp, "--sync-folder", str(root), "--data-dir", str(b_dir)]) == 0
    assert main(["keys", "laptops", "--json", "--data-dir", str(b_dir)]) == 0
    assert '"this_laptop": true' in capsys.readouterr().out
    b = _store(b_dir, "device-B")
    try:
        b.create("evidence", {"date": "2026-11-05", "kind": "other", "title": {"cy": "O B"}})
    finally:
        b.close()
    assert main(["sync", "--data-dir", str(b_dir)]) == 0
    assert main(["sync", "--data-dir", str(pair.school)]) == 0
    owner = keys_mod.require_keys(pair.school).identity_id
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)
    assert main(["sync", "status", "--json", "--data-dir", str(pair.school)]) == 0
    assert '"own_laptop": true' in capsys.readouterr().out


def test_a_lost_laptop_removed_on_one_is_removed_on_the_other_and_refused(pair, tmp_path):
    b_dir, c_dir = tmp_path / "B", tmp_path / "C"
    join_by_file(pair, b_dir)
    root = _folder(pair, tmp_path)
    ta, tb = FolderTransport(root, pair.school), FolderTransport(root, b_dir)
    # a third laptop, added on A: B learns it from A's device list in the sync place
    request = own_devices.make_request(c_dir)
    a = _store(pair.school)
    try:
        ka = keys_mod.require_keys(pair.school)
        entry = own_devices.add_device(ka, request, own_devices.request_fingerprint(request))
        own_devices.write_package(a, ka, entry["device_id"], tmp_path / "c.selfeval-join")
    finally:
        a.close()
    c_id = entry["device_id"]
    _sync_both(pair, b_dir, ta, tb, rounds=1)
    assert c_id in {d["device_id"] for d in keys_mod.require_keys(b_dir).devices}
    # C is lost: removed on B; A learns it, and neither sends C anything more
    b = _store(b_dir, "device-B")
    try:
        own_devices.remove_device(b, keys_mod.require_keys(b_dir), c_id)
    finally:
        b.close()
    _sync_both(pair, b_dir, ta, tb, rounds=2)
    assert next(d for d in keys_mod.require_keys(pair.school).devices if d["device_id"] == c_id)["removed"]
    package = own_devices.read_package(c_dir, tmp_path / "c.selfeval-join")
    own_devices.join(c_dir, package.path, package.school_fingerprint, device_id="device-C")
    c = _store(c_dir, "device-C")
    try:
        c.create("evidence", {"date": "2026-11-05", "kind": "other", "title": {"cy": "O C"}})
        kc = keys_mod.require_keys(c_dir)
        from selfeval_app.exchange.bundle_write import Recipient, write_bundle

        write_bundle(c, kc, Recipient.own_devices(kc), tmp_path / "from-c.selfeval-bundle")
    finally:
        c.close()
    a = _store(pair.school)
    try:
        with pytest.raises(BundleRefused) as refused:
            import_bundle(a, keys_mod.require_keys(pair.school), tmp_path / "from-c.selfeval-bundle")
        assert refused.value.reason == errors.REMOVED_DEVICE
        assert [t.identity_id for t in own_devices.sync_targets(keys_mod.require_keys(pair.school))] == [keys_mod.require_keys(b_dir).device.device_id]
    finally:
        a.close()


def test_removing_a_laptop_drops_what_waits_for_it(laptops, tmp_path):
    from selfeval_app.exchange import outbox, sync_state

    pair, b_dir = laptops
    b_id = keys_mod.require_keys(b_dir).device.device_id
    a = _store(pair.school)
    try:
        ka = keys_mod.require_keys(pair.school)
        a.create("evidence", {"date": "2026-11-06", "kind": "other", "title": {"cy": "Newydd"}})
        assert outbox.make_bundles(a, ka) >= 1
        [waiting] = [e for e in sync_state.outbox(a) if e["contact"] == b_id]
        own_devices.remove_device(a, ka, b_id)
        assert [e for e in sync_state.outbox(a) if e["contact"] == b_id] == []
        assert [f"inbox/{b_id}", waiting["name"]] in sync_state.cleanup(a)
        assert not (outbox.outbox_dir(a) / waiting["name"]).exists()
        assert outbox.make_bundles(a, ka) == 0 or all(e["contact"] != b_id for e in sync_state.outbox(a))
    finally:
        a.close()


def test_a_device_list_counts_only_when_signed_by_one_of_our_laptops(laptops, tmp_path):
    pair, b_dir = laptops
    ka, kb = keys_mod.require_keys(pair.school), keys_mod.require_keys(b_dir)
    # a stranger's card claiming our identity, listing itself and marking B removed
    stranger = keys_mod.DeviceKeys.generate()
    body = {
        "format": keys_mod.CARD_FORMAT,
        "format_version": keys_mod.CARD_VERSION,
        "identity": {k: v for k, v in ka.identity.items() if k != "devices"},
        "devices": [dict(d, removed=d["device_id"] == kb.device.device_id) for d in ka.devices] + [stranger.public_entry()],
        "signed_by": stranger.device_id,
    }
    from selfeval_app.exchange.canonical import canonical_bytes

    forged = {**body, "signature": stranger.sign(canonical_bytes(body))}
    assert not own_devices.merge_card(ka, forged)
    assert {d["device_id"]: d["removed"] for d in keys_mod.require_keys(pair.school).devices} == {d["device_id"]: False for d in ka.devices}
    # a device list signed by B (one of ours) counts: the device it adds is added here
    card = kb.card()
    card_body = {k: v for k, v in card.items() if k != "signature"}
    card_body["devices"] = [dict(d) for d in card_body["devices"]] + [stranger.public_entry()]
    signed = {**card_body, "signature": kb.device.sign(canonical_bytes(card_body))}
    assert own_devices.merge_card(ka, signed)
    assert stranger.device_id in {d["device_id"] for d in keys_mod.require_keys(pair.school).devices}


def test_pairing_through_the_webdav_server_with_the_commands(pair, tmp_path, capsys, monkeypatch):
    import keyring.core
    from test_sync_webdav import MemoryKeyring

    monkeypatch.setattr(keyring.core, "_keyring_backend", MemoryKeyring())  # put back as it was
    monkeypatch.setenv("SELFEVAL_WEBDAV_PASSWORD", USERS["ysgol"])
    b_dir = tmp_path / "B"
    with webdav_server(tmp_path / "dav-root") as url:
        assert main(["sync", "setup", "webdav", url, "--user", "ysgol", "--data-dir", str(pair.school)]) == 0
        assert main(["--lang", "en", "keys", "join-request", "--sync-webdav", url, "--user", "ysgol", "--data-dir", str(b_dir)]) == 0
        out = capsys.readouterr().out
        fp = next(w.rstrip(".") for w in out.split() if w.count("-") == 4 and len(w.rstrip(".")) == 24)
        assert main(["--lang", "en", "keys", "add-device", "--fingerprint", fp, "--data-dir", str(pair.school)]) == 0
        school_fp = capsys.readouterr().out.strip().split()[-1].rstrip(".")
        # a wrong school fingerprint on the new laptop: refused, nothing changed
        assert main(["keys", "join", "--fingerprint", "AAAA-BBBB-CCCC-DDDD-EEEE", "--sync-webdav", url, "--user", "ysgol", "--data-dir", str(b_dir)]) != 0
        assert keys_mod.load_keys(b_dir) is None
        assert main(["keys", "join", "--fingerprint", school_fp, "--sync-webdav", url, "--user", "ysgol", "--data-dir", str(b_dir)]) == 0
        b = _store(b_dir, "device-B")
        try:
            b.create("evidence", {"date": "2026-11-07", "kind": "other", "title": {"cy": "Preifat o B"}}, visibility="private")
        finally:
            b.close()
        for data in (b_dir, pair.school, b_dir):
            assert main(["sync", "--data-dir", str(data)]) == 0
    owner = keys_mod.require_keys(pair.school).identity_id
    assert school_records(b_dir, owner, include_deleted=True) == school_records(pair.school, owner, include_deleted=True)


def test_what_the_la_sends_reaches_both_laptops_before_it_counts_as_delivered(laptops, tmp_path):
    from selfeval_app.exchange import contacts, sync_state

    pair, b_dir = laptops
    root = _folder(pair, tmp_path)
    ta, tb, tl = FolderTransport(root, pair.school), FolderTransport(root, b_dir), FolderTransport(root, pair.la)
    la = RecordStore(open_database(pair.la), device_id="device-L")
    try:  # the LA was given the school's new card (it lists both laptops)
        card = keys_mod.require_keys(pair.school).card()
        contacts.trust(la, keys_mod.require_keys(pair.la), card, keys_mod.fingerprint(card))
        note = la.create("evidence", {"date": "2026-11-08", "kind": "other", "title": {"cy": "Nodyn gan yr awdurdod"}}, visibility="la")
    finally:
        la.close()
    assert la_round(pair, tl)["bundles_made"] == 1
    assert school_round(pair, ta)["imported"] == 1
    assert la_round(pair, tl)["acknowledged"] == 0  # only one of the school's two laptops has it
    assert round_for(b_dir, "device-B", tb)["imported"] == 1
    assert la_round(pair, tl)["acknowledged"] == 1
    for data in (pair.school, b_dir):
        store = _store(data, "x")
        try:
            assert store.get("evidence", note["id"])["title"]["cy"] == "Nodyn gan yr awdurdod"
        finally:
            store.close()
    la = RecordStore(open_database(pair.la), device_id="device-L")
    try:
        assert sync_state.outbox(la) == []
    finally:
        la.close()
    for _ in range(2):
        school_round(pair, ta)
        round_for(b_dir, "device-B", tb)
        la_round(pair, tl)
    leftovers = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert all(p == "selfeval-sync.json" or p.startswith("cards/") for p in leftovers), leftovers
