"""The one injectable clock: UTC timestamps for records, and "today" in Europe/London.

Tests and the example school replace the clock with `FixedClock`; nothing else calls
`datetime.now()` for record data.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


@cache
def london() -> ZoneInfo:
    """Europe/London (zoneinfo is imported on first use: it costs a few ms of the start)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


def __getattr__(name: str) -> ZoneInfo:
    if name == "LONDON":  # `from selfeval_app.core.clock import LONDON` still works
        return london()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Clock:
    def now_utc(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)

    def today(self) -> dt.date:
        """Today's calendar date in Wales (Europe/London), whatever the laptop's time zone."""
        return self.now_utc().astimezone(london()).date()

    def timestamp(self) -> str:
        """UTC ISO-8601 with seconds, e.g. 2026-11-23T19:45:00Z."""
        return self.now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")


class FixedClock(Clock):
    def __init__(self, when: dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=london())
        self.when = when.astimezone(dt.UTC).replace(microsecond=0)

    def now_utc(self) -> dt.datetime:
        return self.when


class SystemClock(Clock):
    def timestamp(self) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())  # the same text, faster


SYSTEM_CLOCK = SystemClock()


def academic_year_of(day: dt.date) -> int:
    """The academic year a date falls in, named by its first calendar year (Sept–Aug)."""
    return day.year if day.month >= 9 else day.year - 1
