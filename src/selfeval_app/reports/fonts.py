"""The reports' font family: Noto Sans (OFL), subset, with full Welsh coverage (ŵ ŷ ẁ ẃ ẅ ỳ ...).

reportlab's built-in fonts cannot draw ŵ or ŷ (DESIGN §6 "Fonts"), so every report uses this family,
embedded. The files live in resources/fonts with their licence; see its README for how they were
made. `font_files()` is also what the GUI registers with Qt, so screens and PDFs match.
"""

from __future__ import annotations

import threading
from pathlib import Path

from selfeval_app.core.resources import resource_path

FAMILY = "NotoSans"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    "NotoSans",
    "NotoSans-Bold",
    "NotoSans-Italic",
    "NotoSans-BoldItalic",
)
_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    ITALIC: "NotoSans-Italic.ttf",
    BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def font_files() -> dict[str, Path]:
    """The four static TTFs by style name (regular, bold, italic, bold italic)."""
    return {name: resource_path("fonts", file) for name, file in _FILES.items()}


def license_file() -> Path:
    return resource_path("fonts", "OFL.txt")


def register_fonts() -> str:
    """Register the family with reportlab (once per process); returns the family name."""
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if _registered:
            return FAMILY
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, path in font_files().items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        # Paragraph markup (<b>, <i>) resolves through these mappings.
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
        _registered = True
    return FAMILY
