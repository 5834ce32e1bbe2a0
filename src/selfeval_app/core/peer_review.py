"""Peer review visits in the core (issue 12, DESIGN §14): what a visit holds, what the host
chose for its reviewers, and the agreed report kept as the host's own copy.

Who writes what: the host owns the visit, its responses and its copy of the report; a reviewer
owns the notes; the lead reviewer owns the findings. Each side's records are read-only at the
other's (the store refuses writes to another owner's records).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.records import Record, RecordStore

# The visibilities a reviewer may hold without being chosen for a visit (core/visibility.py).
SHARED_WITH_PEERS = ("peers", "la")
# Reviewer-owned types that belong to one visit and travel back to the host.
REVIEWER_TYPES = ("review_note", "review_finding")
# Once a visit is here, its pack is the visit alone.
AFTER_AGREEMENT = ("agreed", "closed")


class VisitNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class VisitSummary:
    id: str
    host_name: dict[str, str]
    host_owner: str
    kind: str
    status: str
    start_date: str | None
    findings: int
    notes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "host": self.host_name,
            "host_owner": self.host_owner,
            "kind": self.kind,
            "status": self.status,
            "start_date": self.start_date,
            "findings": self.findings,
            "notes": self.notes,
        }


def get_visit(store: RecordStore, visit_id: str) -> Record:
    visit = store.get("review_visit", visit_id)
    if visit is None:
        raise VisitNotFoundError(visit_id)
    return visit


def _for_visit(store: RecordStore, type_name: str, visit_id: str) -> list[Record]:
    return store.list(type_name, where="visit_id = ?", params=(visit_id,), order_by="created_at, id")


def notes_of(store: RecordStore, visit_id: str) -> list[Record]:
    return store.list("review_note", where="visit_id = ?", params=(visit_id,), order_by="time, id")


def findings_of(store: RecordStore, visit_id: str) -> list[Record]:
    return _for_visit(store, "review_finding", visit_id)


def responses_of(store: RecordStore, visit_id: str) -> list[Record]:
    return _for_visit(store, "review_response", visit_id)


def report_of(store: RecordStore, visit_id: str) -> Record | None:
    found = _for_visit(store, "review_report", visit_id)
    return found[-1] if found else None


def list_visits(store: RecordStore) -> list[VisitSummary]:
    """Every visit held here (the host's own, or received in a pack), by start date."""
    out = []
    for v in store.list("review_visit", order_by="start_date, id"):
        findings = len(findings_of(store, v["id"]))
        report = report_of(store, v["id"])
        if not findings and report is not None:
            findings = len(report.get("findings") or [])
        out.append(
            VisitSummary(
                id=v["id"],
                host_name=v["host_name"],
                host_owner=v["owner"],
                kind=v["kind"],
                status=v["status"],
                start_date=v.get("start_date"),
                findings=findings,
                notes=len(notes_of(store, v["id"])),
            )
        )
    return out


def pack_records(store: RecordStore, visit_id: str) -> list[Record]:
    """What the host sends a reviewer for this visit: the visit, the host's responses to its
    findings, every host record shared with peers or the LA, and the records the host chose for
    this visit (`shared_record_ids`, whatever their visibility). Nothing deleted, nothing of
    another owner. Once the visit is agreed or closed: the visit alone."""
    visit = get_visit(store, visit_id)
    owner = visit["owner"]
    chosen = set(visit.get("shared_record_ids") or [])
    out: dict[str, Record] = {visit["id"]: visit}
    if visit.get("status") in AFTER_AGREEMENT:
        # The report is agreed: the reviewers keep only what they wrote (and the visit their
        # notes belong to); the rest is withdrawn by the next pack (exchange/visit_bundle.py).
        return list(out.values())
    for r in responses_of(store, visit_id):
        if r["owner"] == owner:
            out[r["id"]] = r
    marks = ", ".join("?" for _ in SHARED_WITH_PEERS)
    for t in rt.RECORD_TYPES:
        if t in rt.PEER_REVIEW_TYPES:  # another visit's records go only with that visit
            continue
        for rec in store.list(t, where=f"visibility IN ({marks})", params=SHARED_WITH_PEERS, owners=owner):
            out[rec["id"]] = rec
        if not chosen:
            continue
        ids = sorted(chosen)
        qmarks = ", ".join("?" for _ in ids)
        for rec in store.list(t, where=f"id IN ({qmarks})", params=ids, owners=owner):
            out[rec["id"]] = rec
    return list(out.values())


def reviewer_records(store: RecordStore, visit_id: str, owner: str) -> list[Record]:
    """What a reviewer sends the host for this visit: their own notes and findings of it."""
    out: list[Record] = []
    for t in REVIEWER_TYPES:
        out += [r for r in _for_visit(store, t, visit_id) if r["owner"] == owner]
    return out


def visit_scope_ids(records: list[Record], reader_identity: str) -> set[str]:
    """Of a pack's records, the ids a reader may hold whatever their visibility, because the
    host chose them for a visit whose team names the reader: the visit, its chosen records and
    the host's responses to it."""
    visits = {
        r["id"]: r
        for r in records
        if r["type"] == "review_visit"
        and not r.get("deleted")
        and any(isinstance(m, dict) and m.get("identity_id") == reader_identity for m in r.get("team") or [])
    }
    ids = set(visits)
    for v in visits.values():
        ids.update(v.get("shared_record_ids") or [])
    ids.update(r["id"] for r in records if r["type"] == "review_response" and r.get("visit_id") in visits)
    return ids


def agree_report(store: RecordStore, visit_id: str, *, agreed_on: str) -> Record:
    """The host's own copy of the agreed report: the findings held here for the visit (the
    reviewers' records, read-only here) copied with their authors into a host-owned
    `review_report`, and the visit marked agreed. Calling it again refreshes the copy."""
    visit = get_visit(store, visit_id)
    findings = findings_of(store, visit_id)
    copies = []
    authors: list[str] = []
    for f in findings:
        copies.append(
            {
                "finding_id": f["id"],
                "question_id": f["question_id"],
                "strengths": f.get("strengths"),
                "areas_for_development": f.get("areas_for_development"),
                "practice_worth_sharing": f.get("practice_worth_sharing"),
                "lines_of_enquiry": f.get("lines_of_enquiry"),
                "authors": f.get("authors") or [],
            }
        )
        for name in f.get("authors") or []:
            if name not in authors:
                authors.append(name)
    values = {"visit_id": visit_id, "findings": copies, "authors": authors, "agreed_on": agreed_on}
    with store.transaction():
        existing = report_of(store, visit_id)
        if existing is None:
            report = store.create("review_report", values, visibility="private")
        else:
            report = store.update("review_report", existing["id"], values)
        store.update("review_visit", visit["id"], {"status": "agreed"})
    return report


def respond(
    store: RecordStore,
    finding_id: str,
    response: str,
    text: dict[str, str] | None = None,
    *,
    action_id: str | None = None,
) -> Record:
    """The host's response to a finding (agree, correction, comment): one response per finding,
    replaced when given again. The finding itself stays the reviewer's, read-only here."""
    finding = store.get("review_finding", finding_id)
    if finding is None:
        raise LookupError(finding_id)
    values: dict[str, Any] = {
        "visit_id": finding["visit_id"],
        "finding_id": finding_id,
        "response": response,
        "text": text or {"cy": "", "en": ""},
    }
    if action_id is not None:
        values["action_id"] = action_id
    existing = store.list("review_response", where="finding_id = ? AND owner = ?", params=(finding_id, store.owner))
    if existing:
        return store.update("review_response", existing[0]["id"], values)
    return store.create("review_response", values, visibility="private")


def add_to_plan(store: RecordStore, finding_id: str, priority_id: str, description: dict[str, str]) -> Record:
    """"Add to our plan": a new action under one of our priorities, made from a finding and linked
    back to it through the host's response (agree, with the action's id)."""
    with store.transaction():
        action = store.create("action", {"priority_id": priority_id, "description": description, "status": "not_started"})
        current = store.list("review_response", where="finding_id = ? AND owner = ?", params=(finding_id, store.owner))
        kind = current[0]["response"] if current else "agree"
        text = current[0].get("text") if current else None
        respond(store, finding_id, kind, text, action_id=action["id"])
    return action


def mark_findings_agreed(store: RecordStore, visit_id: str, *, agreed_on: str) -> int:
    """The lead reviewer marks their findings of the visit agreed (after the host's fact-check);
    returns how many changed. Only our own findings: the host's copy is `agree_report`."""
    changed = 0
    with store.transaction():
        for f in findings_of(store, visit_id):
            if store.is_own(f) and not (f.get("agreed") and f.get("agreed_on") == agreed_on):
                store.update("review_finding", f["id"], {"agreed": True, "agreed_on": agreed_on})
                changed += 1
    return changed
