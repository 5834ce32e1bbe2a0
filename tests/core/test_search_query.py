"""User text -> safe FTS5 MATCH expressions, checked against a real unicode61 FTS5 table."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_app.core.search_query import build_match_query, highlight_terms, query_tokens

ROWS = [
    "Mae'r tŷ yn Llan-faes",
    "ŵyr a wyres",
    "Darllen i'r dosbarth",
    "AND NOT OR yn eiriau",
    "a’r plant",
    "Blaenoriaeth 2: teaching and learning",
]


@pytest.fixture(scope="module")
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        'CREATE VIRTUAL TABLE t USING fts5(body, tokenize="unicode61 remove_diacritics 2")'
    )
    conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", list(enumerate(ROWS, 1)))
    return conn


def search(conn, user_text: str) -> set[str]:
    query = build_match_query(user_text)
    if query is None:
        return set()
    rows = conn.execute("SELECT body FROM t WHERE t MATCH ? ORDER BY rowid", (query,))
    return {r[0] for r in rows}


@pytest.mark.parametrize(
    ("user_text", "expected"),
    [
        ("ty", {"Mae'r tŷ yn Llan-faes"}),
        ("tŷ", {"Mae'r tŷ yn Llan-faes"}),
        ("TŶ", {"Mae'r tŷ yn Llan-faes"}),
        ("ŵyr", {"ŵyr a wyres"}),
        ("wyr", {"ŵyr a wyres"}),
        ("Llan-faes", {"Mae'r tŷ yn Llan-faes"}),
        ("llan faes", {"Mae'r tŷ yn Llan-faes"}),
        ("Llan*", {"Mae'r tŷ yn Llan-faes"}),
        ("llan-fa*", {"Mae'r tŷ yn Llan-faes"}),
        ("i'r", {"Darllen i'r dosbarth"}),
        ("i’r dosbarth", {"Darllen i'r dosbarth"}),
        ("a’r", {"a’r plant"}),  # a AND r: only the row holding both tokens
        ("a'r plant", {"a’r plant"}),
        ("AND", {"AND NOT OR yn eiriau", "Blaenoriaeth 2: teaching and learning"}),
        ("NOT", {"AND NOT OR yn eiriau"}),
        ("OR", {"AND NOT OR yn eiriau"}),
        ("NEAR(", set()),
        ("tea*", {"Blaenoriaeth 2: teaching and learning"}),
        ("tea", set()),
        ("yn", {"Mae'r tŷ yn Llan-faes", "AND NOT OR yn eiriau"}),
        ("yn NOT eiriau", {"AND NOT OR yn eiriau"}),
        ("-yn", {"Mae'r tŷ yn Llan-faes", "AND NOT OR yn eiriau"}),
        ("^yn", {"Mae'r tŷ yn Llan-faes", "AND NOT OR yn eiriau"}),
        ("body:plant", set()),  # no column filter: "body" is searched as a word
        ('"plant', {"a’r plant"}),
        ("plant)", {"a’r plant"}),
        ("2", {"Blaenoriaeth 2: teaching and learning"}),
    ],
)
def test_search_finds(conn, user_text, expected):
    assert search(conn, user_text) == expected


def test_a_r_is_two_words_like_the_stored_text(conn):
    # "a’r" is the tokens a and r, as the tokenizer split the stored text; either apostrophe works
    assert search(conn, "a’r") == search(conn, "a'r") == search(conn, "a r") == {"a’r plant"}


@pytest.mark.parametrize(
    "user_text",
    ['"', "AND", "NOT", "OR", "NEAR(", "NEAR", "tea*", "(", ")", "*", "-", "^", "+", ":", "a:",
     "a OR", "OR OR", "NOT a", "a AND", '""', '"a" OR "b"', "a*b", "**", "*a", "\x00", "{a b}",
     "NEAR(a b, 3)", "body:", "\\", "'", "’", "🙂", "\u0301", "a\u0301"],
)  # fmt: skip
def test_never_raises(conn, user_text):
    search(conn, user_text)


@pytest.mark.parametrize("user_text", ['"', "  ", "*", "", "-", "^", "()", "’'", "\u0301", "\t\n"])
def test_nothing_searchable_gives_none(user_text):
    assert build_match_query(user_text) is None
    assert build_match_query(None) is None


def test_expressions():
    assert build_match_query("tea*") == '"tea"*'
    assert build_match_query("Llan-faes") == '"Llan" "faes"'
    assert build_match_query("i'r") == '"i" "r"'
    assert build_match_query("a’r") == '"a" "r"'
    assert build_match_query("AND OR NOT NEAR(") == '"AND" "OR" "NOT" "NEAR"'
    assert build_match_query('  say "hi"* ') == '"say" "hi"'  # the * does not touch the token
    assert build_match_query("te*a") == '"te"* "a"'


def test_nfc_normalised():
    nfd = "t\u0079\u0302"  # t + y + combining circumflex
    assert build_match_query(nfd) == '"tŷ"'
    assert query_tokens(nfd) == [("tŷ", False)]


def test_highlight_terms():
    assert highlight_terms("Tŷ tea* Llan-faes ty") == ["ty", "tea", "llan", "faes"]
    assert highlight_terms("ŴYR") == ["wyr"]
    assert highlight_terms('"') == []
    assert highlight_terms(None) == []


@pytest.fixture(scope="module")
def prop_conn():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        'CREATE VIRTUAL TABLE p USING fts5(body, tokenize="unicode61 remove_diacritics 2")'
    )
    conn.executemany("INSERT INTO p(body) VALUES (?)", [(r,) for r in ROWS])
    return conn


@settings(max_examples=500)
@given(st.text())
def test_any_text_is_none_or_a_valid_expression(prop_conn, text):
    query = build_match_query(text)
    if query is None:
        return
    assert isinstance(query, str) and query
    prop_conn.execute("SELECT count(*) FROM p WHERE p MATCH ?", (query,)).fetchall()


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("AaBbLlNnRrTtYy ŵŷâêôÂŴ-'’\"*():^+.,0123456789")),
               max_size=30))  # fmt: skip
def test_text_finds_itself(text):
    conn = sqlite3.connect(":memory:")
    conn.execute(
        'CREATE VIRTUAL TABLE s USING fts5(body, tokenize="unicode61 remove_diacritics 2")'
    )
    conn.execute("INSERT INTO s(body) VALUES (?)", (text,))
    query = build_match_query(text)
    if query is None:
        assert not any(c.isalnum() for c in text)
        return
    assert conn.execute("SELECT count(*) FROM s WHERE s MATCH ?", (query,)).fetchone()[0] == 1
