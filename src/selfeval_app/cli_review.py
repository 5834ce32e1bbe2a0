"""The peer review commands of `selfeval` (issue 12): `visit list`, `report peer-review VISIT`
and `demo --role reviewer`. Kept apart from `cli.py` and `cli_exchange.py` (other branches
change those); reportlab and the exchange package are imported only when a command needs them.
"""

from __future__ import annotations

import json
from pathlib import Path

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _


class VisitNotHereError(UserFacingError):
    message_id = N_("There is no visit %(visit_id)s in this data folder. “selfeval visit list” lists the visits.")


def add_parsers(sub, common) -> None:
    visit = sub.add_parser("visit", parents=[common], help=_("peer review visits: as host or as reviewer"))
    visit_sub = visit.add_subparsers(dest="visit_command", metavar=_("COMMAND"), required=True)
    listing = visit_sub.add_parser("list", parents=[common], help=_("list the visits held here: id, host, kind, status, number of findings"))
    listing.add_argument("--json", action="store_true", help=_("print them as JSON"))
    respond = visit_sub.add_parser("respond", parents=[common], help=_("the host's response to a finding: agree, correction or comment"))
    respond.add_argument("finding", metavar=_("FINDING"), help=_("the finding's id"))
    respond.add_argument("--response", required=True, choices=("agree", "correction", "comment"), help=_("agree, correction or comment"))
    respond.add_argument("--text-cy", default="", metavar=_("TEXT"), help=_("the correction or comment in Welsh"))
    respond.add_argument("--text-en", default="", metavar=_("TEXT"), help=_("the correction or comment in English"))
    create = visit_sub.add_parser("create", parents=[common], help=_("prepare a visit the school hosts (status draft); prints its id"))
    create.add_argument("--start", required=True, metavar="YYYY-MM-DD", help=_("the first day of the visit"))
    create.add_argument("--end", metavar="YYYY-MM-DD", help=_("the last day of the visit"))
    create.add_argument("--kind", default="peer_review", choices=("peer_review", "peer_enquiry", "cluster_visit", "other"), help=_("the kind of visit"))
    create.add_argument("--question-cy", action="append", default=[], metavar=_("TEXT"), help=_("a question in Welsh (repeat; paired in order with --question-en)"))
    create.add_argument("--question-en", action="append", default=[], metavar=_("TEXT"), help=_("a question in English (repeat)"))
    create.add_argument("--lead", metavar=_("FINGERPRINT"), help=_("the lead reviewer: a trusted reviewer contact"))
    create.add_argument("--reviewer", action="append", default=[], metavar=_("FINGERPRINT"), help=_("a reviewer: a trusted reviewer contact (repeat)"))
    create.add_argument("--link-leader", metavar=_("NAME"), help=_("the host's link leader"))
    create.add_argument("--follow-up", metavar="YYYY-MM-DD", help=_("when the school looks again at what the visit found"))
    edit = visit_sub.add_parser("edit", parents=[common], help=_("change one of the school's visits"))
    edit.add_argument("visit", metavar=_("VISIT"), help=_("the visit's id"))
    edit.add_argument("--status", choices=("draft", "pack_sent", "visit", "fact_check", "agreed", "closed"), help=_("where the visit is"))
    edit.add_argument("--follow-up", metavar="YYYY-MM-DD", help=_("when the school looks again at what the visit found"))
    edit.add_argument("--share-findings", choices=("yes", "no"), help=_("share the agreed findings and the school's responses with the local authority"))
    edit.add_argument("--choose", action="append", default=[], metavar=_("RECORD"), help=_("a record the reviewers may see for this visit (repeat)"))
    edit.add_argument("--unchoose", action="append", default=[], metavar=_("RECORD"), help=_("a record no longer chosen for this visit (repeat)"))
    agree = visit_sub.add_parser("agree", parents=[common], help=_("mark the visit's report agreed: the lead reviewer's findings, or the host's own copy of the report"))
    agree.add_argument("visit", metavar=_("VISIT"), help=_("the visit's id"))
    agree.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day it was agreed (default: today)"))


def _store(args):
    from selfeval_app.cli import _data_dir, _open_store

    return _open_store(_data_dir(args))


def _name(pair: dict) -> str:
    from selfeval_app.core.bilingual import text_or_other
    from selfeval_app.core.i18n import current_language

    return text_or_other(pair, current_language()) or "—"


def _label(labels: dict[str, str], key: str) -> str:
    message = labels.get(key)
    return _(message) if message else key


class FindingNotHereError(UserFacingError):
    message_id = N_("There is no finding %(finding_id)s in this data folder. Nothing was changed.")


class BadDateError(UserFacingError):
    message_id = N_("%(date)s is not a date: write it as YYYY-MM-DD. Nothing was changed.")


def cmd_visit(args) -> int:
    if args.visit_command == "create":
        return _visit_create(args)
    if args.visit_command == "edit":
        return _visit_edit(args)
    if args.visit_command == "respond":
        return _visit_respond(args)
    if args.visit_command == "agree":
        return _visit_agree(args)
    return _visit_list(args)


class NotOurVisitError(UserFacingError):
    message_id = N_("The visit %(visit_id)s is not one the school hosts: only the host changes it. Nothing was changed.")


def _member(store, fingerprint: str, role: str) -> dict:
    from selfeval_app.exchange import contacts

    contact = contacts.by_fingerprint(store, fingerprint)
    name = contact.card["identity"]["name"]
    return {"identity_id": contact.identity_id, "name": _name(name), "role": role}


