"""Evidence coverage: for the chosen academic year, how much evidence of which kinds backs each
area (a table of areas by kinds of evidence, with totals), and the statements no evidence backs
yet, listed gently. The same figures are given as text for screen readers and copying.

Double-clicking (or pressing Enter on) an area opens its evaluation. Figures come from
`core.evidence_queries.coverage`; they are recomputed when evidence or evaluations change and the
page is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.evidence_labels import KIND_LABELS, kind_label
from selfeval_app.core.evidence_queries import AreaCoverage, coverage
from selfeval_app.core.i18n import _, current_language
from selfeval_app.core.messages_common import evidence_count
from selfeval_app.gui.language import Retranslatable, plain


class CoverageModel(QAbstractTableModel):
    """Rows: the areas, then a totals row. Columns: area, each kind seen this year, total."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.areas: list[ee.AreaChoice] = []
        self.figures: dict[str, AreaCoverage] = {}
        self.kinds: list[str] = []

    def set_data(self, areas: list[ee.AreaChoice], figures: dict[str, AreaCoverage]) -> None:
        self.beginResetModel()
        self.areas, self.figures = areas, figures
        seen = {k for cov in figures.values() for k, n in cov.by_kind.items() if n}
        self.kinds = [k for k in KIND_LABELS if k in seen]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.areas) + 1

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.kinds) + 2

    def area_at(self, row: int) -> ee.AreaChoice | None:
        return self.areas[row] if 0 <= row < len(self.areas) else None

    def count(self, row: int, column: int) -> int:
        covs = [self.figures.get(a.id) for a in self.areas] if row == len(self.areas) else [self.figures.get(self.areas[row].id)]
        if column == len(self.kinds) + 1:
            return sum(c.total for c in covs if c)
        kind = self.kinds[column - 1]
        return sum(c.by_kind.get(kind, 0) for c in covs if c)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                area = self.area_at(row)
                return area.label(current_language()) if area else _("All areas")
            return str(self.count(row, col))
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row == len(self.areas):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return _("Area")
        if section == len(self.kinds) + 1:
            return _("Total")
        return kind_label(self.kinds[section - 1])

    def retranslate(self) -> None:
        self.beginResetModel()
        self.endResetModel()


class CoveragePage(Retranslatable, QWidget):
    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self._stale = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.year_label = QLabel(self)
        self.year_combo = QComboBox(self)
        self.year_label.setBuddy(self.year_combo)
        bar.addWidget(self.year_label)
        bar.addWidget(self.year_combo)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.model = CoverageModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("coverageTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.activated.connect(lambda index: self.open_area(index.row()))
        self.model.modelReset.connect(self._arrange_table)
        layout.addWidget(self.table)
        self.summary_box = QGroupBox(self)
        summary_layout = QVBoxLayout(self.summary_box)
        self.summary = QLabel(self.summary_box)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        summary_layout.addWidget(self.summary)
        layout.addWidget(self.summary_box)
        self.gaps_box = QGroupBox(self)
        gaps_layout = QVBoxLayout(self.gaps_box)
        self.gaps = QLabel(self.gaps_box)
        self.gaps.setWordWrap(True)
        self.gaps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.gaps.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.gaps.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        gaps_layout.addWidget(self.gaps)
        layout.addWidget(self.gaps_box)
        layout.addStretch(1)
        self._fill_years()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.retranslate()

    @property
    def reader(self):
        """The main thread's read-only store (None once the window has closed)."""
        session = getattr(self.window, "session", None)
        return session.reader if session is not None else None

    def selected_year(self) -> int:
        year = self.year_combo.currentData()
        return int(year) if year is not None else academic_year_of(self.window.clock.today())

    def _fill_years(self) -> None:
        if self.reader is None:  # the window is closing
            return
        current = academic_year_of(self.window.clock.today())
        keep = self.year_combo.currentData() or current
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in ee.evaluation_years(self.reader, current):
            self.year_combo.addItem(ee.year_label(y), y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(keep)))
        self.year_combo.blockSignals(False)

    def refresh(self) -> None:
        if self.reader is None:
            return
        lang = current_language()
        year = self.selected_year()
        self.areas = ee.area_choices(self.reader, lang)
        self.figures = coverage(self.reader, year)
        self.model.set_data(self.areas, self.figures)
        self._stale = False
        self._write_text()

    def _write_text(self) -> None:
        lang = current_language()
        lines = []
        for area in self.areas:
            cov = self.figures.get(area.id)
            total = cov.total if cov else 0
            if total:
                kinds = ", ".join(f"{kind_label(k)} {n}" for k, n in sorted(cov.by_kind.items(), key=lambda kv: list(KIND_LABELS).index(kv[0]) if kv[0] in KIND_LABELS else 99) if n)
                lines.append(_("%(area)s: %(count)s (%(kinds)s).") % {"area": area.label(lang), "count": self._pieces(total), "kinds": kinds})
            else:
                lines.append(_("%(area)s: no evidence this year yet.") % {"area": area.label(lang)})
        text = "\n".join(lines)
        self.summary.setText(text)
        self.summary.setAccessibleName(_("The table as text"))
        self.table.setAccessibleDescription(text)
        gaps = []
        statements = self._statement_texts()
        for area in self.areas:
            cov = self.figures.get(area.id)
            if cov and cov.statements_without_evidence:
                gaps.append(area.label(lang))
                gaps += ["    • " + statements.get(sid, "") for sid in cov.statements_without_evidence]
        self.gaps.setText("\n".join(gaps) if gaps else _("Every statement of this year has evidence linked to it."))
        self.gaps.setAccessibleName(_("Statements with no evidence yet"))

    def _pieces(self, n: int) -> str:
        return evidence_count(n)

    def _statement_texts(self) -> dict[str, str]:
        lang = current_language()
        texts = {}
        for ev in self.reader.list("evaluation", where="academic_year = ?", params=(self.selected_year(),)):
            for s in ev["statements"] or []:
                if isinstance(s, dict):
                    texts[s.get("id")] = ee.bitext_in(s.get("text"), lang) or _("(a statement with no text)")
        return texts

    def _arrange_table(self) -> None:
        """Total right after the area (always in view, however many kinds there are), and the
        table as tall as its rows, so the text below follows it."""
        header = self.table.horizontalHeader()
        total = self.model.columnCount() - 1
        if total > 1 and header.visualIndex(total) != 1:
            header.moveSection(header.visualIndex(total), 1)
        self.table.resizeRowsToContents()
        height = header.height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        height += self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(height)

    def open_area(self, row: int) -> None:
        area = self.model.area_at(row)
        if area is None:
            return
        page = self.window.show_page("evaluation")
        page.select(area_id=area.id, year=self.selected_year())

    # -- window hooks ------------------------------------------------------------------------------

    def page_shown(self) -> None:
        self._fill_years()
        self.refresh()

    def records_changed(self, types: set[str]) -> None:
        if types & {"evidence", "evaluation", "area"}:
            self._stale = True
            if self.isVisible():
                self._fill_years()
                self.refresh()

    def retranslate(self) -> None:
        self.year_label.setText(_("Academic &year:"))
        self.year_combo.setAccessibleName(plain(_("Academic year:")))
        self.intro.setText(_("How much evidence of each kind backs each area this academic year. Double-click an area, or press Enter on it, to open its evaluation."))
        self.table.setAccessibleName(_("Evidence by area and kind"))
        self.table.horizontalHeader().setAccessibleName(_("Column headings"))
        self.summary_box.setTitle(_("The same figures as text"))
        self.gaps_box.setTitle(_("Statements with no evidence yet"))
        self.model.retranslate()
        self.refresh()
