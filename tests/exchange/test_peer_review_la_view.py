"""What the LA sees of a visit (issue 12): a bundle to the LA from the example school carries the
visit's summary and no finding, response or report unless the host shares the findings."""

from __future__ import annotations

from exchange_helpers import la_recipient

from selfeval_app.core import peer_review_host as host
from selfeval_app.core.demo_review import EXAMPLE_REVIEWER_OWNER, visit_id
from selfeval_app.core.records import content_hash, record_type
from selfeval_app.exchange.bundle_write import plan_bundle
from selfeval_app.exchange.redact import stand_in


def _arrive_finding(store, visit):
    rec = {
        "id": "f0000000-0000-4000-8000-0000000000aa", "type": "review_finding", "owner": EXAMPLE_REVIEWER_OWNER,
        "updated_by": "dev-r", "rev": 1, "base_rev": 0, "created_at": "2026-12-03T09:00:00Z",
        "updated_at": "2026-12-03T09:00:00Z", "deleted": False, "visibility": "peers", "visit_id": visit["id"],
        "question_id": visit["questions"][0]["id"], "strengths": {"cy": "Cryf", "en": "Strong"},
        "areas_for_development": {"cy": "", "en": ""}, "practice_worth_sharing": {"cy": "", "en": ""},
        "lines_of_enquiry": {"cy": "", "en": ""}, "note_ids": [], "agreed": True, "agreed_on": "2026-12-03",
        "authors": ["Mr Huw Bowen"],
    }
    rec["content_hash"] = content_hash(record_type("review_finding"), rec)
    with store.transaction():
        store.apply_incoming(rec)
    return rec


def test_la_bundle_holds_the_visit_summary_and_no_finding_unless_shared(pair):
    with pair.stores() as (s, ks, _l, kl):
        visit = s.require("review_visit", visit_id())
        types = {r["type"] for r in plan_bundle(s, ks, la_recipient(kl)).records}
        assert "review_summary" in types
        assert not types & {"review_visit", "review_finding", "review_note", "review_response", "review_report"}
        [summary] = [r for r in plan_bundle(s, ks, la_recipient(kl)).records if r["type"] == "review_summary"]
        # the visit itself is private: the summary names it by its stand-in (exchange/redact.py)
        assert summary["visit_id"] == stand_in(visit["id"]) and summary["kind"] == "peer_review" and summary["status"] == "visit"
        assert summary["partner_schools"] == [{"cy": "Ysgol Gynradd Pen-y-Bryn", "en": "Ysgol Gynradd Pen-y-Bryn"}]
        assert summary["area_ids"] and summary["start_date"] == visit["start_date"]

        finding = _arrive_finding(s, visit)
        host.respond(s, finding["id"], "agree")
        host.agree_report(s, visit["id"], agreed_on="2026-12-03")
        types = {r["type"] for r in plan_bundle(s, ks, la_recipient(kl)).records}
        assert not types & {"review_finding", "review_response", "review_report", "review_visit"}

        host.set_share_findings(s, visit["id"], True)
        contents = plan_bundle(s, ks, la_recipient(kl))
        types = {r["type"] for r in contents.records}
        assert {"review_report", "review_response", "review_summary"} <= types
        assert "review_finding" not in types and "review_visit" not in types  # never another owner's, never the visit
        [summary] = [r for r in contents.records if r["type"] == "review_summary"]
        assert summary["status"] == "agreed"
        # the report and the responses shared with it name the visit by the same stand-in
        assert {r["visit_id"] for r in contents.records if r["type"].startswith("review_")} == {stand_in(visit["id"])}
