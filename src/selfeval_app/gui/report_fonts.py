"""The reports' font family (Noto Sans, OFL) registered with Qt, so what a page draws on screen
(charts, report previews) uses the same letters as the PDFs.

Registered after the first paint (app.py), never on the start path; `report_font_family()`
registers on first use if that has not happened yet. The app's own text keeps the system font,
which follows the person's accessibility settings.
"""

from __future__ import annotations

_family: str | None = None


def register_report_fonts() -> str:
    """Register the four static TTFs with Qt once; returns the family name Qt knows them by."""
    global _family
    if _family is not None:
        return _family
    from PySide6.QtGui import QFontDatabase, QFontInfo
    from PySide6.QtWidgets import QApplication

    from selfeval_app.reports.fonts import font_files

    app = QApplication.instance()
    if app is not None:
        # Keep the font the screen already uses: fontconfig may otherwise resolve the generic
        # "Sans Serif" to the newly added family and the whole window would change font.
        font = app.font()
        resolved = QFontInfo(font).family()
        if resolved and resolved != font.family():
            font.setFamily(resolved)
            app.setFont(font)

    families: list[str] = []
    for path in font_files().values():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    _family = families[0] if families else ""
    return _family


def report_font_family() -> str:
    return register_report_fonts()
