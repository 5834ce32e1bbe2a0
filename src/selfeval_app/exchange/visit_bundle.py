"""The bundles of a peer review visit (`bundle export --visit`, issue 12).

From the host (the visit's owner): the pack, exactly what the host chose for that visit
(`core.peer_review.pack_records`). From a reviewer: their own notes and findings of the visit.
Both are whole (not only what changed since the last bundle): a pack is small, and a record
already held is unchanged at import. A record sent earlier to that recipient that is no longer
part of it (made private, deleted, or only taken out of the visit's choice) is withdrawn with a
tombstone; once the visit is agreed or closed the pack is the visit alone, so the reviewers keep
only what they wrote (and the visit their notes belong to).
"""

from __future__ import annotations

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


def plan_visit_bundle(store: RecordStore, keys: LocalKeys, recipient: Recipient, visit_id: str) -> BundleContents:
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
    return BundleContents(records, withdrawals, attachments)
