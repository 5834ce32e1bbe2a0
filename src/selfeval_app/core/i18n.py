"""Translations (gettext) and date formatting for the two languages, Welsh ("cy") and English ("en").

One gettext catalog holds every string of the app (including Qt's own strings, served by
context through `pgettext`). The compiled catalogs live in ``translations/<lang>/LC_MESSAGES/
messages.mo`` and are made from the ``.po`` sources by ``scripts/catalogs.py``.

Usage::

    from selfeval_app.core.i18n import _, N_, ngettext, pgettext

    label = _("Saved")                       # translated into the current language now
    SAVED = N_("Saved")                      # only marked for extraction; translate later: _(SAVED)
    text = ngettext("%(count)d record", "%(count)d records", n) % {"count": n}
    ok = pgettext("QPlatformTheme", "OK")    # msgctxt

The current language is a module global ("en" until `set_language` is called, normally by the
app at start-up with the remembered choice or `language_from_env()`). Every call of `_()` looks up
the current catalog, so switching language takes effect at once for everything translated after
the switch; `set_language` is a single assignment and safe to call from any thread.

Importing this module is cheap: only the stdlib ``gettext`` is used at run time; babel is
imported lazily, and only by `format_date_long`.
"""

from __future__ import annotations

import gettext as _gettext
import logging
import os
import threading
from collections.abc import Mapping
from datetime import date
from typing import Literal

from selfeval_app.core.resources import translations_path

__all__ = [
    "N_",
    "_",
    "available_languages",
    "current_language",
    "format_date",
    "format_date_long",
    "language_from_env",
    "lookup",
    "ngettext",
    "npgettext",
    "pgettext",
    "set_language",
]

Language = Literal["cy", "en"]

#: Supported languages, Welsh first (Welsh comes first wherever both appear).
LANGUAGES: tuple[Language, ...] = ("cy", "en")
DEFAULT_LANGUAGE: Language = "en"
ENV_VAR = "SELFEVAL_LANG"
DOMAIN = "messages"

_log = logging.getLogger(__name__)

_current: Language = DEFAULT_LANGUAGE
_catalogs: dict[str, _gettext.NullTranslations] = {}
_load_lock = threading.Lock()


def _check_language(lang: str) -> Language:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    return lang  # type: ignore[return-value]


def _translations(lang: str) -> _gettext.NullTranslations:
    """The (cached) translations object of a language; loaded from its .mo on first use."""
    catalog = _catalogs.get(lang)
    if catalog is not None:
        return catalog
    with _load_lock:
        catalog = _catalogs.get(lang)
        if catalog is None:
            catalog = _load(lang)
            _catalogs[lang] = catalog
    return catalog


def _load(lang: str) -> _gettext.NullTranslations:
    try:
        path = translations_path(lang, "LC_MESSAGES", f"{DOMAIN}.mo")
        with open(path, "rb") as fp:
            return _gettext.GNUTranslations(fp)
    except OSError as exc:  # missing folder or file, unreadable, or not a .mo
        # A missing catalog is a packaging fault, but the app must still run: show the source
        # (English) strings rather than crash.
        _log.warning("no %s translations (%s); showing the untranslated strings", lang, exc)
        return _gettext.NullTranslations()


def _reset_cache() -> None:
    """Forget loaded catalogs (tests, or after recompiling catalogs in a running process)."""
    with _load_lock:
        _catalogs.clear()


# -- language selection ---------------------------------------------------------------------


def set_language(lang: Language) -> None:
    """Make `lang` ("cy" or "en") the language of everything translated from now on."""
    global _current
    lang = _check_language(lang)
    _translations(lang)  # load now, so the first `_()` after a switch does no file access
    _current = lang


def current_language() -> Language:
    return _current


def available_languages() -> tuple[Language, ...]:
    """The app's languages, Welsh first: ("cy", "en")."""
    return LANGUAGES


def language_from_env(environ: Mapping[str, str] | None = None) -> Language | None:
    """The language asked for by SELFEVAL_LANG, or None if it is unset, empty or unsupported.

    Accepts "cy", "en" and locale-style values such as "cy_GB.UTF-8" or "en-GB".
    """
    value = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not value:
        return None
    lang = value.replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    if lang in LANGUAGES:
        return lang  # type: ignore[return-value]
    _log.warning("ignoring %s=%r: supported languages are %s", ENV_VAR, value, LANGUAGES)
    return None


# -- translation functions ------------------------------------------------------------------


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _translations(_current).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext name)
    """Mark `message` for extraction without translating it (translate later with `_()`)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for `n` in the current language (Welsh has six forms).

    The result is not formatted: use named placeholders and ``% {"count": n}``, since a
    translation may leave the number out (Welsh "Dim cofnodion" for 0).
    """
    return _translations(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate `message` in `context` (msgctxt), e.g. Qt's strings by their Qt context."""
    return _translations(_current).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` with a context (msgctxt)."""
    return _translations(_current).npgettext(context, singular, plural, n)


def lookup(message: str, context: str | None = None, lang: Language | None = None) -> str | None:
    """The translation of `message` (in `context`), or None when the catalog lacks it.

    For the Qt translator, which must tell "not translated" apart from "translated as the same
    text" to fall back and log what it misses.
    """
    translations = _translations(_check_language(lang) if lang else _current)
    table = getattr(translations, "_catalog", None)
    if table is None:
        return None
    key = message if context is None else f"{context}\x04{message}"
    found = table.get(key)
    return found if found else None


# -- dates ----------------------------------------------------------------------------------


def format_date(d: date, lang: Language | None = None) -> str:
    """Numeric date, ``dd/MM/yyyy`` in both languages: 01/09/2026."""
    if lang is not None:
        _check_language(lang)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


_BABEL_LOCALES = {"cy": "cy_GB", "en": "en_GB"}


def format_date_long(d: date, lang: Language | None = None) -> str:
    """Date with the month's name: "1 Medi 2026" / "1 September 2026".

    Stands alone: do not build sentences around it in Welsh ("o Fedi" mutates); write whole
    phrases in the catalog instead.
    """
    from babel.dates import format_date as babel_format_date  # lazy: babel is slow to import

    locale = _BABEL_LOCALES[_check_language(lang or _current)]
    # A fixed pattern (not CLDR's "long", which may change between babel releases).
    return babel_format_date(d, "d MMMM y", locale=locale)
