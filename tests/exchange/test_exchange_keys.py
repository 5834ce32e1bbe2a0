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
