"""Sort keys for Welsh and English text, stored in the indexed ``sort_cy`` / ``sort_en`` columns.

The schema may not use a custom collation (the database must open in any SQLite), so sorting is
done by precomputing a key string per language whose plain binary comparison (SQLite ``BINARY``,
Python ``str`` ordering; both agree because UTF-8 byte order is code point order) gives the right
alphabetical order. ``ORDER BY sort_cy`` is then correct Welsh order and can use an index.

Welsh order (``sort_key_cy``)::

    a b c ch d dd e f ff g ng h i j l ll m n o p ph r rh s t th u w y

The digraphs ch dd ff ng ll ph rh th are single letters, so ``cyw < chwaer``, ``dyn < ddoe``,
``lyn < llyfr`` and ``rygbi < rhaid``. Letters outside the Welsh alphabet take their English place
(k after j, q after ph, v after u, x after w, z after y); other letters (Greek, ø, æ, ...) come after
z, by code point. Two spellings do not hold a digraph even though the letters are adjacent:

* false ``ng`` (n + g) in the words listed in ``WELSH_DIGRAPH_EXCEPTIONS`` (Bangor, Llan- place names,
  dangos and its derivatives, -garwch/-garwr compounds, llongyfarch, with their common mutated
  forms), so ``Bangor`` sorts among the ``ban...`` words and ``llongyfarch`` after ``llon``;
* ``rh`` after a vowel inside a word is r + h (``parhau``, ``arholiad``, ``cyrhaeddiad``): rh is a
  letter only at the start of a word or after a consonant (``Rhys``, ``cynrhon``, ``Llanrhaeadr``).

Exceptions apply to each word of a multi-word text. A zero-width non-joiner (or any other
invisible format character) or an apostrophe between two letters also stops them forming a digraph.

English order (``sort_key_en``): plain a-z, no digraphs.

Both keys compare level by level, like the Unicode collation algorithm:

1. Primary: letters (as above, case and diacritics ignored), with everything else before letters:
   word separators (runs of spaces and dashes, ``-``, ``–``, ``_``, collapsed to one, leading and
   trailing ones dropped) < punctuation and symbols (by code point) < numbers (by numeric value, so
   ``2 < 10``; leading zeros ignored) < letters. Apostrophes (``'`` ``’`` ``‘`` ``ʼ``) are ignored,
   so ``i'r`` sorts as ``ir`` and ``O'Brien`` as ``obrien``.
2. Secondary: diacritics. They never change the primary order (``ŵ`` sorts with ``w``) but break ties:
   plain before accented, then circumflex < acute < grave < diaeresis < any other mark, compared from
   the start of the text (``ty < tŷ``, ``wyr < ŵyr``).
3. Tertiary: case, lowercase first (``llan < Llan < LLAN``).
4. Last: the NFC text itself, by code point, so different texts never get equal keys (``Llan-faes``
   and ``Llan faes`` differ only here). NUL characters are dropped and lone surrogates replaced.

So the sort is total and deterministic, texts equal up to case differ only at level 3 and sort next
to each other, and NFC and NFD input give the same key. Keys are opaque: never show or parse them.
If the rules change, bump ``SORT_KEY_VERSION`` and recompute the stored keys.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = [
    "SORT_KEY_VERSION",
    "WELSH_DIGRAPH_EXCEPTIONS",
    "WELSH_DIGRAPHS",
    "sort_key",
    "sort_key_cy",
    "sort_key_en",
]

SORT_KEY_VERSION = 1

WELSH_DIGRAPHS = frozenset({"ch", "dd", "ff", "ng", "ll", "ph", "rh", "th"})

_WELSH_ALPHABET = (
    "a b c ch d dd e f ff g ng h i j k l ll m n o p ph q r rh s t th u v w x y z"
).split()
_ENGLISH_ALPHABET = tuple("abcdefghijklmnopqrstuvwxyz")
_WELSH_VOWELS = frozenset("aeiouwy")
# Primary weight of each letter: "A" + its place in the alphabet.
_WELSH_INDEX = {letter: chr(0x41 + i) for i, letter in enumerate(_WELSH_ALPHABET)}
_ENGLISH_INDEX = {letter: chr(0x41 + i) for i, letter in enumerate(_ENGLISH_ALPHABET)}

# False digraphs. Each entry is (pattern, where, why). The pattern is written in folded letters
# (lowercase, no diacritics); "|" marks a place where the two letters either side stay two letters.
# where = "start": the word starts with the pattern; "inside": the pattern occurs anywhere in the
# word except at its start (at the start, "ngarw" is the nasal mutation of "garw", a true ng).
# Sources: Hart's Rules (Oxford), 12.19 Welsh: "ng is indivisible when a single letter, but not when
# it represents n + g: this happens most frequently in the verb dangos and its derivatives,
# compounds ending in -garwch or -garwr, place names beginning with Llan- (Llangefni, Llangollen),
# and in Bangor"; Wikipedia "Welsh orthography" (collation: llongyfarch is llon + gyfarch, so it
# sorts after llong... and llom). Mutated forms are listed where they are common in running text.
WELSH_DIGRAPH_EXCEPTIONS: tuple[tuple[str, str, str], ...] = (
    ("ban|gor", "start", "Bangor"),
    ("fan|gor", "start", "Bangor, soft mutation (i Fangor)"),
    ("man|gor", "start", "Bangor, nasal mutation (ym Mangor)"),
    ("llan|g", "start", "Llan- place names: Llangollen, Llangefni, Llangrannog, Llangennech"),
    ("lan|g", "start", "Llan- place names, soft mutation (i Langollen)"),
    ("dan|gos", "start", "dangos and derivatives: dangosydd, dangosyddion, dangoswyd"),
    ("ddan|gos", "start", "dangos, soft mutation (i ddangos)"),
    ("nan|gos", "start", "dangos, nasal mutation (fy nangos)"),
    ("den|gys", "start", "dengys (dangos, 3rd person singular)"),
    ("dden|gys", "start", "dengys, soft mutation"),
    ("arddan|gos", "start", "arddangos, arddangosfa (ar + dangos)"),
    ("llon|gyf", "start", "llongyfarch, llongyfarchiadau (llon + cyfarch)"),
    ("lon|gyf", "start", "llongyfarch, soft mutation (ei longyfarch)"),
    ("n|garw", "inside", "-garwch / -garwr compounds: ariangarwr, dyngarwch"),
)


def _parse_exceptions() -> tuple[
    list[tuple[str, frozenset[int]]], list[tuple[str, frozenset[int]]]
]:
    start: list[tuple[str, frozenset[int]]] = []
    inside: list[tuple[str, frozenset[int]]] = []
    for pattern, where, _why in WELSH_DIGRAPH_EXCEPTIONS:
        letters = pattern.replace("|", "")
        splits: set[int] = set()
        position = 0
        for part in pattern.split("|")[:-1]:
            position += len(part)
            splits.add(position)  # no digraph from letters[position - 1] + letters[position]
        (start if where == "start" else inside).append((letters, frozenset(splits)))
    return start, inside


_START_EXCEPTIONS, _INSIDE_EXCEPTIONS = _parse_exceptions()

_APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u02bb\u2032`\u00b4")

# Primary-level lead characters. The level separator is the lowest character used, so a key whose
# level ends first sorts first ("ab" < "ab c" < "abc").
_LEVEL = "\x01"
_P_SEPARATOR = "\x02"
_P_PUNCT = "\x03"
_P_NUMBER = "\x04"
_P_OTHER_LETTER = "~"  # above every alphabet letter ("A" + index)
_NUMBER_CHUNK = 50_000  # longer digit runs are split (never happens in real text)

# Secondary and tertiary levels: a run of k unmarked units is one character that is lower the
# longer the run ("plain before marked" at the first difference); marked units use characters
# above every run character.
_RUN_MAX = 200
_MARK_END = "\u01ff"
_MARK_RANK = {"\u0302": 1, "\u0301": 2, "\u0300": 3, "\u0308": 4}  # ^ ´ ` ¨


def _char(n: int) -> str:
    """Monotonic int -> character, skipping the surrogate range (not encodable in UTF-8)."""
    return chr(n if n < 0xD800 else n + 0x800)


def _run(k: int) -> str:
    return chr(0x30 + _RUN_MAX - k)


def _mark(m: str) -> str:
    rank = _MARK_RANK.get(m)
    return _char(0x200 + (rank if rank is not None else 16 + ord(m)))


_SEP, _PUNCT, _DIGIT, _LETTER, _BREAK = range(5)


class _Atom:
    __slots__ = ("kind", "char", "upper", "marks")

    def __init__(self, kind: int, char: str, upper: bool = False) -> None:
        self.kind = kind
        self.char = char
        self.upper = upper
        self.marks: list[str] = []


def _is_separator(c: str, cat: str) -> bool:
    return c.isspace() or cat[0] == "Z" or cat in ("Pd", "Pc")


_MARK = -1


@lru_cache(maxsize=4096)
def _pieces(c: str) -> tuple[tuple[int, str, bool], ...]:
    """What one NFC character contributes: (kind, folded character, uppercase) pieces."""
    cat = unicodedata.category(c)
    if c in _APOSTROPHES or cat in ("Cf", "Cs") or (cat == "Cc" and not c.isspace()):
        return ((_BREAK, "", False),)
    if _is_separator(c, cat):
        return ((_SEP, " ", False),)
    upper = c.lower() != c
    pieces: list[tuple[int, str, bool]] = []
    for d in unicodedata.normalize("NFKD", c.casefold()):
        dcat = unicodedata.category(d)
        if dcat[0] == "M":
            pieces.append((_MARK, d, False))
        elif _is_separator(d, dcat):
            pieces.append((_SEP, " ", False))
        elif d in _APOSTROPHES or (dcat[0] == "C" and dcat not in ("Co", "Cn")):
            pieces.append((_BREAK, "", False))
        elif dcat == "Nd":
            pieces.append((_DIGIT, str(unicodedata.decimal(d)), False))
        elif dcat[0] == "L":
            pieces.append((_LETTER, d, upper))
        else:
            pieces.append((_PUNCT, d, False))
    return tuple(pieces)


def _atoms(text: str) -> list[_Atom]:
    """Casefolded, compatibility-decomposed atoms; combining marks attached to their base."""
    atoms: list[_Atom] = []
    attach: _Atom | None = None
    for c in unicodedata.normalize("NFC", text):
        for kind, char, upper in _pieces(c):
            if kind == _MARK:
                if attach is not None:
                    attach.marks.append(char)
                continue
            atom = _Atom(kind, char, upper)
            atoms.append(atom)
            attach = atom if kind in (_LETTER, _DIGIT, _PUNCT) else None
    return atoms


def _welsh_spans(word: str) -> list[tuple[int, int]]:
    """Split a folded word into Welsh letters: (start, end) spans of 1 or 2 characters."""
    forbidden: set[int] = set()
    for letters, splits in _START_EXCEPTIONS:
        if word.startswith(letters):
            forbidden |= splits
    for letters, splits in _INSIDE_EXCEPTIONS:
        at = word.find(letters, 1)
        while at != -1:
            forbidden.update(at + s for s in splits)
            at = word.find(letters, at + 1)
    spans: list[tuple[int, int]] = []
    i, n = 0, len(word)
    while i < n:
        pair = word[i : i + 2]
        if (
            pair in WELSH_DIGRAPHS
            and i + 1 not in forbidden
            and not (pair == "rh" and i > 0 and word[i - 1] in _WELSH_VOWELS)
        ):
            spans.append((i, i + 2))
            i += 2
        else:
            spans.append((i, i + 1))
            i += 1
    return spans


# A unit is (primary text, marks, case weight); marks and case are the lower levels.
_Unit = tuple[str, tuple[str, ...], int]


def _units(text: str, welsh: bool) -> list[_Unit]:
    index = _WELSH_INDEX if welsh else _ENGLISH_INDEX
    atoms = _atoms(text)
    units: list[_Unit] = []
    i, n = 0, len(atoms)
    while i < n:
        atom = atoms[i]
        kind = atom.kind
        if kind == _BREAK:
            i += 1
        elif kind == _SEP:
            if units and units[-1][0] != _P_SEPARATOR:
                units.append((_P_SEPARATOR, (), 0))
            i += 1
        elif kind == _PUNCT:
            units.append((_P_PUNCT + atom.char, tuple(atom.marks), 0))
            i += 1
        elif kind == _DIGIT:
            j = i
            while j < n and atoms[j].kind == _DIGIT:
                j += 1
            digits = "".join(a.char for a in atoms[i:j]).lstrip("0") or "0"
            marks = tuple(m for a in atoms[i:j] for m in a.marks)
            for start in range(0, len(digits), _NUMBER_CHUNK):
                chunk = digits[start : start + _NUMBER_CHUNK]
                units.append((_P_NUMBER + _char(0x100 + len(chunk)) + chunk, marks, 0))
                marks = ()
            i = j
        else:
            j = i
            while j < n and atoms[j].kind == _LETTER:
                j += 1
            word_atoms = atoms[i:j]
            word = "".join(a.char for a in word_atoms)
            spans = _welsh_spans(word) if welsh else [(k, k + 1) for k in range(len(word))]
            for start, end in spans:
                letter = word[start:end]
                primary = index.get(letter) or _P_OTHER_LETTER + letter
                parts = word_atoms[start:end]
                case = 0
                for part in parts:
                    case = case * 2 + part.upper
                units.append((primary, tuple(m for a in parts for m in a.marks), case))
            i = j
    if units and units[-1][0] == _P_SEPARATOR:
        units.pop()
    return units


def _lower_level(items: list[str | None]) -> str:
    """Encode a secondary/tertiary level: None is an unmarked unit, a string a marked one."""
    while items and items[-1] is None:
        items.pop()
    out: list[str] = []
    run = 0
    for item in items:
        if item is None:
            run += 1
            continue
        while run > 0:
            chunk = min(run, _RUN_MAX)
            out.append(_run(chunk))
            run -= chunk
        out.append(item)
    return "".join(out)


_FINAL_ESCAPES = {"\x00": "\x01\x01", "\x01": "\x01\x02"}


def _final_level(nfc_text: str) -> str:
    # The text itself breaks the last ties. NUL can't be stored in SQLite text, so \x00 and \x01
    # are escaped in an order-preserving way (\x00 → \x01\x01, \x01 → \x01\x02).
    if nfc_text.isprintable():  # no control characters, no lone surrogates: nothing to escape
        return nfc_text
    return "".join(
        "\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else _FINAL_ESCAPES.get(c, c) for c in nfc_text
    )


def _secondary_items(units: list[_Unit]) -> list[str | None]:
    return ["".join(_mark(m) for m in marks) + _MARK_END if marks else None for _p, marks, _c in units]


def _tertiary_items(units: list[_Unit]) -> list[str | None]:
    return [_char(0x200 + case) if case else None for _p, _m, case in units]


def _key_whole_text(text: str | None, welsh: bool) -> str:
    """The key computed from the whole text at once: the definition `_key` must equal (a
    property test checks it)."""
    if text is None:
        text = ""
    units = _units(text, welsh)
    primary = "".join(u[0] for u in units)
    secondary = _lower_level(_secondary_items(units))
    tertiary = _lower_level(_tertiary_items(units))
    final = _final_level(unicodedata.normalize("NFC", text))
    return _LEVEL.join((primary, secondary, tertiary, final))


# Faster, same keys: the text is split at ASCII spaces and each piece's share of every level is
# cached. That gives the same units because a space is a word separator (no letter, digit run or
# digraph spans it, marks after it attach to nothing, runs of separators collapse to one, and
# pieces neither start nor end with one) and a space is "stable" in NFC (it never composes or
# reorders with its neighbours), so each piece of an NFC text is NFC. Titles repeat words a lot,
# so most pieces are found in the cache.
_Level = tuple[str | None, ...]  # a piece's items of one lower level; () when none is marked


@lru_cache(maxsize=65536)
def _piece_levels(piece: str, welsh: bool) -> tuple[str, int, _Level, _Level, str, str] | None:
    """(primary, number of units, secondary items, tertiary items, and both levels encoded as
    for a text of this piece alone) of one piece; None for a piece without units (only
    apostrophes, say)."""
    units = _units(piece, welsh)
    if not units:
        return None
    secondary, tertiary = _secondary_items(units), _tertiary_items(units)
    return (
        "".join(u[0] for u in units),
        len(units),
        tuple(secondary) if any(i is not None for i in secondary) else (),
        tuple(tertiary) if any(i is not None for i in tertiary) else (),
        _lower_level(list(secondary)),  # the level as it is when this piece comes first
        _lower_level(list(tertiary)),
    )


def _joined_level(pieces: list[tuple[str, int, _Level, _Level, str, str]], level: int) -> str:
    """One lower level of the whole text: the pieces' items with an unmarked space between."""
    last = -1
    for n, piece in enumerate(pieces):
        if piece[level]:
            last = n
    if last < 0:
        return ""
    if last == 0:  # only the first piece is marked (a capital first letter, say)
        return pieces[0][4] if level == 2 else pieces[0][5]
    joined: list[str | None] = []
    for piece in pieces[: last + 1]:
        if joined:
            joined.append(None)
        items: _Level = piece[2] if level == 2 else piece[3]
        joined.extend(items or (None,) * piece[1])
    return _lower_level(joined)


