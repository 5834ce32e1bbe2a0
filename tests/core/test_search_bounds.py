"""Search is bounded (reliability review finding 21): repeated words count once, at most
MAX_TOKENS distinct words and MAX_QUERY_CHARS characters are read, and the results of a bounded
query are those of the words kept."""

from __future__ import annotations

from selfeval_app.core.search import count, search
from selfeval_app.core.search_query import (
    MAX_QUERY_CHARS,
    MAX_TOKENS,
    build_match_query,
    query_tokens,
)


def test_repeated_words_are_searched_once():
    assert query_tokens("tŷ " * 2000) == [("tŷ", False)]
    assert query_tokens("te* te te*") == [("te", True), ("te", False)]
    assert build_match_query("darllen " * 1000) == '"darllen"'


def test_at_most_max_tokens_distinct_words_and_max_chars():
    words = " ".join(f"gair{i}" for i in range(5000))
    assert len(query_tokens(words)) == MAX_TOKENS
    assert query_tokens("a" * (MAX_QUERY_CHARS + 500)) == [("a" * MAX_QUERY_CHARS, False)]


def test_a_huge_repeated_query_finds_what_the_word_finds(store):
    ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": "Darllen yn y dosbarth"}})
    store.flush_search_index()
    assert [h.record_id for h in search(store.conn, "darllen " * 2000)] == [ev["id"]]
    # Words past the first MAX_QUERY_CHARS characters are not searched for.
    assert count(store.conn, " ".join(["darllen"] * 3000 + [f"x{i}" for i in range(10)])) == 1
    assert count(store.conn, " ".join([f"x{i}" for i in range(10)] + ["darllen"])) == 0
