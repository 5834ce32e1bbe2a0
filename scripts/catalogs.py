#!/usr/bin/env python3
"""Gettext catalogs of the app: extract, update, compile and check.

    python scripts/catalogs.py extract   sources -> translations/messages.pot
    python scripts/catalogs.py update    messages.pot -> cy/ and en/ LC_MESSAGES/messages.po
    python scripts/catalogs.py compile   messages.po -> messages.mo (committed)
    python scripts/catalogs.py check     exit 1 and list the problems, if any
    python scripts/catalogs.py all       extract, update, compile, check
    python scripts/catalogs.py fill F.json [...]
                                         extract, update, put the Welsh of F.json into the
                                         Welsh .po (empty or fuzzy messages only), compile, check
    python scripts/catalogs.py straighten
                                         make every apostrophe of the Welsh .po straight (the
                                         house style; e.g. after a merge), compile, check

After adding or changing a string in the code: run `all`, translate the new Welsh messages in
translations/cy/LC_MESSAGES/messages.po (a .po editor such as Poedit, or by hand), run `all` again.

- extract: babel's Python extractor over src/selfeval_app/**/*.py with the keywords `_`, `N_`,
  `ngettext`, `pgettext` and `npgettext` (the last two with msgctxt); comments starting with
  "Translators:" go into the catalog for the translator. Locations are written without line
  numbers, so moving code around does not change the .pot; the messages are sorted by msgid.
  The .pot is rewritten only when its messages change (its dates stay put otherwise).
- update: merges the .pot into each .po, keeping translations (a reworded message gets the old
  translation, marked fuzzy for review); messages gone from the code are dropped (git keeps
  them). Welsh keeps the six-form CLDR plural header (babel's own merges "zero" into "other").
  English is the source language: every English msgstr is set to a copy of its msgid.
- compile: .po -> .mo without fuzzy translations; byte-for-byte deterministic for a given .po
  and babel version, and written only when it changes.
- check: see `check()`. Exits 1 and lists every problem.

Babel is a build/check-time tool here; the app reads the .mo files with the stdlib `gettext`.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Collection
from dataclasses import dataclass
from gettext import GNUTranslations
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

ROOT = Path(__file__).resolve().parents[1]

LANGUAGES = ("cy", "en")
SOURCE_LANGUAGE = "en"
DOMAIN = "messages"

#: babel keyword specs: argument positions of the messages, (n, "c") = msgctxt.
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators:",)

#: CLDR's Welsh rule with six forms: zero, one, two, few (3), many (6), other.
WELSH_PLURAL_FORMS = (
    "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
)
ENGLISH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
PLURAL_FORMS = {"cy": WELSH_PLURAL_FORMS, "en": ENGLISH_PLURAL_FORMS}
PLURAL_ORDER = {
    "cy": "0 zero, 1 one, 2 two, 3 few (3), 4 many (6), 5 other",
    "en": "0 one, 1 other",
}
LANGUAGE_TEAMS = {"cy": "Cymraeg", "en": "English"}

PROJECT = "selfeval-app"
COPYRIGHT_HOLDER = "the selfeval-app contributors"
HEADER_COMMENT = (
    "# Hunanwerthuso | Self-evaluation: messages of the app.\n"
    "# Made by scripts/catalogs.py; see the comments at its top.\n"
    "#"
)

#: How every .pot and .po is written: no wrapping (one line per string, so a grep for the
#: Welsh plural header finds it), locations without line numbers, sorted, no obsolete entries.
PO_OPTIONS = {
    "width": 0,
    "include_lineno": False,
    "sort_output": True,
    "ignore_obsolete": True,
    "include_previous": True,
}


@dataclass(frozen=True)
class Layout:
    """Where the sources and catalogs are; tests point it at a temporary tree."""

    root: Path = ROOT

    @property
    def source_dirs(self) -> tuple[Path, ...]:
        return (self.root / "src" / "selfeval_app",)

    @property
    def translations(self) -> Path:
        return self.root / "translations"

    @property
    def pot(self) -> Path:
        return self.translations / f"{DOMAIN}.pot"

    @property
    def allowlist(self) -> Path:
        return self.translations / "allowlist.txt"

    def po(self, lang: str) -> Path:
        return self.translations / lang / "LC_MESSAGES" / f"{DOMAIN}.po"

    def mo(self, lang: str) -> Path:
        return self.translations / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


DEFAULT_LAYOUT = Layout()


# -- reading and writing ----------------------------------------------------------------------


def _version(layout: Layout) -> str:
    init = layout.root / "src" / "selfeval_app" / "__init__.py"
    try:
        found = re.search(r'^__version__\s*=\s*["\']([^"\']+)', init.read_text("utf-8"), re.M)
    except OSError:
        found = None
    return found.group(1) if found else "0"


def render_po(catalog: Catalog, *, omit_header: bool = False) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, omit_header=omit_header, **PO_OPTIONS)
    return buf.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


class CatalogError(Exception):
    """A .po file that cannot be used as it is: it needs a person, not this tool."""


def _plural_forms_in_header(data: bytes) -> str | None:
    """The Plural-Forms of a .po, read from its header entry only (the first block)."""
    block = re.split(rb"\r?\n[ \t]*\r?\n", data, maxsplit=1)[0]
    if b"Plural-Forms:" not in block:
        return None
    return read_po(io.BytesIO(block), abort_invalid=False).plural_forms


def load_po(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po/.pot. For a language of ours, its Plural-Forms must be exactly ours first:
    reading plural messages under another rule would drop or shift their forms, so a wrong
    header is never repaired silently (another tool, or babel's own Welsh rule, may have put
    it there, and the msgstr[n] may then be in that rule's order)."""
    data = path.read_bytes()
    if locale in PLURAL_FORMS:
        found = _plural_forms_in_header(data)
        if found != PLURAL_FORMS[locale]:
            raise CatalogError(
                f"{path.name} ({locale}): Plural-Forms is {found!r}; it must be "
                f"{PLURAL_FORMS[locale]!r}. Fix the header by hand, and check that the msgstr[n] "
                f"of every plural message follow that rule's order ({PLURAL_ORDER[locale]})."
            )
    try:
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid)


