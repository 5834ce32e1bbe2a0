"""What the Sharing page shows and does, as plain data (no Qt): our identity, contacts, the send
preview, a bundle written or imported with progress and cancel, the import report in words, and
the "Needs a decision" list with its decisions.

It stands on the exchange package (`exchange/`) and adds only what a screen needs on top of it;
the lead may fold parts of it into `exchange/`. Every function takes the worker's `RecordStore`.
Cancelling a bundle write removes the file before the ledger changes; cancelling an import
interrupts its one transaction (SQLite rolls it back), so either way nothing changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_app.core import record_types as rt
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.records import Record, RecordStore

Progress = Callable[[int, int], None]
#: How often (SQLite VM instructions, counted per statement) a running import looks at Cancel.
CANCEL_CHECK_EVERY = 500

ROLE_NAMES = {"school": N_("School"), "la": N_("Local authority"), "reviewer": N_("Peer reviewer")}
OWN_DEVICES = "own"  # the send target "our school's other laptops"


class SharingCancelled(UserFacingError):
    message_id = N_("Cancelled. Nothing was changed.")


class ConflictGone(UserFacingError):
    message_id = N_("This record has already been decided. Nothing was changed.")


class NotOursToDecide(UserFacingError):
    message_id = N_(
        "Only the owner of this record can decide between its versions. It stays as it is until "
        "they send a newer version. Nothing was changed."
    )


def role_name(role: str) -> str:
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def pick(text: Any, lang: str | None = None) -> str:
    """A bilingual {"cy","en"} text in `lang` (else the other language); plain text as it is."""
    if isinstance(text, dict):
        from selfeval_app.core.bilingual import text_or_other

        return text_or_other(text, lang or current_language())
    return "" if text is None else str(text)


# --- our identity and contacts -------------------------------------------------------------------


def _person(summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": summary["id"],
        "role": summary["role"],
        "name": summary["name"],
        "fingerprint": summary["fingerprint"],
        "example": summary["example"],
    }


def overview(store: RecordStore) -> dict[str, Any]:
    """Our identity (made on first use for a school), its devices, contacts, open conflicts."""
    from selfeval_app.exchange import apply, contacts, keys

    local = keys.ensure_identity(store)
    me = _person(keys.summary(local.card()))
    this_device = local.device.device_id
    me["devices"] = [
        {"device_id": d["device_id"], "removed": d["removed"], "this": d["device_id"] == this_device}
        for d in local.devices
    ]
    people = []
    for contact in contacts.all_contacts(store):
        person = _person(keys.summary(contact.card))
        person["devices"] = len(contact.active_devices)
        people.append(person)
    own_others = [d for d in local.devices if not d["removed"] and d["device_id"] != this_device]
    conflicts = apply.open_conflicts(store)
    for conflict in conflicts:
        conflict["decidable"] = _ours(store, conflict["local"].get("owner"))
    from selfeval_app.exchange import inbox, sync_state

    return {
        "me": me,
        "contacts": people,
        "own_devices": len(own_others),
        "conflicts": conflicts,
        "held": inbox.held(store),  # bundles of our other laptops deleting more than a tenth
        "sync_ready": sync_state.config(store) is not None,
    }


def confirm_held(store: RecordStore) -> int:
    """The head said yes to the deletions of the held bundles: applied on the next sync."""
    from selfeval_app.exchange import inbox

    return inbox.confirm_held(store)


def _ours(store: RecordStore, owner: str | None) -> bool:
    """True for a record of one of this installation's identities (only its owner decides)."""
    return owner in getattr(store, "identity_ids", {store.owner})


def read_card_summary(path: Path) -> dict[str, Any]:
    """The names, role and fingerprint of a key card file (checked; nothing stored)."""
    from selfeval_app.exchange import keys

    card = keys.read_card(Path(path))
    return _person(keys.summary(card))


class FingerprintMismatch(UserFacingError):
    message_id = N_(
        "The fingerprint you typed is not this key card's fingerprint. Check it again with the "
        "person who sent the card. Nothing was changed."
    )


def fingerprint_matches(typed: str, card_fingerprint: str) -> bool:
    from selfeval_app.exchange.keys import normalise_fingerprint

    return normalise_fingerprint(typed) == card_fingerprint


def add_contact(store: RecordStore, path: Path, typed_fingerprint: str) -> dict[str, Any]:
    from selfeval_app.exchange import contacts, keys

    local = keys.ensure_identity(store)
    card = keys.read_card(Path(path))
    if not fingerprint_matches(typed_fingerprint, keys.fingerprint(card)):
        raise FingerprintMismatch()
    contact = contacts.trust(store, local, card, typed_fingerprint, str(path))
    return _person(keys.summary(contact.card))


def remove_contact(store: RecordStore, identity_id: str) -> None:
    from selfeval_app.exchange import contacts

    contacts.remove(store, identity_id)


