"""Sync over a real folder: school -> LA, the LA's signed receipt -> school, and the folder's
bad days (gone, unmounted, placeholders, copies)."""

from __future__ import annotations

import shutil

import pytest
from sync_helpers import count_foreign, la_round, school_round

from selfeval_app.core import record_types as rt
from selfeval_app.core import share_ledger
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange import receipts, sync_state, transport_folder
from selfeval_app.exchange.transport import SyncSetupError
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder


@pytest.fixture
def folder(pair, tmp_path):
    root = tmp_path / "OneDrive - Hwb" / "Rhannu"
    root.mkdir(parents=True)
    prepare_folder(root, pair.school)
    return root


def _ids(pair):
    return keys_mod.require_keys(pair.school).identity_id, keys_mod.require_keys(pair.la).identity_id


def _bundles(folder, la_id):
    return sorted(p.name for p in (folder / "inbox" / la_id).glob("*.selfeval-bundle"))


def _ledger(pair, la_id):
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        return share_ledger.sent_to(store, la_id)
    finally:
        store.close()


def _edit_shared_record(pair):
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        for t in rt.RECORD_TYPES.values():
            rows = store.list(t.name, where="visibility = 'la' AND owner = ?", params=(store.owner,))
            for rec in rows:
                store.set_visibility(t.name, rec["id"], "peers")
                return store.set_visibility(t.name, rec["id"], "la")
        raise AssertionError("the example school shares nothing with its LA")
    finally:
        store.close()


def test_school_to_la_and_receipt_back(pair, folder):
    school_id, la_id = _ids(pair)
    t = FolderTransport(folder, pair.school)
    first = school_round(pair, t)
    assert first["ok"] and first["bundles_made"] == 1 and first["bundles_put"] == 1
    assert len(_bundles(folder, la_id)) == 1
    assert _ledger(pair, la_id) == {}, "nothing is delivered before the receipt comes back"

    got = la_round(pair, FolderTransport(folder, pair.la))
    assert got["ok"] and got["imported"] == 1 and got["receipts_written"] == 1
    shared = count_foreign(pair.la, school_id)
    assert shared > 0
    assert len(list((folder / "receipts" / school_id).glob("*.selfeval-receipt"))) == 1

    back = school_round(pair, t)
    assert back["ok"] and back["acknowledged"] == 1 and back["bundles_made"] == 0
    assert len(_ledger(pair, la_id)) == shared
    assert _bundles(folder, la_id) == [], "an acknowledged bundle is deleted by its sender"
    la_round(pair, FolderTransport(folder, pair.la))  # the LA sees it gone and removes its receipt
    assert list((folder / "receipts" / school_id).glob("*")) == []
    again = school_round(pair, t)
    assert again["ok"] and again["bundles_made"] == 0 and again["bundles_put"] == 0


def test_unacknowledged_bundle_is_sent_again_cumulatively(pair, folder):
    school_id, la_id = _ids(pair)
    t = FolderTransport(folder, pair.school)
    school_round(pair, t)
    first = _bundles(folder, la_id)
    (folder / "inbox" / la_id / first[0]).unlink()  # lost on the way (not ours to decide why)
    again = school_round(pair, t)
    assert again["bundles_made"] == 0 and again["bundles_put"] == 1, "the waiting bundle is put back"
    _edit_shared_record(pair)
    third = school_round(pair, t)
    assert third["bundles_made"] == 1, "a change not in a waiting bundle makes a new cumulative one"
    assert len(_bundles(folder, la_id)) == 2
    la = la_round(pair, FolderTransport(folder, pair.la))
    assert la["imported"] + la["superseded"] + la["duplicates"] == 2 and la["refused"] == []
    shared = count_foreign(pair.la, school_id)
    back = school_round(pair, t)
    assert back["acknowledged"] >= 1
    assert _bundles(folder, la_id) == [], "older waiting bundles are covered by the newer one"
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        assert sync_state.outbox(store) == []
    finally:
        store.close()
    assert len(_ledger(pair, la_id)) == shared


def test_both_directions_in_one_round(pair, folder):
    _, la_id = _ids(pair)
    t = FolderTransport(folder, pair.school)
    school_round(pair, t)
    la_round(pair, FolderTransport(folder, pair.la))
    _edit_shared_record(pair)
    both = school_round(pair, t)
    assert both["ok"] and both["bundles_made"] == 1 and both["acknowledged"] == 1
    assert len(_bundles(folder, la_id)) == 1