def _keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {_key(m) for m in catalog if m.id}


def describe(message: Message) -> str:
    """msgid (and msgctxt) of a message, as a reader of the .po file would search for it."""
    ctx = f"msgctxt {message.context!r} " if message.context else ""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{ctx}msgid {msgid!r}"


def _describe_key(key: tuple[str | None, str]) -> str:
    ctx, msgid = key
    return (f"msgctxt {ctx!r} " if ctx else "") + f"msgid {msgid!r}"


# -- extract ----------------------------------------------------------------------------------


def source_files(layout: Layout) -> list[Path]:
    files = set()
    for directory in layout.source_dirs:
        files.update(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files)


def extract_catalog(layout: Layout = DEFAULT_LAYOUT) -> Catalog:
    """The template catalog made from the sources as they are now."""
    catalog = Catalog(
        project=PROJECT,
        version=_version(layout),
        copyright_holder=COPYRIGHT_HOLDER,
        msgid_bugs_address="",
        charset="utf-8",
        header_comment=HEADER_COMMENT,
    )
    for path in source_files(layout):
        location = path.relative_to(layout.root).as_posix()
        found = extract_from_file("python", path, keywords=KEYWORDS, comment_tags=COMMENT_TAGS)
        for lineno, message, comments, context in found:
            # One paragraph per comment block, re-wrapped when written.
            notes = [" ".join(c.strip() for c in comments)] if comments else []
            catalog.add(message, None, [(location, lineno)], auto_comments=notes, context=context)
    return catalog


def extract(layout: Layout = DEFAULT_LAYOUT) -> bool:
    """Rewrite the .pot if its messages differ from the sources'. True if it was rewritten."""
    fresh = extract_catalog(layout)
    if layout.pot.exists():
        try:
            current = render_po(load_po(layout.pot), omit_header=True)
        except CatalogError:
            current = None  # unreadable (a merge conflict?): it is generated, so write it anew
        if current == render_po(fresh, omit_header=True):
            return False
    return _write_if_changed(layout.pot, render_po(fresh))


# -- update -----------------------------------------------------------------------------------


def _new_catalog(lang: str, layout: Layout) -> Catalog:
    return Catalog(
        locale=lang,
        project=PROJECT,
        version=_version(layout),
        copyright_holder=COPYRIGHT_HOLDER,
        msgid_bugs_address="",
        charset="utf-8",
        header_comment=HEADER_COMMENT,
        language_team=LANGUAGE_TEAMS[lang],
        fuzzy=False,
    )


