"""The dialogs of the Partnerships page: a partnership (kind, name, partner schools chosen from the
LA's list of schools when this school holds one, or typed; purpose; linked priorities; the
four-step maturity, each step shown with its sentence; dates; who may receive it) and a joint
activity (title, dates, who took part, what changed, priorities served, who may receive it).

Both save through the window's worker (`EditDialog`); the core (`core/collaboration.py`) checks
everything again before it writes, and its problems come back inline by field."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import collaboration as collab
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.plan_edit import Checked
from selfeval_app.core.sorting import sort_key
from selfeval_app.gui.form_widgets import refill_combo, select_data
from selfeval_app.gui.language import plain
from selfeval_app.gui.plan.widgets import (
    BiText,
    CheckList,
    EditDialog,
    OptionalDate,
    date_edit,
    name_date,
)
from selfeval_app.gui.plan.words import pick
from selfeval_app.gui.welsh_letters import install_welsh_letters


def partner_text(partner: dict) -> str:
    """A partner school as a person reads it: its name (current language first) and number."""
    name = pick(partner.get("name"))
    number = partner.get("number") or ""
    if name and number:
        return f"{name} ({number})"
    return name or number


def _priorities(window) -> list[tuple[str, str]]:
    """(id, title) of the school's own priorities, newest plan first, for the link lists."""
    reader = window.session.reader
    return [(p["id"], pick(p.get("title"))) for p in reader.list("priority", order_by="position, created_at")]


