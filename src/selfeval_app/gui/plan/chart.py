"""A line or bar chart of an indicator's values over periods, drawn with QPainter.

Sizes come from the widget's font, so the chart stays readable at 200% text; axis labels are in
the current language (periods as "Hydref 2025–26"), values in the locale's numbers. The chart's
accessible description says every value in words, for a screen reader; the page also shows the
same values as a table.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from selfeval_app.core.i18n import _
from selfeval_app.gui.plan.words import number, period_text


def nice_range(low: float, high: float) -> tuple[float, float, float]:
    """Axis bounds and step: about five round steps covering [low, high]."""
    if math.isclose(low, high):
        low, high = low - 1, high + 1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


class IndicatorChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.values: list[dict] = []
        self.unit = ""
        self.title = ""
        self.kind = "line"  # or "bar"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_data(self, title: str, values: list[dict], unit: str, kind: str = "line") -> None:
        self.title, self.values, self.unit, self.kind = title, list(values), unit or "", kind
        self.describe()
        self.update()

    def describe(self) -> None:
        # Translators: accessible name of the chart, e.g. "Line chart: Attendance".
        name = _("Line chart: %(title)s") if self.kind == "line" else _("Bar chart: %(title)s")
        if self.title:
            self.setAccessibleName(name % {"title": self.title})
        else:
            self.setAccessibleName(_("Line chart") if self.kind == "line" else _("Bar chart"))
        if not self.values:
            self.setAccessibleDescription(_("No values yet."))
            return
        parts = [f"{period_text(v.get('period', ''))}: {number(v.get('value'), self.unit)}" for v in self.values]
        self.setAccessibleDescription("; ".join(parts))

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * 70, fm.lineSpacing() * 18)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        fm = self.fontMetrics()
        return QSize(fm.averageCharWidth() * 40, fm.lineSpacing() * 12)

    def paintEvent(self, event):  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        fm = QFontMetrics(self.font())
        text_pen = QPen(palette.color(QPalette.ColorRole.Text))
        painter.setPen(text_pen)
        points = [v for v in self.values if isinstance(v.get("value"), (int, float))]
        if not points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No values yet."))
            return
        low, high, step = nice_range(min(v["value"] for v in points), max(v["value"] for v in points))
        if self.kind == "bar" and low > 0:
            low = 0.0
        ticks = []
        t = low
        while t <= high + step / 1000:
            ticks.append(t)
            t += step
        tick_width = max(fm.horizontalAdvance(number(t)) for t in ticks)
        unit_label = self.unit or _("Value")
        left = tick_width + fm.lineSpacing() * 2
        top = fm.lineSpacing() * 1.5
        labels = [period_text(v.get("period", "")) for v in points]
        slot = (self.width() - left - fm.averageCharWidth() * 2) / max(len(points), 1)
        rotate = max(fm.horizontalAdvance(label) for label in labels) > slot * 0.95
        label_height = (max(fm.horizontalAdvance(label) for label in labels) * 0.72 + fm.height()) if rotate else fm.lineSpacing() * 1.2
        bottom = self.height() - label_height - fm.lineSpacing() * 1.6
        plot = QRectF(left, top, self.width() - left - fm.averageCharWidth() * 2, max(bottom - top, 10))

        def y_of(value: float) -> float:
            return plot.bottom() - (value - low) / (high - low) * plot.height()

        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        for t in ticks:
            y = y_of(t)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_pen)
            painter.drawText(QRectF(0, y - fm.height() / 2, left - fm.averageCharWidth(), fm.height()), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number(t))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        # axis titles
        painter.save()
        painter.translate(fm.ascent() * 0.2, plot.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-plot.height() / 2, 0, plot.height(), fm.lineSpacing()), Qt.AlignmentFlag.AlignCenter, unit_label)
        painter.restore()
        painter.drawText(QRectF(plot.left(), self.height() - fm.lineSpacing() * 1.3, plot.width(), fm.lineSpacing()), Qt.AlignmentFlag.AlignCenter, _("Period"))
        accent = palette.color(QPalette.ColorRole.Highlight)
        xs = [plot.left() + slot * (i + 0.5) for i in range(len(points))]
        if self.kind == "bar":
            width = slot * 0.6
            for x, v in zip(xs, points, strict=True):
                y = y_of(v["value"])
                painter.fillRect(QRectF(x - width / 2, y, width, plot.bottom() - y), accent)
        else:
            painter.setPen(QPen(accent, max(2, fm.height() / 8)))
            for (x1, a), (x2, b) in zip(zip(xs, points, strict=True), zip(xs[1:], points[1:], strict=True), strict=False):
                painter.drawLine(QPointF(x1, y_of(a["value"])), QPointF(x2, y_of(b["value"])))
            painter.setBrush(accent)
            r = max(3, fm.height() / 5)
            for x, v in zip(xs, points, strict=True):
                painter.drawEllipse(QPointF(x, y_of(v["value"])), r, r)
        painter.setPen(text_pen)
        for x, v in zip(xs, points, strict=True):
            label = number(v["value"])
            painter.drawText(QRectF(x - slot / 2, y_of(v["value"]) - fm.lineSpacing() * 1.3, slot, fm.lineSpacing()), Qt.AlignmentFlag.AlignCenter, label)
        for x, label in zip(xs, labels, strict=True):
            if rotate:
                painter.save()
                painter.translate(x, plot.bottom() + fm.ascent() * 0.5)
                painter.rotate(-40)
                painter.drawText(QRectF(-fm.horizontalAdvance(label) - 4, 0, fm.horizontalAdvance(label) + 4, fm.height()), Qt.AlignmentFlag.AlignRight, label)
                painter.restore()
            else:
                painter.drawText(QRectF(x - slot / 2, plot.bottom() + 2, slot, fm.lineSpacing()), Qt.AlignmentFlag.AlignCenter, label)