def test_copies_of_a_bundle_are_imported_once(pair, folder):
    school_id, la_id = _ids(pair)
    school_round(pair, FolderTransport(folder, pair.school))
    [name] = _bundles(folder, la_id)
    box = folder / "inbox" / la_id
    stem = name.removesuffix(".selfeval-bundle")
    shutil.copy(box / name, box / f"{stem} (1).selfeval-bundle")  # a cloud client's conflict copy
    shutil.copy(box / name, box / "copy of the bundle.selfeval-bundle")  # copied by hand
    got = la_round(pair, FolderTransport(folder, pair.la))
    assert got["ok"] and got["imported"] == 1 and got["duplicates"] == 2 and got["refused"] == []
    assert len(list((folder / "receipts" / school_id).glob("*"))) == 1
    assert la_round(pair, FolderTransport(folder, pair.la))["imported"] == 0


def test_missing_or_unmounted_folder_means_try_later(pair, folder, tmp_path):
    _, la_id = _ids(pair)
    t = FolderTransport(folder, pair.school)
    school_round(pair, t)
    away = tmp_path / "unplugged"
    folder.rename(away)
    gone = la_round(pair, FolderTransport(folder, pair.la))
    assert not gone["ok"] and "cannot be reached" in gone["error"]
    folder.mkdir()  # an empty mount point left behind: not an empty inbox
    empty = la_round(pair, FolderTransport(folder, pair.la))
    assert not empty["ok"]
    assert list(folder.iterdir()) == [], "nothing is written into an unmounted mount point"
    store = RecordStore(open_database(pair.la), device_id="device-L")
    try:
        status = sync_state.status(store)
        assert status["failures"] == 2 and status["next_try"] and status["last_error"]["message_id"]
    finally:
        store.close()
    folder.rmdir()
    away.rename(folder)
    back = la_round(pair, FolderTransport(folder, pair.la))
    assert back["ok"] and back["imported"] == 1
    assert len(_bundles(folder, la_id)) == 1, "nothing was deleted meanwhile"


class VanishingFolder(FolderTransport):
    """A real folder that really disappears (renamed away, as a pulled USB stick) after a number
    of transport operations: the fault is real, only its moment is chosen."""

    def __init__(self, root, data_dir, after, away):
        super().__init__(root, data_dir)
        self.left, self.away = after, away

    def _tick(self):
        self.left -= 1
        if self.left == 0:
            self.root.rename(self.away)

    def list(self, place, suffix):
        self._tick()
        return super().list(place, suffix)

    def read(self, place, name, dest):
        self._tick()
        return super().read(place, name, dest)

    def write(self, place, name, source):
        self._tick()
        return super().write(place, name, source)


@pytest.mark.parametrize("after", [1, 2, 3, 4])
def test_folder_vanishing_mid_round_loses_nothing(pair, folder, tmp_path, after):
    school_id, la_id = _ids(pair)
    school_round(pair, FolderTransport(folder, pair.school))
    away = tmp_path / "pulled"
    got = la_round(pair, VanishingFolder(folder, pair.la, after, away))
    if away.exists():
        assert not got["ok"]
        away.rename(folder)
    assert len(_bundles(folder, la_id)) == 1
    for _ in range(2):
        la_round(pair, FolderTransport(folder, pair.la))
        school_round(pair, FolderTransport(folder, pair.school))
    assert _bundles(folder, la_id) == []
    assert len(_ledger(pair, la_id)) == count_foreign(pair.la, school_id) > 0


def test_placeholders_are_left_for_later(pair, folder, tmp_path, monkeypatch):
    school_id, la_id = _ids(pair)
    school_round(pair, FolderTransport(folder, pair.school))
    [name] = _bundles(folder, la_id)
    real = tmp_path / "real"
    box = folder / "inbox" / la_id
    shutil.move(box / name, real)
    (box / name).write_bytes(b"")  # a Files On-Demand placeholder as Linux sees it: size 0
    first = la_round(pair, FolderTransport(folder, pair.la))
    assert first["ok"] and first["waiting"] == 1 and first["imported"] == 0

    # A file that cannot be read whole (a placeholder whose download fails half-way): injected
    # at the one place sync files are opened, since Linux has no such file of its own.
    shutil.copy(real, box / name)

    class Half:
        def __init__(self, path):
            self.f = open(path, "rb")
            self.left = path.stat().st_size // 2

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def read(self, n):
            data = self.f.read(min(n, self.left))
            self.left -= len(data)
            return data

    monkeypatch.setattr(transport_folder, "_open_for_read", Half)
    second = la_round(pair, FolderTransport(folder, pair.la))
    assert second["ok"] and second["waiting"] == 1 and second["imported"] == 0
    monkeypatch.undo()
    third = la_round(pair, FolderTransport(folder, pair.la))
    assert third["imported"] == 1 and count_foreign(pair.la, school_id) > 0


