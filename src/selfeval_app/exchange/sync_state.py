"""What sync keeps between rounds, in the database's `meta` table (so it survives restarts and
crashes, and is written in the same transactions as what it describes):

- `sync_config`: the transport (`{"kind": "folder", "path"}` or `{"kind": "webdav", "url",
  "user"}`); never a password (that is in the OS keyring, see `sync_password.py`);
- `sync_outbox`: bundles written and not yet acknowledged, oldest first, each with the record
  versions it carries (`{bundle_id, contact, name, seq_to, created_at, versions}`); stored with
  each version as a row of `VERSION_KEYS` (`version_rows`) rather than a dict, since a year's
  bundle carries thousands and one JSON call holds the GIL for all of them (read back as dicts;
  entries stored before 2026-12-04, with `versions` as dicts, are read as they are);
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


#: The fields of a record version an outbox entry keeps, in the order of its stored rows.
VERSION_KEYS = ("id", "type", "owner", "rev", "visibility", "deleted")


def _outbox_stored(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        stored = {k: v for k, v in entry.items() if k != "versions"}
        stored["version_rows"] = [[v.get(k) for k in VERSION_KEYS] for v in entry.get("versions") or []]
        out.append(stored)
    return out


def _outbox_read(entries: Any) -> Any:
    if not isinstance(entries, list):
        return entries
    for entry in entries:
        if isinstance(entry, dict) and "version_rows" in entry:
            entry["versions"] = [dict(zip(VERSION_KEYS, row, strict=True)) for row in entry.pop("version_rows")]
    return entries


#: Keys stored in a form of their own (see the module's docstring): (to store, as read).
_FORMS = {"sync_outbox": (_outbox_stored, _outbox_read)}


def load(store: RecordStore, key: str, default: Any) -> Any:
    text = store.db.meta(key)
    if text is None:
        return default
    try:
        value = json.loads(text)
    except ValueError:
        return default
    form = _FORMS.get(key)
    return form[1](value) if form else value


def save(store: RecordStore, key: str, value: Any) -> None:
    """Joins the caller's transaction (or makes one)."""
    form = _FORMS.get(key)
    if form:
        value = form[0](value)
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
