"""Framework and reference data: completeness, bilingual texts, NFC, LA codes, school numbers."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from selfeval_app.core import framework as fw
from selfeval_app.core.resources import resource_path

DATA_FILES = [
    ("frameworks", "estyn-2024"),
    ("frameworks", "national-priorities"),
    ("frameworks", "sdp-statutory-parts"),
    ("reference", "local-authorities"),
    ("reference", "phases"),
    ("reference", "language-categories"),
]

# Names that are the same in Welsh and English (DESIGN §6 allow list). Nothing else may be.
SAME_IN_BOTH = {"Gwynedd", "Conwy", "Powys", "Ceredigion", "Rhondda Cynon Taf", "Blaenau Gwent"}


def _path(folder: str, name: str) -> Path:
    return resource_path(folder, f"{name}.json")


def _bilingual_pairs(obj, where="$"):
    """Every {"cy": ..., "en": ...} object in a parsed file, with its location."""
    if isinstance(obj, dict):
        if "cy" in obj or "en" in obj:
            yield where, obj
        for key, value in obj.items():
            yield from _bilingual_pairs(value, f"{where}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _bilingual_pairs(value, f"{where}[{i}]")


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield key
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


# --- the files themselves -----------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "name"), DATA_FILES)
def test_file_has_id_version_source_and_verified(folder, name):
    data = json.loads(_path(folder, name).read_text(encoding="utf-8"))
    assert data["id"] == name
    assert isinstance(data["version"], str) and data["version"]
    assert isinstance(data["source"], list) and data["source"]
    assert isinstance(data["verified"], dict)
    assert "checked" in data["verified"] and "not_verified" in data["verified"]


@pytest.mark.parametrize(("folder", "name"), DATA_FILES)
def test_file_text_is_nfc(folder, name):
    raw = _path(folder, name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", raw)
    for text in _strings(json.loads(raw)):
        assert unicodedata.is_normalized("NFC", text), text


@pytest.mark.parametrize(("folder", "name"), DATA_FILES)
def test_every_bilingual_field_has_both_languages_and_differs(folder, name):
    data = json.loads(_path(folder, name).read_text(encoding="utf-8"))
    pairs = list(_bilingual_pairs(data))
    assert pairs
    for where, pair in pairs:
        cy, en = pair.get("cy"), pair.get("en")
        assert isinstance(cy, str) and cy.strip(), f"{name}{where}: empty cy"
        assert isinstance(en, str) and en.strip(), f"{name}{where}: empty en"
        if cy == en:
            assert cy in SAME_IN_BOTH, f"{name}{where}: Welsh equals English: {cy!r}"


@pytest.mark.parametrize(("folder", "name"), DATA_FILES)
def test_ids_are_unique_within_a_file(folder, name):
    data = json.loads(_path(folder, name).read_text(encoding="utf-8"))
    ids = []

    def walk(obj):
        if isinstance(obj, dict):
            if isinstance(obj.get("id"), str) and obj is not data:
                ids.append(obj["id"])
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(data)
    assert len(ids) == len(set(ids))


# --- the loader ---------------------------------------------------------------------------------


def test_current_framework_is_estyn_2024_with_three_areas():
    framework = fw.current_framework()
    assert framework.id == "estyn-2024"
    assert framework.version
    assert [a.number for a in framework.areas] == [1, 2, 3]
    assert [a.id for a in framework.areas] == ["estyn-2024-1", "estyn-2024-2", "estyn-2024-3"]
    assert [a.title("en") for a in framework.areas] == [
        "Teaching and learning",
        "Well-being, care, support and guidance",
        "Leading and improving",
    ]
    assert [a.title("cy") for a in framework.areas] == [
        "Addysgu a dysgu",
        "Lles, gofal, cymorth ac arweiniad",
        "Arwain a gwella",
    ]
    assert framework.area("estyn-2024-2").number == 2
    assert framework.area("nope") is None


def test_each_area_has_four_to_eight_bilingual_prompts():
    for area in fw.current_framework().areas:
        assert 4 <= len(area.prompts) <= 8, area.id
        assert area.description("cy") and area.description("en")
        for prompt in area.prompts:
            assert prompt.id.startswith(area.id + "-")
            assert prompt.text("cy").endswith("?") and prompt.text("en").endswith("?")
            assert prompt.text("cy") != prompt.text("en")


def test_loading_is_cached():
    assert fw.current_framework() is fw.current_framework()
    assert fw.local_authorities() is fw.local_authorities()


def test_unknown_language_is_refused():
    area = fw.current_framework().areas[0]
    with pytest.raises(ValueError):
        area.title("fr")


def test_bad_file_names_are_refused():
    with pytest.raises(fw.FrameworkDataError):
        fw.load_data("frameworks", "../reference/phases")
    with pytest.raises(fw.FrameworkDataError):
        fw.load_framework("no-such-framework")


def test_national_priorities():
    ids = {p.id for p in fw.national_priorities()}
    assert {
        "attendance",
        "literacy",
        "numeracy",
        "well-being",
        "teaching-and-learning",
        "leadership",
        "aln-and-inclusion",
        "behaviour",
    } <= ids
    names = {p.id: p.name("cy") for p in fw.national_priorities()}
    assert names["attendance"] == "Presenoldeb"
    assert names["aln-and-inclusion"] == "ADY a chynhwysiant"


def test_sdp_statutory_parts():
    parts = {p.id: p for p in fw.statutory_parts()}
    assert {
        "priorities-current-year",
        "priorities-next-two-years",
        "targets-and-outcomes",
        "strategy",
        "professional-learning",
        "pupils-families-community",
        "staff-and-resources",
        "previous-targets",
    } == set(parts)
    per_priority = {p.id for p in parts.values() if p.level == "priority"}
    assert {
        "strategy",
        "professional-learning",
        "pupils-families-community",
        "staff-and-resources",
    } <= per_priority
    assert parts["previous-targets"].level == "plan"
    assert "deilliannau disgwyliedig" in parts["targets-and-outcomes"].title("cy")


def test_twenty_two_local_authorities_with_unique_codes_660_to_681():
    las = fw.local_authorities()
    assert len(las) == 22
    assert sorted(la.code for la in las) == list(range(660, 682))
    assert len({la.key for la in las}) == 22
    assert las[0].name("en") == "Isle of Anglesey"
    assert las[-1].name("cy") == "Caerdydd"


def test_welsh_letters_survive():
    anglesey = fw.local_authority_by_code(660)
    assert anglesey is not None
    assert anglesey.name("cy") == "Ynys Môn"
    assert "\u00f4" in anglesey.name("cy")  # precomposed ô, not o + combining circumflex
    assert fw.local_authority_by_code("678").name("cy") == "Tor-faen"


def test_local_authority_by_code():
    assert fw.local_authority_by_code(681).name("en") == "Cardiff"
    assert fw.local_authority_by_code(" 681 ").name("en") == "Cardiff"
    assert fw.local_authority_by_code(659) is None
    assert fw.local_authority_by_code(682) is None
    assert fw.local_authority_by_code("68x") is None


def test_phases():
    ids = [p.id for p in fw.phases()]
    assert ids == ["nursery", "primary", "all-age", "secondary", "special", "pru"]
    assert fw.phases()[1].name("cy") == "Ysgol gynradd"


def test_language_categories_statutory_and_none():
    cats = {c.id: c for c in fw.language_categories()}
    statutory = [c for c in cats.values() if c.statutory]
    assert {c.id for c in statutory} == {
        "primarily-welsh",
        "dual-language",
        "primarily-english-partly-welsh",
    }
    assert all(c.scheme == "act-2025" for c in statutory)
    assert [cats[i].min_welsh_percent for i in ("primarily-welsh", "dual-language")] == [80, 50]
    assert cats["primarily-english-partly-welsh"].min_welsh_percent == 10
    assert cats["none"].name("cy").startswith("Dim categori")
    assert not cats["none"].statutory


# --- establishment numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "la_code", "expected"),
    [
        ("660/2001", None, None),
        ("660/2001", 660, None),
        ("6602001", 660, None),
        (" 681/4050 ", 681, None),
        ("681/4050", 660, "wrong_la"),
        ("6814050", 680, "wrong_la"),
        ("659/2001", None, "unknown_la"),
        ("682/2001", 682, "unknown_la"),
        ("123/4567", None, "unknown_la"),
        ("66/2001", None, "format"),
        ("660/201", None, "format"),
        ("660-2001", None, "format"),
        ("660 2001", None, "format"),
        ("660/20011", None, "format"),
        ("", None, "format"),
        ("660/200a", None, "format"),
        ("٦٦٠/٢٠٠١", None, "format"),  # Arabic-Indic digits are not ASCII digits
        ("６６０/２００１", None, "format"),  # fullwidth digits neither
    ],
)
def test_validate_establishment_number(number, la_code, expected):
    assert fw.validate_establishment_number(number, la_code) == expected


def test_normalise_establishment_number():
    assert fw.normalise_establishment_number("6602001") == "660/2001"
    assert fw.normalise_establishment_number(" 660/2001\n") == "660/2001"
    assert fw.normalise_establishment_number("660/2001/") is None