def updated_catalog(lang: str, template: Catalog, layout: Layout = DEFAULT_LAYOUT) -> Catalog:
    path = layout.po(lang)
    catalog = load_po(path, locale=lang) if path.exists() else _new_catalog(lang, layout)
    source = lang == SOURCE_LANGUAGE
    catalog.update(template, no_fuzzy_matching=source, update_header_comment=False)
    # Our plural header, whatever babel's locale data says (its Welsh rule has five forms).
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
    catalog.obsolete.clear()
    if source:
        for message in catalog:
            if not message.id:
                continue
            message.string = tuple(message.id) if message.pluralizable else message.id
            message.flags.discard("fuzzy")
            message.previous_id = []
    return catalog


def update(layout: Layout = DEFAULT_LAYOUT) -> list[Path]:
    """Merge the .pot into every .po; returns the files that changed."""
    template = load_po(layout.pot)
    changed = []
    for lang in LANGUAGES:
        catalog = updated_catalog(lang, template, layout)
        if _write_if_changed(layout.po(lang), render_po(catalog)):
            changed.append(layout.po(lang))
    return changed


# -- compile ----------------------------------------------------------------------------------


def compile_catalogs(layout: Layout = DEFAULT_LAYOUT) -> list[Path]:
    """Compile every .po into its .mo; returns the files that changed."""
    changed = []
    for lang in LANGUAGES:
        data = render_mo(load_po(layout.po(lang), locale=lang))
        if _write_if_changed(layout.mo(lang), data):
            changed.append(layout.mo(lang))
    return changed


# -- check ------------------------------------------------------------------------------------

#: Headers that must agree between a .po and its compiled .mo (the rest, such as
#: Generated-By, may differ between babel versions without changing what the app shows).
MO_HEADERS = ("language", "plural-forms", "content-type")


def read_allowlist(path: Path) -> set[str]:
    """msgids that may stay identical in Welsh: one per line; blank lines and # lines ignored."""
    if not path.exists():
        return set()
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return {line for line in lines if line and not line.startswith("#")}


_PLACEHOLDER = re.compile(r"%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[diouxXeEfFgGcrsa%]|\{[^{}]*\}")


def _has_words(text: str) -> bool:
    """False for messages with nothing to translate ("%(a)s – %(b)s", "…")."""
    return any(ch.isalpha() for ch in _PLACEHOLDER.sub("", text))


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, (list, tuple)):
        return tuple(s or "" for s in message.string)
    return (message.string or "",)


# -- Welsh house style (docs/decisions.md) ---------------------------------------------

#: The apostrophe of Welsh text: the straight one, as in the resources and the demo's framework
#: files. Curly (U+2019), modifier (U+02BC) and opening (U+2018) quotes used as apostrophes mix
#: two styles on one screen; quotations in Welsh use “ ”.
WELSH_APOSTROPHE = "'"
OTHER_APOSTROPHES = "\u2019\u02bc\u2018"

#: Colloquial negatives and the formal written form the catalog uses instead (the Welsh
#: Government's Arddulliadur, "cyweiriau": y cywair ffurfiol has Nid yw, Nid ydym, Nid oes...).
COLLOQUIAL_NEGATIVES = {
    "does": "Nid oes",
    "dyw": "Nid yw",
    "dydy": "Nid yw",
    "dydi": "Nid yw",
    "doedd": "Nid oedd",
    "dydw": "Nid wyf",
    "dwyt": "Nid wyt",
    "dydyn": "Nid ydym / Nid ydynt",
    "dydych": "Nid ydych",
    "sdim": "Nid oes",
}

