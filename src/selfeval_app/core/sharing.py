"""Changing who may receive records, many at once ("Share the whole plan with the LA…").

One transaction for all of them: either every record changes or none does. Records already at
the visibility asked for are left alone (no new rev), so the count shown before confirming is the
number that will change.
"""

from __future__ import annotations

from collections.abc import Iterable

from selfeval_app.core.records import Change, RecordStore

Ref = tuple[str, str]  # (type, id)

PLAN_PART_TYPES = ("plan", "priority", "success_criterion", "action", "progress_review")


def plan_parts(store: RecordStore, plan_id: str) -> list[Ref]:
    """The plan and its priorities, success criteria, actions and progress reviews (not deleted)."""
    refs: list[Ref] = []
    if store.get("plan", plan_id) is None:
        return refs
    refs.append(("plan", plan_id))
    priority_ids = [
        r[0]
        for r in store.conn.execute(
            'SELECT id FROM "priority" WHERE plan_id = ? AND deleted = 0 ORDER BY position, id', (plan_id,)
        )
    ]
    refs += [("priority", pid) for pid in priority_ids]
    for type_name in ("success_criterion", "action", "progress_review"):
        for pid in priority_ids:
            refs += [
                (type_name, r[0])
                for r in store.conn.execute(
                    f'SELECT id FROM "{type_name}" WHERE priority_id = ? AND deleted = 0 ORDER BY id', (pid,)
                )
            ]
    return refs


def _changing(store: RecordStore, refs: Iterable[Ref], visibility: str) -> list[Ref]:
    out = []
    for type_name, record_id in refs:
        rec = store.get(type_name, record_id)
        if rec is not None and rec["visibility"] != visibility:
            out.append((type_name, record_id))
    return out


def count_visibility_changes(store: RecordStore, refs: Iterable[Ref], visibility: str) -> int:
    """How many of these records a bulk change to `visibility` would change."""
    return len(_changing(store, refs, visibility))


def set_visibility_many(
    store: RecordStore, refs: Iterable[Ref], visibility: str, *, as_identity: str | None = None
) -> Change:
    """Give every one of these records `visibility`, in one transaction (ReadOnlyRecordError,
    and nothing changed, if one belongs to another owner)."""
    change = Change()
    with store.transaction():
        for type_name, record_id in _changing(store, list(refs), visibility):
            store.update_change(type_name, record_id, {}, visibility=visibility, as_identity=as_identity)
            change.records.append((type_name, record_id))
    return change


def share_whole_plan(store: RecordStore, plan_id: str, visibility: str = "la") -> Change:
    """The plan, its priorities, success criteria, actions and progress reviews to `visibility`."""
    return set_visibility_many(store, plan_parts(store, plan_id), visibility)
