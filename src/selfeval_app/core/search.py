"""Accent-insensitive search over every record's text (FTS5, DESIGN §5).

What the user typed is turned into a safe MATCH expression by `search_query.build_match_query`,
never passed raw. Results come a page at a time, best first, one hit per record (the row in the
preferred language wins), with a snippet whose matched words are marked.

Records of the workspace types (`record_types.WORKSPACE_TYPES`) are found only when their owner is
one the search is for (`owners`): by default this installation's own identities, so a host's pack
on a reviewing head's laptop, or the schools' records an LA holds, do not show in the school's
search; a caller with a store passes `owner_sql.scope_owners(store)` (its viewing scope); "any"
searches every owner's. With `every_type`, records of every type are limited so (the read-only
window of one owner's records: not our own school profile or our own visit notes either).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from selfeval_app.core.record_types import RECORD_TYPES, WORKSPACE_TYPES
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


_ROWS = (
    "SELECT d.record_id, d.type, d.lang, s.title, "
    f"snippet(search_index, -1, '{MARK_START}', '{MARK_END}', '…', 16) "
    "FROM search_index AS s JOIN search_docs AS d ON d.rowid = s.rowid "
    "WHERE search_index MATCH ?{owners} ORDER BY s.rank, s.rowid LIMIT ? OFFSET ?"
)

Owners = Iterable[str] | str | None


def own_identities(conn: sqlite3.Connection) -> tuple[str, ...]:
    """This installation's own identities, as `RecordStore.identity_ids` reads them."""
    ids = {row[0] for row in conn.execute("SELECT id FROM identity")}
    ids |= {row[0] for row in conn.execute("SELECT value FROM meta WHERE key = 'school_owner'") if row[0]}
    return tuple(sorted(ids))


def _not_ours(ours: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """`owner NOT IN ours` as ranges between our ids, which the tables' owner indexes answer at
    once (a school holds few or no other owners' records; NOT IN would read every row)."""
    if not ours:
        return "1", ()
    ranges = ["owner < ?"] + ["(owner > ? AND owner < ?)"] * (len(ours) - 1) + ["owner > ?"]
    params = (ours[0], *[x for pair in zip(ours, ours[1:], strict=False) for x in pair], ours[-1])
    return "(" + " OR ".join(ranges) + ")", params


def owner_clause(conn: sqlite3.Connection, owners: Owners = None, *, every_type: bool = False) -> tuple[str, tuple[str, ...]]:
    """SQL to AND into a query over `search_docs AS d`: a workspace record's row only when its
    owner is one of `owners` (None: our own identities; "any": no limit); other types always,
    unless `every_type` (named owners only): then a record of any type only when it is theirs.

    Our own (the usual search) leaves out the few records of other owners, a set SQLite builds
    once per query, and adds nothing when there are none; named owners (usually few records among
    many) are looked up per row. A pager keeps the clause it was made with."""
    if owners == "any":
        return "", ()
    if owners is None:
        test, params = _not_ours(own_identities(conn))
        others = " UNION ALL ".join(f'SELECT id FROM "{t}" WHERE {test}' for t in sorted(WORKSPACE_TYPES))
        params *= len(WORKSPACE_TYPES)
        if not conn.execute(f"SELECT EXISTS ({others})", params).fetchone()[0]:
            return "", ()  # nobody else's records here (most schools): the query as it always was
        return f" AND d.record_id NOT IN ({others})", params
    chosen = (owners,) if isinstance(owners, str) else tuple(sorted(owners))
    test = f"o.owner IN ({', '.join('?' for _ in chosen)})" if chosen else "0"
    types = sorted(RECORD_TYPES if every_type else WORKSPACE_TYPES)
    whens = " ".join(f"WHEN '{t}' THEN EXISTS (SELECT 1 FROM \"{t}\" AS o WHERE o.id = d.record_id AND {test})" for t in types)
    return f" AND CASE d.type {whens} ELSE {0 if every_type else 1} END", chosen * len(types)


class SearchPager:
    """The hits for one query, a page at a time, in a stable order (best first, ties by index
    row), one hit per record, for lists that fetch more as they scroll.

    Pages follow on exactly: the pager remembers how many index rows it has read and which
    records it has shown, so a record's second row (its other language) is never shown again
    and no record is skipped. Where a record matched in both languages, the hit shows the
    preferred language's row when both rows come in the same fetch (they usually rank close);
    otherwise the better-ranked row. Each fetch costs what FTS5's own ranked LIMIT query costs:
    a look-up of the other row across fetches would cost more than the page itself for prefix
    queries (measured: about 1 ms a row)."""

    def __init__(self, conn: sqlite3.Connection, text: str, *, lang: str = "cy", owners: Owners = None, every_type: bool = False):
        self.conn = conn
        self.query = build_match_query(text)
        clause, self._owner_params = owner_clause(conn, owners, every_type=every_type) if self.query is not None else ("", ())
        self._sql = _ROWS.format(owners=clause)
        self.lang = lang
        self.rows_read = 0
        self.seen: set[str] = set()
        self.exhausted = self.query is None

    def next_page(self, limit: int = 50) -> list[SearchHit]:
        hits: list[SearchHit] = []
        while len(hits) < limit and not self.exhausted:
            chunk = max(2 * (limit - len(hits)), 8)  # a record has at most one row per language
            rows = self.conn.execute(self._sql, (self.query, *self._owner_params, chunk, self.rows_read)).fetchall()
            in_chunk: dict[str, int] = {}  # record id -> its hit's index, for records met in this chunk
            for record_id, type_, row_lang, title, snippet in rows:
                if record_id in self.seen:
                    # Its other language: shown instead when it is the preferred one and the
                    # record's hit came from this same chunk (a free look; no extra query).
                    index = in_chunk.get(record_id)
                    if index is not None and row_lang == self.lang and hits[index].lang != self.lang:
                        hits[index] = SearchHit(record_id, type_, row_lang, title or "", snippet or "")
                    self.rows_read += 1
                    continue
                if len(hits) == limit:
                    break
                self.rows_read += 1
                self.seen.add(record_id)
                in_chunk[record_id] = len(hits)
                hits.append(SearchHit(record_id, type_, row_lang, title or "", snippet or ""))
            else:  # every row of this fetch was read: a short fetch was the last one
                if len(rows) < chunk:
                    self.exhausted = True
        return hits


def search(
    conn: sqlite3.Connection, text: str, *, lang: str = "cy", limit: int = 50, offset: int = 0, owners: Owners = None
) -> list[SearchHit]:
    """One page of hits for what the user typed (empty if nothing searchable was typed); `offset`
    counts records. Lists that scroll keep a `SearchPager` instead."""
    pager = SearchPager(conn, text, lang=lang, owners=owners)
    if offset:
        pager.next_page(offset)
    return pager.next_page(limit)


def count(conn: sqlite3.Connection, text: str, *, owners: Owners = None, every_type: bool = False) -> int:
    """How many records match (for "N results"), of the owners as `search`."""
    query = build_match_query(text)
    if query is None:
        return 0
    clause, params = owner_clause(conn, owners, every_type=every_type)
    row = conn.execute(
        "SELECT count(DISTINCT d.record_id) FROM search_index AS s JOIN search_docs AS d ON d.rowid = s.rowid "
        "WHERE search_index MATCH ?" + clause,
        (query, *params),
    ).fetchone()
    return row[0]


def plain_snippet(snippet: str, start: str = "[", end: str = "]") -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


def strip_marks(snippet: str) -> str:
    """The snippet as plain text (for screen readers and tooltips)."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")
