"""The sort key's fast path (split at spaces, units cached per piece) gives exactly the keys of
the whole-text definition, for any text."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from selfeval_app.core import sorting

_fast = sorting._key.__wrapped__  # the computation itself, not its cache
_reference = sorting._key_whole_text

# Pieces that meet at a space in interesting ways: digraph halves, false-digraph words, marks
# (combining and precomposed), separators, apostrophes, digits, controls, format characters.
_PIECES = [
    " ", "  ", "-", "–", "_", "'", "’", "\u0301", "\u0302", "\u0308", "\u200c", "\x00", "\x01",
    "\t", "\n", "\u00a0", "\u3000", "\ud800", "0", "007", "12", "n", "g", "ng", "l", "ll", "r",
    "h", "rh", "a", "arh", "Bangor", "llan", "Llangollen", "dangos", "dyngarwch", "ŵ", "Ŵ",
    "ŷ", "w\u0302", "Y\u0302", "é", "Æ", "ø", "ß", "ﬁ", "Ω", "½", "²", "(", ".", "€",
]
_texts = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(list("aAnNgGlLrRhH '-\u0301\u0302 0123")), max_size=30),
)


@settings(max_examples=1500)
@given(_texts, st.booleans())
@example("Ysgol  Gynradd - Llan-faes ", True)
@example(" \u0301a", True)
@example("ab \u0308c", False)
@example("'' \u200c ng", True)
def test_fast_key_equals_the_whole_text_key(text, welsh):
    assert _fast(text, welsh) == _reference(text, welsh)


@given(_texts)
def test_fast_key_equals_the_whole_text_key_for_nfd_input(text):
    nfd = unicodedata.normalize("NFD", text)
    assert _fast(nfd, True) == _reference(nfd, True) == _reference(text, True)


def test_public_keys_use_the_fast_path_and_none_is_empty():
    title = "Dangos cynnydd yn llythrennedd Bangor a'r rhieni"
    assert sorting.sort_key_cy(title) == _reference(title, True)
    assert sorting.sort_key_en(title) == _reference(title, False)
    assert sorting.sort_key_cy(None) == sorting.sort_key_cy("") == _reference("", True)
