"""What the window shows and does about sync, as plain data and words (no Qt): the state in words
(last success, what is waiting for each contact, the last error and what to do about it), the
settings' "Test", setting sync up or off, and one round run off the database writer.

It stands on `exchange/` (sync_round, sync_state, sync_setup, sync_password) and is imported by the
window only after its first paint, when sync is first needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _, format_date, ngettext
from selfeval_app.core.records import RecordStore

#: How often the window starts a round by itself while the network is up (and the last round's
#: back-off, `sync_round.is_due`, allows it).
AUTOMATIC_EVERY_S = 5 * 60

# Catalog ids of the core's errors the window words differently (it has Settings, not a command).
AUTH_FAILED_ID = "The server %(where)s refused the user name or password. Check them with “selfeval sync setup webdav”."
NOT_READY_ID = "Sync cannot run: %(reason)s."

GUI_AUTH_FAILED = N_("The server %(where)s refused the user name or password: check them in Settings, under Sync.")
GUI_NO_PASSWORD = N_("No password for the server %(where)s is kept on this computer: type it when asked, or in Settings, under Sync.")
GUI_NOT_SET_UP = N_("Sync is off. Set it up in Settings, under Sync, to send and receive on its own.")


class NeedsPassword(UserFacingError):
    """The server refused the password, or none is kept: the window asks for it."""

    message_id = GUI_AUTH_FAILED


class PasswordMissing(NeedsPassword):
    message_id = GUI_NO_PASSWORD


class SyncOff(UserFacingError):
    message_id = GUI_NOT_SET_UP


def _parse(moment: str | None) -> dt.datetime | None:
    if not moment:
        return None
    try:
        return dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return None


def when_text(moment: dt.datetime, today: dt.date) -> tuple[str, str]:
    """("10:42", "") for today, else ("10:42", "02/12/2026"), in Wales' time."""
    from selfeval_app.core.clock import london

    local = moment.astimezone(london())
    return local.strftime("%H:%M"), "" if local.date() == today else format_date(local.date())


# -- the state -------------------------------------------------------------------------------------


def status(store: RecordStore, *, with_pending: bool = True) -> dict[str, Any]:
    """Plain data for the status: what is set up, the stored status, and per contact what waits.
    `with_pending` reads the share ledger (a fraction of a second for a school year): off the
    writer only."""
    from selfeval_app.exchange import contacts, sync_state

    cfg = sync_state.config(store)
    state = sync_state.status(store)
    info: dict[str, Any] = {
        "configured": cfg,
        "last_success": state.get("last_success"),
        "last_attempt": state.get("last_attempt"),
        "last_error": state.get("last_error"),
        "next_try": state.get("next_try"),
        "waiting_files": state.get("waiting_files", 0),
        "refused": state.get("refused", []),
        "held": int(state.get("held") or 0),  # bundles of our other laptops held (bulk delete)
        "contacts": [],
    }
    if not with_pending or cfg is None:
        return info
    from selfeval_app.exchange import keys as keys_mod
    from selfeval_app.exchange import outbox

    try:
        keys = keys_mod.require_keys(Path(store.db.data_dir))
    except Exception:  # noqa: BLE001 - no identity yet: nothing can be waiting
        return info
    names = {c.identity_id: c.card["identity"]["name"] for c in contacts.all_contacts(store)}
    own = {d["device_id"] for d in keys.devices}  # our other laptops are recipients too, by device id
    for ident, counts in outbox.pending_counts(store, keys).items():
        info["contacts"].append({"identity": ident, "name": names.get(ident, {}), "own": ident in own, **counts})
    return info


def error_text(error: dict[str, Any] | None) -> str:
    """The last error in the reader's language, with what to do about it."""
    if not error:
        return ""
    message_id, params = error.get("message_id", ""), dict(error.get("params") or {})
    if message_id == AUTH_FAILED_ID:
        return _(GUI_AUTH_FAILED) % params
    if message_id == NOT_READY_ID:
        from selfeval_app.exchange.sync_setup import NO_PASSWORD, NOT_SET_UP

        if params.get("reason") == NO_PASSWORD:
            return _(GUI_NO_PASSWORD) % {"where": params.get("where", "")}
        if params.get("reason") == NOT_SET_UP:
            return _(GUI_NOT_SET_UP)
    if message_id in (GUI_AUTH_FAILED, GUI_NO_PASSWORD, GUI_NOT_SET_UP):
        return _(message_id) % params
    return UserFacingError(message_id, **params).message()


def where_text(cfg: dict[str, Any] | None) -> str:
    if not cfg:
        return _("Sync is off.")
    if cfg.get("kind") == "folder":
        return _("Sync uses the folder %(path)s.") % {"path": cfg.get("path", "")}
    return _("Sync uses the server %(url)s as %(user)s.") % {"url": cfg.get("url", ""), "user": cfg.get("user", "")}


