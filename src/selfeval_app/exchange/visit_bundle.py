"""The bundles of a peer review visit (`bundle export --visit`, issue 12).

From the host (the visit's owner): the pack, exactly what the host chose for that visit
(`core.peer_review.pack_records`). From a reviewer: their own notes and findings of the visit.
Both are whole (not only what changed since the last bundle): a pack is small, and a record
already held is unchanged at import. A record sent earlier to that recipient that is no longer
part of it (made private, deleted, or only taken out of the visit's choice) is withdrawn with a
tombstone; once the visit is agreed or closed the pack is the visit alone, so the reviewers keep
only what they wrote (and the visit their notes belong to).

By file (`bundle export --visit V --out F`) or by sync (`--via-sync`, and the Send buttons where
sync is set up): `queue_visit_bundle` seals the same bundle into the sync outbox; the next round
puts it in the recipient's inbox, the recipient's round imports it like any bundle and writes a
signed receipt, and only that receipt advances the ledger (`exchange/outbox.py`). A visit's
bundles name the visit in their manifest: the reader keeps their sequence apart from the
sender's other bundles (`bundle_import.sequence_key`), and a newer one of a visit covers only that
visit's older ones (`outbox._stream`).
"""

from __future__ import annotations

from typing import Any

from selfeval_app.core import peer_review, share_ledger
from selfeval_app.core.attachments import stored_path
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import Record, RecordStore
from selfeval_app.exchange.bundle_write import BundleContents, Recipient
from selfeval_app.exchange.errors import ExampleRecipientError
from selfeval_app.exchange.keys import LocalKeys


class VisitBundleError(UserFacingError):
    """A visit bundle that cannot be made; nothing was written."""

    message_id = N_("No bundle was written for the visit %(visit_id)s: %(reason)s. Nothing was changed.")
    UNKNOWN = N_("there is no such visit here, and nothing written for it")
    NOT_IN_TEAM = N_("that contact is not in the visit's team")
    NOT_THE_HOST = N_("a reviewer's notes and findings go only to the host school")


def plan_visit_bundle(
    store: RecordStore, keys: LocalKeys, recipient: Recipient, visit_id: str, *, waiting: list[dict[str, Any]] | None = None
) -> BundleContents:
    """What goes to `recipient` for the visit. `waiting`: the visit's bundles to that recipient
    still waiting in the sync outbox (not acknowledged, so not in the ledger): what they carry
    that is no longer part of it is withdrawn too, whichever of them arrives."""
    if waiting is None:
        waiting = waiting_for(store, recipient.ledger_key, visit_id, keys.identity_id)
    if recipient.is_example != keys.is_example:
        raise ExampleRecipientError()
    visit = store.get("review_visit", visit_id)
    owner = keys.identity_id
    if visit is not None and visit["owner"] == owner:
        if not any(m.get("identity_id") == recipient.identity_id for m in visit.get("team") or [] if isinstance(m, dict)):
            raise VisitBundleError(visit_id=visit_id, reason=VisitBundleError.NOT_IN_TEAM)
        records = peer_review.pack_records(store, visit_id)

        def in_scope(rec: Record) -> bool:
            return True
    else:
        records = peer_review.reviewer_records(store, visit_id, owner)
        if visit is None and not records:
            raise VisitBundleError(visit_id=visit_id, reason=VisitBundleError.UNKNOWN)
        if visit is not None and visit["owner"] != recipient.identity_id:
            raise VisitBundleError(visit_id=visit_id, reason=VisitBundleError.NOT_THE_HOST)

        def in_scope(rec: Record) -> bool:
            return rec["type"] in peer_review.REVIEWER_TYPES and rec.get("visit_id") in (visit_id, None, "")
    records = [r for r in records if r["owner"] == owner and not r["deleted"]]
    attachments = {}
    for rec in list(records):
        if rec["type"] == "attachment" and rec.get("sha256"):
            path = stored_path(store.db.data_dir, rec["sha256"])
            if path.is_file():
                attachments[rec["sha256"]] = path
            else:  # as for ordinary bundles: `selfeval check` reports it; the record waits for it
                records.remove(rec)
    chosen = {r["id"] for r in records}
    # No id of a record of ours outside the pack (`exchange/redact.py`): whole each time, so a
    # record named by one that joined the pack goes with the fuller list at once.
    from selfeval_app.exchange import redact

    records = redact.copies_for(records, redact.withheld_ids(store, owner, chosen))
    withdrawals = []
    for sent in share_ledger.sent_to(store, recipient.identity_id).values():
        if sent.withdrawn or sent.record_id in chosen or sent.owner != owner:
            continue
        current = store.get(sent.type, sent.record_id, include_deleted=True)
        if current is None or not in_scope(current):
            continue
        if current["rev"] < sent.rev:
            continue  # the ledger is ahead of this folder (a restore): nothing safe to say
        # Changed since, or only left the pack unchanged: the reader takes an owner's
        # tombstone at the rev it holds as a withdrawal (RecordStore._apply_checked).
        withdrawals.append(share_ledger.withdrawal_version(store, current))
    withdrawn = {w["id"] for w in withdrawals}
    for entry in waiting:
        for v in entry.get("versions") or []:
            if v["deleted"] or v["id"] in chosen or v["id"] in withdrawn or v.get("owner") != owner:
                continue
            current = store.get(v["type"], v["id"], include_deleted=True)
            if current is None or not in_scope(current):
                continue
            withdrawals.append(share_ledger.withdrawal_version(store, current))
            withdrawn.add(v["id"])
    return BundleContents(records, withdrawals, attachments, visit_id=visit_id)


