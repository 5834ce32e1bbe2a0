"""The exactly-once run over a faulty network, shared by the test (short) and the benchmark
(`benchmarks/bench_sync_faults.py`, long): the school changes shared records between rounds, both
sides sync through the fault proxy, then a few clean rounds settle everything; afterwards the LA
holds every shared record of the school exactly at its current version, the ledger agrees, and no
bundle or receipt is left over."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from fault_proxy import FaultPlan, fault_proxy
from sync_helpers import la_round, school_round
from webdav_server import USERS, webdav_server

from selfeval_app.core import record_types as rt
from selfeval_app.core import share_ledger
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange import sync_state
from selfeval_app.exchange.transport_webdav import WebDAVTransport


def _candidates(store):
    out = []
    for t in rt.RECORD_TYPES.values():
        if t.name == "school":
            continue
        where = "visibility IN ('la', 'peers') AND owner = ?"
        for rec in store.list(t.name, where=where, params=(store.owner,)):
            out.append((t.name, rec["id"], rec["visibility"]))
    return out


def _change(pair, rng):
    """One change to what the LA may hold: shared again, changed (a new rev), or withdrawn."""
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        kind, rid, visibility = rng.choice(_candidates(store))
        if visibility == "peers":
            store.set_visibility(kind, rid, "la")
            return
        store.set_visibility(kind, rid, "peers")
        if rng.random() < 0.8:
            store.set_visibility(kind, rid, "la")  # changed; otherwise withdrawn from the LA
    finally:
        store.close()


def _versions(data_dir: Path, owner: str, visible_only: bool):
    """(rev, content hash) of each live record of `owner`; `visible_only`: the school's records
    the LA may hold, each as the LA's copy (its links name only what the LA may see:
    `exchange/redact.py`)."""
    if visible_only:
        from selfeval_app.exchange import redact

        store = RecordStore(open_database(data_dir), device_id="reader")
        try:
            withheld = redact.withheld_ids(store, owner, visibilities=("la",))
            return {
                rec["id"]: (rec["rev"], redact.copy_for(rec, withheld)["content_hash"])
                for t in rt.RECORD_TYPES
                for rec in store.list(t, where="owner = ? AND visibility = 'la'", params=(owner,))
            }
        finally:
            store.close()
    conn = sqlite3.connect(data_dir / "selfeval.sqlite3")
    try:
        out = {}
        for t in rt.RECORD_TYPES:
            where = "owner = ? AND deleted = 0" + (" AND visibility = 'la'" if visible_only else "")
            for rid, rev, h in conn.execute(f'SELECT id, rev, content_hash FROM "{t}" WHERE {where}', (owner,)):
                out[rid] = (rev, h)
        return out
    finally:
        conn.close()


def run(pair, tmp_path: Path, *, seed: int, rounds: int, rate: float) -> dict:
    rng = random.Random(seed)
    plan = FaultPlan(seed, rate)
    school_id = keys_mod.require_keys(pair.school).identity_id
    la_id = keys_mod.require_keys(pair.la).identity_id
    made = failed = 0
    with webdav_server(tmp_path / "dav") as upstream, fault_proxy(upstream, plan) as url:
        def dav(user):
            return WebDAVTransport(url, user, USERS[user], sleep=lambda s: None)

        for _ in range(rounds):
            _change(pair, rng)
            r = school_round(pair, dav("ysgol"))
            made += r["bundles_made"]
            failed += not r["ok"]
            if rng.random() < 0.7:
                failed += not la_round(pair, dav("awdurdod"))["ok"]
        plan.enabled = False
        for _ in range(4):
            assert school_round(pair, dav("ysgol"))["ok"]
            assert la_round(pair, dav("awdurdod"))["ok"]
        leftovers = sorted(p.name for p in (tmp_path / "dav").rglob("*") if p.is_file())
    expected = _versions(pair.school, school_id, visible_only=True)
    held = _versions(pair.la, school_id, visible_only=False)
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        outbox = sync_state.outbox(store)
        ledger = {s.record_id: s for s in share_ledger.sent_to(store, la_id).values()}
    finally:
        store.close()
    return {
        "bundles_made": made,
        "failed_rounds": failed,
        "faults": plan.counts,
        "expected": expected,
        "held": held,
        "outbox": outbox,
        "ledger": ledger,
        "leftovers": leftovers,
    }


def check(result: dict) -> None:
    assert result["held"] == result["expected"], "every shared record exactly at its version, none extra"
    assert result["outbox"] == []
    assert result["leftovers"] == [], "no bundle, receipt or temporary file left on the server"
    for rid, (rev, _h) in result["expected"].items():
        sent = result["ledger"][rid]
        assert sent.rev == rev and not sent.withdrawn
    withdrawn = {rid for rid, s in result["ledger"].items() if s.withdrawn}
    assert not withdrawn & set(result["held"])