def _name(name: Any) -> str:
    from selfeval_app.exchange_views import pick

    return pick(name) or "—"


def _contact_name(contact: dict[str, Any]) -> str:
    if contact.get("own"):
        short = str(contact.get("identity", "")).replace("-", "")[:8].upper()
        return _("another laptop of this school (laptop %(id)s)") % {"id": short}
    return _name(contact.get("name"))


def short_line(info: dict[str, Any] | None, today: dt.date, *, running: bool = False) -> str:
    """One line for the status bar."""
    if running:
        return _("Syncing…")
    if info is None:
        return ""
    if not info.get("configured"):
        return _("Sync is off")
    if info.get("last_error") and (_parse(info["last_error"].get("at")) or dt.datetime.min.replace(tzinfo=dt.UTC)) >= (
        _parse(info.get("last_success")) or dt.datetime.min.replace(tzinfo=dt.UTC)
    ):
        return _("Sync failed: see Sharing")
    last = _parse(info.get("last_success"))
    if last is None:
        return _("Not synced yet")
    time, day = when_text(last, today)
    if day:
        return _("Last synced on %(date)s at %(time)s") % {"date": day, "time": time}
    return _("Last synced at %(time)s") % {"time": time}


def status_lines(info: dict[str, Any] | None, today: dt.date, *, running: bool = False) -> list[str]:
    """The whole state in words, for the Sharing page."""
    if info is None:
        return [_("Reading the sync state…")]
    cfg = info.get("configured")
    if not cfg:
        return [_(GUI_NOT_SET_UP)]
    lines = [where_text(cfg)]
    if running:
        lines.append(_("Syncing now…"))
    last = _parse(info.get("last_success"))
    if last is None:
        lines.append(_("Not synced yet."))
    else:
        time, day = when_text(last, today)
        if day:
            lines.append(_("Last synced on %(date)s at %(time)s.") % {"date": day, "time": time})
        else:
            lines.append(_("Last synced at %(time)s.") % {"time": time})
    error = info.get("last_error")
    if error:
        at = _parse(error.get("at"))
        if at is not None and (last is None or at >= last):
            time, day = when_text(at, today)
            when = _("%(date)s at %(time)s") % {"date": day, "time": time} if day else time
            lines.append(_("The last sync did not work (%(when)s): %(message)s") % {"when": when, "message": error_text(error)})
            next_try = _parse(info.get("next_try"))
            if next_try is not None:
                time, day = when_text(next_try, today)
                lines.append(_("It will try again by itself at %(time)s, or press Sync now.") % {"time": time})
    for contact in info.get("contacts", []):
        records, bundles = contact.get("records", 0), contact.get("bundles", 0)
        name = _contact_name(contact)
        visits = int(contact.get("visit_bundles") or 0)
        if visits:  # queued by a person (a visit's pack, or notes and findings for the host)
            lines.append(
                ngettext(
                    "%(count)d peer review visit bundle for %(name)s goes at the next sync, or waits for their receipt.",
                    "%(count)d peer review visit bundles for %(name)s go at the next sync, or wait for their receipt.",
                    visits,
                )
                % {"name": name, "count": visits}
            )
            if bundles == visits:
                continue
        if records:
            lines.append(
                ngettext(
                    "Waiting to reach %(name)s: %(count)d record not yet confirmed.",
                    "Waiting to reach %(name)s: %(count)d records not yet confirmed.",
                    records,
                )
                % {"name": name, "count": records}
            )
        elif bundles:
            lines.append(_("Waiting for %(name)s to confirm what was sent.") % {"name": name})
        else:
            lines.append(_("Everything shared has reached %(name)s.") % {"name": name})
    waiting = int(info.get("waiting_files") or 0)
    if waiting:
        lines.append(
            ngettext(
                "%(count)d file is not fully downloaded yet; it will be read on a later sync.",
                "%(count)d files are not fully downloaded yet; they will be read on a later sync.",
                waiting,
            )
            % {"count": waiting}
        )
    held = int(info.get("held") or 0)
    if held:
        lines.append(
            ngettext(
                "%(count)d bundle from another laptop of this school would delete many records and waits for a decision: see “Needs a decision”.",
                "%(count)d bundles from another laptop of this school would delete many records and wait for a decision: see “Needs a decision”.",
                held,
            )
            % {"count": held}
        )
    for refused in info.get("refused", []):
        lines.append(error_text(refused))
    return lines


# -- settings ----------------------------------------------------------------------------------


