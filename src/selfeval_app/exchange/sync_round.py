"""One sync round (`selfeval sync`, "Sync now", or the automatic one), and its status.

Order: new cumulative bundles are written; waiting bundles put on the transport; the inbox is
imported and receipts written; receipts for our bundles are read (the ledger advances); files of
ours that are acknowledged are deleted. Every step is safe to stop at any point and to run again:
the state it needs is in the database, written in the transaction that makes it true.

A round that cannot reach the transport records the error (in words, in whichever language the
status is later shown) and when the next automatic try is due: exponential backoff from 30 s to
one hour, with jitter (a random 50–100 % of the step), persisted, so it survives restarts.
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


def run_round(store: RecordStore, keys: LocalKeys, transport: Transport) -> dict[str, Any]:
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
        "error": None,
    }
    started = _now()
    try:
        transport.check()
        own_devices.exchange_cards(store, keys, transport)  # our other laptops' device lists
        result["bundles_made"] = outbox.make_bundles(store, keys)
        result["bundles_put"] = outbox.upload_waiting(store, transport)
        inbox.receive(store, keys, transport, result)
        result["acknowledged"] = outbox.read_receipts(store, keys, transport)
        result["deleted"] = outbox.run_cleanup(store, transport)
    except UserFacingError as exc:
        status = sync_state.status(store)
        failures = int(status.get("failures", 0)) + 1
        status.update(
            last_attempt=_iso(started),
            last_error={"message_id": exc.message_id, "params": exc.params, "at": _iso(started)},
            failures=failures,
            next_try=_iso(started + dt.timedelta(seconds=backoff_seconds(failures))),
        )
        sync_state.save(store, "sync_status", status)
        result["error"] = exc.message()
        return result
    status = sync_state.status(store)
    status.update(last_attempt=_iso(started), last_success=_iso(started), failures=0, next_try=None)
    status["last_error"] = None
    status["waiting_files"] = result["waiting"]
    status["refused"] = result["refused"]
    status["held"] = result["held"]
    sync_state.save(store, "sync_status", status)
    result["ok"] = True
    return result
