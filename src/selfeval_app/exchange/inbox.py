"""The inbox: every bundle addressed to us is imported once, and a signed receipt goes back.

For each file in `inbox/<our identity>/` and, once the school has more than one laptop,
`inbox/<this device>/` (what our other laptops send; see `own_devices.py`), in name order:
- already dealt with (same name and size): skipped without opening it;
- named after a bundle we wrote a receipt for (a cloud client's conflict copy, a second copy):
  nothing to do;
- otherwise copied here, verified and imported (a bundle already imported is a no-op, so a copy
  under another name is recognised by its signed bundle id and imported once), then the receipt
  is written to `receipts/<sender>/`. A crash between the import and the receipt only means the
  receipt is written on the next round.
- A bundle refused as older than one already imported from the same computer is superseded (the
  newer one is cumulative): no receipt; its sender drops it when the newer one is acknowledged.
  A visit's bundle superseded so is receipted (the newer one of that visit may have come as a
  file, which no receipt acknowledges).
  Any other refusal is kept in the status, and the file is left alone (one from a sender who is
  not a contact yet is tried again each round, so it is imported once the contact is added).
- A file that is not downloaded yet is left for a later round.
Receipts whose bundle has gone from the inbox (the sender deleted it after reading the receipt)
are deleted in turn.

Reading and checking a bundle (decrypting, signatures) only reads, through `store`; the import,
one transaction, and the inbox state go through `write` (`sync_state.Writer`: in the window, one
job each on the database writer).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import errors, receipts, sync_state
from selfeval_app.exchange.bundle_import import MassDeleteHeld, import_verified
from selfeval_app.exchange.bundle_read import read_bundle
from selfeval_app.exchange.errors import BundleRefused
from selfeval_app.exchange.keys import LocalKeys
from selfeval_app.exchange.transport import (
    BUNDLE_SUFFIX,
    NotYetAvailable,
    Transport,
    inbox,
)
from selfeval_app.exchange.transport import (
    receipts as receipts_place,
)

# Refusals that can end without the file changing: tried again each round.
RETRIED = frozenset({errors.UNKNOWN_SENDER})


def receive(
    store: RecordStore,
    keys: LocalKeys,
    transport: Transport,
    result: dict[str, Any],
    write: sync_state.Writer | None = None,
    others: list[LocalKeys] | tuple[LocalKeys, ...] = (),
) -> None:
    """`others`: this installation's other identities (a head's peer reviewer identity): the
    bundles addressed to each (a visit's pack) are read with its keys and receipted in its name."""
    write = write or sync_state.direct(store)
    # Bundles for the school (from its contacts) and for this laptop (from our other laptops).
    places = [(keys, inbox(keys.identity_id))]
    if len(keys.devices) > 1:
        places.append((keys, inbox(keys.device.device_id)))
    places += [(other, inbox(other.identity_id)) for other in others if other.identity_id != keys.identity_id]
    found = [(place, remote, who) for who, place in places for remote in transport.list(place, BUNDLE_SUFFIX)]
    listing = [remote for _place, remote, _who in found]
    state = sync_state.inbox(store)
    done: dict[str, int] = state["done"]
    for place, remote, who in found:
        if done.get(remote.name) == remote.size:
            continue
        if remote.name in state["held"] and remote.name not in state["confirmed"]:
            result["held"] = result.get("held", 0) + 1  # waits for a person (see `held`)
            continue
        bundle_id = receipts.parse_bundle_id(remote.name, BUNDLE_SUFFIX)
        if bundle_id is not None and bundle_id in state["written"]:
            write(lambda s, r=remote: _mark_done(s, r.name, r.size))
            result["duplicates"] += 1
            continue
        with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
            local = Path(tmp) / remote.name
            try:
                transport.read(place, remote.name, local)
            except NotYetAvailable:
                result["waiting"] += 1
                continue
            if local.stat().st_size != remote.size:  # changed or cut short since it was listed
                result["waiting"] += 1
                continue
            try:
                bundle = read_bundle(store, who, local, stop_if_imported=True)
            except BundleRefused as exc:
                write(lambda s, r=remote, exc=exc: _refused(s, r.name, r.size, exc, result))
                continue
            try:
                try:
                    allow = remote.name in state["confirmed"]
                    report = write(lambda s, bundle=bundle, allow=allow: import_verified(s, bundle, allow_mass_delete=allow))
                except MassDeleteHeld as exc:
                    write(lambda s, r=remote, bundle=bundle, exc=exc: _hold(s, r.name, bundle, exc))
                    result["held"] = result.get("held", 0) + 1
                    continue
                except BundleRefused as exc:
                    write(lambda s, r=remote, exc=exc: _refused(s, r.name, r.size, exc, result))
                    if exc.reason == errors.REPLAYED and bundle.manifest.get("visit"):
                        # A visit's bundle older than one of that visit held here (a newer one
                        # came as a file): nothing in it is new, and no newer one of it may come
                        # by sync to stand for it at the sender, so it is receipted all the same.
                        _send_receipt(store, who, transport, bundle.bundle_id, bundle.sender_identity, write)
                        result["receipts_written"] += 1
                    continue
                sender, real_id = bundle.sender_identity, bundle.bundle_id
            finally:
                bundle.close()
        if report.get("already_imported"):
            result["duplicates"] += 1
        else:
            result["imported"] += 1
            result["records_in"] += sum(len(report.get(k, [])) for k in ("new", "changed", "withdrawn") if isinstance(report.get(k), list))
        _send_receipt(store, who, transport, real_id, sender, write)
        result["receipts_written"] += 1
        write(lambda s, r=remote: _mark_done(s, r.name, r.size))
        if remote.name in state["held"]:
            write(lambda s, r=remote: _unhold(s, r.name))
    device_id = keys.device.device_id
    write(lambda s: _forget_gone(s, listing, device_id))


def _work_dir(store: RecordStore) -> Path:
    folder = Path(store.db.data_dir) / "sync-incoming"
    folder.mkdir(exist_ok=True)
    return folder


def _send_receipt(
    store: RecordStore, keys: LocalKeys, transport: Transport, bundle_id: str, sender: str, write: sync_state.Writer
) -> None:
    data = receipts.make_receipt(keys, bundle_id=bundle_id, sender_identity=sender)

    def note(s: RecordStore, kind: str) -> None:
        state = sync_state.inbox(s)
        state[kind][bundle_id] = sender
        if kind == "receipts" and keys.identity_id != s.owner:  # signed by another identity of ours
            state.setdefault("receipt_devices", {})[bundle_id] = keys.device.device_id
        sync_state.save(s, "sync_inbox", state)

    write(lambda s: note(s, "receipts"))  # before the write, so a receipt is never forgotten
    with tempfile.TemporaryDirectory(dir=_work_dir(store)) as tmp:
        path = Path(tmp) / "receipt"
        path.write_bytes(data)
        transport.write(receipts_place(sender), receipts.receipt_name(bundle_id, keys.device.device_id), path)
    write(lambda s: note(s, "written"))


def _mark_done(store: RecordStore, name: str, size: int) -> None:
    state = sync_state.inbox(store)
    state["done"][name] = size
    sync_state.save(store, "sync_inbox", state)


def _refused(store: RecordStore, name: str, size: int, exc: BundleRefused, result: dict[str, Any]) -> None:
    if exc.reason not in RETRIED:
        _mark_done(store, name, size)
    if name in sync_state.inbox(store)["held"]:
        _unhold(store, name)  # confirmed, then found superseded by a newer one
    if exc.reason == errors.REPLAYED:
        result["superseded"] += 1
        return
    result["refused"].append({"name": name, "message_id": exc.message_id, "params": exc.params})


def _forget_gone(store: RecordStore, listing, device_id: str) -> None:
    """Forget files no longer in the inbox (seen in a listing that worked), and queue our receipts
    for bundles that are gone: their sender read the receipt and deleted the bundle."""
    present = {f.name for f in listing}
    present_ids = {receipts.parse_bundle_id(n, BUNDLE_SUFFIX) for n in present}
    state = sync_state.inbox(store)
    gone_receipts = {b: s for b, s in state["receipts"].items() if b not in present_ids}
    if not gone_receipts and all(n in present for n in [*state["done"], *state["held"]]):
        return
    state["done"] = {n: s for n, s in state["done"].items() if n in present}
    state["held"] = {n: h for n, h in state["held"].items() if n in present}
    state["confirmed"] = [n for n in state["confirmed"] if n in present]
    state["receipts"] = {b: s for b, s in state["receipts"].items() if b in present_ids}
    state["written"] = {b: s for b, s in state["written"].items() if b in present_ids}
    devices = state.get("receipt_devices") or {}
    if devices:
        state["receipt_devices"] = {b: d for b, d in devices.items() if b in present_ids}
    with store.transaction():
        sync_state.save(store, "sync_inbox", state)
        sync_state.save(
            store,
            "sync_cleanup",
            [
                *sync_state.cleanup(store),
                *([receipts_place(s), receipts.receipt_name(b, devices.get(b, device_id))] for b, s in gone_receipts.items()),
            ],
        )


# --- bundles held for a person: another laptop of ours deleting more than a tenth ---------------


def _hold(store: RecordStore, name: str, bundle, exc: MassDeleteHeld) -> None:
    state = sync_state.inbox(store)
    state["held"][name] = {
        "bundle_id": bundle.bundle_id,
        "sender_device": bundle.sender_device,
        "created_at": bundle.manifest.get("created_at"),
        "deleting": exc.deleting,
        "total": exc.total,
    }
    state["confirmed"] = [n for n in state["confirmed"] if n != name]
    sync_state.save(store, "sync_inbox", state)


def _unhold(store: RecordStore, name: str) -> None:
    state = sync_state.inbox(store)
    state["held"].pop(name, None)
    state["confirmed"] = [n for n in state["confirmed"] if n != name]
    sync_state.save(store, "sync_inbox", state)


def held(store: RecordStore) -> list[dict[str, Any]]:
    """Bundles from our other laptops waiting for a person to confirm their deletions (the
    newest first); each with `name`, `deleting`, `total`, `sender_device`, `confirmed`."""
    state = sync_state.inbox(store)
    out = [{"name": n, **h, "confirmed": n in state["confirmed"]} for n, h in state["held"].items()]
    return sorted(out, key=lambda h: (h.get("created_at") or "", h["name"]), reverse=True)


def confirm_held(store: RecordStore, name: str | None = None) -> int:
    """A person said yes: the held bundle (or every held one) is applied on the next round.
    Returns how many were confirmed. Saying no needs nothing: the bundle stays held."""
    state = sync_state.inbox(store)
    names = [n for n in state["held"] if name is None or n == name]
    state["confirmed"] = sorted({*state["confirmed"], *names})
    sync_state.save(store, "sync_inbox", state)
    return len(names)
