"""The School Development Plan page: the plan (its three years, approval, revisions, strategy and
last year's targets), its priorities in order, and for the chosen priority its summary, success
criteria, actions (with "due within 14 days" / "overdue" from the window's clock) and termly
progress reviews. Edits open dialogs; saves run through the window's worker. Delete (a button
beside each Edit, or the Delete key in a list or table) asks first, and leaves an Undo bar (and
Ctrl+Z) until the next action: see `deleting`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import framework
from selfeval_app.core import plan_figures as pf
from selfeval_app.core.i18n import _, current_language, ngettext
from selfeval_app.core.messages_common import evidence_count
from selfeval_app.core.plan_edit import busy_years, plan_years, year_label
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.plan.deleting import DeleteKeyFilter, UndoBar
from selfeval_app.gui.plan.widgets import name_headers, name_tab_scrollers
from selfeval_app.gui.plan.words import (
    ACTION_STATUS_NAMES,
    CRITERION_STATUS_NAMES,
    FUNDING_NAMES,
    OUTCOME_NAMES,
    RAG_COLOURS,
    date_text,
    money,
    name,
    number,
    pick,
    rag_word,
    term_title,
)

#: The object names of the page's editing controls: hidden in read-only mode (another owner's plan).
EDITING_CONTROLS = frozenset({
    "editPlan", "planYearEnd", "sharePlanWithLa", "addPriority", "editPriority", "deletePriority",
    "movePriorityUp", "movePriorityDown", "goToFinding", "undoPlanDelete",
    *(f"{verb}_{t}" for verb in ("add", "edit", "delete") for t in ("success_criterion", "action", "progress_review")),
})
PLAN_TYPES = {"plan", "priority", "action", "success_criterion", "progress_review", "evidence", "school", "review_response"}


def readonly_table(parent: QWidget, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setTabKeyNavigation(False)
    return table


def cell(text: str, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text if len(text) > 40 else "")
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def rag_cell(rag: str | None) -> QTableWidgetItem:
    item = cell(rag_word(rag))
    if rag in RAG_COLOURS:
        item.setBackground(QBrush(QColor(RAG_COLOURS[rag])))
        item.setForeground(QBrush(QColor("#000000")))
    return item


def action_when(action: dict, today) -> str:
    """The derived status of an action in words, with days: "Overdue by 3 days", "Due in 5 days"."""
    status = pf.action_status(action, today)
    if status == "overdue":
        n = pf.days_overdue(action, today)
        return ngettext("Overdue by %(count)s day", "Overdue by %(count)s days", n) % {"count": n}
    if status == "due":
        n = pf.days_until_due(action, today)
        if n == 0:
            return _("Due today")
        return ngettext("Due in %(count)s day", "Due in %(count)s days", n) % {"count": n}
    return name(ACTION_STATUS_NAMES, status)


class PlanPage(Retranslatable, QWidget):
    def __init__(self, window, *, read_only: bool = False):
        """`read_only`: another owner's plan (gui/records_window.py): the plan, its priorities and
        their tabs can be read; no button edits, adds, moves, deletes or shares, and neither
        Enter, a double click nor the Delete key opens an editor or deletes."""
        super().__init__(window)
        self.window_ = window
        self.read_only = read_only
        self.plan: dict | None = None
        self.priorities: list[dict] = []
        self.criteria: list[dict] = []
        self.action_records: list[dict] = []
        self.reviews: list[dict] = []
        self.from_findings: dict[str, str] = {}  # action id -> the peer review finding it came from
        self._stale = True
        self._select_after: str | None = None  # a priority brought back by Undo
        outer = QVBoxLayout(self)

        self.plan_box = QGroupBox(self)
        pb = QVBoxLayout(self.plan_box)
        self.plan_title = QLabel(self.plan_box)
        font = self.plan_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.plan_title.setFont(font)
        self.plan_title.setWordWrap(True)
        self.plan_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.plan_title.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        pb.addWidget(self.plan_title)
        self.plan_facts = QTextBrowser(self.plan_box)
        self.plan_facts.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        pb.addWidget(self.plan_facts, 1)
        self.priority_note = QLabel(self.plan_box)
        self.priority_note.setWordWrap(True)
        pb.addWidget(self.priority_note)
        buttons = QHBoxLayout()
        self.plan_button = QPushButton(self.plan_box)
        self.plan_button.setObjectName("editPlan")
        self.plan_button.clicked.connect(self.edit_plan)
        self.year_end_button = QPushButton(self.plan_box)
        self.year_end_button.setObjectName("planYearEnd")
        self.year_end_button.clicked.connect(self.open_year_end)
        self.share_button = QPushButton(self.plan_box)
        self.share_button.setObjectName("sharePlanWithLa")
        self.share_button.clicked.connect(self.share_plan_with_la)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.year_end_button)
        buttons.addWidget(self.share_button)
        buttons.addStretch(1)
        pb.addLayout(buttons)
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.addWidget(self.plan_box)
        self.vsplit.setChildrenCollapsible(False)

        # the priorities above the chosen priority's tabs: the tables get the page's full width
        self.splitter = QSplitter(Qt.Orientation.Vertical, self.vsplit)
        self.splitter.setChildrenCollapsible(False)
        left = QWidget(self.splitter)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.list_label = QLabel(left)
        self.priority_list = QListWidget(left)
        self.priority_list.setWordWrap(True)
        self.list_label.setBuddy(self.priority_list)
        self.priority_list.currentRowChanged.connect(lambda _row: self.show_priority())
        self.priority_list.itemActivated.connect(lambda _item: self.edit_priority())
        lv.addWidget(self.list_label)
        lv.addWidget(self.priority_list, 1)
        row1 = row2 = QHBoxLayout()
        self.add_priority_button = QPushButton(left)
        self.add_priority_button.clicked.connect(lambda: self.edit_priority(new=True))
        self.edit_priority_button = QPushButton(left)
        self.edit_priority_button.clicked.connect(lambda: self.edit_priority())
        self.up_button = QPushButton(left)
        self.up_button.clicked.connect(lambda: self.move_priority(-1))
        self.down_button = QPushButton(left)
        self.down_button.clicked.connect(lambda: self.move_priority(1))
        self.delete_priority_button = QPushButton(left)
        self.delete_priority_button.clicked.connect(lambda: self.delete_priority())
        for b, object_name in (
            (self.add_priority_button, "addPriority"),
            (self.edit_priority_button, "editPriority"),
            (self.up_button, "movePriorityUp"),
            (self.down_button, "movePriorityDown"),
            (self.delete_priority_button, "deletePriority"),
        ):
            b.setObjectName(object_name)
        for b in (self.add_priority_button, self.edit_priority_button, self.delete_priority_button):
            row1.addWidget(b)
        for b in (self.up_button, self.down_button):
            row2.addWidget(b)
        row1.addStretch(1)
        lv.addLayout(row1)

        self.tabs = QTabWidget(self.splitter)
        self.summary = QTextBrowser(self.tabs)
        self.summary.setOpenLinks(False)
        self.tabs.addTab(self.summary, "")
        self.criteria_table, self.add_criterion, self.edit_criterion, self.delete_criterion = self._table_tab(5, self.criterion_dialog, "success_criterion")
        self.actions_table, self.add_action, self.edit_action, self.delete_action = self._table_tab(8, self.action_dialog, "action")
        self.reviews_table, self.add_review, self.edit_review, self.delete_review = self._table_tab(4, self.review_dialog, "progress_review")
        # An action made from a peer review finding links back to it (issue 12).
        self.finding_button = QPushButton(self.actions_table.parentWidget())
        self.finding_button.setObjectName("goToFinding")
        self.finding_button.setEnabled(False)
        self.finding_button.clicked.connect(self.go_to_finding)
        self.actions_table.parentWidget().layout().itemAt(1).layout().insertWidget(3, self.finding_button)
        self.actions_table.currentCellChanged.connect(lambda _r, _c, _pr, _pc: self._finding_button_state())
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.tabs.currentChanged.connect(lambda _i: self._fit_rows())
        self.vsplit.addWidget(self.splitter)
        self.vsplit.setStretchFactor(0, 2)
        self.vsplit.setStretchFactor(1, 5)
        outer.addWidget(self.vsplit, 1)
        self.undo_bar = UndoBar(self, window)
        self.undo_bar.button.setObjectName("undoPlanDelete")
        self.undo_bar.after_undo = self._undone
        outer.addWidget(self.undo_bar)
        if read_only:
            self.undo_bar.shortcut.setEnabled(False)
            for b in self._editing_buttons():
                b.hide()
        else:
            self.delete_keys = DeleteKeyFilter(self.delete_chosen, self.priority_list, self.criteria_table, self.actions_table, self.reviews_table)
        self.retranslate()

    def _editing_buttons(self) -> list[QPushButton]:
        return [
            self.plan_button, self.year_end_button, self.share_button, self.add_priority_button,
            self.edit_priority_button, self.delete_priority_button, self.up_button, self.down_button,
            self.add_criterion, self.edit_criterion, self.delete_criterion, self.add_action,
            self.edit_action, self.delete_action, self.add_review, self.edit_review,
            self.delete_review, self.finding_button,
        ]

    def _table_tab(self, columns: int, open_dialog, type_name: str):
        tab = QWidget(self.tabs)
        v = QVBoxLayout(tab)
        table = readonly_table(tab, columns)
        table.itemActivated.connect(lambda _item: open_dialog(edit=True))
        table.doubleClicked.connect(lambda _index: open_dialog(edit=True))
        v.addWidget(table, 1)
        row = QHBoxLayout()
        add, edit, delete = QPushButton(tab), QPushButton(tab), QPushButton(tab)
        for button, verb in ((add, "add"), (edit, "edit"), (delete, "delete")):
            button.setObjectName(f"{verb}_{type_name}")
        add.clicked.connect(lambda: open_dialog(edit=False))
        edit.clicked.connect(lambda: open_dialog(edit=True))
        delete.clicked.connect(lambda: self.delete_item(type_name))
        delete.setEnabled(False)
        table.currentCellChanged.connect(lambda row_, _c, _pr, _pc: delete.setEnabled(row_ >= 0))
        row.addWidget(add)
        row.addWidget(edit)
        row.addWidget(delete)
        row.addStretch(1)
        v.addLayout(row)
        self.tabs.addTab(tab, "")
        return table, add, edit, delete

    # -- data ----------------------------------------------------------------------------

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & PLAN_TYPES:
            self._stale = True
            if self.isVisible() or self.window_.current_page_key() == "plan":
                self.reload()

    def reload(self) -> None:
        from selfeval_app.core.peer_review_host import actions_from_findings

        self._stale = False
        reader = self.window_.session.reader
        self.from_findings = actions_from_findings(reader)
        plans = reader.list("plan", order_by="start_year DESC, created_at DESC")
        self.plan = plans[0] if plans else None
        current_id = self._select_after or self.current_priority_id()
        self._select_after = None
        if self.plan:
            self.priorities = reader.list("priority", where="plan_id = ?", params=(self.plan["id"],), order_by="position, created_at")
            ids = [p["id"] for p in self.priorities]
            marks = ",".join("?" * len(ids))
            if ids:
                self.criteria = reader.list("success_criterion", where=f"priority_id IN ({marks})", params=ids)
                self.action_records = reader.list("action", where=f"priority_id IN ({marks})", params=ids, order_by="due_date IS NULL, due_date, created_at")
                self.reviews = reader.list("progress_review", where=f"priority_id IN ({marks})", params=ids, order_by="date DESC, updated_at DESC")
            else:
                self.criteria, self.action_records, self.reviews = [], [], []
        else:
            self.priorities, self.criteria, self.action_records, self.reviews = [], [], [], []
        self.fill(current_id)

    def current_priority_id(self) -> str | None:
        item = self.priority_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_priority(self) -> dict | None:
        pid = self.current_priority_id()
        return next((p for p in self.priorities if p["id"] == pid), None)

    # -- showing -------------------------------------------------------------------------

    def fill(self, select_id: str | None = None) -> None:
        self.show_plan()
        self.priority_list.blockSignals(True)
        self.priority_list.clear()
        for n, p in enumerate(self.priorities, start=1):
            years = self._years_text(p)
            item = QListWidgetItem(f"{n}. {pick(p['title'])}" + (f" ({years})" if years else ""), self.priority_list)
            item.setData(Qt.ItemDataRole.UserRole, p["id"])
        ids = [p["id"] for p in self.priorities]
        row = ids.index(select_id) if select_id in ids else (0 if ids else -1)
        self.priority_list.setCurrentRow(row)
        self.priority_list.blockSignals(False)
        self.show_priority()

    def _years_text(self, p: dict) -> str:
        start, end = p.get("start_year"), p.get("end_year")
        if start is None:
            return ""
        if end is None or end == start:
            return year_label(start)
        return f"{year_label(start)} – {year_label(end)}"

    def show_plan(self) -> None:
        has_plan = self.plan is not None
        self.splitter.setVisible(has_plan)
        for w in (self.year_end_button, self.share_button):
            w.setVisible(has_plan and not self.read_only)
        if not has_plan:
            self.plan_title.setText(_("There is no development plan yet."))
            self.plan_facts.setPlainText(
                _("No development plan was shared.") if self.read_only else _("Create the plan to set its three years, its priorities and their actions.")
            )
            self.plan_button.setText(_("&Create the plan…"))
            self.plan_button.setAccessibleName(_("Create the development plan"))
            self.priority_note.hide()
            self._names()
            return
        p = self.plan
        self.plan_title.setText(pick(p["title"]) or _("School development plan"))
        first, last = plan_years(p)
        facts = [_("Years: %(first)s, %(second)s and %(third)s") % {"first": year_label(first), "second": year_label(first + 1), "third": year_label(last)}]
        facts.append(
            _("Approved by the governing body on %(date)s") % {"date": date_text(p["approved_on"])}
            if p.get("approved_on")
            else _("Not yet approved by the governing body")
        )
        for r in p.get("revisions") or []:
            note = pick(r.get("note"))
            facts.append(_("Revised on %(date)s: %(note)s") % {"date": date_text(r.get("date")), "note": note} if note else _("Revised on %(date)s") % {"date": date_text(r.get("date"))})
        if pick(p.get("strategy")):
            facts.append(_("Strategy: %(text)s") % {"text": pick(p["strategy"])})
        if pick(p.get("targets_review")):
            facts.append(_("Last year’s targets: %(text)s") % {"text": pick(p["targets_review"])})
        self.plan_facts.setPlainText("\n".join(facts))
        self.plan_button.setText(_("&Edit the plan…"))
        self.plan_button.setAccessibleName(_("Edit the development plan"))
        busy = busy_years(self.priorities, range(first, last + 1))
        notes = [
            _("%(count)s priorities run in %(year)s. Plans with five or fewer priorities are easier to keep up to date and to read; could any wait, or join another?")
            % {"count": n, "year": year_label(y)}
            for y, n in busy.items()
        ]
        self.priority_note.setText("\n".join(notes))
        self.priority_note.setVisible(bool(notes))
        self._names()

    def _names(self) -> None:
        self.plan_title.setAccessibleName(self.plan_title.text())
        self.plan_facts.setAccessibleName(_("About the plan"))
        self.plan_facts.setAccessibleDescription(self.plan_facts.toPlainText())
        self.priority_note.setAccessibleName(self.priority_note.text())

    def show_priority(self) -> None:
        p = self.current_priority()
        has = p is not None
        self.tabs.setEnabled(has)
        for b in (self.edit_priority_button, self.delete_priority_button, self.up_button, self.down_button):
            b.setEnabled(has)
        if not has:
            if self.read_only:
                self.summary.setPlainText(_("No priorities were shared.") if self.plan else "")
            else:
                self.summary.setPlainText(_("Add a priority to the plan to see it here.") if self.plan else "")
            for t in (self.criteria_table, self.actions_table, self.reviews_table):
                t.setRowCount(0)
            return
        self.summary.setHtml(self._summary_html(p))
        self.summary.setAccessibleDescription(self.summary.toPlainText())
        pid = p["id"]
        crits = [c for c in self.criteria if c["priority_id"] == pid]
        self.criteria_table.setRowCount(len(crits))
        for r, c in enumerate(crits):
            unit = c.get("unit")
            values = [pick(c["description"]), number(c["baseline"], unit), number(c["target"], unit), number(c["actual"], unit), name(CRITERION_STATUS_NAMES, c["status"] or "not_started")]
            for col, text in enumerate(values):
                self.criteria_table.setItem(r, col, cell(text, c["id"] if col == 0 else None))
        today = self.window_.clock.today()
        acts = [a for a in self.action_records if a["priority_id"] == pid]
        self.actions_table.setRowCount(len(acts))
        for r, a in enumerate(acts):
            values = [
                pick(a["description"]), a.get("lead") or "", date_text(a["start_date"]), date_text(a["due_date"]),
                action_when(a, today),
                money(a["cost_pence"]) if a["cost_pence"] is not None else "–",
                money(a["committed_pence"]) if a["committed_pence"] is not None else "–",
                name(FUNDING_NAMES, a["funding_source"]) or "–",
            ]
            if a["id"] in self.from_findings:
                # Translators: an action of the plan made from a peer review finding.
                values[0] = _("%(action)s (from a peer review finding)") % {"action": values[0]}
            for col, text in enumerate(values):
                item = cell(text, a["id"] if col == 0 else None)
                if col == 0 and a["id"] in self.from_findings:
                    item.setToolTip(_("Made from a peer review finding: “Go to the finding” shows it."))
                if col == 4 and pf.action_status(a, today) == "overdue":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.actions_table.setItem(r, col, item)
        revs = [v for v in self.reviews if v["priority_id"] == pid]
        self.reviews_table.setRowCount(len(revs))
        for r, v in enumerate(revs):
            self.reviews_table.setItem(r, 0, cell(date_text(v["date"]), v["id"]))
            self.reviews_table.setItem(r, 1, cell(term_title(v["academic_year"], v["term"])))
            self.reviews_table.setItem(r, 2, rag_cell(v["rag"]))
            self.reviews_table.setItem(r, 3, cell(pick(v["commentary"])))
        for t in (self.criteria_table, self.actions_table, self.reviews_table):
            cap = t.fontMetrics().averageCharWidth() * 24
            for c in range(1, t.columnCount()):
                t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
                t.resizeColumnToContents(c)
                t.setColumnWidth(c, min(t.columnWidth(c), cap))
            t.resizeRowsToContents()
        for table, button in self._item_tables():
            button.setEnabled(table.currentRow() >= 0)
        self._finding_button_state()
        self._table_descriptions()

    def _finding_button_state(self) -> None:
        self.finding_button.setEnabled(self.current_action_finding() is not None and not self.read_only)

    def current_action_finding(self) -> str | None:
        row = self.actions_table.currentRow()
        item = self.actions_table.item(row, 0) if row >= 0 else None
        return self.from_findings.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def go_to_finding(self) -> bool:
        finding_id = self.current_action_finding()
        if self.read_only:
            return False
        return bool(finding_id) and self.window_.open_record("review_finding", finding_id)

    def _fit_rows(self) -> None:
        for t in (self.criteria_table, self.actions_table, self.reviews_table):
            t.resizeRowsToContents()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self._fit_rows()

    def _summary_html(self, p: dict) -> str:
        from html import escape

        lang = current_language()
        parts = [f"<h3>{escape(pick(p['title']))}</h3>"]

        def para(label: str, text: str) -> None:
            if text:
                parts.append(f"<p><b>{escape(label)}</b> {escape(text).replace(chr(10), '<br>')}</p>")

        para(_("Lead:"), p.get("lead") or "")
        para(_("Years:"), self._years_text(p))
        para(_("Why this is a priority:"), pick(p.get("rationale")))
        tags = {n.id: n.name(lang) for n in framework.national_priorities()}
        para(_("National priorities:"), ", ".join(tags.get(t, t) for t in p.get("national_priority_ids") or []))
        areas = {a.id: f"{a.number}. {a.title(lang)}" for a in framework.current_framework().areas}
        para(_("Evaluation areas behind it:"), "; ".join(areas.get(a, "") for a in p.get("area_ids") or [] if areas.get(a)))
        n_ev, n_st = len(p.get("evidence_ids") or []), len(p.get("statement_ids") or [])
        if n_ev or n_st:
            para(
                _("Links:"),
                evidence_count(n_ev)
                + "; "
                + ngettext("%(count)s evaluation statement", "%(count)s evaluation statements", n_st) % {"count": n_st},
            )
        para(_("Targets and expected outcomes:"), pick(p.get("expected_outcomes")))
        para(_("Strategy: how it will be achieved:"), pick(p.get("strategy")))
        para(_("Professional learning:"), pick(p.get("professional_learning")))
        para(_("Work with pupils, families and the community:"), pick(p.get("community_work")))
        para(_("Use of staff and money:"), pick(p.get("resources")))
        for year, outcome in sorted((p.get("year_end") or {}).items()):
            text = name(OUTCOME_NAMES, outcome.get("met"))
            why = pick(outcome.get("why_not"))
            para(_("Year end %(year)s:") % {"year": year_label(int(year))}, f"{text}. {why}" if why else text)
        if p.get("origin_id"):
            parts.append(f"<p><i>{escape(_('Carried forward from the previous year.'))}</i></p>")
        return "".join(parts)

    def _table_descriptions(self) -> None:
        """How many rows each table has, for a screen reader (the cells are read as they are)."""
        for table in (self.criteria_table, self.actions_table, self.reviews_table):
            n = table.rowCount()
            table.setAccessibleDescription(ngettext("%(count)s row", "%(count)s rows", n) % {"count": n} if n else _("None yet."))

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.plan_box.setTitle(_("School development plan"))
        self.plan_box.setAccessibleName(_("School development plan"))
        self.year_end_button.setText(_("&Year end…"))
        self.year_end_button.setAccessibleName(_("Year end: record outcomes and start the next year"))
        self.share_button.setText(_("&Share the whole plan with the local authority…"))
        self.share_button.setAccessibleName(_("Share the whole plan with the local authority"))
        self.share_button.setToolTip(_("Let the local authority and peer reviewers receive the plan, its priorities, success criteria, actions and progress reviews. Nothing is sent until the school sends it."))
        self.list_label.setText(_("&Priorities, in order:"))
        self.priority_list.setAccessibleName(_("Priorities, in order"))
        self.add_priority_button.setText(_("&Add a priority…"))
        self.add_priority_button.setAccessibleName(_("Add a priority"))
        self.edit_priority_button.setText(_("Edit the priorit&y…"))
        self.edit_priority_button.setAccessibleName(_("Edit the chosen priority"))
        self.up_button.setText(_("Move &up"))
        self.up_button.setAccessibleName(_("Move the priority up"))
        self.down_button.setText(_("Move do&wn"))
        self.down_button.setAccessibleName(_("Move the priority down"))
        self.delete_priority_button.setText(_("&Delete the priority…"))
        self.delete_priority_button.setAccessibleName(_("Delete the chosen priority"))
        self.delete_priority_button.setToolTip(_("Delete the chosen priority, with its success criteria, actions and progress reviews"))
        self.tabs.setAccessibleName(_("The chosen priority"))
        name_tab_scrollers(self.tabs)
        self.summary.setAccessibleName(_("Summary of the priority"))
        for i, text in enumerate((_("Summary"), _("Success criteria"), _("Actions"), _("Progress reviews"))):
            self.tabs.setTabText(i, text)
        self.criteria_table.setHorizontalHeaderLabels([_("Success criterion"), _("Baseline"), _("Target"), _("Actual"), _("Status")])
        self.actions_table.setHorizontalHeaderLabels([_("Action"), _("Lead"), _("Start"), _("Due"), _("Status"), _("Planned cost"), _("Committed"), _("Funding source")])
        self.reviews_table.setHorizontalHeaderLabels([_("Date"), _("Term"), _("Progress (RAG)"), _("Commentary")])
        name_headers(self.criteria_table, self.actions_table, self.reviews_table)
        self.criteria_table.setAccessibleName(_("Success criteria"))
        self.actions_table.setAccessibleName(_("Actions"))
        self.reviews_table.setAccessibleName(_("Progress reviews"))
        for button, text, acc in (
            (self.add_criterion, _("Add a success &criterion…"), _("Add a success criterion")),
            (self.edit_criterion, _("&Edit the criterion…"), _("Edit the chosen success criterion")),
            (self.add_action, _("Add an ac&tion…"), _("Add an action")),
            (self.edit_action, _("&Edit the action…"), _("Edit the chosen action")),
            (self.add_review, _("Add a progress &review…"), _("Add a progress review")),
            (self.edit_review, _("&Edit the review…"), _("Edit the chosen progress review")),
            (self.delete_criterion, _("De&lete the criterion…"), _("Delete the chosen success criterion")),
            (self.delete_action, _("De&lete the action…"), _("Delete the chosen action")),
            (self.delete_review, _("De&lete the review…"), _("Delete the chosen progress review")),
            (self.finding_button, _("Go to the &finding"), _("Go to the peer review finding the action came from")),
        ):
            button.setText(text)
            button.setAccessibleName(acc)
        self.fill(self.current_priority_id())

    # -- editing -------------------------------------------------------------------------

    def _open(self, dialog):
        if self.read_only:  # never reached: every way to an editor checks first
            dialog.deleteLater()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(self.undo_bar.clear)  # a save is the next action: Undo goes
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def edit_plan(self):
        from selfeval_app.gui.plan.plan_dialogs import PlanDialog

        if self.read_only:
            return None
        return self._open(PlanDialog(self.window_, self.plan))

    def edit_priority(self, new: bool = False):
        from selfeval_app.gui.plan.plan_dialogs import PriorityDialog

        if self.plan is None or self.read_only:
            return None
        p = None if new else self.current_priority()
        if not new and p is None:
            return None
        return self._open(PriorityDialog(self.window_, self.plan, p))

    def _selected(self, table: QTableWidget, records: list[dict]) -> dict | None:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        rid = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((r for r in records if r["id"] == rid), None)

    def _item_dialog(self, cls, table, records, edit: bool):
        p = self.current_priority()
        if p is None or self.read_only:
            return None
        record = self._selected(table, records) if edit else None
        if edit and record is None:
            return None
        return self._open(cls(self.window_, p, record))

    def criterion_dialog(self, edit: bool = False):
        from selfeval_app.gui.plan.item_dialogs import CriterionDialog

        return self._item_dialog(CriterionDialog, self.criteria_table, self.criteria, edit)

    def action_dialog(self, edit: bool = False):
        from selfeval_app.gui.plan.item_dialogs import ActionDialog

        return self._item_dialog(ActionDialog, self.actions_table, self.action_records, edit)

    def review_dialog(self, edit: bool = False):
        from selfeval_app.gui.plan.item_dialogs import ReviewDialog

        return self._item_dialog(ReviewDialog, self.reviews_table, self.reviews, edit)

    def open_year_end(self):
        from selfeval_app.gui.plan.year_end import YearEndDialog

        if self.plan is None or self.read_only:
            return None
        return self._open(YearEndDialog(self.window_, self.plan, self.priorities))

    def share_plan_with_la(self) -> bool:
        """Ask, saying how many records change, then give the plan and all its parts the
        visibility `la` in one transaction. Returns True when the change was sent to the worker."""
        from selfeval_app.core import sharing

        reader = self.window_.session.reader
        if self.plan is None or reader is None or self.read_only:
            return False
        plan_id = self.plan["id"]
        count = sharing.count_visibility_changes(reader, sharing.plan_parts(reader, plan_id), "la")
        title = _("Share the whole plan with the local authority")
        if count == 0:
            dialogs().information(self, title, _("The local authority and peer reviewers may already receive the whole plan. Nothing needs to change."))
            return False
        text = ngettext(
            "%(count)d record of the plan will change so that the local authority and peer reviewers may receive it: the plan, its priorities, success criteria, actions and progress reviews. Nothing is sent until the school sends it. Change it?",
            "%(count)d records of the plan will change so that the local authority and peer reviewers may receive them: the plan, its priorities, success criteria, actions and progress reviews. Nothing is sent until the school sends it. Change them?",
            count,
        ) % {"count": count}
        if not dialogs().question(self, title, text):
            return False
        self.window_.run_job(lambda session: sharing.share_whole_plan(session.store, plan_id, "la"), changed=set(sharing.PLAN_PART_TYPES))
        return True

    def move_priority(self, step: int) -> None:
        from selfeval_app.core.plan_edit import reorder_priorities

        row = self.priority_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self.priorities) or self.read_only:
            return
        ids = [p["id"] for p in self.priorities]
        ids[row], ids[target] = ids[target], ids[row]
        self.undo_bar.clear()
        self.window_.run_job(lambda session: reorder_priorities(session.store, ids), changed={"priority"})

    # -- deleting ------------------------------------------------------------------------

    def _item_tables(self):
        return ((self.criteria_table, self.delete_criterion), (self.actions_table, self.delete_action), (self.reviews_table, self.delete_review))

    def delete_priority(self) -> bool:
        """Ask, then delete the chosen priority with its criteria, actions and reviews."""
        if self.read_only:
            return False
        return self.undo_bar.delete("priority", self.current_priority())

    def delete_item(self, type_name: str) -> bool:
        """Ask, then delete the chosen success criterion, action or progress review."""
        if self.read_only:
            return False
        table, records = {
            "success_criterion": (self.criteria_table, self.criteria),
            "action": (self.actions_table, self.action_records),
            "progress_review": (self.reviews_table, self.reviews),
        }[type_name]
        return self.undo_bar.delete(type_name, self._selected(table, records))

    def delete_chosen(self, widget) -> None:
        """The Delete key: the chosen item of the list or table it was pressed in."""
        if widget is self.priority_list:
            self.delete_priority()
            return
        for type_name, table in (("success_criterion", self.criteria_table), ("action", self.actions_table), ("progress_review", self.reviews_table)):
            if widget is table:
                self.delete_item(type_name)

    def _undone(self, removed: list[tuple[str, str]]) -> None:
        """After Undo: show what came back (the priority, or the item's priority and tab)."""
        type_name, record_id = removed[-1]
        if type_name == "priority":
            self._select_after = record_id
        else:
            record = self.window_.session.reader.get(type_name, record_id)
            if record is not None:
                self._select_after = record["priority_id"]
                self.tabs.setCurrentIndex({"success_criterion": 1, "action": 2, "progress_review": 3}[type_name])

    def open_record(self, record_type: str, record_id: str) -> None:
        self.reload()
        if record_type == "plan":
            return
        pid = record_id
        tab = 0
        if record_type != "priority":
            records = {"action": self.action_records, "success_criterion": self.criteria, "progress_review": self.reviews}[record_type]
            rec = next((r for r in records if r["id"] == record_id), None)
            if rec is None:
                return
            pid = rec["priority_id"]
            tab = {"success_criterion": 1, "action": 2, "progress_review": 3}[record_type]
        ids = [p["id"] for p in self.priorities]
        if pid in ids:
            self.priority_list.setCurrentRow(ids.index(pid))
            self.tabs.setCurrentIndex(tab)
            if tab:
                table = (None, self.criteria_table, self.actions_table, self.reviews_table)[tab]
                for r in range(table.rowCount()):
                    if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == record_id:
                        table.selectRow(r)
