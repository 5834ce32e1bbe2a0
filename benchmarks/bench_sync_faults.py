"""Exactly once through a faulty network, long run: the school changes a shared record before
each of ROUNDS rounds (a new cumulative bundle each time), both sides sync through the
fault-injecting proxy (dropped connections, 503s, delays, lost replies after the server applied
the request, truncated bodies) to a real WebDAV server on loopback; then clean rounds settle.
Checks every shared record is held by the LA exactly at its version, none extra, the ledger
agrees, and nothing is left on the server.

    python -m benchmarks.bench_sync_faults [--seed 1] [--rounds 1000] [--rate 0.2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "sync"), str(ROOT / "tests" / "exchange")]

import faulty_sync  # noqa: E402
from exchange_helpers import make_pair  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="selfeval-sync-faults-") as tmp:
        root = Path(tmp)
        pair = make_pair(root / "pair")
        start = time.perf_counter()
        result = faulty_sync.run(pair, root, seed=args.seed, rounds=args.rounds, rate=args.rate)
        faulty_sync.check(result)
        print(
            f"seed {args.seed}: {result['bundles_made']} bundles, {args.rounds} rounds "
            f"({result['failed_rounds']} failed), faults {result['faults']}, "
            f"{len(result['expected'])} shared records held exactly once: OK "
            f"({time.perf_counter() - start:.0f} s)"
        )


if __name__ == "__main__":
    main()
