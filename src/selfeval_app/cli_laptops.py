"""`selfeval keys join-request | add-device | join | laptops | remove-device`: another laptop of
this school (see `exchange/own_devices.py` for the files and the checks).

On the new laptop:   selfeval keys join-request --out F        (or --sync-folder DIR, or
                     --sync-webdav URL --user U)
On the school's one: selfeval keys add-device F --fingerprint X --out R   (or without F/--out:
                     the request is found in, and the reply put into, the sync place)
On the new laptop:   selfeval keys join R --fingerprint SCHOOL  (or --sync-folder DIR, or
                     --sync-webdav URL --user U: the reply from there, and sync set up with it)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from selfeval_app.core.i18n import _


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _folder_transport(folder: Path, data_dir: Path):
    from selfeval_app.exchange.transport_folder import FolderTransport

    transport = FolderTransport(folder.expanduser(), data_dir)
    transport.check()
    return transport


def _place(args, data_dir: Path):
    """The sync place given on the command line (a folder, or a WebDAV server with its user and
    password: keyring, SELFEVAL_WEBDAV_PASSWORD, or asked for), checked; or None."""
    if getattr(args, "sync_webdav", None):
        from selfeval_app.cli_sync import _ask_password
        from selfeval_app.core.errors import UserFacingError
        from selfeval_app.core.i18n import N_
        from selfeval_app.exchange.transport_webdav import check_url
        from selfeval_app.laptops_views import open_server

        if not args.user:
            raise UserFacingError(N_("Give your user name on the WebDAV server with “--user”. Nothing was changed."))
        url = check_url(args.sync_webdav)
        password = _ask_password(url, args.user)
        transport = open_server(url, args.user, password)
        transport.password = password  # kept for setting sync up after the join
        return transport
    if getattr(args, "sync_folder", None):
        return _folder_transport(args.sync_folder, data_dir)
    return None


def _close(transport) -> None:
    close = getattr(transport, "close", None)
    if close:
        close()


def cmd_join_request(args) -> int:
    from selfeval_app.cli import _check_output, _data_dir, _refuse_if_app_open
    from selfeval_app.exchange import own_devices

    data_dir = _data_dir(args)
    _refuse_if_app_open(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.out is None and args.sync_folder is None and args.sync_webdav is None:
        args.out = Path(f"join-request{own_devices.REQUEST_SUFFIX}")
    transport = _place(args, data_dir)
    request = own_devices.make_request(data_dir)
    if args.out is not None:
        out = args.out.expanduser()
        _check_output(out)
        own_devices.write_request(request, out)
        print(_("The request is written to %(path)s. Take it to the school's laptop.") % {"path": out})
    if transport is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / own_devices.request_name(request)
            own_devices.write_request(request, path)
            transport.write(own_devices.JOIN_PLACE, path.name, path)
        print(_("The request is in the sync place %(where)s.") % {"where": transport.describe()})
        _close(transport)
    print(_("This laptop's fingerprint is %(fingerprint)s. Give it on the school's laptop when you add this one.") % {"fingerprint": own_devices.request_fingerprint(request)})
    return 0


def cmd_add_device(args) -> int:
    from selfeval_app.cli import _check_output, _data_dir, _open_store, _refuse_if_app_open
    from selfeval_app.exchange import own_devices
    from selfeval_app.exchange.keys import ensure_identity

    data_dir = _data_dir(args)
    _refuse_if_app_open(data_dir)
    store = _open_store(data_dir)
    transport = None
    try:
        keys = ensure_identity(store)
        if args.file is None or args.out is None:
            from selfeval_app.exchange.sync_setup import transport_for

            transport = transport_for(store)
        if args.file is not None:
            path = args.file.expanduser()
            request = own_devices.read_request(path)
        else:
            path = None
            request = own_devices.find_request(transport, args.fingerprint)
        if args.out is not None:
            _check_output(args.out.expanduser())
        entry = own_devices.add_device(keys, request, args.fingerprint, str(path or ""))
        if args.out is not None:
            out = args.out.expanduser()
            info = own_devices.write_package(store, keys, entry["device_id"], out)
            print(_("The laptop is added. Its reply is written to %(path)s: take it to the new laptop.") % {"path": out})
        else:
            info = own_devices.send_package(store, keys, entry["device_id"], transport)
            print(_("The laptop is added. Its reply is in the sync place %(where)s.") % {"where": transport.describe()})
        print(_("Records in the reply: %(records)d. Withdrawn: %(withdrawals)d. Attached files: %(attachments)d.") % info["counts"])
        print(_("On the new laptop, check that the school's fingerprint is %(fingerprint)s.") % {"fingerprint": info["school_fingerprint"]})
    finally:
        close = getattr(transport, "close", None)
        if close:
            close()
        store.close()
    return 0


def cmd_join(args) -> int:
    from selfeval_app.cli import _data_dir, _open_store, _refuse_if_app_open
    from selfeval_app.core.paths import device_id
    from selfeval_app.exchange import own_devices, sync_setup

    data_dir = _data_dir(args)
    _refuse_if_app_open(data_dir)
    if args.file is None and args.sync_folder is None and args.sync_webdav is None:
        from selfeval_app.core.errors import UserFacingError
        from selfeval_app.core.i18n import N_

        raise UserFacingError(N_("Give the reply file, or the sync place with “--sync-folder” or “--sync-webdav”. Nothing was changed."))
    transport = _place(args, data_dir)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if args.file is not None:
                path = args.file.expanduser()
            else:
                path = own_devices.find_package(data_dir, transport, Path(tmp) / "reply.selfeval-join")
            info = own_devices.join(data_dir, path, args.fingerprint, device_id=device_id())
    finally:
        _close(transport)
    if transport is not None:
        store = _open_store(data_dir)
        try:
            if args.sync_webdav:
                from selfeval_app.exchange import sync_password

                sync_setup.setup_webdav(store, transport.url, args.user, transport.password)
                sync_password.store_password(transport.url, args.user, transport.password)
            else:
                sync_setup.setup_folder(store, args.sync_folder.expanduser())
        finally:
            store.close()
    from selfeval_app.cli_exchange import _name

    print(_("This laptop is now a laptop of %(name)s, with %(count)d records from the school's laptop.") % {
        "name": _name(info["name"]),
        "count": len(info["report"].get("new", [])) + len(info["report"].get("changed", [])),
    })
    if transport is not None:
        print(_("Sync is set up with %(where)s.") % {"where": transport.describe()})
    return 0


def _laptops(store, keys) -> list[dict]:
    return [
        {"device_id": d["device_id"], "this_laptop": d["device_id"] == keys.device.device_id, "removed": d["removed"]}
        for d in keys.devices
    ]


def cmd_laptops(args) -> int:
    from selfeval_app.cli import _data_dir, _open_store
    from selfeval_app.exchange.keys import ensure_identity

    store = _open_store(_data_dir(args))
    try:
        keys = ensure_identity(store)
        listed = _laptops(store, keys)
    finally:
        store.close()
    if args.json:
        _print_json({"laptops": listed})
        return 0
    for laptop in listed:
        notes = []
        if laptop["this_laptop"]:
            notes.append(_("this laptop"))
        if laptop["removed"]:
            notes.append(_("removed"))
        print(f"- {laptop['device_id']}" + (f" ({', '.join(notes)})" if notes else ""))
    return 0


def cmd_remove_device(args) -> int:
    from selfeval_app.cli import _data_dir, _open_store, _refuse_if_app_open
    from selfeval_app.core.errors import UserFacingError
    from selfeval_app.core.i18n import N_
    from selfeval_app.exchange import own_devices
    from selfeval_app.exchange.keys import ensure_identity

    data_dir = _data_dir(args)
    _refuse_if_app_open(data_dir)
    store = _open_store(data_dir)
    try:
        keys = ensure_identity(store)
        wanted = args.device.strip().lower()
        found = [d for d in keys.devices if d["device_id"].lower().startswith(wanted)] if wanted else []
        if len(found) != 1:
            raise UserFacingError(N_("No single laptop of this school has the device id %(device)s. “selfeval keys laptops” lists them."), device=args.device)
        device = found[0]
        if device["device_id"] == keys.device.device_id:
            raise UserFacingError(N_("This laptop cannot remove itself: remove it from another laptop of the school."))
        own_devices.remove_device(store, keys, device["device_id"])
    finally:
        store.close()
    print(_("The laptop %(device)s is removed: nothing more is sent to it, and what it signs is refused. The school's other laptops learn it on their next sync; give your contacts the school's new key card (“selfeval keys card”).") % {"device": device["device_id"]})
    return 0


COMMANDS = {"add-device": cmd_add_device, "laptops": cmd_laptops, "remove-device": cmd_remove_device}
