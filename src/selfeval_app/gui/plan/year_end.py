"""The year end: for each priority of the ending year, whether its targets were met (met, partly,
not met) and why not; then, after a confirmation, the next year starts from the open priorities as
copies that keep their link to the original (`core.year_transitions`). Nothing of the ending year
is changed except its recorded outcome."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.plan_edit import (
    Checked,
    finish_year,
    plan_years,
    priorities_in_year,
    year_label,
)
from selfeval_app.core.year_transitions import OUTCOMES
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.language import plain
from selfeval_app.gui.plan.item_dialogs import fill_combo, select
from selfeval_app.gui.plan.widgets import BiText, EditDialog
from selfeval_app.gui.plan.words import OUTCOME_NAMES, pick


class YearEndDialog(EditDialog):
    changes = ("priority", "success_criterion", "action")

    def __init__(self, window, plan: dict, priorities: list[dict]):
        super().__init__(window)
        self.plan = plan
        self.all_priorities = priorities
        self.roll_over = False
        first, last = plan_years(plan) or (academic_year_of(window.clock.today()),) * 2
        layout = QVBoxLayout(self.body)
        top = QFormLayout()
        self.year_label_ = QLabel(self.body)
        self.year = QComboBox(self.body)
        for y in range(first, last + 1):
            self.year.addItem(year_label(y), y)
        select(self.year, max(first, min(last, academic_year_of(window.clock.today()))))
        self.year_label_.setBuddy(self.year)
        top.addRow(self.year_label_, self.year)
        layout.addLayout(top)
        self.intro = QLabel(self.body)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.groups_box = QVBoxLayout()
        layout.addLayout(self.groups_box)
        layout.addStretch(1)
        self.rows: list[tuple[dict, QGroupBox, QLabel, QComboBox, BiText]] = []
        self.next_button = QPushButton(self)
        self.buttons.addButton(self.next_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button.clicked.connect(self.save_and_roll_over)
        self.year.currentIndexChanged.connect(self._build_rows)
        self._build_rows()
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().lineSpacing() * 40)
        self.retranslate()

    def _build_rows(self) -> None:
        for _p, group, *_rest in self.rows:
            group.setParent(None)
            group.deleteLater()
        self.rows = []
        year = self.year.currentData()
        for p in priorities_in_year(self.all_priorities, year):
            group = QGroupBox(pick(p.get("title")), self.body)
            form = QFormLayout(group)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            label = QLabel(group)
            outcome = QComboBox(group)
            label.setBuddy(outcome)
            why = BiText(N_("If not, why not:"), self.writes_in(), parent=group)
            stored = (p.get("year_end") or {}).get(str(year)) or {}
            why.set_value(stored.get("why_not"))
            form.addRow(label, outcome)
            why_label = QLabel(group)
            why_label.setBuddy(why.first_editor())
            why_label.setProperty("why", True)
            form.addRow(why_label, why)
            self.groups_box.addWidget(group)
            self.rows.append((p, group, label, outcome, why))
            fill_combo(outcome, [(o, _(OUTCOME_NAMES[o])) for o in OUTCOMES])
            select(outcome, stored.get("met") or "not_met")
        self.retranslate_rows()

    def retranslate_rows(self) -> None:
        for p, group, label, outcome, _why in self.rows:
            group.setTitle(pick(p.get("title")))
            label.setText(_("Were its targets met?"))
            # Translators: accessible name of the outcome box of one priority at the year end.
            outcome.setAccessibleName(_("Were the targets of %(priority)s met?") % {"priority": pick(p.get("title"))})
            fill_combo(outcome, [(o, _(OUTCOME_NAMES[o])) for o in OUTCOMES])
            for child in group.findChildren(QLabel):
                if child.property("why"):
                    child.setText(_("If not, why not:"))
        if not self.rows:
            self.intro.setText(_("No priority runs in this year."))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Year end"))
        self.year_label_.setText(_("Year ending:"))
        self.year.setAccessibleName(plain(_("Year ending:")))
        if self.rows:
            self.intro.setText(
                _("Record whether each priority’s targets were met. What was written during the year stays as it was.")
            )
        self.next_button.setText(_("Save and start the &next year…"))
        self.next_button.setAccessibleName(_("Save and start the next year"))
        self.next_button.setToolTip(_("Open priorities continue in the next year as copies linked to the original."))
        self.retranslate_rows()
        self.retranslate_base()

    def raw(self) -> dict:
        return {
            "year": self.year.currentData(),
            "outcomes": {p["id"]: (outcome.currentData(), why.value()) for p, _g, _l, outcome, why in self.rows},
        }

    def check(self, raw):
        return Checked()

    def job(self, raw):
        plan_id, roll_over = self.plan["id"], self.roll_over
        # keep the language not shown as it was stored
        outcomes = {}
        for p, *_rest in self.rows:
            stored = ((p.get("year_end") or {}).get(str(raw["year"])) or {}).get("why_not") or {}
            outcome, why = raw["outcomes"][p["id"]]
            outcomes[p["id"]] = (outcome, {**{"cy": "", "en": ""}, **stored, **why})

        def job(session):
            return finish_year(session.store, plan_id, raw["year"], outcomes, roll_over=roll_over)

        return job

    def save(self) -> None:
        self.roll_over = False
        super().save()

    def save_and_roll_over(self) -> None:
        year = self.year.currentData()
        if not dialogs().question(
            self,
            _("Start the next year"),
            _(
                "Record these outcomes and start %(next)s from the priorities of %(year)s that are still open? "
                "Each continues as a copy linked to the original; %(year)s stays as it is."
            )
            % {"next": year_label(year + 1), "year": year_label(year)},
        ):
            return
        self.roll_over = True
        super().save()
