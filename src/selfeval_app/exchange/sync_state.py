"""What sync keeps between rounds, in the database's `meta` table (so it survives restarts and
crashes, and is written in the same transactions as what it describes):

- `sync_config`: the transport (`{"kind": "folder", "path"}` or `{"kind": "webdav", "url",
  "user"}`); never a password (that is in the OS keyring, see `sync_password.py`);
- `sync_outbox`: bundles written and not yet acknowledged, oldest first, each with the record
  versions it carries (`{bundle_id, contact, name, seq_to, created_at, versions}`);
- `sync_cleanup`: files of ours on the transport to delete (acknowledged bundles, receipts whose
  bundle is gone): `[place, name]` pairs, tried each round until done;
- `sync_inbox`: files of the inbox already dealt with (`done`: name -> size), receipts we are
  writing or wrote (`receipts`: bundle id -> sender identity, noted before the write so it is
  always cleaned up) and those known written (`written`); bundles from our other laptops held
  because they would delete more than a tenth of the school's records (`held`: name -> counts)
  and those a person confirmed (`confirmed`);
- `sync_status`: last success, last error (a catalog message id and its values, so it is shown in
  the language of whoever reads it), failures in a row and when the next automatic try is due.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from selfeval_app.core.records import RecordStore

T = TypeVar("T")
#: Runs `fn(writer_store)` on the database writer and returns its result. The sync steps read
#: through the store they are given (in the window: a reader of their own, off the writer) and
#: write only through this, in short transactions (in the window: one writer job each).
Writer = Callable[[Callable[[RecordStore], T]], T]


def direct(store: RecordStore) -> Writer:
    """Writes on the same store the round reads (the command line, the tests)."""
    return lambda fn: fn(store)


def load(store: RecordStore, key: str, default: Any) -> Any:
    text = store.db.meta(key)
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def save(store: RecordStore, key: str, value: Any) -> None:
    """Joins the caller's transaction (or makes one)."""
    with store.transaction():
        store.db.set_meta(key, json.dumps(value, ensure_ascii=False, sort_keys=True))


def config(store: RecordStore) -> dict[str, Any] | None:
    return load(store, "sync_config", None)


def outbox(store: RecordStore) -> list[dict[str, Any]]:
    return load(store, "sync_outbox", [])


def cleanup(store: RecordStore) -> list[list[str]]:
    return load(store, "sync_cleanup", [])


def inbox(store: RecordStore) -> dict[str, Any]:
    state = load(store, "sync_inbox", {})
    state.setdefault("done", {})
    state.setdefault("receipts", {})
    state.setdefault("written", {})
    state.setdefault("held", {})  # name -> what it would delete (another laptop of ours)
    state.setdefault("confirmed", [])  # held names a person confirmed: applied next round
    return state


def status(store: RecordStore) -> dict[str, Any]:
    return load(store, "sync_status", {})
