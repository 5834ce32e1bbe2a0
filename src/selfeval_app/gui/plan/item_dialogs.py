"""Dialogs for what sits under a priority: a success criterion (baseline, target, actual, unit,
status), an action (lead, dates, status, cost and committed money in pounds, funding source) and
a termly progress review (date, term, RAG with its word, commentary, evidence)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QLabel, QLineEdit, QWidget

from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.plan_edit import (
    check_action,
    check_criterion,
    check_review,
    money_input,
    number_input,
    save_action,
    save_criterion,
    save_review,
    year_label,
)
from selfeval_app.core.plan_figures import term_of
from selfeval_app.core.record_types import (
    ACTION_STATUSES,
    CRITERION_STATUSES,
    FUNDING_SOURCES,
    RAG,
    TERMS,
)
from selfeval_app.gui.form_widgets import refill_combo as fill_combo
from selfeval_app.gui.form_widgets import select_data as select
from selfeval_app.gui.language import plain
from selfeval_app.gui.plan.widgets import (
    BiText,
    CheckList,
    EditDialog,
    OptionalDate,
    date_edit,
    name_date,
)
from selfeval_app.gui.plan.words import (
    ACTION_STATUS_NAMES,
    CRITERION_STATUS_NAMES,
    FUNDING_NAMES,
    RAG_COLOURS,
    pick,
    rag_word,
    term_name,
)
from selfeval_app.gui.welsh_letters import install_welsh_letters


def line(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    install_welsh_letters(edit)
    return edit


class _ItemDialog(EditDialog):
    """A form of rows (label, field, inline problem) for one record under a priority."""

    def __init__(self, window, priority: dict, record: dict | None):
        super().__init__(window)
        self.priority, self.record = priority, record
        self.form = QFormLayout(self.body)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, tuple[QLabel, QWidget, str]] = {}
        self.priority_label = QLabel(self.body)
        self.priority_label.setWordWrap(True)
        self.form.addRow(self.priority_label)

    def row(self, key: str, label_id: str, widget: QWidget, *, error: bool = False) -> None:
        label = QLabel(self.body)
        label.setWordWrap(True)
        label.setBuddy(widget.first_editor() if isinstance(widget, BiText) else widget)
        self.labels[key] = (label, widget, label_id)
        self.form.addRow(label, widget)
        if error:
            self.form.addRow(self.error_label(key, widget))

    def retranslate_rows(self) -> None:
        # Translators: the priority a criterion, action or review belongs to.
        self.priority_label.setText(_("Priority: %(title)s") % {"title": pick(self.priority.get("title"))})
        for label, widget, label_id in self.labels.values():
            label.setText(_(label_id))
            if isinstance(widget, OptionalDate):
                widget.set_names(_(label_id))
            elif isinstance(widget, QDateEdit):
                name_date(widget, plain(_(label_id)))
            elif not isinstance(widget, BiText):
                widget.setAccessibleName(plain(_(label_id)))
        self.retranslate_base()

    def saver(self, save_function, raw: dict):
        priority_id = self.priority["id"]
        record_id = (self.record or {}).get("id")
        base_rev = (self.record or {}).get("rev")

        def job(session):
            return save_function(session.store, priority_id, record_id, raw, base_rev)

        return job


class CriterionDialog(_ItemDialog):
    changes = ("success_criterion",)

    def __init__(self, window, priority: dict, record: dict | None):
        super().__init__(window, priority, record)
        rec = record or {}
        self.description = BiText(N_("Success criterion:"), self.writes_in(), parent=self.body)
        self.description.set_value(rec.get("description"))
        self.unit = line(self.body)
        self.unit.setText(rec.get("unit") or "")
        self.baseline, self.target, self.actual = line(self.body), line(self.body), line(self.body)
        for key, field in (("baseline", self.baseline), ("target", self.target), ("actual", self.actual)):
            field.setText(number_input(rec.get(key)))
        self.status = QComboBox(self.body)
        self.row("description", N_("Success criterion:"), self.description, error=True)
        self.row("unit", N_("Unit (e.g. %):"), self.unit)
        self.row("baseline", N_("Baseline (optional):"), self.baseline, error=True)
        self.row("target", N_("Target (optional):"), self.target, error=True)
        self.row("actual", N_("Actual so far (optional):"), self.actual, error=True)
        self.row("status", N_("Status:"), self.status)
        self.add_visibility_row(self.form, record)
        self.retranslate()
        select(self.status, rec.get("status") or "not_started")
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().lineSpacing() * 30)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a success criterion") if self.record is None else _("Edit the success criterion"))
        fill_combo(self.status, [(s, _(CRITERION_STATUS_NAMES[s])) for s in CRITERION_STATUSES])
        self.unit.setToolTip(_("When the criterion is measured, give its unit: the baseline, target and actual must then be numbers."))
        self.retranslate_rows()

    def raw(self) -> dict:
        return {
            "description": self.description.value(),
            "unit": self.unit.text(),
            "baseline": self.baseline.text(),
            "target": self.target.text(),
            "actual": self.actual.text(),
            "status": self.status.currentData(),
        }

    def check(self, raw):
        return check_criterion(raw)

    def job(self, raw):
        return self.saver(save_criterion, raw)


class ActionDialog(_ItemDialog):
    changes = ("action",)

    def __init__(self, window, priority: dict, record: dict | None):
        super().__init__(window, priority, record)
        rec = record or {}
        today = window.clock.today()
        self.description = BiText(N_("Action:"), self.writes_in(), parent=self.body)
        self.description.set_value(rec.get("description"))
        self.lead = line(self.body)
        self.lead.setText(rec.get("lead") or "")
        self.start = OptionalDate(self.body)
        self.start.set_value(rec.get("start_date"), today)
        self.due = OptionalDate(self.body)
        self.due.set_value(rec.get("due_date"), today)
        self.status = QComboBox(self.body)
        self.cost, self.committed = line(self.body), line(self.body)
        self.cost.setText(money_input(rec.get("cost_pence")))
        self.committed.setText(money_input(rec.get("committed_pence")))
        self.funding = QComboBox(self.body)
        self.row("description", N_("Action:"), self.description, error=True)
        self.row("lead", N_("Who leads it:"), self.lead)
        self.row("start_date", N_("Start date:"), self.start)
        self.row("due_date", N_("Due date:"), self.due, error=True)
        self.row("status", N_("Status:"), self.status)
        self.row("cost", N_("Planned cost in pounds (£):"), self.cost, error=True)
        self.row("committed", N_("Committed so far in pounds (£):"), self.committed, error=True)
        self.row("funding_source", N_("Funding source:"), self.funding)
        self.add_visibility_row(self.form, record)
        self.retranslate()
        select(self.status, rec.get("status") or "not_started")
        select(self.funding, rec.get("funding_source"))
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().lineSpacing() * 32)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add an action") if self.record is None else _("Edit the action"))
        fill_combo(self.status, [(s, _(ACTION_STATUS_NAMES[s])) for s in ACTION_STATUSES])
        fill_combo(self.funding, [(None, _("Not given")), *((s, _(FUNDING_NAMES[s])) for s in FUNDING_SOURCES)])
        self.cost.setPlaceholderText(_("e.g. 1,250.00"))
        self.committed.setToolTip(_("Money already spent or bound to be spent: orders placed, invoices paid, contracts signed."))
        self.retranslate_rows()

    def raw(self) -> dict:
        return {
            "description": self.description.value(),
            "lead": self.lead.text(),
            "start_date": self.start.value(),
            "due_date": self.due.value(),
            "status": self.status.currentData(),
            "cost": self.cost.text(),
            "committed": self.committed.text(),
            "funding_source": self.funding.currentData(),
        }

    def check(self, raw):
        return check_action(raw)

    def job(self, raw):
        return self.saver(save_action, raw)


class ReviewDialog(_ItemDialog):
    changes = ("progress_review",)

    def __init__(self, window, priority: dict, record: dict | None):
        super().__init__(window, priority, record)
        rec = record or {}
        today = window.clock.today()
        year, term = term_of(today)
        self.date = date_edit(self.body)
        self.date.setDate(QDate.fromString(rec["date"], "yyyy-MM-dd") if rec.get("date") else QDate(today.year, today.month, today.day))
        self.year = QComboBox(self.body)
        stored_year = rec.get("academic_year") or year
        for y in sorted({year - 1, year, year + 1, stored_year}):
            self.year.addItem(year_label(y), y)
        select(self.year, stored_year)
        self.term = QComboBox(self.body)
        self.rag = QComboBox(self.body)
        self.rag_word = QLabel(self.body)
        self.rag_word.setAutoFillBackground(True)
        self.rag_word.setMargin(4)
        self.commentary = BiText(N_("Commentary:"), self.writes_in(), parent=self.body)
        self.commentary.set_value(rec.get("commentary"))
        self.evidence = CheckList(self.body)
        lang = current_language()
        reader = window.session.reader
        self.evidence.fill(
            [(e["id"], f"{pick(e['title'])} ({e['date']})") for e in reader.list("evidence", order_by=f"sort_{lang}")],
            set(rec.get("evidence_ids") or []),
        )
        self.row("date", N_("Date of the review:"), self.date, error=True)
        self.row("academic_year", N_("Academic year:"), self.year)
        self.row("term", N_("Term:"), self.term)
        self.row("rag", N_("Progress (RAG):"), self.rag)
        self.form.addRow(self.rag_word)
        self.row("commentary", N_("Commentary:"), self.commentary)
        self.row("evidence_ids", N_("Evidence behind the judgement:"), self.evidence)
        self.add_visibility_row(self.form, record)
        self.retranslate()
        select(self.term, rec.get("term") or term)
        select(self.rag, rec.get("rag") or "amber")
        self.rag.currentIndexChanged.connect(self._show_rag)
        self.date.dateChanged.connect(self._term_from_date)
        self._show_rag()
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().lineSpacing() * 36)

    def _term_from_date(self, qdate: QDate) -> None:
        import datetime as dt

        year, term = term_of(dt.date(qdate.year(), qdate.month(), qdate.day()))
        if self.year.findData(year) < 0:
            self.year.addItem(year_label(year), year)
        select(self.year, year)
        select(self.term, term)

    def _show_rag(self) -> None:
        rag = self.rag.currentData()
        self.rag_word.setText(rag_word(rag))
        self.rag_word.setStyleSheet(f"background-color: {RAG_COLOURS.get(rag, 'transparent')}; color: #000000;")
        self.rag_word.setAccessibleName(rag_word(rag))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a progress review") if self.record is None else _("Edit the progress review"))
        fill_combo(self.term, [(t, term_name(t)) for t in TERMS])
        fill_combo(self.rag, [(r, rag_word(r)) for r in reversed(RAG)])
        self.retranslate_rows()
        if hasattr(self, "rag_word"):
            self._show_rag()

    def raw(self) -> dict:
        return {
            "date": self.date.date().toString("yyyy-MM-dd"),
            "academic_year": self.year.currentData(),
            "term": self.term.currentData(),
            "rag": self.rag.currentData(),
            "commentary": self.commentary.value(),
            "evidence_ids": self.evidence.checked_ids(),
        }

    def check(self, raw):
        return check_review(raw)

    def job(self, raw):
        return self.saver(save_review, raw)