def _visit_create(args) -> int:
    from selfeval_app import peer_review_views as views

    cy, en = list(args.question_cy), list(args.question_en)
    count = max(len(cy), len(en))
    questions = [{"text": {"cy": cy[i] if i < len(cy) else "", "en": en[i] if i < len(en) else ""}} for i in range(count)]
    store = _store(args)
    try:
        team = []
        if args.lead:
            team.append(_member(store, args.lead, "lead"))
        team += [_member(store, fp, "reviewer") for fp in args.reviewer]
        if args.link_leader:
            team.append({"name": args.link_leader, "role": "link_leader"})
        raw = {"start_date": args.start, "end_date": args.end, "kind": args.kind, "questions": questions, "team": team, "follow_up": args.follow_up}
        visit = views.save_visit(store, None, raw)
    finally:
        store.close()
    print(visit["id"])
    return 0


def _visit_edit(args) -> int:
    from selfeval_app.core import peer_review, peer_review_host

    store = _store(args)
    try:
        try:
            visit = peer_review.get_visit(store, args.visit)
        except peer_review.VisitNotFoundError:
            raise VisitNotHereError(visit_id=args.visit) from None
        if not store.is_own(visit):
            raise NotOurVisitError(visit_id=args.visit)
        with store.transaction():
            raw = {k: visit.get(k) for k in ("start_date", "end_date", "kind", "questions", "team", "follow_up", "status")}
            if args.status:
                raw["status"] = args.status
            if args.follow_up is not None:
                raw["follow_up"] = args.follow_up or None
            if args.share_findings:
                raw["share_findings"] = args.share_findings == "yes"
            if args.choose or args.unchoose:
                chosen = (set(visit.get("shared_record_ids") or []) | set(args.choose)) - set(args.unchoose)
                raw["shared_record_ids"] = sorted(chosen)
            peer_review_host.save_visit(store, visit["id"], raw, base_rev=visit["rev"])
    finally:
        store.close()
    print(_("The visit is saved."))
    return 0


def _visit_respond(args) -> int:
    from selfeval_app.core import peer_review_host

    store = _store(args)
    try:
        try:
            peer_review_host.respond(store, args.finding, args.response, {"cy": args.text_cy, "en": args.text_en})
        except LookupError:
            raise FindingNotHereError(finding_id=args.finding) from None
    finally:
        store.close()
    print(_("Your response is saved. Send it to the lead reviewer with the visit's pack."))
    return 0


def _visit_agree(args) -> int:
    import datetime as dt

    from selfeval_app.core import peer_review, peer_review_host
    from selfeval_app.core.peer_review_reviewer import (
        mark_agreed,  # as the identity that wrote them
    )

    try:
        day = dt.date.fromisoformat(args.date).isoformat() if args.date else None
    except ValueError:
        raise BadDateError(date=args.date) from None
    store = _store(args)
    try:
        day = day or store.clock.today().isoformat()
        try:
            visit = peer_review.get_visit(store, args.visit)
        except peer_review.VisitNotFoundError:
            visit = None
        if visit is not None and store.is_own(visit):
            peer_review_host.agree_report(store, args.visit, agreed_on=day)
            print(_("The agreed report is kept as the school's own copy."))
        elif mark_agreed(store, args.visit, agreed_on=day) or peer_review.findings_of(store, args.visit):
            print(_("Your findings are marked agreed. Send them to the host school with “bundle export --visit”."))
        else:
            raise VisitNotHereError(visit_id=args.visit)
    finally:
        store.close()
    return 0


def _visit_list(args) -> int:
    from selfeval_app.core import peer_review
    from selfeval_app.reports.peer_review import STATUS_LABELS, VISIT_KIND_LABELS

    store = _store(args)
    try:
        visits = peer_review.list_visits(store)
        own = store.identity_ids
    finally:
        store.close()
    if args.json:
        print(json.dumps({"visits": [dict(v.as_json(), ours=v.host_owner in own) for v in visits]}, ensure_ascii=False, indent=1))
        return 0
    if not visits:
        print(_("There are no visits here yet."))
        return 0
    for v in visits:
        print(_("%(id)s  %(host)s · %(kind)s · %(status)s · findings: %(findings)d") % {
            "id": v.id,
            "host": _name(v.host_name),
            "kind": _label(VISIT_KIND_LABELS, v.kind),
            "status": _label(STATUS_LABELS, v.status),
            "findings": v.findings,
        })
    return 0


def cmd_report_peer_review(args) -> int:
    from selfeval_app.core.peer_review import VisitNotFoundError
    from selfeval_app.reports.peer_review import make_peer_review_report

    if not args.visit:
        raise UserFacingError(N_("Name the visit: “selfeval report peer-review VISIT --out FILE”. “selfeval visit list” lists the visits."))
    store = _store(args)
    try:
        try:
            result = make_peer_review_report(store, args.visit, Path(args.out).expanduser(), lang=args.report_lang or "both")
        except VisitNotFoundError:
            raise VisitNotHereError(visit_id=args.visit) from None
    finally:
        store.close()
    print(_("The visit's report was written to %(path)s. Pages: %(count)d.") % {"path": result.path, "count": result.pages})
    return 0


def cmd_demo_reviewer(args) -> int:
    from selfeval_app.cli import _refuse_if_app_open
    from selfeval_app.core.paths import device_id
    from selfeval_app.exchange.setup_reviewer import demo_reviewer, example_reviewer_dir

    data_dir = args.data_dir.expanduser() if args.data_dir else example_reviewer_dir()
    _refuse_if_app_open(data_dir)
    data_dir, keys, counts = demo_reviewer(data_dir, device_id=device_id())
    print(_("The example reviewer's laptop is ready in %(path)s. Its fingerprint is %(fingerprint)s.") % {"path": data_dir, "fingerprint": keys.fingerprint()})
    return 0
