"""Bilingual text pairs ({"cy": ..., "en": ...}): the one home of "this language, else the other".

Every screen, report and the command line show a pair's text in the language asked for and, when
that side is empty (or only spaces), the other side's; `other_language` names the other side.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("cy", "en")


def other_language(lang: str) -> str:
    """ "cy" -> "en"; anything else -> "cy"."""
    return "en" if lang == "cy" else "cy"


def text_or_other(pair: Mapping[str, str | None] | None, lang: str) -> str:
    """The text of `pair` in `lang`, else in the other language, else ""; without outer spaces."""
    pair = pair or {}
    return (pair.get(lang) or "").strip() or (pair.get(other_language(lang)) or "").strip()
