"""The sync commands of `selfeval` (DESIGN §8): `sync setup folder DIR`, `sync setup webdav URL
--user U`, `sync [--json]` (one round) and `sync status [--json]`.

Registered from `cli.py` by `add_parsers`; the exchange package is imported only when a sync
command runs.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from selfeval_app.core.i18n import _, ngettext


def add_parsers(sub, common) -> None:
    from selfeval_app import cli

    cli.COMMANDS["sync"] = run
    sync = sub.add_parser("sync", parents=[common], help=_("send what is due to your contacts and fetch what they sent (one round), or set sync up"))
    sync.add_argument("--json", action="store_true", help=_("print the outcome as JSON"))
    sync.add_argument("--allow-mass-delete", action="store_true", help=_("apply the bundles from another laptop of this school that were held because they delete more than a tenth of the school's records"))
    sync_sub = sync.add_subparsers(dest="sync_command", metavar=_("COMMAND"))
    setup = sync_sub.add_parser("setup", parents=[common], help=_("choose the folder or the WebDAV server that sync uses"))
    setup_sub = setup.add_subparsers(dest="sync_kind", metavar=_("KIND"), required=True)
    folder = setup_sub.add_parser("folder", parents=[common], help=_("a shared folder: OneDrive, SharePoint or Teams, a network share, a USB stick"))
    folder.add_argument("folder", type=Path, metavar=_("FOLDER"), help=_("the sync folder"))
    webdav = setup_sub.add_parser("webdav", parents=[common], help=_("a WebDAV server, such as your local authority's"))
    webdav.add_argument("url", metavar="URL", help=_("the server's address, beginning with https://"))
    webdav.add_argument("--user", required=True, metavar=_("USER"), help=_("your user name on the server"))
    status = sync_sub.add_parser("status", parents=[common], help=_("what is waiting for each contact, the last success and the last error"))
    status.add_argument("--json", action="store_true", help=_("print it as JSON"))


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _open(args):
    from selfeval_app.cli import _data_dir, _open_store

    return _open_store(_data_dir(args))


def run(args) -> int:
    try:
        if args.sync_command == "setup":
            return cmd_setup(args)
        if args.sync_command == "status":
            return cmd_status(args)
        return cmd_round(args)
    except BrokenPipeError:
        sys.stderr.close()
        return 0


def _ask_password(url: str, user: str) -> str:
    from selfeval_app.exchange import sync_password
    from selfeval_app.exchange.sync_setup import NO_PASSWORD, SyncNotReady

    password = sync_password.get_password(url, user)
    if password:
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise SyncNotReady(reason=NO_PASSWORD)
    return getpass.getpass(_("Password for %(user)s on %(url)s: ") % {"user": user, "url": url})


def cmd_setup(args) -> int:
    from selfeval_app.cli import _data_dir, _refuse_if_app_open
    from selfeval_app.exchange import sync_password, sync_setup
    from selfeval_app.exchange.keys import ensure_identity

    _refuse_if_app_open(_data_dir(args))
    store = _open(args)
    try:
        ensure_identity(store)
        if args.sync_kind == "folder":
            cfg = sync_setup.setup_folder(store, args.folder.expanduser())
            print(_("Sync is set up with the folder %(path)s.") % {"path": cfg["path"]})
            return 0
        from selfeval_app.exchange.transport_webdav import check_url

        url = check_url(args.url)
        password = _ask_password(url, args.user)
        cfg = sync_setup.setup_webdav(store, url, args.user, password)
        print(_("Sync is set up with the server %(url)s as %(user)s.") % {"url": cfg["url"], "user": cfg["user"]})
        if not sync_password.store_password(url, args.user, password):
            print(_("This computer has no keyring to keep the password in, and it is not written anywhere else: set SELFEVAL_WEBDAV_PASSWORD before each sync."), file=sys.stderr)
        return 0
    finally:
        store.close()


def cmd_round(args) -> int:
    from selfeval_app.cli import _data_dir, _refuse_if_app_open
    from selfeval_app.exchange.keys import ensure_identity
    from selfeval_app.exchange.sync_round import run_round
    from selfeval_app.exchange.sync_setup import transport_for

    _refuse_if_app_open(_data_dir(args))
    store = _open(args)
    try:
        keys = ensure_identity(store)
        transport = transport_for(store)
        if getattr(args, "allow_mass_delete", False):
            from selfeval_app.exchange.inbox import confirm_held

            confirm_held(store)
        try:
            result = run_round(store, keys, transport)
        finally:
            close = getattr(transport, "close", None)
            if close:
                close()
    finally:
        store.close()
    if args.json:
        _print_json(result)
    else:
        _print_round(result)
    return 0 if result["ok"] else 1


def _print_round(result) -> None:
    if not result["ok"]:
        print(result["error"], file=sys.stderr)
        return
    print(_("Sync done."))
    lines = [
        (result["bundles_made"], ngettext("%(count)d new bundle written.", "%(count)d new bundles written.", result["bundles_made"])),
        (result["imported"], ngettext("%(count)d bundle imported.", "%(count)d bundles imported.", result["imported"])),
        (result["acknowledged"], ngettext("%(count)d bundle confirmed by its recipient.", "%(count)d bundles confirmed by their recipients.", result["acknowledged"])),
        (result["waiting"], ngettext("%(count)d file is not fully downloaded yet; it will be read on a later sync.", "%(count)d files are not fully downloaded yet; they will be read on a later sync.", result["waiting"])),
    ]
    for count, text in lines:
        if count:
            print(text % {"count": count})
    for refused in result["refused"]:
        print(_error_text(refused), file=sys.stderr)
    if result.get("held"):
        print(_held_text(result["held"]), file=sys.stderr)


def _held_text(count: int) -> str:
    return ngettext(
        "%(count)d bundle from another laptop of this school is held: it would delete more than a tenth of the school's records. Nothing of it was applied. See “selfeval sync status”; if the deletions were meant, run “selfeval sync --allow-mass-delete”.",
        "%(count)d bundles from another laptop of this school are held: they would delete more than a tenth of the school's records. Nothing of them was applied. See “selfeval sync status”; if the deletions were meant, run “selfeval sync --allow-mass-delete”.",
        count,
    ) % {"count": count}


def own_laptop_name() -> dict:
    from selfeval_app.core.i18n import N_, lookup

    text = N_("Another laptop of this school")
    return {lang: lookup(text, lang=lang) or text for lang in ("cy", "en")}


def _error_text(error) -> str:
    from selfeval_app.core.errors import UserFacingError

    return UserFacingError(error["message_id"], **error.get("params", {})).message()


def cmd_status(args) -> int:
    from selfeval_app.exchange import contacts, outbox, sync_state
    from selfeval_app.exchange.inbox import held
    from selfeval_app.exchange.keys import ensure_identity

    store = _open(args)
    try:
        keys = ensure_identity(store)
        status = sync_state.status(store)
        cfg = sync_state.config(store)
        pending = outbox.pending_counts(store, keys)
        names = {c.identity_id: c.card["identity"]["name"] for c in contacts.all_contacts(store)}
        held_bundles = held(store)
    finally:
        store.close()
    error = status.get("last_error")
    info = {
        "configured": cfg,
        "last_success": status.get("last_success"),
        "last_attempt": status.get("last_attempt"),
        "last_error": ({"message": _error_text(error), "at": error.get("at")} if error else None),
        "next_try": status.get("next_try"),
        "waiting_files": status.get("waiting_files", 0),
        "refused": [_error_text(r) for r in status.get("refused", [])],
        "contacts": [
            {"identity": ident, "name": names.get(ident) or own_laptop_name(), "own_laptop": ident not in names, **counts}
            for ident, counts in pending.items()
        ],
        "held": [
            {k: h.get(k) for k in ("name", "bundle_id", "sender_device", "created_at", "deleting", "total", "confirmed")}
            for h in held_bundles
        ],
    }
    if args.json:
        _print_json(info)
        return 0
    from selfeval_app.cli_exchange import _name

    if cfg is None:
        print(_("Sync has not been set up yet."))
    else:
        print(_("Sync with: %(where)s") % {"where": cfg.get("path") or cfg.get("url")})
    print(_("Last success: %(when)s") % {"when": info["last_success"] or _("never")})
    if info["last_error"]:
        print(_("Last error (%(when)s): %(message)s") % {"when": info["last_error"]["at"], "message": info["last_error"]["message"]})
    for c in info["contacts"]:
        print(
            _("%(name)s: waiting for confirmation: %(records)s; bundles waiting: %(bundles)s")
            % {"name": _name(c["name"]), "records": c["records"], "bundles": c["bundles"]}
        )
        if c.get("visit_bundles"):
            print(
                "  "
                + ngettext(
                    "Of those, %(count)d is a peer review visit's bundle, queued by hand.",
                    "Of those, %(count)d are peer review visits' bundles, queued by hand.",
                    c["visit_bundles"],
                )
                % {"count": c["visit_bundles"]}
            )
    for text in info["refused"]:
        print(text)
    for h in info["held"]:
        print(
            _("Held: a bundle from another laptop of this school (%(device)s) would delete %(deleting)d of the school's %(total)d records. Run “selfeval sync --allow-mass-delete” if that was meant.")
            % {"device": h["sender_device"][:8], "deleting": h["deleting"], "total": h["total"]}
        )
    return 0
