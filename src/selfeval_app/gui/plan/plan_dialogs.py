"""Dialogs for the plan itself (title, years, approval, annual revisions, plan-level statutory
parts) and for a priority (why, links, national priority tags, lead, years, outcomes and the
per-priority statutory parts)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import framework
from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.plan_edit import (
    check_plan,
    check_priority,
    plan_years,
    save_plan,
    save_priority,
    year_label,
)
from selfeval_app.gui.language import plain
from selfeval_app.gui.plan.widgets import (
    BiText,
    CheckList,
    EditDialog,
    OptionalDate,
    date_edit,
    name_date,
    name_headers,
    name_tab_scrollers,
)
from selfeval_app.gui.plan.words import pick
from selfeval_app.gui.welsh_letters import install_welsh_letters


def year_combo(parent: QWidget, years: range, current: int | None, *, allow_none: bool = False) -> QComboBox:
    combo = QComboBox(parent)
    values = list(years)
    if current is not None and current not in values:
        values = sorted({*values, current})
    if allow_none:
        combo.addItem("–", None)
    for y in values:
        combo.addItem(year_label(y), y)
    index = combo.findData(current) if current is not None else (0 if allow_none else -1)
    combo.setCurrentIndex(max(index, 0))
    return combo


class PlanDialog(EditDialog):
    changes = ("plan",)

    def __init__(self, window, plan: dict | None):
        super().__init__(window)
        self.plan = plan
        writes_in = self.writes_in()
        today = window.clock.today()
        this_year = academic_year_of(today)
        form = QFormLayout(self.body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form = form
        self.title = BiText(N_("Title of the plan:"), writes_in, multiline=False, parent=self.body)
        self.start_year = year_combo(self.body, range(this_year - 3, this_year + 3), (plan or {}).get("start_year") or this_year)
        self.years_note = QLabel(self.body)
        self.approved = OptionalDate(self.body)
        self.approved.set_value((plan or {}).get("approved_on"), today)
        self.revisions = QTableWidget(0, 3, self.body)
        self.revisions.verticalHeader().hide()
        self.revisions.horizontalHeader().setStretchLastSection(True)
        self.add_revision = QPushButton(self.body)
        self.add_revision.clicked.connect(lambda: self._add_revision_row(today.isoformat(), {}))
        self.remove_revision = QPushButton(self.body)
        self.remove_revision.clicked.connect(self._remove_revision_row)
        self.strategy = BiText(N_("Overall strategy:"), writes_in, parent=self.body)
        self.targets_review = BiText(N_("Were last year’s targets met, and if not, why not?"), writes_in, parent=self.body)
        self.labels: dict[str, QLabel] = {}
        revision_box = QWidget(self.body)
        rb = QVBoxLayout(revision_box)
        rb.setContentsMargins(0, 0, 0, 0)
        rb.addWidget(self.revisions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_revision)
        buttons.addWidget(self.remove_revision)
        buttons.addStretch(1)
        rb.addLayout(buttons)
        for key, widget in (
            ("title", self.title),
            ("title_error", self.error_label("title", self.title)),
            ("start_year", self.start_year),
            ("years_note", self.years_note),
            ("approved", self.approved),
            ("revisions", revision_box),
            ("revisions_error", self.error_label("revisions", self.revisions)),
            ("strategy", self.strategy),
            ("targets_review", self.targets_review),
        ):
            if key.endswith(("_error", "_note")):
                form.addRow(widget)
                continue
            label = QLabel(self.body)
            label.setWordWrap(True)
            label.setBuddy(widget.first_editor() if isinstance(widget, BiText) else widget)
            self.labels[key] = label
            form.addRow(label, widget)
        self.add_visibility_row(form, plan)
        self.start_year.currentIndexChanged.connect(self._years_note)
        rec = plan or {}
        self.title.set_value(rec.get("title"))
        self.strategy.set_value(rec.get("strategy"))
        self.targets_review.set_value(rec.get("targets_review"))
        self._revision_other: list[dict] = []
        for r in rec.get("revisions") or []:
            self._add_revision_row(r.get("date") or "", r.get("note") or {})
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().lineSpacing() * 40)
        self.retranslate()

    def _add_revision_row(self, iso: str, note: dict) -> None:
        row = self.revisions.rowCount()
        self.revisions.insertRow(row)
        edit = date_edit(self.revisions)
        if iso:
            edit.setDate(QDate.fromString(iso, "yyyy-MM-dd"))
        self.revisions.setCellWidget(row, 0, edit)
        for col, code in ((1, "cy"), (2, "en")):
            text = QLineEdit(self.revisions)
            install_welsh_letters(text)
            text.setText(note.get(code) or "")
            self.revisions.setCellWidget(row, col, text)
        self.revisions.setColumnHidden(1, self.writes_in() == "en")
        self.revisions.setColumnHidden(2, self.writes_in() == "cy")
        self.retranslate_revisions()

    def _remove_revision_row(self) -> None:
        row = self.revisions.currentRow()
        if row < 0:
            row = self.revisions.rowCount() - 1
        if row >= 0:
            self.revisions.removeRow(row)

    def retranslate_revisions(self) -> None:
        for row in range(self.revisions.rowCount()):
            n = row + 1
            name_date(self.revisions.cellWidget(row, 0), _("Date of revision %(number)s") % {"number": n})
            self.revisions.cellWidget(row, 1).setAccessibleName(_("Note on revision %(number)s in Welsh") % {"number": n})
            self.revisions.cellWidget(row, 2).setAccessibleName(_("Note on revision %(number)s in English") % {"number": n})

    def _years_note(self) -> None:
        year = self.start_year.currentData()
        self.years_note.setText(
            _("The plan covers %(first)s, %(second)s and %(third)s.")
            % {"first": year_label(year), "second": year_label(year + 1), "third": year_label(year + 2)}
            if year is not None
            else ""
        )

    def retranslate(self) -> None:
        self.setWindowTitle(_("Create the development plan") if self.plan is None else _("Edit the development plan"))
        texts = {
            "title": _("Title of the plan:"),
            "start_year": _("First academic year:"),
            "approved": _("Approved by the governing body on:"),
            "revisions": _("Annual revisions:"),
            "strategy": _("Overall strategy:"),
            "targets_review": _("Were last year’s targets met, and if not, why not?"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.start_year.setAccessibleName(plain(texts["start_year"]))
        self.approved.set_names(texts["approved"])
        self.revisions.setAccessibleName(plain(texts["revisions"]))
        name_headers(self.revisions)
        self.revisions.setHorizontalHeaderLabels([_("Date"), _("Note in Welsh"), _("Note in English")])
        self.add_revision.setText(_("&Add a revision"))
        self.add_revision.setAccessibleName(_("Add a revision"))
        self.remove_revision.setText(_("&Remove the revision"))
        self.remove_revision.setAccessibleName(_("Remove the chosen revision"))
        self.retranslate_revisions()
        self._years_note()
        self.retranslate_base()

    def raw(self) -> dict:
        revisions = []
        for row in range(self.revisions.rowCount()):
            note = {"cy": self.revisions.cellWidget(row, 1).text(), "en": self.revisions.cellWidget(row, 2).text()}
            revisions.append({"date": self.revisions.cellWidget(row, 0).date().toString("yyyy-MM-dd"), "note": note})
        return {
            "title": self.title.value(),
            "start_year": self.start_year.currentData(),
            "approved_on": self.approved.value(),
            "revisions": revisions,
            "strategy": self.strategy.value(),
            "targets_review": self.targets_review.value(),
        }

    def check(self, raw: dict):
        return check_plan(raw)

    def job(self, raw: dict):
        record_id = (self.plan or {}).get("id")
        base_rev = (self.plan or {}).get("rev")

        def job(session):
            return save_plan(session.store, record_id, raw, base_rev)

        return job


PRIORITY_TEXTS = (
    # field, label, tab ("main" or "parts")
    ("title", N_("Title:"), "main"),
    ("rationale", N_("Why this is a priority:"), "main"),
    ("expected_outcomes", N_("Targets and expected outcomes:"), "main"),
    ("strategy", N_("Strategy: how it will be achieved:"), "parts"),
    ("professional_learning", N_("Professional learning:"), "parts"),
    ("community_work", N_("Work with pupils, families and the community:"), "parts"),
    ("resources", N_("Use of staff and money:"), "parts"),
)


class PriorityDialog(EditDialog):
    changes = ("priority",)

    def __init__(self, window, plan: dict, priority: dict | None):
        super().__init__(window)
        self.plan, self.priority = plan, priority
        rec = priority or {}
        writes_in = self.writes_in()
        reader = window.session.reader
        first, last = plan_years(plan) or (academic_year_of(window.clock.today()),) * 2
        self.tabs = QTabWidget(self.body)
        QVBoxLayout(self.body).addWidget(self.tabs)
        self.main_tab, self.parts_tab, self.links_tab = QWidget(self.tabs), QWidget(self.tabs), QWidget(self.tabs)
        forms = {"main": QFormLayout(self.main_tab), "parts": QFormLayout(self.parts_tab)}
        for f in forms.values():
            f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.tabs.addTab(self.main_tab, "")
        self.tabs.addTab(self.parts_tab, "")
        self.tabs.addTab(self.links_tab, "")
        self.texts: dict[str, BiText] = {}
        self.labels: dict[str, QLabel] = {}
        parent_of = {"main": self.main_tab, "parts": self.parts_tab}
        for key, label_id, tab in PRIORITY_TEXTS:
            field = BiText(label_id, writes_in, multiline=key != "title", parent=parent_of[tab])
            field.set_value(rec.get(key))
            self.texts[key] = field
            self._row(forms[tab], key, field, parent_of[tab])
            if key == "title":
                forms[tab].addRow(self.error_label("title", field))
                self.lead = QLineEdit(self.main_tab)
                install_welsh_letters(self.lead)
                self.lead.setText(rec.get("lead") or "")
                self._row(forms[tab], "lead", self.lead, self.main_tab)
                years = range(first, last + 1)
                self.start_year = year_combo(self.main_tab, years, rec.get("start_year") or max(first, min(last, academic_year_of(window.clock.today()))))
                self.end_year = year_combo(self.main_tab, years, rec.get("end_year") or rec.get("start_year") or last)
                self._row(forms[tab], "start_year", self.start_year, self.main_tab)
                forms[tab].addRow(self.error_label("start_year", self.start_year))
                self._row(forms[tab], "end_year", self.end_year, self.main_tab)
                forms[tab].addRow(self.error_label("end_year", self.end_year))
                self.add_visibility_row(forms[tab], priority, self.main_tab)
        links = QFormLayout(self.links_tab)
        links.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.areas, self.statements, self.evidence, self.national = (CheckList(self.links_tab) for _i in range(4))
        lang = current_language()
        areas = [(a.id, f"{a.number}. {a.title(lang)}") for a in framework.current_framework().areas]
        areas += [(a["id"], pick(a["title"])) for a in reader.list("area", order_by=f"sort_{lang}")]
        self.areas.fill(areas, set(rec.get("area_ids") or []))
        statements = []
        titles = {a.id: a.title(lang) for a in framework.current_framework().areas}
        for ev in reader.list("evaluation", order_by="academic_year DESC, area_id"):
            for s in ev["statements"] or []:
                text = pick(s.get("text"))
                if s.get("id") and text:
                    statements.append((s["id"], f"{year_label(ev['academic_year'])} · {titles.get(ev['area_id'], '')}: {text}"))
        self.statements.fill(statements, set(rec.get("statement_ids") or []))
        evidence = [(e["id"], f"{pick(e['title'])} ({e['date']})") for e in reader.list("evidence", order_by=f"sort_{lang}")]
        self.evidence.fill(evidence, set(rec.get("evidence_ids") or []))
        self.national.fill([(n.id, n.name(lang)) for n in framework.national_priorities()], set(rec.get("national_priority_ids") or []))
        for key, widget in (("national", self.national), ("areas", self.areas), ("statements", self.statements), ("evidence", self.evidence)):
            self._row(links, key, widget, self.links_tab)
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().lineSpacing() * 42)
        self.retranslate()

    def _row(self, form: QFormLayout, key: str, widget: QWidget, parent: QWidget) -> None:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setBuddy(widget.first_editor() if isinstance(widget, BiText) else widget)
        self.labels[key] = label
        form.addRow(label, widget)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a priority") if self.priority is None else _("Edit the priority"))
        self.tabs.setTabText(0, _("Priority"))
        self.tabs.setTabText(1, _("Statutory parts"))
        self.tabs.setTabText(2, _("Links"))
        self.tabs.setAccessibleName(_("Parts of the priority"))
        name_tab_scrollers(self.tabs)
        for key, label_id, _tab in PRIORITY_TEXTS:
            self.labels[key].setText(_(label_id))
        texts = {
            "lead": _("Lead:"),
            "start_year": _("First year it runs:"),
            "end_year": _("Last year it runs:"),
            "national": _("National priorities:"),
            "areas": _("Evaluation areas behind it:"),
            "statements": _("Evaluation statements behind it:"),
            "evidence": _("Evidence behind it:"),
        }
        widgets = {
            "lead": self.lead, "start_year": self.start_year, "end_year": self.end_year, "national": self.national,
            "areas": self.areas, "statements": self.statements, "evidence": self.evidence,
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            widgets[key].setAccessibleName(plain(text))
        self.lead.setToolTip(_("The member of staff who leads this priority."))
        lang = current_language()
        for i, n in enumerate(framework.national_priorities()):
            self.national.item(i).setText(n.name(lang))
        self.retranslate_base()

    def raw(self) -> dict:
        raw = {key: field.value() for key, field in self.texts.items()}
        raw.update(
            lead=self.lead.text(),
            start_year=self.start_year.currentData(),
            end_year=self.end_year.currentData(),
            area_ids=self.areas.checked_ids(),
            statement_ids=self.statements.checked_ids(),
            evidence_ids=self.evidence.checked_ids(),
            national_priority_ids=self.national.checked_ids(),
        )
        return raw

    def check(self, raw: dict):
        return check_priority(raw, self.plan)

    def job(self, raw: dict):
        plan_id = self.plan["id"]
        record_id = (self.priority or {}).get("id")
        base_rev = (self.priority or {}).get("rev")

        def job(session):
            return save_priority(session.store, plan_id, record_id, raw, base_rev)

        return job