def test_forged_receipt_is_ignored(pair, folder):
    school_id, la_id = _ids(pair)
    school_round(pair, FolderTransport(folder, pair.school))
    [name] = _bundles(folder, la_id)
    bundle_id = name.removesuffix(".selfeval-bundle")
    school_keys = keys_mod.require_keys(pair.school)
    forged = receipts.make_receipt(school_keys, bundle_id=bundle_id, sender_identity=school_id)
    place = folder / "receipts" / school_id
    place.mkdir(parents=True)
    (place / receipts.receipt_name(bundle_id)).write_bytes(forged)  # signed, but not by the LA
    got = school_round(pair, FolderTransport(folder, pair.school))
    assert got["ok"] and got["acknowledged"] == 0
    assert _ledger(pair, la_id) == {} and len(_bundles(folder, la_id)) == 1


def test_setup_refuses_a_folder_holding_the_data(pair, tmp_path):
    with pytest.raises(SyncSetupError):
        prepare_folder(pair.school.parent, pair.school)
    with pytest.raises(SyncSetupError):
        prepare_folder(pair.school, pair.school)
    with pytest.raises(SyncSetupError):
        prepare_folder(tmp_path / "no such folder", pair.school)


def test_bundle_from_a_sender_not_yet_trusted_is_imported_once_trusted(pair, folder):
    from selfeval_app.exchange import contacts

    school_id, _ = _ids(pair)
    school_round(pair, FolderTransport(folder, pair.school))
    store = RecordStore(open_database(pair.la), device_id="device-L")
    try:
        card = contacts.get(store, school_id).card
        contacts.remove(store, school_id)
    finally:
        store.close()
    first = la_round(pair, FolderTransport(folder, pair.la))
    assert first["ok"] and first["imported"] == 0 and len(first["refused"]) == 1
    store = RecordStore(open_database(pair.la), device_id="device-L")
    try:
        la_keys = keys_mod.require_keys(pair.la)
        contacts.trust(store, la_keys, card, keys_mod.fingerprint(card))
    finally:
        store.close()
    second = la_round(pair, FolderTransport(folder, pair.la))
    assert second["imported"] == 1 and count_foreign(pair.la, school_id) > 0


def test_a_waiting_bundle_lost_everywhere_is_made_again(pair, folder):
    from selfeval_app.exchange.outbox import outbox_dir

    school_id, la_id = _ids(pair)
    t = FolderTransport(folder, pair.school)
    school_round(pair, t)
    [name] = _bundles(folder, la_id)
    (folder / "inbox" / la_id / name).unlink()
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        (outbox_dir(store) / name).unlink()  # as after restoring a backup made before it
    finally:
        store.close()
    school_round(pair, t)
    again = school_round(pair, t)
    assert again["bundles_made"] == 1 and len(_bundles(folder, la_id)) == 1
    la_round(pair, FolderTransport(folder, pair.la))
    school_round(pair, t)
    assert len(_ledger(pair, la_id)) == count_foreign(pair.la, school_id) > 0


def test_sync_sends_nothing_to_a_reviewer_on_its_own(pair, folder, tmp_path):
    import uuid

    from selfeval_app.exchange import contacts

    reviewer = keys_mod.create_identity(
        tmp_path / "R", identity_id=str(uuid.uuid4()), role="reviewer",
        name={"cy": "Adolygydd", "en": "Reviewer"}, la_code=669, example=True,
    )
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        contacts.trust(store, keys_mod.require_keys(pair.school), reviewer.card(), reviewer.fingerprint())
    finally:
        store.close()
    got = school_round(pair, FolderTransport(folder, pair.school))
    assert got["ok"] and got["bundles_made"] == 1, "the LA's bundle only"
    assert not (folder / "inbox" / reviewer.identity_id).exists()
