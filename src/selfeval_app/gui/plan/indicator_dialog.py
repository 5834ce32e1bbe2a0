"""Dialog for an indicator: title, description, unit, transition point, who may see it, links to
priorities and areas, and its values by period (with an optional cohort size)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import framework
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.plan_edit import check_indicator, number_input, period_input, save_indicator
from selfeval_app.core.plan_figures import term_of
from selfeval_app.gui.language import plain
from selfeval_app.gui.plan.item_dialogs import line
from selfeval_app.gui.plan.widgets import BiText, CheckList, EditDialog, name_headers
from selfeval_app.gui.plan.words import pick

# Translators: school years at a transition (Year 6 to Year 7); Welsh writes B for Blwyddyn.
TRANSITION_POINTS = (N_("Y2–Y3"), N_("Y6–Y7"), N_("Y9–Y10"), N_("Y11–Y12"))


class IndicatorDialog(EditDialog):
    changes = ("indicator",)

    def __init__(self, window, record: dict | None):
        super().__init__(window)
        self.record = record
        rec = record or {}
        writes_in = self.writes_in()
        form = QFormLayout(self.body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, tuple[QLabel, QWidget, str]] = {}
        self.title = BiText(N_("What is measured:"), writes_in, multiline=False, parent=self.body)
        self.title.set_value(rec.get("title"))
        self.description = BiText(N_("How it is measured:"), writes_in, parent=self.body)
        self.description.set_value(rec.get("description"))
        self.unit = line(self.body)
        self.unit.setText(rec.get("unit") or "")
        self.transition = QComboBox(self.body)
        self.transition.setEditable(True)
        self._transition_text = rec.get("transition_point") or ""
        self.values = QTableWidget(0, 3, self.body)
        self.values.verticalHeader().hide()
        self.values.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.values.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.values.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        for v in rec.get("values") or []:
            self._add_row(period_input(v.get("period") or "", current_language()), number_input(v.get("value")), "" if v.get("cohort") is None else str(v["cohort"]))
        values_box = QWidget(self.body)
        vb = QVBoxLayout(values_box)
        vb.setContentsMargins(0, 0, 0, 0)
        vb.addWidget(self.values)
        buttons = QHBoxLayout()
        self.add_row = QPushButton(values_box)
        self.add_row.clicked.connect(self._add_next_row)
        self.remove_row = QPushButton(values_box)
        self.remove_row.clicked.connect(self._remove_row)
        buttons.addWidget(self.add_row)
        buttons.addWidget(self.remove_row)
        buttons.addStretch(1)
        vb.addLayout(buttons)
        self.priorities = CheckList(self.body)
        self.areas = CheckList(self.body)
        reader = window.session.reader
        lang = current_language()
        plans = reader.list("plan", order_by="start_year DESC")
        prios = reader.list("priority", where="plan_id = ?", params=(plans[0]["id"],), order_by="position") if plans else []
        self.priorities.fill([(p["id"], pick(p["title"])) for p in prios], set(rec.get("priority_ids") or []))
        areas = [(a.id, f"{a.number}. {a.title(lang)}") for a in framework.current_framework().areas]
        self.areas.fill(areas, set(rec.get("area_ids") or []))
        for key, label_id, widget, error in (
            ("title", N_("What is measured:"), self.title, True),
            ("description", N_("How it is measured:"), self.description, False),
            ("unit", N_("Unit (e.g. %, points or days):"), self.unit, False),
            ("transition_point", N_("Transition point (optional):"), self.transition, False),
            ("values", N_("Values by period:"), values_box, True),
            ("priority_ids", N_("Priorities it informs:"), self.priorities, False),
            ("area_ids", N_("Areas it informs:"), self.areas, False),
        ):
            label = QLabel(self.body)
            label.setWordWrap(True)
            label.setBuddy(widget.first_editor() if isinstance(widget, BiText) else (self.values if widget is values_box else widget))
            self.labels[key] = (label, self.values if widget is values_box else widget, label_id)
            form.addRow(label, widget)
            if error:
                form.addRow(self.error_label(key, self.values if widget is values_box else widget))
        self.add_visibility_row(form, record)
        self.visibility_chooser.combo.setObjectName("indicatorVisibility")
        self.visibility = self.visibility_chooser.combo
        self.retranslate()
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().lineSpacing() * 42)

    def _add_row(self, period: str, value: str, cohort: str) -> None:
        row = self.values.rowCount()
        self.values.insertRow(row)
        for col, text in enumerate((period, value, cohort)):
            self.values.setItem(row, col, QTableWidgetItem(text))

    def _add_next_row(self) -> None:
        year, term = term_of(self.window_.clock.today())
        self._add_row(period_input(f"{year}-{(year + 1) % 100:02d} {term}", current_language()), "", "")
        self.values.setCurrentCell(self.values.rowCount() - 1, 1)
        self.values.setFocus()

    def _remove_row(self) -> None:
        row = self.values.currentRow()
        if row < 0:
            row = self.values.rowCount() - 1
        if row >= 0:
            self.values.removeRow(row)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add an indicator") if self.record is None else _("Edit the indicator"))
        for label, widget, label_id in self.labels.values():
            label.setText(_(label_id))
            if not isinstance(widget, BiText):
                widget.setAccessibleName(plain(_(label_id)))
        self.visibility_chooser.help.setToolTip(_("Only aggregated figures are kept here. A group of fewer than 5 pupils is flagged when the figures may leave this computer."))
        text = self.transition.currentText() if self.transition.count() else self._transition_text
        self.transition.clear()
        self.transition.addItem("", None)
        for point in TRANSITION_POINTS:
            self.transition.addItem(_(point), point)
        self.transition.setEditText(text)
        self.transition.lineEdit().setAccessibleName(plain(_("Transition point (optional):")))
        self.transition.setToolTip(_("For a measure across a transition, e.g. Y6–Y7 (primary to secondary)."))
        name_headers(self.values)
        self.values.setHorizontalHeaderLabels([_("Period (e.g. 2025-26 autumn)"), _("Value"), _("Number of pupils (optional)")])
        self.add_row.setText(_("&Add a period"))
        self.add_row.setAccessibleName(_("Add a period"))
        self.remove_row.setText(_("&Remove the period"))
        self.remove_row.setAccessibleName(_("Remove the chosen period"))
        self.retranslate_base()

    def raw(self) -> dict:
        rows = []
        for r in range(self.values.rowCount()):
            texts = [(self.values.item(r, c).text() if self.values.item(r, c) else "") for c in range(3)]
            rows.append({"period": texts[0], "value": texts[1], "cohort": texts[2]})
        return {
            "title": self.title.value(),
            "description": self.description.value(),
            "unit": self.unit.text(),
            "transition_point": self.transition.currentText(),
            "visibility": self.visibility_chooser.value(),
            "values": rows,
            "priority_ids": self.priorities.checked_ids(),
            "area_ids": self.areas.checked_ids(),
        }

    def check(self, raw):
        return check_indicator(raw)

    def job(self, raw):
        record_id = (self.record or {}).get("id")
        base_rev = (self.record or {}).get("rev")

        def job(session):
            return save_indicator(session.store, record_id, raw, base_rev)

        return job
