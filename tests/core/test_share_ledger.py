"""The share ledger: what is due to a recipient and what must be withdrawn from it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_app.core import share_ledger as sl
from selfeval_app.core.backup import make_backup, restore
from selfeval_app.core.database import open_database
from selfeval_app.core.purge import purge
from selfeval_app.core.records import RecordStore
from selfeval_app.core.visibility import VISIBILITIES, allowed_for

LA, REVIEWER = "la-identity", "reviewer-identity"
RECIPIENTS = {LA: allowed_for("la"), REVIEWER: allowed_for("reviewer")}


def _make(store, i, visibility):
    if i % 2:
        return store.create("indicator", {"title": {"cy": f"Dangosydd {i}"}}, visibility=visibility)
    return store.create(
        "evidence", {"date": "2026-10-05", "kind": "other", "title": {"cy": f"Tystiolaeth {i}"}}, visibility=visibility
    )


def _send(school, recipient_id, recipient_store, bundle):
    """What the exchange does: send what is due and the withdrawals, apply them there, note it."""
    allowed = RECIPIENTS[recipient_id]
    versions = sl.due_for(school, recipient_id, allowed) + sl.withdrawals_for(school, recipient_id, allowed)
    with recipient_store.transaction():
        for version in versions:
            assert recipient_store.apply_incoming(version).written
    sl.record_sent(school, recipient_id, versions, bundle_id=bundle)
    return versions


def _holds(store, type_names=("evidence", "indicator")):
    return {rec["id"]: rec for t in type_names for rec in store.list(t, owners="any")}  # all it holds, whoever owns it


def test_due_then_sent_then_withdrawn(store, tmp_path):
    la = RecordStore(open_database(tmp_path / "la"), device_id="la-1")
    try:
        shared = _make(store, 0, "la")
        private = _make(store, 1, "private")
        peers = _make(store, 2, "peers")
        assert [r["id"] for r in sl.due_for(store, LA, ["la"])] == [shared["id"]]
        assert sorted(r["id"] for r in sl.due_for(store, REVIEWER, ["peers", "la"])) == sorted([shared["id"], peers["id"]])
        _send(store, LA, la, "b1")
        assert sl.due_for(store, LA, ["la"]) == [] and sl.withdrawals_for(store, LA, ["la"]) == []
        store.set_visibility("indicator", private["id"], "la")
        store.update("evidence", shared["id"], {"summary": {"cy": "Mwy"}})
        assert {r["id"] for r in sl.due_for(store, LA, ["la"])} == {shared["id"], private["id"]}
        _send(store, LA, la, "b2")
        assert set(_holds(la)) == {shared["id"], private["id"]}
        store.set_visibility("evidence", shared["id"], "peers")  # no longer for the LA
        purge(store, "indicator", private["id"])  # gone for good: still withdrawn
        assert {w["id"] for w in sl.withdrawals_for(store, LA, ["la"])} == {shared["id"], private["id"]}
        assert all(w["deleted"] for w in sl.withdrawals_for(store, LA, ["la"]))
        _send(store, LA, la, "b3")
        assert _holds(la) == {} and sl.withdrawals_for(store, LA, ["la"]) == []
        assert sl.sent_to(store, LA)[shared["id"]].withdrawn
    finally:
        la.db.close()


def test_a_restore_keeps_the_ledger_so_what_it_removes_is_withdrawn(store, data_dir, tmp_path):
    backup = make_backup(data_dir, tmp_path / "cyn.zip")
    shared = _make(store, 0, "la")
    sl.record_sent(store, LA, [shared], bundle_id="b1")
    store.db.close()
    restore(data_dir, backup, device_id="device-test-1")
    db = open_database(data_dir)
    try:
        s = RecordStore(db, device_id="device-test-1")
        assert [w["id"] for w in sl.withdrawals_for(s, LA, ["la"])] == [shared["id"]]
    finally:
        db.close()


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("visibility"), st.integers(0, 5), st.sampled_from(VISIBILITIES)),
        st.tuples(st.just("edit"), st.integers(0, 5), st.text("abcŵ", min_size=1, max_size=4)),
        st.tuples(st.just("delete"), st.integers(0, 5), st.none()),
        st.tuples(st.just("undelete"), st.integers(0, 5), st.none()),
        st.tuples(st.just("purge"), st.integers(0, 5), st.none()),
        st.tuples(st.just("send"), st.sampled_from([LA, REVIEWER]), st.none()),
    ),
    max_size=25,
)


@settings(max_examples=40)
@given(st.lists(st.sampled_from(VISIBILITIES), min_size=6, max_size=6), OPS)
def test_due_and_withdrawn_sets_are_exactly_right(start, ops):
    """Random visibility changes, edits, deletes, purges and sends: before every send, `due_for`
    and `withdrawals_for` are exactly what a model of the recipient's holdings says; after it,
    the recipient holds exactly the school's records its visibility allows, as they are now."""
    with tempfile.TemporaryDirectory() as tmp:
        school = RecordStore(open_database(Path(tmp) / "school"), device_id="s-1")
        there = {rid: RecordStore(open_database(Path(tmp) / rid), device_id=rid) for rid in RECIPIENTS}
        try:
            recs = [_make(school, i, v) for i, v in enumerate(start)]
            refs = [(r["type"], r["id"]) for r in recs]
            purged: set[str] = set()
            held: dict[str, dict[str, int]] = {rid: {} for rid in RECIPIENTS}  # id -> rev held
            for n, (op, arg, value) in enumerate(ops):
                if op == "send":
                    rid, allowed = arg, RECIPIENTS[arg]
                    now = {t_id[1]: school.get(*t_id, include_deleted=True) for t_id in refs}
                    expect_due = {
                        i for i, rec in now.items()
                        if not rec["deleted"] and rec["visibility"] in allowed and held[rid].get(i) != rec["rev"]
                    }
                    expect_gone = {
                        i for i in held[rid] if now[i]["deleted"] or now[i]["visibility"] not in allowed
                    }
                    assert {r["id"] for r in sl.due_for(school, rid, allowed)} == expect_due
                    assert {r["id"] for r in sl.withdrawals_for(school, rid, allowed)} == expect_gone
                    _send(school, rid, there[rid], f"b{n}")
                    for i in expect_due:
                        held[rid][i] = now[i]["rev"]
                    for i in expect_gone:
                        del held[rid][i]
                    wanted = {i: rec for i, rec in now.items() if not rec["deleted"] and rec["visibility"] in allowed}
                    assert _holds(there[rid]) == wanted
                    continue
                type_name, record_id = refs[arg]
                if record_id in purged:
                    continue
                current = school.get(type_name, record_id, include_deleted=True)
                if op == "purge":
                    purge(school, type_name, record_id)
                    purged.add(record_id)
                elif op == "undelete":
                    if current["deleted"]:
                        school.undelete(type_name, record_id)
                elif current["deleted"]:
                    continue
                elif op == "delete":
                    school.delete(type_name, record_id)
                elif op == "visibility":
                    school.set_visibility(type_name, record_id, value)
                elif op == "edit":
                    field = "title"
                    school.update(type_name, record_id, {field: {"en": value}})
        finally:
            school.db.close()
            for s in there.values():
                s.db.close()
