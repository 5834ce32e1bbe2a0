"""Small helpers for attached files in the evidence log: sizes in the current language, and
opening a read-only copy in the system's program for it (a function tests replace)."""

from __future__ import annotations

from pathlib import Path

from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.language import qlocale

# Translators: the data-protection reminder shown before a file is first attached.
REMINDER_TITLE = N_("Before you attach a file")
REMINDER_TEXT = N_(
    "Attached files can hold personal data. Attach only what the evidence needs: no learners’ "
    "names or other personal details unless they are truly necessary. Your school’s data "
    "protection policy applies to everything you keep here."
)


def format_size(size: int | None) -> str:
    """A file size with the current language's number format: "12.5 KB", "3.2 MB"."""
    size = int(size or 0)
    locale = qlocale()
    if size < 1024 * 1024:
        kb = max(size / 1024, 0.1)
        # Translators: a file size in kilobytes, e.g. "12.5 KB".
        return _("%(size)s KB") % {"size": locale.toString(kb, "f", 1)}
    # Translators: a file size in megabytes, e.g. "3.2 MB".
    return _("%(size)s MB") % {"size": locale.toString(size / (1024 * 1024), "f", 1)}


def open_in_system(path: Path) -> bool:
    """Open a local file (a read-only copy) in the program the system uses for it."""
    from selfeval_app.gui.dialogs import DialogService

    return DialogService().open_document(None, path)
