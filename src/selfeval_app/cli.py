"""The `selfeval` command line (DESIGN §8). Stable: scripts and tests rely on it.

With no subcommand it opens the window (PySide6 is imported only then). Every error reaches the
user as a sentence in their language on stderr with a non-zero exit code, never a traceback:
exit 1 for a problem with the user's data or files, 2 for a mistake in the command itself,
70 for a fault in the app (the details go to a log file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from selfeval_app import __version__
from selfeval_app.core import i18n
from selfeval_app.core.errors import (
    AlreadyRunningError,
    DataFolderError,
    OutputFileError,
    UserFacingError,
)
from selfeval_app.core.i18n import N_, _, ngettext

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70

# argparse's own messages, served from our catalog so usage errors appear in Welsh too.
_ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def _language_from_argv(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("cy", "en"):
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in ("cy", "en"):
            return arg.split("=", 1)[1]
    env = i18n.language_from_env()
    if env:
        return env
    from selfeval_app.core.settings import load_settings

    return load_settings().get("language") or "cy"


def _use_language(lang: str) -> None:
    i18n.set_language(lang)
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar=_("FOLDER"), type=Path, help=_("the data folder (default: your user data folder; or SELFEVAL_DATA_DIR)"))
    common.add_argument("--lang", choices=("cy", "en"), help=_("language of messages: cy (Cymraeg) or en (English)"))

    parser = argparse.ArgumentParser(
        prog="selfeval",
        description=_("Hunanwerthuso | Self-evaluation: self-evaluation and school development planning for schools in Wales."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    demo = sub.add_parser("demo", parents=[common], help=_("create or refresh the example school"))
    demo.add_argument("--open", action="store_true", help=_("open the example school in the window afterwards"))
    demo.add_argument("--role", choices=("school", "la"), default="school", help=_("which example installation: the school (default) or its local authority"))

    sub.add_parser("check", parents=[common], help=_("check the data is sound (exit code 0 when it is)"))

    export = sub.add_parser("export", parents=[common], help=_("export all your data as JSON"))
    export.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the JSON file"))

    search = sub.add_parser("search", parents=[common], help=_("search all text, ignoring accents"))
    search.add_argument("query", metavar=_("QUERY"), help=_("what to look for"))
    search.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    search.add_argument("--limit", type=int, default=50, help=_("how many results at most"))

    backup = sub.add_parser("backup", parents=[common], help=_("make a backup file"))
    backup.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the backup"))

    restore = sub.add_parser("restore", parents=[common], help=_("bring back the data from a backup file"))
    restore.add_argument("file", type=Path, metavar=_("FILE"), help=_("the backup file"))

    school = sub.add_parser("school", parents=[common], help=_("show the school profile, or change it with the options below"))
    school.add_argument("--name-cy", metavar=_("NAME"), help=_("the school's name in Welsh"))
    school.add_argument("--name-en", metavar=_("NAME"), help=_("the school's name in English"))
    school.add_argument("--la-code", type=int, metavar=_("CODE"), help=_("the local authority's code, e.g. 669"))
    school.add_argument("--number", metavar=_("NUMBER"), help=_("the establishment number, e.g. 669/2318"))
    school.add_argument("--cluster", metavar=_("NAME"), help=_("the cluster"))
    school.add_argument("--writes-in", choices=("cy", "en", "both"), help=_("the language the school writes in: cy, en or both"))

    # Its own --lang (cy|en|both, the report's language), kept apart from the messages' language.
    report = sub.add_parser("report", help=_("make a PDF report: for governors, or the plan summary for parents"))
    report.add_argument("kind", choices=("governors", "sdp-summary"), help=_("which report"))
    report.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the PDF"))
    report.add_argument("--lang", dest="report_lang", choices=("cy", "en", "both"), help=_("language of the report: cy, en or both (default: the language the school writes in)"))
    report.add_argument("--term", choices=("autumn", "spring", "summer"), help=_("the term of a governors' report (default: this term)"))
    report.add_argument("--year", type=int, metavar=_("YEAR"), help=_("the academic year by its first year, e.g. 2025 for 2025–26 (default: this year)"))
    report.add_argument("--draft", action="store_true", help=_("a draft: watermarked DRAFFT / DRAFT and not recorded as issued"))
    report.add_argument("--data-dir", metavar=_("FOLDER"), type=Path, help=_("the data folder (default: your user data folder; or SELFEVAL_DATA_DIR)"))

    from selfeval_app.cli_exchange import add_parsers  # the parsers only: no exchange import

    add_parsers(sub, common)
    from selfeval_app.cli_sync import add_parsers as add_sync  # also puts "sync" in COMMANDS

    add_sync(sub, common)
    return parser


def _data_dir(args) -> Path:
    if args.data_dir is not None:
        return args.data_dir.expanduser()
    from selfeval_app.core.paths import default_data_dir

    return default_data_dir()


def _open_store(data_dir: Path, *, create: bool = False):
    from selfeval_app.core.database import open_database
    from selfeval_app.core.paths import device_id
    from selfeval_app.core.records import RecordStore

    db = open_database(data_dir, create=create)
    store = RecordStore(db, device_id=device_id())
    store.flush_search_index()  # work a crash may have left pending
    return store


def _check_output(out: Path) -> None:
    if not out.parent.is_dir():
        raise OutputFileError(path=str(out), reason=N_("the folder does not exist"))
    if out.is_dir():
        raise OutputFileError(path=str(out), reason=N_("it is a folder"))


def _refuse_if_app_open(data_dir: Path) -> None:
    from selfeval_app.core.instance_lock import InstanceLock

    if InstanceLock(data_dir).is_held_elsewhere():
        raise AlreadyRunningError(N_("Close Hunanwerthuso | Self-evaluation first: this cannot be done while the app is open with this data folder."))


def _warn_about_folder(data_dir: Path) -> None:
    from selfeval_app.core.paths import check_data_folder

    if check_data_folder(data_dir).cloud_synced:
        print(
            _("Warning: the data folder %(path)s is inside a cloud-synced folder (OneDrive, Dropbox, ...). "
              "Syncing can damage the database while the app is open; a folder that is not synced is safer.")
            % {"path": data_dir},
            file=sys.stderr,
        )


def cmd_demo(args) -> int:
    if getattr(args, "role", "school") == "la":
        from selfeval_app.cli_exchange import cmd_demo_la

        return cmd_demo_la(args)
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.paths import database_path, device_id, example_data_dir

    data_dir = args.data_dir.expanduser() if args.data_dir else example_data_dir()
    _refuse_if_app_open(data_dir)
    if database_path(data_dir).exists():
        from selfeval_app.core.database import open_database

        db = open_database(data_dir, create=False)
        is_example = db.meta("is_example") == "1"
        has_records = db.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] > 0
        db.close()
        if has_records and not is_example:
            raise DataFolderError(path=str(data_dir), reason=N_("it holds a real school's data, and the example school is only ever written into a folder of its own"))
    counts = build_example_school(data_dir, device_id=device_id())
    total = sum(counts.values())
    print(ngettext("The example school is ready in %(path)s (%(count)d record).", "The example school is ready in %(path)s (%(count)d records).", total) % {"path": data_dir, "count": total})
    if args.open:
        return _run_gui(data_dir, args.lang)
    return EXIT_OK


def cmd_check(args) -> int:
    from selfeval_app.core.integrity import check_store

    data_dir = _data_dir(args)
    store = _open_store(data_dir)
    problems = check_store(store)
    store.close()
    if problems:
        for message, params in problems:
            print(_(message) % params, file=sys.stderr)
        print(ngettext("%(count)d problem found.", "%(count)d problems found.", len(problems)) % {"count": len(problems)}, file=sys.stderr)
        return EXIT_USER
    print(_("The data in %(path)s is sound.") % {"path": data_dir})
    return EXIT_OK


def cmd_school(args) -> int:
    from selfeval_app.core import framework
    from selfeval_app.core.school_profile import save_school

    data_dir = _data_dir(args)
    changes: dict = {}
    if args.name_cy is not None or args.name_en is not None:
        changes["name"] = {}
    for option, lang in ((args.name_cy, "cy"), (args.name_en, "en")):
        if option is not None:
            changes["name"][lang] = option
    for option, field in ((args.la_code, "la_code"), (args.number, "establishment_number"), (args.cluster, "cluster"), (args.writes_in, "writes_in")):
        if option is not None:
            changes[field] = option
    if changes:
        _refuse_if_app_open(data_dir)
    store = _open_store(data_dir, create=bool(changes))
    try:
        rec = store.school()
        if changes:
            if rec is not None and "name" in changes:
                changes["name"] = {**(rec.get("name") or {}), **changes["name"]}
            rec = save_school(store, changes, rec["id"] if rec else None, rec["rev"] if rec else None)
            print(_("The school profile is saved."))
    finally:
        store.close()
    if rec is None:
        print(_("There is no school profile yet."))
        return EXIT_OK
    la = framework.local_authority_by_code(rec["la_code"]) if rec.get("la_code") else None
    lang = i18n.current_language()
    rows = (
        (_("School name in Welsh:"), (rec.get("name") or {}).get("cy")),
        (_("School name in English:"), (rec.get("name") or {}).get("en")),
        (_("Local authority:"), la.name(lang) if la else None),
        (_("Establishment number:"), rec.get("establishment_number")),
        (_("Cluster:"), rec.get("cluster")),
    )
    for label, value in rows:
        print(f"{label} {value or _('(not given)')}")
    return EXIT_OK


def cmd_export(args) -> int:
    from selfeval_app.core.export import write_export

    data_dir = _data_dir(args)
    store = _open_store(data_dir)
    out = args.out.expanduser()
    try:
        _check_output(out)
        counts = write_export(store, out)
    except PermissionError:
        raise OutputFileError(path=str(out), reason=N_("you do not have permission to write there")) from None
    finally:
        store.close()
    total = sum(counts.values())
    print(ngettext("Exported %(count)d record to %(path)s.", "Exported %(count)d records to %(path)s.", total) % {"count": total, "path": out})
    return EXIT_OK


def cmd_search(args) -> int:
    from selfeval_app.core.search import count, plain_snippet, search

    data_dir = _data_dir(args)
    store = _open_store(data_dir)
    lang = i18n.current_language()
    try:
        hits = search(store.conn, args.query, lang=lang, limit=max(1, args.limit))
        total = count(store.conn, args.query)
    finally:
        store.close()
    if args.json:
        print(json.dumps(
            {"query": args.query, "total": total, "results": [
                {"id": h.record_id, "type": h.type, "lang": h.lang, "title": h.title, "snippet": plain_snippet(h.snippet)}
                for h in hits
            ]},
            ensure_ascii=False, indent=1,
        ))
        return EXIT_OK
    if not hits:
        print(_("Nothing found for “%(query)s”.") % {"query": args.query})
        return EXIT_OK
    print(ngettext("%(count)d result for “%(query)s”:", "%(count)d results for “%(query)s”:", total) % {"count": total, "query": args.query})
    from selfeval_app.core.record_types import type_label

    for h in hits:
        print(f"- [{type_label(h.type)}] {h.title or '—'}")
        print(f"  {plain_snippet(h.snippet)}")
    return EXIT_OK


def cmd_backup(args) -> int:
    from selfeval_app.core.backup import make_backup

    data_dir = _data_dir(args)
    _open_store(data_dir).close()  # refuses a newer or missing database before anything is written
    out = args.out.expanduser()
    _check_output(out)
    try:
        path = make_backup(data_dir, out)
    except PermissionError:
        raise OutputFileError(path=str(out), reason=N_("you do not have permission to write there")) from None
    print(_("Backup written to %(path)s.") % {"path": path})
    return EXIT_OK


def cmd_restore(args) -> int:
    from selfeval_app.core.backup import prepared_restore
    from selfeval_app.core.instance_lock import InstanceLock
    from selfeval_app.core.paths import device_id

    data_dir = _data_dir(args)
    # The whole backup is checked (and staged) before anything else in the data folder is touched.
    with prepared_restore(data_dir, args.file.expanduser()) as prepared:
        lock = InstanceLock(data_dir)
        if not lock.acquire():
            raise AlreadyRunningError(N_("Close Hunanwerthuso | Self-evaluation first: this cannot be done while the app is open with this data folder."))
        try:
            safety = prepared.apply(device_id=device_id())
        finally:
            lock.release()
    print(_("Restored from %(path)s.") % {"path": args.file})
    if safety:
        print(_("The data as it was before the restore is kept in %(path)s.") % {"path": safety})
    return EXIT_OK


def cmd_report(args) -> int:
    from selfeval_app.reports.issue import make_report  # reportlab is imported only here

    data_dir = _data_dir(args)
    store = _open_store(data_dir)
    out = args.out.expanduser()
    try:
        lang = args.report_lang or (store.school() or {}).get("writes_in") or "cy"
        result = make_report(store, args.kind, out, lang=lang, year=args.year, term=args.term, draft=args.draft)
    finally:
        store.close()
    if args.draft:
        print(ngettext("Draft written to %(path)s (%(count)d page); it is not recorded as issued.", "Draft written to %(path)s (%(count)d pages); it is not recorded as issued.", result.pages) % {"path": result.path, "count": result.pages})
    else:
        print(ngettext("Report issued and written to %(path)s (%(count)d page).", "Report issued and written to %(path)s (%(count)d pages).", result.pages) % {"path": result.path, "count": result.pages})
    return EXIT_OK


def _run_gui(data_dir: Path | None, lang: str | None) -> int:
    try:
        from selfeval_app.gui.app import run
    except ImportError as exc:
        raise UserFacingError(N_("The window cannot start: %(reason)s"), reason=str(exc)) from None
    return run(data_dir=data_dir, lang=lang)


COMMANDS = {
    "demo": cmd_demo,
    "check": cmd_check,
    "export": cmd_export,
    "search": cmd_search,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "school": cmd_school,
    "report": cmd_report,
    "init": lambda args: _exchange_command(args),
    "keys": lambda args: _exchange_command(args),
    "bundle": lambda args: _exchange_command(args),
}


def _exchange_command(args) -> int:
    from selfeval_app.cli_exchange import run

    return run(args)


def _log_internal_error() -> Path | None:
    import traceback

    from selfeval_app.core.paths import config_dir

    try:
        path = config_dir() / "error.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            traceback.print_exc(file=f)
        return path
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _use_language(_language_from_argv(argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.lang:
        _use_language(args.lang)
    try:
        if args.command is None:
            data_dir = _data_dir(args) if args.data_dir or os.environ.get("SELFEVAL_DATA_DIR") else None
            return _run_gui(data_dir, args.lang)
        if args.command not in ("demo", "restore"):
            _warn_about_folder(_data_dir(args))
        return COMMANDS[args.command](args)
    except UserFacingError as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the user gets a sentence, the log gets the traceback
        log = _log_internal_error()
        print(_("Something went wrong inside the app. Nothing was changed. Details are in %(path)s.") % {"path": log or "-"}, file=sys.stderr)
        return EXIT_INTERNAL
