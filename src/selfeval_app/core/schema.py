"""The database schema and its migrations (sqlite-utils migrations, DESIGN §5).

Each migration is frozen once released: later changes add a new migration, never edit an old one.
The names of applied migrations are recorded in `_sqlite_migrations`; a database holding a name
this version does not know was written by a newer app and is refused (see `database.py`).
`PRAGMA user_version` mirrors the number of applied migrations for tools that only look there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

MIGRATION_SET = "selfeval"
MIGRATIONS_TABLE = "_sqlite_migrations"

COMMON_COLUMNS = (
    '"id" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "updated_by" TEXT NOT NULL, '
    '"rev" INTEGER NOT NULL, "base_rev" INTEGER, "content_hash" TEXT NOT NULL, '
    '"created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL, '
    '"deleted" INTEGER NOT NULL DEFAULT 0, "visibility" TEXT NOT NULL DEFAULT \'private\', '
    '"extra" TEXT, "edit_session" TEXT'
)

# Type-specific columns as first released (migration 0001). Frozen: do not edit.
_TABLES_0001 = {
    "school": "name_cy TEXT, name_en TEXT, la_code INTEGER, establishment_number TEXT, cluster TEXT, phase TEXT, language_category TEXT, writes_in TEXT, is_example INTEGER, sort_cy TEXT, sort_en TEXT",
    "plan": "title_cy TEXT, title_en TEXT, start_year INTEGER, approved_on TEXT, revisions TEXT, strategy_cy TEXT, strategy_en TEXT, targets_review_cy TEXT, targets_review_en TEXT, sort_cy TEXT, sort_en TEXT",
    "area": "code TEXT, title_cy TEXT, title_en TEXT, description_cy TEXT, description_en TEXT, prompts TEXT, sort_cy TEXT, sort_en TEXT",
    "evaluation": "area_id TEXT, academic_year INTEGER, framework_id TEXT, framework_version TEXT, narrative_cy TEXT, narrative_en TEXT, statements TEXT, copied_from TEXT",
    "evidence": "date TEXT, kind TEXT, title_cy TEXT, title_en TEXT, summary_cy TEXT, summary_en TEXT, area_ids TEXT, statement_ids TEXT, priority_ids TEXT, national_priority_ids TEXT, sort_cy TEXT, sort_en TEXT",
    "attachment": "name TEXT, size INTEGER, sha256 TEXT, media_type TEXT, attached_to TEXT, sort_cy TEXT, sort_en TEXT",
    "priority": "plan_id TEXT, title_cy TEXT, title_en TEXT, rationale_cy TEXT, rationale_en TEXT, area_ids TEXT, statement_ids TEXT, evidence_ids TEXT, national_priority_ids TEXT, lead TEXT, start_year INTEGER, end_year INTEGER, expected_outcomes_cy TEXT, expected_outcomes_en TEXT, strategy_cy TEXT, strategy_en TEXT, professional_learning_cy TEXT, professional_learning_en TEXT, community_work_cy TEXT, community_work_en TEXT, resources_cy TEXT, resources_en TEXT, position INTEGER, origin_id TEXT, year_end TEXT, sort_cy TEXT, sort_en TEXT",
    "action": "priority_id TEXT, description_cy TEXT, description_en TEXT, lead TEXT, start_date TEXT, due_date TEXT, status TEXT, cost_pence INTEGER, committed_pence INTEGER, funding_source TEXT, sort_cy TEXT, sort_en TEXT",
    "success_criterion": "priority_id TEXT, description_cy TEXT, description_en TEXT, baseline REAL, target REAL, actual REAL, unit TEXT, status TEXT, sort_cy TEXT, sort_en TEXT",
    "progress_review": "priority_id TEXT, date TEXT, academic_year INTEGER, term TEXT, rag TEXT, commentary_cy TEXT, commentary_en TEXT, evidence_ids TEXT",
    "indicator": "title_cy TEXT, title_en TEXT, description_cy TEXT, description_en TEXT, unit TEXT, values TEXT, transition_point TEXT, priority_ids TEXT, area_ids TEXT, sort_cy TEXT, sort_en TEXT",
    "report_issue": "kind TEXT, academic_year INTEGER, term TEXT, language TEXT, sections TEXT, sources TEXT, pdf_sha256 TEXT, issued_on TEXT",
}

# Indexes for the lists the app shows (frozen with 0001).
_INDEXES_0001 = [
    ("evidence", "date"),
    ("evidence", "sort_cy"),
    ("evidence", "sort_en"),
    ("evaluation", "area_id, academic_year"),
    ("priority", "plan_id"),
    ("action", "priority_id"),
    ("action", "due_date"),
    ("success_criterion", "priority_id"),
    ("progress_review", "priority_id, date"),
    ("attachment", "attached_to"),
    ("attachment", "sha256"),
    ("area", "sort_cy"),
    ("area", "sort_en"),
    ("priority", "sort_cy"),
    ("priority", "sort_en"),
    ("indicator", "sort_cy"),
    ("indicator", "sort_en"),
]


def _quoted_columns(spec: str) -> str:
    parts = []
    for col in spec.split(", "):
        name, sqltype = col.split(" ")
        parts.append(f'"{name}" {sqltype}')
    return ", ".join(parts)


def _migration_0001_initial(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    for table, spec in _TABLES_0001.items():
        conn.execute(f'CREATE TABLE "{table}" ({COMMON_COLUMNS}, {_quoted_columns(spec)})')
    for table, cols in _INDEXES_0001:
        name = f"idx_{table}_{cols.replace(', ', '_')}"
        quoted = ", ".join(f'"{c}"' for c in cols.split(", "))
        conn.execute(f'CREATE INDEX "{name}" ON "{table}" ({quoted})')
    # change_log rows are never deleted, so a plain INTEGER PRIMARY KEY never reuses a seq (and
    # saves the sqlite_sequence write AUTOINCREMENT costs on every save). A restore carries the
    # sequence forward with an "_epoch" marker row (see backup.restore).
    conn.execute(
        "CREATE TABLE change_log (seq INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, "
        "record_id TEXT NOT NULL, type TEXT NOT NULL, rev INTEGER NOT NULL, changed_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE history (record_id TEXT NOT NULL, rev INTEGER NOT NULL, "
        "type TEXT NOT NULL, session TEXT, saved_at TEXT NOT NULL, "
        "updated_by TEXT NOT NULL, content TEXT NOT NULL, PRIMARY KEY (record_id, rev)) WITHOUT ROWID"
    )
    # history: earlier versions, one b-tree keyed by (record, rev of the version kept), so keeping
    # a version writes one page, not a row and an index entry.
    # The search index: one row per record and language; search_docs maps FTS rowids to records
    # so a save replaces its rows by rowid instead of scanning the index.
    conn.execute(
        "CREATE TABLE search_docs (rowid INTEGER PRIMARY KEY, record_id TEXT NOT NULL, "
        "type TEXT NOT NULL, lang TEXT NOT NULL, UNIQUE (record_id, lang))"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(title, body, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    # The index is brought up to date from the change log (meta "search_indexed_seq"), in a
    # transaction of its own after saves: a save commits few pages, and a crash in between loses
    # nothing because the change log entry is committed with the save.


def _migration_0003_exchange(conn: sqlite3.Connection) -> None:
    """Exchange state (DESIGN §11): trusted contacts, what was received from which device, import
    reports and versions that need a person's decision (what was sent to whom is `share_ledger`)."""
    conn.execute(
        "CREATE TABLE exchange_contact (identity_id TEXT PRIMARY KEY, role TEXT NOT NULL, "
        "fingerprint TEXT NOT NULL UNIQUE, card TEXT NOT NULL, is_example INTEGER NOT NULL, "
        "trusted_at TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE exchange_removed_device (identity_id TEXT NOT NULL, device_id TEXT NOT NULL, "
        "removed_at TEXT NOT NULL, PRIMARY KEY (identity_id, device_id))"
    )
    conn.execute(
        "CREATE TABLE exchange_received (device_id TEXT PRIMARY KEY, identity_id TEXT NOT NULL, "
        "last_seq INTEGER NOT NULL, last_bundle_id TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE exchange_import (bundle_id TEXT PRIMARY KEY, imported_at TEXT NOT NULL, "
        "sender_identity TEXT NOT NULL, sender_device TEXT NOT NULL, report TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE exchange_conflict (id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, "
        "type TEXT NOT NULL, kind TEXT NOT NULL, local TEXT NOT NULL, incoming TEXT NOT NULL, "
        "bundle_id TEXT NOT NULL, created_at TEXT NOT NULL, resolved_at TEXT, resolution TEXT)"
    )


