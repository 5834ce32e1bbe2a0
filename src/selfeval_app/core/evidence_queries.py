"""Evidence lists and coverage: filtering, sorting and paging evidence, and how much evidence of
which kinds backs each area and statement (for the evaluation and evidence screens, issue 4).

Filters are built from fixed SQL with parameters; nothing the user types becomes SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from selfeval_app.core.owner_sql import and_owner
from selfeval_app.core.records import Record, RecordStore


@dataclass(frozen=True)
class EvidenceFilter:
    area_id: str | None = None
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    visibilities: tuple[str, ...] = ()
    statement_id: str | None = None
    priority_id: str | None = None

    def sql(self) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        if self.area_id:
            clauses.append("EXISTS (SELECT 1 FROM json_each(area_ids) WHERE value = ?)")
            params.append(self.area_id)
        if self.statement_id:
            clauses.append("EXISTS (SELECT 1 FROM json_each(statement_ids) WHERE value = ?)")
            params.append(self.statement_id)
        if self.priority_id:
            clauses.append("EXISTS (SELECT 1 FROM json_each(priority_ids) WHERE value = ?)")
            params.append(self.priority_id)
        if self.kinds:
            clauses.append(f"kind IN ({', '.join('?' for _ in self.kinds)})")
            params.extend(self.kinds)
        if self.visibilities:
            clauses.append(f"visibility IN ({', '.join('?' for _ in self.visibilities)})")
            params.extend(self.visibilities)
        if self.date_from:
            clauses.append("date >= ?")
            params.append(self.date_from.isoformat())
        if self.date_to:
            clauses.append("date <= ?")
            params.append(self.date_to.isoformat())
        return " AND ".join(clauses), params


SORTS = {
    "date": "date DESC, sort_{lang}",
    "date_asc": "date ASC, sort_{lang}",
    "title": "sort_{lang}, date DESC",
}


def list_evidence(
    store: RecordStore,
    flt: EvidenceFilter = EvidenceFilter(),
    *,
    sort: str = "date",
    lang: str = "cy",
    limit: int | None = None,
    offset: int = 0,
) -> list[Record]:
    """Evidence matching the filter, sorted by date or by title in the language's own order."""
    if lang not in ("cy", "en") or sort not in SORTS:
        raise ValueError("unknown sort or language")
    where, params = flt.sql()
    return store.list(
        "evidence",
        where=where,
        params=params,
        order_by=SORTS[sort].format(lang=lang),
        limit=limit,
        offset=offset,
    )


def count_evidence(store: RecordStore, flt: EvidenceFilter = EvidenceFilter()) -> int:
    where, params = flt.sql()
    mine, owner_params = and_owner(store, "evidence")
    sql = 'SELECT count(*) FROM "evidence" WHERE deleted = 0' + (f" AND ({where})" if where else "") + mine
    return store.conn.execute(sql, [*params, *owner_params]).fetchone()[0]


def academic_year_range(year: int) -> tuple[dt.date, dt.date]:
    """1 September to 31 August of the academic year that starts in `year`."""
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


@dataclass
class AreaCoverage:
    area_id: str
    total: int = 0
    by_kind: Counter = field(default_factory=Counter)
    statements_without_evidence: list[str] = field(default_factory=list)


def coverage(store: RecordStore, year: int) -> dict[str, AreaCoverage]:
    """Per area: evidence this academic year by kind, and the year's statements no evidence backs."""
    start, end = academic_year_range(year)
    result: dict[str, AreaCoverage] = {}
    mine, params = and_owner(store, "evidence", column="e.owner")
    rows = store.conn.execute(
        'SELECT a.value, e.kind, count(*) FROM "evidence" AS e, json_each(e.area_ids) AS a '
        f"WHERE e.deleted = 0 AND e.date BETWEEN ? AND ?{mine} GROUP BY a.value, e.kind",
        (start.isoformat(), end.isoformat(), *params),
    ).fetchall()
    for area_id, kind, n in rows:
        cov = result.setdefault(area_id, AreaCoverage(area_id))
        cov.by_kind[kind] += n
        cov.total += n
    linked = {
        row[0]
        for row in store.conn.execute(
            'SELECT s.value FROM "evidence" AS e, json_each(e.statement_ids) AS s WHERE e.deleted = 0' + mine, params
        )
    }
    for ev in store.list("evaluation", where="academic_year = ?", params=(year,)):
        cov = result.setdefault(ev["area_id"], AreaCoverage(ev["area_id"]))
        for statement in ev["statements"] or []:
            if statement.get("id") not in linked:
                cov.statements_without_evidence.append(statement.get("id"))
    return result