#: Words after the negative particle `ni` that begin with a vowel and are still right with `ni`:
#: verbs whose g- is lost by the soft mutation after `ni` (gallu, gadael, galw, gofyn, gosod,
#: golygu, gorfod, gorffen, gyrru, gobeithio, goddef, gafael, gorchymyn, gorfodi, gofalu), as in
#: "Ni all", "Ni ellir", "Ni ellid", "Ni adawyd". Every other vowel-initial word needs `nid`
#: ("Nid ysgrifennwyd", "Nid atodwyd", "Nid allforiwyd", "Nid oes", "Nid yw"). Forms of gwybod,
#: gweld, gwneud... begin with w after the mutation ("Ni wyddom", "Ni welwyd") and are not
#: checked: w is a consonant there. `wyf` and `wyt` (bod) take `nid`, so they are checked.
NI_BEFORE_VOWEL_ALLOWED = frozenset(
    # gallu
    "all allaf alli allwn allwch allant allai allit allem allech allent allodd allasai allasent"
    " allasid allwyd allaswn allo allom allont ellir ellid ellais ellaist ellwch ellych"
    # gadael, galw
    " adawaf adewi adawa adawn adewch adawant adewir adawai adewid adawodd adawyd adawsant"
    " alwaf elwi alwa alwn alwant elwir alwai elwid alwodd alwyd"
    # gofyn, gosod, golygu
    " ofynnaf ofynni ofynna ofynnwn ofynnant ofynnir ofynnai ofynnid ofynnodd ofynnwyd"
    " osodaf osoda osodir osodid osododd osodwyd osodant"
    " olygaf olyga olygir olygai olygid olygodd olygwyd"
    # gorfod, gorffen, gyrru, gobeithio, goddef, gafael, gorchymyn, gorfodi, gofalu
    " orfu orfod orffennaf orffenna orffennir orffennodd orffennwyd"
    " yrraf yrra yrrir yrrai yrrodd yrrwyd obeithiaf obeithiwn obeithir"
    " oddefir oddefai oddefodd oddefwyd afaelodd afaelwyd orchmynnir orchmynnodd orchmynnwyd"
    " orfodir orfodai orfodwyd ofalodd ofalwyd".split()
)
WELSH_VOWELS = "aeiouyâêîôûŷáéíóúýàèìòùỳäëïöüÿ"
#: w-initial words that take `nid` (forms of bod).
NID_BEFORE_W = frozenset({"wyf", "wyt"})
#: `ni` is the negative particle (not the pronoun "we/us") when it starts a sentence or clause:
#: at the start, after punctuation, or after these conjunctions. The pronoun follows a verb or a
#: preposition ("i ni", "gallwn ni"), which this does not match.
_NI_PARTICLE = re.compile(
    r"(?:^|[.!?:;,(“\"…—–\n]|\b(?:ac|ond|felly|yna)\s)\s*\b(ni)\s+([^\W\d_]+)", re.IGNORECASE
)
_RAG = re.compile(r"\bRAG\b")
_WORD = re.compile(r"[^\W\d_]+")


def ni_before_vowel(text: str) -> list[str]:
    """The words that follow the particle `ni` where Welsh needs `nid` ("Ni ysgrifennwyd")."""
    found = []
    for match in _NI_PARTICLE.finditer(text):
        word = match.group(2)
        lower = word.lower()
        needs_nid = lower[0] in WELSH_VOWELS or lower in NID_BEFORE_W
        if needs_nid and lower not in NI_BEFORE_VOWEL_ALLOWED:
            found.append(f"{match.group(1)} {word}")
    return found


def welsh_text_problems(text: str) -> list[str]:
    """House-style problems of one Welsh text (a msgstr, a resource string): `ni` before a vowel,
    the English acronym RAG, a non-straight apostrophe, a colloquial negative."""
    problems = [f"“{found}”: write Nid before a vowel" for found in ni_before_vowel(text)]
    if _RAG.search(text):
        problems.append("the English acronym RAG: Welsh writes CAG (Coch, Ambr, Gwyrdd)")
    odd = sorted({ch for ch in text if ch in OTHER_APOSTROPHES})
    if odd:
        shown = " ".join(f"U+{ord(ch):04X}" for ch in odd)
        problems.append(f"apostrophe {shown}: Welsh text uses the straight {WELSH_APOSTROPHE}")
    for word in _WORD.findall(text):
        if word.lower() in COLLOQUIAL_NEGATIVES:
            problems.append(f"colloquial “{word}”: write {COLLOQUIAL_NEGATIVES[word.lower()]}")
    for found in _FERSIWN_UNMUTATED.findall(text):
        problems.append(f"“fersiwn {found}”: fersiwn is feminine, the adjective mutates (e.g. fersiwn fwy newydd)")
    return problems


#: Adjectives the catalog uses after "fersiwn" (feminine: soft mutation), in their unmutated form.
_FERSIWN_UNMUTATED = re.compile(
    r"\bfersiwn (mwy|mwyaf|cynharach|cynnar|diweddar|diweddaraf|blaenorol|presennol|terfynol)\b",
    re.IGNORECASE,
)


