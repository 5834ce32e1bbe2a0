"""`apply_incoming_many`: the same outcome as `apply_incoming` one version after the other (new
records inserted in batches), every version checked before anything is written."""

from __future__ import annotations

from collections import Counter

import pytest

from selfeval_app.core import plan_edit as pe
from selfeval_app.core import records as r
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import IncomingRecordError, StorageFullError
from selfeval_app.core.export import export_data
from selfeval_app.core.integrity import check_store
from selfeval_app.core.records import RecordStore
from selfeval_app.core.share_ledger import withdrawal_version


def _open(path, device):
    return RecordStore(open_database(path), device_id=device)


@pytest.fixture
def stores(tmp_path):
    """The sender, and two receivers that start alike."""
    made = [_open(tmp_path / name, f"device-{name}") for name in ("other", "one", "many")]
    yield made
    for s in made:
        s.db.close()


def _evidence(other, title, **kw):
    values = {"date": "2026-10-05", "kind": "learning_walk", "title": {"cy": title, "en": "Walk"}}
    return other.create("evidence", values, visibility="la", **kw)


def _state(store):
    store.flush_search_index()
    rows = store.conn.execute
    return (
        export_data(store, owners="any")["records"],  # every owner: these stores hold others' records
        sorted(tuple(h) for h in rows("SELECT record_id, rev, type, saved_at, content FROM history")),
        Counter(tuple(c) for c in rows("SELECT epoch, record_id, type, rev, changed_at FROM change_log")),
        sorted(tuple(d) for d in rows("SELECT record_id, type, lang FROM search_docs")),
        sorted(tuple(x) for x in rows("SELECT title, body FROM search_index")),
    )


def test_many_gives_what_one_after_the_other_gives(stores):
    other, one, many = stores
    held = _evidence(other, "Ar y ddau")
    changed = _evidence(other, "I'w newid")
    gone = _evidence(other, "I'w dynnu'n ôl")
    rival_base = _evidence(other, "Dwy fersiwn")
    for receiver in (one, many):
        for version in (held, changed, gone, rival_base):
            assert receiver.apply_incoming(version).outcome == r.NEW
    newer = other.update("evidence", changed["id"], {"summary": {"cy": "Llawer o ddysgu"}})
    withdrawn = withdrawal_version(other, other.set_visibility("evidence", gone["id"], "private"))
    rival = dict(rival_base, title={"cy": "Fersiwn arall", "en": "Walk"}, updated_by="device-3")
    rival["content_hash"] = r.content_hash(r.record_type("evidence"), rival)
    plan = pe.save_plan(other, None, {"title": {"cy": "Cynllun", "en": "Plan"}, "start_year": 2025})
    priority = pe.save_priority(other, plan["id"], None, {"title": {"en": "P"}, "start_year": 2025, "end_year": 2025})
    twice = _evidence(other, "Dwywaith mewn un swp")
    twice_newer = other.update("evidence", twice["id"], {"title": {"cy": "Dwywaith, yr ail"}})
    never_held = _evidence(other, "Ni welwyd erioed")
    never_held_tomb = withdrawal_version(other, other.set_visibility("evidence", never_held["id"], "private"))
    fresh = [_evidence(other, f"Tystiolaeth {n} ŵyr Llangollen") for n in range(30)]
    batch = [
        held, newer, *fresh[:10], withdrawn, plan, rival, changed, priority, twice,
        *fresh[10:], twice_newer, never_held_tomb,
    ]  # fmt: skip

    singly = [one.apply_incoming(v).outcome for v in batch]
    together = [a.outcome for a in many.apply_incoming_many(batch)]

    assert together == singly
    assert singly[:3] == [r.UNCHANGED, r.CHANGED, r.NEW] and singly.count(r.CONFLICT) == 1
    assert _state(many) == _state(one)
    assert many.get("evidence", twice["id"])["title"]["cy"] == "Dwywaith, yr ail"
    assert many.get("evidence", never_held["id"], include_deleted=True)["deleted"]
    assert [s.record_id for s in many.search("Llangollen", limit=100, owners="any")].count(fresh[0]["id"]) == 1
    assert check_store(many) == []


def test_a_bad_version_anywhere_writes_nothing(stores):
    other, _one, many = stores
    good = [_evidence(other, f"Da {n}") for n in range(5)]
    bad = dict(_evidence(other, "Drwg"), title={"cy": "Wedi newid heb ei hash", "en": "Walk"})
    before = _state(many)
    with pytest.raises(IncomingRecordError):
        many.apply_incoming_many([*good, bad])
    assert _state(many) == before


def test_checked_versions_are_not_checked_again_but_written_exactly(stores):
    other, _one, many = stores
    versions = [many.check_incoming(_evidence(other, f"Wedi'i wirio {n}"))[1] for n in range(3)]
    assert [a.outcome for a in many.apply_incoming_many(versions, checked=True)] == [r.NEW] * 3
    assert [many.get("evidence", v["id"]) for v in versions] == versions
    again = many.apply_incoming(versions[0], checked=True)
    assert again.outcome == r.UNCHANGED
    assert check_store(many) == []


def test_a_failure_inside_rolls_back_every_insert(stores, monkeypatch):
    """The fault is injected into the change-log step of the batch insert (a full disk would
    fail there too)."""
    other, _one, many = stores
    versions = [_evidence(other, f"Swp {n}") for n in range(4)]
    before = _state(many)
    real = many.conn

    class FailingChangeLog:
        def __getattr__(self, name):
            return getattr(real, name)

        def executemany(self, sql, rows):
            if "change_log" in sql:
                raise r.sqlite3.OperationalError("database or disk is full")
            return real.executemany(sql, rows)

    monkeypatch.setattr(many, "conn", FailingChangeLog())
    with pytest.raises(StorageFullError):
        many.apply_incoming_many(versions)
    monkeypatch.undo()
    assert _state(many) == before
