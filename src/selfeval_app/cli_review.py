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


def cmd_visit(args) -> int:
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