def _migration_0002_records_travel(conn: sqlite3.Connection) -> None:
    """Records that can travel (issue 10): identities, the share ledger, the school's default
    visibility, and every content hash recomputed as version 2 (RFC 8785, `core/content_hash.py`).

    The hashes are computed from the columns the rows have now; a field added by a later
    migration is empty here, and empty fields are not part of a v2 hash, so this stays right."""
    conn.execute(
        "CREATE TABLE identity (id TEXT PRIMARY KEY, role TEXT NOT NULL "
        "CHECK (role IN ('school', 'reviewer', 'la')), name_cy TEXT NOT NULL DEFAULT '', "
        "name_en TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)"
    )
    # One row per recipient and record: the last version sent (rev, visibility, and whether it
    # was a withdrawal). A purge leaves the record's bare tombstone, so its rows stay usable.
    conn.execute(
        "CREATE TABLE share_ledger (recipient_id TEXT NOT NULL, record_id TEXT NOT NULL, "
        "type TEXT NOT NULL, owner TEXT NOT NULL, rev INTEGER NOT NULL, visibility TEXT NOT NULL, "
        "withdrawn INTEGER NOT NULL DEFAULT 0, sent_at TEXT NOT NULL, bundle_id TEXT NOT NULL, "
        "PRIMARY KEY (recipient_id, record_id)) WITHOUT ROWID"
    )
    conn.execute('ALTER TABLE "school" ADD COLUMN "default_visibility" TEXT')
    owner = conn.execute("SELECT value FROM meta WHERE key = 'school_owner'").fetchone()
    if owner is not None:
        names = conn.execute(
            'SELECT name_cy, name_en FROM "school" WHERE deleted = 0 ORDER BY created_at LIMIT 1'
        ).fetchone() or ("", "")
        import datetime as dt

        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        conn.execute(
            "INSERT INTO identity (id, role, name_cy, name_en, created_at) VALUES (?, 'school', ?, ?, ?)",
            (owner[0], names[0] or "", names[1] or "", now),
        )
    _rehash_all_v2(conn)


