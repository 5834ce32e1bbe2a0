"""No private record's id leaves the laptop (issue 13): a recipient's copy of a record names only
records that recipient may receive.

A shared record's links can name records its recipient may not have: a priority shared with the
LA whose `evidence_ids` include private evidence, an evidence item's `statement_ids` naming the
statements of a private evaluation, a review summary's `visit_id` naming the (private) visit. The
private record never leaves; with this, neither does its id. The rule, for every bundle to anyone
but our own laptops (which hold everything):

- "Withheld" ids are the ids of our records the recipient may not receive (of a visibility it may
  not hold, deleted, or for a visit's pack not in the pack), with the ids inside their structured
  fields (an evaluation's statement ids, a visit's question ids).
- In a list of ids (a REFS field, or a list inside a JSON field) a withheld id is left out; a
  JSON object in a list whose `id` is withheld (a report's `sources` entry) is left out.
- A single id (a REF field, a text field holding an id, a value in a JSON object) that is withheld
  becomes "" when the field is optional; when it is required it becomes a stand-in,
  `withheld-<first 32 hex of SHA-256 of the id>`: the same for every record naming it, so two
  shared records that name one private record still belong together at the recipient (a review
  summary and the responses of its visit), and it names nothing there.
- Ids that are not our records (framework area ids, another owner's records) are kept.

The copy is a pure function of the record and the withheld set, so it is the same every round
and its content hash (computed again on the copy) matches the receiver's: no conflict. The
receiver takes a copy that differs from the one it holds at the same rev only in such link fields
as the owner's newer copy (`exchange/apply.py`), so when a referenced record later becomes
shared, the records naming it are sent again (`resend_for`) with the fuller list, at the same rev.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.records import Record, RecordStore, content_hash

STAND_IN_PREFIX = "withheld-"
#: Field kinds a recipient's copy may differ in from the full record.
LINK_KINDS = frozenset({rt.REF, rt.REFS, rt.JSON, rt.TEXT})


def stand_in(record_id: str) -> str:
    return STAND_IN_PREFIX + hashlib.sha256(("selfeval-withheld:" + record_id).encode("utf-8")).hexdigest()[:32]


def _sub_ids(value: Any, out: set[str]) -> None:
    """The `id` values of the objects inside a JSON value (statement ids, question ids)."""
    if isinstance(value, dict):
        sub = value.get("id")
        if isinstance(sub, str) and sub:
            out.add(sub)
        for v in value.values():
            _sub_ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _sub_ids(v, out)


def ids_within(rec: Record) -> set[str]:
    """A record's id and the ids of what its structured fields hold."""
    out = {rec["id"]}
    t = rt.RECORD_TYPES.get(rec["type"])
    if t is not None:
        for f in t.fields:
            if f.kind == rt.JSON:
                _sub_ids(rec.get(f.name), out)
    return out


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Withheld(set):
    """The ids a recipient's copy leaves out (a set), and the ids it may keep in a link field with
    targets (`known`: every record here, of any owner, and the parts of each, but the withheld):
    a record-shaped id there that names nothing here (a statement of a purged evaluation) is left
    out too, since what it named can no longer be shared."""

    known: set[str] | None = None

    def drops_link(self, value: str) -> bool:
        if value in self:
            return True
        return self.known is not None and bool(_UUID.match(value)) and value not in self.known


def withheld_ids(store: RecordStore, owner: str, receivable: Iterable[str] | None = None, *, visibilities: Iterable[str] = ()) -> Withheld:
    """The ids of `owner`'s records (and of their structured fields' items) the recipient may
    not receive: those not in `receivable` when it is given (a visit's pack), else those deleted
    or of a visibility not in `visibilities`."""
    allowed_ids = set(receivable) if receivable is not None else None
    allowed_vis = tuple(visibilities)
    out = Withheld()
    seen: set[str] = set()  # every record here and its parts
    kept: set[str] = set()  # a withheld record's JSON may name a receivable one (a report's sources)
    for t in rt.RECORD_TYPES.values():
        json_fields = [f.name for f in t.fields if f.kind == rt.JSON]
        cols = ", ".join(["id", "owner", "visibility", "deleted", *(f'"{n}"' for n in json_fields)])
        for row in store.conn.execute(f'SELECT {cols} FROM "{t.name}"'):
            rid, row_owner, visibility, deleted = row[0], row[1], row[2], row[3]
            parts: set[str] = {rid}
            for text in row[4:]:
                if text:
                    try:
                        _sub_ids(json.loads(text), parts)
                    except ValueError:
                        continue
            seen |= parts
            if row_owner != owner:
                continue
            if allowed_ids is not None:
                keep = rid in allowed_ids
            else:
                keep = not deleted and visibility in allowed_vis
            if keep:
                kept.add(rid)
            else:
                out |= parts
    out -= kept
    out.known = seen - out
    return out


