"""Exactly once through a faulty network (short run; the long one is
`python -m benchmarks.bench_sync_faults`)."""

from __future__ import annotations

import faulty_sync


def test_every_record_delivered_exactly_once_through_faults(pair, tmp_path):
    result = faulty_sync.run(pair, tmp_path, seed=7, rounds=25, rate=0.25)
    faulty_sync.check(result)
    assert result["bundles_made"] >= 10
    assert result["failed_rounds"] > 0, "the faults did reach the rounds"
    assert all(result["faults"][f] > 0 for f in ("drop_request", "status_503", "lose_reply", "truncate_reply"))
