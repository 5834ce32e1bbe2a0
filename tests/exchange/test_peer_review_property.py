"""Properties of the visit bundles (issue 12): the pack holds exactly what the host chose for the
visit, over random visibilities and choices; nothing of the reviewer's own school ever goes to
the host; each side's records are read-only at the other's."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import build_example_school
from selfeval_app.core.demo_review import visit_id
from selfeval_app.core.identities import add_identity
from selfeval_app.core.records import ReadOnlyRecordError, RecordStore
from selfeval_app.exchange import contacts, keys
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_read import read_bundle
from selfeval_app.exchange.bundle_write import Recipient, write_bundle
from selfeval_app.exchange.setup_reviewer import demo_reviewer
from selfeval_app.exchange.visit_bundle import VisitBundleError, plan_visit_bundle

CANDIDATE_TYPES = ("evaluation", "evidence", "priority", "action", "indicator", "area", "attachment")


@dataclass
class Laptops:
    host: Path
    reviewer: Path

    def open(self):
        h = RecordStore(open_database(self.host), device_id="device-H")
        r = RecordStore(open_database(self.reviewer), device_id="device-R")
        return h, keys.require_keys(self.host), r, keys.require_keys(self.reviewer)


@pytest.fixture(scope="module")
def laptops_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("peer")
    host, reviewer = root / "H", root / "R"
    build_example_school(host, device_id="device-H")
    demo_reviewer(reviewer, device_id="device-R")
    h = RecordStore(open_database(host), device_id="device-H")
    kh = keys.ensure_identity(h)
    r = RecordStore(open_database(reviewer), device_id="device-R")
    kr = keys.require_keys(reviewer)
    contacts.trust(h, kh, kr.card(), kr.fingerprint())
    contacts.trust(r, kr, kh.card(), kh.fingerprint())
    # The reviewer is the head of another school: that school's records share the laptop,
    # owned by an identity of their own and shared as widely as possible.
    own_school = add_identity(r.db, role="school", name_cy="Ysgol Gynradd Pen-y-Bryn", name_en="")
    r.forget_cached_meta()
    for n in range(3):
        r.create("evidence", {"date": f"2026-11-0{n + 1}", "kind": "other", "title": {"cy": f"Tystiolaeth {n}"}}, visibility="la", as_identity=own_school)
        r.create("review_note", {"visit_id": visit_id(), "kind": "other", "text": {"cy": f"Nodyn ysgol {n}"}}, visibility="peers", as_identity=own_school)
    h.close()
    r.close()
    return Laptops(host, reviewer), own_school


def _ids(bundle_path, store, k):
    bundle = read_bundle(store, k, bundle_path)
    try:
        return {r["id"]: r for r in bundle.records}
    finally:
        bundle.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_pack_holds_exactly_what_the_host_chose(laptops_template, tmp_path_factory, data):
    template, own_school = laptops_template
    root = tmp_path_factory.mktemp("case")
    shutil.copytree(template.host, root / "H")
    shutil.copytree(template.reviewer, root / "R")
    h, kh, r, kr = Laptops(root / "H", root / "R").open()
    try:
        visit = visit_id()
        candidates = [rec for t in CANDIDATE_TYPES for rec in h.list(t)]
        picked = data.draw(st.lists(st.sampled_from(candidates), max_size=12, unique_by=lambda x: x["id"]), label="changed")
        for rec in picked:
            action = data.draw(st.sampled_from(["private", "peers", "la", "delete"]), label=rec["id"])
            if action == "delete":
                h.delete(rec["type"], rec["id"])
            else:
                h.set_visibility(rec["type"], rec["id"], action)
        chosen = data.draw(st.lists(st.sampled_from([c["id"] for c in candidates]), max_size=6, unique=True), label="chosen")
        h.update("review_visit", visit, {"shared_record_ids": chosen})

        expected = {visit}
        for t in rt.RECORD_TYPES:
            if t in rt.PEER_REVIEW_TYPES:
                continue
            for rec in h.list(t):  # not deleted
                if rec["owner"] == kh.identity_id and (rec["visibility"] in ("peers", "la") or rec["id"] in chosen):
                    expected.add(rec["id"])

        to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
        pack = root / "pack.selfeval-bundle"
        write_bundle(h, kh, to_reviewer, pack, plan_visit_bundle(h, kh, to_reviewer, visit))
        held = _ids(pack, r, kr)
        assert set(held) == expected
        assert all(rec["owner"] == kh.identity_id for rec in held.values())
        import_bundle(r, kr, pack)

        # Back to the host, by visit and by an ordinary bundle: only the reviewer identity's.
        to_host = Recipient.from_contact(contacts.get(r, kh.identity_id))
        for n, contents in enumerate((plan_visit_bundle(r, kr, to_host, visit), None)):
            back = root / f"back{n}.selfeval-bundle"
            write_bundle(r, kr, to_host, back, contents)
            sent = _ids(back, h, kh)
            assert all(rec["owner"] == kr.identity_id for rec in sent.values())
            assert not any(rec["owner"] == own_school for rec in sent.values())
            import_bundle(h, kh, back)
        assert h.count("review_finding") == 2 and h.count("review_note") == 5

        with pytest.raises(ReadOnlyRecordError):
            h.update("review_finding", h.list("review_finding")[0]["id"], {"agreed": True})
        with pytest.raises(ReadOnlyRecordError):
            h.delete("review_note", h.list("review_note")[0]["id"])
        with pytest.raises(ReadOnlyRecordError):
            r.update("review_visit", visit, {"status": "closed"})
        for rec in r.list("evidence", owners=kh.identity_id)[:1]:
            with pytest.raises(ReadOnlyRecordError):
                r.update("evidence", rec["id"], {"summary": {"en": "changed"}})
    finally:
        h.close()
        r.close()


def test_the_pack_goes_only_to_the_team(laptops_template, tmp_path):
    template, _own = laptops_template
    shutil.copytree(template.host, tmp_path / "H")
    shutil.copytree(template.reviewer, tmp_path / "R")
    h, kh, r, kr = Laptops(tmp_path / "H", tmp_path / "R").open()
    try:
        h.update("review_visit", visit_id(), {"team": []})
        to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
        with pytest.raises(VisitBundleError):
            plan_visit_bundle(h, kh, to_reviewer, visit_id())
        with pytest.raises(VisitBundleError):
            plan_visit_bundle(h, kh, to_reviewer, "no-such-visit")
    finally:
        h.close()
        r.close()


def _send(sender, k_sender, receiver, k_receiver, path, visit):
    to = Recipient.from_contact(contacts.get(sender, k_receiver.identity_id))
    write_bundle(sender, k_sender, to, path, plan_visit_bundle(sender, k_sender, to, visit))
    return import_bundle(receiver, k_receiver, path)


def test_responses_go_to_the_lead_and_the_agreed_report_comes_home(laptops_template, tmp_path):
    from selfeval_app.core import peer_review
    from selfeval_app.core.demo import example_id
    from selfeval_app.reports.peer_review import make_peer_review_report

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")

    template, _own = laptops_template
    shutil.copytree(template.host, tmp_path / "H")
    shutil.copytree(template.reviewer, tmp_path / "R")
    h, kh, r, kr = Laptops(tmp_path / "H", tmp_path / "R").open()
    visit = visit_id()
    try:
        _send(h, kh, r, kr, tmp_path / "1.b", visit)
        _send(r, kr, h, kh, tmp_path / "2.b", visit)
        reading, welsh = (example_id("review_finding:reading"), example_id("review_finding:welsh"))
        peer_review.respond(h, reading, "correction", {"cy": "Mae'r grŵp yn newid llyfr bob pythefnos.", "en": "The group changes book every fortnight."})
        action = peer_review.add_to_plan(h, welsh, example_id("priority:welsh"), {"cy": "Gemau iard newydd i Flynyddoedd 5 a 6", "en": "New yard games for Years 5 and 6"})
        [linked] = h.list("review_response", where="finding_id = ?", params=(welsh,))
        assert linked["action_id"] == action["id"] and linked["response"] == "agree"
        assert h.get("action", action["id"])["priority_id"] == example_id("priority:welsh")

        _send(h, kh, r, kr, tmp_path / "3.b", visit)  # the lead sees the responses, read-only
        assert {x["finding_id"] for x in peer_review.responses_of(r, visit)} == {reading, welsh}
        with pytest.raises(ReadOnlyRecordError):
            r.update("review_response", linked["id"], {"response": "comment"})
        for fid in (reading, welsh):
            r.update("review_finding", fid, {"agreed": True, "agreed_on": "2026-12-10"})
        _send(r, kr, h, kh, tmp_path / "4.b", visit)

        report = peer_review.agree_report(h, visit, agreed_on="2026-12-10")
        assert report["owner"] == kh.identity_id and report["authors"] == ["Mr Huw Bowen"]
        assert {f["finding_id"] for f in report["findings"]} == {reading, welsh}
        assert h.get("review_visit", visit)["status"] == "agreed"
        pdf = tmp_path / "agreed.pdf"
        make_peer_review_report(h, visit, pdf, lang="both", today=dt.date(2026, 12, 10))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "The group changes book every fortnight." in text and "Cywiriad" in text
        assert "DRAFT" not in text
        assert text.index("Y camau nesaf a gytunwyd") < text.index("Agreed next steps")
    finally:
        h.close()
        r.close()


def test_a_record_made_private_or_unchosen_leaves_the_reviewer_without_a_conflict(laptops_template, tmp_path):
    """A record taken out of the visit's choice, unchanged, is withdrawn at the rev the reviewer
    holds: the reader takes the owner's tombstone as a withdrawal, not a conflict."""
    from selfeval_app.core.demo import example_id

    template, _own = laptops_template
    shutil.copytree(template.host, tmp_path / "H")
    shutil.copytree(template.reviewer, tmp_path / "R")
    h, kh, r, kr = Laptops(tmp_path / "H", tmp_path / "R").open()
    visit = visit_id()
    try:
        _send(h, kh, r, kr, tmp_path / "1.b", visit)
        chosen = example_id("evaluation:a2-1")
        shared = next(rec for rec in h.list("evidence") if rec["visibility"] == "peers")
        assert r.get("evaluation", chosen) is not None and r.get("evidence", shared["id"]) is not None
        rev_before = h.require("evaluation", chosen)["rev"]
        h.update("review_visit", visit, {"shared_record_ids": []})
        h.set_visibility("evidence", shared["id"], "private")
        assert h.require("evaluation", chosen)["rev"] == rev_before  # unchanged: only unchosen
        report = _send(h, kh, r, kr, tmp_path / "2.b", visit)
        assert report["conflicts"] == []
        assert sorted(report["withdrawn"], key=lambda w: w["type"]) == [
            {"type": "evaluation", "id": chosen},
            {"type": "evidence", "id": shared["id"]},
        ]
        assert r.get("evidence", shared["id"]) is None and r.get("evaluation", chosen) is None
        assert r.history("evaluation", chosen) == []  # nothing of it is kept at the reviewer's
        # sending again changes nothing
        again = _send(h, kh, r, kr, tmp_path / "3.b", visit)
        assert again["conflicts"] == [] and again["withdrawn"] == []
    finally:
        h.close()
        r.close()


