"""The one injectable clock: UTC timestamps for records, and "today" in Europe/London.

Tests and the example school replace the clock with `FixedClock`; nothing else calls
`datetime.now()` for record data.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock:
    def now_utc(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)

    def today(self) -> dt.date:
        """Today's calendar date in Wales (Europe/London), whatever the laptop's time zone."""
        return self.now_utc().astimezone(LONDON).date()

    def timestamp(self) -> str:
        """UTC ISO-8601 with seconds, e.g. 2026-11-23T19:45:00Z."""
        return self.now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")


class FixedClock(Clock):
    def __init__(self, when: dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=LONDON)
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