def straighten_apostrophes(text: str) -> str:
    """Welsh text with every curly or modifier apostrophe made straight."""
    return text.translate({ord(ch): WELSH_APOSTROPHE for ch in OTHER_APOSTROPHES})


def welsh_problems(catalog: Catalog, allowlist: Collection[str] = ()) -> list[str]:
    """Problems of the Welsh catalog: header, missing, fuzzy, untranslated (same as English), and
    the house style of every translated message (`welsh_text_problems`)."""
    problems = []
    if str(catalog.locale_identifier) != "cy":
        problems.append(f"cy: the Language header is {catalog.locale_identifier!r}, not 'cy'")
    if catalog.plural_forms != WELSH_PLURAL_FORMS:
        problems.append(
            f"cy: Plural-Forms is {catalog.plural_forms!r}; it must be {WELSH_PLURAL_FORMS!r}"
        )
    for message in catalog:
        if not message.id:
            continue
        strings = _strings(message)
        ids = tuple(message.id) if message.pluralizable else (message.id,)
        if not all(strings):
            problems.append(f"cy: missing translation: {describe(message)}")
        elif message.fuzzy:
            problems.append(
                f"cy: fuzzy (needs review, then remove the fuzzy flag): {describe(message)}"
            )
        elif (
            all(s in ids for s in strings)
            and ids[0] not in allowlist
            and any(_has_words(i) for i in ids)
        ):
            problems.append(
                f"cy: same as the English (translate it, or add it to allowlist.txt): {describe(message)}"
            )
        else:
            style = dict.fromkeys(p for text in strings for p in welsh_text_problems(text))
            problems += [f"cy: {p}: {describe(message)}" for p in style]
    return problems


def english_problems(catalog: Catalog) -> list[str]:
    problems = []
    if str(catalog.locale_identifier) != "en":
        problems.append(f"en: the Language header is {catalog.locale_identifier!r}, not 'en'")
    if catalog.plural_forms != ENGLISH_PLURAL_FORMS:
        problems.append(
            f"en: Plural-Forms is {catalog.plural_forms!r}; it must be {ENGLISH_PLURAL_FORMS!r}"
        )
    for message in catalog:
        if not message.id:
            continue
        expected = tuple(message.id) if message.pluralizable else (message.id,)
        if _strings(message) != expected or message.fuzzy:
            problems.append(
                f"en: msgstr is not a copy of the msgid (run update): {describe(message)}"
            )
    return problems


def babel_problems(lang: str, catalog: Catalog) -> list[str]:
    """babel's own checks: placeholders that the translation changes, number of plural forms."""
    problems = []
    for message, errors in catalog.check():
        if message.fuzzy:
            continue  # reported as fuzzy already
        problems.extend(f"{lang}: {error}: {describe(message)}" for error in errors)
    return problems


def _table(data: bytes) -> tuple[dict, dict]:
    translations = GNUTranslations(io.BytesIO(data))
    messages = {k: v for k, v in translations._catalog.items() if k != ""}  # type: ignore[attr-defined]
    headers = {k: v for k, v in translations.info().items() if k in MO_HEADERS}
    return messages, headers


def mo_problems(lang: str, layout: Layout = DEFAULT_LAYOUT) -> list[str]:
    """The .mo must hold what compiling the .po gives (same messages, same plural rule)."""
    mo = layout.mo(lang)
    if not mo.exists():
        return [f"{lang}: {mo.name} is missing (run compile)"]
    try:
        expected = _table(render_mo(load_po(layout.po(lang), locale=lang)))
    except (CatalogError, OSError):
        return []  # the .po itself is reported
    try:
        actual = _table(mo.read_bytes())
    except OSError as exc:
        return [f"{lang}: {mo} cannot be read ({exc}); run compile"]
    if actual != expected:
        return [f"{lang}: {mo.relative_to(layout.root)} does not match its .po (run compile)"]
    return []


