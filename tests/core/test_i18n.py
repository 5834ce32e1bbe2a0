"""Translations: the i18n API, Welsh plurals, dates, and the catalog tool (scripts/catalogs.py)."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
from datetime import date, datetime
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from selfeval_app.core import i18n
from selfeval_app.core.messages_common import SAVED, evidence_count, qt_strings, records_count
from selfeval_app.core.resources import translations_path

REPO = Path(__file__).resolve().parents[2]


def _load_catalogs_script():
    name = "selfeval_catalogs_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


catalogs = _load_catalogs_script()


@pytest.fixture
def language():
    """Restores the current language after the test."""
    before = i18n.current_language()
    yield i18n.set_language
    i18n.set_language(before)


# -- the repository's catalogs ------------------------------------------------------------------


def test_repository_catalogs_pass_the_check():
    problems = catalogs.check()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_committed_mo_matches_its_po(lang):
    po_path = translations_path(lang, "LC_MESSAGES", "messages.po")
    with open(po_path, "rb") as fp:
        catalog = read_po(fp, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    expected = GNUTranslations(io.BytesIO(buf.getvalue()))
    with open(translations_path(lang, "LC_MESSAGES", "messages.mo"), "rb") as fp:
        loaded = GNUTranslations(fp)

    def table(t):
        return {k: v for k, v in t._catalog.items() if k != ""}

    assert table(loaded) == table(expected)
    assert len(table(loaded)) > 0
    assert loaded.info()["plural-forms"] == expected.info()["plural-forms"]
    assert loaded.info()["language"] == lang


def test_welsh_plural_header_is_the_six_form_one_in_po_and_mo():
    text = translations_path("cy", "LC_MESSAGES", "messages.po").read_text("utf-8")
    assert f'"Plural-Forms: {catalogs.WELSH_PLURAL_FORMS}\\n"' in text
    with open(translations_path("cy", "LC_MESSAGES", "messages.mo"), "rb") as fp:
        mo = GNUTranslations(fp)
    assert mo.info()["plural-forms"] == catalogs.WELSH_PLURAL_FORMS
    forms = {n: mo.plural(n) for n in (0, 1, 2, 3, 4, 5, 6, 7, 11, 100)}
    assert forms == {0: 0, 1: 1, 2: 2, 3: 3, 4: 5, 5: 5, 6: 4, 7: 5, 11: 5, 100: 5}


# -- the API ------------------------------------------------------------------------------------


def test_welsh_plurals_choose_the_right_form(language):
    language("cy")
    assert [records_count(n) for n in (0, 1, 2, 3, 6, 7)] == [
        "Dim cofnodion",
        "1 cofnod",
        "2 gofnod",
        "3 chofnod",
        "6 chofnod",
        "7 cofnod",
    ]
    raw = {n: i18n.ngettext("%(count)d record", "%(count)d records", n) for n in (0, 1, 2, 3, 6, 7)}
    # zero, two and few each differ from the others; one and other are both radical.
    assert len({raw[0], raw[1], raw[2], raw[3]}) == 4, raw
    assert raw[1] == raw[7] == "%(count)d cofnod"
    assert raw[3] == raw[6] == "%(count)d chofnod"
    assert evidence_count(0) == "Dim tystiolaeth"
    assert evidence_count(2) == "2 eitem o dystiolaeth"
    assert evidence_count(7) == "7 eitem o dystiolaeth"


def test_english_plurals(language):
    language("en")
    assert records_count(1) == "1 record"
    assert records_count(2) == "2 records"
    assert records_count(0) == "0 records"
    assert evidence_count(1) == "1 item of evidence"
    assert evidence_count(2) == "2 items of evidence"


def test_set_language_switches_translations_at_once(language):
    language("en")
    assert i18n._(SAVED) == "Saved"
    assert i18n.current_language() == "en"
    language("cy")
    assert i18n.current_language() == "cy"
    assert i18n._(SAVED) == "Wedi'i gadw"
    assert i18n.pgettext("QPlatformTheme", "OK") == "Iawn"
    assert qt_strings()[("QPlatformTheme", "Cancel")] == "Canslo"
    assert i18n._("A message nobody translated") == "A message nobody translated"
    language("en")
    assert i18n._(SAVED) == "Saved"
    assert i18n.pgettext("QPlatformTheme", "OK") == "OK"


def test_npgettext_and_lookup(language):
    language("cy")
    assert i18n.npgettext("ctx", "%(count)d thing", "%(count)d things", 2) == "%(count)d things"
    assert i18n.lookup("OK", context="QPlatformTheme") == "Iawn"
    assert i18n.lookup("OK", context="QPlatformTheme", lang="en") == "OK"
    assert i18n.lookup("OK") is None  # no context: a different message
    assert i18n.lookup("Not in the catalog") is None


def test_language_api():
    assert i18n.available_languages() == ("cy", "en")
    with pytest.raises(ValueError):
        i18n.set_language("fr")  # type: ignore[arg-type]
    assert i18n.N_("Saved") == "Saved"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cy", "cy"),
        ("en", "en"),
        ("CY", "cy"),
        ("cy_GB.UTF-8", "cy"),
        ("en-GB", "en"),
        ("", None),
        ("  ", None),
        ("fr", None),
    ],
)
def test_language_from_env(monkeypatch, value, expected):
    monkeypatch.setenv("SELFEVAL_LANG", value)
    assert i18n.language_from_env() == expected


def test_language_from_env_unset(monkeypatch):
    monkeypatch.delenv("SELFEVAL_LANG", raising=False)
    assert i18n.language_from_env() is None


def test_importing_i18n_is_light():
    code = (
        "import sys, selfeval_app.core.i18n, selfeval_app.core.messages_common;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('babel', 'PySide6')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_dates():
    d = date(2026, 9, 1)
    assert i18n.format_date(d, "cy") == "01/09/2026"
    assert i18n.format_date(d, "en") == "01/09/2026"
    assert i18n.format_date(datetime(2027, 1, 31, 23, 59), "cy") == "31/01/2027"
    assert i18n.format_date_long(d, "cy") == "1 Medi 2026"
    assert i18n.format_date_long(d, "en") == "1 September 2026"
    assert i18n.format_date_long(date(2027, 2, 14), "cy") == "14 Chwefror 2027"
    with pytest.raises(ValueError):
        i18n.format_date(d, "de")  # type: ignore[arg-type]


# -- the catalog tool on a temporary tree -------------------------------------------------------

SOURCE = """\
from selfeval_app.core.i18n import _, ngettext, pgettext