def remove_own_device(store: RecordStore, device_id: str) -> None:
    """A lost laptop of our school: nothing it signs is accepted from now on, and nothing still
    waiting in the outbox for it is sent."""
    from selfeval_app.exchange import keys, own_devices

    own_devices.remove_device(store, keys.ensure_identity(store), device_id)


def save_card(store: RecordStore, out: Path) -> str:
    from selfeval_app.exchange import keys

    return keys.fingerprint(keys.write_card(keys.ensure_identity(store), Path(out)))


# --- sending ------------------------------------------------------------------------------------


def record_title(rec: Record, lang: str | None = None) -> Any:
    """The text that names a record (bilingual dict or plain text); the type name if none."""
    t = rt.RECORD_TYPES.get(rec.get("type", ""))
    if t is not None and t.title_field and rec.get(t.title_field):
        return rec[t.title_field]
    if rec.get("type") == "evaluation" and rec.get("area_id"):
        from selfeval_app.core import framework

        area = framework.current_framework().area(rec["area_id"])
        if area is not None:
            return {lang_: f"{area.number} {area.title(lang_)}" for lang_ in ("cy", "en")}
    for name in ("title", "name", "description"):
        if rec.get(name):
            return rec[name]
    return None


@dataclass
class SendPreview:
    """Exactly what a bundle to one recipient will carry (the plan that is then written)."""

    recipient_id: str
    recipient_name: dict[str, str]
    contents: Any  # exchange.bundle_write.BundleContents
    rows: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row["type"]] = counts.get(row["type"], 0) + 1
        return dict(sorted(counts.items()))

    @property
    def empty(self) -> bool:
        return not self.rows and not self.withdrawn


def _recipient(store: RecordStore, local, recipient_id: str):
    from selfeval_app.exchange import contacts
    from selfeval_app.exchange.bundle_write import Recipient

    if recipient_id == OWN_DEVICES:
        return Recipient.own_devices(local), local.identity["name"]
    contact = contacts.get(store, recipient_id)
    if contact is None:
        raise KeyError(recipient_id)
    return Recipient.from_contact(contact), contact.card["identity"]["name"]


def preview_send(store: RecordStore, recipient_id: str) -> SendPreview:
    """Plan the bundle for a contact (or our other laptops) and list what will leave."""
    from selfeval_app.exchange import keys
    from selfeval_app.exchange.bundle_write import plan_bundle

    local = keys.ensure_identity(store)
    recipient, name = _recipient(store, local, recipient_id)
    contents = plan_bundle(store, local, recipient)
    preview = SendPreview(recipient_id, name, contents)
    for rec in contents.records:
        preview.rows.append(
            {"type": rec["type"], "id": rec["id"], "title": record_title(rec), "visibility": rec["visibility"]}
        )
    for tomb in contents.withdrawals:
        current = store.get(tomb["type"], tomb["id"], include_deleted=True)
        title = record_title(current) if current is not None and not current["deleted"] else None
        preview.withdrawn.append({"type": tomb["type"], "id": tomb["id"], "title": title})
    return preview


def _safe_file_part(text: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text).strip().rstrip(".")
    return re.sub(r"\s+", " ", cleaned)[:80] or "bundle"


def suggested_file_name(recipient_name: dict[str, str], date: str, lang: str | None = None) -> str:
    """A bundle's file name in the UI language, e.g. "Cofnodion ar gyfer Cyngor Sir Powys 2026-12-03"."""
    from selfeval_app.exchange.bundle_write import EXTENSION

    # Translators: the suggested file name of a bundle; %(recipient)s is the contact's name.
    # Avoid characters that file names cannot hold (/ \ : * ? " < > |).
    stem = _("Records for %(recipient)s %(date)s") % {"recipient": pick(recipient_name, lang), "date": date}
    return _safe_file_part(stem) + EXTENSION


class _CancellableStore:
    """The store as `write_bundle` sees it: its last step (the ledger's transaction) is refused
    once the person cancelled, so a cancelled bundle never counts as sent."""

    def __init__(self, store: RecordStore, is_cancelled: Callable[[], bool]):
        self._store = store
        self._is_cancelled = is_cancelled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def transaction(self):
        if self._is_cancelled():
            raise SharingCancelled()
        return self._store.transaction()