def pot_problems(layout: Layout = DEFAULT_LAYOUT) -> list[str]:
    """The .pot must hold exactly the messages of the sources."""
    if not layout.pot.exists():
        return [f"{layout.pot.name} is missing (run extract)"]
    fresh = extract_catalog(layout)
    try:
        current = load_po(layout.pot)
    except CatalogError as exc:
        return [f"{exc} (run extract)"]
    if render_po(current, omit_header=True) == render_po(fresh, omit_header=True):
        return []
    new, gone = _keys(fresh) - _keys(current), _keys(current) - _keys(fresh)
    problems = [
        f"{layout.pot.name} is out of date with the sources: run `python scripts/catalogs.py all`,"
        " then translate the new Welsh messages"
    ]
    problems += [
        f"  not in {layout.pot.name} yet: {_describe_key(k)}" for k in sorted(new, key=str)
    ]
    problems += [f"  no longer in the sources: {_describe_key(k)}" for k in sorted(gone, key=str)]
    return problems


#: Arguments that hold messages, by function (0-based); the rest are counts.
MESSAGE_ARGS = {
    "_": (0,),
    "N_": (0,),
    "ngettext": (0, 1),
    "pgettext": (0, 1),
    "npgettext": (0, 1, 2),
}


def misuse_problems(layout: Layout = DEFAULT_LAYOUT) -> list[str]:
    """Calls that can never be translated: a message formatted *before* the lookup, such as
    ``_(f"Hello {name}")``, ``_("Hello %s" % name)`` or ``_("Hello {}".format(name))``. The
    extractor skips them or extracts a text the program never asks for. Format after
    translating: ``_("Hello %(name)s") % {"name": name}``."""
    problems = []
    for path in source_files(layout):
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except SyntaxError as exc:
            problems.append(f"{path.relative_to(layout.root).as_posix()}: cannot parse: {exc}")
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in MESSAGE_ARGS:
                continue
            for index in MESSAGE_ARGS[name]:
                if index < len(node.args) and isinstance(
                    node.args[index], (ast.JoinedStr, ast.BinOp, ast.Call)
                ):
                    where = f"{path.relative_to(layout.root).as_posix()}:{node.lineno}"
                    problems.append(
                        f"{where}: {name}() of a text formatted before translation; translate"
                        ' first, then format: _("... %(name)s") % {"name": ...}'
                    )
                    break
    return problems


def check(layout: Layout = DEFAULT_LAYOUT, *, sources: bool = True) -> list[str]:
    """Every problem of the catalogs (empty when all is well):

    - a message formatted before it is translated (`misuse_problems`), unless `sources` is False;
    - the .pot differs from what extraction gives now (a string added, changed or removed in
      the code; comments and file locations count, line numbers do not), unless `sources` is
      False;
    - a .po lacks messages of the .pot or has extra ones (run update);
    - Welsh: the Plural-Forms header is not the six-form one; a message is untranslated (any
      plural form empty), fuzzy, or identical to its English source (every form equal to
      msgid/msgid_plural) unless its msgid is in translations/allowlist.txt or it has no words
      (only placeholders and punctuation); house style (`welsh_text_problems`): `Ni` before a
      vowel where Welsh needs `Nid`, the English acronym RAG, an apostrophe other than the
      straight one, a colloquial negative (Does dim, Dyw...) where the catalog writes Nid oes;
    - English: a msgstr that is not a copy of its msgid (run update);
    - babel's checks: placeholders the translation changes, wrong number of plural forms;
    - a .mo that does not hold what compiling its .po gives (run compile).
    """
    problems = (misuse_problems(layout) + pot_problems(layout)) if sources else []
    try:
        template = load_po(layout.pot) if layout.pot.exists() else None
    except CatalogError as exc:
        problems.append(str(exc))
        template = None
    allowlist = read_allowlist(layout.allowlist)
    for lang in LANGUAGES:
        po = layout.po(lang)
        if not po.exists():
            problems.append(f"{lang}: {po.relative_to(layout.root)} is missing (run update)")
            continue
        try:
            catalog = load_po(po, locale=lang)
        except CatalogError as exc:
            problems.append(f"{lang}: {exc}")
            continue
        if template is not None:
            missing = _keys(template) - _keys(catalog)
            extra = _keys(catalog) - _keys(template)
            problems += [
                f"{lang}: not in the .po yet (run update): {_describe_key(k)}"
                for k in sorted(missing, key=str)
            ]
            problems += [
                f"{lang}: no longer in the .pot (run update): {_describe_key(k)}"
                for k in sorted(extra, key=str)
            ]
        if lang == "cy":
            problems += welsh_problems(catalog, allowlist)
        else:
            problems += english_problems(catalog)
        problems += babel_problems(lang, catalog)
        problems += mo_problems(lang, layout)
    return problems


