"""What a report builder hands to the renderer and to issuing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable

from selfeval_app.reports.layout import DocInfo


class Sources:
    """The records a report drew on, with the rev it saw: kept in the `report_issue`."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, Any]] = {}

    def add(self, rec: Mapping[str, Any] | None) -> None:
        if rec and rec.get("id") and rec.get("type"):
            self._seen[rec["id"]] = {"id": rec["id"], "type": rec["type"], "rev": int(rec.get("rev") or 0)}

    def add_all(self, recs: Iterable[Mapping[str, Any]]) -> None:
        for rec in recs:
            self.add(rec)

    def as_list(self) -> list[dict[str, Any]]:
        return sorted(self._seen.values(), key=lambda s: (s["type"], s["id"]))

    def __len__(self) -> int:
        return len(self._seen)


@dataclass
class ReportContent:
    kind: str  # governors | sdp_summary
    lang: str  # cy | en | both
    year: int
    term: str | None
    sections: list[str]
    story: list[Flowable]
    info: DocInfo
    sources: Sources = field(default_factory=Sources)
