"""Peer review report PDF (issue 12: < 1.5 s): a large visit, 12 questions with a finding each,
60 activity notes and a response per finding, in Welsh and English, made end to end as
`selfeval report peer-review` makes it; median of a few runs after one warm-up.

    python -m benchmarks.bench_peer_review
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.report import row
from selfeval_app.core.database import open_database
from selfeval_app.core.demo_review import build_example_reviewer, host_visit
from selfeval_app.core.records import RecordStore

RUNS = 5
BUDGET_MS = 1500.0
TODAY = dt.date(2026, 12, 3)
PARAGRAPH = (
    "Mae dysgwyr yn trafod eu gwaith yn hyderus ac yn defnyddio geirfa bwnc yn gywir. ",
    "Learners discuss their work confidently and use subject vocabulary accurately. ",
)


def _big_visit(store: RecordStore) -> str:
    values = host_visit(TODAY)
    values["questions"] = [
        {"id": f"q{n}", "text": {"cy": f"I ba raddau y mae cwestiwn {n} yn cael ei ateb?", "en": f"To what extent is question {n} answered?"}}
        for n in range(12)
    ]
    visit = store.create("review_visit", values)["id"]
    with store.transaction():
        for n in range(60):
            store.create("review_note", {"visit_id": visit, "kind": "learning_walk", "time": f"2026-12-02T{8 + n % 8:02d}:00", "question_ids": [f"q{n % 12}"], "text": {"cy": PARAGRAPH[0] * 4, "en": PARAGRAPH[1] * 4}})
        for n in range(12):
            part = {"cy": PARAGRAPH[0] * 3, "en": PARAGRAPH[1] * 3}
            finding = store.create("review_finding", {"visit_id": visit, "question_id": f"q{n}", "strengths": part, "areas_for_development": part, "practice_worth_sharing": part, "lines_of_enquiry": part, "authors": ["Mr Huw Bowen"]})
            store.create("review_response", {"visit_id": visit, "finding_id": finding["id"], "response": "comment", "text": part})
    return visit


def main() -> list[str]:
    from selfeval_app.reports.peer_review import make_peer_review_report

    rows = []
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-peer-") as tmp:
        build_example_reviewer(Path(tmp) / "R", device_id="benchmark", today=TODAY)
        store = RecordStore(open_database(Path(tmp) / "R"), device_id="benchmark")
        visit = _big_visit(store)
        t0 = time.perf_counter()
        first = make_peer_review_report(store, visit, Path(tmp) / "first.pdf", lang="both", today=TODAY)
        cold = (time.perf_counter() - t0) * 1000
        for lang in ("cy", "en", "both"):
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                result = make_peer_review_report(store, visit, Path(tmp) / f"{lang}.pdf", lang=lang, today=TODAY)
                times.append((time.perf_counter() - t) * 1000)
            ms = statistics.median(times)
            rows.append(row(f"peer review report, 12 findings, {lang} ({result.pages} pp)", ms, None, "< 1.5 s", ms < BUDGET_MS))
        rows.append(row(f"  first peer review report in a process ({first.pages} pp, incl. imports)", cold, None, "< 1.5 s", cold < BUDGET_MS))
        store.close()
    return rows


if __name__ == "__main__":
    print("\n".join(main()))
