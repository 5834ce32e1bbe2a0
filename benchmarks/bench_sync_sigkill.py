"""Exactly once through crashes, long run: `selfeval sync` killed with SIGKILL at KILLS random
points (seeded) on the school's laptop, the school's second laptop and the LA in turn, over a
real folder; then clean rounds. Checks (tests/sync/sigkill_sync.py): the LA holds every shared
record exactly at its version and nothing else of the school's, the two laptops hold the same
records (tombstones and private ones too), nothing needs a decision, no bundle imported twice,
nothing left in the folder but its marker and the device lists. The default test run does the
same with 12 points.

    python -m benchmarks.bench_sync_sigkill [--seed 1] [--kills 100]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "sync"), str(ROOT / "tests" / "exchange")]

import sigkill_sync  # noqa: E402
from exchange_helpers import make_pair  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kills", type=int, default=100)
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        print("SIGKILL: not on Windows")
        return
    with tempfile.TemporaryDirectory(prefix="selfeval-sync-sigkill-") as tmp:
        root = Path(tmp)
        pair = make_pair(root / "pair")
        start = time.perf_counter()
        result = sigkill_sync.run(pair, root, seed=args.seed, kills=args.kills)
        figures = sigkill_sync.check(result)
        total = time.perf_counter() - start
        ok = result["kills"] >= args.kills
        print(
            f"seed {args.seed}: {result['kills']} SIGKILLs landed inside `selfeval sync` "
            f"({result['tries']} starts, one run {result['one_run_seconds']:.2f} s); afterwards "
            f"{figures['shared_with_la']} shared records held by the LA exactly at their version, "
            f"none extra; {figures['school_records']} school records the same on both laptops "
            f"({figures['private_on_b']} private evidence records), nothing to decide, nothing left "
            f"over. {total:.0f} s. Wanted {args.kills} kills: {'met' if ok else 'NOT met'}."
        )
        if not ok:
            sys.exit(1)


if __name__ == "__main__":
    main()
