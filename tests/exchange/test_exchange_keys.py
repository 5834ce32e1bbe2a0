"""Keys, key cards, fingerprints and contacts (issue 10 item 4)."""

from __future__ import annotations

import json
import re
import stat

import pytest

from selfeval_app.exchange import contacts, keys
from selfeval_app.exchange.errors import KeyCardError

FINGERPRINT = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){4}")


def test_private_keys_are_readable_only_by_the_user_and_the_card_holds_no_secret(pair):
    key_file = pair.school / "keys" / "device.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((pair.school / "keys").stat().st_mode) == 0o700
    local = keys.require_keys(pair.school)
    card_text = json.dumps(local.card())
    secret = json.loads(key_file.read_text())
    assert secret["signing_seed"] not in card_text and secret["age_identity"] not in card_text
    assert "AGE-SECRET-KEY" not in card_text


def test_a_card_is_self_signed_and_its_fingerprint_is_short_and_stable(pair, tmp_path):
    local = keys.require_keys(pair.school)
    out = tmp_path / "school.card"
    card = keys.write_card(local, out)
    again = keys.read_card(out)
    assert FINGERPRINT.fullmatch(keys.fingerprint(card))
    assert keys.fingerprint(again) == keys.fingerprint(card) == local.fingerprint()
    assert card["identity"]["id"] == local.identity_id and card["identity"]["role"] == "school"
    assert card["identity"]["la_code"] == 669 and card["identity"]["example"] is True
    assert [d["device_id"] for d in card["devices"]] == [local.device.device_id]
    # typed in lower case with spaces, it is the same fingerprint
    assert keys.normalise_fingerprint(keys.fingerprint(card).replace("-", " ").lower()) == keys.fingerprint(card)


@pytest.mark.parametrize("change", ["name", "age_recipient", "signature", "format_version"])
def test_a_changed_card_is_refused(pair, change):
    card = keys.require_keys(pair.school).card()
    if change == "name":
        card["identity"]["name"]["en"] = "Another school"
    elif change == "age_recipient":
        other = keys.DeviceKeys.generate()
        card["devices"][0]["age_recipient"] = other.public_entry()["age_recipient"]
    elif change == "signature":
        card["signature"] = card["signature"][:-4] + ("AAAA" if card["signature"][-4:] != "AAAA" else "BBBB")
    else:
        card["format_version"] = 2
    with pytest.raises(KeyCardError):
        keys.verify_card(card)


def test_trust_is_refused_unless_the_fingerprint_given_is_the_cards(pair):
    with pair.stores() as (s, ks, la, kl):
        contacts.remove(la, ks.identity_id)
        card = ks.card()
        wrong = "AAAA-BBBB-CCCC-DDDD-EEEE"
        with pytest.raises(KeyCardError) as refused:
            contacts.trust(la, kl, card, wrong)
        assert "fingerprint" in refused.value.message()
        assert contacts.get(la, ks.identity_id) is None
        added = contacts.trust(la, kl, card, ks.fingerprint().lower().replace("-", " "))
        assert added.fingerprint == ks.fingerprint() and added.role == "school"
        assert contacts.by_fingerprint(la, ks.fingerprint()).identity_id == ks.identity_id


def test_own_card_and_example_card_in_a_real_installation_are_refused(pair, tmp_path):
    from selfeval_app.exchange import setup

    real = tmp_path / "real-la"
    real_keys = setup.init_la(real, device_id="device-R", la_code=669)
    with pair.stores() as (s, ks, la, kl):
        with pytest.raises(KeyCardError):
            contacts.trust(la, kl, kl.card(), kl.fingerprint())
        with pytest.raises(KeyCardError):
            contacts.trust(s, ks, real_keys.card(), real_keys.fingerprint())


def test_a_removed_device_stays_removed_and_is_shown(pair):
    with pair.stores() as (s, ks, la, kl):
        contacts.remove_device(la, ks.identity_id, ks.device.device_id)
        contact = contacts.get(la, ks.identity_id)
        assert contact.device(ks.device.device_id) is None and contact.active_devices == []
        contacts.trust(la, kl, ks.card(), ks.fingerprint())  # the same card again
        assert contacts.get(la, ks.identity_id).active_devices == []


def test_a_school_can_remove_one_of_its_own_laptops(pair, tmp_path):
    first = keys.require_keys(pair.school)
    second = keys.join_identity(tmp_path / "second", first.card())
    first.add_device(second.card())
    assert {d["device_id"] for d in keys.require_keys(pair.school).devices} == {first.device.device_id, second.device.device_id}
    first.remove_device(second.device.device_id)
    card = keys.require_keys(pair.school).card()
    removed = {d["device_id"]: d["removed"] for d in card["devices"]}
    assert removed == {first.device.device_id: False, second.device.device_id: True}
    keys.verify_card(card)



def test_a_stale_copy_of_the_keys_never_undoes_a_removal_or_an_addition(tmp_path):
    """The race of a sync round (merging another laptop's card from its own copy of the keys) and
    "Remove this laptop" (from another copy): whichever saves last, both changes are kept."""
    import uuid

    folder = tmp_path / "S"
    first = keys.create_identity(folder, identity_id=str(uuid.uuid4()), role="school", name={"cy": "Ysgol", "en": "Ysgol"}, la_code=None)
    lost = keys.DeviceKeys.generate().public_entry() | {"removed": False}
    first.devices.append(lost)
    first.save_identity()

    round_copy, remove_copy = keys.load_keys(folder), keys.load_keys(folder)  # two threads' copies
    remove_copy.remove_device(lost["device_id"])
    newcomer = keys.DeviceKeys.generate().public_entry() | {"removed": False}
    round_copy.devices.append(newcomer)  # what merge_card does with a card naming a new laptop
    round_copy.save_identity()  # last, from a copy that never saw the removal

    on_disk = {d["device_id"]: d for d in keys.load_keys(folder).devices}
    assert on_disk[lost["device_id"]]["removed"] is True
    assert newcomer["device_id"] in on_disk and not on_disk[newcomer["device_id"]]["removed"]
    assert round_copy.fingerprint()  # the merged copy is still a sound identity


def test_concurrent_saves_of_the_keys_lose_nothing(tmp_path):
    """Many threads adding devices at once, each from its own copy: every device is in the file."""
    import threading
    import uuid

    folder = tmp_path / "S"
    keys.create_identity(folder, identity_id=str(uuid.uuid4()), role="school", name={"cy": "Ysgol", "en": "Ysgol"}, la_code=None)
    added: list[str] = []

    def add() -> None:
        for _ in range(10):
            copy = keys.load_keys(folder)
            entry = keys.DeviceKeys.generate().public_entry() | {"removed": False}
            copy.devices.append(entry)
            copy.save_identity()
            added.append(entry["device_id"])

    threads = [threading.Thread(target=add) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    on_disk = {d["device_id"] for d in keys.load_keys(folder).devices}
    assert set(added) <= on_disk and len(added) == 40