def _rehash_all_v2(conn: sqlite3.Connection) -> None:
    import json

    from selfeval_app.core import record_types as rt
    from selfeval_app.core.content_hash import content_hash_v2

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for t in rt.RECORD_TYPES.values():
        if t.name not in tables:  # a type a later migration adds: no rows to rehash yet
            continue
        cursor = conn.execute(f'SELECT * FROM "{t.name}"')
        names = [d[0] for d in cursor.description]
        updates = []
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            rec = {k: row[k] for k in ("id", "owner", "visibility")}
            rec["deleted"] = bool(row["deleted"])
            rec["type"] = t.name
            for f in t.fields:
                if f.kind == rt.BITEXT:
                    rec[f.name] = {lang: row.get(f"{f.name}_{lang}") or "" for lang in rt.LANGS}
                elif f.kind in (rt.REFS, rt.JSON):
                    raw = row.get(f.name)
                    rec[f.name] = json.loads(raw) if raw else None
                elif f.kind == rt.BOOL:
                    rec[f.name] = bool(row.get(f.name))
                else:
                    rec[f.name] = row.get(f.name)
            for key, value in json.loads(row.get("extra") or "{}").items():
                rec.setdefault(key, value)
            updates.append((content_hash_v2(rec), row["id"]))
        conn.executemany(f'UPDATE "{t.name}" SET content_hash = ? WHERE id = ?', updates)


