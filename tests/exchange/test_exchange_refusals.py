"""Bundles that must be refused, each leaving the LA's data folder exactly as it was (issue 10,
"What it must show", second list). Hostile contents are built with S's real, valid signature, so
each test reaches the check it is about."""

from __future__ import annotations

import hashlib
import random
import warnings
import zipfile

import pytest
from exchange_helpers import craft_bundle, folder_state, sample_records

from selfeval_app.exchange import contacts, errors, setup
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_read import read_bundle
from selfeval_app.exchange.bundle_write import ZIP_TIME, Recipient, write_bundle
from selfeval_app.exchange.errors import BundleRefused


def refused(pair, bundle, reason: str | None = None) -> BundleRefused:
    """Import `bundle` at L: it must be refused (with `reason`) and change nothing."""
    before = folder_state(pair.la)
    with pair.stores() as (_s, _ks, la, kl):
        with pytest.raises(BundleRefused) as caught:
            import_bundle(la, kl, bundle)
    assert folder_state(pair.la) == before
    if reason is not None:
        assert caught.value.reason == reason, caught.value.message()
    return caught.value


def real_bundle(pair, out):
    with pair.stores() as (s, ks, _la, kl):
        write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), out)
    return out


def test_any_one_byte_changed_is_refused(pair, tmp_path):
    bundle = real_bundle(pair, tmp_path / "b.selfeval-bundle")
    data = bundle.read_bytes()
    before = folder_state(pair.la)
    rng = random.Random(1)
    offsets = sorted(set(rng.sample(range(len(data)), min(len(data), 240))) | {0, len(data) - 1})
    assert len(offsets) >= 200
    damaged = tmp_path / "damaged.selfeval-bundle"
    with pair.stores() as (_s, _ks, la, kl):
        for offset in offsets:
            changed = bytearray(data)
            changed[offset] ^= 1 << rng.randrange(8)
            damaged.write_bytes(bytes(changed))
            with pytest.raises(BundleRefused):
                import_bundle(la, kl, damaged)
    assert folder_state(pair.la) == before
    with pair.stores() as (_s, _ks, la, kl):  # the undamaged bundle still imports
        assert import_bundle(la, kl, bundle)["new"]


def test_a_bundle_for_another_recipient_is_refused(pair, tmp_path):
    other_dir = tmp_path / "other-la"
    other = setup.init_la(other_dir, device_id="device-O", la_code=669, example=True)
    with pair.stores() as (s, ks, _la, kl):
        contacts.trust(s, ks, other.card(), other.fingerprint())
        write_bundle(s, ks, Recipient.from_contact(contacts.get(s, other.identity_id)), tmp_path / "o.selfeval-bundle")
        # sealed to L as well, but the signed manifest names only the other LA
        records = sample_records(s)
    refused(pair, tmp_path / "o.selfeval-bundle", errors.NOT_FOR_US)
    craft_bundle(
        tmp_path / "named.selfeval-bundle", ks, kl, records=records,
        recipients=[{"identity": other.identity_id, "devices": [other.device.device_id]}],
    )
    refused(pair, tmp_path / "named.selfeval-bundle", errors.NOT_A_RECIPIENT)


def test_an_untrusted_sender_is_refused(pair, tmp_path):
    bundle = real_bundle(pair, tmp_path / "b.selfeval-bundle")
    with pair.stores() as (_s, ks, la, _kl):
        contacts.remove(la, ks.identity_id)
    refused(pair, bundle, errors.UNKNOWN_SENDER)


def test_a_removed_device_is_refused(pair, tmp_path):
    bundle = real_bundle(pair, tmp_path / "b.selfeval-bundle")
    with pair.stores() as (_s, ks, la, _kl):
        contacts.remove_device(la, ks.identity_id, ks.device.device_id)
    refused(pair, bundle, errors.REMOVED_DEVICE)
    with pair.stores() as (s, ks, _la, kl):  # and nothing new is encrypted to a removed device
        contacts.remove_device(s, kl.identity_id, kl.device.device_id)
        assert Recipient.from_contact(contacts.get(s, kl.identity_id)).devices == []
        with pytest.raises(ValueError):
            write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), tmp_path / "none")


