"""The outbox: what is due for each contact goes out as one cumulative bundle, and is marked
delivered only when the contact's signed receipt comes back.

Each round, for every contact:
1. `plan_bundle` gives everything the contact has not acknowledged (the ledger advances only on a
   receipt), plus withdrawals for records a still-unacknowledged bundle carried that the contact
   may no longer have. If every one of those versions is already in a waiting bundle, nothing new
   is written; otherwise a new bundle with all of them (so the newest waiting bundle always
   covers the older ones).
2. Waiting bundles (kept in `<data>/sync-outbox/` until acknowledged) that are not on the
   transport are put there (again, if they vanished).
3. Receipts for waiting bundles are read and checked (`receipts.receipt_device`). Once every
   device the bundle was sealed to (and still active) has sent its receipt, that
   advances the ledger for what that bundle carried, in one transaction that also drops it and
   every older waiting bundle of that contact (the newer ones cover them) and queues their files
   for deletion; the deletions happen after the commit.

Every step reads through the `store` it is given and writes only through `write`
(`sync_state.Writer`): in the window the store is a reader of the round's own, off the database
writer, and each write is one short job on the writer; elsewhere both are the same store.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core import share_ledger
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts as contacts_mod
from selfeval_app.exchange import receipts, redact, sync_state
from selfeval_app.exchange.bundle_write import (
    BundleContents,
    Recipient,
    note_delivered,
    plan_bundle,
    write_bundle,
)
from selfeval_app.exchange.errors import ExampleRecipientError
from selfeval_app.exchange.keys import LocalKeys
from selfeval_app.exchange.ledger import allowed_visibilities
from selfeval_app.exchange.transport import (
    BUNDLE_SUFFIX,
    RECEIPT_SUFFIX,
    NotYetAvailable,
    Transport,
    inbox,
)
from selfeval_app.exchange.transport import (
    receipts as receipts_place,
)

VERSION_KEYS = sync_state.VERSION_KEYS
# A peer reviewer may hold `peers` records only of a visit the school set up (DESIGN §11): what
# goes to a reviewer is chosen per visit (`bundle export --visit`, or queued by sync with
# `exchange/visit_bundle.queue_visit_bundle`), never sent by sync on its own.
SENT_BY_SYNC = frozenset({"la", "school"})
# Whom sync sends to on its own, by our identity's role: a school (and its laptops) to its LA, an
# LA to its schools. A reviewer's notes and findings go only as a visit's bundle, and a school
# never sends another school anything on its own (a partner or a reviewer's own school).
SENT_BY_SYNC_FROM = {"school": frozenset({"la"}), "la": frozenset({"school"}), "reviewer": frozenset()}


def _sync_contacts(store: RecordStore, keys: LocalKeys | None = None):
    """Contacts sync sends to, and (given our keys) each other laptop of ours: a recipient of its
    own, keyed by its device id (`own_devices.sync_targets`)."""
    roles = SENT_BY_SYNC if keys is None else SENT_BY_SYNC_FROM.get(keys.identity.get("role", ""), frozenset())
    found = [c for c in contacts_mod.all_contacts(store) if c.role in roles]
    if keys is not None:
        from selfeval_app.exchange.own_devices import sync_targets

        found += sync_targets(keys)
    return found


def _contact(store: RecordStore, keys: LocalKeys, contact_id: str):
    from selfeval_app.exchange.own_devices import target

    return contacts_mod.get(store, contact_id) or target(keys, contact_id)


def outbox_dir(store: RecordStore) -> Path:
    return Path(store.db.data_dir) / "sync-outbox"


def _slim(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: rec.get(k) for k in VERSION_KEYS}


def _key(v: dict[str, Any]) -> tuple[str, int, bool]:
    return (v["id"], int(v["rev"]), bool(v["deleted"]))


def is_visit_entry(entry: dict[str, Any]) -> bool:
    """A visit's bundle queued by a person (`visit_bundle.queue_visit_bundle`), not sync's own."""
    return bool(entry.get("visit"))


def _stream(entry: dict[str, Any]) -> tuple[str, str, str]:
    """Bundles of one stream supersede each other (each newer one carries all the older did):
    sync's own bundles to a contact, or the bundles of one visit from one identity to a contact."""
    return (entry["contact"], entry.get("visit") or "", entry.get("identity") or "")