def test_after_agreement_the_reviewer_keeps_only_what_they_wrote(laptops_template, tmp_path):
    from selfeval_app.core import peer_review, peer_review_host

    template, _own = laptops_template
    shutil.copytree(template.host, tmp_path / "H")
    shutil.copytree(template.reviewer, tmp_path / "R")
    h, kh, r, kr = Laptops(tmp_path / "H", tmp_path / "R").open()
    visit = visit_id()
    try:
        _send(h, kh, r, kr, tmp_path / "1.b", visit)
        _send(r, kr, h, kh, tmp_path / "2.b", visit)
        finding = peer_review.findings_of(h, visit)[0]
        peer_review_host.respond(h, finding["id"], "agree")
        _send(h, kh, r, kr, tmp_path / "3.b", visit)
        host_held = {rec["id"] for t in rt.RECORD_TYPES for rec in r.list(t, owners=kh.identity_id)}
        assert len(host_held) > 5
        peer_review_host.agree_report(h, visit, agreed_on="2026-12-10")
        report = _send(h, kh, r, kr, tmp_path / "4.b", visit)
        assert report["conflicts"] == []
        left = {(rec["type"], rec["id"]) for t in rt.RECORD_TYPES for rec in r.list(t, owners=kh.identity_id)}
        assert left == {("review_visit", visit)}  # the visit their notes belong to, nothing else
        assert r.require("review_visit", visit)["status"] == "agreed"
        mine = [rec for t in ("review_note", "review_finding") for rec in r.list(t)]
        assert mine and all(rec["owner"] in r.identity_ids for rec in mine)  # written on this laptop
        assert h.list("review_finding")  # the host keeps the reviewers' findings and its own copy
        assert peer_review.report_of(h, visit) is not None
    finally:
        h.close()
        r.close()