def test_folder(folder: str, data_dir: Path) -> str:
    """The settings' "Test" for a folder (off the writer): raises the core's error, else words."""
    from selfeval_app.exchange.transport import FOLDER_HOLDS_DATA, FOLDER_MISSING, SyncSetupError
    from selfeval_app.exchange.transport_folder import MARKER, _overlaps

    path = Path(folder).expanduser()
    if not folder.strip() or not path.is_dir():
        raise SyncSetupError(where=str(path), reason=FOLDER_MISSING)
    if _overlaps(path.resolve(), Path(data_dir).resolve()):
        raise SyncSetupError(where=str(path), reason=FOLDER_HOLDS_DATA)
    if (path / MARKER).is_file():
        return _("The folder can be reached, and it is already a sync folder.")
    return _("The folder can be reached. It becomes the sync folder when you save.")


def test_webdav(url: str, user: str, password: str) -> str:
    """The settings' "Test" for a server (off the writer): one PROPFIND with the password."""
    from selfeval_app.exchange.transport_webdav import WebDAVTransport, check_url

    transport = WebDAVTransport(check_url(url.strip()), user.strip(), password)
    try:
        transport.check()
    except UserFacingError as exc:
        if exc.message_id == AUTH_FAILED_ID:
            raise NeedsPassword(**exc.params) from exc
        raise
    finally:
        transport.close()
    return _("The server answered and took the user name and password.")


def kept_password(url: str, user: str) -> str:
    """The password the keyring keeps for this server and user ("" when none)."""
    from selfeval_app.exchange import sync_password

    return sync_password.get_password(url.strip().rstrip("/"), user.strip()) or ""


def prepare(kind: str, data_dir: Path, *, folder: str = "", url: str = "", user: str = "", password: str = "") -> dict[str, Any]:
    """Off the writer: check the place (mark a folder, one request to a server) and keep the
    password in the keyring. Returns the settings to save (`save_config`, on the writer) and
    whether the password could be kept."""
    if kind == "folder":
        from selfeval_app.exchange.transport_folder import prepare_folder

        test_folder(folder, data_dir)
        path = prepare_folder(Path(folder).expanduser(), Path(data_dir))
        return {"config": {"kind": "folder", "path": str(path)}, "kept": True}
    from selfeval_app.exchange import sync_password
    from selfeval_app.exchange.transport_webdav import check_url

    url, user = check_url(url.strip()), user.strip()
    test_webdav(url, user, password)
    kept = sync_password.store_password(url, user, password)
    return {"config": {"kind": "webdav", "url": url, "user": user}, "kept": kept}


def save_config(store: RecordStore, cfg: dict[str, Any] | None) -> None:
    """On the writer: keep the settings (None turns sync off; waiting bundles stay waiting)."""
    from selfeval_app.exchange import keys as keys_mod
    from selfeval_app.exchange import sync_state

    if cfg is not None:
        keys_mod.ensure_identity(store)
    with store.transaction():
        sync_state.save(store, "sync_config", cfg)
        if cfg is not None:  # a new place: the next automatic round is due at once
            state = sync_state.status(store)
            state.update(failures=0, next_try=None)
            sync_state.save(store, "sync_status", state)


def config(store: RecordStore) -> dict[str, Any] | None:
    from selfeval_app.exchange import sync_state

    return sync_state.config(store)


# -- one round ---------------------------------------------------------------------------------


def run_round(
    reader: RecordStore,
    write: Callable[[Callable[[RecordStore], Any]], Any],
    *,
    password: str | None = None,
    stop: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """One round, off the writer: reads through `reader`, writes through `write` (one writer job
    each). Returns the core's result with `status` (what the window shows next). A refused or
    missing password raises `NeedsPassword` (the window asks, then runs again with `password`)
    after it is stored as the last error; a password that worked is kept in the keyring."""
    from selfeval_app.exchange import keys as keys_mod
    from selfeval_app.exchange import sync_password, sync_round, sync_state
    from selfeval_app.exchange.sync_setup import NO_PASSWORD, SyncNotReady, transport_for

    cfg = sync_state.config(reader)
    if not cfg:
        raise SyncOff()
    keys = keys_mod.require_keys(Path(reader.db.data_dir))
    try:
        transport = transport_for(reader, password=password)
    except SyncNotReady as exc:
        if exc.params.get("reason") == NO_PASSWORD:
            raise PasswordMissing(where=cfg.get("url", "")) from exc
        raise
    try:
        result = sync_round.run_round(reader, keys, transport, write=write, stop=stop)
    finally:
        close = getattr(transport, "close", None)
        if close:
            close()
    if result["error_id"] == AUTH_FAILED_ID:
        raise NeedsPassword(where=cfg.get("url", ""))
    if result["ok"] and password and cfg.get("kind") == "webdav":
        sync_password.store_password(cfg["url"], cfg["user"], password)
    result["status"] = status(reader)
    return result
