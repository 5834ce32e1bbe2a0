"""The Peer review page's dialogs: the visit (dates, kind, status, follow-up, questions, team),
one question with its links, one member of the team, what the reviewers may see (a chooser),
the pack's preview, the host's response to a finding and "Add to our plan"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import peer_review_views as views
from selfeval_app.core import record_types as rt
from selfeval_app.core.errors import ValidationError
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.plan_edit import Checked
from selfeval_app.core.visibility import visibility_label
from selfeval_app.exchange_views import pick
from selfeval_app.gui.form_widgets import ErrorLabel
from selfeval_app.gui.form_widgets import refill_combo as fill_combo
from selfeval_app.gui.form_widgets import select_data as select
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.plan.widgets import (
    BiText,
    CheckList,
    EditDialog,
    OptionalDate,
    date_edit,
    name_date,
    name_headers,
)
from selfeval_app.gui.welsh_letters import install_welsh_letters


def _label(parent: QWidget, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


def _table(parent: QWidget, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setTabKeyNavigation(False)
    return table


def _item(text: str, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


# -- one question ---------------------------------------------------------------------------


class QuestionDialog(Retranslatable, QDialog):
    """A question ("To what extent…") and its links to areas, statements and priorities."""

    def __init__(self, parent: QWidget, writes_in: str, choices: dict, question: dict | None = None):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.question = dict(question or {})
        v = QVBoxLayout(self)
        self.hint = _label(self)
        v.addWidget(self.hint)
        self.text = BiText(N_("Question"), writes_in, multiline=True, parent=self)
        self.text.set_value(self.question.get("text"))
        v.addWidget(self.text)
        self.lists: dict[str, tuple[QLabel, CheckList]] = {}
        for key in ("areas", "statements", "priorities"):
            box = CheckList(self)
            caption = _label(self, box)
            self.lists[key] = (caption, box)
            v.addWidget(caption)
            v.addWidget(box)
        self.choices = choices
        self.error = ErrorLabel(self)
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)
        self.retranslate()

    def _fill(self) -> None:
        fields = {"areas": "area_ids", "statements": "statement_ids", "priorities": "priority_ids"}
        for key, (_caption, box) in self.lists.items():
            checked = set(box.checked_ids()) if box.count() else set(self.question.get(fields[key]) or [])
            box.fill([(i, pick(n)) for i, n in self.choices.get(key, [])], checked)

    def value(self) -> dict:
        return {
            "id": self.question.get("id"),
            "text": self.text.value(),
            "area_ids": self.lists["areas"][1].checked_ids(),
            "statement_ids": self.lists["statements"][1].checked_ids(),
            "priority_ids": self.lists["priorities"][1].checked_ids(),
        }

    def _ok(self) -> None:
        text = self.text.value()
        if not any(t.strip() for t in text.values()):
            self.error.show_problem(_("Write the question in Welsh or English (or both)."))
            self.text.first_editor().setFocus()
            return
        self.accept()

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.setWindowTitle(_("Question for the reviewers"))
        self.hint.setText(_("Ask an open question, e.g. “To what extent do learners…?”. Peer review asks questions: it gives no grades."))
        captions = {
            "areas": _("Evaluation areas it is about:"),
            "statements": _("This year's evaluation statements it is about:"),
            "priorities": _("Priorities it is about:"),
        }
        for key, (caption, box) in self.lists.items():
            caption.setText(captions[key])
            box.setAccessibleName(plain(captions[key]))
        self._fill()


# -- one member of the team ---------------------------------------------------------------------


class TeamMemberDialog(Retranslatable, QDialog):
    """A member of the team: a lead reviewer or reviewer (one of the trusted reviewer contacts),
    or the host's link leader (a name)."""

    def __init__(self, parent: QWidget, writes_in: str, contacts: list[dict], member: dict | None = None):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.contacts = contacts
        member = dict(member or {"role": "reviewer"})
        form = QFormLayout(self)
        self.role = QComboBox(self)
        self.role_label = _label(self, self.role)
        form.addRow(self.role_label, self.role)
        self.contact = QComboBox(self)
        self.contact_label = _label(self, self.contact)
        form.addRow(self.contact_label, self.contact)
        self.no_contact = _label(self)
        form.addRow(self.no_contact)
        self.name = QLineEdit(self)
        install_welsh_letters(self.name)
        self.name_label = _label(self, self.name)
        form.addRow(self.name_label, self.name)
        self.school = BiText(N_("Their school"), writes_in, multiline=False, parent=self)
        self.school_label = _label(self, self.school.first_editor())
        form.addRow(self.school_label, self.school)
        self.error = ErrorLabel(self)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.retranslate()
        select(self.role, member.get("role"))
        select(self.contact, member.get("identity_id") or None)
        self.name.setText(member.get("name") or "")
        self.school.set_value(member.get("school"))
        self.role.currentIndexChanged.connect(self._role_changed)
        self.contact.currentIndexChanged.connect(self._contact_changed)
        self._role_changed()

    def _role_changed(self) -> None:
        reviewer = self.role.currentData() in ("lead", "reviewer")
        self.contact.setEnabled(reviewer and bool(self.contacts))
        self.no_contact.setVisible(reviewer and not self.contacts)
        self.school.setEnabled(reviewer)

    def _contact_changed(self) -> None:
        c = next((c for c in self.contacts if c["identity_id"] == self.contact.currentData()), None)
        if c is not None and not self.name.text().strip():
            self.name.setText(pick(c["name"]))

    def value(self) -> dict:
        role = self.role.currentData()
        out = {"role": role, "name": self.name.text().strip(), "identity_id": self.contact.currentData() if role != "link_leader" else ""}
        if role != "link_leader":
            out["school"] = self.school.value()
        return out

    def _ok(self) -> None:
        value = self.value()
        if value["role"] != "link_leader" and not value["identity_id"]:
            self.error.show_problem(_("Choose the reviewer from the school's trusted reviewer contacts."))
            return
        if not value["name"]:
            self.error.show_problem(_("Give the member's name."))
            self.name.setFocus()
            return
        self.accept()

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.setWindowTitle(_("Member of the team"))
        self.role_label.setText(_("&Role:"))
        self.contact_label.setText(_("Reviewer &contact:"))
        self.name_label.setText(_("&Name:"))
        self.school_label.setText(_("Their school:"))
        self.no_contact.setText(_("No trusted reviewer contact yet: add the reviewer's key card on the Sharing page first."))
        for combo, label in ((self.role, self.role_label), (self.contact, self.contact_label)):
            combo.setAccessibleName(plain(label.text()))
        self.name.setAccessibleName(plain(self.name_label.text()))
        current = self.role.currentData() or "reviewer"
        fill_combo(self.role, [(r, views.word(views.ROLE_NAMES, r)) for r in rt.VISIT_ROLES])
        select(self.role, current)
        chosen = self.contact.currentData()
        fill_combo(self.contact, [(c["identity_id"], pick(c["name"])) for c in self.contacts], empty=_("(none)"))
        select(self.contact, chosen)


