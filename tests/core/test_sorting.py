"""Welsh and English sort keys: alphabet order, digraphs and their exceptions, ties, totality."""

from __future__ import annotations

import random
import sqlite3
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from selfeval_app.core.sorting import (
    WELSH_DIGRAPH_EXCEPTIONS,
    WELSH_DIGRAPHS,
    sort_key,
    sort_key_cy,
    sort_key_en,
)

WELSH_LETTERS = "a b c ch d dd e f ff g ng h i j l ll m n o p ph r rh s t th u w y".split()


def assert_sorts(expected: list[str], key=sort_key_cy) -> None:
    """Every shuffle of ``expected`` sorts back into ``expected``."""
    rng = random.Random(1234)
    for _ in range(5):
        shuffled = expected[:]
        rng.shuffle(shuffled)
        assert sorted(shuffled, key=key) == expected
    assert sorted(reversed(expected), key=key) == expected


# --- Welsh alphabet -------------------------------------------------------------------------------


def test_one_word_per_welsh_letter_in_alphabet_order():
    words = [
        "afal", "bach", "cyw", "chwaer", "dyn", "ddoe", "eira", "fy", "ffordd", "gwyn", "ngardd",
        "haf", "iaith", "jam", "lyn", "llyfr", "mam", "nain", "oen", "pysgod", "pharo", "rygbi",
        "rhaid", "sant", "tywydd", "theatr", "uned", "wal", "ysgol",
    ]  # fmt: skip
    assert_sorts(words)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("cyw", "chwarae"),  # c < ch
        ("cyw", "chwaer"),
        ("chwarae", "dant"),  # ch < d
        ("dant", "dydd"),
        ("dyn", "ddoe"),  # d < dd
        ("ddoe", "eira"),
        ("fy", "ffenest"),  # f < ff
        ("ffenest", "gardd"),
        ("gwyn", "ngardd"),  # g < ng
        ("ngardd", "haf"),  # ng < h
        ("lyn", "llyfr"),  # l < ll
        ("lwc", "llaw"),
        ("llyfr", "mam"),  # ll < m
        ("pysgod", "phen"),  # p < ph
        ("phen", "rygbi"),  # ph < r
        ("rygbi", "rhaid"),  # r < rh
        ("route", "rhad"),  # Hart's Rules example
        ("rhaid", "sant"),  # rh < s
        ("tywydd", "theatr"),  # t < th
        ("theatr", "uned"),  # th < u
        ("bwthyn", "bwyd"),  # th inside a word
        ("celf", "cellwair"),  # ll inside a word: f < ll
        ("cyfarfod", "cyngor"),  # true ng: f < ng
        ("cyngor", "cynllun"),  # true ng: ng < n
        ("angen", "anadl"),  # true ng
        ("anadl", "anrheg"),
    ],
)
def test_welsh_pairs(before, after):
    assert sort_key_cy(before) < sort_key_cy(after)
    assert sort_key_cy(before.capitalize()) < sort_key_cy(after.capitalize())


def test_same_words_in_english_order():
    words = ["chwaer", "cyw", "dant", "ddoe", "dyn", "llyfr", "lyn", "rhaid", "rygbi", "ysgol"]
    assert_sorts(words, key=sort_key_en)
    assert_sorts(sorted(words, key=sort_key_cy))  # and the Welsh order differs
    assert sorted(words, key=sort_key_cy) != words


# --- false digraphs -------------------------------------------------------------------------------


def test_bangor_is_ban_plus_gor():
    # As a digraph, "ng" would put Bangor before "bai" (ng < i) and before "banc" (ng < n).
    assert_sorts(["bach", "bai", "banc", "banff", "Bangor", "bannau", "bant"])


def test_llongyfarch_is_llon_plus_gyfarch():
    # llong (ll-o-ng) < llongau < llon (ll-o-n) < llongyfarch (ll-o-n-g...) < llonydd
    assert_sorts(["llong", "llongau", "llon", "llongyfarch", "llongyfarchiadau", "llonydd"])


def test_llan_place_names_are_llan_plus_g():
    assert_sorts(["Llandudno", "Llanddulas", "Llanelli", "Llanfair", "Llangefni", "Llangollen",
                  "Llangrannog", "Llanrwst"])  # fmt: skip