_TABLES_0004 = {
    "review_visit": "host_name_cy TEXT, host_name_en TEXT, start_date TEXT, end_date TEXT, kind TEXT, questions TEXT, team TEXT, status TEXT, follow_up TEXT, shared_record_ids TEXT, sort_cy TEXT, sort_en TEXT",
    "review_note": "visit_id TEXT, kind TEXT, time TEXT, place TEXT, host_participant TEXT, question_ids TEXT, text_cy TEXT, text_en TEXT",
    "review_finding": "visit_id TEXT, question_id TEXT, strengths_cy TEXT, strengths_en TEXT, areas_for_development_cy TEXT, areas_for_development_en TEXT, practice_worth_sharing_cy TEXT, practice_worth_sharing_en TEXT, lines_of_enquiry_cy TEXT, lines_of_enquiry_en TEXT, note_ids TEXT, agreed INTEGER, agreed_on TEXT, authors TEXT",
    "review_response": "visit_id TEXT, finding_id TEXT, response TEXT, text_cy TEXT, text_en TEXT, action_id TEXT",
    "review_report": "visit_id TEXT, findings TEXT, authors TEXT, agreed_on TEXT",
}


def _migration_0004_peer_review(conn: sqlite3.Connection) -> None:
    """Peer review visits (issue 12): the visit, reviewers' notes and findings, the host's
    responses and its copy of the agreed report. Frozen once released."""
    for table, spec in _TABLES_0004.items():
        conn.execute(f'CREATE TABLE "{table}" ({COMMON_COLUMNS}, {_quoted_columns(spec)})')
    for table in ("review_note", "review_finding", "review_response", "review_report"):
        conn.execute(f'CREATE INDEX "idx_{table}_visit_id" ON "{table}" ("visit_id")')


_TABLES_0005 = {
    "partnership": "kind TEXT, name_cy TEXT, name_en TEXT, partners TEXT, purpose_cy TEXT, purpose_en TEXT, priority_ids TEXT, maturity TEXT, maturity_note_cy TEXT, maturity_note_en TEXT, start_date TEXT, end_date TEXT, sort_cy TEXT, sort_en TEXT",
    "joint_activity": "partnership_id TEXT, title_cy TEXT, title_en TEXT, start_date TEXT, end_date TEXT, participants_cy TEXT, participants_en TEXT, what_changed_cy TEXT, what_changed_en TEXT, priority_ids TEXT, sort_cy TEXT, sort_en TEXT",
}


def _migration_0005_collaboration(conn: sqlite3.Connection) -> None:
    """Collaboration between schools and the LA's view (issue 13): partnerships and joint
    activities (records like any other), the LA's list of its schools (`la_school`, the LA's
    own table: not records, never sent), and indexes the LA's cross-school views read by owner."""
    for table, spec in _TABLES_0005.items():
        conn.execute(f'CREATE TABLE "{table}" ({COMMON_COLUMNS}, {_quoted_columns(spec)})')
    conn.execute('CREATE INDEX "idx_joint_activity_partnership_id" ON "joint_activity" ("partnership_id")')
    conn.execute(
        "CREATE TABLE la_school (number TEXT PRIMARY KEY, name_cy TEXT NOT NULL DEFAULT '', "
        "name_en TEXT NOT NULL DEFAULT '', sort_cy TEXT NOT NULL DEFAULT '', "
        "sort_en TEXT NOT NULL DEFAULT '', line INTEGER, imported_at TEXT NOT NULL)"
    )
    # The LA reads every school's records by owner (one school's summary, counts per school).
    for table in ("priority", "action", "progress_review", "evaluation", "indicator", "review_visit", "partnership", "joint_activity", "success_criterion", "evidence", "plan"):
        conn.execute(f'CREATE INDEX "idx_{table}_owner" ON "{table}" ("owner")')


