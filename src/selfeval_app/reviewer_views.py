"""What "Visits I review" shows and does, as plain data (no Qt): the reviewer identity and its
fingerprint, the visits held as a reviewer, importing a visit pack, adding a host school as a
contact, and sending the reviewer's notes and findings to the host (issue 12, item 3).

Every function takes a `RecordStore`: the worker's for writes, a private reader for the bundle
that is written off the writer (`write_to_host`), whose ledger entry the worker then records
(`note_sent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_app.core import peer_review_reviewer as rv
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore


class NoHostContact(UserFacingError):
    message_id = N_(
        "The host school is not one of your contacts yet. Add its key card with “Add a host "
        "school…”, checking its fingerprint with the school. Nothing was changed."
    )


class NotAVisitPack(UserFacingError):
    message_id = N_(
        "The bundle was imported, but it holds no peer review visit for you. Ask the host school "
        "to send the visit's pack to your peer reviewer key card. Nothing else was changed."
    )


def overview(store: RecordStore) -> dict[str, Any]:
    """The reviewer identity (None when there is none yet) and the visits held as a reviewer."""
    from selfeval_app.exchange import identity_keys, keys

    me = None
    identity = rv.reviewer_identity(store)
    if identity is not None:
        local = identity_keys.load_identity_keys(store.db.data_dir, identity)
        if local is not None:
            me = {"id": identity, "name": local.identity["name"], "fingerprint": keys.fingerprint(local.card())}
    return {"reviewer": me, "visits": rv.visits_reviewed(store)}


def reviewer_name(person: str, school: dict | None) -> dict[str, str]:
    """How host schools will know the reviewer: the person's name and their school's."""
    from selfeval_app.core.bilingual import text_or_other

    person = " ".join(person.split())
    names = (school or {}).get("name") or {}
    out = {}
    for lang in ("cy", "en"):
        own = text_or_other(names, lang)
        out[lang] = f"{person} ({own})" if own else person
    return out


def become(store: RecordStore, person: str) -> dict[str, Any]:
    from selfeval_app.exchange import identity_keys

    identity_keys.become_reviewer(store, reviewer_name(person, store.school()))
    return overview(store)


def _reviewer_keys(store: RecordStore):
    from selfeval_app.exchange import identity_keys

    return identity_keys.keys_as(store, "reviewer")


def save_card(store: RecordStore, out: Path) -> str:
    from selfeval_app.exchange import keys

    return keys.fingerprint(keys.write_card(_reviewer_keys(store), Path(out)))


def add_host(store: RecordStore, path: Path, typed_fingerprint: str) -> dict[str, Any]:
    """Trust a host school's key card (the fingerprint must match), for the reviewer identity."""
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange_views import FingerprintMismatch, fingerprint_matches

    card = keys.read_card(Path(path))
    if not fingerprint_matches(typed_fingerprint, keys.fingerprint(card)):
        raise FingerprintMismatch()
    contact = contacts.trust(store, _reviewer_keys(store), card, typed_fingerprint, str(path))
    return {"name": contact.card["identity"]["name"], "fingerprint": contact.fingerprint}


def import_pack(store: RecordStore, path: Path) -> dict[str, Any]:
    """Import a bundle with whichever identity it was sealed to (all or nothing); returns the
    import report and the visits it brought."""
    from selfeval_app.exchange.identity_keys import import_bundle_any

    before = {v.id for v in rv.visits_reviewed(store)}
    report = import_bundle_any(store, Path(path))
    visits = [v for v in rv.visits_reviewed(store) if v.id not in before or any(n.get("id") == v.id for n in report.get("changed", []))]
    return {"report": report, "visits": visits}


@dataclass
class Written:
    path: Path
    recipient_id: str
    versions: list[dict[str, Any]]
    bundle_id: str
    seq_to: int
    records: int


class NoLeadContact(UserFacingError):
    message_id = N_(
        "The lead reviewer is not one of your contacts yet. Ask them for their peer reviewer key "
        "card and add it on the Sharing page, checking its fingerprint. Nothing was changed."
    )


def lead_of(visit: dict) -> dict | None:
    """The visit's lead reviewer (a team entry with an identity), if any."""
    return next(
        (m for m in visit.get("team") or [] if isinstance(m, dict) and m.get("role") == "lead" and m.get("identity_id")),
        None,
    )


