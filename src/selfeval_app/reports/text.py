"""Words of a report in one given language, whatever the app's current language.

A `both` report needs Welsh and English at once, so reports never use the global `_()`: each block
is written with an `L` for its language, whose methods look the message up in that language's
catalog (English falls back to the msgid). Messages are marked where they are written
(`L._("...")`, `L.ngettext(...)`, `L.pgettext(...)` are extracted like the functions of
core.i18n), so `scripts/catalogs.py extract` sees every one.

Bilingual record text is shown in the block's language; when that side is empty, a marker says so
("[Dim testun Cymraeg]" / "[No English text]") and, in a one-language report, the other language's
own text follows in italics. Nothing is ever machine-translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import cast
from xml.sax.saxutils import escape

from selfeval_app.core import i18n
from selfeval_app.core.bilingual import other_language
from selfeval_app.core.i18n import N_
from selfeval_app.core.plan_years import year_label

REPORT_LANGUAGES = ("cy", "en", "both")
_LOCALES = {"cy": "cy_GB", "en": "en_GB"}

TERM_TITLES = {
    "autumn": N_("Autumn term %(year)s"),
    "spring": N_("Spring term %(year)s"),
    "summer": N_("Summer term %(year)s"),
}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}  # msgctxt "RAG", below


academic_year_label = year_label  # 2025 -> "2025–26" (core/plan_years.py)


@cache
def _decimal_formatter(lang: str):
    from babel.numbers import format_decimal

    locale = _LOCALES[lang]
    return lambda value, pattern: format_decimal(value, format=pattern, locale=locale)


@dataclass(frozen=True)
class Text:
    """A piece of record text for a block: the text, or a marker and perhaps the other side."""

    text: str
    missing: bool = False
    marker: str = ""
    other: str = ""  # the other language's text (one-language reports only)

    def markup(self) -> str:
        """reportlab Paragraph markup."""
        if not self.missing:
            return escape(self.text)
        out = f'<font color="#555555"><i>{escape(self.marker)}</i></font>'
        if self.other:
            out += f" <i>{escape(self.other)}</i>"
        return out

    def plain(self) -> str:
        if not self.missing:
            return self.text
        return f"{self.marker} {self.other}".strip()


class L:
    """One language of a report: translation, numbers and dates in it."""

    def __init__(self, code: str, *, single: bool = True):
        if code not in _LOCALES:
            raise ValueError(f"report block language must be cy or en, not {code!r}")
        self.code: i18n.Language = cast(i18n.Language, code)  # checked above
        self.single = single  # a one-language report (not one block of a `both` report)
        self._t = i18n._translations(code)  # noqa: SLF001 - the per-language catalog

    # translation (method names match the extraction keywords) -------------------------------

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message)

    # words -------------------------------------------------------------------------------

    def rag(self, rag: str | None) -> str:
        if rag == "red":
            return self.pgettext("RAG", "Red")
        if rag == "amber":
            return self.pgettext("RAG", "Amber")
        if rag == "green":
            return self.pgettext("RAG", "Green")
        return self._("No review")

    def trend(self, trend: str | None) -> str:
        if trend == "better":
            return self._("Better")
        if trend == "worse":
            return self._("Worse")
        if trend == "same":
            return self._("No change")
        return "–"

    def term_title(self, year: int, term: str) -> str:
        return self._(TERM_TITLES[term]) % {"year": academic_year_label(year)}

    def term_short(self, term: str) -> str:
        if term == "autumn":
            return self.pgettext("term", "Autumn")
        if term == "spring":
            return self.pgettext("term", "Spring")
        return self.pgettext("term", "Summer")

    # numbers and dates -------------------------------------------------------------------

    def number(self, value: float | int | None, decimals: int = 1) -> str:
        if value is None:
            return "–"
        pattern = "#,##0" if decimals == 0 else "#,##0." + "#" * decimals
        return _decimal_formatter(self.code)(value, pattern)

    def integer(self, value: int) -> str:
        return _decimal_formatter(self.code)(value, "#,##0")

    def value(self, value: float | None, unit: str | None) -> str:
        text = self.number(value)
        if value is None or not unit:
            return text
        return f"{text}{unit}" if unit == "%" else f"{text} {unit}"

    def money(self, pence: int) -> str:
        return "£" + _decimal_formatter(self.code)(pence / 100, "#,##0.00")

    def date_long(self, day: dt.date | str | None) -> str:
        if day is None or day == "":
            return "–"
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        return i18n.format_date_long(day, self.code)

    def date(self, day: dt.date | str | None) -> str:
        if day is None or day == "":
            return "–"
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        return i18n.format_date(day, self.code)

    # record text -------------------------------------------------------------------------

    def pick(self, pair: Mapping[str, str] | None) -> Text:
        """The block's side of a bilingual text, or a marker when it is empty."""
        pair = pair or {}
        text = (pair.get(self.code) or "").strip()
        if text:
            return Text(text)
        other = (pair.get(other_language(self.code)) or "").strip()
        if not other:
            return Text("", True, "–")
        if self.code == "cy":
            marker = self._("[No Welsh text; in English:]") if self.single else self._("[No Welsh text]")
        else:
            marker = self._("[No English text; in Welsh:]") if self.single else self._("[No English text]")
        return Text("", True, marker, other if self.single else "")


def block_languages(lang: str) -> list[L]:
    """The languages of a report's blocks, Welsh first: `both` -> [cy, en]."""
    if lang == "both":
        return [L("cy", single=False), L("en", single=False)]
    if lang in ("cy", "en"):
        return [L(lang)]
    raise ValueError(f"report language must be one of {REPORT_LANGUAGES}, not {lang!r}")
