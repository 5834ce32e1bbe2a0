"""Search results a page at a time, in a stable order, one hit per record: for item models that
fetch more rows as the list scrolls (the search page, 20,000 hits and more).

`core.search.search` fetches a few extra rows to keep one hit per record, so its offsets count
index rows, not records. Here the first query picks one row per record (the preferred language's
row when it matched, else the other) and orders records by rank then id, so page N+1 starts exactly
where page N ended; snippets are made only for the rows of the page asked for.
"""

from __future__ import annotations

import sqlite3

from selfeval_app.core.search import MARK_END, MARK_START, SearchHit
from selfeval_app.core.search import count as count_hits
from selfeval_app.core.search_query import build_match_query

__all__ = ["count_hits", "search_page", "strip_marks"]

_PAGE = (
    "SELECT rowid_, record_id, type, lang FROM ("
    "  SELECT s.rowid AS rowid_, d.record_id, d.type, d.lang, s.rank AS rank_,"
    "   row_number() OVER (PARTITION BY d.record_id ORDER BY (d.lang = ?) DESC, s.rank) AS n"
    "  FROM search_index AS s JOIN search_docs AS d ON d.rowid = s.rowid"
    "  WHERE search_index MATCH ?"
    ") WHERE n = 1 ORDER BY rank_, record_id LIMIT ? OFFSET ?"
)
_SNIPPETS = (
    "SELECT s.rowid, s.title, "
    f"snippet(search_index, -1, '{MARK_START}', '{MARK_END}', '…', 16) "
    "FROM search_index AS s WHERE search_index MATCH ? AND s.rowid IN ({marks})"
)


def search_page(conn: sqlite3.Connection, text: str, *, lang: str = "cy", limit: int = 100, offset: int = 0) -> list[SearchHit]:
    """Hits `offset` to `offset + limit` for what the user typed (empty if nothing searchable)."""
    query = build_match_query(text)
    if query is None:
        return []
    rows = conn.execute(_PAGE, (lang, query, int(limit), int(offset))).fetchall()
    if not rows:
        return []
    rowids = [r[0] for r in rows]
    snippets = {
        rowid: (title or "", snippet or "")
        for rowid, title, snippet in conn.execute(
            _SNIPPETS.format(marks=", ".join("?" for _ in rowids)), (query, *rowids)
        )
    }
    return [
        SearchHit(record_id, type_, row_lang, *snippets.get(rowid, ("", "")))
        for rowid, record_id, type_, row_lang in rows
    ]


def strip_marks(snippet: str) -> str:
    """The snippet as plain text (for screen readers and tooltips)."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")