class PartnersEditor(QWidget):
    """The partner schools of a partnership: a list, a choice from the LA's list of schools (when
    this school holds one), a typed name and number, and Remove."""

    def __init__(self, listed: dict[str, dict[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.listed = listed
        self.partners: list[dict] = []
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(self)
        self.list.setObjectName("partnerList")
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        col.addWidget(self.list)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removePartner")
        self.remove_button.clicked.connect(self.remove_chosen)
        col.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)

        grid = QGridLayout()
        self.from_list_label = QLabel(self)
        self.from_list = QComboBox(self)
        self.from_list.setObjectName("partnerFromList")
        self.from_list_label.setBuddy(self.from_list)
        self.add_listed_button = QPushButton(self)
        self.add_listed_button.setObjectName("addListedPartner")
        self.add_listed_button.clicked.connect(self.add_listed)
        grid.addWidget(self.from_list_label, 0, 0)
        grid.addWidget(self.from_list, 0, 1)
        grid.addWidget(self.add_listed_button, 0, 2)
        self.typed_label = QLabel(self)
        self.typed_name = QLineEdit(self)
        self.typed_name.setObjectName("partnerName")
        install_welsh_letters(self.typed_name)
        self.typed_label.setBuddy(self.typed_name)
        self.typed_number = QLineEdit(self)
        self.typed_number.setObjectName("partnerNumber")
        self.add_typed_button = QPushButton(self)
        self.add_typed_button.setObjectName("addTypedPartner")
        self.add_typed_button.clicked.connect(self.add_typed)
        self.typed_name.returnPressed.connect(self.add_typed)
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed_name, 3)
        typed_row.addWidget(self.typed_number, 1)
        grid.addWidget(self.typed_label, 1, 0)
        grid.addLayout(typed_row, 1, 1)
        grid.addWidget(self.add_typed_button, 1, 2)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        has_list = bool(listed)
        for w in (self.from_list_label, self.from_list, self.add_listed_button):
            w.setVisible(has_list)
        self.retranslate()

    def retranslate(self) -> None:
        self.list.setAccessibleName(_("Partner schools"))
        self.remove_button.setText(_("Remove the chosen school"))
        self.from_list_label.setText(_("From the local authority's list:"))
        self.from_list.setAccessibleName(plain(_("From the local authority's list:")))
        self.add_listed_button.setText(_("Add"))
        self.add_listed_button.setAccessibleName(_("Add the school chosen from the list"))
        self.typed_label.setText(_("Or type a school:"))
        self.typed_name.setAccessibleName(_("Name of the partner school"))
        self.typed_name.setPlaceholderText(_("Name of the school"))
        self.typed_number.setAccessibleName(_("School number (optional)"))
        self.typed_number.setPlaceholderText(_("NNN/NNNN (optional)"))
        self.add_typed_button.setText(_("Add the typed school"))
        lang = current_language()
        items = sorted(self.listed.items(), key=lambda kv: sort_key(pick(kv[1]) or kv[0], lang))
        refill_combo(self.from_list, [(number, f"{pick(names)} ({number})") for number, names in items])
        self._fill()

    def set_partners(self, partners: list[dict] | None) -> None:
        self.partners = [dict(p) for p in partners or []]
        self._fill()

    def value(self) -> list[dict]:
        return [dict(p) for p in self.partners]

    def _fill(self) -> None:
        self.list.clear()
        for p in self.partners:
            QListWidgetItem(partner_text(p), self.list)
        self.remove_button.setEnabled(bool(self.partners))

    def _add(self, partner: dict) -> None:
        key = partner.get("number") or pick(partner.get("name")).casefold()
        if any((p.get("number") or pick(p.get("name")).casefold()) == key for p in self.partners):
            return
        self.partners.append(partner)
        self._fill()
        self.list.setCurrentRow(len(self.partners) - 1)

    def add_listed(self) -> None:
        number = self.from_list.currentData()
        if number:
            self._add({"number": number, "identity_id": "", "name": dict(self.listed.get(number) or {})})

    def add_typed(self) -> None:
        name = self.typed_name.text().strip()
        number = self.typed_number.text().strip()
        if not name and not number:
            return
        lang = current_language()
        names = {"cy": "", "en": ""}
        if name:
            names[lang] = name
        elif number in self.listed:
            names = dict(self.listed[number])
        self._add({"number": number, "identity_id": "", "name": names})
        self.typed_name.clear()
        self.typed_number.clear()

    def remove_chosen(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.partners):
            del self.partners[row]
            self._fill()


class MaturityChooser(QWidget):
    """The four steps of a partnership's maturity as radio buttons, each with its sentence."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QRadioButton] = {}
        self.sentences: dict[str, QLabel] = {}
        for step in collab.MATURITY_STEPS:
            button = QRadioButton(self)
            button.setObjectName(f"maturity_{step.id}")
            sentence = QLabel(self)
            sentence.setWordWrap(True)
            sentence.setIndent(self.fontMetrics().averageCharWidth() * 4)
            sentence.setBuddy(button)
            self.group.addButton(button)
            self.buttons[step.id] = button
            self.sentences[step.id] = sentence
            col.addWidget(button)
            col.addWidget(sentence)
        self.none_button = QRadioButton(self)
        self.none_button.setObjectName("maturity_none")
        self.group.addButton(self.none_button)
        col.addWidget(self.none_button)
        self.setFocusProxy(self.none_button)
        self.retranslate()

    def retranslate(self) -> None:
        for step in collab.MATURITY_STEPS:
            # Translators: one of the four maturity steps, e.g. "Step 3 of 4: Established".
            text = _("Step %(number)s of 4: %(step)s") % {"number": step.number, "step": step.label_text()}
            self.buttons[step.id].setText(text)
            self.buttons[step.id].setAccessibleName(text)
            self.buttons[step.id].setAccessibleDescription(step.sentence_text())
            self.sentences[step.id].setText(step.sentence_text())
        self.none_button.setText(_("Not assessed yet"))

    def set_value(self, step_id: str | None) -> None:
        button = self.buttons.get(step_id or "", self.none_button)
        button.setChecked(True)
        self.setFocusProxy(button)

    def value(self) -> str | None:
        for step_id, button in self.buttons.items():
            if button.isChecked():
                return step_id
        return None


class _CollabDialog(EditDialog):
    """A form of labelled rows with inline problems (like the plan's dialogs)."""

    def __init__(self, window, record: dict | None):
        super().__init__(window)
        self.record = record
        self.form = QFormLayout(self.body)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, tuple[QLabel, QWidget, str]] = {}

    def row(self, key: str, label_id: str, widget: QWidget, *, error: bool = False, buddy: QWidget | None = None) -> None:
        label = QLabel(self.body)
        label.setWordWrap(True)
        label.setBuddy(buddy or (widget.first_editor() if isinstance(widget, BiText) else widget))
        self.labels[key] = (label, widget, label_id)
        self.form.addRow(label, widget)
        if error:
            self.form.addRow(self.error_label(key, widget))

    def retranslate_rows(self) -> None:
        for label, widget, label_id in self.labels.values():
            label.setText(_(label_id))
            if isinstance(widget, OptionalDate):
                widget.set_names(_(label_id))
            elif isinstance(widget, QLineEdit) or isinstance(widget, QComboBox) or isinstance(widget, CheckList):
                widget.setAccessibleName(plain(_(label_id)))
            elif hasattr(widget, "date"):
                name_date(widget, plain(_(label_id)))
        self.retranslate_base()


class PartnershipDialog(_CollabDialog):
    changes = ("partnership",)

    def __init__(self, window, record: dict | None):
        super().__init__(window, record)
        rec = record or {}
        today = window.clock.today()
        from selfeval_app.core.collaboration import la_school_names

        self.intro = QLabel(self.body)
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.kind = QComboBox(self.body)
        self.kind.setObjectName("partnershipKind")
        self.name = BiText(N_("Name of the partnership:"), self.writes_in(), multiline=False, parent=self.body)
        self.name.set_value(rec.get("name"))
        self.partners = PartnersEditor(la_school_names(window.session.reader), self.body)
        self.partners.set_partners(rec.get("partners"))
        self.purpose = BiText(N_("What the schools work together for:"), self.writes_in(), parent=self.body)
        self.purpose.set_value(rec.get("purpose"))
        self.priorities = CheckList(self.body)
        self.priorities.setObjectName("partnershipPriorities")
        self.priorities.fill(_priorities(window), set(rec.get("priority_ids") or []))
        self.maturity = MaturityChooser(self.body)
        self.maturity.set_value(rec.get("maturity"))
        self.maturity_note = BiText(N_("Why you chose that step:"), self.writes_in(), parent=self.body)
        self.maturity_note.set_value(rec.get("maturity_note"))
        self.start = OptionalDate(self.body)
        self.start.set_value(rec.get("start_date"), today)
        self.end = OptionalDate(self.body)
        self.end.set_value(rec.get("end_date"), today)
        self.row("kind", N_("Kind of partnership:"), self.kind, error=True)
        self.row("name", N_("Name of the partnership:"), self.name, error=True)
        self.row("partners", N_("Partner schools:"), self.partners, error=True, buddy=self.partners.list)
        self.row("purpose", N_("What the schools work together for:"), self.purpose)
        self.row("priority_ids", N_("Priorities of our plan it serves:"), self.priorities)
        self.row("maturity", N_("How far the partnership has come (our own view):"), self.maturity, error=True, buddy=self.maturity.focusProxy())
        self.row("maturity_note", N_("Why you chose that step:"), self.maturity_note)
        self.row("start_date", N_("Began on:"), self.start, error=True)
        self.row("end_date", N_("Ended on:"), self.end, error=True)
        self.add_visibility_row(self.form, record)
        self.retranslate()
        select_data(self.kind, rec.get("kind") or "cluster")
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 110, metrics.lineSpacing() * 40)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a partnership") if self.record is None else _("Edit the partnership"))
        self.intro.setText(_("A partnership this school takes part in, with other schools. The steps of maturity are your own view, to talk about with your partners: they are not a grade."))
        refill_combo(self.kind, collab.kind_choices())
        if self.priorities.count() == 0:
            self.priorities.setToolTip(_("The plan has no priorities yet."))
        self.partners.retranslate()
        self.maturity.retranslate()
        self.retranslate_rows()

    def raw(self) -> dict:
        return {
            "kind": self.kind.currentData(),
            "name": self.name.value(),
            "partners": self.partners.value(),
            "purpose": self.purpose.value(),
            "priority_ids": self.priorities.checked_ids(),
            "maturity": self.maturity.value(),
            "maturity_note": self.maturity_note.value(),
            "start_date": self.start.value(),
            "end_date": self.end.value(),
        }

    def check(self, raw: dict) -> Checked:
        from selfeval_app.core.errors import ValidationError

        checked = Checked(values=raw)
        if not any((raw.get("name") or {}).values()):
            checked.problems["name"] = ValidationError("name", collab.ERR_NAME)
        if raw.get("start_date") and raw.get("end_date") and raw["end_date"] < raw["start_date"]:
            checked.problems["end_date"] = ValidationError("end_date", collab.ERR_END_BEFORE_START)
        return checked

    def job(self, raw: dict):
        record_id = (self.record or {}).get("id")
        base_rev = (self.record or {}).get("rev")
        values = dict(raw)

        def job(session):
            if record_id is None:
                visibility = values.pop("visibility", None)
                return collab.create_partnership(session.store, values, visibility=visibility)
            return collab.update_partnership(session.store, record_id, values, base_rev=base_rev)

        return job


