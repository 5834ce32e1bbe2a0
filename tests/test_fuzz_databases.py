"""The short version of benchmarks/fuzz_databases.py: one case of every kind of damage and
awkward folder, `check` plus another command (the window included) for each, seeded. The full
run (500 cases) is `python -m benchmarks.fuzz_databases --seed 1 --count 500`."""

from __future__ import annotations

from benchmarks.fuzz_databases import KINDS, bad, run_fuzz, summary


def test_every_kind_of_damage_gets_a_clear_refusal_and_changes_nothing():
    outcomes = run_fuzz(seed=1, count=len(KINDS), window=True, jobs=2)
    assert len({o.kind for o in outcomes}) >= len(KINDS) - 2  # the two as-nobody kinds need setpriv as root
    problems = bad(outcomes)
    assert not problems, summary(outcomes) + "\n" + "\n".join(f"{o.kind}/{o.command}: {o.notes} {o.output}" for o in problems)