# -- the visit ---------------------------------------------------------------------------------------


class VisitDialog(EditDialog):
    """Create or edit one of our visits. The questions and the team are edited in their own small
    dialogs; everything is saved together with Save (checked again in core)."""

    changes = ("review_visit", "review_summary")

    def __init__(self, window, parent: QWidget, visit: dict | None, contacts: list[dict], choices: dict):
        super().__init__(window, parent)
        self.visit = visit
        self.contacts = contacts
        self.choices = choices
        self.questions: list[dict] = [dict(q) for q in (visit or {}).get("questions") or []]
        self.team: list[dict] = [dict(m) for m in (visit or {}).get("team") or []]
        today = window.clock.today()
        form = QFormLayout(self.body)
        self.start = date_edit(self.body)
        self.start_label = _label(self.body, self.start)
        form.addRow(self.start_label, self.start)
        form.addRow(self.error_label("start_date", self.start))
        self.end = OptionalDate(self.body)
        self.end_label = _label(self.body, self.end.given)
        form.addRow(self.end_label, self.end)
        form.addRow(self.error_label("end_date", self.end.edit))
        self.kind = QComboBox(self.body)
        self.kind_label = _label(self.body, self.kind)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.error_label("kind", self.kind))
        self.status = QComboBox(self.body)
        self.status_label = _label(self.body, self.status)
        form.addRow(self.status_label, self.status)
        self.follow_up = OptionalDate(self.body)
        self.follow_up_label = _label(self.body, self.follow_up.given)
        form.addRow(self.follow_up_label, self.follow_up)
        form.addRow(self.error_label("follow_up", self.follow_up.edit))

        self.questions_label = _label(self.body)
        self.question_list = QListWidget(self.body)
        self.questions_label.setBuddy(self.question_list)
        form.addRow(self.questions_label)
        form.addRow(self.question_list)
        row = QHBoxLayout()
        self.add_question = QPushButton(self.body)
        self.edit_question = QPushButton(self.body)
        self.remove_question = QPushButton(self.body)
        for b in (self.add_question, self.edit_question, self.remove_question):
            row.addWidget(b)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.error_label("questions", self.question_list))
        self.add_question.clicked.connect(lambda: self.open_question(None))
        self.edit_question.clicked.connect(lambda: self.open_question(self.question_list.currentRow()))
        self.question_list.itemActivated.connect(lambda _i: self.open_question(self.question_list.currentRow()))
        self.remove_question.clicked.connect(self._remove_question)

        self.team_label = _label(self.body)
        self.team_table = _table(self.body, 3)
        self.team_label.setBuddy(self.team_table)
        form.addRow(self.team_label)
        form.addRow(self.team_table)
        row = QHBoxLayout()
        self.add_member = QPushButton(self.body)
        self.edit_member = QPushButton(self.body)
        self.remove_member = QPushButton(self.body)
        for b in (self.add_member, self.edit_member, self.remove_member):
            row.addWidget(b)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(self.error_label("team", self.team_table))
        self.add_member.clicked.connect(lambda: self.open_member(None))
        self.edit_member.clicked.connect(lambda: self.open_member(self.team_table.currentRow()))
        self.team_table.itemActivated.connect(lambda _i: self.open_member(self.team_table.currentRow()))
        self.remove_member.clicked.connect(self._remove_member)

        v = visit or {}
        self.start.setDate(self._qdate(v.get("start_date"), today))
        self.end.set_value(v.get("end_date"), today)
        self.follow_up.set_value(v.get("follow_up"), today)
        self.retranslate()
        select(self.kind, v.get("kind") or "peer_review")
        select(self.status, v.get("status") or "draft")
        self.status.setEnabled(visit is not None)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().lineSpacing() * 40)
        self.dialog: QDialog | None = None

    @staticmethod
    def _qdate(iso, default):
        from PySide6.QtCore import QDate

        if iso:
            return QDate.fromString(iso, "yyyy-MM-dd")
        return QDate(default.year, default.month, default.day)

    # questions and team -------------------------------------------------------------------------

    def open_question(self, index: int | None) -> QuestionDialog | None:
        if index is not None and not 0 <= index < len(self.questions):
            return None
        dialog = QuestionDialog(self, self.writes_in(), self.choices, self.questions[index] if index is not None else None)

        def done() -> None:
            if index is None:
                self.questions.append(dialog.value())
            else:
                self.questions[index] = dialog.value()
            self._fill_lists()

        dialog.accepted.connect(done)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _remove_question(self) -> None:
        i = self.question_list.currentRow()
        if 0 <= i < len(self.questions):
            del self.questions[i]
            self._fill_lists()

    def open_member(self, index: int | None) -> TeamMemberDialog | None:
        if index is not None and not 0 <= index < len(self.team):
            return None
        dialog = TeamMemberDialog(self, self.writes_in(), self.contacts, self.team[index] if index is not None else None)

        def done() -> None:
            if index is None:
                self.team.append(dialog.value())
            else:
                self.team[index] = dialog.value()
            self._fill_lists()

        dialog.accepted.connect(done)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _remove_member(self) -> None:
        i = self.team_table.currentRow()
        if 0 <= i < len(self.team):
            del self.team[i]
            self._fill_lists()

    def _fill_lists(self) -> None:
        self.question_list.clear()
        for n, q in enumerate(self.questions, start=1):
            QListWidgetItem(_("%(number)d. %(question)s") % {"number": n, "question": pick(q.get("text"))}, self.question_list)
        self.team_table.setRowCount(len(self.team))
        for r, m in enumerate(self.team):
            self.team_table.setItem(r, 0, _item(m.get("name") or ""))
            self.team_table.setItem(r, 1, _item(views.word(views.ROLE_NAMES, m.get("role"))))
            self.team_table.setItem(r, 2, _item(pick(m.get("school")) or "–"))
        self.team_table.resizeRowsToContents()

    # saving ---------------------------------------------------------------------------------------

    def raw(self) -> dict:
        raw = {
            "start_date": self.start.date().toString("yyyy-MM-dd"),
            "end_date": self.end.value(),
            "kind": self.kind.currentData(),
            "follow_up": self.follow_up.value(),
            "questions": self.questions,
            "team": self.team,
        }
        if self.visit is not None:
            raw["status"] = self.status.currentData()
        return raw

    def check(self, raw: dict) -> Checked:
        from selfeval_app.core.peer_review_host import check_visit

        out = Checked()
        try:
            out.values = check_visit(raw)  # reviewer contacts are checked again by the job
        except ValidationError as problem:
            out.problems[problem.field] = problem
        return out

    def job(self, raw: dict):
        visit_id = self.visit["id"] if self.visit else None
        base_rev = self.visit["rev"] if self.visit else None
        return lambda session: views.save_visit(session.store, visit_id, raw, base_rev)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit the visit") if self.visit else _("New visit"))
        self.start_label.setText(_("&First day:"))
        name_date(self.start, plain(self.start_label.text()))
        self.end_label.setText(_("&Last day:"))
        self.end.set_names(self.end_label.text())
        self.kind_label.setText(_("&Kind of visit:"))
        self.kind.setAccessibleName(plain(self.kind_label.text()))
        self.status_label.setText(_("&Where the visit is:"))
        self.status.setAccessibleName(plain(self.status_label.text()))
        self.follow_up_label.setText(_("Follow-&up date:"))
        self.follow_up.set_names(self.follow_up_label.text())
        self.questions_label.setText(_("The questions the school asks:"))
        self.question_list.setAccessibleName(_("Questions"))
        self.team_label.setText(_("The team:"))
        self.team_table.setAccessibleName(_("The team"))
        self.team_table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("School")])
        name_headers(self.team_table)
        for button, text, name in (
            (self.add_question, _("Add a &question…"), _("Add a question")),
            (self.edit_question, _("Edit the question…"), _("Edit the chosen question")),
            (self.remove_question, _("Remove the question"), _("Remove the chosen question")),
            (self.add_member, _("Add a &member…"), _("Add a member of the team")),
            (self.edit_member, _("Edit the member…"), _("Edit the chosen member of the team")),
            (self.remove_member, _("Remove the member"), _("Remove the chosen member of the team")),
        ):
            button.setText(text)
            button.setAccessibleName(name)
        kind, status = self.kind.currentData(), self.status.currentData()
        fill_combo(self.kind, [(k, views.word(views.VISIT_KIND_NAMES, k)) for k in rt.VISIT_KINDS])
        fill_combo(self.status, [(s, views.word(views.VISIT_STATUS_NAMES, s)) for s in rt.VISIT_STATUSES])
        select(self.kind, kind)
        select(self.status, status)
        self._fill_lists()
        self.retranslate_base()


