"""No private record's id leaves the laptop (issue 13, `exchange/redact.py`): after the example
school's bundle to the example LA, and after the example visit's pack at the example reviewer's,
no id of a record the recipient may not receive (nor of a statement inside one) appears in any
text column of any table of the recipient's database. A record that later becomes shared makes
the records naming it go again with the fuller list, at the same rev, without a conflict."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from tests.exchange.test_exchange_cli import run, run_json

from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.demo_review import visit_id
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange import redact


def _text_blob(db_file: Path) -> str:
    """Every text value of every column of every table, joined."""
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        parts = []
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for row in conn.execute(f'SELECT {", ".join(f"""quote("{c}")""" for c in cols)} FROM "{table}"'):
                parts.extend(str(v) for v in row if v is not None)
        return "\n".join(parts)
    finally:
        conn.close()


def _ids_kept_back(data_dir: Path, keep) -> set[str]:
    """Ids of the school's records `keep(rec)` says stay here, with the ids inside them."""
    store = RecordStore(open_database(data_dir), device_id="reader")
    try:
        out: set[str] = set()
        others: set[str] = set()
        for t in rt.RECORD_TYPES:
            for rec in store.list(t, where="owner = ?", params=(store.owner,), include_deleted=True):
                if keep(rec):
                    out |= redact.ids_within(rec)
                else:
                    others.add(rec["id"])
        return out - others  # a kept record's JSON may name a shared one (a report's sources)
    finally:
        store.close()


def _send(capsys, school: Path, la: Path, out: Path) -> dict:
    fp = keys_mod.require_keys(la).fingerprint()
    code, _, err = run(capsys, "bundle", "export", "--to", fp, "--out", out, "--data-dir", school)
    assert code == 0, err
    return run_json(capsys, "bundle", "import", out, "--data-dir", la)


def test_no_id_of_a_record_kept_from_the_la_is_in_the_las_database(pair, tmp_path, capsys):
    report = _send(capsys, pair.school, pair.la, tmp_path / "1.b")
    assert report["conflicts"] == []
    kept = _ids_kept_back(pair.school, lambda r: r["visibility"] != "la" or r["deleted"])
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        # the example has shared records naming private ones: the case this is about
        named = [r for t in ("priority", "progress_review", "evidence", "review_summary") for r in store.list(t, where="visibility = 'la'") if redact.mentions(r, kept)]
        assert named, "the example school shares records that name private ones"
    finally:
        store.close()
    blob = _text_blob(pair.la / "selfeval.sqlite3")
    leaked = sorted(i for i in kept if i in blob)
    assert leaked == [], (str(pair.la), leaked)
    # the LA still has the shared records, with the links it can follow
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        for rec in named:
            copy = la.require(rec["type"], rec["id"])
            assert copy["rev"] == rec["rev"]
            for f in rt.record_type(rec["type"]).fields:
                if f.kind == rt.REFS:
                    assert copy[f.name] == [i for i in rec[f.name] if i not in kept]
    finally:
        la.close()
    # the same bundle again: nothing changes, nothing in conflict
    again = _send(capsys, pair.school, pair.la, tmp_path / "1b.b")
    assert again["conflicts"] == [] and again["changed"] == []


def test_a_record_shared_later_makes_the_records_naming_it_go_again(pair, tmp_path, capsys):
    _send(capsys, pair.school, pair.la, tmp_path / "1.b")
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        [priority] = [p for p in store.list("priority", where="visibility = 'la'") if any(
            (store.get("evidence", e) or {}).get("visibility") == "private" for e in p["evidence_ids"])][:1]
        hidden = next(e for e in priority["evidence_ids"] if store.require("evidence", e)["visibility"] == "private")
    finally:
        store.close()
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        assert hidden not in la.require("priority", priority["id"])["evidence_ids"]
    finally:
        la.close()
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        store.set_visibility("evidence", hidden, "la")
    finally:
        store.close()
    report = _send(capsys, pair.school, pair.la, tmp_path / "2.b")
    assert report["conflicts"] == []
    assert {"type": "priority", "id": priority["id"]} in report["changed"]
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        copy = la.require("priority", priority["id"])
        assert hidden in copy["evidence_ids"] and copy["rev"] == priority["rev"]
        assert la.require("evidence", hidden)["visibility"] == "la"
    finally:
        la.close()
    # nothing more to send: the next bundle is empty and changes nothing
    third = _send(capsys, pair.school, pair.la, tmp_path / "3.b")
    assert third["changed"] == [] and third["new"] == [] and third["conflicts"] == []
    # private again: withdrawn, and the priority goes again without it
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        store.set_visibility("evidence", hidden, "private")
    finally:
        store.close()
    fourth = _send(capsys, pair.school, pair.la, tmp_path / "4.b")
    assert {"type": "evidence", "id": hidden} in fourth["withdrawn"] and fourth["conflicts"] == []
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        assert hidden not in la.require("priority", priority["id"])["evidence_ids"]
        assert la.get("evidence", hidden) is None
    finally:
        la.close()