class ActivityDialog(_CollabDialog):
    changes = ("joint_activity",)

    def __init__(self, window, partnership: dict, record: dict | None):
        super().__init__(window, record)
        self.partnership = partnership
        rec = record or {}
        today = window.clock.today()
        self.partnership_label = QLabel(self.body)
        self.partnership_label.setWordWrap(True)
        self.form.addRow(self.partnership_label)
        self.title = BiText(N_("What the schools did together:"), self.writes_in(), multiline=False, parent=self.body)
        self.title.set_value(rec.get("title"))
        self.start = date_edit(self.body)
        self.start.setObjectName("activityStart")
        start = rec.get("start_date")
        self.start.setDate(QDate.fromString(start, "yyyy-MM-dd") if start else QDate(today.year, today.month, today.day))
        self.end = OptionalDate(self.body)
        self.end.set_value(rec.get("end_date"), today)
        self.participants = BiText(N_("Who took part:"), self.writes_in(), parent=self.body)
        self.participants.set_value(rec.get("participants"))
        self.what_changed = BiText(N_("What changed as a result:"), self.writes_in(), parent=self.body)
        self.what_changed.set_value(rec.get("what_changed"))
        self.priorities = CheckList(self.body)
        self.priorities.setObjectName("activityPriorities")
        self.priorities.fill(_priorities(window), set(rec.get("priority_ids") or []))
        self.row("title", N_("What the schools did together:"), self.title, error=True)
        self.row("start_date", N_("First day:"), self.start, error=True)
        self.row("end_date", N_("Last day (if more than one day):"), self.end, error=True)
        self.row("participants", N_("Who took part:"), self.participants)
        self.row("what_changed", N_("What changed as a result:"), self.what_changed)
        self.row("priority_ids", N_("Priorities of our plan it served:"), self.priorities)
        self.add_visibility_row(self.form, record or {"visibility": partnership.get("visibility")})
        self.retranslate()
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.lineSpacing() * 34)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a joint activity") if self.record is None else _("Edit the joint activity"))
        # Translators: the partnership a joint activity belongs to.
        self.partnership_label.setText(_("Partnership: %(name)s") % {"name": pick(self.partnership.get("name"))})
        self.retranslate_rows()

    def raw(self) -> dict:
        return {
            "title": self.title.value(),
            "start_date": self.start.date().toString("yyyy-MM-dd"),
            "end_date": self.end.value(),
            "participants": self.participants.value(),
            "what_changed": self.what_changed.value(),
            "priority_ids": self.priorities.checked_ids(),
        }

    def check(self, raw: dict) -> Checked:
        from selfeval_app.core.errors import ValidationError

        checked = Checked(values=raw)
        if not any((raw.get("title") or {}).values()):
            checked.problems["title"] = ValidationError("title", collab.ERR_TITLE)
        if raw.get("end_date") and raw["end_date"] < raw["start_date"]:
            checked.problems["end_date"] = ValidationError("end_date", collab.ERR_END_BEFORE_START)
        return checked

    def job(self, raw: dict):
        partnership_id = self.partnership["id"]
        record_id = (self.record or {}).get("id")
        base_rev = (self.record or {}).get("rev")
        values = dict(raw)

        def job(session):
            if record_id is None:
                visibility = values.pop("visibility", None)
                return collab.add_joint_activity(session.store, partnership_id, values, visibility=visibility)
            return collab.update_joint_activity(session.store, record_id, values, base_rev=base_rev)

        return job