# -- what the reviewers may see ------------------------------------------------------------------------


class ChooseRecordsDialog(Retranslatable, QDialog):
    """Every record a host may show its reviewers: those shared with peers or the LA go anyway
    (ticked, fixed); the others go for this visit only when ticked."""

    def __init__(self, parent: QWidget, rows: list[dict]):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.rows = rows
        v = QVBoxLayout(self)
        self.intro = _label(self)
        v.addWidget(self.intro)
        self.filter = QLineEdit(self)
        install_welsh_letters(self.filter)
        self.filter.textChanged.connect(self._filter)
        v.addWidget(self.filter)
        self.table = _table(self, 3)
        v.addWidget(self.table, 1)
        self.count = _label(self)
        v.addWidget(self.count)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)
        self.table.itemChanged.connect(lambda _i: self._count())
        self.retranslate()
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().lineSpacing() * 30)

    def _fill(self) -> None:
        chosen = self.chosen_ids() if self.table.rowCount() else {r["id"] for r in self.rows if r["chosen"]}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            title = _item(pick(row["title"]) or rt.type_label(row["type"]), row["id"])
            if row["shared"]:
                title.setFlags(title.flags() & ~Qt.ItemFlag.ItemIsUserCheckable & ~Qt.ItemFlag.ItemIsEnabled)
                title.setCheckState(Qt.CheckState.Checked)
                title.setToolTip(_("Shared with peer reviewers already: it goes in every visit's pack."))
            else:
                title.setFlags(title.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                title.setCheckState(Qt.CheckState.Checked if row["id"] in chosen else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, title)
            self.table.setItem(r, 1, _item(rt.type_label(row["type"])))
            self.table.setItem(r, 2, _item(visibility_label(row["visibility"])))
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)
        self._filter(self.filter.text())
        self._count()

    def _filter(self, text: str) -> None:
        from selfeval_app.core.evaluation_edit import fold

        needle = fold(text.strip())
        for r in range(self.table.rowCount()):
            hay = fold(" ".join(self.table.item(r, c).text() for c in range(3)))
            self.table.setRowHidden(r, bool(needle) and needle not in hay)

    def chosen_ids(self) -> set[str]:
        out = set()
        for r, row in enumerate(self.rows):
            item = self.table.item(r, 0)
            if not row["shared"] and item is not None and item.checkState() == Qt.CheckState.Checked:
                out.add(row["id"])
        return out

    def set_chosen(self, record_id: str, on: bool) -> None:
        for r, row in enumerate(self.rows):
            if row["id"] == record_id:
                self.table.item(r, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _count(self) -> None:
        shared = sum(1 for r in self.rows if r["shared"])
        text = _("Shared with peers or the local authority: %(shared)d. Chosen for this visit: %(chosen)d.") % {
            "shared": shared, "chosen": len(self.chosen_ids()),
        }
        self.count.setText(text)
        self.count.setAccessibleName(text)

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.setWindowTitle(_("What the reviewers may see"))
        self.intro.setText(_(
            "The reviewers' pack holds the visit, the school's responses, every record shared with peer reviewers "
            "or the local authority, and the records you tick here for this visit only (they stay private otherwise)."
        ))
        self.filter.setPlaceholderText(_("Filter the records"))
        self.filter.setAccessibleName(_("Filter the records"))
        self.table.setAccessibleName(_("Records the reviewers may see"))
        self.table.setHorizontalHeaderLabels([_("Record"), _("Kind"), _("Who may receive it")])
        name_headers(self.table)
        self._fill()


WHY_NAMES = {
    "visit": N_("The visit and the school's responses"),
    "shared": N_("Shared with peers or the local authority"),
    "chosen": N_("Chosen for this visit"),
}


class PackPreviewDialog(Retranslatable, QDialog):
    """Exactly what the pack to one reviewer holds; Send writes it (the page chooses the file)."""

    def __init__(self, parent: QWidget, preview: views.PackPreview):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.preview = preview
        v = QVBoxLayout(self)
        self.summary = _label(self)
        v.addWidget(self.summary)
        self.table = _table(self, 3)
        v.addWidget(self.table, 1)
        self.withdrawn = _label(self)
        v.addWidget(self.withdrawn)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.send = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)
        self.retranslate()
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().lineSpacing() * 30)

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        p = self.preview
        self.setWindowTitle(_("The pack for %(name)s") % {"name": pick(p.recipient_name)})
        text = _("Records in the pack: %(count)d. Only %(name)s can open it.") % {"count": len(p.rows), "name": pick(p.recipient_name)}
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        self.table.setRowCount(len(p.rows))
        for r, row in enumerate(p.rows):
            self.table.setItem(r, 0, _item(pick(row["title"]) or rt.type_label(row["type"]), row["id"]))
            self.table.setItem(r, 1, _item(rt.type_label(row["type"])))
            self.table.setItem(r, 2, _item(_(WHY_NAMES[row["why"]])))
        self.table.resizeColumnsToContents()
        self.table.setHorizontalHeaderLabels([_("Record"), _("Kind"), _("Why it goes")])
        self.table.setAccessibleName(_("What the pack holds"))
        name_headers(self.table)
        if p.withdrawn:
            self.withdrawn.setText(_("Withdrawn from the reviewer: %(count)d.") % {"count": len(p.withdrawn)})
        self.withdrawn.setVisible(bool(p.withdrawn))
        self.send.setText(_("&Send the pack…"))
        self.send.setAccessibleName(_("Send the pack"))


