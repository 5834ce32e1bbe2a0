"""Framework and reference data: Estyn areas, national priorities, SDP parts, LAs, phases, languages.

The data lives in bilingual, versioned JSON files (DESIGN §7), never in code or widgets:

- ``resources/frameworks/estyn-2024.json``: the Estyn inspection areas from September 2024, each
  with reflective prompts;
- ``resources/frameworks/national-priorities.json``: tags for priorities and evidence;
- ``resources/frameworks/sdp-statutory-parts.json``: what a school development plan must contain
  (Education (School Development Plans) (Wales) Regulations 2014), per plan or per priority;
- ``resources/reference/local-authorities.json``: the 22 Welsh local authorities and their codes;
- ``resources/reference/phases.json`` and ``resources/reference/language-categories.json``.

Every file has ``id``, ``version``, ``source`` (where the data came from) and ``verified`` (what
was checked and what was not). Every user-facing text is a ``{"cy": ..., "en": ...}`` pair; the
loader refuses a file where either language is missing or empty, and NFC-normalises all text so
that "Ynys Môn" compares equal however it was typed.

Objects are small frozen dataclasses; texts are read with ``.title(lang)``, ``.name(lang)`` and
friends, where ``lang`` is ``"cy"`` or ``"en"``. Loading is cached: each file is read once.

An evaluation records ``current_framework().id`` and ``.version`` so it can always be re-read
against the framework it was written for.

Establishment numbers: a Welsh school's number is ``NNN/NNNN``, the first three digits being its
local authority's code (660-681). :func:`validate_establishment_number` also accepts the same
seven digits without the slash (``NNNNNNN``), as found in spreadsheets and management-information
exports, and surrounding spaces; nothing else (no other separators, no non-ASCII digits). Use
:func:`normalise_establishment_number` to store the canonical ``NNN/NNNN`` form.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from selfeval_app.core.resources import resource_path
from selfeval_app.core.text import nfc

Lang = Literal["cy", "en"]
LANGS: tuple[Lang, ...] = ("cy", "en")

CURRENT_FRAMEWORK_ID = "estyn-2024"

# Error keys returned by validate_establishment_number (stable: the UI translates them).
ERROR_FORMAT = "format"
ERROR_UNKNOWN_LA = "unknown_la"
ERROR_WRONG_LA = "wrong_la"

_ESTABLISHMENT_RE = re.compile(r"([0-9]{3})/?([0-9]{4})", re.ASCII)
_SAFE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*", re.ASCII)


class FrameworkDataError(ValueError):
    """A framework or reference file is missing a field, a language, or is malformed."""


def _check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"language must be 'cy' or 'en', not {lang!r}")
    return lang  # type: ignore[return-value]


@dataclass(frozen=True)
class Bilingual:
    """A text in Welsh and English."""

    cy: str
    en: str

    def get(self, lang: str) -> str:
        return self.cy if _check_lang(lang) == "cy" else self.en


@dataclass(frozen=True)
class Prompt:
    """A reflective question for one inspection area."""

    id: str
    text_: Bilingual

    def text(self, lang: str) -> str:
        return self.text_.get(lang)


@dataclass(frozen=True)
class Area:
    """An inspection area (e.g. Estyn 2024 area 1, "Teaching and learning")."""

    id: str
    number: int
    title_: Bilingual
    description_: Bilingual
    prompts: tuple[Prompt, ...]

    def title(self, lang: str) -> str:
        return self.title_.get(lang)

    def description(self, lang: str) -> str:
        return self.description_.get(lang)


@dataclass(frozen=True)
class Framework:
    """A versioned framework: what an evaluation records it was written against."""

    id: str
    version: str
    title_: Bilingual
    areas: tuple[Area, ...]

    def title(self, lang: str) -> str:
        return self.title_.get(lang)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)


@dataclass(frozen=True)
class NationalPriority:
    id: str
    name_: Bilingual

    def name(self, lang: str) -> str:
        return self.name_.get(lang)


@dataclass(frozen=True)
class StatutoryPart:
    """A part of a school development plan; ``level`` is "plan" or "priority"."""

    id: str
    level: Literal["plan", "priority"]
    title_: Bilingual
    explanation_: Bilingual

    def title(self, lang: str) -> str:
        return self.title_.get(lang)

    def explanation(self, lang: str) -> str:
        return self.explanation_.get(lang)


@dataclass(frozen=True)
class LocalAuthority:
    code: int
    key: str
    name_: Bilingual

    def name(self, lang: str) -> str:
        return self.name_.get(lang)


@dataclass(frozen=True)
class Phase:
    id: str
    name_: Bilingual

    def name(self, lang: str) -> str:
        return self.name_.get(lang)


@dataclass(frozen=True)
class LanguageCategory:
    """A school language category; ``scheme`` is "act-2025", "guidance-2021" or "none"."""

    id: str
    scheme: str
    statutory: bool
    min_welsh_percent: int | None
    name_: Bilingual

    def name(self, lang: str) -> str:
        return self.name_.get(lang)


# ---------------------------------------------------------------------------------------------
# Loading


@cache
def load_data(folder: str, name: str) -> dict[str, Any]:
    """The parsed, NFC-normalised JSON file ``resources/<folder>/<name>.json`` (cached)."""
    if not (_SAFE_ID_RE.fullmatch(folder) and _SAFE_ID_RE.fullmatch(name)):
        raise FrameworkDataError(f"bad data file name {folder!r}/{name!r}")
    path = resource_path(folder, f"{name}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FrameworkDataError(f"cannot read {path}: {exc}") from exc
    data = nfc(data)
    for field in ("id", "version", "source", "verified"):
        if field not in data:
            raise FrameworkDataError(f"{path.name}: missing {field!r}")
    if data["id"] != name:
        raise FrameworkDataError(f"{path.name}: id {data['id']!r} does not match the file name")
    return data


def _bilingual(obj: Any, where: str) -> Bilingual:
    if not isinstance(obj, dict):
        raise FrameworkDataError(f"{where}: expected a {{'cy', 'en'}} object")
    texts = []
    for lang in LANGS:
        text = obj.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise FrameworkDataError(f"{where}: missing or empty {lang!r} text")
        texts.append(text.strip())
    return Bilingual(*texts)


def _require(obj: dict[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise FrameworkDataError(f"{where}: missing {key!r}")
    return obj[key]


@cache
def load_framework(framework_id: str) -> Framework:
    """The framework in ``resources/frameworks/<framework_id>.json``."""
    data = load_data("frameworks", framework_id)
    areas = []
    for raw in _require(data, "areas", framework_id):
        area_id = _require(raw, "id", framework_id)
        where = f"{framework_id}/{area_id}"
        prompts = tuple(
            Prompt(id=_require(p, "id", where), text_=_bilingual(p, f"{where}/{p.get('id')}"))
            for p in _require(raw, "prompts", where)
        )
        areas.append(
            Area(
                id=area_id,
                number=int(_require(raw, "number", where)),
                title_=_bilingual(_require(raw, "title", where), f"{where}/title"),
                description_=_bilingual(
                    _require(raw, "description", where), f"{where}/description"
                ),
                prompts=prompts,
            )
        )
    return Framework(
        id=data["id"],
        version=str(data["version"]),
        title_=_bilingual(_require(data, "title", framework_id), f"{framework_id}/title"),
        areas=tuple(sorted(areas, key=lambda a: a.number)),
    )


def current_framework() -> Framework:
    """The framework new evaluations use (Estyn, from September 2024)."""
    return load_framework(CURRENT_FRAMEWORK_ID)


@cache
def national_priorities() -> tuple[NationalPriority, ...]:
    data = load_data("frameworks", "national-priorities")
    return tuple(
        NationalPriority(id=p["id"], name_=_bilingual(p, f"national-priorities/{p.get('id')}"))
        for p in _require(data, "priorities", "national-priorities")
    )


@cache
def statutory_parts() -> tuple[StatutoryPart, ...]:
    data = load_data("frameworks", "sdp-statutory-parts")
    parts = []
    for raw in _require(data, "parts", "sdp-statutory-parts"):
        where = f"sdp-statutory-parts/{raw.get('id')}"
        level = _require(raw, "level", where)
        if level not in ("plan", "priority"):
            raise FrameworkDataError(f"{where}: level must be 'plan' or 'priority'")
        parts.append(
            StatutoryPart(
                id=raw["id"],
                level=level,
                title_=_bilingual(_require(raw, "title", where), f"{where}/title"),
                explanation_=_bilingual(
                    _require(raw, "explanation", where), f"{where}/explanation"
                ),
            )
        )
    return tuple(parts)


@cache
def local_authorities() -> tuple[LocalAuthority, ...]:
    """The 22 Welsh local authorities, ordered by code."""
    data = load_data("reference", "local-authorities")
    las = tuple(
        LocalAuthority(
            code=int(raw["code"]),
            key=raw["key"],
            name_=_bilingual(_require(raw, "name", "local-authorities"), f"LA {raw.get('code')}"),
        )
        for raw in _require(data, "authorities", "local-authorities")
    )
    return tuple(sorted(las, key=lambda la: la.code))


@cache
def _las_by_code() -> dict[int, LocalAuthority]:
    return {la.code: la for la in local_authorities()}


def local_authority_by_code(code: int | str) -> LocalAuthority | None:
    """The authority with this LA code (660-681), or None."""
    if isinstance(code, str):
        code = code.strip()
        if not re.fullmatch(r"[0-9]{3}", code, re.ASCII):
            return None
        code = int(code)
    return _las_by_code().get(code)


@cache
def phases() -> tuple[Phase, ...]:
    data = load_data("reference", "phases")
    return tuple(
        Phase(id=p["id"], name_=_bilingual(p, f"phases/{p.get('id')}"))
        for p in _require(data, "phases", "phases")
    )


@cache
def language_categories() -> tuple[LanguageCategory, ...]:
    """All language categories: the Act 2025 ones, "none", then the 2021 guidance ones."""
    data = load_data("reference", "language-categories")
    cats = []
    for raw in _require(data, "categories", "language-categories"):
        where = f"language-categories/{raw.get('id')}"
        pct = raw.get("min_welsh_percent")
        cats.append(
            LanguageCategory(
                id=_require(raw, "id", where),
                scheme=_require(raw, "scheme", where),
                statutory=bool(raw.get("statutory", False)),
                min_welsh_percent=None if pct is None else int(pct),
                name_=_bilingual(raw, where),
            )
        )
    return tuple(cats)


# ---------------------------------------------------------------------------------------------
# Establishment numbers


def normalise_establishment_number(number: str) -> str | None:
    """``"NNN/NNNN"`` for ``"NNN/NNNN"`` or ``"NNNNNNN"`` (spaces around allowed), else None."""
    match = _ESTABLISHMENT_RE.fullmatch(number.strip()) if isinstance(number, str) else None
    return f"{match.group(1)}/{match.group(2)}" if match else None


def validate_establishment_number(number: str, la_code: int | None) -> str | None:
    """None if ``number`` is a valid Welsh establishment number, else an error key.

    - ``"format"``: not ``NNN/NNNN`` (or ``NNNNNNN``) in ASCII digits;
    - ``"unknown_la"``: the first three digits are not a Welsh LA code;
    - ``"wrong_la"``: ``la_code`` is given and the number belongs to another authority.
    """
    canonical = normalise_establishment_number(number)
    if canonical is None:
        return ERROR_FORMAT
    prefix = int(canonical[:3])
    if local_authority_by_code(prefix) is None:
        return ERROR_UNKNOWN_LA
    if la_code is not None and prefix != la_code:
        return ERROR_WRONG_LA
    return None
