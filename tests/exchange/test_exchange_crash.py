"""SIGKILL during an import, at 100 points spread over its whole run: afterwards either nothing or
everything of the bundle is there, and `selfeval check` finds the data sound.

The import runs in a forked child (no interpreter start per point, so 100 points stay quick);
the parent kills it after a delay drawn from a seeded generator over the measured run time."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import time

import pytest
from exchange_helpers import copy_pair

from selfeval_app.core.database import open_database
from selfeval_app.core.integrity import check_store
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys
from selfeval_app.exchange.bundle_write import Recipient, write_bundle

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX")

EXTRA_RECORDS = 300


@pytest.fixture(scope="module")
def big_bundle(pair_template, tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    pair = copy_pair(pair_template, root)
    with pair.stores() as (s, ks, _la, kl):
        with s.transaction():
            for i in range(EXTRA_RECORDS):
                s.create("evidence", {"date": "2026-10-01", "kind": "learning_walk", "title": {"cy": f"Taith ddysgu {i}", "en": f"Learning walk {i}"}, "summary": {"cy": "Crynodeb ŵ ŷ", "en": "Summary"}}, visibility="la")
        manifest = write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), root / "big.selfeval-bundle")
        owner = ks.identity_id
    expected = manifest["counts"]["records"]
    return pair, root / "big.selfeval-bundle", owner, expected


def _child_import(la_dir, bundle) -> None:
    try:
        from selfeval_app.exchange.bundle_import import import_bundle

        store = RecordStore(open_database(la_dir), device_id="device-L")
        import_bundle(store, keys.require_keys(la_dir), bundle)
        store.close()
        os._exit(0)
    except BaseException:  # noqa: BLE001 - a forked child must never return into pytest
        os._exit(3)


def _run(la_dir, bundle, delay: float | None) -> float:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _child_import(la_dir, bundle)
    if delay is not None:
        time.sleep(delay)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    if delay is None:
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return time.perf_counter() - start


def _held(la_dir, owner) -> tuple[int, bool, list]:
    store = RecordStore(open_database(la_dir), device_id="device-L")
    try:
        rows = sum(
            store.conn.execute(f'SELECT count(*) FROM "{t}" WHERE owner = ? AND deleted = 0', (owner,)).fetchone()[0]
            for t in ("school", "plan", "evidence", "priority", "success_criterion", "indicator", "evaluation", "action", "progress_review", "attachment", "area", "report_issue", "partnership", "joint_activity", "review_summary")
        )
        reported = store.conn.execute("SELECT count(*) FROM exchange_import").fetchone()[0] == 1
        return rows, reported, check_store(store)
    finally:
        store.close()


def test_sigkill_during_import_leaves_nothing_or_everything(big_bundle, tmp_path):
    pair, bundle, owner, expected = big_bundle
    template = pair.la
    work = tmp_path / "L"
    shutil.copytree(template, work)
    duration = _run(work, bundle, None)  # one whole run, to spread the points over
    assert _held(work, owner)[:2] == (expected, True)
    rng = random.Random(20261203)
    outcomes = {"nothing": 0, "everything": 0}
    for _ in range(100):
        shutil.rmtree(work)
        shutil.copytree(template, work)
        _run(work, bundle, rng.uniform(0, duration * 1.1))
        rows, reported, problems = _held(work, owner)
        assert problems == []
        assert (rows, reported) in ((0, False), (expected, True))
        outcomes["everything" if reported else "nothing"] += 1
    assert outcomes["nothing"] > 0  # the kills did land inside the import