def texts(n):
    return [
        # Translators: a greeting.
        _("Hello"),
        _("PDF"),
        pgettext("menu", "Open"),
        ngettext("%(count)d school", "%(count)d schools", n),
    ]
"""

WELSH = {
    ("Hello", None): "Helo",
    ("PDF", None): "PDF",
    ("Open", "menu"): "Agor",
    ("%(count)d school", None): (
        "Dim ysgolion",
        "%(count)d ysgol",
        "%(count)d ysgol",
        "%(count)d ysgol",
        "%(count)d ysgol",
        "%(count)d ysgol",
    ),
}


@pytest.fixture
def tree(tmp_path):
    """A small project with one source file, extracted, translated and compiled."""
    layout = catalogs.Layout(tmp_path)
    source = tmp_path / "src" / "selfeval_app" / "texts.py"
    source.parent.mkdir(parents=True)
    source.write_text(SOURCE, "utf-8")
    (tmp_path / "translations").mkdir()
    layout.allowlist.write_text("# acronyms\nPDF\n", "utf-8")
    assert catalogs.extract(layout)
    catalogs.update(layout)
    set_welsh(layout, WELSH)
    catalogs.compile_catalogs(layout)
    return layout


def set_welsh(layout, strings, fuzzy=()):
    catalog = catalogs.load_po(layout.po("cy"), locale="cy")
    for (msgid, context), string in strings.items():
        message = catalog.get(msgid, context)
        message.string = string
        if (msgid, context) in fuzzy:
            message.flags.add("fuzzy")
    layout.po("cy").write_bytes(catalogs.render_po(catalog))


def recompile_and_check(layout):
    catalogs.compile_catalogs(layout)
    return catalogs.check(layout)


def test_tool_round_trip_passes(tree):
    assert catalogs.check(tree) == []
    # Running everything again changes nothing.
    before = {p: p.read_bytes() for p in tree.translations.rglob("*") if p.is_file()}
    assert catalogs.main(["all"], layout=tree) == 0
    assert {p: p.read_bytes() for p in tree.translations.rglob("*") if p.is_file()} == before
    pot = tree.pot.read_text("utf-8")
    assert "#. Translators: a greeting." in pot
    assert "#: src/selfeval_app/texts.py\n" in pot  # no line numbers
    assert 'msgctxt "menu"' in pot


def test_update_keeps_welsh_plural_header_and_fills_english(tree):
    text = tree.po("cy").read_text("utf-8")
    assert f'"Plural-Forms: {catalogs.WELSH_PLURAL_FORMS}\\n"' in text
    assert '"Language: cy\\n"' in text
    assert text.count("msgstr[") == 6
    english = catalogs.load_po(tree.po("en"), locale="en")
    assert english.get("Hello").string == "Hello"
    assert english.get("%(count)d school").string == ("%(count)d school", "%(count)d schools")
    assert english.plural_forms == catalogs.ENGLISH_PLURAL_FORMS


def test_identical_welsh_not_on_allow_list_fails(tree):
    set_welsh(tree, {("Hello", None): "Hello"})
    problems = recompile_and_check(tree)
    assert len(problems) == 1 and "same as the English" in problems[0] and "'Hello'" in problems[0]
    tree.allowlist.write_text("PDF\nHello\n", "utf-8")
    assert catalogs.check(tree) == []


def test_identical_welsh_plural_fails(tree):
    set_welsh(
        tree, {("%(count)d school", None): ("%(count)d school",) * 3 + ("%(count)d schools",) * 3}
    )
    problems = recompile_and_check(tree)
    assert any("same as the English" in p and "school" in p for p in problems), problems


def test_missing_welsh_fails(tree):
    set_welsh(tree, {("Open", "menu"): ""})
    problems = recompile_and_check(tree)
    assert problems == ["cy: missing translation: msgctxt 'menu' msgid 'Open'"]


def test_missing_welsh_plural_form_fails(tree):
    forms = list(WELSH[("%(count)d school", None)])
    forms[4] = ""
    set_welsh(tree, {("%(count)d school", None): tuple(forms)})
    problems = recompile_and_check(tree)
    assert any("missing translation" in p and "school" in p for p in problems), problems


def test_fuzzy_welsh_fails(tree):
    set_welsh(tree, {("Hello", None): "Helo"}, fuzzy={("Hello", None)})
    problems = recompile_and_check(tree)
    assert any("fuzzy" in p and "'Hello'" in p for p in problems), problems


def test_babels_welsh_plural_header_fails(tree):
    po = tree.po("cy")
    text = po.read_text("utf-8").replace(
        catalogs.WELSH_PLURAL_FORMS,
        "nplurals=5; plural=(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0);",
    )
    po.write_text(text, "utf-8")
    problems = catalogs.check(tree)
    assert len(problems) == 1 and "Plural-Forms" in problems[0], problems
    # update and compile refuse to reinterpret the forms under another rule.
    with pytest.raises(catalogs.CatalogError, match="Plural-Forms"):
        catalogs.update(tree)
    assert catalogs.main(["compile"], layout=tree) == 1
    po.write_text(
        text.replace(
            "nplurals=5; plural=(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0);",
            catalogs.WELSH_PLURAL_FORMS,
        ),
        "utf-8",
    )
    assert recompile_and_check(tree) == []


def test_missing_welsh_plural_header_fails(tree):
    po = tree.po("cy")
    lines = po.read_text("utf-8").splitlines(keepends=True)
    po.write_text("".join(line for line in lines if "Plural-Forms" not in line), "utf-8")
    problems = catalogs.check(tree)
    assert len(problems) == 1 and "Plural-Forms is None" in problems[0], problems


def test_new_string_in_the_sources_fails_until_extracted_and_translated(tree):
    source = tree.root / "src" / "selfeval_app" / "more.py"
    source.write_text('from selfeval_app.core.i18n import _\n\nX = _("Goodbye")\n', "utf-8")
    problems = catalogs.check(tree)
    assert any("out of date" in p for p in problems), problems
    assert any("not in messages.pot yet" in p and "Goodbye" in p for p in problems), problems
    assert catalogs.main(["all"], layout=tree) == 1  # extracted, but Welsh is missing
    assert catalogs.check(tree) == ["cy: missing translation: msgid 'Goodbye'"]
    set_welsh(tree, {("Goodbye", None): "Hwyl fawr"})
    assert catalogs.main(["all"], layout=tree) == 0


def test_formatting_before_translating_fails(tree):
    source = tree.root / "src" / "selfeval_app" / "bad.py"
    source.write_text(
        "from selfeval_app.core import i18n\n"
        "from selfeval_app.core.i18n import _, ngettext\n\n"
        "def f(name, n):\n"
        '    ok = _(SAVED), _("Hi %(name)s") % {"name": name}\n'
        '    return _(f"Hi {name}"), i18n._("Hi %s" % name), ngettext("a {}".format(n), "b", n)\n',
        "utf-8",
    )
    problems = catalogs.misuse_problems(tree)
    assert len(problems) == 3, problems
    assert all(p.startswith("src/selfeval_app/bad.py:6: ") for p in problems), problems
    assert catalogs.main(["check"], layout=tree) == 1


def test_moving_code_does_not_outdate_the_pot(tree):
    source = tree.root / "src" / "selfeval_app" / "texts.py"
    source.write_text("\n\n\n" + SOURCE, "utf-8")
    assert catalogs.check(tree) == []
    assert not catalogs.extract(tree)


def test_stale_mo_fails(tree):
    set_welsh(tree, {("Hello", None): "Shwmae"})
    problems = catalogs.check(tree)
    assert any("does not match its .po" in p for p in problems), problems
    assert recompile_and_check(tree) == []


def test_changed_placeholder_fails(tree):
    set_welsh(tree, {("%(count)d school", None): ("Dim ysgolion",) + ("%(nifer)d ysgol",) * 5})
    problems = recompile_and_check(tree)
    assert any("placeholder" in p for p in problems), problems


def test_reworded_message_keeps_translation_as_fuzzy(tree):
    source = tree.root / "src" / "selfeval_app" / "texts.py"
    source.write_text(SOURCE.replace('_("Hello")', '_("Hello!")'), "utf-8")
    catalogs.extract(tree)
    catalogs.update(tree)
    welsh = catalogs.load_po(tree.po("cy"), locale="cy")
    assert welsh.get("Hello!").string == "Helo"
    assert welsh.get("Hello!").fuzzy
    assert welsh.get("Hello") is None  # dropped, not kept as obsolete
    problems = recompile_and_check(tree)
    assert problems == ["cy: fuzzy (needs review, then remove the fuzzy flag): msgid 'Hello!'"]


def test_allowlist_format(tmp_path):
    path = tmp_path / "allow.txt"
    path.write_text("# comment\nPDF\n\n  URL  \n", "utf-8")
    assert catalogs.read_allowlist(path) == {"PDF", "URL"}
    assert catalogs.read_allowlist(tmp_path / "none.txt") == set()