def test_dangos_and_garwch_are_n_plus_g():
    assert_sorts(["dan", "dangos", "dangosydd", "dangosyddion", "dannedd"])
    assert_sorts(["dyn", "dyngarwch", "dynion"])
    assert_sorts(["arian", "ariangarwr", "arianna"])


@pytest.mark.parametrize(
    ("lower", "word", "upper"),
    [
        ("fanff", "Fangor", "fannu"),  # i Fangor
        ("manff", "Mangor", "mannau"),  # ym Mangor
        ("lanff", "Langollen", "lanna"),  # i Langollen
        ("ddan", "ddangos", "ddannedd"),  # i ddangos
        ("nan", "nangos", "nannau"),  # fy nangos
        ("den", "dengys", "dennyn"),
        ("arddan", "arddangosfa", "arddannedd"),
        ("lon", "longyfarch", "lonydd"),  # ei longyfarch
    ],
)
def test_mutated_exceptions(lower, word, upper):
    assert sort_key_cy(lower) < sort_key_cy(word) < sort_key_cy(upper)


def test_ngarw_at_word_start_is_a_true_ng():
    # "fy ngarw" (nasal mutation of garw): ng is the letter after g.
    assert sort_key_cy("gwyn") < sort_key_cy("ngarw") < sort_key_cy("haf")


def test_exceptions_apply_per_word():
    # With ng as one letter, "Bangor" would come before "Banc".
    assert_sorts(["Ysgol Bach", "Ysgol Banc", "Ysgol Bangor", "Ysgol Bannau"])
    assert_sorts(["Prifysgol Bangor", "Prifysgol Bangor a Llangefni"])
    assert sort_key_cy("i Fangor") < sort_key_cy("i Fannau")


def test_rh_after_a_vowel_is_r_plus_h():
    # Hart's Rules: rh is a letter only at the start of a word or after a consonant.
    assert_sorts(["arholi", "arian"])
    assert_sorts(["cynrychioli", "cynrhon"])  # after n: rh is a letter
    assert_sorts(["parhau", "pari", "parod"])
    assert_sorts(["cyrhaeddiad", "cyrraedd"])
    assert_sorts(["Llanrwst", "Llanrhaeadr"])


def test_a_zero_width_non_joiner_or_apostrophe_splits_a_digraph():
    assert sort_key_cy("an\u200cgen") > sort_key_cy("anadl") > sort_key_cy("angen")
    # tyl'l is t-y-l-l (l < m), tyll is t-y-ll (m < ll)
    assert_sorts(["tyl'l", "tylm", "tyll"])


def test_exceptions_table_is_well_formed():
    for pattern, where, why in WELSH_DIGRAPH_EXCEPTIONS:
        assert where in ("start", "inside")
        assert why
        assert pattern == pattern.casefold() and "|" in pattern
        letters = pattern.replace("|", "")
        assert letters.isascii() and letters.isalpha()
        # every split falls inside the pattern and separates a would-be digraph
        parts = pattern.split("|")
        for i in range(1, len(parts)):
            assert parts[i - 1] and parts[i]
            assert parts[i - 1][-1] + parts[i][0] in WELSH_DIGRAPHS


# --- diacritics, case, punctuation, numbers -----------------------------------------------------


def test_diacritics_do_not_change_primary_order():
    assert_sorts(["uned", "wal", "ŵyr", "wyres", "ysgol"])
    assert_sorts(["tŷ", "tyb", "tywydd"])
    assert_sorts(["can", "cân", "canu"])
    assert_sorts(["a", "â", "ab"])


def test_plain_before_accented_then_circumflex_acute_grave_diaeresis():
    assert_sorts(["ty", "tŷ"])
    assert_sorts(["wyr", "ŵyr"])
    assert_sorts(["a", "â", "á", "à", "ä"])
    assert_sorts(["ŵ", "ẃ", "ẁ", "ẅ"])
    assert_sorts(["ŷ", "ý", "ỳ", "ÿ"])
    # the first difference decides
    assert_sorts(["cana", "canâ", "cânâ"])