def test_a_replayed_older_bundle_is_refused(pair, tmp_path):
    first = real_bundle(pair, tmp_path / "1.selfeval-bundle")
    with pair.stores() as (s, _ks, _la, _kl):
        rec = sample_records(s, count=1)[0]
        s.update(rec["type"], rec["id"], {"title": {"en": "Changed after the first bundle"}})
    second = real_bundle(pair, tmp_path / "2.selfeval-bundle")
    with pair.stores() as (_s, _ks, la, kl):
        import_bundle(la, kl, second)
    refused(pair, first, errors.REPLAYED)
    with pair.stores() as (_s, _ks, la, kl):  # the same bundle again is a no-op, not a refusal
        before = folder_state(pair.la)
        assert import_bundle(la, kl, second)["already_imported"] is True
    assert folder_state(pair.la) == before


@pytest.mark.parametrize("field,value", [("format_version", 2), ("min_reader_version", 2)])
def test_a_newer_format_is_refused_clearly(pair, tmp_path, field, value):
    with pair.stores() as (s, ks, _la, kl):
        records = sample_records(s)
    bundle = craft_bundle(tmp_path / "new.selfeval-bundle", ks, kl, records=records, **{field: value})
    message = refused(pair, bundle, errors.NEWER_FORMAT).message()
    assert "newer version" in message


def test_a_bundle_we_would_accept_is_accepted(pair, tmp_path):
    """The hand-built bundles below differ from this one in one thing only."""
    with pair.stores() as (s, ks, la, kl):
        records = sample_records(s)
        bundle = craft_bundle(tmp_path / "ok.selfeval-bundle", ks, kl, records=records)
        report = import_bundle(la, kl, bundle)
    assert len(report["new"]) == len(records) == 3


