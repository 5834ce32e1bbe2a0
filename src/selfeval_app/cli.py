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
EXIT_BROKEN_PIPE = 128 + 13  # the reader of our output went away (SIGPIPE), as other tools end

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

    return load_settings().get("language") or "cy"  # never an unknown one (see core.settings)


def _use_language(lang: str) -> None:
    i18n.set_language(lang if lang in i18n.LANGUAGES else "cy")
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


MAX_LIMIT = 1000  # more results than anyone reads; a bigger --limit is a usage error


class _Parser(argparse.ArgumentParser):
    """argparse with one more hint: a search for text that starts with "-" needs "--" first."""

    def error(self, message):
        if self.prog.endswith(" search"):
            message += "\n" + _("To search for text that starts with “-”, put -- before it, e.g.: selfeval search -- -darllen")
        super().error(message)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("%(value)s is not a whole number") % {"value": text}) from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(_("choose a number from 1 to %(max)d") % {"max": MAX_LIMIT})
    return value


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", metavar=_("FOLDER"), type=Path, help=_("the data folder (default: your user data folder; or SELFEVAL_DATA_DIR)"))
    common.add_argument("--lang", choices=("cy", "en"), help=_("language of messages: cy (Cymraeg) or en (English)"))

    parser = _Parser(
        prog="selfeval",
        description=_("Hunanwerthuso | Self-evaluation: self-evaluation and school development planning for schools in Wales."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    demo = sub.add_parser("demo", parents=[common], help=_("create or refresh the example school"))
    demo.add_argument("--open", action="store_true", help=_("open the example school in the window afterwards"))
    demo.add_argument("--role", choices=("school", "la", "reviewer"), default="school", help=_("which example installation: the school (default), its local authority or a peer reviewer's laptop"))

    sub.add_parser("check", parents=[common], help=_("check the data is sound (exit code 0 when it is)"))

    export = sub.add_parser("export", parents=[common], help=_("export all your data as JSON"))
    export.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the JSON file"))
    export.add_argument("--all-owners", action="store_true", help=_("also export the records held from others (a host school's shared records, the schools' records at a local authority)"))

    search = sub.add_parser(
        "search", parents=[common], help=_("search all text, ignoring accents"),
        epilog=_("To search for text that starts with “-”, put -- before it, e.g.: selfeval search -- -darllen"),
    )
    search.add_argument("query", metavar=_("QUERY"), help=_("what to look for"))
    search.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    search.add_argument("--limit", type=_limit, default=50, metavar=_("NUMBER"), help=_("how many results at most (1 to %(max)d)") % {"max": MAX_LIMIT})

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
    report.add_argument("kind", choices=("governors", "sdp-summary", "peer-review", "la-summary"), help=_("which report"))
    report.add_argument("visit", nargs="?", metavar=_("VISIT"), help=_("the visit, for a peer review report"))
    report.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the PDF"))
    report.add_argument("--lang", dest="report_lang", choices=("cy", "en", "both"), help=_("language of the report: cy, en or both (default: the language the school writes in)"))
    report.add_argument("--term", choices=("autumn", "spring", "summer"), help=_("the term of a governors' report (default: this term)"))
    report.add_argument("--year", type=int, metavar=_("YEAR"), help=_("the academic year by its first year, e.g. 2025 for 2025–26 (default: this year)"))
    report.add_argument("--draft", action="store_true", help=_("a draft: watermarked DRAFFT / DRAFT and not recorded as issued"))
    report.add_argument("--data-dir", metavar=_("FOLDER"), type=Path, help=_("the data folder (default: your user data folder; or SELFEVAL_DATA_DIR)"))

    from selfeval_app.cli_exchange import add_parsers  # the parsers only: no exchange import

    add_parsers(sub, common)
    from selfeval_app.cli_review import add_parsers as add_review_parsers

    add_review_parsers(sub, common)

    from selfeval_app.cli_la import add_parsers as add_la

    add_la(sub, common)
    from selfeval_app.cli_sync import add_parsers as add_sync  # also puts "sync" in COMMANDS

    add_sync(sub, common)
    return parser


def _data_dir(args) -> Path:
    if args.data_dir is not None:
        return args.data_dir.expanduser()
    from selfeval_app.core.paths import default_data_dir

    return default_data_dir()


def _open_store(data_dir: Path, *, create: bool = False, flush: bool = True):
    """The record store; `flush=False` for commands that only read (they write nothing and so
    never wait for the write lock; close them with `_close_reader`)."""
    from selfeval_app.core.database import open_database
    from selfeval_app.core.errors import DatabaseLockedError
    from selfeval_app.core.paths import device_id
    from selfeval_app.core.records import RecordStore

    db = open_database(data_dir, create=create)
    try:
        store = RecordStore(db, device_id=device_id() if flush else "reader")
        if flush:
            try:
                store.flush_search_index()  # work a crash may have left pending
            except DatabaseLockedError:
                pass  # another program is saving: search the index as it is
    except BaseException:
        db.close(optimize=False)
        raise
    return store


def _close_reader(store) -> None:
    store.db.close(optimize=False)


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
    from selfeval_app.core.db_health import check_path_length
    from selfeval_app.core.paths import check_data_folder

    check_path_length(data_dir)
    if check_data_folder(data_dir).cloud_synced:
        print(
            _("Warning: the data folder %(path)s is inside a cloud-synced folder (OneDrive, Dropbox, ...). "
              "Syncing can damage the database while the app is open; a folder that is not synced is safer.")
            % {"path": data_dir},
            file=sys.stderr,
        )


def _refuse_a_real_school(data_dir: Path) -> None:
    """The example school is only written into an empty folder or over the example (read-only look)."""
    from selfeval_app.core.db_health import error_from_sqlite, inspect_database, open_read_only
    from selfeval_app.core.paths import database_path

    db_path = database_path(data_dir)
    if not inspect_database(db_path):
        return  # no file, or an SQLite file without tables: nothing to lose
    import sqlite3

    try:
        conn = open_read_only(db_path)
        try:
            # The example is rebuilt by writing into it: never into a damaged file.
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                from selfeval_app.core.errors import DamagedDatabaseError

                raise DamagedDatabaseError(path=str(db_path))
            row = conn.execute("SELECT value FROM meta WHERE key = 'is_example'").fetchone()
            has_records = conn.execute("SELECT count(*) FROM change_log").fetchone()[0] > 0
        finally:
            conn.close()
    except UnicodeDecodeError as exc:
        from selfeval_app.core.errors import DamagedDatabaseError

        raise DamagedDatabaseError(path=str(db_path)) from exc
    except sqlite3.Error as exc:
        raise error_from_sqlite(exc, db_path) from exc
    if has_records and not (row and row[0] == "1"):
        raise DataFolderError(path=str(data_dir), reason=N_("it holds a real school's data, and the example school is only ever written into a folder of its own"))


def cmd_demo(args) -> int:
    if getattr(args, "role", "school") == "la":
        from selfeval_app.cli_exchange import cmd_demo_la

        return cmd_demo_la(args)
    if getattr(args, "role", "school") == "reviewer":
        from selfeval_app.cli_review import cmd_demo_reviewer

        return cmd_demo_reviewer(args)
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.paths import device_id, example_data_dir

    data_dir = args.data_dir.expanduser() if args.data_dir else example_data_dir()
    from selfeval_app.core.db_health import check_folder_shape
    from selfeval_app.core.demo_lock import demo_setup_lock

    check_folder_shape(data_dir)
    from selfeval_app.core.db_health import check_folder_writable

    check_folder_writable(data_dir)
    from selfeval_app.core.errors import EmptyDatabaseError, ForeignDatabaseError

    try:
        _refuse_a_real_school(data_dir)  # before any lock file is made: a refusal changes nothing
    except (EmptyDatabaseError, ForeignDatabaseError):
        from selfeval_app.core.demo_lock import LOCK_NAME

        if not (data_dir / LOCK_NAME).exists():
            raise
        # Perhaps another demo is creating it right now (an empty file, or some tables and not
        # yet its `meta`): looked at again inside the lock, where a real refusal still refuses.
    # One `demo` at a time: a second one waits here, then refreshes what the first made.
    with demo_setup_lock(data_dir):
        from selfeval_app.core.instance_lock import InstanceLock

        lock = InstanceLock(data_dir)
        if not lock.acquire():
            raise AlreadyRunningError(N_("Close Hunanwerthuso | Self-evaluation first: this cannot be done while the app is open with this data folder."))
        try:
            _refuse_a_real_school(data_dir)  # again: another program may have written meanwhile
            counts = build_example_school(data_dir, device_id=device_id())
        finally:
            lock.release()
    total = sum(counts.values())
    print(ngettext("The example school is ready in %(path)s (%(count)d record).", "The example school is ready in %(path)s (%(count)d records).", total) % {"path": data_dir, "count": total})
    if args.open:
        return _run_gui(data_dir, args.lang)
    return EXIT_OK


def cmd_check(args) -> int:
    from selfeval_app.core.integrity import check_data_dir, newest_good_backup

    data_dir = _data_dir(args)
    result = check_data_dir(data_dir)  # read-only: never writes to what it checks
    problems = result.problems
    if problems:
        for message, params in problems:
            print(_(message) % params, file=sys.stderr)
        print(ngettext("%(count)d problem found.", "%(count)d problems found.", len(problems)) % {"count": len(problems)}, file=sys.stderr)
        backup = newest_good_backup(data_dir)
        if backup is not None:
            print(_("The newest backup that is sound is %(name)s. To bring it back: selfeval restore \"%(path)s\"") % {"name": backup.name, "path": backup}, file=sys.stderr)
        else:
            print(_("There is no sound backup in the data folder."), file=sys.stderr)
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
    out = args.out.expanduser()
    _check_output(out)
    store = _open_store(data_dir, flush=False)
    try:
        counts = write_export(store, out, owners="any" if args.all_owners else None)
    except PermissionError:
        raise OutputFileError(path=str(out), reason=N_("you do not have permission to write there")) from None
    finally:
        _close_reader(store)
    total = sum(counts.values())
    print(ngettext("Exported %(count)d record to %(path)s.", "Exported %(count)d records to %(path)s.", total) % {"count": total, "path": out})
    return EXIT_OK


def cmd_search(args) -> int:
    from selfeval_app.core.owner_sql import scope_owners
    from selfeval_app.core.search import count, plain_snippet, search

    data_dir = _data_dir(args)
    store = _open_store(data_dir)
    lang = i18n.current_language()
    query = _printable(args.query)
    try:
        owners = scope_owners(store)  # the school's own records (DESIGN §4)
        hits = search(store.conn, query, lang=lang, limit=args.limit, owners=owners)
        total = count(store.conn, query, owners=owners)
    finally:
        _close_reader(store)
    if args.json:
        # Output that cannot carry every character (a Windows console or a redirect in cp1252)
        # gets \u escapes: still the same JSON, never a character lost or a crash.
        print(json.dumps(
            {"query": query, "total": total, "results": [
                {"id": h.record_id, "type": h.type, "lang": h.lang, "title": h.title, "snippet": plain_snippet(h.snippet)}
                for h in hits
            ]},
            ensure_ascii=not _stdout_is_utf8(), indent=1,
        ))
        return EXIT_OK
    args.query = query
    if not hits:
        print(_("Nothing found for “%(query)s”.") % {"query": args.query})
        return EXIT_OK
    print(ngettext("%(count)d result for “%(query)s”:", "%(count)d results for “%(query)s”:", total) % {"count": total, "query": args.query})
    from selfeval_app.core.record_types import type_label

    for h in hits:
        print(f"- [{type_label(h.type)}] {h.title or '—'}")
        print(f"  {plain_snippet(h.snippet)}")
    return EXIT_OK


def _printable(text: str) -> str:
    """A command-line argument with bytes that were not UTF-8 (kept by Python as lone
    surrogates) made printable: each such byte becomes U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _stdout_is_utf8() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig")


def _reader_went_away() -> int:
    """The program reading our output stopped (`selfeval search … | head -1`): stop at once and
    quietly, as command-line tools do, with 128 + SIGPIPE. What was written before still stands
    (a command that changes data has committed before it prints)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit would fail again
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def _safe_streams() -> None:
    """Output in an encoding that cannot show every character (cp1252, ascii) shows "?" for the
    ones it lacks instead of failing: the message is still read, the command still succeeds."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def cmd_backup(args) -> int:
    from selfeval_app.core.backup import make_backup

    data_dir = _data_dir(args)
    _close_reader(_open_store(data_dir, flush=False))  # refuses a newer or missing database before anything is written
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
    if args.kind == "peer-review":
        from selfeval_app.cli_review import cmd_report_peer_review

        return cmd_report_peer_review(args)
    if args.kind == "la-summary":
        from selfeval_app.cli_la import cmd_report_la_summary

        return cmd_report_la_summary(args)
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
    "visit": lambda args: _visit_command(args),
    "la": lambda args: _la_command(args),
}


def _la_command(args) -> int:
    from selfeval_app.cli_la import cmd_la

    return cmd_la(args)


def _visit_command(args) -> int:
    from selfeval_app.cli_review import cmd_visit

    return cmd_visit(args)


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


def _plain_window_command(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of `selfeval [--data-dir FOLDER] [--lang cy|en]` (opening the window, the
    common case), read without building the whole parser (a little of every start); None for
    anything else, which argparse reads as before."""
    args = argparse.Namespace(command=None, data_dir=None, lang=None)
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, _eq, value = arg.partition("=")
        if name not in ("--data-dir", "--lang") or getattr(args, name[2:].replace("-", "_")) is not None:
            return None
        if not _eq:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        if not value or (name == "--lang" and value not in ("cy", "en")):
            return None
        if name == "--data-dir":
            args.data_dir = Path(value)
        else:
            args.lang = value
    return args


_warned: set[str] = set()


def _warn_about_settings() -> None:
    from selfeval_app.core import paths
    from selfeval_app.core.settings import settings_warnings

    for problem in settings_warnings():
        if problem in _warned:
            continue
        _warned.add(problem)
        print(_("Warning: the settings file has a value that is not valid (%(value)s); the default is used instead.") % {"value": problem}, file=sys.stderr)
    if paths.replaced_device_file is not None:
        print(_("Warning: this computer's identity file could not be read, so a new one was made. The old file is kept as %(path)s.") % {"path": paths.replaced_device_file}, file=sys.stderr)
        paths.replaced_device_file = None


def _known_error(exc: BaseException, args) -> UserFacingError | None:
    """A storage failure that reached here without a message of its own, as the user's message."""
    import sqlite3

    from selfeval_app.core.db_health import error_from_oserror, error_from_sqlite
    from selfeval_app.core.paths import database_path

    if isinstance(exc, sqlite3.Error):
        where = database_path(_data_dir(args)) if getattr(args, "data_dir", None) or os.environ.get("SELFEVAL_DATA_DIR") else "selfeval.sqlite3"
        if getattr(args, "command", None) == "demo" and not getattr(args, "data_dir", None):
            from selfeval_app.core.paths import example_data_dir

            where = database_path(example_data_dir())
        return error_from_sqlite(exc, where)
    if isinstance(exc, OSError):
        return error_from_oserror(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _safe_streams()
    _use_language(_language_from_argv(argv))
    args = _plain_window_command(argv)
    if args is None:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
    if args.lang:
        _use_language(args.lang)
    _warn_about_settings()
    try:
        if args.command is None:
            data_dir = _data_dir(args) if args.data_dir or os.environ.get("SELFEVAL_DATA_DIR") else None
            return _run_gui(data_dir, args.lang)
        if args.command not in ("demo", "restore"):
            _warn_about_folder(_data_dir(args))
        code = COMMANDS[args.command](args)
        if sys.stdout is not None:  # flushed here, where a reader that went away is caught (below)
            sys.stdout.flush()
        _warn_about_settings()
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except UserFacingError as exc:
        print(exc.message(), file=sys.stderr)
        _warn_about_settings()
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, the log gets the traceback
        known = _known_error(exc, args)
        if known is not None:
            print(known.message(), file=sys.stderr)
            _warn_about_settings()
            return EXIT_USER
        log = _log_internal_error()
        print(_("Something went wrong inside the app. Nothing was changed. Details are in %(path)s.") % {"path": log or "-"}, file=sys.stderr)
        return EXIT_INTERNAL
