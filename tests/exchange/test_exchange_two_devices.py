"""Two laptops of one school editing the same records from the same base (issue 10 item 6):
fields edited on one side merge, a real overlap keeps both versions under "Needs a decision",
a modification beats a deletion (flagged), a deletion is never inferred from a missing record."""

from __future__ import annotations

import shutil

import pytest

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import apply, keys
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import Recipient, write_bundle


@pytest.fixture
def laptops(pair, tmp_path):
    """Device A (the example school's folder) and device B (a copy of it that joined the school)."""
    a_dir, b_dir = pair.school, tmp_path / "B"
    shutil.copytree(a_dir, b_dir)
    shutil.rmtree(b_dir / "keys")
    a_keys = keys.require_keys(a_dir)
    b_keys = keys.join_identity(b_dir, a_keys.card())
    a_keys.add_device(b_keys.card())
    a = RecordStore(open_database(a_dir), device_id="device-A")
    b = RecordStore(open_database(b_dir), device_id="device-B")
    yield a, keys.require_keys(a_dir), b, keys.require_keys(b_dir), tmp_path
    a.close()
    b.close()


def send(store, from_keys, to_store, to_keys, out):
    write_bundle(store, from_keys, Recipient.own_devices(from_keys), out)
    return import_bundle(to_store, to_keys, out)


def test_private_records_travel_between_the_schools_own_laptops(laptops):
    a, ka, b, kb, tmp = laptops
    rec = a.create("evidence", {"date": "2026-11-02", "kind": "other", "title": {"cy": "Nodyn preifat"}})
    report = send(a, ka, b, kb, tmp / "1.selfeval-bundle")
    assert {"type": "evidence", "id": rec["id"]} in report["new"]
    assert b.get("evidence", rec["id"])["title"]["cy"] == "Nodyn preifat"


def test_edits_to_different_fields_merge(laptops):
    a, ka, b, kb, tmp = laptops
    evaluation = a.list("evaluation")[0]
    a.update("evaluation", evaluation["id"], {"narrative": {"en": "Written on laptop A"}})
    b.update("evaluation", evaluation["id"], {"statements": [{"id": "s1", "kind": "strength", "text": {"cy": "Cryfder o B", "en": "Strength from B"}}]})
    report = send(a, ka, b, kb, tmp / "1.selfeval-bundle")
    assert {"type": "evaluation", "id": evaluation["id"]} in report["changed"]
    merged = b.get("evaluation", evaluation["id"])
    assert merged["narrative"]["en"] == "Written on laptop A"
    assert merged["statements"][0]["text"]["en"] == "Strength from B"
    assert apply.open_conflicts(b) == []
    # and A takes B's merged version as it is
    send(b, kb, a, ka, tmp / "2.selfeval-bundle")
    assert a.get("evaluation", evaluation["id"]) == merged


def test_a_real_overlap_keeps_both_versions_until_someone_decides(laptops):
    a, ka, b, kb, tmp = laptops
    evaluation = a.list("evaluation")[0]
    a.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn A", "en": "Version A"}})
    b.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn B", "en": "Version B"}})
    report = send(a, ka, b, kb, tmp / "1.selfeval-bundle")
    assert report["conflicts"] == [{"type": "evaluation", "id": evaluation["id"]}]
    assert b.get("evaluation", evaluation["id"])["narrative"]["en"] == "Version B"  # never overwritten
    [conflict] = apply.open_conflicts(b)
    assert conflict["local"]["narrative"] == {"cy": "Fersiwn B", "en": "Version B"}
    assert conflict["incoming"]["narrative"] == {"cy": "Fersiwn A", "en": "Version A"}
    apply.resolve_conflict(b, conflict["conflict_id"], "incoming")
    assert b.get("evaluation", evaluation["id"])["narrative"]["en"] == "Version A"
    assert apply.open_conflicts(b) == []
    from selfeval_app.core.integrity import check_store

    assert check_store(b) == []


def test_a_modification_beats_a_deletion_and_is_flagged(laptops):
    a, ka, b, kb, tmp = laptops
    action = a.list("action")[0]
    a.delete("action", action["id"])
    b.update("action", action["id"], {"lead": "Mr Jones"})
    report = send(a, ka, b, kb, tmp / "1.selfeval-bundle")
    assert report["flagged"] == [{"type": "action", "id": action["id"]}]
    assert b.get("action", action["id"])["lead"] == "Mr Jones"
    report = send(b, kb, a, ka, tmp / "2.selfeval-bundle")
    assert a.get("action", action["id"])["lead"] == "Mr Jones"
    # deleted again after it was sent: the tombstone travels once, not twice
    a.delete("action", action["id"])
    report = send(a, ka, b, kb, tmp / "3.selfeval-bundle")
    assert report["withdrawn"] == [{"type": "action", "id": action["id"]}]
    assert b.get("action", action["id"]) is None


def test_a_missing_record_is_never_a_deletion(laptops, tmp_path):
    a, ka, b, kb, tmp = laptops
    send(a, ka, b, kb, tmp / "1.selfeval-bundle")  # everything B lacks of A's
    before = b.count("evidence")
    # a later bundle that carries nothing about most records deletes none of them
    rec = a.list("evidence")[0]
    a.update("evidence", rec["id"], {"title": {"en": "Only this one changed"}})
    report = send(a, ka, b, kb, tmp / "2.selfeval-bundle")
    assert report["withdrawn"] == [] and b.count("evidence") == before


def test_a_removed_laptop_is_refused_by_its_own_school(laptops):
    from selfeval_app.exchange import errors
    from selfeval_app.exchange.errors import BundleRefused

    a, ka, b, kb, tmp = laptops
    write_bundle(b, kb, Recipient.own_devices(kb), tmp / "from-b.selfeval-bundle")
    ka.remove_device(kb.device.device_id)
    with pytest.raises(BundleRefused) as refused:
        import_bundle(a, ka, tmp / "from-b.selfeval-bundle")
    assert refused.value.reason == errors.REMOVED_DEVICE
    assert Recipient.own_devices(ka).devices == []  # nothing new is encrypted to it


def test_keeping_this_laptops_version_is_a_new_version_the_other_laptop_takes(laptops):
    """Deciding for "local" writes the kept text as a new rev above both, so the other laptop
    takes it as an ordinary edit and never sees the conflict again (it used to be only marked)."""
    a, ka, b, kb, tmp = laptops
    evaluation = a.list("evaluation")[0]
    a.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn A", "en": "Version A"}})
    b.update("evaluation", evaluation["id"], {"narrative": {"cy": "Fersiwn B", "en": "Version B"}})
    send(a, ka, b, kb, tmp / "1.selfeval-bundle")
    [conflict] = apply.open_conflicts(b)
    rev_a = a.get("evaluation", evaluation["id"])["rev"]
    apply.resolve_conflict(b, conflict["conflict_id"], "local")
    kept = b.get("evaluation", evaluation["id"])
    assert kept["narrative"]["en"] == "Version B" and kept["rev"] > rev_a
    report = send(b, kb, a, ka, tmp / "2.selfeval-bundle")
    assert report["conflicts"] == [] and apply.open_conflicts(a) == []
    assert a.get("evaluation", evaluation["id"])["narrative"]["en"] == "Version B"
