"""Messages shared by several parts of the app: save state, counts, the app's name.

Deferred messages are marked with `N_()` and translated where shown, with `_()`, so they follow
the language when it changes. Counts are functions, because the plural form depends on n.

Welsh counts (six plural forms: zero, one, two, few = 3, many = 6, other). After a numeral Welsh
uses the singular noun, and the numeral mutates it: "dau gofnod" (soft mutation after dau),
"tri chofnod" and "chwe chofnod" (aspirate mutation after tri and chwe), "un cofnod", "pedwar
cofnod", "saith cofnod" (radical). Written with digits the noun keeps the mutation the spoken
numeral gives it ("2 gofnod", "3 chofnod"), as in Welsh software generally. Since the forms
one, two, few and many each hold exactly one number (1, 2, 3, 6), the catalog can spell each
out correctly; "other" (4, 5, 7, 8, ...) takes the radical. Zero reads best without a numeral:
"Dim cofnodion" ("no records", plural noun after "dim"). A noun beginning with a vowel, such as
"eitem", has no consonant to mutate, so its forms one to other are the same; "o" softens the
noun after it: "eitem o dystiolaeth".

Count messages are written to stand alone (a label, the status bar), so their zero forms begin
with a capital. Never build a Welsh sentence around a count: write the whole phrase instead.
"""

from __future__ import annotations

from selfeval_app.core.i18n import N_, ngettext, pgettext

#: The app's name, in window titles and reports.
APP_NAME = N_("Self-evaluation")

# Translators: save state of the record being edited, shown next to it at all times.
SAVED = N_("Saved")
# Translators: save state of the record being edited, while it is written to disk.
SAVING = N_("Saving…")
# Translators: save state of the record being edited, when saving failed or has not happened yet.
NOT_SAVED = N_("Not saved")


def records_count(n: int) -> str:
    """ "3 records" / "3 chofnod"."""
    # Translators: a count of records shown on its own (list footer, status bar). Welsh: the
    # singular noun after the numeral, mutated by it: 0 "Dim cofnodion", 1 "cofnod",
    # 2 "gofnod", 3 "chofnod", 6 "chofnod", other "cofnod".
    return ngettext("%(count)d record", "%(count)d records", n) % {"count": n}


def evidence_count(n: int) -> str:
    """ "3 items of evidence" / "3 eitem o dystiolaeth"."""
    # Translators: a count of pieces of evidence shown on its own (list footer, summary).
    # Welsh: "eitem" starts with a vowel, so the numeral does not change it; 0 "Dim tystiolaeth".
    return ngettext("%(count)d item of evidence", "%(count)d items of evidence", n) % {"count": n}


def evidence_ticked_count(n: int) -> str:
    """ "3 items of evidence ticked" (choosing the evidence behind a statement)."""
    # Translators: Welsh "eitem" is feminine: "wedi'i thicio" for one, "wedi'u ticio" for more.
    return ngettext("%(count)d item of evidence ticked", "%(count)d items of evidence ticked", n) % {"count": n}


def evidence_listed_count(n: int) -> str:
    """ "3 items of evidence listed" (how many the filter shows)."""
    return ngettext("%(count)d item of evidence listed", "%(count)d items of evidence listed", n) % {"count": n}


def qt_strings() -> dict[tuple[str, str], str]:
    """Some of Qt's own strings, keyed by (Qt context, source text), in the current language.

    Listed here so that extraction puts them in the catalog (Qt has no Welsh translation); the
    app's QTranslator looks them up by context with `i18n.lookup`.
    """
    return {
        ("QPlatformTheme", "OK"): pgettext("QPlatformTheme", "OK"),
        ("QPlatformTheme", "Cancel"): pgettext("QPlatformTheme", "Cancel"),
    }