def write_outbox_bundle(store: RecordStore, keys: LocalKeys, recipient: Recipient, contents: BundleContents) -> dict[str, Any]:
    """Seal `contents` into the sync outbox folder under its bundle id's name (a temporary name,
    then a rename); returns the outbox entry to save (nothing is saved here)."""
    folder = outbox_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".new-", suffix=BUNDLE_SUFFIX, dir=folder)
    tmp = Path(tmp_name)
    os.close(fd)
    try:
        manifest = write_bundle(store, keys, recipient, tmp, contents, note_sent=False)
        name = manifest["bundle_id"] + BUNDLE_SUFFIX
        tmp.replace(folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return outbox_entry(manifest, name, recipient, contents)


def outbox_entry(manifest: dict[str, Any], name: str, recipient: Recipient, contents: BundleContents) -> dict[str, Any]:
    return {
        "bundle_id": manifest["bundle_id"],
        "contact": recipient.ledger_key,
        "name": name,
        "seq_to": manifest["sequence"]["to"],
        "created_at": manifest["created_at"],
        "versions": pending_versions(contents),
        "devices": sorted(d["device_id"] for d in recipient.devices),  # each receipts it
    }


def plan_for(store: RecordStore, keys: LocalKeys, contact, waiting: list[dict[str, Any]]) -> BundleContents:
    """What the contact has not acknowledged, with withdrawals for what a waiting bundle may
    have given it and it may no longer hold."""
    contents = plan_bundle(store, keys, Recipient.from_contact(contact))
    planned = {r["id"] for r in [*contents.records, *contents.withdrawals]}
    allowed = allowed_visibilities(contact.role)
    withdrawn: set[str] = set()
    for entry in waiting:
        for v in entry["versions"]:
            if v["id"] in planned or v["deleted"]:
                continue
            current = store.get(v["type"], v["id"], include_deleted=True)
            if current is None or current["deleted"] or current["visibility"] not in allowed:
                if current is not None:
                    contents.withdrawals.append(share_ledger.withdrawal_version(store, current))
                    planned.add(v["id"])
                    withdrawn |= redact.ids_within(current)
    if withdrawn and contact.role != "own":
        # a waiting bundle's record that names one withdrawn here goes again without it
        # (exchange/redact.py), whichever of the bundles the contact reads last
        withheld = redact.withheld_ids(store, keys.identity_id, visibilities=allowed)
        for entry in waiting:
            for v in entry["versions"]:
                if v["id"] in planned or v["deleted"]:
                    continue
                current = store.get(v["type"], v["id"])
                if current is not None and current["visibility"] in allowed and redact.mentions(current, withdrawn):
                    contents.records.append(redact.copy_for(current, withheld))
                    planned.add(v["id"])
    return contents


def pending_versions(contents: BundleContents) -> list[dict[str, Any]]:
    return [_slim(r) for r in [*contents.records, *contents.withdrawals]]


def _plan_mark(store: RecordStore, keys: LocalKeys | None = None) -> str:
    """Changes whenever what is due could have grown: a record written (the change log), one
    purged (the tables' counts and revs), a contact trusted, renewed or removed, a device removed.
    (The ledger only shrinks what is due, except on an acknowledgement, which clears the mark.)"""
    conn = store.conn
    parts = [str(conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])]
    for t in rt.RECORD_TYPES:
        parts.append(",".join(str(v) for v in conn.execute(f'SELECT count(*), total(rev), total(deleted) FROM "{t}"').fetchone()))
    parts.append(str(conn.execute("SELECT group_concat(identity_id || fingerprint) FROM exchange_contact").fetchone()[0]))
    parts.append(str(conn.execute("SELECT count(*) FROM exchange_removed_device").fetchone()[0]))
    if keys is not None:  # our own laptops: one added or removed
        from selfeval_app.exchange.own_devices import device_mark

        parts.append(device_mark(keys))
    return "|".join(parts)


