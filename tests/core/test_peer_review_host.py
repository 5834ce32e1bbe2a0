"""The host's side of a peer review visit in the core (issue 12): preparing a visit, what the LA
may know of it, "Add to our plan" with a new priority, the follow-up rule."""

from __future__ import annotations

import datetime as dt

import pytest

from selfeval_app.core import peer_review
from selfeval_app.core import peer_review_host as host
from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

REVIEWER = "11111111-1111-4111-8111-111111111111"
TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def store(tmp_path):
    db = open_database(tmp_path / "odd name" / "data")
    s = RecordStore(db, device_id="dev-host", clock=FixedClock(dt.datetime(2026, 12, 3, 9, 0)))
    s.create("school", {"name": {"cy": "Ysgol y Wennol", "en": "Swallow School"}, "writes_in": "both"}, visibility="la")
    yield s
    s.close()


def _raw(**changes):
    raw = {
        "start_date": "2027-01-20",
        "end_date": "2027-01-21",
        "kind": "peer_enquiry",
        "questions": [{"text": {"cy": "I ba raddau y mae…?", "en": "To what extent does…?"}, "area_ids": ["a1", "a2"], "priority_ids": []}],
        "team": [
            {"identity_id": REVIEWER, "name": "Mrs Ann Jones", "role": "lead", "school": {"cy": "Ysgol Bryn", "en": "Bryn School"}},
            {"name": "Mr Dai Lewis", "role": "link_leader"},
        ],
        "follow_up": "2027-03-01",
    }
    raw.update(changes)
    return raw


def test_create_visit_host_is_us_status_draft_and_summary_for_la(store):
    visit = host.save_visit(store, None, _raw(), reviewer_ids=[REVIEWER])
    assert visit["status"] == "draft" and visit["host_name"]["en"] == "Swallow School"
    assert visit["questions"][0]["id"] and visit["team"][1]["identity_id"] == ""
    summary = host.summary_of(store, visit["id"])
    assert summary["visibility"] == "la"
    assert summary["partner_schools"] == [{"cy": "Ysgol Bryn", "en": "Bryn School"}]
    assert summary["area_ids"] == ["a1", "a2"] and summary["kind"] == "peer_enquiry" and summary["status"] == "draft"
    assert "questions" not in summary and "team" not in summary
    edited = host.save_visit(store, visit["id"], _raw(kind="cluster_visit", status="pack_sent"), base_rev=visit["rev"])
    assert edited["status"] == "pack_sent"
    assert host.summary_of(store, visit["id"])["kind"] == "cluster_visit"
    assert len(store.list("review_summary")) == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"start_date": ""}, "start_date"),
        ({"start_date": "20/01/2027"}, "start_date"),
        ({"end_date": "2027-01-19"}, "end_date"),
        ({"kind": "inspection"}, "kind"),
        ({"questions": [{"text": {"cy": " ", "en": ""}}]}, "questions"),
        ({"team": [{"identity_id": "someone-else", "name": "X", "role": "reviewer"}]}, "team"),
        ({"team": [{"identity_id": REVIEWER, "name": "A", "role": "lead"}, {"identity_id": REVIEWER, "name": "B", "role": "lead"}]}, "team"),
        ({"team": [{"name": "", "role": "link_leader"}]}, "team"),
        ({"team": [{"name": "A", "role": "boss"}]}, "team"),
        ({"follow_up": "2026-01-01"}, "follow_up"),
    ],
)
def test_bad_visit_changes_nothing_and_says_why(store, changes, field):
    before = store.count("review_visit")
    with pytest.raises(host.VisitInputError) as caught:
        host.save_visit(store, None, _raw(**changes), reviewer_ids=[REVIEWER])
    assert caught.value.field == field and "%(" not in caught.value.message()
    assert store.count("review_visit") == before and store.count("review_summary") == 0


def _foreign_finding(store, visit):
    """A lead reviewer's finding as it arrives at the host (another owner: read-only here)."""
    rec = {
        "id": "f0000000-0000-4000-8000-000000000001", "type": "review_finding", "owner": REVIEWER, "updated_by": "dev-r",
        "rev": 1, "base_rev": 0, "created_at": "2026-12-03T09:00:00Z", "updated_at": "2026-12-03T09:00:00Z",
        "deleted": False, "visibility": "peers", "visit_id": visit["id"], "question_id": visit["questions"][0]["id"],
        "strengths": {"cy": "Cryf", "en": "Strong"}, "areas_for_development": {"cy": "", "en": ""},
        "practice_worth_sharing": {"cy": "", "en": ""}, "lines_of_enquiry": {"cy": "Sut?", "en": "How?"},
        "note_ids": [], "agreed": True, "agreed_on": "2027-02-01", "authors": ["Mrs Ann Jones"],
    }
    rec["content_hash"] = _hash(rec)
    with store.transaction():
        store.apply_incoming(rec)
    return store.require("review_finding", rec["id"])


def _hash(rec):
    from selfeval_app.core.records import content_hash, record_type

    return content_hash(record_type("review_finding"), rec)


