"""Editing evaluations (issue 4): which areas and years there are, saving an area's evaluation for a
year as the head types, linking evidence to its statements, and counting that evidence.

No Qt here: the evaluation page calls these from its database worker (writes) or with the main
thread's read-only store (reads), and tests call them directly.

Saving while typing: `SaveChain` carries the evaluation's id and rev from one autosave to the next
on the worker, so several saves may be queued behind each other (the next one's `base_rev` is the
rev the previous one made) without the page waiting for any of them. The first save creates the
evaluation (area, year, framework and its version); a second evaluation for the same area and year
is never made: if one appeared meanwhile, that is a conflict.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from selfeval_app.core import framework
from selfeval_app.core.bilingual import text_or_other
from selfeval_app.core.errors import ConflictError
from selfeval_app.core.owner_sql import and_owner
from selfeval_app.core.plan_years import year_label  # noqa: F401 - re-exported for the pages
from selfeval_app.core.records import Record, RecordStore

STATEMENT_KINDS = ("strength", "development", "next_step")


bitext_in = text_or_other  # the text in `lang`, else the other language's (titles, previews)


# -- areas and years ----------------------------------------------------------------------


@dataclass(frozen=True)
class AreaChoice:
    """An area an evaluation can be written for: one of the framework's or the school's own."""

    id: str
    code: str
    title: dict[str, str]
    prompts: tuple[dict[str, str], ...]  # {"id", "cy", "en"}
    own: bool = False

    def label(self, lang: str) -> str:
        title = bitext_in(self.title, lang)
        return f"{self.code} {title}" if self.code else title


def area_choices(store: RecordStore, lang: str) -> list[AreaChoice]:
    """The current framework's areas in their order, then the school's own areas in the language's
    alphabetical order."""
    fw = framework.current_framework()
    choices = [
        AreaChoice(
            a.id,
            str(a.number),
            {"cy": a.title("cy"), "en": a.title("en")},
            tuple({"id": p.id, "cy": p.text("cy"), "en": p.text("en")} for p in a.prompts),
        )
        for a in fw.areas
    ]
    own = store.list("area", order_by=f"sort_{'cy' if lang == 'cy' else 'en'}, id")
    for rec in own:
        prompts = tuple(
            {"id": p.get("id", ""), "cy": p.get("cy", ""), "en": p.get("en", "")}
            for p in (rec.get("prompts") or [])
            if isinstance(p, dict)
        )
        choices.append(AreaChoice(rec["id"], rec.get("code") or "", rec["title"], prompts, own=True))
    return choices


def evaluation_years(store: RecordStore, current_year: int) -> list[int]:
    """Academic years that have evaluations, and the current one; newest first."""
    mine, params = and_owner(store, "evaluation")
    rows = store.conn.execute(
        'SELECT DISTINCT academic_year FROM "evaluation" WHERE deleted = 0' + mine, params
    ).fetchall()
    return sorted({r[0] for r in rows if r[0] is not None} | {current_year}, reverse=True)


def year_has_evaluations(store: RecordStore, year: int) -> bool:
    mine, params = and_owner(store, "evaluation")
    row = store.conn.execute(
        'SELECT 1 FROM "evaluation" WHERE deleted = 0 AND academic_year = ?' + mine + " LIMIT 1", (year, *params)
    ).fetchone()
    return row is not None


def can_start_year_from_previous(store: RecordStore, year: int) -> bool:
    """True when `year` has no evaluations yet and the year before has some to copy."""
    return not year_has_evaluations(store, year) and year_has_evaluations(store, year - 1)


def find_evaluation(store: RecordStore, area_id: str, year: int) -> Record | None:
    rows = store.list(
        "evaluation", where="area_id = ? AND academic_year = ?", params=(area_id, year), limit=1
    )
    return rows[0] if rows else None


# -- statements -----------------------------------------------------------------------------


def new_statement(kind: str, text: dict[str, str] | None = None) -> dict[str, Any]:
    if kind not in STATEMENT_KINDS:
        raise ValueError(f"unknown statement kind {kind!r}")
    return {"id": str(uuid.uuid4()), "kind": kind, "text": {"cy": "", "en": ""} | (text or {})}


def statements_by_kind(statements: list[dict] | None) -> dict[str, list[dict]]:
    """Statements grouped by kind, each group in its stored order (unknown kinds are kept last,
    under "other", so nothing is dropped)."""
    groups: dict[str, list[dict]] = {k: [] for k in STATEMENT_KINDS}
    for s in statements or []:
        if isinstance(s, dict):
            kind = s.get("kind")
            groups.setdefault(kind if isinstance(kind, str) and kind in STATEMENT_KINDS else "other", []).append(s)
    return groups


# -- saving while typing ----------------------------------------------------------------------


@dataclass
class SaveChain:
    """One evaluation's saves, queued on the worker one behind another.

    `record_id`/`rev` are what the last save made (None before the record exists); `session` is
    the editing session (one history version each); `failed` stops the queued saves after a
    conflict, so nothing is written over the other version."""

    area_id: str
    year: int
    record_id: str | None = None
    rev: int | None = None
    session: str = field(default_factory=lambda: f"edit-{uuid.uuid4()}")
    failed: bool = False

    @classmethod
    def for_record(cls, area_id: str, year: int, record: Record | None) -> SaveChain:
        if record is None:
            return cls(area_id, year)
        return cls(area_id, year, record["id"], record["rev"])


def begin_editing(store: RecordStore, chain: SaveChain, session: str | None = None) -> None:
    """At the first keystroke of an editing session (on the worker): keep the version the session
    replaces in history now, so the autosaves that follow write only the record."""
    if chain.record_id is not None and not chain.failed:
        store.begin_session("evaluation", chain.record_id, session or chain.session)


def save_evaluation(
    store: RecordStore,
    chain: SaveChain,
    values: dict[str, Any],
    *,
    session: str | None = None,
    visibility: str | None = None,
) -> Record:
    """Save `values` (narrative, statements) for the chain's area and year: create the evaluation
    on the first save, update it after that on the rev the previous save made. Raises
    ConflictError when someone else changed (or created) it meanwhile; later saves of the chain
    then raise at once. `session` (default: the chain's) is the editing session the page had
    when it asked for this save."""
    session = session or chain.session
    if chain.failed:
        raise ConflictError()
    try:
        if chain.record_id is None:
            if find_evaluation(store, chain.area_id, chain.year) is not None:
                raise ConflictError()
            fw = framework.current_framework()
            rec = store.create(
                "evaluation",
                {
                    "area_id": chain.area_id,
                    "academic_year": chain.year,
                    "framework_id": fw.id,
                    "framework_version": fw.version,
                    **values,
                },
                visibility=visibility,
                session=session,
            )
        else:
            rec = store.update_change(
                "evaluation",
                chain.record_id,
                values,
                base_rev=chain.rev,
                session=session,
                visibility=visibility,
            ).written()
    except ConflictError:
        chain.failed = True
        raise
    chain.record_id, chain.rev = rec["id"], rec["rev"]
    return rec


def flush_search(store: RecordStore) -> None:
    """Bring the search index up to date after saves (the save is committed already; a failure
    here only delays indexing until the next time)."""
    try:
        store.flush_search_index()
    except Exception:  # noqa: BLE001 - indexing is redone later from the change log
        import logging

        logging.getLogger(__name__).warning("search index catch-up failed", exc_info=True)


# -- evidence behind statements -------------------------------------------------------------------


def statement_evidence_counts(store: RecordStore, statement_ids: list[str]) -> dict[str, int]:
    """How many (not deleted) pieces of evidence link to each statement."""
    counts = dict.fromkeys(statement_ids, 0)
    if not statement_ids:
        return counts
    marks = ", ".join("?" for _ in statement_ids)
    mine, params = and_owner(store, "evidence", column="e.owner")
    rows = store.conn.execute(
        f'SELECT s.value, count(*) FROM "evidence" AS e, json_each(e.statement_ids) AS s '
        f"WHERE e.deleted = 0 AND s.value IN ({marks}){mine} GROUP BY s.value",
        [*statement_ids, *params],
    ).fetchall()
    for sid, n in rows:
        counts[sid] = n
    return counts


@dataclass(frozen=True)
class EvidenceChoice:
    id: str
    title: dict[str, str]
    date: str
    kind: str
    linked: bool


def evidence_choices(store: RecordStore, statement_id: str, lang: str) -> list[EvidenceChoice]:
    """Every piece of evidence (newest first, then by title in the language's order), with whether
    it links to the statement. Reads only the few columns a chooser shows."""
    order = "sort_cy" if lang == "cy" else "sort_en"
    mine, params = and_owner(store, "evidence")
    rows = store.conn.execute(
        f'SELECT id, title_cy, title_en, date, kind, EXISTS (SELECT 1 FROM json_each(statement_ids) '
        f'WHERE value = ?) FROM "evidence" WHERE deleted = 0{mine} ORDER BY date DESC, {order}, id',
        (statement_id, *params),
    ).fetchall()
    return [
        EvidenceChoice(r[0], {"cy": r[1] or "", "en": r[2] or ""}, r[3] or "", r[4] or "", bool(r[5]))
        for r in rows
    ]


def link_evidence(
    store: RecordStore,
    statement_id: str,
    area_id: str,
    link: list[str],
    unlink: list[str],
) -> int:
    """Link evidence to a statement (and to its area) and unlink other evidence from it. The links live on the evidence records (DESIGN §4). Unlinking leaves the area
    link alone: the evidence may back the area for other reasons. Each evidence record is saved on
    its own (a failure part-way leaves the earlier links saved, never a half-saved record).
    Returns how many records changed."""
    changed = 0
    for eid in link:
        rec = store.require("evidence", eid)
        statements = list(rec["statement_ids"] or [])
        areas = list(rec["area_ids"] or [])
        if statement_id in statements and area_id in areas:
            continue
        store.update(
            "evidence",
            eid,
            {
                "statement_ids": statements + ([statement_id] if statement_id not in statements else []),
                "area_ids": areas + ([area_id] if area_id not in areas else []),
            },
        )
        changed += 1
    for eid in unlink:
        rec = store.require("evidence", eid)
        statements = list(rec["statement_ids"] or [])
        if statement_id not in statements:
            continue
        store.update("evidence", eid, {"statement_ids": [s for s in statements if s != statement_id]})
        changed += 1
    return changed


def matches_filter(choice: EvidenceChoice, words: list[str], kind_name: str) -> bool:
    """True when every word (folded) is in the title (either language), the date or the kind."""
    if not words:
        return True
    hay = fold(" ".join([choice.title.get("cy", ""), choice.title.get("en", ""), choice.date, kind_name]))
    return all(w in hay for w in words)


def fold(text: str) -> str:
    """Case- and accent-folded text for filtering (ŵ matches w, Tŷ matches ty)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