# -- the host's response and "Add to our plan" ---------------------------------------------------------


class ResponseDialog(Retranslatable, QDialog):
    """The host's fact-check of one finding: agree, a correction or a comment."""

    def __init__(self, parent: QWidget, writes_in: str, finding: dict):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.finding = finding
        v = QVBoxLayout(self)
        self.shown = _label(self)
        self.shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        v.addWidget(self.shown)
        self.radios = {k: QRadioButton(self) for k in rt.RESPONSE_KINDS}
        row = QHBoxLayout()
        for radio in self.radios.values():
            row.addWidget(radio)
        row.addStretch(1)
        v.addLayout(row)
        self.text = BiText(N_("Your correction or comment"), writes_in, multiline=True, parent=self)
        v.addWidget(self.text)
        self.error = ErrorLabel(self)
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)
        response = finding.get("response") or {}
        self.radios[response.get("response") or "agree"].setChecked(True)
        self.text.set_value(response.get("text"))
        self.retranslate()

    def value(self) -> tuple[str, dict]:
        kind = next(k for k, r in self.radios.items() if r.isChecked())
        return kind, self.text.value()

    def _ok(self) -> None:
        kind, text = self.value()
        if kind != "agree" and not any(t.strip() for t in text.values()):
            self.error.show_problem(_("Write the correction or comment in Welsh or English (or both)."))
            self.text.first_editor().setFocus()
            return
        self.accept()

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.setWindowTitle(_("Your response to the finding"))
        self.shown.setText(views.finding_text(self.finding))
        self.shown.setAccessibleName(_("The finding"))
        self.shown.setAccessibleDescription(self.shown.text())
        for k, radio in self.radios.items():
            radio.setText(views.word(views.RESPONSE_NAMES, k))