def _mentions(value: Any, ids: set[str]) -> bool:
    if isinstance(value, str):
        return value in ids
    if isinstance(value, list):
        return any(_mentions(v, ids) for v in value)
    if isinstance(value, dict):
        return any(_mentions(v, ids) for v in value.values())
    return False


def mentions(rec: Record, ids: set[str]) -> bool:
    """Whether any link field of `rec` names one of `ids`."""
    t = rt.RECORD_TYPES.get(rec["type"])
    if t is None or not ids:
        return False
    return any(f.kind in LINK_KINDS and _mentions(rec.get(f.name), ids) for f in t.fields)


def _clean_json(value: Any, withheld: set[str]) -> Any:
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, str) and v in withheld:
                continue
            if isinstance(v, dict) and isinstance(v.get("id"), str) and v["id"] in withheld:
                continue
            out.append(_clean_json(v, withheld))
        return out
    if isinstance(value, dict):
        return {k: ("" if isinstance(v, str) and v in withheld else _clean_json(v, withheld)) for k, v in value.items()}
    return value


def _drops(withheld: set[str], f: rt.Field, value: str) -> bool:
    if f.targets and isinstance(withheld, Withheld):
        return withheld.drops_link(value)
    return value in withheld


def dangling(rec: Record, withheld: set[str]) -> bool:
    """Whether a link field with targets names what its copy leaves out without it being in the
    withheld set itself (a part of a record purged since)."""
    t = rt.RECORD_TYPES.get(rec["type"])
    if t is None or not isinstance(withheld, Withheld):
        return False
    for f in t.fields:
        value = rec.get(f.name)
        if not f.targets:
            continue
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and v and v not in withheld and withheld.drops_link(v) for v in values):
            return True
    return False


def copy_for(rec: Record, withheld: set[str]) -> Record:
    """The recipient's copy of `rec` (itself when it names nothing withheld); see the module's
    rule. Tombstones are sent as they are (they carry no links)."""
    if rec.get("deleted") or not (mentions(rec, withheld) or dangling(rec, withheld)):
        return rec
    t = rt.record_type(rec["type"])
    out = dict(rec)
    for f in t.fields:
        value = rec.get(f.name)
        if f.kind == rt.REFS and isinstance(value, list):
            out[f.name] = [v for v in value if not _drops(withheld, f, v)]
        elif f.kind in (rt.REF, rt.TEXT) and isinstance(value, str) and value and _drops(withheld, f, value):
            out[f.name] = stand_in(value) if f.required else ""
        elif f.kind == rt.JSON and value is not None:
            out[f.name] = _clean_json(value, withheld)
    out["content_hash"] = content_hash(t, out)
    return out


def copies_for(records: list[Record], withheld: set[str]) -> list[Record]:
    return [copy_for(r, withheld) for r in records]


def only_links_differ(a: Record, b: Record) -> bool:
    """Two versions of one record at one rev that differ only in link fields (two copies of one
    version, made for a recipient before and after a record they name changed visibility)."""
    if a.get("type") != b.get("type") or bool(a.get("deleted")) != bool(b.get("deleted")) or a.get("visibility") != b.get("visibility"):
        return False
    t = rt.RECORD_TYPES.get(a["type"])
    if t is None:
        return False
    return all(f.kind in LINK_KINDS or a.get(f.name) == b.get(f.name) for f in t.fields)
