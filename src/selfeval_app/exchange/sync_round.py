"""One sync round (`selfeval sync`, "Sync now", or the automatic one), and its status.

Order: new cumulative bundles are written; waiting bundles put on the transport; the inbox is
imported and receipts written; receipts for our bundles are read (the ledger advances); files of
ours that are acknowledged are deleted. Every step is safe to stop at any point and to run again:
the state it needs is in the database, written in the transaction that makes it true.

A round that cannot reach the transport records the error (in words, in whichever language the
status is later shown) and when the next automatic try is due: exponential backoff from 30 s to
one hour, with jitter (a random 50–100 % of the step), persisted, so it survives restarts.

In the window the round runs off the database writer (network, files, crypto, planning, on a reader
of its own) and hands each database write to the writer as a short job of its own (`write`, see
`sync_state.Writer`): typing and saving go on while it runs. `stop()` (the window closing) ends
it between two steps; what was done is kept and the rest is done next round.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import inbox, outbox, own_devices, sync_state
from selfeval_app.exchange.keys import LocalKeys
from selfeval_app.exchange.transport import Transport

BACKOFF_FIRST = 30.0
BACKOFF_MAX = 3600.0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def backoff_seconds(failures: int, rand: Callable[[], float] = random.random) -> float:
    step = min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MAX)
    return step * (0.5 + 0.5 * rand())


def is_due(store: RecordStore, now: dt.datetime | None = None) -> bool:
    """Whether an automatic round should run now (a person's "Sync now" always runs)."""
    next_try = sync_state.status(store).get("next_try")
    if not next_try:
        return True
    return (now or _now()) >= dt.datetime.fromisoformat(next_try.replace("Z", "+00:00"))


def other_identities(store: RecordStore, keys: LocalKeys) -> list[LocalKeys]:
    """This installation's identities besides `keys` (a head's peer reviewer identity): a visit's
    bundles to and from them travel by the same sync."""
    from selfeval_app.exchange.identity_keys import all_keys

    return [k for k in all_keys(store.db.data_dir) if k.identity_id != keys.identity_id]


def run_round(
    store: RecordStore,
    keys: LocalKeys,
    transport: Transport,
    *,
    write: sync_state.Writer | None = None,
    stop: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """One round. `store` is read; writes go through `write` (default: on `store` itself).
    `stop()` is asked between steps: when it is true the round ends there (`stopped`)."""
    write = write or sync_state.direct(store)
    stop = stop or (lambda: False)
    result: dict[str, Any] = {
        "ok": False,
        "bundles_made": 0,
        "bundles_put": 0,
        "imported": 0,
        "records_in": 0,
        "duplicates": 0,
        "superseded": 0,
        "waiting": 0,
        "receipts_written": 0,
        "acknowledged": 0,
        "deleted": 0,
        "refused": [],
        "held": 0,
        "devices_changed": False,
        "error": None,
        "error_id": None,
        "stopped": False,
    }
    started = _now()
    others = other_identities(store, keys)
    steps: list[Callable[[], object]] = [
        transport.check,
        # our other laptops' device lists (a step of its own; nothing for a single laptop)
        lambda: result.__setitem__("devices_changed", own_devices.exchange_cards(store, keys, transport, write)),
        lambda: result.__setitem__("bundles_made", outbox.make_bundles(store, keys, write)),
        lambda: result.__setitem__("bundles_put", outbox.upload_waiting(store, transport, write)),
        lambda: inbox.receive(store, keys, transport, result, write, others),
        lambda: result.__setitem__("acknowledged", outbox.read_receipts(store, keys, transport, write, others)),
        lambda: result.__setitem__("deleted", outbox.run_cleanup(store, transport, write)),
    ]
    try:
        for step in steps:
            if stop():
                result["stopped"] = True
                return result
            step()
    except UserFacingError as exc:

        def note_failure(s: RecordStore, exc: UserFacingError = exc) -> None:
            status = sync_state.status(s)
            failures = int(status.get("failures", 0)) + 1
            status.update(
                last_attempt=_iso(started),
                last_error={"message_id": exc.message_id, "params": exc.params, "at": _iso(started)},
                failures=failures,
                next_try=_iso(started + dt.timedelta(seconds=backoff_seconds(failures))),
            )
            sync_state.save(s, "sync_status", status)

        write(note_failure)
        result["error"] = exc.message()
        result["error_id"] = exc.message_id
        return result

    def note_success(s: RecordStore) -> None:
        status = sync_state.status(s)
        status.update(last_attempt=_iso(started), last_success=_iso(started), failures=0, next_try=None)
        status["last_error"] = None
        status["waiting_files"] = result["waiting"]
        status["refused"] = result["refused"]
        status["held"] = result["held"]
        sync_state.save(s, "sync_status", status)

    write(note_success)
    result["ok"] = True
    return result
