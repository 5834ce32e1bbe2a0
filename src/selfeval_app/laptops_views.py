"""What the "Add another laptop of this school" dialog and the joining path at first start show and
do, as plain data (no Qt). It stands on `exchange/own_devices.py`; every function that touches
the database takes the worker's `RecordStore` (or, at first start, the data folder)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore

REQUEST_FILTER_SUFFIX = ".selfeval-join-request"
REPLY_SUFFIX = ".selfeval-join"


def _info(request: dict[str, Any]) -> dict[str, Any]:
    from selfeval_app.exchange.own_devices import request_fingerprint

    return {
        "fingerprint": request_fingerprint(request),
        "computer": request.get("computer") or "",
        "device_id": request["device"]["device_id"],
        "request": request,
    }


# --- on the laptop with the school's data ---------------------------------------------------------


def sync_ready(store: RecordStore) -> bool:
    from selfeval_app.exchange import sync_state

    return sync_state.config(store) is not None


def read_request_file(path: Path) -> dict[str, Any]:
    from selfeval_app.exchange.own_devices import read_request

    return _info(read_request(Path(path)))


def requests_in_sync(store: RecordStore) -> list[dict[str, Any]]:
    """Every sound request in the sync place from a laptop that is not ours yet (newest first)."""
    from selfeval_app.exchange import keys, own_devices
    from selfeval_app.exchange.sync_setup import transport_for
    from selfeval_app.exchange.transport import NotYetAvailable

    local = keys.ensure_identity(store)
    ours = {d["device_id"] for d in local.devices}
    transport = transport_for(store)
    found = []
    try:
        for remote in transport.list(own_devices.JOIN_PLACE, own_devices.REQUEST_SUFFIX):
            if remote.size > own_devices.MAX_REQUEST_BYTES:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                dest = Path(tmp) / "request"
                try:
                    transport.read(own_devices.JOIN_PLACE, remote.name, dest)
                    request = own_devices.verify_request(dest.read_bytes(), remote.name)
                except (NotYetAvailable, own_devices.AddDeviceError):
                    continue
            if request["device"]["device_id"] not in ours:
                found.append(_info(request))
    finally:
        close = getattr(transport, "close", None)
        if close:
            close()
    return sorted(found, key=lambda r: r["request"].get("created_at", ""), reverse=True)


def add_laptop(store: RecordStore, request: dict[str, Any], fingerprint: str, out: Path | None) -> dict[str, Any]:
    """Add the laptop (the fingerprint must be the request's) and write its reply to `out`, or to
    its inbox in the sync place when `out` is None. Returns the school's fingerprint and counts."""
    from selfeval_app.exchange import keys, own_devices
    from selfeval_app.exchange.sync_setup import transport_for

    local = keys.ensure_identity(store)
    transport = None if out is not None else transport_for(store)
    try:
        entry = own_devices.add_device(local, request, fingerprint)
        if out is not None:
            info = own_devices.write_package(store, local, entry["device_id"], Path(out))
            info["where"] = str(out)
        else:
            info = own_devices.send_package(store, local, entry["device_id"], transport)
            info["where"] = transport.describe()
    finally:
        close = getattr(transport, "close", None)
        if close:
            close()
    return info


def suggested_reply_name(computer: str) -> str:
    from selfeval_app.core.i18n import _
    from selfeval_app.exchange_views import _safe_file_part

    return _safe_file_part(_("Reply for %(computer)s") % {"computer": computer or _("the new laptop")}) + REPLY_SUFFIX


# --- on the new laptop (first start) --------------------------------------------------------------


def start_request(data_dir: Path) -> dict[str, Any]:
    """This laptop's request (its keys made once); shown with its fingerprint."""
    from selfeval_app.exchange.own_devices import make_request

    Path(data_dir).mkdir(parents=True, exist_ok=True)
    return _info(make_request(Path(data_dir)))


def save_request(request: dict[str, Any], path: Path) -> str:
    from selfeval_app.exchange.own_devices import write_request

    write_request(request, Path(path))
    return str(path)


def _folder(data_dir: Path, folder: Path):
    from selfeval_app.exchange.transport_folder import FolderTransport

    transport = FolderTransport(Path(folder), Path(data_dir))
    transport.check()
    return transport


SERVER_REFUSED = N_("The server %(where)s refused the user name or password: check them and try again. Nothing was changed.")


def open_server(url: str, user: str, password: str):
    """The school's WebDAV server, checked with one request (a clear error otherwise)."""
    from selfeval_app.core.errors import UserFacingError
    from selfeval_app.exchange.transport_webdav import WebDAVTransport, check_url

    url, user = check_url(url.strip()), user.strip()
    if not user:
        raise UserFacingError(N_("Give your user name on the WebDAV server. Nothing was changed."))
    from selfeval_app.exchange.transport import AuthenticationFailed

    transport = WebDAVTransport(url, user, password)
    try:
        transport.check()
    except AuthenticationFailed:
        transport.close()
        raise UserFacingError(SERVER_REFUSED, where=url) from None
    except BaseException:
        transport.close()
        raise
    return transport


def _place(data_dir: Path, place: dict[str, Any]):
    """A transport for a sync place: {"kind": "folder", "path"} or {"kind": "webdav", "url",
    "user", "password"} (the new laptop's first start: nothing is set up yet)."""
    if place.get("kind") == "webdav":
        return open_server(place.get("url", ""), place.get("user", ""), place.get("password", ""))
    return _folder(data_dir, Path(place["path"]))


def _close(transport) -> None:
    close = getattr(transport, "close", None)
    if close is not None:
        close()


def put_request_in_place(data_dir: Path, request: dict[str, Any], place: dict[str, Any]) -> str:
    """Put this laptop's request in the school's sync place (a folder or its WebDAV server)."""
    from selfeval_app.exchange import own_devices

    transport = _place(data_dir, place)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / own_devices.request_name(request)
            own_devices.write_request(request, path)
            transport.write(own_devices.JOIN_PLACE, path.name, path)
        return transport.describe()
    finally:
        _close(transport)


def put_request_in_folder(data_dir: Path, request: dict[str, Any], folder: Path) -> str:
    return put_request_in_place(data_dir, request, {"kind": "folder", "path": str(folder)})


def _reply(package) -> dict[str, Any]:
    return {"path": str(package.path), "name": package.school_name, "fingerprint": package.school_fingerprint}


def read_reply(data_dir: Path, path: Path) -> dict[str, Any]:
    """The school named in a reply, and its fingerprint to compare (nothing changed)."""
    from selfeval_app.exchange.own_devices import read_package

    return _reply(read_package(Path(data_dir), Path(path)))


def fetch_reply_from_place(data_dir: Path, place: dict[str, Any]) -> dict[str, Any]:
    """Copy this laptop's reply from the sync place into the data folder, and read it."""
    from selfeval_app.exchange.own_devices import find_package, read_package

    work = Path(data_dir) / "sync-incoming"
    work.mkdir(parents=True, exist_ok=True)
    dest = work / ("reply" + REPLY_SUFFIX)
    transport = _place(data_dir, place)
    try:
        find_package(Path(data_dir), transport, dest)
    finally:
        _close(transport)
    return _reply(read_package(Path(data_dir), dest))


def fetch_reply_from_folder(data_dir: Path, folder: Path) -> dict[str, Any]:
    return fetch_reply_from_place(data_dir, {"kind": "folder", "path": str(folder)})


def join_school(
    store: RecordStore,
    reply: dict[str, Any],
    fingerprint: str,
    *,
    sync_folder: Path | None = None,
    place: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Join (see `own_devices.join`), then set sync up with the place the reply came through (a
    folder, or the WebDAV server, its password kept in the keyring; `kept_password` in the result
    says whether this computer had a keyring to keep it in)."""
    from selfeval_app.exchange.own_devices import join

    if sync_folder is not None:
        place = {"kind": "folder", "path": str(sync_folder)}
    data_dir = Path(store.db.data_dir)
    result = join(data_dir, Path(reply["path"]), fingerprint, device_id=store.device_id, store=store)
    result["kept_password"] = True
    if place is not None and place.get("kind") == "webdav":
        from selfeval_app.exchange import sync_password, sync_state
        from selfeval_app.exchange.transport_webdav import check_url

        # Not sync_setup.setup_webdav: the reply has just come from this server with this
        # password, and a check failing now would leave the laptop joined but saying it failed.
        url, user = check_url(place["url"].strip()), place["user"].strip()
        sync_state.save(store, "sync_config", {"kind": "webdav", "url": url, "user": user})
        result["kept_password"] = sync_password.store_password(url, user, place.get("password", ""))
    elif place is not None:
        from selfeval_app.exchange.sync_setup import setup_folder

        setup_folder(store, Path(place["path"]))
    if Path(reply["path"]).parent == data_dir / "sync-incoming":
        Path(reply["path"]).unlink(missing_ok=True)
    return result