def make_bundles(store: RecordStore, keys: LocalKeys, write: sync_state.Writer | None = None) -> int:
    """Write a new cumulative bundle for each contact with something not yet in a waiting one.
    Skipped when nothing that could make something due has changed since the last time.

    Planning and writing the bundle only read (`write_bundle(note_sent=False)`); the mark is taken
    before planning, so a record saved meanwhile changes it and is planned next round."""
    write = write or sync_state.direct(store)
    mark = _plan_mark(store, keys)
    if store.db.meta("sync_plan_mark") == mark:
        return 0
    made = 0
    for contact in _sync_contacts(store, keys):
        if contact.is_example != keys.is_example or not contact.active_devices:
            continue
        entries = sync_state.outbox(store)
        waiting = [e for e in entries if e["contact"] == contact.identity_id and not is_visit_entry(e)]
        try:
            contents = plan_for(store, keys, contact, waiting)
        except ExampleRecipientError:
            continue
        versions = pending_versions(contents)
        if not versions:
            continue
        covered = {_key(v) for e in waiting for v in e["versions"]}
        if all(_key(v) in covered for v in versions):
            continue
        entry = write_outbox_bundle(store, keys, Recipient.from_contact(contact), contents)
        write(lambda s, entry=entry: sync_state.save(s, "sync_outbox", [*sync_state.outbox(s), entry]))
        made += 1

    def note_mark(s: RecordStore) -> None:
        with s.transaction():
            s.db.set_meta("sync_plan_mark", mark)

    write(note_mark)
    return made


def upload_waiting(store: RecordStore, transport: Transport, write: sync_state.Writer | None = None) -> int:
    """Put every waiting bundle that is not on the transport there."""
    write = write or sync_state.direct(store)
    put = 0
    by_contact: dict[str, set[str]] = {}
    for entry in sync_state.outbox(store):
        place = inbox(entry["contact"])
        if entry["contact"] not in by_contact:
            by_contact[entry["contact"]] = {f.name for f in transport.list(place, BUNDLE_SUFFIX)}
        if entry["name"] in by_contact[entry["contact"]]:
            continue
        local = outbox_dir(store) / entry["name"]
        if not local.is_file():
            write(lambda s, entry=entry: _forget_lost(s, entry))  # lost here and there (a restored backup): sent anew
            continue
        transport.write(place, entry["name"], local)
        put += 1
    return put


def _forget_lost(store: RecordStore, entry: dict[str, Any]) -> None:
    """A waiting bundle that is neither here nor on the transport: drop it, so its records are
    planned into a new bundle (nothing was acknowledged, so nothing is lost)."""
    with store.transaction():
        kept = [e for e in sync_state.outbox(store) if e["bundle_id"] != entry["bundle_id"]]
        sync_state.save(store, "sync_outbox", kept)
        store.db.set_meta("sync_plan_mark", "")


def read_receipts(
    store: RecordStore,
    keys: LocalKeys,
    transport: Transport,
    write: sync_state.Writer | None = None,
    others: list[LocalKeys] | tuple[LocalKeys, ...] = (),
) -> int:
    """Take in the receipts for waiting bundles; returns how many bundles were acknowledged.
    `others`: this installation's other identities (a head's reviewer identity), whose visit
    bundles wait for receipts in their own place."""
    acknowledged = _read_receipts_of(store, keys, transport, write, primary=keys.identity_id)
    for other in others:
        acknowledged += _read_receipts_of(store, other, transport, write, primary=keys.identity_id)
    return acknowledged


def _sender_of(entry: dict[str, Any], primary: str) -> str:
    return entry.get("identity") or primary