def waiting_for(store: RecordStore, contact_id: str, visit_id: str, identity_id: str) -> list[dict[str, Any]]:
    """The visit's bundles from `identity_id` to that contact waiting in the sync outbox, oldest
    first."""
    from selfeval_app.exchange import sync_state

    return [
        e
        for e in sync_state.outbox(store)
        if e.get("visit") == visit_id and e["contact"] == contact_id and (e.get("identity") or store.owner) == identity_id
    ]


class VisitSyncError(UserFacingError):
    """A visit's bundle that cannot go by sync; nothing was queued."""

    message_id = N_("The visit's bundle was not queued for sync: %(reason)s. Nothing was changed; you can save it as a file instead.")


def queue_visit_bundle(
    store: RecordStore,
    keys: LocalKeys,
    contact,
    visit_id: str,
    *,
    write=None,
    contents: BundleContents | None = None,
) -> tuple[dict[str, Any], bool]:
    """Queue the visit's bundle for `contact` in the sync outbox: sealed now (`seal_for_sync`),
    the entry saved in one short transaction (through `write`). Returns (the entry, whether it is
    new): when a waiting bundle of the visit already carries exactly this, nothing new is
    written. Refused (`VisitSyncError`) when sync is not set up."""
    from selfeval_app.exchange import sync_state

    write = write or sync_state.direct(store)
    entry, new = seal_for_sync(store, keys, contact, visit_id, contents=contents)
    if new:
        write(lambda s: save_entry(s, entry))
    return entry, new


def seal_for_sync(
    store: RecordStore, keys: LocalKeys, contact, visit_id: str, *, contents: BundleContents | None = None
) -> tuple[dict[str, Any], bool]:
    """Only reads (the window runs it off the database writer on a reader of its own): seal the
    visit's bundle into `<data>/sync-outbox/` and return its outbox entry, not saved yet
    (`save_entry`), and whether it is new (False: a waiting one carries exactly this already)."""
    from selfeval_app.exchange import outbox, sync_setup, sync_state

    if not sync_state.config(store):
        raise VisitSyncError(reason=sync_setup.NOT_SET_UP)
    recipient = Recipient.from_contact(contact)
    waiting = waiting_for(store, recipient.ledger_key, visit_id, keys.identity_id)
    if contents is None:
        contents = plan_visit_bundle(store, keys, recipient, visit_id, waiting=waiting)
    versions = outbox.pending_versions(contents)
    if waiting and sorted(map(outbox._key, versions)) == sorted(map(outbox._key, waiting[-1]["versions"])):
        return waiting[-1], False
    entry = outbox.write_outbox_bundle(store, keys, recipient, contents)
    entry.update(visit=visit_id, identity=keys.identity_id)
    return entry, True


def save_entry(store: RecordStore, entry: dict[str, Any]) -> None:
    """The sealed bundle waits for the next round. Joins the caller's transaction (the host's
    window also marks the visit "pack sent"); an entry already saved is not saved twice."""
    from selfeval_app.exchange import sync_state

    with store.transaction():
        entries = sync_state.outbox(store)
        if entry["bundle_id"] not in {e["bundle_id"] for e in entries}:
            sync_state.save(store, "sync_outbox", [*entries, entry])
