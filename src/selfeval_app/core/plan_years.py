"""Academic years of the plan: the one home of two rules every screen and report shares.

- `year_label(2025)` is "2025–26", the same in both languages (an en dash, two digits after it);
  `period_key(2025, "autumn")` is an indicator period as stored, "2025-26 autumn".
- `runs_in(priority, year)`: does a priority run in an academic year? Its `start_year` and
  `end_year` are both inclusive. A missing `start_year` means "from the start", a missing
  `end_year` "until it is ended": a priority with no end year runs on in every later year, so
  "This term at a glance", the governors' report, the SDP summary and the year-end roll-over all
  include it (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

P = TypeVar("P", bound=Mapping[str, Any])


def year_label(year: int) -> str:
    """An academic year as people write it: 2025 -> "2025–26"."""
    return f"{year}–{(year + 1) % 100:02d}"


def period_key(year: int, term: str) -> str:
    """An indicator period as stored (ASCII hyphen, English term word): "2025-26 autumn"."""
    return f"{year}-{(year + 1) % 100:02d} {term}"


def runs_during(priority: Mapping[str, Any], first: int, last: int) -> bool:
    """Whether a priority runs in at least one of the academic years `first`..`last`."""
    start, end = priority.get("start_year"), priority.get("end_year")
    return (start is None or start <= last) and (end is None or end >= first)


def runs_in(priority: Mapping[str, Any], year: int) -> bool:
    """Whether a priority runs in academic year `year` (see the module's docstring)."""
    return runs_during(priority, year, year)


def priorities_in_year(priorities: Iterable[P], year: int) -> list[P]:
    return [p for p in priorities if runs_in(p, year)]
