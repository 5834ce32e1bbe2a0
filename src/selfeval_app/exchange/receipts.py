"""Signed receipts: the recipient's word that a bundle was imported (or was already held).

A receipt is canonical JSON with a signature beside it:
`{"format": "selfeval-receipt", "format_version": 1, "bundle_id", "sender": <identity that sent
the bundle>, "receiver": {"identity", "device"}, "received_at", "signature": base64 Ed25519}`,
signed by the receiving device over the canonical bytes without `signature`. It is written to
`receipts/<sender identity>/<bundle id>.<receiving device id>.selfeval-receipt`. The sender trusts
it only when it is signed by an active device of the contact the bundle went to, and names a
bundle it is waiting on; a bundle sealed to several devices of one contact (a school's laptops)
is delivered when each of those still active has sent its receipt.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from selfeval_app.exchange.canonical import canonical_bytes
from selfeval_app.exchange.contacts import Contact
from selfeval_app.exchange.keys import LocalKeys
from selfeval_app.exchange.transport import RECEIPT_SUFFIX

FORMAT = "selfeval-receipt"
FORMAT_VERSION = 1
MAX_RECEIPT_BYTES = 64 * 1024


def receipt_name(bundle_id: str, device_id: str | None = None) -> str:
    """`<bundle id>.<receiving device id>.selfeval-receipt`: each device of a recipient with
    several (a school's laptops) writes its own; without a device, the older one-per-bundle name."""
    return bundle_id + (f".{device_id}" if device_id else "") + RECEIPT_SUFFIX


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def make_receipt(keys: LocalKeys, *, bundle_id: str, sender_identity: str) -> bytes:
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "bundle_id": bundle_id,
        "sender": sender_identity,
        "receiver": {"identity": keys.identity_id, "device": keys.device.device_id},
        "received_at": _now(),
    }
    signature = keys.device.sign(canonical_bytes(body))
    return canonical_bytes({**body, "signature": signature})


def verify_receipt(data: bytes, *, contact: Contact, our_identity: str, bundle_id: str) -> bool:
    """True only for a receipt of `bundle_id`, sent by us, signed by an active device of
    `contact`. Anything else (damaged, forged, for another bundle) is False: it is ignored."""
    return receipt_device(data, contact=contact, our_identity=our_identity, bundle_id=bundle_id) is not None


def receipt_device(data: bytes, *, contact: Contact, our_identity: str, bundle_id: str) -> str | None:
    """The receiving device a sound receipt names (see `verify_receipt`), else None."""
    if len(data) > MAX_RECEIPT_BYTES:
        return None
    try:
        obj = json.loads(data.decode("utf-8"))
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            return None
        if obj.get("format_version") != FORMAT_VERSION:
            return None
        signature = base64.b64decode(obj.pop("signature"), validate=True)
        receiver = obj["receiver"]
        if obj["bundle_id"] != bundle_id or obj["sender"] != our_identity:
            return None
        if receiver["identity"] != contact.card["identity"]["id"]:  # one of our laptops: ours
            return None
        device = contact.device(receiver["device"])
        if device is None:
            return None
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(device["signing_key"]))
        key.verify(signature, canonical_bytes(obj))
        return str(device["device_id"])
    except (InvalidSignature, ValueError, KeyError, TypeError, AttributeError):
        return None


def parse_bundle_id(name: str, suffix: str) -> str | None:
    """The bundle id a file is named after: "<id>.suffix", or a cloud client's copy of it
    ("<id> (1).suffix", "<id>-PC-NAME.suffix"). None when the name does not start with an id."""
    if not name.endswith(suffix):
        return None
    stem = name[: -len(suffix)]
    head = stem[:36]
    if len(head) == 36 and head.count("-") == 4 and all(c in "0123456789abcdef-" for c in head):
        return head
    return None

