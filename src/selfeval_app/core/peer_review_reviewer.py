"""The reviewer's side of a peer review visit (issue 12 item 3), for the window and the command
line: which visits this installation holds as a reviewer, the reviewer's own notes and findings,
and saving them as the reviewer identity (never the school's).

A reviewer's records are owned by the reviewer identity (`as_identity=`); the host's records
(the visit, its shared evaluation, plan and evidence) are read-only here: the store refuses
writes to another owner's records. No grades.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selfeval_app.core import peer_review
from selfeval_app.core import record_types as rt
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import Record, RecordStore

#: The visibility of what a reviewer writes: it is written for the host and travels to them.
REVIEWER_VISIBILITY = "peers"

NOTE_KIND_LABELS = {  # the same messages as the report's (reports/peer_review.py)
    "joint_lesson_observation": N_("Joint lesson observation"),
    "learning_walk": N_("Learning walk"),
    "work_scrutiny": N_("Work scrutiny / book look"),
    "learner_voice": N_("Learner voice"),
    "meeting_staff": N_("Meeting with staff"),
    "meeting_governors": N_("Meeting with governors"),
    "meeting_parents": N_("Meeting with parents"),
    "other": N_("Other activity"),
}
VISIT_KIND_LABELS = {
    "peer_review": N_("Peer review"),
    "peer_enquiry": N_("Peer enquiry"),
    "cluster_visit": N_("Cluster visit"),
    "other": N_("Other visit"),
}
STATUS_LABELS = {
    "draft": N_("Draft"),
    "pack_sent": N_("Pack sent"),
    "visit": N_("Visit under way"),
    "fact_check": N_("Report in fact-check"),
    "agreed": N_("Agreed"),
    "closed": N_("Closed"),
}
ROLE_LABELS = {"lead": N_("Lead reviewer"), "reviewer": N_("Reviewer"), "link_leader": N_("Host's link leader")}
FINDING_PARTS = (
    ("strengths", N_("Strengths")),
    ("areas_for_development", N_("Areas for development")),
    ("practice_worth_sharing", N_("Practice worth sharing")),
    ("lines_of_enquiry", N_("Lines of further enquiry")),
)
assert tuple(NOTE_KIND_LABELS) == rt.REVIEW_NOTE_KINDS


class NotAReviewerError(LookupError):
    pass


def reviewer_identity(store: RecordStore) -> str | None:
    """This installation's peer reviewer identity (the primary one on a reviewer's own laptop)."""
    for row in store.conn.execute("SELECT id FROM identity WHERE role = 'reviewer' ORDER BY created_at, id"):
        if row[0] == store.owner:
            return row[0]
    row = store.conn.execute("SELECT id FROM identity WHERE role = 'reviewer' ORDER BY created_at, id LIMIT 1").fetchone()
    return row[0] if row else None


def visits_reviewed(store: RecordStore) -> list[peer_review.VisitSummary]:
    """The visits held here that another school hosts (received in a pack, or written for)."""
    own = store.identity_ids
    return [v for v in peer_review.list_visits(store) if v.host_owner not in own]


def has_reviewer_side(store: RecordStore) -> bool:
    """True when this installation reviews: it has a reviewer identity or holds another school's
    visit ("Visits I review" is shown then)."""
    if reviewer_identity(store) is not None:
        return True
    own = store.identity_ids
    marks = ", ".join("?" for _ in own)
    row = store.conn.execute(
        f"SELECT 1 FROM review_visit WHERE deleted = 0 AND owner NOT IN ({marks}) LIMIT 1", tuple(own)
    ).fetchone()
    return row is not None


def my_name(store: RecordStore, visit: Record, identity_id: str) -> str:
    """How the reviewer is named in the visit's team (else the identity's name)."""
    for member in visit.get("team") or []:
        if isinstance(member, dict) and member.get("identity_id") == identity_id and member.get("name"):
            return str(member["name"])
    row = store.conn.execute("SELECT name_cy, name_en FROM identity WHERE id = ?", (identity_id,)).fetchone()
    return (row[1] or row[0]) if row else ""


def my_role(visit: Record, identity_id: str) -> str | None:
    for member in visit.get("team") or []:
        if isinstance(member, dict) and member.get("identity_id") == identity_id:
            return member.get("role")
    return None


@dataclass
class Workspace:
    """What the visit workspace shows: the host's visit, the host's records shared for it, and
    what this reviewer (and the team members whose notes came in) wrote."""

    visit: Record
    reviewer: str | None
    notes: list[Record]
    findings: list[Record]
    host_records: dict[str, list[Record]]

    @property
    def questions(self) -> list[dict[str, Any]]:
        return [q for q in self.visit.get("questions") or [] if isinstance(q, dict) and q.get("id")]


HOST_TYPES = ("evaluation", "priority", "action", "evidence")


def workspace(store: RecordStore, visit_id: str) -> Workspace:
    visit = peer_review.get_visit(store, visit_id)
    host = visit["owner"]
    shown = {t: store.list(t, owners=host) for t in HOST_TYPES}
    return Workspace(
        visit=visit,
        reviewer=reviewer_identity(store),
        notes=peer_review.notes_of(store, visit_id),
        findings=peer_review.findings_of(store, visit_id),
        host_records=shown,
    )


def _reviewer(store: RecordStore) -> str:
    identity = reviewer_identity(store)
    if identity is None:
        raise NotAReviewerError()
    return identity


NOTE_FIELDS = ("kind", "time", "place", "host_participant", "question_ids", "text")
FINDING_FIELDS = ("strengths", "areas_for_development", "practice_worth_sharing", "lines_of_enquiry", "note_ids")


def save_note(
    store: RecordStore,
    visit_id: str,
    note_id: str | None,
    values: dict[str, Any],
    *,
    base_rev: int | None = None,
    session: str | None = None,
) -> Record:
    """Create or update one of the reviewer's notes of the visit, as the reviewer identity."""
    identity = _reviewer(store)
    fields = {k: values[k] for k in NOTE_FIELDS if k in values}
    if note_id is None:
        peer_review.get_visit(store, visit_id)
        fields.setdefault("kind", "other")
        return store.create(
            "review_note", {**fields, "visit_id": visit_id}, visibility=REVIEWER_VISIBILITY, as_identity=identity, session=session
        )
    return store.update("review_note", note_id, fields, base_rev=base_rev, as_identity=identity, session=session)


