"""A head reviewing from their own school's laptop (issue 12, item 3.1): a reviewer identity in
the same data folder, with keys of its own under `keys/identities/<id>/`. The school's bundles
never carry what the head wrote as a reviewer, and the reviewer's bundles nothing of the school;
each side's records are read-only at the other's."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from selfeval_app.core import peer_review_reviewer as rv
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import build_example_school
from selfeval_app.core.demo_review import question_id, visit_id
from selfeval_app.core.records import ReadOnlyRecordError, RecordStore
from selfeval_app.exchange import contacts, identity_keys, keys
from selfeval_app.exchange.bundle_read import read_bundle
from selfeval_app.exchange.bundle_write import Recipient, plan_bundle, write_bundle
from selfeval_app.exchange.visit_bundle import plan_visit_bundle

HEAD = {"cy": "Ann Jones (Ysgol Gynradd Cwm Glas)", "en": "Ann Jones (Cwm Glas Primary School)"}


def _school_laptop(path: Path) -> None:
    """Another (example-marked) school: its own records, owned by its primary identity."""
    db = open_database(path)
    try:
        store = RecordStore(db, device_id="device-S")
        store.create("school", {"name": {"cy": "Ysgol Gynradd Cwm Glas", "en": "Cwm Glas Primary School"}, "la_code": 667, "writes_in": "both"}, visibility="la")
        store.create("evidence", {"date": "2026-11-02", "kind": "other", "title": {"cy": "Tystiolaeth yr ysgol"}}, visibility="peers")
        db.conn.execute("BEGIN IMMEDIATE")
        db.set_meta("is_example", "1")
        db.conn.execute("COMMIT")
    finally:
        db.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    root = tmp_path_factory.mktemp("reviewer-identity")
    build_example_school(root / "H", device_id="device-H")
    _school_laptop(root / "S")
    return root


@pytest.fixture
def laptops(template, tmp_path):
    shutil.copytree(template / "H", tmp_path / "H")
    shutil.copytree(template / "S", tmp_path / "S")
    h = RecordStore(open_database(tmp_path / "H"), device_id="device-H")
    s = RecordStore(open_database(tmp_path / "S"), device_id="device-S")
    yield h, s
    h.close()
    s.close()


def _ids(path, store, k):
    bundle = read_bundle(store, k, path)
    try:
        return {r["id"]: r for r in bundle.records}
    finally:
        bundle.close()


def test_the_reviewer_identity_has_keys_of_its_own(laptops):
    _h, s = laptops
    school_keys = keys.ensure_identity(s)
    assert rv.reviewer_identity(s) is None and not rv.has_reviewer_side(s)
    reviewer = identity_keys.become_reviewer(s, HEAD)
    rid = reviewer.identity_id
    assert rid != school_keys.identity_id and rid in s.identity_ids
    assert rv.reviewer_identity(s) == rid and rv.has_reviewer_side(s)
    folder = s.db.data_dir / "keys" / "identities" / rid
    assert stat.S_IMODE((folder / "device.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # The primary's keys are unchanged; each identity's are found by id.
    assert keys.load_keys(s.db.data_dir).identity_id == school_keys.identity_id
    assert keys.load_keys(s.db.data_dir, rid).device.device_id == reviewer.device.device_id
    assert keys.load_keys(s.db.data_dir, school_keys.identity_id).identity_id == school_keys.identity_id
    assert [k.identity_id for k in identity_keys.all_keys(s.db.data_dir)] == [school_keys.identity_id, rid]
    card = reviewer.card()
    assert card["identity"]["role"] == "reviewer" and card["identity"]["name"] == HEAD
    assert keys.verify_card(card) and keys.fingerprint(card) != school_keys.fingerprint()
    # Asked again, the same identity.
    assert identity_keys.become_reviewer(s, HEAD).identity_id == rid
    assert identity_keys.keys_as(s, "reviewer").identity_id == rid
    assert identity_keys.keys_as(s, None).identity_id == school_keys.identity_id
    with pytest.raises(ValueError):
        identity_keys.identity_dir(s.db.data_dir, "../escape")


def test_a_visit_reviewed_from_the_school_laptop_never_mixes_the_two(laptops, tmp_path):
    h, s = laptops
    kh = keys.ensure_identity(h)
    ks = keys.ensure_identity(s)
    kr = identity_keys.become_reviewer(s, HEAD)
    contacts.trust(h, kh, kr.card(), kr.fingerprint())
    contacts.trust(h, kh, ks.card(), ks.fingerprint())
    contacts.trust(s, ks, kh.card(), kh.fingerprint())
    visit = h.get("review_visit", visit_id())
    h.update("review_visit", visit["id"], {"team": [{"identity_id": kr.identity_id, "name": "Ann Jones", "role": "lead"}]})

    # The pack is sealed to the reviewer identity; the import finds the key that opens it.
    to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
    pack = tmp_path / "pack.selfeval-bundle"
    write_bundle(h, kh, to_reviewer, pack, plan_visit_bundle(h, kh, to_reviewer, visit["id"]))
    report = identity_keys.import_bundle_any(s, pack)
    assert report["new"]
    [held] = rv.visits_reviewed(s)
    assert held.id == visit["id"] and held.host_name["en"] == "Ysgol Gymraeg Bro’r Wennol"

    # The head writes as the reviewer identity.
    note = rv.save_note(s, visit["id"], None, {"kind": "learning_walk", "time": "2026-12-02T09:00", "text": {"cy": "Taith", "en": "Walk"}, "question_ids": [question_id("reading")]})
    finding = rv.save_finding(s, visit["id"], question_id("reading"), None, {"strengths": {"cy": "Cryf", "en": "Strong"}, "note_ids": [note["id"]]})
    assert note["owner"] == kr.identity_id and finding["owner"] == kr.identity_id
    assert finding["authors"] == ["Ann Jones"]
    note = rv.save_note(s, visit["id"], note["id"], {"place": "Yr iard"}, base_rev=note["rev"])
    assert note["rev"] == 2

    # The school's ordinary bundle to the host carries none of the reviewer's records ...
    school_to_host = Recipient.from_contact(contacts.get(s, kh.identity_id))
    contents = plan_bundle(s, ks, school_to_host)
    assert contents.records and all(r["owner"] == ks.identity_id for r in contents.records)
    assert not any(r["type"] in ("review_note", "review_finding") for r in contents.records)
    # ... and the reviewer's, by visit or ordinary, nothing of the school.
    for n in range(2):  # an ordinary bundle first, then the visit's (sent whole)
        planned = plan_visit_bundle(s, kr, school_to_host, visit["id"]) if n else None
        out = tmp_path / f"back{n}.selfeval-bundle"
        write_bundle(s, kr, school_to_host, out, planned)
        sent = _ids(out, h, kh)
        assert sent and all(r["owner"] == kr.identity_id for r in sent.values())
    assert set(_ids(tmp_path / "back1.selfeval-bundle", h, kh)) == {note["id"], finding["id"]}
    identity_keys.import_bundle_any(h, tmp_path / "back1.selfeval-bundle")
    assert h.get("review_finding", finding["id"])["strengths"]["en"] == "Strong"

    # The host's records cannot be changed at the reviewer's, by any identity; nor the reviewer's
    # at the host's.
    host_eval = s.list("evaluation", owners=kh.identity_id)[0]
    for who in (None, kr.identity_id):
        with pytest.raises(ReadOnlyRecordError):
            s.update("evaluation", host_eval["id"], {"narrative": {"en": "changed"}}, as_identity=who)
        with pytest.raises(ReadOnlyRecordError):
            s.update("review_visit", visit["id"], {"status": "closed"}, as_identity=who)
    with pytest.raises(ReadOnlyRecordError):
        h.update("review_finding", finding["id"], {"agreed": True})


def test_the_command_line_speaks_as_the_reviewer(template, tmp_path, capsys):
    from tests.exchange.test_exchange_cli import run, run_json

    h_dir, s_dir = tmp_path / "H", tmp_path / "S"
    shutil.copytree(template / "H", h_dir)
    shutil.copytree(template / "S", s_dir)
    code, _out, err = run(capsys, "bundle", "import", tmp_path / "none.selfeval-bundle", "--as", "reviewer", "--data-dir", s_dir)
    assert code != 0 and "peer reviewer identity" in err and "Traceback" not in err
    assert run(capsys, "keys", "reviewer", "--name-cy", HEAD["cy"], "--name-en", HEAD["en"], "--data-dir", s_dir)[0] == 0
    school = run_json(capsys, "keys", "show", "--data-dir", s_dir)
    reviewer = run_json(capsys, "keys", "show", "--as", "reviewer", "--data-dir", s_dir)
    assert school["role"] == "school" and reviewer["role"] == "reviewer" and reviewer["id"] != school["id"]
    assert run(capsys, "keys", "card", "--as", "reviewer", "--out", tmp_path / "r.card", "--data-dir", s_dir)[0] == 0
    assert run(capsys, "keys", "card", "--out", tmp_path / "h.card", "--data-dir", h_dir)[0] == 0
    host = run_json(capsys, "keys", "show", "--data-dir", h_dir)
    assert run(capsys, "keys", "trust", tmp_path / "r.card", "--fingerprint", reviewer["fingerprint"], "--data-dir", h_dir)[0] == 0
    assert run(capsys, "keys", "trust", tmp_path / "h.card", "--fingerprint", host["fingerprint"], "--data-dir", s_dir)[0] == 0
    db = open_database(h_dir)
    try:
        store = RecordStore(db, device_id="device-H")
        store.update("review_visit", visit_id(), {"team": [{"identity_id": reviewer["id"], "name": "Ann Jones", "role": "lead"}]})
    finally:
        db.close()
    pack = tmp_path / "pack.selfeval-bundle"
    code, _out, err = run(capsys, "bundle", "export", "--to", reviewer["fingerprint"], "--visit", visit_id(), "--out", pack, "--data-dir", h_dir)
    assert code == 0, err
    code, _out, err = run(capsys, "bundle", "import", pack, "--data-dir", s_dir)  # no --as: the key that opens it
    assert code == 0, err
    [visit] = run_json(capsys, "visit", "list", "--data-dir", s_dir)["visits"]
    assert visit["id"] == visit_id() and not visit["ours"]
    # The head's finding, written as the reviewer identity, is marked agreed by `visit agree`.
    db = open_database(s_dir)
    try:
        store = RecordStore(db, device_id="device-S")
        finding = rv.save_finding(store, visit_id(), question_id("reading"), None, {"strengths": {"en": "Strong"}})
    finally:
        db.close()
    code, _out, err = run(capsys, "visit", "agree", visit_id(), "--date", "2026-12-10", "--data-dir", s_dir)
    assert code == 0, err
    db = open_database(s_dir)
    try:
        agreed = RecordStore(db, device_id="device-S").get("review_finding", finding["id"])
    finally:
        db.close()
    assert agreed["agreed"] and agreed["agreed_on"] == "2026-12-10" and agreed["owner"] == reviewer["id"]


def test_a_team_member_sends_notes_to_the_lead(laptops, tmp_path):
    """The example reviewer is a team member; the head's reviewer identity leads. The member's
    notes reach the lead (read-only there), never their findings, nothing of another owner."""
    from selfeval_app import reviewer_views
    from selfeval_app.exchange.bundle_import import import_bundle
    from selfeval_app.exchange.setup_reviewer import demo_reviewer

    h, s = laptops
    demo_reviewer(tmp_path / "R", device_id="device-R")
    r = RecordStore(open_database(tmp_path / "R"), device_id="device-R")
    try:
        kh, kr_member = keys.ensure_identity(h), keys.require_keys(tmp_path / "R")
        ks = keys.ensure_identity(s)
        lead = identity_keys.become_reviewer(s, HEAD)
        for store, own, card in ((h, kh, lead.card()), (h, kh, kr_member.card()), (s, ks, kh.card()), (s, ks, kr_member.card()), (r, kr_member, lead.card()), (r, kr_member, kh.card())):
            contacts.trust(store, own, card, keys.fingerprint(card))
        h.update("review_visit", visit_id(), {"team": [
            {"identity_id": lead.identity_id, "name": "Ann Jones", "role": "lead"},
            {"identity_id": kr_member.identity_id, "name": "Mr Huw Bowen", "role": "reviewer"},
        ]})
        for who in (lead, kr_member):
            to = Recipient.from_contact(contacts.get(h, who.identity_id))
            pack = tmp_path / f"pack-{who.identity_id}.b"
            write_bundle(h, kh, to, pack, plan_visit_bundle(h, kh, to, visit_id()))
        import_bundle(r, kr_member, tmp_path / f"pack-{kr_member.identity_id}.b")
        identity_keys.import_bundle_any(s, tmp_path / f"pack-{lead.identity_id}.b")

        out = tmp_path / "to-lead.b"
        written = reviewer_views.write_to_host(r, visit_id(), out, to="lead")
        reviewer_views.note_sent(r, written)
        assert written.recipient_id == lead.identity_id and written.records == 5
        identity_keys.import_bundle_any(s, out)
        ws = rv.workspace(s, visit_id())
        members = [n for n in ws.notes if n["owner"] == kr_member.identity_id]
        assert len(members) == 5 and not [f for f in ws.findings if f["owner"] == kr_member.identity_id]
        with pytest.raises(ReadOnlyRecordError):
            s.update("review_note", members[0]["id"], {"place": "x"}, as_identity=lead.identity_id)
    finally:
        r.close()


def test_backups_carry_the_reviewer_identitys_keys(laptops, tmp_path):
    """Format 3: keys/identities/<id>/ go into the backup beside the primary's and come back on a
    restore into an empty folder; a folder's own reviewer device keeps its keys; a backup without
    other identities stays format 2; crafted members for an identity the database does not have
    are refused before anything changes."""
    import json
    import zipfile

    from selfeval_app.core.backup import make_backup, read_manifest, restore
    from selfeval_app.core.errors import UserFacingError

    _h, s = laptops
    keys.ensure_identity(s)
    plain = make_backup(s.db.data_dir, tmp_path / "plain.zip")
    assert read_manifest(plain)["format_version"] == 2
    reviewer = identity_keys.become_reviewer(s, HEAD)
    rid = reviewer.identity_id
    backup = make_backup(s.db.data_dir, tmp_path / "with-reviewer.zip")
    manifest = read_manifest(backup)
    assert manifest["format_version"] == 3
    assert {f"keys/identities/{rid}/device.json", f"keys/identities/{rid}/identity.json"} <= set(manifest["files"])

    fresh = tmp_path / "fresh" / "odd name"
    fresh.mkdir(parents=True)
    restore(fresh, backup, device_id="device-S2")
    back = keys.load_keys(fresh, rid)
    assert back is not None and back.device.device_id == reviewer.device.device_id
    assert keys.fingerprint(back.card()) == reviewer.fingerprint()
    assert stat.S_IMODE((fresh / "keys" / "identities" / rid / "device.json").stat().st_mode) == 0o600
    # Restored again over itself: the reviewer's keys are unchanged.
    restore(fresh, backup, device_id="device-S2")
    assert keys.load_keys(fresh, rid).device.device_id == reviewer.device.device_id

    # A crafted backup: the reviewer's key members renamed to an identity the database lacks.
    crafted = tmp_path / "crafted.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(crafted, "w") as dst:
        files = json.loads(src.read("manifest.json"))["files"]
        renamed = {}
        for info in src.infolist():
            name = info.filename.replace(rid, "00000000-0000-4000-8000-00000000dead") if info.filename.startswith("keys/identities/") else info.filename
            if name == "manifest.json":
                continue
            dst.writestr(name, src.read(info.filename))
            renamed[name] = files[info.filename]
        manifest = json.loads(src.read("manifest.json"))
        manifest["files"] = renamed
        dst.writestr("manifest.json", json.dumps(manifest))
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(UserFacingError):
        restore(other, crafted, device_id="device-S3")
    assert not (other / "keys").exists()


def test_the_hosts_school_record_is_never_our_school(laptops, tmp_path):
    """A visit pack brings the host's school record (visibility la); `store.school()` stays the
    laptop's own school (the window's name, reports, the school profile)."""
    h, s = laptops
    kh, ks = keys.ensure_identity(h), keys.ensure_identity(s)
    kr = identity_keys.become_reviewer(s, HEAD)
    contacts.trust(h, kh, kr.card(), kr.fingerprint())
    contacts.trust(s, ks, kh.card(), kh.fingerprint())
    h.update("review_visit", visit_id(), {"team": [{"identity_id": kr.identity_id, "name": "Ann Jones", "role": "lead"}]})
    to = Recipient.from_contact(contacts.get(h, kr.identity_id))
    write_bundle(h, kh, to, tmp_path / "pack.b", plan_visit_bundle(h, kh, to, visit_id()))
    identity_keys.import_bundle_any(s, tmp_path / "pack.b")
    schools = s.list("school")
    assert len(schools) == 2
    assert s.school()["owner"] == ks.identity_id and s.school()["name"]["en"] == "Cwm Glas Primary School"
