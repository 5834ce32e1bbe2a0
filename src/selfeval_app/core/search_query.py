"""Turn what a user typed into a safe FTS5 MATCH expression (and the terms to highlight).

The search tables use ``tokenize="unicode61 remove_diacritics 2"``. A user's text is never passed
raw to MATCH: FTS5 query syntax gives meaning to ``"``, ``*``, ``^``, ``-``, ``+``, ``:``, ``(``,
``)``, ``AND``, ``OR``, ``NOT`` and ``NEAR``, so ``Llan-faes``, ``i'r`` or a lone ``"`` would be a
syntax error or a different query. Instead:

1. The text is NFC-normalised.
2. It is split into tokens the way unicode61 splits text: letters, digits, combining marks and
   private-use characters are token characters; everything else (spaces, punctuation, symbols,
   control and format characters) separates tokens. So ``Llan-faes`` gives ``Llan`` and ``faes``,
   ``i'r`` and ``a’r`` give ``i`` and ``r`` / ``a`` and ``r``, exactly as the indexed text was split.
3. Each token becomes an FTS5 string, ``"..."`` (an inner ``"`` would be doubled, though a token
   never holds one), so operators typed by the user (``AND``, ``OR``, ``NOT``, ``NEAR``) are searched
   as words.
4. A token immediately followed by ``*`` keeps it as a prefix query: ``tea*`` -> ``"tea"*``.
5. The strings are joined with spaces: FTS5's implicit AND, every word must occur.

Case and diacritics are left to the tokenizer, which folds the query the same way as the documents
(``ty`` finds ``tŷ`` and ``ŵyr`` finds ``wyr``). If nothing searchable remains (``"``, ``*``, spaces),
``build_match_query`` returns None and the caller shows no results rather than running a query.

The query is bounded so no search takes more than a moment (FTS5's cost grows with the number of
phrase terms, repeated or not): only the first ``MAX_QUERY_CHARS`` characters are read (a word cut there is dropped), a token
repeated (same prefix flag) is kept once, and at most ``MAX_TOKENS`` distinct tokens are kept.
Repeating a word never changes which records match (every word must occur anyway).

Where this tokenizer and SQLite's can disagree (characters assigned after Unicode 6.1, SQLite's
data; some rare combining marks SQLite treats as separators), a token here is at worst split
further by SQLite inside its quotes, which makes it a phrase: still valid, still matching the text.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_QUERY_CHARS", "MAX_TOKENS", "build_match_query", "highlight_terms", "query_tokens"]

MAX_QUERY_CHARS = 1000
MAX_TOKENS = 64


def _is_token_char(c: str) -> bool:
    cat = unicodedata.category(c)
    return cat[0] in "LNM" or cat in ("Co", "Cn")


def _is_searchable(token: str) -> bool:
    # A token of combining marks only is dropped by the tokenizer: nothing to search for.
    return any(unicodedata.category(c)[0] != "M" for c in token)


def query_tokens(user_text: str | None) -> list[tuple[str, bool]]:
    """The NFC tokens of ``user_text`` and, for each, whether it is a prefix (``tok*``)."""
    if not user_text:
        return []
    text = user_text[:MAX_QUERY_CHARS]
    if len(user_text) > MAX_QUERY_CHARS and _is_token_char(user_text[MAX_QUERY_CHARS]):
        # Do not search for the cut-off start of a word (unless the whole text is one word).
        cut = max((i for i, c in enumerate(text) if not _is_token_char(c)), default=-1)
        if cut > 0:
            text = text[:cut]
    text = unicodedata.normalize("NFC", text)
    tokens: list[tuple[str, bool]] = []
    seen: set[tuple[str, bool]] = set()
    i, n = 0, len(text)
    while i < n and len(tokens) < MAX_TOKENS:
        if not _is_token_char(text[i]):
            i += 1
            continue
        j = i
        while j < n and _is_token_char(text[j]):
            j += 1
        token = text[i:j]
        entry = (token, j < n and text[j] == "*")
        if _is_searchable(token) and entry not in seen:
            seen.add(entry)
            tokens.append(entry)
        i = j
    return tokens


def build_match_query(user_text: str | None) -> str | None:
    """A safe FTS5 MATCH expression for ``user_text``, or None when nothing is searchable.

    >>> build_match_query("Llan-faes tea* AND")
    '"Llan" "faes" "tea"* "AND"'
    """
    parts = [
        '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")
        for token, prefix in query_tokens(user_text)
    ]
    return " ".join(parts) if parts else None


def highlight_terms(user_text: str | None) -> list[str]:
    """The folded search terms (casefolded, diacritics removed, no duplicates), for highlighting.

    They approximate what the tokenizer indexes (``Tŷ`` -> ``ty``). A prefix token (``tea*``) gives
    its term without the ``*``: a highlighter that marks the (folded) words starting with a term
    covers both prefix and whole-word terms, at worst marking a little more than matched.
    """
    terms: list[str] = []
    for token, _prefix in query_tokens(user_text):
        decomposed = unicodedata.normalize("NFD", token.casefold())
        folded = "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")
        folded = unicodedata.normalize("NFC", folded)
        if folded and folded not in terms:
            terms.append(folded)
    return terms