def delete_note(store: RecordStore, note_id: str) -> None:
    store.delete("review_note", note_id, as_identity=_reviewer(store))


def save_finding(
    store: RecordStore,
    visit_id: str,
    question_id: str,
    finding_id: str | None,
    values: dict[str, Any],
    *,
    base_rev: int | None = None,
    session: str | None = None,
) -> Record:
    """Create or update the reviewer's finding for one question of the visit (as the reviewer
    identity); its authors are the reviewer's name in the team."""
    identity = _reviewer(store)
    fields = {k: values[k] for k in FINDING_FIELDS if k in values}
    if finding_id is None:
        visit = peer_review.get_visit(store, visit_id)
        name = my_name(store, visit, identity)
        return store.create(
            "review_finding",
            {**fields, "visit_id": visit_id, "question_id": question_id, "agreed": False, "authors": [name] if name else []},
            visibility=REVIEWER_VISIBILITY,
            as_identity=identity,
            session=session,
        )
    return store.update("review_finding", finding_id, fields, base_rev=base_rev, as_identity=identity, session=session)


def mark_agreed(store: RecordStore, visit_id: str, *, agreed_on: str) -> int:
    """The lead reviewer marks their findings of the visit agreed (after the host's fact-check),
    writing as whichever of this installation's identities owns each (on a head's school laptop,
    the reviewer identity); returns how many changed."""
    changed = 0
    with store.transaction():
        for f in peer_review.findings_of(store, visit_id):
            if store.is_own(f) and not (f.get("agreed") and f.get("agreed_on") == agreed_on):
                store.update("review_finding", f["id"], {"agreed": True, "agreed_on": agreed_on}, as_identity=f["owner"])
                changed += 1
    return changed