# -- command line -----------------------------------------------------------------------------


def _report_changed(what: str, paths: list[Path], layout: Layout) -> None:
    for path in paths:
        print(f"{what} {path.relative_to(layout.root)}")


def fill_welsh(translations: dict, layout: Layout = DEFAULT_LAYOUT) -> tuple[int, list[str]]:
    """Put Welsh translations into the Welsh .po: only messages with no translation or a fuzzy
    one are filled, so a reviewed translation is never overwritten by a batch file.

    `translations` maps a msgid (or "context\x04msgid") to its Welsh: a string, or for a plural
    message a list of the six CLDR forms. Curly apostrophes are made straight, the house style.
    Returns (how many filled, msgids not in the catalog)."""
    path = layout.po("cy")
    catalog = load_po(path, "cy")
    filled, unknown = 0, []
    for key, welsh in translations.items():
        context, _sep, msgid = key.rpartition("\x04")
        message = catalog.get(msgid, context=context or None)
        if message is None:
            unknown.append(key)
            continue
        current = message.string
        empty = not any(current) if isinstance(current, (list, tuple)) else not current
        if not (empty or message.fuzzy):
            continue
        if isinstance(welsh, list):
            message.string = tuple(straighten_apostrophes(form) for form in welsh)
        else:
            message.string = straighten_apostrophes(welsh)
        message.flags.discard("fuzzy")
        filled += 1
    _write_if_changed(path, render_po(catalog))
    return filled, unknown


def straighten_welsh(layout: Layout = DEFAULT_LAYOUT) -> int:
    """Make every apostrophe of the Welsh .po straight; returns how many messages changed. Only
    the apostrophe changes: the other house-style problems need a person (see `check`)."""
    path = layout.po("cy")
    catalog = load_po(path, "cy")
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, (list, tuple)):
            fixed = tuple(straighten_apostrophes(form or "") for form in message.string)
        else:
            fixed = straighten_apostrophes(message.string or "")
        if fixed != (tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string):
            message.string = fixed
            changed += 1
    _write_if_changed(path, render_po(catalog))
    return changed


def main(argv: list[str] | None = None, layout: Layout = DEFAULT_LAYOUT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command", choices=["extract", "update", "compile", "check", "all", "fill", "straighten"]
    )
    parser.add_argument("files", nargs="*", type=Path, help="fill: JSON files of Welsh translations")
    args = parser.parse_args(argv)
    try:
        with _catalog_lock(layout):
            if args.command == "fill":
                import json

                _run("extract", layout)
                _run("update", layout)
                for file in args.files:
                    filled, unknown = fill_welsh(json.loads(file.read_text(encoding="utf-8")), layout)
                    print(f"{file}: {filled} Welsh message(s) filled")
                    for key in unknown:
                        print(f"  not in the catalog: {key!r}")
                return _run("all", layout)
            if args.command == "straighten":
                print(f"{straighten_welsh(layout)} Welsh message(s) straightened")
                return _run("all", layout)
            return _run(args.command, layout)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


class _catalog_lock:  # noqa: N801 (used as a context manager)
    """One catalog command at a time in a checkout (several people or tools may run them)."""

    def __init__(self, layout: Layout):
        import hashlib
        import tempfile

        # Outside the checkout, so no tool copying translations/ picks it up.
        key = hashlib.sha256(str(layout.translations.resolve()).encode()).hexdigest()[:16]
        self.path = Path(tempfile.gettempdir()) / f"selfeval-catalogs-{key}.lock"
        self.file = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # Windows: no concurrent runs expected there
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "w")  # noqa: SIM115
        fcntl.flock(self.file, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.file is not None:
            self.file.close()
        return False


def _run(command: str, layout: Layout) -> int:
    if command in ("extract", "all"):
        if extract(layout):
            print(f"wrote {layout.pot.relative_to(layout.root)}")
    if command in ("update", "all"):
        _report_changed("updated", update(layout), layout)
    if command in ("compile", "all"):
        _report_changed("compiled", compile_catalogs(layout), layout)
    if command in ("check", "all"):
        problems = check(layout)
        if problems:
            print(f"{len(problems)} catalog problem(s):", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print("catalogs OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
