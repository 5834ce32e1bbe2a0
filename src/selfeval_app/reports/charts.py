"""Small charts for the reports (reportlab graphics), always with words: never colour alone.

Every label is real text in the report's font; labels are placed so that no two overlap.
Each chart sits beside a table that carries the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from selfeval_app.reports.fonts import BOLD, REGULAR
from selfeval_app.reports.layout import FRAME_WIDTH, INK, MUTED, RULE
from selfeval_app.reports.text import L, academic_year_label

RAG_FILL = {
    "red": colors.HexColor("#e8857a"),
    "amber": colors.HexColor("#f5c15c"),
    "green": colors.HexColor("#8cc98a"),
    None: colors.white,
}


def rag_chart(L_: L, rows: Sequence[tuple[str, Sequence[str | None]]], columns: Sequence[str]) -> Drawing:
    """A grid of RAG cells: one row per priority (its label, e.g. "1"), one column per term;
    each cell is coloured and carries the RAG word."""
    size = 8.5
    label_w = max([stringWidth(label, BOLD, size) for label, _ in rows] + [10]) + 10
    words = [L_.rag(r) for _, rags in rows for r in rags] + list(columns)
    cell_w = max(stringWidth(w, REGULAR, size) for w in words) + 14
    cell_h, gap = 15, 3
    head_h = 14
    width = min(FRAME_WIDTH, label_w + len(columns) * (cell_w + gap))
    height = head_h + len(rows) * (cell_h + gap)
    d = Drawing(width, height, initialFontName=REGULAR)
    for j, col in enumerate(columns):
        x = label_w + j * (cell_w + gap) + cell_w / 2
        d.add(String(x, height - 10, col, fontName=BOLD, fontSize=size, fillColor=INK, textAnchor="middle"))
    for i, (label, rags) in enumerate(rows):
        y = height - head_h - (i + 1) * (cell_h + gap) + gap
        d.add(String(0, y + 4.5, label, fontName=BOLD, fontSize=size, fillColor=INK))
        for j, rag in enumerate(rags):
            x = label_w + j * (cell_w + gap)
            d.add(Rect(x, y, cell_w, cell_h, fillColor=RAG_FILL.get(rag, colors.white), strokeColor=RULE, strokeWidth=0.5))
            d.add(String(x + cell_w / 2, y + 4.5, L_.rag(rag), fontName=REGULAR, fontSize=size, fillColor=INK, textAnchor="middle"))
    return d


def _period_parts(L_: L, period: str) -> tuple[str, str]:
    """'2025-26 autumn' -> ('Hydref', '2025–26'); anything else is shown as it is."""
    parts = period.split()
    if len(parts) == 2 and parts[1] in ("autumn", "spring", "summer") and parts[0][:4].isdigit():
        return L_.term_short(parts[1]), academic_year_label(int(parts[0][:4]))
    return period, ""


def line_chart(L_: L, values: Sequence[tuple[str, float]], unit: str | None, *, width: float = 330, height: float = 120) -> Drawing:
    """A small line chart of an indicator's values, each point labelled with its value."""
    size = 7.5
    n = len(values)
    step = max(58.0, (width - 20) / max(n, 1))
    width = 20 + step * n
    bottom, top_pad = 24, 16
    d = Drawing(width, height, initialFontName=REGULAR)
    nums = [v for _, v in values]
    lo, hi = min(nums), max(nums)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.15
    lo, hi = lo - pad, hi + pad
    plot_h = height - bottom - top_pad

    def y_of(v: float) -> float:
        return bottom + (v - lo) / (hi - lo) * plot_h

    d.add(Line(10, bottom - 2, width - 4, bottom - 2, strokeColor=RULE, strokeWidth=0.6))
    points = []
    for i, (period, v) in enumerate(values):
        x = 10 + step * i + step / 2
        y = y_of(v)
        points += [x, y]
        term, year = _period_parts(L_, period)
        d.add(String(x, bottom - 11, term, fontName=REGULAR, fontSize=size, fillColor=MUTED, textAnchor="middle"))
        if year:
            d.add(String(x, bottom - 20, year, fontName=REGULAR, fontSize=size, fillColor=MUTED, textAnchor="middle"))
    if n > 1:
        d.add(PolyLine(points, strokeColor=colors.HexColor("#1f4e79"), strokeWidth=1.4))
    for i in range(n):
        x, y = points[2 * i], points[2 * i + 1]
        d.add(Circle(x, y, 2.4, fillColor=colors.HexColor("#1f4e79"), strokeColor=None))
        d.add(String(x, y + 5, L_.value(values[i][1], unit), fontName=BOLD, fontSize=size, fillColor=INK, textAnchor="middle"))
    return d