@lru_cache(maxsize=8192)
def _key(text: str | None, welsh: bool) -> str:
    if not text:
        return _key_whole_text(text, welsh)
    nfc_text = unicodedata.normalize("NFC", text)
    pieces = []
    for piece in nfc_text.split(" "):
        if piece:
            levels = _piece_levels(piece, welsh)
            if levels is not None:
                pieces.append(levels)
    primary = _P_SEPARATOR.join(p[0] for p in pieces)
    secondary = _joined_level(pieces, 2)
    tertiary = _joined_level(pieces, 3)
    return _LEVEL.join((primary, secondary, tertiary, _final_level(nfc_text)))


def sort_key_cy(text: str | None) -> str:
    """Welsh sort key for the ``sort_cy`` column (None sorts like the empty text)."""
    return _key(text, True)


def sort_key_en(text: str | None) -> str:
    """English sort key for the ``sort_en`` column (None sorts like the empty text)."""
    return _key(text, False)


def sort_key(text: str | None, lang: str) -> str:
    """Sort key for ``lang``: "cy" or "en" (a locale such as "cy_GB" or "en-GB" is accepted)."""
    base = lang.replace("-", "_").split("_", 1)[0].lower()
    if base == "cy":
        return sort_key_cy(text)
    if base == "en":
        return sort_key_en(text)
    raise ValueError(f"no sort key for language {lang!r}: expected 'cy' or 'en'")
