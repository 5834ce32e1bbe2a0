"""What the host's Peer review page shows and does, as plain data (no Qt): the visits and their
findings, the team's reviewer contacts, the records a host may choose for a visit, the preview
of exactly what a reviewer's pack holds, and the pack written in three steps (read from the
database on the writer, sealed off it, noted in the ledger on the writer).

It stands on `core/peer_review.py`, `core/peer_review_host.py` and `exchange/visit_bundle.py`,
as `exchange_views.py` does for the Sharing page. Every function that reads takes the worker's
`RecordStore`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval_app.core import peer_review
from selfeval_app.core import peer_review_host as host
from selfeval_app.core import record_types as rt
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.records import Record, RecordStore
from selfeval_app.exchange_views import pick, record_title

VISIT_KIND_NAMES = {
    "peer_review": N_("Peer review"),
    "peer_enquiry": N_("Peer enquiry"),
    "cluster_visit": N_("Cluster visit"),
    "other": N_("Other visit"),
}  # the words of reports/peer_review.py (which imports reportlab, so is not imported here)
VISIT_STATUS_NAMES = {
    "draft": N_("Draft"),
    "pack_sent": N_("Pack sent"),
    "visit": N_("Visit under way"),
    "fact_check": N_("Report in fact-check"),
    "agreed": N_("Agreed"),
    "closed": N_("Closed"),
}
ROLE_NAMES = {"lead": N_("Lead reviewer"), "reviewer": N_("Reviewer"), "link_leader": N_("Host's link leader")}
RESPONSE_NAMES = {"agree": N_("Agree"), "correction": N_("Correction"), "comment": N_("Comment")}
FINDING_PARTS = (
    ("strengths", N_("Strengths")),
    ("areas_for_development", N_("Areas for development")),
    ("practice_worth_sharing", N_("Practice worth sharing")),
    ("lines_of_enquiry", N_("Lines of further enquiry")),
)
assert tuple(VISIT_KIND_NAMES) == rt.VISIT_KINDS and tuple(VISIT_STATUS_NAMES) == rt.VISIT_STATUSES
assert tuple(ROLE_NAMES) == rt.VISIT_ROLES and tuple(RESPONSE_NAMES) == rt.RESPONSE_KINDS


def word(names: dict[str, str], key: str | None) -> str:
    return _(names[key]) if key in names else (key or "")


class NoReviewerYet(UserFacingError):
    message_id = N_(
        "No reviewer of this visit is a trusted contact yet. Add the reviewer's key card on the "
        "Sharing page, then choose them in the visit's team. Nothing was written."
    )


class PackNotSent(UserFacingError):
    message_id = N_("Only the host sends a visit's pack. Nothing was written.")


# -- visits and findings ---------------------------------------------------------------------


def visits(store: RecordStore) -> list[dict[str, Any]]:
    """Every visit held here, ours first, each with its counts."""
    own = store.identity_ids
    rows = []
    for v in peer_review.list_visits(store):
        rec = store.require("review_visit", v.id)
        rows.append(
            {
                "id": v.id,
                "host_name": v.host_name,
                "kind": v.kind,
                "status": v.status,
                "start_date": v.start_date,
                "end_date": rec.get("end_date"),
                "follow_up": rec.get("follow_up"),
                "findings": v.findings,
                "ours": v.host_owner in own,
            }
        )
    rows.sort(key=lambda r: (not r["ours"], r["start_date"] or "", r["id"]))
    return rows


def _question_texts(visit: Record) -> dict[str, dict[str, str]]:
    return {q["id"]: q.get("text") or {} for q in visit.get("questions") or [] if isinstance(q, dict) and q.get("id")}


def visit_detail(store: RecordStore, visit_id: str) -> dict[str, Any]:
    """A visit with its findings (the reviewers', read-only here), our response to each and the
    action made from it, and the agreed copy when we hold it."""
    visit = peer_review.get_visit(store, visit_id)
    questions = _question_texts(visit)
    responses = {r["finding_id"]: r for r in peer_review.responses_of(store, visit_id) if store.is_own(r)}
    findings = []
    for f in peer_review.findings_of(store, visit_id):
        response = responses.get(f["id"])
        action = None
        if response and response.get("action_id"):
            action = store.get("action", response["action_id"])
        findings.append(
            {
                "id": f["id"],
                "record": f,
                "question": questions.get(f.get("question_id") or "", {}),
                "authors": [a for a in f.get("authors") or [] if isinstance(a, str)],
                "ours": store.is_own(f),
                "agreed": bool(f.get("agreed")),
                "agreed_on": f.get("agreed_on"),
                "response": response,
                "action": action,
            }
        )
    return {
        "visit": visit,
        "ours": store.is_own(visit),
        "findings": findings,
        "report": peer_review.report_of(store, visit_id),
        "summary": host.summary_of(store, visit_id),
    }


def finding_text(finding: dict[str, Any], lang: str | None = None) -> str:
    """A finding's four parts and its authors, for reading (in the language shown)."""
    rec = finding["record"]
    lines = []
    for name, label in FINDING_PARTS:
        text = pick(rec.get(name), lang)
        if text:
            lines.append(f"{_(label)}: {text}")
    if finding["authors"]:
        lines.append(_("Written by the reviewers: %(names)s") % {"names": ", ".join(finding["authors"])})
    return "\n".join(lines)


# -- the team and the questions' links -------------------------------------------------------------


def reviewer_contacts(store: RecordStore) -> list[dict[str, Any]]:
    """Trusted contacts of role reviewer: those a visit's team may name as reviewers."""
    from selfeval_app.exchange import contacts

    out = []
    for c in contacts.all_contacts(store):
        if c.role == "reviewer" and c.active_devices:
            out.append({"identity_id": c.identity_id, "name": c.card["identity"]["name"], "fingerprint": c.fingerprint})
    return out


def link_choices(store: RecordStore, year: int) -> dict[str, list[tuple[str, Any]]]:
    """What a question may be linked to: areas (the framework's and our own), this year's
    evaluation statements, priorities; (id, bilingual or plain name) each."""
    from selfeval_app.core import framework

    areas: list[tuple[str, Any]] = []
    for a in framework.current_framework().areas:
        areas.append((a.id, {lang: f"{a.number} {a.title(lang)}" for lang in rt.LANGS}))
    for a in store.list("area", order_by="code, id"):
        areas.append((a["id"], a.get("title") or {}))
    statements: list[tuple[str, Any]] = []
    for ev in store.list("evaluation", where="academic_year = ?", params=(year,)):
        for s in ev.get("statements") or []:
            if isinstance(s, dict) and s.get("id"):
                statements.append((s["id"], s.get("text") or {}))
    priorities = [(p["id"], p.get("title") or {}) for p in store.list("priority", order_by="position, created_at")]
    return {"areas": areas, "statements": statements, "priorities": priorities}


def save_visit(store: RecordStore, visit_id: str | None, raw: dict[str, Any], base_rev: int | None = None) -> Record:
    ids = [c["identity_id"] for c in reviewer_contacts(store)]
    return host.save_visit(store, visit_id, raw, base_rev=base_rev, reviewer_ids=ids)


def plan_targets(store: RecordStore) -> dict[str, Any]:
    """For "Add to our plan": our plans and priorities, newest plan first."""
    plans = [p for p in store.list("plan", order_by="start_year DESC, created_at DESC") if store.is_own(p)]
    priorities = [p for p in store.list("priority", order_by="position, created_at") if store.is_own(p)]
    return {"plans": plans, "priorities": priorities}


# -- what the reviewers may see ---------------------------------------------------------------------


def choosable(store: RecordStore, visit_id: str) -> list[dict[str, Any]]:
    rows = host.choosable_records(store, visit_id)
    for row in rows:
        row["title"] = record_title(row["record"])
        del row["record"]
    return rows


@dataclass
class PackPreview:
    """Exactly what the pack to one reviewer holds (`exchange.visit_bundle.plan_visit_bundle`)."""

    visit_id: str
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


def pack_preview(store: RecordStore, visit_id: str, recipient_id: str) -> PackPreview:
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.bundle_write import Recipient
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    local = keys.ensure_identity(store)
    visit = peer_review.get_visit(store, visit_id)
    if visit["owner"] != local.identity_id:
        raise PackNotSent()
    contact = contacts.get(store, recipient_id)
    if contact is None:
        raise NoReviewerYet()
    contents = plan_visit_bundle(store, local, Recipient.from_contact(contact), visit_id)
    chosen = set(visit.get("shared_record_ids") or [])
    preview = PackPreview(visit_id, recipient_id, contact.card["identity"]["name"], contents)
    for rec in contents.records:
        why = "visit" if rec["type"] in rt.PEER_REVIEW_TYPES else ("chosen" if rec["id"] in chosen else "shared")
        preview.rows.append({"type": rec["type"], "id": rec["id"], "title": record_title(rec), "visibility": rec["visibility"], "why": why})
    for tomb in contents.withdrawals:
        current = store.get(tomb["type"], tomb["id"], include_deleted=True)
        title = record_title(current) if current is not None and not current["deleted"] else None
        preview.withdrawn.append({"type": tomb["type"], "id": tomb["id"], "title": title})
    return preview


def team_reviewers(visit: Record) -> list[dict[str, Any]]:
    return [m for m in visit.get("team") or [] if isinstance(m, dict) and m.get("role") in ("lead", "reviewer") and m.get("identity_id")]


@dataclass
class PreparedPack:
    keys: Any
    prepared: Any  # exchange.bundle_write.PreparedBundle
    visit_id: str


def prepare_pack(store: RecordStore, preview: PackPreview) -> PreparedPack:
    """On the writer: exactly the previewed contents, with the manifest read from the database."""
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.bundle_write import Recipient, prepare_bundle

    local = keys.ensure_identity(store)
    contact = contacts.get(store, preview.recipient_id)
    if contact is None:
        raise NoReviewerYet()
    return PreparedPack(local, prepare_bundle(store, local, Recipient.from_contact(contact), preview.contents), preview.visit_id)


def seal_pack(pack: PreparedPack, out: Path) -> dict[str, Any]:
    """Off the writer: sign, pack and encrypt (no database)."""
    from selfeval_app.exchange.bundle_write import seal_bundle

    return seal_bundle(pack.keys, pack.prepared, Path(out))


def note_pack_sent(store: RecordStore, pack: PreparedPack, manifest: dict[str, Any]) -> Record:
    """On the writer: the ledger notes what went; a draft visit becomes "pack sent"."""
    from selfeval_app.exchange.bundle_write import note_prepared_sent

    with store.transaction():
        note_prepared_sent(store, pack.prepared, manifest)
        visit = peer_review.get_visit(store, pack.visit_id)
        if visit["status"] == "draft":
            visit = host.set_status(store, pack.visit_id, "pack_sent")
    return visit


def suggested_pack_name(recipient_name: dict[str, str], date: str, lang: str | None = None) -> str:
    from selfeval_app.exchange.bundle_write import EXTENSION
    from selfeval_app.exchange_views import _safe_file_part

    # Translators: the suggested file name of a visit's pack; avoid / \ : * ? " < > |.
    stem = _("Visit pack for %(recipient)s %(date)s") % {"recipient": pick(recipient_name, lang), "date": date}
    return _safe_file_part(stem) + EXTENSION


# -- the pack by sync (the shared folder or WebDAV of `selfeval sync`, when it is set up) ------------


def sync_ready(store: RecordStore) -> bool:
    from selfeval_app.exchange import sync_state

    return bool(sync_state.config(store))


def sync_outbox_folder(store: RecordStore) -> Path:
    from selfeval_app.exchange.outbox import outbox_dir

    return outbox_dir(store)


def seal_pack_for_sync(pack: PreparedPack, folder: Path) -> tuple[dict[str, Any], str]:
    """Off the writer: seal the pack into the sync outbox folder under its bundle id's name
    (the name the reviewer's sync reads and answers with a receipt)."""
    import os
    import tempfile

    from selfeval_app.exchange.transport import BUNDLE_SUFFIX

    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".new-", suffix=BUNDLE_SUFFIX, dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        manifest = seal_pack(pack, tmp)
        name = manifest["bundle_id"] + BUNDLE_SUFFIX
        tmp.replace(folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest, name


def queue_pack_for_sync(store: RecordStore, pack: PreparedPack, manifest: dict[str, Any], name: str) -> Record:
    """On the writer: the sealed pack waits in the sync outbox like sync's own bundles; the next
    sync round puts it in the reviewer's inbox, and the ledger notes it only when the reviewer's
    signed receipt comes back (exchange/outbox.py). A draft visit becomes "pack sent"."""
    from selfeval_app.exchange import outbox
    from selfeval_app.exchange.visit_bundle import save_entry

    prepared = pack.prepared
    [to] = manifest["recipients"]
    entry = {
        "bundle_id": manifest["bundle_id"],
        "contact": prepared.recipient_id,
        "name": name,
        "seq_to": prepared.seq_to,
        "created_at": manifest["created_at"],
        "versions": outbox.pending_versions(prepared.contents),
        "devices": sorted(to["devices"]),  # each receipts it
        "visit": pack.visit_id,  # a stream of its own (exchange/visit_bundle.py)
        "identity": pack.keys.identity_id,
    }
    with store.transaction():
        save_entry(store, entry)
        visit = peer_review.get_visit(store, pack.visit_id)
        if visit["status"] == "draft":
            visit = host.set_status(store, pack.visit_id, "pack_sent")
    return visit