class AddToPlanDialog(Retranslatable, QDialog):
    """"Add to our plan": an action from a finding, under a priority or a new priority."""

    def __init__(self, parent: QWidget, writes_in: str, finding: dict, targets: dict):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.targets = targets
        form = QFormLayout(self)
        self.shown = _label(self)
        form.addRow(self.shown)
        self.existing = QRadioButton(self)
        self.priority = QComboBox(self)
        form.addRow(self.existing, self.priority)
        self.new = QRadioButton(self)
        self.new_title = BiText(N_("New priority"), writes_in, multiline=False, parent=self)
        form.addRow(self.new, self.new_title)
        self.no_plan = _label(self)
        form.addRow(self.no_plan)
        self.description = BiText(N_("The action"), writes_in, multiline=True, parent=self)
        self.description_label = _label(self, self.description.first_editor())
        form.addRow(self.description_label)
        form.addRow(self.description)
        self.error = ErrorLabel(self)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        rec = finding["record"]
        # The areas for development are the usual start of an action; the person edits it.
        self.description.set_value(rec.get("areas_for_development") or rec.get("lines_of_enquiry"))
        has_priorities = bool(targets["priorities"])
        (self.existing if has_priorities else self.new).setChecked(True)
        self.existing.setEnabled(has_priorities)
        self.new.setEnabled(bool(targets["plans"]))
        self.finding = finding
        self.retranslate()

    def value(self) -> dict:
        out: dict = {"description": self.description.value()}
        if self.existing.isChecked():
            out["priority_id"] = self.priority.currentData()
        else:
            plan = self.targets["plans"][0] if self.targets["plans"] else None
            out["new_priority"] = {"plan_id": plan["id"] if plan else None, "title": self.new_title.value()}
        return out

    def _ok(self) -> None:
        value = self.value()
        if not any(t.strip() for t in value["description"].values()):
            self.error.show_problem(_("Write the action in Welsh or English (or both)."))
            return
        if "new_priority" in value and (not value["new_priority"]["plan_id"] or not any(t.strip() for t in value["new_priority"]["title"].values())):
            self.error.show_problem(_("Name the new priority in Welsh or English (or both)."))
            return
        self.accept()

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.setWindowTitle(_("Add to our plan"))
        self.shown.setText(views.finding_text(self.finding))
        self.shown.setAccessibleName(_("The finding"))
        self.existing.setText(_("Under the &priority:"))
        self.priority.setAccessibleName(_("The priority"))
        self.new.setText(_("Under a &new priority:"))
        self.description_label.setText(_("The action:"))
        self.no_plan.setText(_("There is no development plan yet: create it on the Development plan page first."))
        self.no_plan.setVisible(not self.targets["plans"])
        current = self.priority.currentData()
        fill_combo(self.priority, [(p["id"], pick(p.get("title"))) for p in self.targets["priorities"]])
        select(self.priority, current)
