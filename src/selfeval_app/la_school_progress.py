"""Per school at the LA, for the Schools list (plain data, no Qt): how its priorities stand at
their latest progress review (counts by RAG word and by trend) and its evaluation coverage this
academic year (areas evaluated out of the framework's areas).

The lead may fold this into `la_views.SchoolRow` (la_views is branch `lacore`'s: the LA pages
needed these two columns, so they live here, in a file of the `lagui` branch). The same reading
as la_views: the latest review of each priority by date, the one before it for the trend.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.i18n import _
from selfeval_app.core.records import RecordStore

RAG_WORD_ORDER = ("green", "amber", "red", "none")
TREND_ORDER = ("improving", "steady", "worse")


@dataclass
class SchoolProgress:
    rag: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RAG_WORD_ORDER, 0))
    trend: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TREND_ORDER, 0))
    areas_evaluated: int = 0  # framework areas with an evaluation this academic year
    areas_total: int = 0

    def rag_text(self) -> str:
        """e.g. "Green 2; Amber 3; Red 1; No review yet 1" (words, never colours)."""
        from selfeval_app.la_views import rag_label

        return "; ".join(f"{rag_label(None if k == 'none' else k)} {n}" for k, n in self.rag.items() if n)

    def trend_text(self) -> str:
        from selfeval_app.la_views import trend_label

        return "; ".join(f"{trend_label(k)} {n}" for k, n in self.trend.items() if n)

    def coverage_text(self) -> str:
        # Translators: evaluation coverage of a school, e.g. "2 of 3 areas this year".
        return _("%(done)d of %(total)d areas this year") % {"done": self.areas_evaluated, "total": self.areas_total}


def school_progress(store: RecordStore, *, today: dt.date | None = None) -> dict[str, SchoolProgress]:
    """Owner (a school's identity id) -> its progress words and coverage; only foreign owners."""
    from selfeval_app.core.framework import current_framework
    from selfeval_app.la_views import trend_of

    day = today or store.clock.today()
    ours = tuple(store.identity_ids) or ("",)
    marks = ",".join("?" * len(ours))
    conn = store.conn
    out: dict[str, SchoolProgress] = defaultdict(SchoolProgress)
    reviewed: set[str] = set()
    for owner, pid, rag, prev in conn.execute(
        f"SELECT owner, priority_id, rag, prev FROM (SELECT owner, priority_id, rag, "
        f"lead(rag) OVER w AS prev, row_number() OVER w AS k FROM progress_review "
        f"WHERE deleted = 0 AND owner NOT IN ({marks}) "
        f"WINDOW w AS (PARTITION BY priority_id ORDER BY date DESC, academic_year DESC, id)) WHERE k = 1",
        ours,
    ):
        p = out[owner]
        p.rag[rag if rag in p.rag else "none"] += 1
        reviewed.add(pid)
        trend = trend_of(rag, prev)
        if trend in p.trend:
            p.trend[trend] += 1
    for owner, pid in conn.execute(f"SELECT owner, id FROM priority WHERE deleted = 0 AND owner NOT IN ({marks})", ours):
        if pid not in reviewed:
            out[owner].rag["none"] += 1
    framework_areas = {a.id for a in current_framework().areas}
    year = academic_year_of(day)
    evaluated: dict[str, set[str]] = defaultdict(set)
    for owner, area_id in conn.execute(
        f"SELECT owner, area_id FROM evaluation WHERE deleted = 0 AND academic_year = ? AND owner NOT IN ({marks})",
        (year, *ours),
    ):
        if area_id in framework_areas:
            evaluated[owner].add(area_id)
    for owner, p in out.items():
        p.areas_evaluated = len(evaluated.get(owner, ()))
    for owner, areas in evaluated.items():
        out[owner].areas_evaluated = len(areas)
    for p in out.values():
        p.areas_total = len(framework_areas)
    return dict(out)
