"""Shared layout of the reports: page, styles, tables, page furniture, watermark and PDF metadata.

- Page furniture ("Tudalen 2 o 7" / "Page 2 of 7") needs the page count, so pages are drawn in two
  passes: the canvas keeps each laid-out page and draws header and footer on all of them once the
  last page is known (`_FurnishedCanvas`), before writing the file.
- A draft carries DRAFFT / DRAFT as a light watermark drawn beneath the content.
- Metadata: title, author (the school), subject, creator, and the catalog's /Lang (cy-GB, en-GB;
  cy-GB for `both`, whose first block is Welsh).
- Everything is real text in the embedded Noto Sans family: never pictures of text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from selfeval_app.core.errors import OperationCancelled
from selfeval_app.reports.fonts import BOLD, FAMILY, REGULAR, register_fonts
from selfeval_app.reports.text import L

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9aa5b1")
HEAD_FILL = colors.HexColor("#dde5ec")
STRIPE = colors.HexColor("#f4f6f8")
ACCENT = colors.HexColor("#1f4e79")


class ReportCancelled(OperationCancelled):
    """The person cancelled the report; nothing was written."""


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=10, leading=13.5, textColor=INK, alignment=TA_LEFT, spaceAfter=4)
    s = {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=19, leading=24, textColor=ACCENT, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, spaceAfter=2),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=14, leading=18, textColor=ACCENT, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14.5, spaceBefore=6, spaceAfter=3, keepWithNext=1),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=BOLD, fontSize=9, leading=11.5, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "notice": ParagraphStyle("notice", parent=base, fontName=BOLD, textColor=colors.HexColor("#8a1c1c")),
    }
    return s


def P(markup: str, style: str = "body") -> Paragraph:  # noqa: N802 - reads like a tag
    return Paragraph(markup, styles()[style])


def text_p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped)."""
    return Paragraph(escape(text), styles()[style])


def bullets(items: Sequence[str], style: str = "bullet") -> list[Flowable]:
    """Bulleted paragraphs from markup items."""
    return [Paragraph(item, styles()[style], bulletText="•") for item in items]


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    fills: dict[tuple[int, int], colors.Color] | None = None,
    total_row: bool = False,
) -> Table:
    """A table with a repeated header row; cells are markup strings or flowables. Never empty:
    callers say "none" in a sentence instead of drawing a table without rows."""
    if not rows:
        raise ValueError("a report never draws an empty table")
    st = styles()
    data = [[Paragraph(h, st["cell_head"]) for h in header]]
    for row in rows:
        data.append([c if isinstance(c, Flowable) else Paragraph(str(c), st["cell"]) for c in row])
    scale = FRAME_WIDTH / sum(widths)
    t = Table(data, colWidths=[w * scale for w in widths], repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for i in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, i), (-1, i), STRIPE))
    if total_row:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE))
    for (col, row_index), fill in (fills or {}).items():
        commands.append(("BACKGROUND", (col, row_index + 1), (col, row_index + 1), fill))
    t.setStyle(TableStyle(commands))
    return t


def space(h: float = 4) -> Spacer:
    return Spacer(1, h)


# --- the document -----------------------------------------------------------------------------


@dataclass
class DocInfo:
    """What the page furniture and the PDF metadata say."""

    lang: str  # cy | en | both
    title: str  # metadata title (both languages joined for `both`)
    subject: str
    author: str  # the school
    header_left: str  # school name(s)
    header_right: str  # short report name(s)
    footer_left: str  # date of issue, or "draft"
    blocks: Sequence[L]  # block languages (page furniture in each, Welsh first)
    draft: bool = False


def _watermark_words(info: DocInfo) -> list[str]:
    return [b._("DRAFT") for b in info.blocks]


def _fit(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _canvas_class(info: DocInfo):
    class _FurnishedCanvas(Canvas):
        """Keeps each page until the last is known, then draws header and footer on every one."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furnish(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _furnish(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            top = PAGE_HEIGHT - 13 * mm
            left = min(stringWidth(info.header_left, REGULAR, 8), FRAME_WIDTH / 2 - 6)
            self.setFillColor(MUTED)
            self.setFont(REGULAR, 8)
            self.drawString(MARGIN_X, top, _fit(info.header_left, REGULAR, 8, left))
            right = _fit(info.header_right, REGULAR, 8, FRAME_WIDTH - left - 12)
            self.drawRightString(PAGE_WIDTH - MARGIN_X, top, right)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, top - 4, PAGE_WIDTH - MARGIN_X, top - 4)
            bottom = 11 * mm
            self.line(MARGIN_X, bottom + 10, PAGE_WIDTH - MARGIN_X, bottom + 10)
            pages = " · ".join(b._("Page %(page)d of %(pages)d") % {"page": page, "pages": total} for b in info.blocks)
            self.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, pages)
            width_left = FRAME_WIDTH - stringWidth(pages, REGULAR, 8) - 12
            self.drawString(MARGIN_X, bottom, _fit(info.footer_left, REGULAR, 8, width_left))
            self.restoreState()

    return _FurnishedCanvas


def _draw_watermark(canvas: Canvas, info: DocInfo) -> None:
    """DRAFFT / DRAFT across the middle of the page, beneath the content. Horizontal, so it
    stays real text that a reader (and pdftotext) reads as one word."""
    words = _watermark_words(info)
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.12))
    size = 110 if len(words) == 1 else 96
    canvas.setFont(BOLD, size)
    for i, word in enumerate(words):
        y = PAGE_HEIGHT / 2 + (len(words) - 1) * size * 0.55 - i * size * 1.1 - size * 0.35
        canvas.drawCentredString(PAGE_WIDTH / 2, y, word)
    canvas.restoreState()


def render(
    story: list[Flowable],
    info: DocInfo,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[bytes, int]:
    """Lay out and draw the story; returns the PDF's bytes and its page count.

    `progress(fraction)` is called as flowables are placed (0..1); `cancelled()` is polled and
    raises ReportCancelled when it returns True."""
    register_fonts()
    buf = io.BytesIO()
    pdf_lang = "en-GB" if info.lang == "en" else "cy-GB"
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator="Hunanwerthuso | Self-evaluation",
        lang=pdf_lang,
        initialFontName=REGULAR,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canvas, _doc):
        if info.draft:
            _draw_watermark(canvas, info)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    total = max(1, len(story))
    placed = 0

    def after(_flowable):
        nonlocal placed
        placed += 1
        if cancelled is not None and cancelled():
            raise ReportCancelled()
        if progress is not None and placed % 8 == 0:
            progress(min(1.0, placed / total))

    doc.afterFlowable = after
    doc.build(story, canvasmaker=_canvas_class(info))
    if progress is not None:
        progress(1.0)
    return buf.getvalue(), doc.page


def family() -> str:
    return FAMILY
