"""The reports' font family (Noto Sans, OFL) registered with Qt, so what a page draws on screen
(charts, report previews) uses the same letters as the PDFs.

Registered after the first paint (app.py), never on the start path; `report_font_family()`
registers on first use if that has not happened yet. The app's own text keeps the system font,
which follows the person's accessibility settings.
"""

from __future__ import annotations

_family: str | None = None


def keep_screen_font(app) -> None:
    """Name the family the screen's font resolves to now (fontconfig's answer for the generic
    "Sans Serif"), so that adding the report fonts later cannot change the window's font. Called
    as the application is made, before any widget: setting the application's font then costs
    nothing, where after the first paint it sends a FontChange to every widget of the window
    (measured: ~40 ms on the main thread, the typing benchmark's longest gap)."""
    from PySide6.QtGui import QFontInfo

    font = app.font()
    resolved = QFontInfo(font).family()
    if resolved and resolved != font.family():
        font.setFamily(resolved)
        app.setFont(font)


def register_report_fonts() -> str:
    """Register the four static TTFs with Qt once; returns the family name Qt knows them by."""
    global _family
    if _family is not None:
        return _family
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    from selfeval_app.reports.fonts import font_files

    app = QApplication.instance()
    if app is not None:
        # Keep the font the screen already uses: fontconfig may otherwise resolve the generic
        # "Sans Serif" to the newly added family and the whole window would change font
        # (nothing to do when `keep_screen_font` ran as the application was made).
        keep_screen_font(app)

    families: list[str] = []
    for path in font_files().values():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    _family = families[0] if families else ""
    return _family


def report_font_family() -> str:
    return register_report_fonts()
