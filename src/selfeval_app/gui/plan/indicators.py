"""The indicators page: aggregated measures over time (attendance, reading, ...), each with its
values as a chart (line or bar, drawn with QPainter) and, beside it, the same values as a table;
a flag when a group under 5 pupils may leave this computer. An indicator can be deleted (asked
first) and brought back with Undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import framework
from selfeval_app.core.i18n import _, current_language
from selfeval_app.core.plan_edit import SMALL_COHORT, small_cohorts
from selfeval_app.core.visibility import visibility_label
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.plan.chart import IndicatorChart
from selfeval_app.gui.plan.deleting import DeleteKeyFilter, UndoBar
from selfeval_app.gui.plan.page import cell, readonly_table
from selfeval_app.gui.plan.widgets import name_headers
from selfeval_app.gui.plan.words import number, period_text, pick


class IndicatorsPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.records: list[dict] = []
        self.priority_titles: dict[str, str] = {}
        self._stale = True
        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(splitter, 1)
        self.undo_bar = UndoBar(self, window)
        self.undo_bar.after_undo = lambda removed: self.reload(removed[-1][1])
        outer.addWidget(self.undo_bar)
        left = QWidget(splitter)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.list_label = QLabel(left)
        self.list = QListWidget(left)
        self.list.setWordWrap(True)
        self.list_label.setBuddy(self.list)
        self.list.currentRowChanged.connect(lambda _r: self.show_current())
        self.list.itemActivated.connect(lambda _i: self.edit())
        lv.addWidget(self.list_label)
        lv.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button, self.edit_button, self.delete_button = QPushButton(left), QPushButton(left), QPushButton(left)
        self.add_button.clicked.connect(lambda: self.edit(new=True))
        self.edit_button.clicked.connect(lambda: self.edit())
        self.delete_button.clicked.connect(lambda: self.delete())
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        self.delete_keys = DeleteKeyFilter(lambda _w: self.delete(), self.list)
        lv.addLayout(row)
        right = QWidget(splitter)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(right)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.details = QLabel(right)
        self.flag = QLabel(right)
        flag_font = self.flag.font()
        flag_font.setBold(True)
        self.flag.setFont(flag_font)
        for label in (self.title, self.details, self.flag):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            rv.addWidget(label)
        kind_row = QHBoxLayout()
        self.kind_label = QLabel(right)
        self.kind = QComboBox(right)
        self.kind_label.setBuddy(self.kind)
        self.kind.currentIndexChanged.connect(lambda _i: self.show_current())
        kind_row.addWidget(self.kind_label)
        kind_row.addWidget(self.kind)
        kind_row.addStretch(1)
        rv.addLayout(kind_row)
        views = QSplitter(Qt.Orientation.Horizontal, right)
        self.chart = IndicatorChart(views)
        self.table = readonly_table(views, 3)
        views.addWidget(self.chart)
        views.addWidget(self.table)
        views.setStretchFactor(0, 3)
        views.setStretchFactor(1, 2)
        rv.addWidget(views, 1)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        self.retranslate()

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & {"indicator", "priority"}:
            self._stale = True
            if self.isVisible():
                self.reload()

    def reload(self, select_id: str | None = None) -> None:
        self._stale = False
        reader = self.window_.session.reader
        lang = current_language()
        self.records = reader.list("indicator", order_by=f"sort_{lang}")
        self.priority_titles = {p["id"]: pick(p["title"]) for p in reader.list("priority")}
        current = select_id or self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for rec in self.records:
            item = QListWidgetItem(pick(rec["title"]), self.list)
            item.setData(Qt.ItemDataRole.UserRole, rec["id"])
        ids = [r["id"] for r in self.records]
        self.list.setCurrentRow(ids.index(current) if current in ids else (0 if ids else -1))
        self.list.blockSignals(False)
        self.show_current()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current(self) -> dict | None:
        rid = self.current_id()
        return next((r for r in self.records if r["id"] == rid), None)

    def show_current(self) -> None:
        rec = self.current()
        self.edit_button.setEnabled(rec is not None)
        self.delete_button.setEnabled(rec is not None)
        if rec is None:
            self.title.setText(_("No indicators yet.") if not self.records else "")
            self.details.setText(_("Add an indicator to follow a measure over time, such as attendance or reading ages."))
            self.flag.hide()
            self.chart.set_data("", [], "")
            self.table.setRowCount(0)
            self._names()
            return
        unit = rec.get("unit") or ""
        self.title.setText(pick(rec["title"]))
        lines = []
        if pick(rec.get("description")):
            lines.append(pick(rec["description"]))
        if unit:
            lines.append(_("Unit: %(unit)s") % {"unit": unit})
        if rec.get("transition_point"):
            lines.append(_("Transition point: %(point)s") % {"point": rec["transition_point"]})
        titles = [self.priority_titles[p] for p in rec.get("priority_ids") or [] if p in self.priority_titles]
        if titles:
            lines.append(_("Priorities it informs: %(list)s") % {"list": "; ".join(titles)})
        lang = current_language()
        areas = {a.id: f"{a.number}. {a.title(lang)}" for a in framework.current_framework().areas}
        area_titles = [areas[a] for a in rec.get("area_ids") or [] if a in areas]
        if area_titles:
            lines.append(_("Areas it informs: %(list)s") % {"list": "; ".join(area_titles)})
        lines.append(_("Who may receive it: %(who)s") % {"who": visibility_label(rec.get("visibility"))})
        self.details.setText("\n".join(lines))
        small = small_cohorts(rec)
        if small:
            periods = ", ".join(f"{period_text(v['period'])} ({v['cohort']})" for v in small)
            self.flag.setText(
                _("Fewer than %(n)s pupils in: %(periods)s. Figures for so few pupils could identify them: keep this indicator on this computer, or leave those figures out.")
                % {"n": SMALL_COHORT, "periods": periods}
            )
            self.flag.show()
        else:
            self.flag.hide()
        values = rec.get("values") or []
        self.chart.set_data(pick(rec["title"]), values, unit, self.kind.currentData() or "line")
        self.table.setRowCount(len(values))
        small_periods = {v["period"] for v in small}
        for r, v in enumerate(values):
            self.table.setItem(r, 0, cell(period_text(v.get("period", ""))))
            self.table.setItem(r, 1, cell(number(v.get("value"), unit)))
            cohort = v.get("cohort")
            text = "–" if cohort is None else qlocale().toString(int(cohort))
            if v.get("period") in small_periods:
                text = _("%(count)s (fewer than %(n)s)") % {"count": text, "n": SMALL_COHORT}
            self.table.setItem(r, 2, cell(text))
        self.table.resizeRowsToContents()
        self._names()

    def _names(self) -> None:
        for label in (self.title, self.details, self.flag):
            label.setAccessibleName(label.text().split("\n", 1)[0] if label is not self.details else _("About the indicator"))
        self.details.setAccessibleDescription(self.details.text())
        self.table.setAccessibleDescription(self.chart.accessibleDescription())

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.list_label.setText(_("&Indicators:"))
        self.list.setAccessibleName(_("Indicators"))
        self.add_button.setText(_("&Add an indicator…"))
        self.add_button.setAccessibleName(_("Add an indicator"))
        self.edit_button.setText(_("&Edit the indicator…"))
        self.edit_button.setAccessibleName(_("Edit the chosen indicator"))
        self.delete_button.setText(_("&Delete the indicator…"))
        self.delete_button.setAccessibleName(_("Delete the chosen indicator"))
        self.kind_label.setText(_("&Chart:"))
        current = self.kind.currentData() or "line"
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("Line chart"), "line")
        self.kind.addItem(_("Bar chart"), "bar")
        self.kind.setCurrentIndex(0 if current == "line" else 1)
        self.kind.blockSignals(False)
        self.kind.setAccessibleName(_("Kind of chart"))
        name_headers(self.table)
        self.table.setHorizontalHeaderLabels([_("Period"), _("Value"), _("Number of pupils")])
        # Translators: the table beside the chart, with the same values.
        self.table.setAccessibleName(_("Values as a table"))
        self.show_current()

    def edit(self, new: bool = False):
        from selfeval_app.gui.plan.indicator_dialog import IndicatorDialog

        rec = None if new else self.current()
        if not new and rec is None:
            return None
        dialog = IndicatorDialog(self.window_, rec)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(self.undo_bar.clear)  # a save is the next action: Undo goes
        dialog.accepted.connect(lambda: self.reload(getattr(dialog, "saved_record", {}).get("id")))
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def delete(self) -> bool:
        """Ask, then delete the chosen indicator (Undo brings it back)."""
        return self.undo_bar.delete("indicator", self.current())

    def open_record(self, record_type: str, record_id: str) -> None:
        self.reload(record_id)
