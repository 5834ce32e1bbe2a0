"""Read-only tables of the LA's pages: a table model over rows of plain data with columns that
know how to show and how to sort each value (names in Welsh or English order through the core's
sort keys, numbers by value), a filter that folds case and accents (ŵ = w) and needs every word,
and a table view that is keyboard-friendly and named for screen readers.

There are no colours anywhere: a RAG or a trend is always its word (DESIGN §4; issue 13: no
colour categories)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from selfeval_app.core.i18n import _, current_language
from selfeval_app.core.sorting import sort_key

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
FILTER_ROLE = Qt.ItemDataRole.UserRole + 11


@dataclass(frozen=True)
class Column:
    header: str  # catalog message (N_)
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # None: the text in the language's order
    tooltip: str = ""  # catalog message (N_): the column heading's tooltip
    tip: Callable[[Any], str] | None = None  # a cell's tooltip (default: a long text in full)


class RowsModel(QAbstractTableModel):
    """Rows of plain data shown through `Column`s (texts are computed in the current language)."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._cells: list[list[str]] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._cells = [[c.text(r) for c in self.columns] for r in self.rows]
        self.endResetModel()

    def retranslate(self) -> None:
        self.set_rows(self.rows)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self.columns) - 1, 0))

    def rowCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tip is not None:
                return col.tip(row) or None
            text = self._cells[index.row()][index.column()]
            return text if len(text) > 30 else None
        if role == SORT_ROLE:
            if col.sort is not None:
                return col.sort(row)
            return sort_key(self._cells[index.row()][index.column()], current_language())
        if role == FILTER_ROLE:
            return " ".join(self._cells[index.row()])
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].header)
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tooltip:
            return _(self.columns[section].tooltip)
        return None


class FoldingFilter(QSortFilterProxyModel):
    """Sorts by each column's sort value; keeps rows where every typed word is found, folded."""

    def __init__(self, parent=None, *, search: Callable[[Any], str] | None = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.words: list[str] = []
        self.search = search  # the text a row is searched in (default: all its cells)

    def set_search(self, text: str) -> None:
        from selfeval_app.la_views import fold

        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.words = fold(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.words = fold(text).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        if not self.words:
            return True
        from selfeval_app.la_views import fold

        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self.search is not None:
            text = self.search(model.data(index, Qt.ItemDataRole.UserRole))
        else:
            text = model.data(index, FILTER_ROLE)
        hay = fold(text)
        return all(w in hay for w in self.words)

    def lessThan(self, left, right) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def table_view(parent: QWidget, object_name: str, *, sortable: bool = True) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(object_name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setTabKeyNavigation(False)
    view.setWordWrap(True)
    view.setSortingEnabled(sortable)
    view.setAlternatingRowColors(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * 8)
    return view


def name_table(view: QTableView, name: str) -> None:
    view.setAccessibleName(name)
    view.horizontalHeader().setAccessibleName(_("Column headings"))
    view.verticalHeader().setAccessibleName(_("Row headings"))


def fit_columns(view: QTableView, widest_chars: int = 40) -> None:
    """Columns wide enough for their contents, but none wider than about `widest_chars`."""
    view.resizeColumnsToContents()
    limit = view.fontMetrics().averageCharWidth() * widest_chars
    header = view.horizontalHeader()
    for section in range(header.count()):
        if header.sectionSize(section) > limit:
            header.resizeSection(section, limit)
    view.resizeRowsToContents()


class TextTable:
    """A la_views.Table (headers and text rows, already in the current language) in a view:
    the table alternative of a chart, and what the CSV export writes."""

    def __init__(self, view: QTableView, *, by_name: bool = False):
        self.view = view
        self.by_name = by_name  # rows name schools: shown in the language's order of column 0
        self.model = _TextModel(view)
        self.proxy = FoldingFilter(view)
        self.proxy.setSourceModel(self.model)
        view.setModel(self.proxy)

    def show(self, table, numeric: Sequence[int] = ()) -> None:
        """Show the table in the order la_views gave (meaningful: tags in their order, names
        alphabetically) until a column heading is clicked."""
        header = self.view.horizontalHeader()
        keep = header.sortIndicatorSection() if self.model.rows and self.proxy.sortColumn() >= 0 else -1
        order = header.sortIndicatorOrder()
        if keep < 0 and self.by_name:
            keep, order = 0, Qt.SortOrder.AscendingOrder
            header.setSortIndicator(0, order)
        self.model.set_table(table.headers, table.rows, set(numeric))
        if keep < 0:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.proxy.sort(-1)
        else:
            self.proxy.sort(keep, order)
        fit_columns(self.view)


class _TextModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.numeric: set[int] = set()

    def set_table(self, headers: list[str], rows: list[list[str]], numeric: set[int]) -> None:
        self.beginResetModel()
        self.headers, self.rows, self.numeric = list(headers), [list(r) for r in rows], numeric
        self.endResetModel()

    def rowCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == SORT_ROLE:
            if index.column() in self.numeric:
                try:
                    return (0, float(text))
                except ValueError:
                    return (1, sort_key(text, current_language()))
            return (0, sort_key(text, current_language()))
        if role == FILTER_ROLE:
            return " ".join(self.rows[index.row()])
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.headers):
            return self.headers[section]
        return None