def _migration_0009_la_view(conn: sqlite3.Connection) -> None:
    """The LA's view at the scale of all of Wales (issue 13): per-school and per-priority
    summaries of what schools shared, kept up to date from the change log by `la_views.refresh`
    (meta `la_view_seq`). Derived data only: dropping both tables' rows and the meta key makes
    the next view rebuild them."""
    conn.execute(
        "CREATE TABLE la_view_owner (owner TEXT PRIMARY KEY, shared TEXT NOT NULL, open_due TEXT NOT NULL, "
        "name_cy TEXT, name_en TEXT, number TEXT)"
    )
    conn.execute(
        "CREATE TABLE la_view_priority (id TEXT PRIMARY KEY, owner TEXT NOT NULL, title_cy TEXT, title_en TEXT, "
        "tags TEXT, start_year INTEGER, end_year INTEGER, position INTEGER, sort_cy TEXT, rag TEXT, rag_date TEXT, "
        "prev_rag TEXT, reviews INTEGER NOT NULL DEFAULT 0, criteria TEXT)"
    )
    conn.execute('CREATE INDEX "idx_la_view_priority_owner" ON "la_view_priority" ("owner", "position", "sort_cy")')
    # One row per national tag a priority carries, with what the progress view counts.
    conn.execute(
        "CREATE TABLE la_view_tag (tag TEXT NOT NULL, priority_id TEXT NOT NULL, owner TEXT NOT NULL, rag TEXT, "
        "trend TEXT, c_not_started INTEGER NOT NULL DEFAULT 0, c_in_progress INTEGER NOT NULL DEFAULT 0, "
        "c_not_met INTEGER NOT NULL DEFAULT 0, c_partially_met INTEGER NOT NULL DEFAULT 0, "
        "c_met INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tag, priority_id)) WITHOUT ROWID"
    )
    conn.execute('CREATE INDEX "idx_la_view_tag_owner" ON "la_view_tag" ("owner")')
    # One row per value of an indicator (its values JSON, flattened), keyed by the folded title.
    conn.execute(
        "CREATE TABLE la_view_value (owner TEXT NOT NULL, tkey TEXT NOT NULL, unit TEXT NOT NULL, period TEXT NOT NULL, "
        "title_cy TEXT, title_en TEXT, value REAL NOT NULL, cohort INTEGER)"
    )
    conn.execute('CREATE INDEX "idx_la_view_value_owner" ON "la_view_value" ("owner")')
    # One row per partner a partnership names (its partners JSON, flattened).
    conn.execute(
        "CREATE TABLE la_view_link (owner TEXT NOT NULL, partnership_id TEXT NOT NULL, kind TEXT, name_cy TEXT, "
        "name_en TEXT, end_date TEXT, partner_identity TEXT, partner_number TEXT, partner_cy TEXT, partner_en TEXT)"
    )
    conn.execute('CREATE INDEX "idx_la_view_link_owner" ON "la_view_link" ("owner")')
    # "Last bundle" per sender without reading every import report.
    conn.execute('CREATE INDEX "idx_exchange_import_sender" ON "exchange_import" ("sender_identity", "imported_at")')


_TABLES_0006 = {
    "review_summary": "visit_id TEXT, start_date TEXT, end_date TEXT, kind TEXT, partner_schools TEXT, area_ids TEXT, status TEXT",
}


def _migration_0006_review_host(conn: sqlite3.Connection) -> None:
    """The host's side of peer review (issue 12): the visit's choice to share its findings with
    the local authority, and the summary of a visit an LA may hold. Frozen once released."""
    conn.execute('ALTER TABLE "review_visit" ADD COLUMN "share_findings" INTEGER')
    for table, spec in _TABLES_0006.items():
        conn.execute(f'CREATE TABLE "{table}" ({COMMON_COLUMNS}, {_quoted_columns(spec)})')
        conn.execute(f'CREATE INDEX "idx_{table}_visit_id" ON "{table}" ("visit_id")')


# (name, function) in order. Names are what `_sqlite_migrations` records: never rename one.
MIGRATIONS = [
    ("0001_initial", _migration_0001_initial),
    ("0002_records_travel", _migration_0002_records_travel),
    ("0003_exchange", _migration_0003_exchange),
    ("0004_peer_review", _migration_0004_peer_review),
    ("0005_collaboration", _migration_0005_collaboration),
    ("0006_review_host", _migration_0006_review_host),
    ("0009_la_view", _migration_0009_la_view),
]
KNOWN_MIGRATIONS = frozenset(name for name, _ in MIGRATIONS)
SCHEMA_VERSION = len(MIGRATIONS)


def sqlite_utils_migrations() -> Any:
    """The migrations as a sqlite-utils `Migrations` set (imported only when migrating)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:

        def apply(db: Any, fn: Callable[[sqlite3.Connection], None] = fn) -> None:
            fn(db.conn)

        migrations(name=name)(apply)
    return migrations