def plan_to_lead(reader: RecordStore, keys, recipient, visit_id: str):
    """A team member's notes of the visit, for the lead reviewer who compiles the report: only
    the member's own notes (the exchange rule), whatever their visibility; the findings are the
    lead's to write."""
    from selfeval_app.core import peer_review
    from selfeval_app.exchange.bundle_write import BundleContents

    records = [r for r in peer_review.reviewer_records(reader, visit_id, keys.identity_id) if r["type"] == "review_note"]
    return BundleContents([r for r in records if not r["deleted"]], [], {}, visit_id=visit_id)


def _recipient_and_contents(reader: RecordStore, visit_id: str, to: str):
    from selfeval_app.core import peer_review
    from selfeval_app.exchange import contacts
    from selfeval_app.exchange.bundle_write import Recipient
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    visit = peer_review.get_visit(reader, visit_id)
    keys = _reviewer_keys(reader)
    if to == "lead":
        lead = lead_of(visit)
        contact = contacts.get(reader, lead["identity_id"]) if lead else None
        if contact is None:
            raise NoLeadContact()
        return keys, contact, plan_to_lead(reader, keys, Recipient.from_contact(contact), visit_id)
    contact = contacts.get(reader, visit["owner"])
    if contact is None:
        raise NoHostContact()
    return keys, contact, plan_visit_bundle(reader, keys, Recipient.from_contact(contact), visit_id)


@dataclass
class Queued:
    entry: dict[str, Any]
    new: bool
    recipient_name: dict[str, str]


def sync_ready(reader: RecordStore) -> bool:
    from selfeval_app.exchange import sync_state

    return bool(sync_state.config(reader))


def seal_for_sync(reader: RecordStore, visit_id: str, *, to: str = "host") -> Queued:
    """Off the writer: seal the same bundle as `write_to_host` into the sync outbox; the entry is
    saved on the writer (`queue_sent`), and the next sync round takes it to the host's (or the
    lead's) inbox."""
    from selfeval_app.exchange import visit_bundle

    keys, contact, contents = _recipient_and_contents(reader, visit_id, to)
    entry, new = visit_bundle.seal_for_sync(reader, keys, contact, visit_id, contents=contents)
    return Queued(entry, new, contact.card["identity"]["name"])


def queue_sent(store: RecordStore, queued: Queued) -> None:
    """On the writer: the sealed bundle waits for the next sync round."""
    from selfeval_app.exchange.visit_bundle import save_entry

    save_entry(store, queued.entry)


def write_to_host(reader: RecordStore, visit_id: str, out: Path, *, to: str = "host") -> Written:
    """Off the writer: seal the reviewer's notes and findings of the visit to the host school
    (`bundle export --visit`), or with `to="lead"` a team member's notes to the lead reviewer.
    The ledger is not touched here (`note_sent` on the writer)."""
    from selfeval_app.core import peer_review
    from selfeval_app.exchange import contacts
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    visit = peer_review.get_visit(reader, visit_id)
    keys = _reviewer_keys(reader)
    if to == "lead":
        lead = lead_of(visit)
        contact = contacts.get(reader, lead["identity_id"]) if lead else None
        if contact is None:
            raise NoLeadContact()
        recipient = Recipient.from_contact(contact)
        contents = plan_to_lead(reader, keys, recipient, visit_id)
    else:
        contact = contacts.get(reader, visit["owner"])
        if contact is None:
            raise NoHostContact()
        recipient = Recipient.from_contact(contact)
        contents = plan_visit_bundle(reader, keys, recipient, visit_id)
    manifest = write_bundle(reader, keys, recipient, Path(out), contents, note_sent=False)
    return Written(
        Path(out),
        recipient.identity_id,
        [*contents.records, *contents.withdrawals],
        manifest["bundle_id"],
        manifest["sequence"]["to"],
        len(contents.records),
    )


def note_sent(store: RecordStore, written: Written) -> None:
    """On the writer, once the file is written: the ledger records what went."""
    from selfeval_app.exchange.bundle_write import note_delivered

    with store.transaction():
        note_delivered(store, written.recipient_id, written.versions, bundle_id=written.bundle_id, seq_to=written.seq_to)
