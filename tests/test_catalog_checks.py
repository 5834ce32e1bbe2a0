"""The Welsh house-style checks of scripts/catalogs.py (`welsh_text_problems`, run by `check`):
`Ni` before a vowel, the English acronym RAG, apostrophes other than the straight one, and
colloquial negatives. Each check catches a bad example and passes a good one; the repository's
Welsh catalog and the Welsh of the resource files pass them all."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

REPO = Path(__file__).resolve().parents[1]


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
problems = catalogs.welsh_text_problems


# -- Ni / Nid ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ni ysgrifennwyd dim.",
        "Wedi stopio. Ni ysgrifennwyd dim.",
        "Nid oes yr un flaenoriaeth ar waith ac ni ysgrifennwyd adolygiad.",
        "Ni atodwyd y ffeil",
        "Ni allforiwyd unrhyw gofnodion.",  # all- of allforio is not gallu
        "Ni anfonwyd y neges; ni ellir ei hanfon eto.",
        "Ni oes modd.",
        "Ni yw'r data wedi'i newid.",
        "Ni wyf yn siŵr.",  # bod: Nid wyf
        "Ni ŷm ni'n gwybod.",
        "NI ENILLODD.",
    ],
)
def test_ni_before_a_vowel_is_caught(text):
    found = problems(text)
    assert any("write Nid before a vowel" in p for p in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Nid ysgrifennwyd dim.",
        "Nid atodwyd y ffeil. Nid allforiwyd dim.",
        # The g- of gallu, gadael, gofyn... is lost after ni: these are right with ni.
        "Ni all swm o arian fod yn llai na sero.",
        "Ni allaf agor y ffeil; ni allwn ei chadw; ni allai neb ei gweld.",
        "Ni ellir gwneud hyn tra bo'r ap ar agor.",
        "Ni ellid agor y ffeil.",
        "Ni adawyd dim ar ôl. Ni ofynnwyd am ganiatâd. Ni osodwyd targed.",
        "Ni olygir hyn. Ni orfu iddynt aros. Ni yrrwyd y neges.",
        # w after the mutation is a consonant: gwybod, gweld, gwneud.
        "Ni wyddom pwy a'i newidiodd. Ni welwyd y ffeil. Ni wnaed dim.",
        # Consonants take ni, with their mutation.
        "Ni chafwyd dim problemau. Ni chollir dim. Ni newidiwyd dim.",
        # The pronoun ni (we/us) before a vowel is not the particle.
        "Beth fyddwn ni yn ei wneud?",
        "Mae'r ysgol yn gweithio gyda ni ar y cyd.",
        "Diolch i ni am ein gwaith.",
        # Words that only start with ni.
        "Nifer y disgyblion",
    ],
)
def test_right_uses_of_ni_pass(text):
    assert problems(text) == []


def test_the_exceptions_are_whole_words_not_prefixes():
    assert catalogs.ni_before_vowel("Ni all, ni allforiwyd, ni allant.") == ["ni allforiwyd"]


# -- fersiwn is feminine ---------------------------------------------------------------------


def test_an_unmutated_adjective_after_fersiwn_is_caught():
    assert any("feminine" in p for p in problems("fe'i gwnaed gan fersiwn mwy newydd o'r ap"))
    assert any("feminine" in p for p in problems("Adfer y fersiwn cynharach"))
    assert problems("fe'i gwnaed gan fersiwn fwy newydd o'r ap") == []
    assert problems("y fersiwn gynharach; y fersiwn ddiweddaraf") == []


# -- RAG ---------------------------------------------------------------------------------------


def test_rag_in_welsh_is_caught_and_cag_passes():
    assert any("RAG" in p for p in problems("Statws RAG fesul tymor (Coch, Ambr, Gwyrdd):"))
    assert problems("Statws CAG fesul tymor (Coch, Ambr, Gwyrdd):") == []
    assert problems("Cynnydd (CAG)") == []
    assert problems("Dragio'r rhes") == []  # not a word RAG


# -- apostrophes -------------------------------------------------------------------------------


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u02bc", "\u2018"])
def test_an_apostrophe_other_than_the_straight_one_is_caught(apostrophe):
    found = problems(f"Golygu{apostrophe}r cynllun")
    assert found and all("apostrophe" in p for p in found), found


def test_straight_apostrophes_and_welsh_quotation_marks_pass():
    assert problems("Golygu'r cynllun; mae'r ap yn “barod”.") == []


def test_straighten_apostrophes():
    assert catalogs.straighten_apostrophes("Wedi\u2019i gadw, mae\u02bcr ap") == "Wedi'i gadw, mae'r ap"


# -- the negative register -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "formal"),
    [
        ("Does dim modd dadwneud hyn.", "Nid oes"),
        ("…a does dim camau eraill yn hwyr.", "Nid oes"),
        ("Does gan y maes hwn ddim cwestiynau.", "Nid oes"),
        ("Dyw'r ffeil ddim yn bodoli.", "Nid yw"),
        ("Doedd dim modd cadw'r data.", "Nid oedd"),
    ],
)
def test_colloquial_negatives_are_caught(text, formal):
    found = problems(text)
    assert any(f"write {formal}" in p for p in found), found


def test_formal_negatives_and_dim_alone_pass():
    assert problems("Nid oes modd dadwneud hyn. Nid yw'r ffeil yn bodoli. Nid oedd modd.") == []
    assert problems("Dim tystiolaeth eto") == []
    assert problems("Dim ond ffigurau cyfanredol a gedwir yma.") == []


# -- through the catalog check ------------------------------------------------------------------


def _catalog(*messages):
    catalog = Catalog(locale="cy")
    catalog.plural_forms  # noqa: B018 (babel fills it lazily)
    for msgid, string in messages:
        catalog.add(msgid, string)
    return catalog


def test_welsh_problems_reports_each_style_problem_with_its_msgid():
    catalog = _catalog(
        ("Nothing was written.", "Ni ysgrifennwyd dim."),
        ("RAG", "RAG"),
        ("Edit the plan", "Golygu\u2019r cynllun"),
        ("This cannot be undone.", "Does dim modd dadwneud hyn."),
        ("Saved", "Wedi'i gadw"),
        (("%(count)d record", "%(count)d records"), ("Dim cofnodion", "%(count)d cofnod", "%(count)d gofnod",
                                                     "%(count)d chofnod", "%(count)d chofnod", "Ni ysgrifennwyd %(count)d")),
    )
    found = [p for p in catalogs.welsh_problems(catalog, allowlist={"RAG"}) if "Plural-Forms" not in p]
    assert any("Nid before a vowel" in p and "'Nothing was written.'" in p for p in found)
    assert any("RAG" in p and "msgid 'RAG'" in p for p in found)
    assert any("apostrophe" in p and "'Edit the plan'" in p for p in found)
    assert any("write Nid oes" in p and "'This cannot be undone.'" in p for p in found)
    assert any("Nid before a vowel" in p and "'%(count)d record'" in p for p in found)  # any plural form
    assert not any("'Saved'" in p for p in found)
    assert len(found) == 5, found


def test_the_repository_welsh_catalog_keeps_the_house_style():
    catalog = catalogs.load_po(catalogs.DEFAULT_LAYOUT.po("cy"), locale="cy")
    assert catalogs.welsh_problems(catalog, catalogs.read_allowlist(catalogs.DEFAULT_LAYOUT.allowlist)) == []


def _welsh_strings(data, where=""):
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "cy" and isinstance(value, str):
                yield where, value
            else:
                yield from _welsh_strings(value, f"{where}/{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _welsh_strings(value, f"{where}[{index}]")


def test_the_welsh_of_the_resource_files_keeps_the_house_style():
    files = sorted((REPO / "resources").rglob("*.json"))
    assert files
    found = [
        f"{path.relative_to(REPO)}{where}: {problem}"
        for path in files
        for where, text in _welsh_strings(json.loads(path.read_text("utf-8")))
        for problem in problems(text)
    ]
    assert found == []


def test_fill_makes_apostrophes_straight(tmp_path):
    layout = catalogs.Layout(tmp_path)
    source = tmp_path / "src" / "selfeval_app" / "texts.py"
    source.parent.mkdir(parents=True)
    source.write_text('from selfeval_app.core.i18n import _\n\nTEXT = _("Edit the plan")\n', "utf-8")
    (tmp_path / "translations").mkdir()
    assert catalogs.extract(layout)
    catalogs.update(layout)
    filled, unknown = catalogs.fill_welsh({"Edit the plan": "Golygu\u2019r cynllun"}, layout)
    assert (filled, unknown) == (1, [])
    assert catalogs.load_po(layout.po("cy"), locale="cy").get("Edit the plan").string == "Golygu'r cynllun"


def test_straighten_makes_every_welsh_apostrophe_straight_and_keeps_the_rest(tmp_path):
    layout = catalogs.Layout(tmp_path)
    source = tmp_path / "src" / "selfeval_app" / "texts.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        "from selfeval_app.core.i18n import _, ngettext\n\n"
        'TEXTS = [_("Edit the plan"), _("Save"), ngettext("%(count)d record", "%(count)d records", 2)]\n',
        "utf-8",
    )
    (tmp_path / "translations").mkdir()
    assert catalogs.extract(layout)
    catalogs.update(layout)
    catalog = catalogs.load_po(layout.po("cy"), locale="cy")
    catalog.get("Edit the plan").string = "Golygu\u2019r cynllun"
    catalog.get("Save").string = "Cadw"
    catalog.get("%(count)d record").string = ("Dim cofnodion", "%(count)d cofnod", "%(count)d gofnod",
                                              "%(count)d chofnod", "%(count)d chofnod", "%(count)d o gofnodion\u2019")
    layout.po("cy").write_bytes(catalogs.render_po(catalog))
    assert catalogs.main(["straighten"], layout=layout) == 0
    after = catalogs.load_po(layout.po("cy"), locale="cy")
    assert after.get("Edit the plan").string == "Golygu'r cynllun"
    assert after.get("Save").string == "Cadw"
    assert after.get("%(count)d record").string[5] == "%(count)d o gofnodion'"
    assert catalogs.check(layout, sources=False) == []
