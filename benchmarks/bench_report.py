"""Governors' report: a full year of the large data set (DESIGN §12: < 1.5 s).

Made end to end as `selfeval report governors` makes it (gathering, layout, PDF, written through a
temporary file), as a draft so the benchmark records nothing, in each language mode; median of a
few runs after one warm-up (font registration and imports are a once-per-process cost, shown
on its own line).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.dataset import build
from benchmarks.report import row
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

RUNS = 5
BUDGET_MS = 1500.0
YEAR, TERM = 2024, "autumn"  # the data set's reviews are in the autumn of 2024–25
TODAY = dt.date(2024, 12, 12)


def main() -> list[str]:
    data_dir = build()
    db = open_database(data_dir)
    store = RecordStore(db, device_id="benchmark")
    rows = []
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-report-") as tmp:
        t0 = time.perf_counter()
        from selfeval_app.reports.issue import make_report

        def once(lang: str):
            return make_report(
                store, "governors", Path(tmp) / f"report-{lang}.pdf", lang=lang, year=YEAR, term=TERM,
                draft=True, today=TODAY,
            )

        first = once("both")
        cold = (time.perf_counter() - t0) * 1000
        for lang in ("cy", "en", "both"):
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                result = once(lang)
                times.append((time.perf_counter() - t) * 1000)
            ms = statistics.median(times)
            rows.append(row(f"governors' report, full year, {lang} ({result.pages} pp)", ms, None, "< 1.5 s", ms < BUDGET_MS))
        rows.append(row(f"  first report in a process ({first.pages} pp, incl. imports)", cold, None, "< 1.5 s", cold < BUDGET_MS))
    db.close()
    return rows


if __name__ == "__main__":
    print("\n".join(main()))
