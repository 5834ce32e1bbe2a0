"""The exchange commands of `selfeval` (DESIGN §8): init, keys, bundle, demo --role la.

Kept apart from `cli.py` so the exchange package (cryptography, pyrage) is imported only when one
of these commands runs: start-up and the other commands never load it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from selfeval_app.core.i18n import N_, _

ROLE_LABELS = {"school": N_("school"), "la": N_("local authority"), "reviewer": N_("peer reviewer")}


def role_label(role: str) -> str:
    label = ROLE_LABELS.get(role)
    return _(label) if label else role


def add_parsers(sub, common) -> None:
    init = sub.add_parser("init", parents=[common], help=_("set up a data folder for a school or a local authority"))
    init_sub = init.add_subparsers(dest="init_role", metavar=_("ROLE"), required=True)
    school = init_sub.add_parser("school", parents=[common], help=_("a school's installation"))
    school.add_argument("--name-cy", required=True, metavar=_("NAME"), help=_("the school's name in Welsh"))
    school.add_argument("--name-en", metavar=_("NAME"), help=_("the school's name in English"))
    school.add_argument("--la", required=True, type=int, metavar=_("CODE"), help=_("the local authority's code (660–681)"))
    school.add_argument("--number", metavar="NNN/NNNN", help=_("the school's establishment number"))
    la = init_sub.add_parser("la", parents=[common], help=_("a local authority's installation"))
    la.add_argument("--la", required=True, type=int, metavar=_("CODE"), help=_("the local authority's code (660–681)"))

    as_who = argparse.ArgumentParser(add_help=False)
    as_who.add_argument(
        "--as",
        dest="as_identity",
        metavar=_("IDENTITY"),
        help=_("whose keys: “school” (the default), “reviewer” (this installation's peer reviewer identity) or an identity's id"),
    )
    keys = sub.add_parser("keys", parents=[common], help=_("this installation's identity and keys, and your contacts"))
    keys_sub = keys.add_subparsers(dest="keys_command", metavar=_("COMMAND"), required=True)
    show = keys_sub.add_parser("show", parents=[common, as_who], help=_("our identity: id, role, names, fingerprint, devices"))
    show.add_argument("--json", action="store_true", help=_("print it as JSON"))
    card = keys_sub.add_parser("card", parents=[common, as_who], help=_("write our public key card (no secrets) to a file"))
    card.add_argument("--out", required=True, type=Path, metavar=_("FILE"), help=_("where to write the key card"))
    trust = keys_sub.add_parser("trust", parents=[common], help=_("add a contact from their key card, after checking its fingerprint"))
    trust.add_argument("file", type=Path, metavar=_("FILE"), help=_("the key card"))
    trust.add_argument("--fingerprint", required=True, metavar=_("FINGERPRINT"), help=_("the fingerprint the sender read out to you"))
    reviewer = keys_sub.add_parser("reviewer", parents=[common], help=_("make this installation's peer reviewer identity, with keys of its own"))
    reviewer.add_argument("--name-cy", required=True, metavar=_("NAME"), help=_("how host schools will know you, in Welsh (e.g. your name and school)"))
    reviewer.add_argument("--name-en", metavar=_("NAME"), help=_("how host schools will know you, in English"))
    contacts = keys_sub.add_parser("contacts", parents=[common], help=_("list your contacts"))
    contacts.add_argument("--json", action="store_true", help=_("print them as JSON"))
    # Another laptop of this school (DESIGN-style notes in exchange/own_devices.py).
    request = keys_sub.add_parser("join-request", parents=[common], help=_("on a new laptop: ask to join a school that another laptop already holds"))
    request.add_argument("--out", type=Path, metavar=_("FILE"), help=_("where to write the request (for a USB stick)"))
    request.add_argument("--sync-folder", type=Path, metavar=_("FOLDER"), help=_("put the request in the school's sync folder instead"))
    request.add_argument("--sync-webdav", metavar="URL", help=_("put the request on the school's WebDAV server instead"))
    request.add_argument("--user", metavar=_("USER"), help=_("your user name on the WebDAV server"))
    add = keys_sub.add_parser("add-device", parents=[common], help=_("on the school's laptop: add another laptop from its request, after checking its fingerprint"))
    add.add_argument("file", type=Path, nargs="?", metavar=_("FILE"), help=_("the request; without it, the request is found in the sync place"))
    add.add_argument("--fingerprint", required=True, metavar=_("FINGERPRINT"), help=_("the fingerprint shown on the new laptop"))
    add.add_argument("--out", type=Path, metavar=_("FILE"), help=_("where to write the reply (for a USB stick); without it, the reply goes to the sync place"))
    join = keys_sub.add_parser("join", parents=[common], help=_("on the new laptop: join the school with the reply from its laptop"))
    join.add_argument("file", type=Path, nargs="?", metavar=_("FILE"), help=_("the reply; without it, it is taken from the sync folder"))
    join.add_argument("--fingerprint", required=True, metavar=_("FINGERPRINT"), help=_("the school's fingerprint shown on the school's laptop"))
    join.add_argument("--sync-folder", type=Path, metavar=_("FOLDER"), help=_("the school's sync folder: the reply is taken from it, and sync is set up with it"))
    join.add_argument("--sync-webdav", metavar="URL", help=_("the school's WebDAV server: the reply is taken from it, and sync is set up with it"))
    join.add_argument("--user", metavar=_("USER"), help=_("your user name on the WebDAV server"))
    laptops = keys_sub.add_parser("laptops", parents=[common], help=_("list this school's laptops"))
    laptops.add_argument("--json", action="store_true", help=_("print them as JSON"))
    remove = keys_sub.add_parser("remove-device", parents=[common], help=_("remove a lost laptop of this school: nothing more is sent to it, and what it signs is refused"))
    remove.add_argument("device", metavar=_("DEVICE"), help=_("the laptop's device id (or its first characters), as “selfeval keys laptops” lists it"))

    bundle = sub.add_parser("bundle", parents=[common], help=_("send records to a contact, or read what a contact sent"))
    bundle_sub = bundle.add_subparsers(dest="bundle_command", metavar=_("COMMAND"), required=True)
    export = bundle_sub.add_parser("export", parents=[common, as_who], help=_("write what is due for a contact, sealed to it"))
    to = export.add_mutually_exclusive_group(required=True)
    to.add_argument("--to", metavar=_("FINGERPRINT"), help=_("the contact's fingerprint"))
    to.add_argument("--own-laptops", action="store_true", help=_("for this school's other laptops: everything they have not had, private records included"))
    where = export.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar=_("FILE"), help=_("where to write the bundle"))
    where.add_argument("--via-sync", action="store_true", help=_("with --visit: queue the visit's bundle for sync instead of writing a file; it goes at the next sync"))
    export.add_argument("--visit", metavar=_("VISIT"), help=_("a peer review visit: the host sends its pack, a reviewer the notes and findings"))
    inspect = bundle_sub.add_parser("inspect", parents=[common, as_who], help=_("check a bundle and list what it holds; changes nothing"))
    inspect.add_argument("file", type=Path, metavar=_("FILE"), help=_("the bundle"))
    inspect.add_argument("--json", action="store_true", help=_("print it as JSON"))
    imp = bundle_sub.add_parser("import", parents=[common, as_who], help=_("import a bundle, all or nothing, and show the report"))
    imp.add_argument("file", type=Path, metavar=_("FILE"), help=_("the bundle"))
    imp.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    imp.add_argument("--allow-mass-delete", action="store_true", help=_("import it even if it deletes more than a tenth of the school's records (a bundle from another laptop of this school)"))


def _store(args, *, create: bool = False):
    from selfeval_app.cli import _data_dir, _open_store

    return _open_store(_data_dir(args), create=create)


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _name(name: dict) -> str:
    from selfeval_app.core.bilingual import text_or_other
    from selfeval_app.core.i18n import current_language

    return text_or_other(name, current_language()) or "—"


def cmd_init(args) -> int:
    from selfeval_app.cli import _data_dir, _refuse_if_app_open
    from selfeval_app.core.paths import device_id
    from selfeval_app.exchange import setup

    data_dir = _data_dir(args)
    _refuse_if_app_open(data_dir)
    if args.init_role == "school":
        keys = setup.init_school(
            data_dir, device_id=device_id(), name_cy=args.name_cy, name_en=args.name_en,
            la_code=args.la, number=args.number,
        )
    else:
        keys = setup.init_la(data_dir, device_id=device_id(), la_code=args.la)
    print(_("%(path)s is set up. Its fingerprint is %(fingerprint)s.") % {"path": data_dir, "fingerprint": keys.fingerprint()})
    return 0


def cmd_demo_la(args) -> int:
    from selfeval_app.cli import _refuse_if_app_open
    from selfeval_app.core.paths import device_id
    from selfeval_app.exchange import setup

    data_dir = args.data_dir.expanduser() if args.data_dir else setup.example_la_dir()
    _refuse_if_app_open(data_dir)
    data_dir, keys = setup.demo_la(data_dir, device_id=device_id())
    from selfeval_app.exchange.la_example import add_example_schools

    add_example_schools(data_dir)
    print(_("The example local authority is ready in %(path)s. Its fingerprint is %(fingerprint)s.") % {"path": data_dir, "fingerprint": keys.fingerprint()})
    return 0


def _own_keys(store, args=None):
    """The keys of the identity `--as` names (default: the school's, made on first use)."""
    from selfeval_app.exchange.identity_keys import keys_as

    return keys_as(store, getattr(args, "as_identity", None))


def cmd_keys(args) -> int:
    from selfeval_app.exchange import contacts
    from selfeval_app.exchange.keys import read_card, summary, write_card

    if args.keys_command in ("join-request", "join"):
        from selfeval_app import cli_laptops

        return cli_laptops.cmd_join_request(args) if args.keys_command == "join-request" else cli_laptops.cmd_join(args)
    if args.keys_command in ("add-device", "laptops", "remove-device"):
        from selfeval_app import cli_laptops

        return cli_laptops.COMMANDS[args.keys_command](args)
    store = _store(args)
    try:
        if args.keys_command == "reviewer":
            from selfeval_app.exchange.identity_keys import become_reviewer

            name_cy = args.name_cy.strip()
            reviewer = become_reviewer(store, {"cy": name_cy, "en": (args.name_en or "").strip() or name_cy})
            print(_("This installation's peer reviewer identity is ready. Its fingerprint is %(fingerprint)s: give its key card (“selfeval keys card --as reviewer”) to the schools you review.") % {"fingerprint": reviewer.fingerprint()})
            return 0
        keys = _own_keys(store, args)
        if args.keys_command == "show":
            info = summary(keys.card())
            for device in info["devices"]:
                device["this_device"] = device["device_id"] == keys.device.device_id
            if args.json:
                _print_json(info)
            else:
                _print_identity(info)
        elif args.keys_command == "card":
            from selfeval_app.cli import _check_output

            out = args.out.expanduser()
            _check_output(out)
            card = write_card(keys, out)
            from selfeval_app.exchange.keys import fingerprint

            print(_("Key card written to %(path)s. Its fingerprint is %(fingerprint)s: read it out to your contact so they can check it.") % {"path": out, "fingerprint": fingerprint(card)})
        elif args.keys_command == "trust":
            path = args.file.expanduser()
            contact = contacts.trust(store, keys, read_card(path), args.fingerprint, str(path))
            print(_("%(name)s (%(role)s) is now a contact, with the fingerprint %(fingerprint)s.") % {
                "name": _name(contact.card["identity"]["name"]),
                "role": role_label(contact.role),
                "fingerprint": contact.fingerprint,
            })
        else:
            listed = []
            for contact in contacts.all_contacts(store):
                info = summary(contact.card)
                for device in info["devices"]:
                    device["removed"] = device["removed"] or device["device_id"] in contact.removed_devices
                listed.append(info)
            if args.json:
                _print_json({"contacts": listed})
            elif not listed:
                print(_("You have no contacts yet. Add one with “selfeval keys trust”."))
            else:
                for info in listed:
                    print(f"{info['fingerprint']}  {_name(info['name'])} ({role_label(info['role'])})")
    finally:
        store.close()
    return 0


def _print_identity(info: dict) -> None:
    print(_("Name: %(name)s") % {"name": _name(info["name"])})
    print(_("Role: %(role)s") % {"role": role_label(info["role"])})
    print(_("Identity: %(id)s") % {"id": info["id"]})
    print(_("Fingerprint: %(fingerprint)s") % {"fingerprint": info["fingerprint"]})
    print(_("Devices:"))
    for device in info["devices"]:
        notes = []
        if device.get("this_device"):
            notes.append(_("this computer"))
        if device["removed"]:
            notes.append(_("removed"))
        print(f"- {device['device_id']}" + (f" ({', '.join(notes)})" if notes else ""))


def cmd_bundle(args) -> int:
    store = _store(args)
    try:
        if args.bundle_command != "export" and not getattr(args, "as_identity", None):
            keys = None  # opened with whichever of our identities it was sealed to
        else:
            keys = _own_keys(store, args)
        if args.bundle_command == "export":
            return _bundle_export(store, keys, args)
        if args.bundle_command == "inspect":
            return _bundle_inspect(store, keys, args)
        return _bundle_import(store, keys, args)
    finally:
        store.close()


def _bundle_export(store, keys, args) -> int:
    from selfeval_app.cli import _check_output
    from selfeval_app.exchange import contacts
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle

    if getattr(args, "via_sync", False):
        return _bundle_queue(store, keys, args)
    out = args.out.expanduser()
    _check_output(out)
    if getattr(args, "own_laptops", False):
        from selfeval_app.exchange.own_devices import export_bundle

        manifest = export_bundle(store, keys, out)
        print(_("Bundle written to %(path)s for this school's other laptops.") % {"path": out})
        print(_("Records sent: %(records)d. Withdrawn: %(withdrawals)d. Attached files: %(attachments)d.") % manifest["counts"])
        return 0
    contact = contacts.by_fingerprint(store, args.to)
    recipient = Recipient.from_contact(contact)
    contents = None
    if getattr(args, "visit", None):
        from selfeval_app.exchange.visit_bundle import plan_visit_bundle

        contents = plan_visit_bundle(store, keys, recipient, args.visit)
    manifest = write_bundle(store, keys, recipient, out, contents)
    counts = manifest["counts"]
    print(_("Bundle written to %(path)s for %(name)s.") % {"path": out, "name": _name(contact.card["identity"]["name"])})
    print(_("Records sent: %(records)d. Withdrawn: %(withdrawals)d. Attached files: %(attachments)d.") % counts)
    return 0


def _bundle_queue(store, keys, args) -> int:
    """`bundle export --visit V --to FP --via-sync`: the visit's bundle waits in the sync outbox;
    the next `selfeval sync` (or the window's) puts it in the contact's inbox."""
    from selfeval_app.exchange import contacts
    from selfeval_app.exchange.visit_bundle import queue_visit_bundle

    if not getattr(args, "visit", None) or getattr(args, "own_laptops", False):
        print(_("--via-sync needs --visit and --to: what else is due goes by sync on its own. Nothing was changed."), file=sys.stderr)
        return 2
    contact = contacts.by_fingerprint(store, args.to)
    entry, new = queue_visit_bundle(store, keys, contact, args.visit)
    name = _name(contact.card["identity"]["name"])
    if new:
        print(_("Queued for %(name)s: it goes at the next sync.") % {"name": name})
    else:
        print(_("This is already waiting for %(name)s: it goes at the next sync.") % {"name": name})
    live = sum(1 for v in entry["versions"] if not v["deleted"])
    print(_("Records: %(records)d. Withdrawn: %(withdrawals)d.") % {"records": live, "withdrawals": len(entry["versions"]) - live})
    return 0


def _bundle_inspect(store, keys, args) -> int:
    from selfeval_app.exchange.bundle_read import read_bundle

    if keys is None:
        from selfeval_app.exchange.identity_keys import read_bundle_any

        _keys, bundle = read_bundle_any(store, args.file.expanduser())
    else:
        bundle = read_bundle(store, keys, args.file.expanduser())
    try:
        manifest = bundle.manifest
        info = {
            "bundle_id": bundle.bundle_id,
            "created_at": manifest.get("created_at"),
            "sender": {"identity": bundle.sender_identity, "device": bundle.sender_device},
            "sequence": manifest["sequence"],
            "counts": manifest["counts"],
            "records": bundle.listing(),
        }
    finally:
        bundle.close()
    if args.json:
        _print_json(info)
        return 0
    from selfeval_app.core.record_types import type_label

    print(_("The bundle is sound and was sent to this installation."))
    print(_("Records: %(records)d. Withdrawn: %(withdrawals)d. Attached files: %(attachments)d.") % info["counts"])
    for rec in info["records"]:
        mark = _("withdrawn") if rec["deleted"] else rec["visibility"]
        print(f"- [{type_label(rec['type'])}] {rec['id']} rev {rec['rev']} ({mark})")
    return 0


def _bundle_import(store, keys, args) -> int:
    from selfeval_app.exchange.bundle_import import import_bundle

    allow = getattr(args, "allow_mass_delete", False)
    if keys is None:
        from selfeval_app.exchange.identity_keys import import_bundle_any

        report = import_bundle_any(store, args.file.expanduser(), allow_mass_delete=allow)
    else:
        report = import_bundle(store, keys, args.file.expanduser(), allow_mass_delete=allow)
    if args.json:
        _print_json(report)
        return 0
    if report["already_imported"]:
        print(_("This bundle was imported before. Nothing was changed."))
        return 0
    print(_("Imported. New: %(new)d. Changed: %(changed)d. Unchanged: %(unchanged)d. Withdrawn: %(withdrawn)d. Needs a decision: %(conflicts)d.") % {
        "new": len(report["new"]),
        "changed": len(report["changed"]),
        "unchanged": report["unchanged"],
        "withdrawn": len(report["withdrawn"]),
        "conflicts": len(report["conflicts"]),
    })
    return 0


COMMANDS = {"init": cmd_init, "keys": cmd_keys, "bundle": cmd_bundle}


def run(args) -> int:
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
