"""Accent-insensitive search over every record's text (FTS5, DESIGN §5).

What the user typed is turned into a safe MATCH expression by `search_query.build_match_query`,
never passed raw. Results come a page at a time, best first, one hit per record (the row in the
preferred language wins), with a snippet whose matched words are marked.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from selfeval_app.core.search_query import build_match_query

MARK_START = "\x02"  # marks matched words in snippets; the GUI/CLI render them as they like
MARK_END = "\x03"


@dataclass(frozen=True)
class SearchHit:
    record_id: str
    type: str
    lang: str
    title: str
    snippet: str


_QUERY = (
    "SELECT d.record_id, d.type, d.lang, s.title, "
    f"snippet(search_index, -1, '{MARK_START}', '{MARK_END}', '…', 16) "
    "FROM search_index AS s JOIN search_docs AS d ON d.rowid = s.rowid "
    "WHERE search_index MATCH ? ORDER BY s.rank, (d.lang = ?) DESC LIMIT ? OFFSET ?"
)


def search(conn: sqlite3.Connection, text: str, *, lang: str = "cy", limit: int = 50, offset: int = 0) -> list[SearchHit]:
    """One page of hits for what the user typed (empty if nothing searchable was typed)."""
    query = build_match_query(text)
    if query is None:
        return []
    hits: list[SearchHit] = []
    seen: set[str] = set()
    # Each record has up to one row per language; fetch a little more so a page is full after
    # keeping one hit per record.
    for record_id, type_, row_lang, title, snippet in conn.execute(_QUERY, (query, lang, limit * 2, offset)):
        if record_id in seen:
            continue
        seen.add(record_id)
        hits.append(SearchHit(record_id, type_, row_lang, title or "", snippet or ""))
        if len(hits) == limit:
            break
    return hits


def count(conn: sqlite3.Connection, text: str) -> int:
    """How many records match (for "N results")."""
    query = build_match_query(text)
    if query is None:
        return 0
    row = conn.execute(
        "SELECT count(DISTINCT d.record_id) FROM search_index AS s JOIN search_docs AS d ON d.rowid = s.rowid "
        "WHERE search_index MATCH ?",
        (query,),
    ).fetchone()
    return row[0]


def plain_snippet(snippet: str, start: str = "[", end: str = "]") -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)
