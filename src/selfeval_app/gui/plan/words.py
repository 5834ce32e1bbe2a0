"""Words and numbers of the plan screens in the current language: statuses, funding sources,
RAG words and colours, terms, money in pounds and dates (no widgets here)."""

from __future__ import annotations

import datetime as dt

from selfeval_app.core import i18n
from selfeval_app.core.i18n import N_, _, current_language, pgettext
from selfeval_app.core.plan_edit import year_label

ACTION_STATUS_NAMES = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Blocked"),
}
CRITERION_STATUS_NAMES = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "not_met": N_("Not met"),
    "partially_met": N_("Partly met"),
    "met": N_("Met"),
}
OUTCOME_NAMES = {"met": N_("Met"), "partly": N_("Partly met"), "not_met": N_("Not met")}
FUNDING_NAMES = {
    "school_budget": N_("School budget"),
    "pdg": N_("Pupil Development Grant"),
    "la_grant": N_("Local authority grant"),
    "other": N_("Other source"),
    "unspecified": N_("Source not given"),
}
TREND_NAMES = {"better": N_("Better"), "worse": N_("Worse"), "same": N_("No change")}
#: Background colours for RAG (the word is always shown too), with dark text on them.
RAG_COLOURS = {"red": "#f4b6b6", "amber": "#fbd99a", "green": "#b9e4b9"}


def name(table: dict[str, str], key: str | None) -> str:
    return _(table[key]) if key in table else ""


def rag_word(rag: str | None) -> str:
    if rag == "red":
        return pgettext("RAG", "Red")
    if rag == "amber":
        return pgettext("RAG", "Amber")
    if rag == "green":
        return pgettext("RAG", "Green")
    return _("No review")


def term_name(term: str) -> str:
    if term == "autumn":
        return pgettext("term", "Autumn")
    if term == "spring":
        return pgettext("term", "Spring")
    return pgettext("term", "Summer")


TERM_TITLES = {
    "autumn": N_("Autumn term %(year)s"),
    "spring": N_("Spring term %(year)s"),
    "summer": N_("Summer term %(year)s"),
}


def term_title(year: int, term: str) -> str:
    return _(TERM_TITLES[term]) % {"year": year_label(year)}


def trend_word(trend: str | None) -> str:
    return name(TREND_NAMES, trend) or "–"


def pick(pair: dict | None) -> str:
    """A bilingual text in the current language, or the other language's when that is empty."""
    pair = pair or {}
    lang = current_language()
    other = "en" if lang == "cy" else "cy"
    return (pair.get(lang) or "").strip() or (pair.get(other) or "").strip()


def money(pence: int | None) -> str:
    """£1,250.50 (both languages write pounds the same way; the locale gives the separators)."""
    from selfeval_app.gui.language import qlocale

    if pence is None:
        return "–"
    return "£" + qlocale().toString(pence / 100, "f", 2)


def number(value: float | None, unit: str | None = None) -> str:
    from selfeval_app.gui.language import qlocale

    if value is None:
        return "–"
    text = qlocale().toString(float(value), "g", 6)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def date_text(value: str | dt.date | None) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return i18n.format_date(value)


def period_text(period: str) -> str:
    """An indicator period "2025-26 autumn" in the current language ("Hydref 2025–26")."""
    parts = (period or "").split()
    if len(parts) == 2 and parts[1] in ("autumn", "spring", "summer"):
        return _(TERM_TITLES[parts[1]]) % {"year": parts[0].replace("-", "–")}
    return period or ""
