"""The collaboration network drawn (issue 13 item 4): schools as labelled nodes on a circle in
alphabetical order, a line for each pair that works together. Line style, not colour, says what
the link is: solid when both schools name each other, dashed when only one does, dotted for a
peer review with no partnership. The table of links beside it says the same in words (the
table alternative).

Keyboard: the view takes focus; arrow keys, Tab and Shift+Tab (or Home/End) move from school to
school in alphabetical order; the chosen school and its links are drawn thicker and a line under
the drawing says, in words, whom it works with; Enter opens that school."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from selfeval_app.core.i18n import _, current_language
from selfeval_app.core.sorting import sort_key

NODE = 14.0  # node diameter in scene units


def edge_style(edge) -> Qt.PenStyle:
    if edge.reciprocal:
        return Qt.PenStyle.SolidLine
    if edge.named_by:
        return Qt.PenStyle.DashLine
    return Qt.PenStyle.DotLine  # a peer review only


class NetworkView(QGraphicsView):
    """Draws a la_views.Network; `chosenChanged(key)` when the keyboard or mouse picks a school,
    `openRequested(key)` on Enter or a double click."""

    chosenChanged = Signal(str)  # noqa: N815
    openRequested = Signal(str)  # noqa: N815

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("collaborationNetwork")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 22)
        self.network = None
        self.order: list[str] = []
        self.names: dict[str, str] = {}
        self.node_items: dict[str, QGraphicsEllipseItem] = {}
        self.edge_items: list[tuple[object, QGraphicsLineItem]] = []
        self.chosen: str | None = None

    # -- drawing -----------------------------------------------------------------------------

    def show_network(self, network) -> None:
        self.network = network
        self._draw()

    def _draw(self) -> None:
        scene = self.scene()
        scene.clear()
        self.node_items.clear()
        self.edge_items.clear()
        net = self.network
        if net is None:
            return
        lang = current_language()
        linked = {k for e in net.edges for k in (e.a, e.b)}
        # Every school on the list or heard from, and partners named by them.
        nodes = [n for n in net.nodes if n.known or n.listed or n.key in linked]
        self.names = {n.key: n.name_in(lang) for n in nodes}
        self.order = sorted(self.names, key=lambda k: sort_key(self.names[k], lang))
        count = max(len(self.order), 1)
        radius = max(160.0, count * NODE * 1.6 / (2 * math.pi))
        text = self.palette().color(QPalette.ColorRole.Text)
        base = self.palette().color(QPalette.ColorRole.Base)
        positions: dict[str, QPointF] = {}
        font = QFont(self.font())
        for i, key in enumerate(self.order):
            angle = 2 * math.pi * i / count - math.pi / 2
            point = QPointF(radius * math.cos(angle), radius * math.sin(angle))
            positions[key] = point
            item = QGraphicsEllipseItem(QRectF(point.x() - NODE / 2, point.y() - NODE / 2, NODE, NODE))
            item.setBrush(QBrush(text if key in linked else base))
            item.setPen(QPen(text, 1.5))
            item.setData(0, key)
            item.setZValue(2)
            item.setToolTip(self.names[key])
            scene.addItem(item)
            self.node_items[key] = item
            label = QGraphicsSimpleTextItem(self.names[key])
            label.setFont(font)
            label.setBrush(QBrush(text))
            width = label.boundingRect().width()
            height = label.boundingRect().height()
            out = QPointF(math.cos(angle), math.sin(angle))
            anchor = point + out * (NODE * 0.9)
            x = anchor.x() - (width if out.x() < -0.2 else (width / 2 if abs(out.x()) <= 0.2 else 0))
            y = anchor.y() - height / 2 + (height / 2 * out.y())
            label.setPos(x, y)
            label.setZValue(3)
            scene.addItem(label)
        for edge in net.edges:
            if edge.a not in positions or edge.b not in positions:
                continue
            line = QGraphicsLineItem(positions[edge.a].x(), positions[edge.a].y(), positions[edge.b].x(), positions[edge.b].y())
            line.setZValue(1)
            scene.addItem(line)
            self.edge_items.append((edge, line))
        self._style()
        self.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _style(self) -> None:
        text = self.palette().color(QPalette.ColorRole.Text)
        for edge, line in self.edge_items:
            on = self.chosen in (edge.a, edge.b)
            pen = QPen(text, 3.0 if on else 1.0, edge_style(edge))
            line.setPen(pen)
            line.setOpacity(1.0 if on or self.chosen is None else 0.45)
        for key, item in self.node_items.items():
            item.setPen(QPen(text, 4.0 if key == self.chosen else 1.5))
            item.setRect(item.rect())

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if self.scene() is not None and self.node_items:
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    # -- choosing ------------------------------------------------------------------------------

    def choose(self, key: str | None) -> None:
        if key is not None and key not in self.node_items:
            return
        self.chosen = key
        self._style()
        if key is not None:
            self.ensureVisible(self.node_items[key])
            self.chosenChanged.emit(key)

    def step(self, by: int) -> None:
        if not self.order:
            return
        if self.chosen not in self.order:
            index = 0 if by > 0 else len(self.order) - 1
        else:
            index = (self.order.index(self.chosen) + by) % len(self.order)
        self.choose(self.order[index])

    def keyPressEvent(self, event):  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.step(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.step(-1)
        elif key == Qt.Key.Key_Home and self.order:
            self.choose(self.order[0])
        elif key == Qt.Key.Key_End and self.order:
            self.choose(self.order[-1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.chosen:
            self.openRequested.emit(self.chosen)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event):  # noqa: N802
        super().focusInEvent(event)
        if self.chosen is None and self.order:
            self.choose(self.order[0])

    def _item_key(self, pos) -> str | None:
        for item in self.items(pos):
            key = item.data(0)
            if key:
                return key
        return None

    def mousePressEvent(self, event):  # noqa: N802
        key = self._item_key(event.position().toPoint())
        if key:
            self.choose(key)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event):  # noqa: N802
        key = self._item_key(event.position().toPoint())
        if key:
            self.openRequested.emit(key)
        super().mouseDoubleClickEvent(event)

    # -- words -----------------------------------------------------------------------------------

    def describe(self, key: str | None) -> str:
        """The chosen school's links in words (what the drawing shows, for everyone)."""
        if self.network is None or key is None or key not in self.names:
            return _("Choose a school in the drawing with the arrow keys (or click it) to see whom it works with.")
        parts = []
        for edge in self.network.edges_of(key):
            other = edge.b if edge.a == key else edge.a
            name = self.names.get(other) or other
            if edge.reciprocal:
                parts.append(_("%(school)s (both name each other)") % {"school": name})
            elif edge.named_by:
                parts.append(_("%(school)s (named by one of the two)") % {"school": name})
            else:
                parts.append(_("%(school)s (peer review)") % {"school": name})
        if not parts:
            return _("%(school)s: no partnership or peer review with another school.") % {"school": self.names[key]}
        return _("%(school)s works with: %(others)s.") % {"school": self.names[key], "others": "; ".join(parts)}


def legend() -> str:
    return _("Solid line: both schools name each other in a partnership. Dashed line: only one of the two names the other. Dotted line: a peer review, with no partnership named. A filled circle: a school with at least one link.")