def test_lowercase_before_uppercase():
    assert_sorts(["llan", "Llan", "LLAN", "llanc"])
    assert_sorts(["tŷ", "Tŷ", "TŶ"])
    assert_sorts(["ty", "Ty", "tŷ", "Tŷ"])  # accent decides before case


def test_case_variants_are_adjacent():
    words = ["Ysgol", "ysgol", "YSGOL", "ysgolion", "Ysgolion", "ysgol a", "Ysgol A", "ysgafn"]
    ordered = sorted(words, key=sort_key_cy)
    groups = [w.casefold() for w in ordered]
    # each casefolded group forms one contiguous block
    seen: list[str] = []
    for g in groups:
        if not seen or seen[-1] != g:
            assert g not in seen
            seen.append(g)


def test_numbers_by_value_and_before_letters():
    assert_sorts(["1", "2", "10", "100", "a"])
    assert_sorts(["Blwyddyn 2", "Blwyddyn 3", "Blwyddyn 10", "Blwyddyn A"])
    assert_sorts(["6", "007", "7", "8"])  # equal value: tie broken by the text itself
    assert sort_key_cy("7") != sort_key_cy("007")
    assert_sorts(["٣", "12"])  # any decimal digits, by value


def test_punctuation_before_digits_before_letters():
    assert_sorts(["(a)", "1", "a"])
    assert_sorts(["#1", "1", "a"], key=sort_key_en)


def test_separators_and_apostrophes():
    # word by word: a separator sorts before any letter
    assert_sorts(["Ysgol", "Ysgol Gymraeg", "Ysgolion"])
    assert_sorts(["ab", "ab c", "abc"])
    # spaces and dashes are one separator; runs collapse; ends are trimmed
    assert sort_key_cy("Llan-faes").split("\x01")[0] == sort_key_cy("Llan faes").split("\x01")[0]
    assert sort_key_cy(" Llan  faes ").split("\x01")[0] == sort_key_cy("Llan faes").split("\x01")[0]
    assert sort_key_cy("Llan-faes") != sort_key_cy("Llan faes")
    # apostrophes are ignored at the primary level
    for w in ["i'r", "i’r"]:
        assert sort_key_cy("iq") < sort_key_cy(w) < sort_key_cy("irs")
    assert sort_key_en("obr") < sort_key_en("O'Brien") < sort_key_en("obs")


def test_nfc_and_nfd_give_the_same_key():
    for w in ["Tŷ Ŵyr", "caniatâd", "Llŷn", "Wrecsam"]:
        nfd = unicodedata.normalize("NFD", w)
        assert nfd != w or w.isascii()
        assert sort_key_cy(nfd) == sort_key_cy(w)
        assert sort_key_en(nfd) == sort_key_en(w)


def test_english_key():
    assert_sorts(["apple", "Bangor", "chair", "cyan", "Llan", "lymph", "Zebra"], key=sort_key_en)
    assert_sorts(["resume", "Resume", "résumé", "resumes"], key=sort_key_en)
    assert_sorts(["ty", "tŷ", "tyb"], key=sort_key_en)


def test_sort_key_dispatch_and_none():
    assert sort_key("Llan", "cy") == sort_key_cy("Llan")
    assert sort_key("Llan", "en") == sort_key_en("Llan")
    assert sort_key("Llan", "cy_GB") == sort_key_cy("Llan")
    assert sort_key("Llan", "en-GB") == sort_key_en("Llan")
    assert sort_key_cy(None) == sort_key_cy("") < sort_key_cy("a")
    with pytest.raises(ValueError):
        sort_key("Llan", "fr")


def test_keys_order_the_same_in_sqlite():
    words = ["Bangor", "bach", "Ŵyr", "cyw", "chwaer", "10", "2", "Llan-faes", "llyfr", "lyn",
             "𝔘nicode", "日本", "ŷ", "", "zebra", "a\U0001f600"]  # fmt: skip
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (word TEXT, sort_cy TEXT, sort_en TEXT)")
    conn.execute("CREATE INDEX t_cy ON t (sort_cy)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?)", [(w, sort_key_cy(w), sort_key_en(w)) for w in words]
    )
    for column, key in (("sort_cy", sort_key_cy), ("sort_en", sort_key_en)):
        got = [r[0] for r in conn.execute(f"SELECT word FROM t ORDER BY {column}")]
        assert got == sorted(words, key=key)


