"""Setting up sync, and making the transport a data folder's sync settings name."""

from __future__ import annotations

from pathlib import Path

from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import sync_password, sync_state
from selfeval_app.exchange.transport import AuthenticationFailed, SyncSetupError, Transport

NOT_SET_UP = N_("sync has not been set up yet: use “selfeval sync setup folder DIR” or “selfeval sync setup webdav URL --user U”")
NO_PASSWORD = N_("no password is kept for it on this computer: run “selfeval sync setup webdav” again, or set SELFEVAL_WEBDAV_PASSWORD")


class SyncNotReady(SyncSetupError):
    message_id = N_("Sync cannot run: %(reason)s.")


def setup_folder(store: RecordStore, folder: Path) -> dict:
    from selfeval_app.exchange.transport_folder import prepare_folder

    path = prepare_folder(folder, Path(store.db.data_dir))
    cfg = {"kind": "folder", "path": str(path)}
    sync_state.save(store, "sync_config", cfg)
    return cfg


def setup_webdav(store: RecordStore, url: str, user: str, password: str) -> dict:
    """Check the server takes the password (one PROPFIND), then keep the settings; the password
    goes to the keyring (the caller stores it)."""
    from selfeval_app.exchange.transport_webdav import WebDAVTransport, check_url

    url = check_url(url)
    transport = WebDAVTransport(url, user, password)
    try:
        transport.check()
    finally:
        transport.close()
    cfg = {"kind": "webdav", "url": url, "user": user}
    sync_state.save(store, "sync_config", cfg)
    return cfg


def transport_for(store: RecordStore, *, password: str | None = None) -> Transport:
    cfg = sync_state.config(store)
    if not cfg:
        raise SyncNotReady(reason=NOT_SET_UP)
    if cfg["kind"] == "folder":
        from selfeval_app.exchange.transport_folder import FolderTransport

        return FolderTransport(Path(cfg["path"]), Path(store.db.data_dir))
    from selfeval_app.exchange.transport_webdav import WebDAVTransport

    password = password or sync_password.get_password(cfg["url"], cfg["user"])
    if not password:
        raise SyncNotReady(reason=NO_PASSWORD)
    return WebDAVTransport(cfg["url"], cfg["user"], password)


__all__ = ["AuthenticationFailed", "setup_folder", "setup_webdav", "transport_for"]