def _attachment(store, data: bytes, sha: str | None = None):
    """An attachment record (la) of `data`, as S would send it."""
    from selfeval_app.core.attachments import stored_path

    sha = sha or hashlib.sha256(data).hexdigest()
    path = stored_path(store.db.data_dir, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return store.create("attachment", {"name": "nodiadau.txt", "size": len(data), "sha256": sha, "media_type": "text/plain"}, visibility="la")


HOSTILE_NAMES = ["../evil.txt", "/etc/evil", "attachments/../../evil", "attachments\\..\\evil", "records.jsonl/", "C:/evil", "extra.txt"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_unsafe_member_names_are_refused(pair, tmp_path, name):
    with pair.stores() as (s, ks, _la, kl):
        records = sample_records(s)
    from selfeval_app.exchange.bundle_write import records_jsonl

    bundle = craft_bundle(
        tmp_path / "slip.selfeval-bundle", ks, kl, records=records,
        members=[("records.jsonl", records_jsonl(records)), (name, b"owned")],
    )
    refused(pair, bundle, errors.UNSAFE_MEMBER)
    assert not (tmp_path / "evil.txt").exists() and not (pair.la.parent / "evil").exists()


def test_a_symlink_member_is_refused(pair, tmp_path):
    with pair.stores() as (s, ks, _la, kl):
        data = b"/etc/passwd"
        att = _attachment(s, data)
        records = [att]
    from selfeval_app.exchange.bundle_write import records_jsonl

    link = zipfile.ZipInfo(f"attachments/{att['sha256']}", ZIP_TIME)
    link.external_attr = (0o120777 << 16)
    members = [("records.jsonl", records_jsonl(records))]
    manifest_members = {**dict(members), link.filename: data}
    from exchange_helpers import base_manifest, counts_of

    manifest = base_manifest(ks, kl, manifest_members, counts=counts_of(records, 1))
    bundle = craft_bundle(tmp_path / "link.selfeval-bundle", ks, kl, records=records, members=members, zip_entries=[(link, data)], manifest=manifest)
    refused(pair, bundle, errors.UNSAFE_MEMBER)


def test_a_compression_bomb_is_refused(pair, tmp_path):
    with pair.stores() as (s, ks, _la, kl):
        records = sample_records(s)
    from exchange_helpers import base_manifest, counts_of

    bomb = b"\n" * (64 * 1024 * 1024)  # blank lines: valid records.jsonl, 1000x compressible
    info = zipfile.ZipInfo("records.jsonl", ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    manifest = base_manifest(ks, kl, {"records.jsonl": bomb}, counts=counts_of([]))
    bundle = craft_bundle(tmp_path / "bomb.selfeval-bundle", ks, kl, records=records, members=[], zip_entries=[(info, bomb)], manifest=manifest)
    assert bundle.stat().st_size < 1024 * 1024
    refused(pair, bundle, errors.TOO_LARGE)


def test_duplicate_members_are_refused(pair, tmp_path):
    with pair.stores() as (s, ks, _la, kl):
        records = sample_records(s)
    from selfeval_app.exchange.bundle_write import records_jsonl

    info = zipfile.ZipInfo("records.jsonl", ZIP_TIME)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        bundle = craft_bundle(tmp_path / "dup.selfeval-bundle", ks, kl, records=records, zip_entries=[(info, records_jsonl(records[:1]))])
    refused(pair, bundle, errors.UNSAFE_MEMBER)


def test_a_record_of_an_unknown_type_is_refused(pair, tmp_path):
    with pair.stores() as (s, ks, _la, kl):
        records = sample_records(s)
    alien = dict(records[0], type="spaceship", id="00000000-0000-4000-8000-00000000dead")
    bundle = craft_bundle(tmp_path / "alien.selfeval-bundle", ks, kl, records=[*records, alien], counts={"records": 4, "withdrawals": 0, "attachments": 0, "by_type": {}})
    refused(pair, bundle, errors.BAD_RECORD)


def test_a_record_of_another_owner_is_refused(pair, tmp_path):
    from selfeval_app.core import record_types as rt
    from selfeval_app.core.records import content_hash

    with pair.stores() as (s, ks, _la, kl):
        records = sample_records(s)
    foreign = dict(records[0], owner="11111111-1111-4111-8111-111111111111", id="00000000-0000-4000-8000-00000000f0e1")
    foreign["content_hash"] = content_hash(rt.record_type(foreign["type"]), foreign)
    bundle = craft_bundle(tmp_path / "foreign.selfeval-bundle", ks, kl, records=[*records, foreign])
    refused(pair, bundle, errors.FOREIGN_OWNER)


def test_a_record_that_would_take_over_another_owners_id_is_refused(pair, tmp_path):
    """An id already held here under another owner is never taken over."""
    with pair.stores() as (s, ks, la, kl):
        mine = la.create("evidence", {"date": "2026-01-01", "kind": "other", "title": {"en": "LA's own note"}}, visibility="la")
        records = sample_records(s)
        stolen = dict(records[0], id=mine["id"])
        from selfeval_app.core import record_types as rt
        from selfeval_app.core.records import content_hash

        stolen["content_hash"] = content_hash(rt.record_type(stolen["type"]), stolen)
    bundle = craft_bundle(tmp_path / "steal.selfeval-bundle", ks, kl, records=[stolen])
    refused(pair, bundle, errors.FOREIGN_OWNER)


@pytest.mark.parametrize("change", ["field_type", "hash", "visibility", "type_not_text", "no_base_rev", "unknown_field_kept"])
def test_records_are_checked_against_their_type(pair, tmp_path, change):
    from selfeval_app.core import record_types as rt
    from selfeval_app.core.records import content_hash

    with pair.stores() as (s, ks, la, kl):
        rec = dict(sample_records(s, count=1)[0])
        t = rt.record_type(rec["type"])
        if change == "field_type":
            rec["title"] = "plain text where a bilingual pair belongs"
            rec["content_hash"] = "0" * 64
        elif change == "hash":
            rec["title"] = {"cy": "Wedi newid", "en": "Changed"}
        elif change == "type_not_text":  # found by benchmarks/fuzz_bundles.py: was a TypeError
            rec["type"] = {"evidence": 1}
        elif change == "no_base_rev":  # found by the fuzz run: was a KeyError in the merge
            del rec["base_rev"]
            rec["content_hash"] = content_hash(t, rec)
        elif change == "visibility":
            rec["visibility"] = "private"
            rec["content_hash"] = content_hash(t, rec)
        else:
            rec["from_a_newer_app"] = {"note": "kept"}
            rec["content_hash"] = content_hash(t, rec)
        extra = {"counts": {"records": 1, "withdrawals": 0, "attachments": 0, "by_type": {}}} if change == "type_not_text" else {}
        bundle = craft_bundle(tmp_path / "rec.selfeval-bundle", ks, kl, records=[rec], **extra)
        if change == "unknown_field_kept":
            import_bundle(la, kl, bundle)
            assert la.get(rec["type"], rec["id"])["from_a_newer_app"] == {"note": "kept"}
            return
        if change == "no_base_rev":  # read as "no base" (None), never a crash
            import_bundle(la, kl, bundle)
            assert la.get(rec["type"], rec["id"])["base_rev"] is None
            return
    refused(pair, bundle, errors.BAD_RECORD)


def test_a_wrong_attachment_hash_is_refused(pair, tmp_path):
    with pair.stores() as (s, ks, _la, kl):
        att = _attachment(s, b"the real notes")
        records = [att]
    from selfeval_app.exchange.bundle_write import records_jsonl

    # the member is named by the record's hash but holds other bytes (the manifest lists them truly)
    bundle = craft_bundle(
        tmp_path / "att.selfeval-bundle", ks, kl, records=records,
        members=[("records.jsonl", records_jsonl(records)), (f"attachments/{att['sha256']}", b"other bytes")],
    )
    refused(pair, bundle, errors.BAD_ATTACHMENT)


def test_inspect_lists_and_changes_nothing(pair, tmp_path):
    bundle = real_bundle(pair, tmp_path / "b.selfeval-bundle")
    before = folder_state(pair.la)
    with pair.stores() as (_s, _ks, la, kl):
        verified = read_bundle(la, kl, bundle)
        listing = verified.listing()
        verified.close()
    assert listing and all(r["visibility"] == "la" for r in listing)
    assert folder_state(pair.la) == before


def test_the_example_school_sends_only_to_example_contacts(pair, tmp_path):
    from selfeval_app.exchange.errors import ExampleRecipientError

    real = setup.init_la(tmp_path / "real", device_id="device-R", la_code=669)
    with pair.stores() as (s, ks, _la, _kl):
        recipient = Recipient(real.identity_id, "la", real.devices, False)
        with pytest.raises(ExampleRecipientError):
            write_bundle(s, ks, recipient, tmp_path / "x.selfeval-bundle")
    assert not (tmp_path / "x.selfeval-bundle").exists()


def test_a_failure_while_applying_leaves_no_new_file(pair, tmp_path, monkeypatch):
    """Found by the fuzz run: files were stored before the transaction and stayed after a
    refusal. The fault is injected into the record step (the narrowest point after the files)."""
    from selfeval_app.exchange import apply
    from selfeval_app.exchange.bundle_write import records_jsonl

    with pair.stores() as (s, ks, _la, kl):
        data = b"notes only this bundle carries"
        att = _attachment(s, data)
    bundle = craft_bundle(
        tmp_path / "att.selfeval-bundle", ks, kl, records=[att],
        members=[("records.jsonl", records_jsonl([att])), (f"attachments/{att['sha256']}", data)],
    )

    def failing(*args, **kwargs):
        raise BundleRefused(errors.COUNT_MISMATCH)

    monkeypatch.setattr(apply, "apply_many", failing)
    refused(pair, bundle, errors.COUNT_MISMATCH)
    monkeypatch.undo()
    with pair.stores() as (_s, _ks, la, kl):
        assert import_bundle(la, kl, bundle)["new"] == [{"type": "attachment", "id": att["id"]}]