# --- properties ------------------------------------------------------------------------------------

_WELSH_CHARS = "abcdefghijlmnoprstuwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ"
_welsh_words = st.text(alphabet=_WELSH_CHARS + _WELSH_CHARS.upper().replace("Ÿ", ""), min_size=1,
                       max_size=8)  # fmt: skip
_welsh_texts = st.lists(_welsh_words, min_size=1, max_size=3).map(" ".join)
_keys = st.sampled_from([sort_key_cy, sort_key_en])


@given(st.lists(st.text(max_size=20), max_size=20), _keys)
def test_sorting_is_deterministic_and_total(texts, key):
    once = sorted(texts, key=key)
    assert sorted(once, key=key) == once
    assert sorted(reversed(once), key=key) == once
    for t in texts:
        k = key(t)
        assert isinstance(k, str) and k == key(t)
        k.encode("utf-8")  # storable in SQLite


@given(st.text(max_size=20), st.text(max_size=20), _keys)
def test_different_texts_have_different_keys(a, b, key):
    def norm(s: str) -> str:
        s = unicodedata.normalize("NFC", s).replace("\x00", "")
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)

    assert (key(a) == key(b)) == (norm(a) == norm(b))


@given(st.text(max_size=20), _keys)
def test_nfd_input_gives_the_same_key(text, key):
    assert key(unicodedata.normalize("NFD", text)) == key(text)


@given(st.lists(_welsh_texts, min_size=1, max_size=8), _keys)
def test_case_variants_are_adjacent_property(texts, key):
    variants = []
    for t in texts:
        variants += [t, t.lower(), t.upper(), t.title()]
    ordered = sorted(variants, key=key)
    blocks: list[str] = []
    for t in ordered:
        folded = unicodedata.normalize("NFC", t).casefold()
        if not blocks or blocks[-1] != folded:
            assert folded not in blocks, ordered
            blocks.append(folded)


@given(st.lists(st.text(alphabet="abeijkmosuvwxyz", max_size=6), max_size=10))
def test_letters_without_digraphs_sort_like_plain_strings(words):
    # These letters have the same order in Welsh and English, and none forms a digraph.
    assert sorted(words, key=sort_key_cy) == sorted(words)
    assert sorted(words, key=sort_key_en) == sorted(words)


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=6), max_size=10))
def test_english_lowercase_sorts_like_plain_strings(words):
    assert sorted(words, key=sort_key_en) == sorted(words)


_EXCEPTION_LETTERS = [(p.replace("|", ""), where) for p, where, _ in WELSH_DIGRAPH_EXCEPTIONS]


def _unambiguous(units: list[str]) -> bool:
    """True when joining ``units`` can only be read back as exactly these Welsh letters."""
    for prev, cur in zip(units, units[1:], strict=False):
        if prev[-1] + cur[0] in WELSH_DIGRAPHS:
            return False
        if cur == "rh" and prev[-1] in "aeiouwy":
            return False
    word = "".join(units)
    for letters, where in _EXCEPTION_LETTERS:
        if (where == "start" and word.startswith(letters)) or (
            where == "inside" and letters in word[1:]
        ):
            return False
    return True


_units = st.lists(st.sampled_from(WELSH_LETTERS), max_size=6)


@settings(max_examples=300)
@given(_units, _units)
def test_welsh_order_matches_a_letter_by_letter_reference(a, b):
    assume(_unambiguous(a) and _unambiguous(b))
    ref_a = [WELSH_LETTERS.index(u) for u in a]
    ref_b = [WELSH_LETTERS.index(u) for u in b]
    ka, kb = sort_key_cy("".join(a)), sort_key_cy("".join(b))
    assert (ka < kb) == (ref_a < ref_b)
    assert (ka == kb) == (ref_a == ref_b)


@given(st.lists(st.text(max_size=12), max_size=15), _keys)
def test_sqlite_binary_order_equals_python_order(texts, key):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (i INTEGER, k TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, key(t)) for i, t in enumerate(texts)])
    got = [r[0] for r in conn.execute("SELECT i FROM t ORDER BY k, i")]
    want = sorted(range(len(texts)), key=lambda i: (key(texts[i]), i))
    assert got == want