def test_the_schools_own_laptops_get_the_full_record(pair, tmp_path, capsys):
    """Only a recipient outside the school gets the copy: another laptop of the school (a bundle
    `--own-laptops`) carries the links as they are."""
    from selfeval_app.exchange.bundle_write import Recipient, plan_bundle

    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        keys = keys_mod.require_keys(pair.school)
        own = Recipient(keys.identity_id, "own", [keys.device.public_entry()], keys.is_example)
        full = {r["id"]: r for r in plan_bundle(store, keys, own).records}
        la_keys = keys_mod.require_keys(pair.la)
        la = Recipient(la_keys.identity_id, "la", la_keys.devices, la_keys.is_example)
        copies = {r["id"]: r for r in plan_bundle(store, keys, la).records}
        differ = [i for i in copies if copies[i]["content_hash"] != full[i]["content_hash"]]
        assert differ
        for i in differ:
            assert full[i] == store.get(full[i]["type"], i)
            assert redact.only_links_differ(full[i], copies[i])
    finally:
        store.close()


def test_the_copy_is_deterministic_and_required_links_get_a_stand_in():
    rec = {
        "id": "s1", "type": "review_summary", "owner": "o", "rev": 2, "visibility": "la", "deleted": False,
        "visit_id": "v-private", "area_ids": ["estyn-1", "a-private"], "status": "visit",
    }
    withheld = {"v-private", "a-private"}
    one, two = redact.copy_for(dict(rec), withheld), redact.copy_for(dict(rec), withheld)
    assert one == two and one["content_hash"] == two["content_hash"]
    assert one["visit_id"] == redact.stand_in("v-private") and "v-private" not in json.dumps(one)
    assert one["area_ids"] == ["estyn-1"]


@pytest.fixture
def host_and_reviewer(tmp_path, capsys):
    from tests.exchange.test_peer_review_cli import _exchange_cards

    h_dir, r_dir = tmp_path / "H", tmp_path / "R"
    assert run(capsys, "demo", "--data-dir", h_dir)[0] == 0
    assert run(capsys, "demo", "--role", "reviewer", "--data-dir", r_dir)[0] == 0
    h_info, r_info = _exchange_cards(capsys, tmp_path, h_dir, r_dir)
    return h_dir, r_dir, h_info, r_info


def test_no_id_of_a_host_record_outside_the_pack_is_at_the_reviewers(host_and_reviewer, tmp_path, capsys):
    from selfeval_app.core import peer_review

    h_dir, r_dir, _h_info, r_info = host_and_reviewer
    before = _text_blob(r_dir / "selfeval.sqlite3")
    pack = tmp_path / "pack.b"
    code, _, err = run(capsys, "bundle", "export", "--to", r_info["fingerprint"], "--visit", visit_id(), "--out", pack, "--data-dir", h_dir)
    assert code == 0, err
    assert run_json(capsys, "bundle", "import", pack, "--data-dir", r_dir)["conflicts"] == []
    store = RecordStore(open_database(h_dir), device_id="reader")
    try:
        in_pack = {r["id"] for r in peer_review.pack_records(store, visit_id())}
    finally:
        store.close()
    kept = _ids_kept_back(h_dir, lambda r: r["id"] not in in_pack)
    blob = _text_blob(r_dir / "selfeval.sqlite3")
    leaked = sorted(i for i in kept if i in blob and i not in before)
    assert leaked == []
    shutil.rmtree(tmp_path / "H", ignore_errors=True)