def write_previewed(
    store: RecordStore,
    preview: SendPreview,
    out: Path,
    *,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Write exactly the previewed bundle to `out`; the ledger changes only after the file is
    written. Cancelled before the ledger: the file is removed and nothing changed."""
    from selfeval_app.exchange import keys
    from selfeval_app.exchange.bundle_write import write_bundle

    report = progress or (lambda done, total: None)
    report(0, 2)
    if is_cancelled():
        raise SharingCancelled()
    local = keys.ensure_identity(store)
    recipient, _name = _recipient(store, local, preview.recipient_id)
    out = Path(out)
    try:
        manifest = write_bundle(
            _CancellableStore(store, is_cancelled), local, recipient, out, preview.contents  # type: ignore[arg-type]
        )
    except SharingCancelled:
        out.unlink(missing_ok=True)
        raise
    report(2, 2)
    return {"path": str(out), "bundle_id": manifest["bundle_id"], "counts": manifest["counts"]}


# --- importing ----------------------------------------------------------------------------------


def import_with_progress(
    store: RecordStore,
    path: Path,
    *,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Verify, then import all or nothing; cancel works until the transaction commits."""
    from selfeval_app.exchange import keys
    from selfeval_app.exchange.bundle_import import import_verified
    from selfeval_app.exchange.bundle_read import read_bundle

    report = progress or (lambda done, total: None)
    local = keys.ensure_identity(store)
    report(0, 2)
    bundle = read_bundle(store, local, Path(path), stop_if_imported=True)
    try:
        report(1, 2)
        if is_cancelled():
            raise SharingCancelled()
        interrupted = []

        def handler() -> int:
            if is_cancelled():
                interrupted.append(True)
                return 1
            return 0

        store.conn.set_progress_handler(handler, CANCEL_CHECK_EVERY)
        try:
            result = import_verified(store, bundle)
        except Exception:
            store.conn.set_progress_handler(None, 0)
            if interrupted and not _was_imported(store, bundle.bundle_id):
                raise SharingCancelled() from None
            raise
        finally:
            store.conn.set_progress_handler(None, 0)
    finally:
        bundle.close()
    report(2, 2)
    return result


def _was_imported(store: RecordStore, bundle_id: str) -> bool:
    return (
        store.conn.execute("SELECT 1 FROM exchange_import WHERE bundle_id = ?", (bundle_id,)).fetchone()
        is not None
    )


def report_lines(report: dict[str, Any]) -> list[str]:
    """The import report in words, in the current language."""
    if report.get("already_imported"):
        return [_("This bundle had already been imported. Nothing was changed.")]
    new, changed, withdrawn = len(report["new"]), len(report["changed"]), len(report["withdrawn"])
    conflicts, unchanged = len(report["conflicts"]), int(report["unchanged"])
    flagged = len(report.get("flagged", []))
    lines = [
        _("New records: %(n)d") % {"n": new},
        _("Changed records: %(n)d") % {"n": changed},
        _("Records already up to date: %(n)d")
        % {"n": unchanged},
        _("Records withdrawn by the sender: %(n)d")
        % {"n": withdrawn},
        _("Records that need a decision: %(n)d")
        % {"n": conflicts},
    ]
    if flagged:
        lines.append(
            _("Kept although deleted on another laptop: %(n)d")
            % {"n": flagged}
        )
    return lines


# --- needs a decision ---------------------------------------------------------------------------

FIELD_NAMES = {
    "title": N_("Title"),
    "name": N_("Name"),
    "narrative": N_("Narrative"),
    "statements": N_("Statements"),
    "summary": N_("Summary"),
    "description": N_("Description"),
    "rationale": N_("Rationale"),
    "strategy": N_("Strategy"),
    "lead": N_("Lead"),
    "status": N_("Status"),
    "date": N_("Date"),
    "due_date": N_("Due date"),
    "start_date": N_("Start date"),
    "expected_outcomes": N_("Targets and expected outcomes"),
    "visibility": N_("Sharing"),
    "deleted": N_("Deleted"),
}
LANGUAGE_NAMES = {"cy": N_("Welsh"), "en": N_("English")}
_NOT_COMPARED = frozenset({"id", "type", "owner", "rev", "base_rev", "updated_by", "created_at", "updated_at", "content_hash"})


def field_name(name: str) -> str:
    return _(FIELD_NAMES[name]) if name in FIELD_NAMES else name.replace("_", " ")


def value_text(value: Any) -> str:
    """A field's value for reading, both languages of a bilingual text shown."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict) and set(value) <= {"cy", "en"}:
        return "\n".join(f"{_(LANGUAGE_NAMES[k])}: {value.get(k) or '—'}" for k in ("cy", "en"))
    if isinstance(value, list):
        return "\n".join("• " + value_text(item.get("text", item) if isinstance(item, dict) else item) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def conflict_rows(conflict: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, this laptop's value, the other laptop's value) for each field that differs."""
    local, incoming = conflict["local"], conflict["incoming"]
    names = [k for k in dict.fromkeys([*local, *incoming]) if k not in _NOT_COMPARED]
    rows = []
    for name in names:
        a, b = local.get(name), incoming.get(name)
        if a != b:
            rows.append((field_name(name), value_text(a), value_text(b)))
    return rows


def keep_version(store: RecordStore, conflict_id: int, keep: str) -> Record:
    """Decide a conflict (`exchange.apply.resolve_conflict`): the kept version becomes a new
    version by this laptop, with a rev above both, so every laptop of the school takes it as an
    ordinary edit. Returns the record as it now is."""
    from selfeval_app.exchange import apply

    row = store.conn.execute("SELECT type, record_id FROM exchange_conflict WHERE id = ?", (conflict_id,)).fetchone()
    try:
        apply.resolve_conflict(store, conflict_id, keep)
    except KeyError:
        raise ConflictGone() from None
    except PermissionError:
        raise NotOursToDecide() from None
    return store.get(row[0], row[1])
