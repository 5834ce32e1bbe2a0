"""Draws a search result: the record type and title on the first line, the snippet under it with
the matched words in bold on the highlight colour (from the core's match marks). Sizes come from
the font, so it stays readable at 200% text."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from selfeval_app.core.search import MARK_END, MARK_START
from selfeval_app.gui.search.model import SNIPPET_ROLE, TITLE_ROLE, TYPE_LABEL_ROLE


def snippet_html(snippet: str, highlight: str, highlight_text: str) -> str:
    """The snippet as HTML: text escaped, each marked word bold on the highlight colour."""
    out = html.escape(snippet)
    start = f'<b style="background-color:{highlight}; color:{highlight_text}">'
    return out.replace(MARK_START, start).replace(MARK_END, "</b>")


class SearchResultDelegate(QStyledItemDelegate):
    MARGIN = 4

    def _document(self, option: QStyleOptionViewItem, index) -> QTextDocument:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text).name()
        mark_bg = palette.color(QPalette.ColorRole.ToolTipBase if selected else QPalette.ColorRole.Highlight).name()
        mark_fg = palette.color(QPalette.ColorRole.ToolTipText if selected else QPalette.ColorRole.HighlightedText).name()
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(self.MARGIN)
        type_label = html.escape(index.data(TYPE_LABEL_ROLE) or "")
        title = html.escape(index.data(TITLE_ROLE) or "")
        snippet = snippet_html(index.data(SNIPPET_ROLE) or "", mark_bg, mark_fg)
        doc.setHtml(
            f'<div style="color:{text_colour}"><span style="font-weight:600">{type_label}</span>'
            f" · {title}<br>{snippet}</div>"
        )
        width = option.rect.width() if option.rect.width() > 0 else 600
        doc.setTextWidth(width)
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        # Two lines of text (type and title; snippet) plus margins: cheap, and the same for
        # every row, so the view never lays out 20,000 documents.
        height = option.fontMetrics.lineSpacing() * 3 + 2 * self.MARGIN
        return QSize(option.rect.width() if option.rect.width() > 0 else 400, height)