def test_findings_and_responses_reach_the_la_only_when_shared(store):
    visit = host.save_visit(store, None, _raw(), reviewer_ids=[REVIEWER])
    finding = _foreign_finding(store, visit)
    response = host.respond(store, finding["id"], "comment", {"cy": "Diolch", "en": "Thanks"})
    report = host.agree_report(store, visit["id"], agreed_on="2027-02-02")
    assert response["visibility"] == "private" and report["visibility"] == "private"
    assert host.summary_of(store, visit["id"])["status"] == "agreed"
    host.set_share_findings(store, visit["id"], True)
    assert store.require("review_report", report["id"])["visibility"] == "la"
    assert store.require("review_response", response["id"])["visibility"] == "la"
    host.set_share_findings(store, visit["id"], False)
    assert store.require("review_report", report["id"])["visibility"] == "private"


def test_add_to_plan_under_a_new_priority_links_back(store):
    plan = store.create("plan", {"title": {"cy": "Cynllun", "en": "Plan"}, "start_year": 2026})
    visit = host.save_visit(store, None, _raw(), reviewer_ids=[REVIEWER])
    finding = _foreign_finding(store, visit)
    host.respond(store, finding["id"], "correction", {"cy": "Cywiriad", "en": "Correction"})
    action = host.add_to_plan(
        store, finding["id"], {"cy": "Her i ddarllenwyr", "en": "Challenge readers"},
        new_priority={"plan_id": plan["id"], "title": {"cy": "Darllen", "en": "Reading"}},
    )
    priority = store.require("priority", action["priority_id"])
    assert priority["title"]["en"] == "Reading" and priority["plan_id"] == plan["id"]
    assert host.finding_of_action(store, action["id"])["id"] == finding["id"]
    assert host.actions_from_findings(store) == {action["id"]: finding["id"]}
    [response] = peer_review.responses_of(store, visit["id"])
    assert response["response"] == "correction" and response["text"]["en"] == "Correction"  # kept
    # responding again keeps the link to the action
    host.respond(store, finding["id"], "agree")
    assert host.finding_of_action(store, action["id"])["id"] == finding["id"]
    with pytest.raises(host.VisitInputError):
        host.add_to_plan(store, finding["id"], {"cy": "", "en": ""}, new_priority={"plan_id": plan["id"], "title": {"en": "X"}})
    with pytest.raises(host.VisitInputError):
        host.add_to_plan(store, finding["id"], {"en": "Y"})


def test_follow_up_rule(store):
    visit = host.save_visit(store, None, _raw(start_date="2026-10-01", end_date=None, follow_up="2026-12-20"), reviewer_ids=[REVIEWER])
    [due] = host.follow_ups(store, TODAY)
    assert due.visit_id == visit["id"] and due.days == 17
    assert host.follow_ups(store, TODAY, within_days=10) == []
    assert host.follow_ups(store, dt.date(2027, 1, 5))[0].days < 0  # past and not closed: still shown
    host.set_status(store, visit["id"], "closed")
    assert host.follow_ups(store, TODAY) == []


def test_choose_records_and_choosable(store):
    visit = host.save_visit(store, None, _raw(), reviewer_ids=[REVIEWER])
    ev = store.create("evidence", {"date": "2026-11-01", "kind": "other", "title": {"cy": "T", "en": "T"}}, visibility="private")
    shared = store.create("evidence", {"date": "2026-11-02", "kind": "other", "title": {"cy": "S", "en": "S"}}, visibility="peers")
    rows = {r["id"]: r for r in host.choosable_records(store, visit["id"])}
    assert rows[ev["id"]]["chosen"] is False and rows[shared["id"]]["shared"] is True
    host.choose_records(store, visit["id"], [ev["id"]])
    ids = {r["id"] for r in peer_review.pack_records(store, visit["id"])}
    assert {ev["id"], shared["id"], visit["id"]} <= ids
    assert not any(r["type"] == "review_summary" for r in peer_review.pack_records(store, visit["id"]))


def test_an_owners_tombstone_at_the_rev_held_is_a_withdrawal_only_for_a_foreign_record(store):
    """The store's rule behind "reviewers keep only what they wrote": another owner's tombstone
    at the rev we hold withdraws the record (and its history); our own record's is a conflict."""
    from selfeval_app.core import records
    from selfeval_app.core.share_ledger import withdrawal_version

    visit = host.save_visit(store, None, _raw(), reviewer_ids=[REVIEWER])
    foreign = _foreign_finding(store, visit)
    applied = store.apply_incoming(withdrawal_version(store, foreign))
    assert applied.outcome == records.CHANGED
    assert store.get("review_finding", foreign["id"]) is None and store.history("review_finding", foreign["id"]) == []
    assert store.apply_incoming(withdrawal_version(store, foreign)).outcome == records.UNCHANGED  # again: nothing

    own = store.require("review_visit", visit["id"])
    tomb = dict(withdrawal_version(store, own), updated_by="another-laptop")
    assert store.apply_incoming(tomb).outcome == records.CONFLICT
    assert store.get("review_visit", visit["id"]) is not None