def _read_receipts_of(store: RecordStore, keys: LocalKeys, transport: Transport, write: sync_state.Writer | None, *, primary: str) -> int:
    write = write or sync_state.direct(store)
    waiting = {e["bundle_id"]: e for e in sync_state.outbox(store) if _sender_of(e, primary) == keys.identity_id}
    if not waiting:
        return 0
    acknowledged = 0
    seen: dict[str, set[str]] = {}  # bundle id -> devices whose sound receipt is there
    for remote in transport.list(receipts_place(keys.identity_id), RECEIPT_SUFFIX):
        bundle_id = receipts.parse_bundle_id(remote.name, RECEIPT_SUFFIX)
        entry = waiting.get(bundle_id or "")
        if entry is None or remote.size > receipts.MAX_RECEIPT_BYTES:
            continue
        contact = _contact(store, keys, entry["contact"])
        if contact is None:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "receipt"
            try:
                transport.read(receipts_place(keys.identity_id), remote.name, dest)
            except NotYetAvailable:
                continue
            data = dest.read_bytes()
        device = receipts.receipt_device(data, contact=contact, our_identity=keys.identity_id, bundle_id=entry["bundle_id"])
        if device is None:
            continue
        seen.setdefault(entry["bundle_id"], set()).add(device)
        if not _all_received(entry, contact, seen[entry["bundle_id"]]):
            continue  # another laptop of that school has not taken it yet
        if write(lambda s, entry=entry: _acknowledge(s, entry)):
            acknowledged += 1
        waiting = {e["bundle_id"]: e for e in sync_state.outbox(store) if _sender_of(e, primary) == keys.identity_id}
    return acknowledged


def _all_received(entry: dict[str, Any], contact, devices: set[str]) -> bool:
    """Every device the bundle was sealed to that is still active has sent its receipt (an
    entry from before devices were noted: any one receipt)."""
    wanted = set(entry.get("devices") or ()) & {d["device_id"] for d in contact.active_devices}
    return bool(devices) and wanted <= devices


def _acknowledge(store: RecordStore, entry: dict[str, Any]) -> bool:
    entries = sync_state.outbox(store)
    if entry["bundle_id"] not in {e["bundle_id"] for e in entries}:
        return False
    position = next(i for i, e in enumerate(entries) if e["bundle_id"] == entry["bundle_id"])
    # this bundle and the older ones of its stream, which it covers (a visit's bundle covers only
    # that visit's older ones; sync's own cover only sync's own)
    done = [e for i, e in enumerate(entries) if _stream(e) == _stream(entry) and i <= position]
    kept = [e for e in entries if e not in done]
    with store.transaction():
        note_delivered(store, entry["contact"], entry["versions"], bundle_id=entry["bundle_id"], seq_to=entry["seq_to"])
        sync_state.save(store, "sync_outbox", kept)
        store.db.set_meta("sync_plan_mark", "")  # what is due changed: plan again
        sync_state.save(
            store,
            "sync_cleanup",
            [*sync_state.cleanup(store), *([inbox(e["contact"]), e["name"]] for e in done)],
        )
    for e in done:
        with contextlib.suppress(OSError):
            (outbox_dir(store) / e["name"]).unlink()
    return True


def run_cleanup(store: RecordStore, transport: Transport, write: sync_state.Writer | None = None) -> int:
    """Delete files of ours that are no longer needed (only those queued: acknowledged)."""
    write = write or sync_state.direct(store)
    removed = 0
    for place, name in list(sync_state.cleanup(store)):
        transport.delete(place, name)
        done = [place, name]
        write(lambda s, done=done: sync_state.save(s, "sync_cleanup", [p for p in sync_state.cleanup(s) if p != done]))
        removed += 1
    return removed


def pending_counts(store: RecordStore, keys: LocalKeys) -> dict[str, dict[str, int]]:
    """Per contact: record versions not yet acknowledged, bundles waiting on a receipt, and of
    those the visits' bundles a person queued (a reviewer or a host: a contact sync sends
    nothing to on its own is listed only while a visit's bundle waits for it)."""
    out: dict[str, dict[str, int]] = {}
    entries = sync_state.outbox(store)
    for contact in _sync_contacts(store, keys):
        waiting = [e for e in entries if e["contact"] == contact.identity_id and not is_visit_entry(e)]
        try:
            versions = pending_versions(plan_for(store, keys, contact, waiting))
        except ExampleRecipientError:
            versions = []
        out[contact.identity_id] = {"records": len(versions), "bundles": len(waiting), "visit_bundles": 0}
    newest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in entries:
        if is_visit_entry(e):
            newest[_stream(e)] = e  # oldest first: the last one covers the others
            counts = out.setdefault(e["contact"], {"records": 0, "bundles": 0, "visit_bundles": 0})
            counts["bundles"] += 1
            counts["visit_bundles"] += 1
    for e in newest.values():
        out[e["contact"]]["records"] += len(e["versions"])
    return out
