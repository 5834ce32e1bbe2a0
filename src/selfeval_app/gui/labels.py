"""Names the window shows for stored values, in the current language (light: no widgets)."""

from __future__ import annotations

from selfeval_app.core.i18n import N_, _

WRITES_IN_NAMES = {
    "cy": N_("Welsh"),
    "en": N_("English"),
    "both": N_("Welsh and English"),
}


def writes_in_name(value: str | None) -> str:
    return _(WRITES_IN_NAMES[value]) if value in WRITES_IN_NAMES else ""
