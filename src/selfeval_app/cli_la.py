"""The local authority's commands of `selfeval` (issue 13): `la schools [--json]`, `la school KEY`,
`la export --out FILE.csv [--table T|all]`, `la import-schools FILE.csv` and
`report la-summary --out F.pdf [--lang cy|en|both]`. Kept apart from `cli.py`; reportlab is
imported only for the report.
"""

from __future__ import annotations

import json
from pathlib import Path

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _, ngettext


class NotAnLaError(UserFacingError):
    message_id = N_("This data folder is not a local authority's installation (set one up with “selfeval init la --la CODE”).")


class NoSuchSchoolError(UserFacingError):
    message_id = N_("There is no school %(key)s here. “selfeval la schools” lists them.")


class NoSuchTableError(UserFacingError):
    message_id = N_("There is no table %(name)s. The tables are: %(names)s.")


def add_parsers(sub, common) -> None:
    la = sub.add_parser("la", parents=[common], help=_("the local authority's view of its schools"))
    la_sub = la.add_subparsers(dest="la_command", metavar=_("COMMAND"), required=True)
    schools = la_sub.add_parser("schools", parents=[common], help=_("list every school: last bundle, what it shares, priorities and their national tags"))
    schools.add_argument("--json", action="store_true", help=_("print them as JSON"))
    schools.add_argument("--search", default="", metavar=_("TEXT"), help=_("only schools whose name or number has these words (accents ignored)"))
    one = la_sub.add_parser("school", parents=[common], help=_("one school: priorities, overdue actions, evaluations, peer reviews, partnerships"))
    one.add_argument("key", metavar=_("SCHOOL"), help=_("the school's key, identity or number, as “la schools” lists it"))
    one.add_argument("--json", action="store_true", help=_("print it as JSON"))
    export = la_sub.add_parser("export", parents=[common], help=_("write a table as CSV (UTF-8, for Excel)"))
    export.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the CSV file; with --table all, one file per table beside it"))
    export.add_argument("--table", default="schools", metavar=_("TABLE"), help=_("which table (default: schools), or all"))
    imp = la_sub.add_parser("import-schools", parents=[common], help=_("replace the list of schools with a CSV file (number and name), all or nothing"))
    imp.add_argument("file", type=Path, metavar=_("FILE"), help=_("the CSV file"))


def _store(args):
    from selfeval_app.cli import _data_dir, _open_store

    return _open_store(_data_dir(args))


def _require_la(store) -> None:
    from selfeval_app.core.identities import primary_identity

    identity = primary_identity(store.db)
    if identity is None or identity.role != "la":
        raise NotAnLaError()


def _la_code(args) -> int | None:
    from selfeval_app.cli import _data_dir
    from selfeval_app.exchange.keys import load_keys

    keys = load_keys(_data_dir(args))
    code = keys.identity.get("la_code") if keys is not None else None
    return code if isinstance(code, int) else None


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _print_json_list(key: str, items: list) -> None:
    """`{"KEY": [...]}` with one item a line: the same JSON, written by the json module's C
    encoder (an indented dump goes through its pure-Python encoder: 1,500 schools' lists took
    five times as long to print as to read)."""
    import sys

    out = sys.stdout
    out.write(f'{{"{key}": [\n')
    last = len(items) - 1
    for i, item in enumerate(items):
        out.write(json.dumps(item, ensure_ascii=False))
        out.write(",\n" if i < last else "\n")
    out.write("]}\n")


def cmd_la(args) -> int:
    from selfeval_app import la_views

    store = _store(args)
    try:
        _require_la(store)
        if args.la_command == "schools":
            rows = la_views.schools_with_priorities(store, search=args.search)
            if args.json:
                _print_json_list("schools", [la_views.school_json(row, pris) for row, pris in rows])
            else:
                _print_schools([row for row, _p in rows])
        elif args.la_command == "school":
            key = _find_school(store, args.key)
            summary = la_views.school_summary(store, key)
            if summary is None:
                raise NoSuchSchoolError(key=args.key)
            if args.json:
                _print_json(la_views.summary_json(summary))
            else:
                _print_summary(summary)
        elif args.la_command == "export":
            return _export(store, args)
        elif args.la_command == "import-schools":
            from selfeval_app.core.la_schools import import_school_list

            result = import_school_list(store, args.file.expanduser(), la_code=_la_code(args))
            print(
                ngettext("The list now has %(count)d school", "The list now has %(count)d schools", len(result.schools)) % {"count": len(result.schools)}
                + " "
                + _("(%(added)d new, %(removed)d taken off).") % {"added": result.added, "removed": result.removed}
            )
    finally:
        store.close()
    return 0


def _find_school(store, given: str) -> str:
    from selfeval_app import la_views

    rows = la_views.schools(store)
    for row in rows:
        if given in (row.key, row.identity_id, row.number):
            return row.key
    raise NoSuchSchoolError(key=given)


def _export(store, args) -> int:
    from selfeval_app import la_views
    from selfeval_app.cli import _check_output

    out = args.out.expanduser()
    _check_output(out)
    names = list(la_views.TABLES) if args.table == "all" else [args.table]
    if args.table != "all" and args.table not in la_views.TABLES:
        raise NoSuchTableError(name=args.table, names=", ".join([*la_views.TABLES, "all"]))
    for name in names:
        target = out if args.table != "all" else out.with_name(f"{out.stem}-{name}{out.suffix or '.csv'}")
        n = la_views.write_csv(store, name, target)
        print(ngettext("%(path)s: %(count)d row", "%(path)s: %(count)d rows", n) % {"path": target, "count": n})
    return 0


def _print_schools(rows) -> None:
    from selfeval_app import la_views

    if not rows:
        print(_("No schools yet: import the list of schools, or the bundles schools send."))
        return
    for r in rows:
        last = (r.last_bundle_at or "")[:10] or _("nothing received yet")
        tags = ", ".join(la_views.tag_label(t) for t in r.national_tags) or "—"
        print(f"{r.name_in()}  {r.number or ''}")
        print("    " + _("last bundle: %(date)s; records shared: %(count)d; priorities: %(priorities)d (%(tags)s)") % {
            "date": last, "count": r.shared_total, "priorities": r.priorities, "tags": tags})


def _print_summary(s) -> None:
    from selfeval_app import la_views

    r = s.row
    print(f"{r.name_in()}  {r.number or ''}")
    print(_("Last bundle: %(date)s") % {"date": (r.last_bundle_at or "")[:10] or _("nothing received yet")})
    for p in s.priorities:
        tags = ", ".join(la_views.tag_label(t) for t in p.national_tags) or _("no national tag")
        print(f"- {la_views.pick(p.title, _current())} [{tags}] {la_views.rag_label(p.latest_rag)}; {la_views.trend_label(p.trend)}")
    print(ngettext("%(count)d overdue action", "%(count)d overdue actions", len(s.overdue)) % {"count": len(s.overdue)})
    print(ngettext("%(count)d partnership", "%(count)d partnerships", len(s.partnerships)) % {"count": len(s.partnerships)})


def _current() -> str:
    from selfeval_app.core.i18n import current_language

    return current_language()


def cmd_report_la_summary(args) -> int:
    from selfeval_app.cli import _check_output
    from selfeval_app.reports.la_summary import write_la_summary

    out = args.out.expanduser()
    _check_output(out)
    store = _store(args)
    try:
        _require_la(store)
        pages = write_la_summary(store, out, lang=args.report_lang or "both")
    finally:
        store.close()
    print(ngettext("Written to %(path)s (%(count)d page).", "Written to %(path)s (%(count)d pages).", pages) % {"path": out, "count": pages})
    return 0
