"""The visit workspace (issue 12, item 3): the host's questions; the host's shared evaluation,
plan and evidence, read-only under a banner naming the host; the activity log, saved as the
reviewer types; the findings per question with the notes behind them; sending to the host.

Saving: each note or finding being edited has a `_Chain` (its id and rev, the editing session);
an edit starts a 1 s timer, and the pause hands the values to the worker, which saves them as the
reviewer identity on the rev the previous save made (`core/peer_review_reviewer.py`). Leaving a
note, a question, the tab, the page or the window saves at once. The bundle for the host is
written off the writer (encryption and the file), then the worker records it in the ledger.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import reviewer_views as rviews
from selfeval_app.core import peer_review_reviewer as rv
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.owner_scope import OwnerScope
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.evaluation.bitext import BiTextEditor
from selfeval_app.gui.language import Retranslatable, plain
from selfeval_app.gui.sharing.dialogs import bold
from selfeval_app.gui.sharing.page import BUNDLE_FILTER
from selfeval_app.gui.visits.page import label, pick, visit_dates

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1000
SAVING, SAVED, NOT_SAVED = N_("Saving…"), N_("Saved"), N_("Not saved")
NOTHING_SHARED = N_("Nothing of this kind was shared with you.")
NO_QUESTIONS = N_("The visit has no questions yet.")


@dataclass
class _Chain:
    """One note's or finding's saves, queued on the worker one behind another."""

    record_id: str | None = None
    rev: int | None = None
    session: str = field(default_factory=lambda: f"edit-{uuid.uuid4()}")
    failed: bool = False


class _Autosave:
    """Dirty flag, timer and in-flight count for one editor (notes or findings)."""

    def __init__(self, owner: QWidget, window, flush):
        self.window = window
        self.dirty = False
        self.in_flight = 0
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(flush)

    def edited(self) -> None:
        self.dirty = True
        self.timer.start()

    @property
    def busy(self) -> bool:
        return self.dirty or self.in_flight > 0


def _local_now(window) -> str:
    from selfeval_app.core.clock import london

    return window.clock.now_utc().astimezone(london()).strftime("%Y-%m-%dT%H:%M")


def _ro_banner(parent: QWidget) -> QLabel:
    banner = QLabel(parent)
    banner.setObjectName("readOnlyBanner")
    banner.setFrameShape(QFrame.Shape.StyledPanel)
    banner.setWordWrap(True)
    banner.setMargin(6)
    bold(banner)
    banner.setAutoFillBackground(True)
    banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
    banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
    return banner


def _fit_rows(view: QListWidget, most: int = 8) -> None:
    """A short list as tall as its rows (at most `most`, then it scrolls)."""
    rows = view.count()
    shown = max(1, min(rows, most))
    line = view.fontMetrics().lineSpacing()  # a question usually wraps to two lines
    height = sum(max(view.sizeHintForRow(r), 2 * line + 6) for r in range(min(rows, most))) if rows else line
    view.setFixedHeight(height + 2 * view.frameWidth() + 4 + (0 if rows <= shown else view.horizontalScrollBar().sizeHint().height()))


class HostRecordsView(Retranslatable, QWidget):
    """Another owner's evaluation, plan and evidence, read-only, under a banner naming them. Reads
    an `OwnerScope` (the LA view can use the same). No control here edits anything."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.scope: OwnerScope | None = None
        self.records: dict[str, list[dict]] = {}
        layout = QVBoxLayout(self)
        self.banner = _ro_banner(self)
        self.text = QTextBrowser(self)
        self.text.setObjectName("hostRecords")
        self.text.setOpenLinks(False)
        layout.addWidget(self.banner)
        layout.addWidget(self.text, 1)
        self.retranslate()

    def show_records(self, scope: OwnerScope, records: dict[str, list[dict]]) -> None:
        self.scope, self.records = scope, records
        self.retranslate()

    def retranslate(self) -> None:
        from selfeval_app.exchange_views import record_title

        self.banner.setText(self.scope.banner() if self.scope else "")
        self.banner.setAccessibleName(self.banner.text())
        self.text.setAccessibleName(_("The host school's shared records"))
        parts = []
        sections = (
            ("evaluation", N_("Self-evaluation"), "narrative"),
            ("priority", N_("Development plan: priorities"), "description"),
            ("action", N_("Development plan: actions"), "description"),
            ("evidence", N_("Evidence"), "summary"),
        )
        for type_name, heading, body in sections:
            found = self.records.get(type_name) or []
            parts.append(f"<h3>{escape(_(heading))}</h3>")
            if not found:
                parts.append(f"<p><i>{escape(_(NOTHING_SHARED))}</i></p>")
            for rec in found:
                title = pick(record_title(rec)) or "—"
                text = pick(rec.get(body))
                parts.append(f"<p><b>{escape(title)}</b></p>")
                if text and text != title:
                    parts.append("<p>" + escape(text).replace("\n", "<br>") + "</p>")
        self.text.setHtml("".join(parts))


class VisitWorkspace(Retranslatable, QWidget):
    backRequested = Signal()  # noqa: N815

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent)
        self.window_ = window
        self.ws: rv.Workspace | None = None
        self.visit_id: str | None = None
        self._closed = False
        self._loading = False
        outer = QVBoxLayout(self)

        top = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("backToVisits")
        self.back_button.clicked.connect(self.backRequested)
        top.addWidget(self.back_button)
        # The host's shared records in the app's usual pages, read-only, in a window of their own.
        self.open_host_button = QPushButton(self)
        self.open_host_button.setObjectName("openHostRecords")
        self.open_host_button.setEnabled(False)
        self.open_host_button.clicked.connect(self.open_host_records)
        top.addWidget(self.open_host_button)
        top.addStretch(1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("saveState")
        top.addWidget(self.state_label)
        outer.addLayout(top)
        self.title = bold(QLabel(self), 1.3)
        self.title.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addWidget(self.details)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("visitTabs")
        outer.addWidget(self.tabs, 1)

        # -- the host's questions
        self.questions_tab = QWidget(self.tabs)
        qv = QVBoxLayout(self.questions_tab)
        self.questions_banner = _ro_banner(self.questions_tab)
        self.questions_text = QTextBrowser(self.questions_tab)
        self.questions_text.setObjectName("questions")
        qv.addWidget(self.questions_banner)
        qv.addWidget(self.questions_text, 1)
        self.tabs.addTab(self.questions_tab, "")

        # -- the host's records
        self.host_view = HostRecordsView(self.tabs)
        self.tabs.addTab(self.host_view, "")

        # -- the activity log
        self.log_tab = QWidget(self.tabs)
        lv = QHBoxLayout(self.log_tab)
        splitter = QSplitter(Qt.Orientation.Horizontal, self.log_tab)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.new_note_button = QPushButton(left)
        self.new_note_button.setObjectName("newActivity")
        self.new_note_button.clicked.connect(self.new_note)
        self.notes_list = QListWidget(left)
        self.notes_list.setObjectName("activities")
        self.notes_list.setWordWrap(True)
        self.notes_list.currentRowChanged.connect(self._note_selected)
        left_layout.addWidget(self.new_note_button)
        left_layout.addWidget(self.notes_list, 1)
        self.note_editor = QWidget(splitter)
        form = QFormLayout(self.note_editor)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above their fields when narrow
        self.note_owner = QLabel(self.note_editor)
        self.note_owner.setWordWrap(True)
        self.kind_label = QLabel(self.note_editor)
        self.kind_combo = QComboBox(self.note_editor)
        self.kind_combo.setObjectName("activityKind")
        self.time_label = QLabel(self.note_editor)
        self.time_edit = QLineEdit(self.note_editor)
        self.time_edit.setObjectName("activityTime")
        self.place_label = QLabel(self.note_editor)
        self.place_edit = QLineEdit(self.note_editor)
        self.place_edit.setObjectName("activityPlace")
        self.who_label = QLabel(self.note_editor)
        self.who_edit = QLineEdit(self.note_editor)
        self.who_edit.setObjectName("activityWho")
        self.note_questions_label = QLabel(self.note_editor)
        self.note_questions = QListWidget(self.note_editor)
        self.note_questions.setObjectName("activityQuestions")
        self.note_questions.setWordWrap(True)
        self.note_text = BiTextEditor(N_("What was seen and heard"), min_lines=6, max_lines=30, headings=True, fill=True, parent=self.note_editor)
        self.note_text.setObjectName("activityText")
        for lab, w in (
            (self.kind_label, self.kind_combo),
            (self.time_label, self.time_edit),
            (self.place_label, self.place_edit),
            (self.who_label, self.who_edit),
            (self.note_questions_label, self.note_questions),
        ):
            lab.setBuddy(w)
            lab.setWordWrap(True)  # long Welsh labels at 200% text
            form.addRow(lab, w)
        form.addRow(self.note_owner)
        form.addRow(self.note_text)
        splitter.addWidget(left)
        splitter.addWidget(self.note_editor)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        lv.addWidget(splitter)
        self.tabs.addTab(self.log_tab, "")
        self.note_chain: _Chain | None = None
        self.note_mine = False
        self._note_chains: dict[str, _Chain] = {}
        self.note_save = _Autosave(self, window, self.flush_note)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._note_edited())
        for w in (self.time_edit, self.place_edit, self.who_edit):
            w.textEdited.connect(lambda _t: self._note_edited())
            w.editingFinished.connect(self.flush_note)
        self.note_questions.itemChanged.connect(lambda _item: self._note_edited())
        self.note_text.edited.connect(self._note_edited)
        self.note_text.focusLeft.connect(self.flush_note)

        # -- findings per question
        self.findings_tab = QWidget(self.tabs)
        fv = QVBoxLayout(self.findings_tab)
        qrow = QHBoxLayout()
        self.question_label = QLabel(self.findings_tab)
        self.question_combo = QComboBox(self.findings_tab)
        self.question_combo.setObjectName("findingQuestion")
        for combo in (self.question_combo, self.kind_combo):  # long questions never widen the page (200% text)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.question_label.setBuddy(self.question_combo)
        self.question_combo.currentIndexChanged.connect(lambda _i: self._question_selected())
        qrow.addWidget(self.question_label)
        qrow.addWidget(self.question_combo, 1)
        fv.addLayout(qrow)
        self.finding_owner = QLabel(self.findings_tab)
        self.finding_owner.setWordWrap(True)
        fv.addWidget(self.finding_owner)
        self.parts: dict[str, BiTextEditor] = {}
        self.part_labels: dict[str, QLabel] = {}
        for key, title in rv.FINDING_PARTS:
            heading = bold(QLabel(self.findings_tab))
            editor = BiTextEditor(title, min_lines=2, max_lines=12, parent=self.findings_tab)
            editor.setObjectName(f"finding_{key}")
            editor.edited.connect(self._finding_edited)
            editor.focusLeft.connect(self.flush_finding)
            fv.addWidget(heading)
            fv.addWidget(editor)
            self.parts[key], self.part_labels[key] = editor, heading
        self.finding_notes_label = bold(QLabel(self.findings_tab))
        self.finding_notes = QListWidget(self.findings_tab)
        self.finding_notes.setObjectName("findingNotes")
        self.finding_notes.setWordWrap(True)
        self.finding_notes_label.setBuddy(self.finding_notes)
        self.finding_notes.itemChanged.connect(lambda _item: self._finding_edited())
        fv.addWidget(self.finding_notes_label)
        fv.addWidget(self.finding_notes)
        self.tabs.addTab(self.findings_tab, "")
        self.finding_chain: _Chain | None = None
        self.finding_mine = False
        self._finding_chains: dict[str, _Chain] = {}
        self.finding_question: str | None = None
        self.finding_save = _Autosave(self, window, self.flush_finding)

        # -- sending
        self.send_tab = QWidget(self.tabs)
        sv = QVBoxLayout(self.send_tab)
        self.send_intro = QLabel(self.send_tab)
        self.send_intro.setWordWrap(True)
        self.send_button = QPushButton(self.send_tab)
        self.send_button.setObjectName("sendToHost")
        self.send_button.clicked.connect(lambda: self.send_to_host())
        self.send_lead_button = QPushButton(self.send_tab)
        self.send_lead_button.setObjectName("sendToLead")
        self.send_lead_button.clicked.connect(lambda: self.send_to_host(to="lead"))
        # Where sync is set up, the Send buttons queue for it; these keep the file.
        self.file_button = QPushButton(self.send_tab)
        self.file_button.setObjectName("sendToHostAsFile")
        self.file_button.clicked.connect(lambda: self.send_to_host(as_file=True))
        self.lead_file_button = QPushButton(self.send_tab)
        self.lead_file_button.setObjectName("sendToLeadAsFile")
        self.lead_file_button.clicked.connect(lambda: self.send_to_host(to="lead", as_file=True))
        self.report_button = QPushButton(self.send_tab)
        self.report_button.setObjectName("visitReport")
        self.report_button.clicked.connect(lambda: self.make_report())
        sv.addWidget(self.send_intro)
        for button in (self.send_lead_button, self.lead_file_button, self.send_button, self.file_button, self.report_button):  # one a line: narrow at 200% text
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            sv.addLayout(row)
        sv.addStretch(1)
        self.tabs.addTab(self.send_tab, "")

        self.tabs.currentChanged.connect(lambda _i: self.flush())
        window.worker.aboutToStop.connect(self._before_stop)
        self._set_state(SAVED)
        self.retranslate()

    # -- loading -------------------------------------------------------------------------------

    def open(self, visit_id: str) -> None:
        self.flush()
        self.visit_id = visit_id
        self.window_.run_job(lambda s: rv.workspace(s.store, visit_id), self._loaded, self._show_error, status=None, done_status=None)

    def reload(self) -> None:
        if self.visit_id and not self.has_unsaved_changes():
            self.open(self.visit_id)

    def _loaded(self, ws: rv.Workspace) -> None:
        keep_note = self.note_chain.record_id if self.note_chain else None
        keep_question = self.finding_question
        self.ws = ws
        self._note_chains, self._finding_chains = {}, {}
        self.note_chain = self.finding_chain = None
        self.retranslate()
        self._fill_notes(select=keep_note)
        self.finding_question = keep_question
        self._fill_question_combo()

    @property
    def reviewer(self) -> str | None:
        return self.ws.reviewer if self.ws else None

    def open_host_records(self):
        """The host's shared evaluation, evidence and plan in the usual pages, read-only."""
        from selfeval_app.gui.records_window import open_records_window

        if self.ws is None:
            return None
        visit = self.ws.visit
        return open_records_window(self.window_, visit["owner"], visit["host_name"])

    def _is_mine(self, rec: dict | None) -> bool:
        return rec is not None and self.reviewer is not None and rec.get("owner") == self.reviewer

    def _own_notes(self) -> list[dict]:
        return [n for n in (self.ws.notes if self.ws else []) if self._is_mine(n)]

    def _question_text(self, qid: str) -> str:
        for n, q in enumerate(self.ws.questions if self.ws else [], 1):
            if q["id"] == qid:
                return f"{n}. {pick(q.get('text'))}"
        return qid

    def _note_title(self, note: dict) -> str:
        when = (note.get("time") or "").replace("T", " ")
        kind = label(rv.NOTE_KIND_LABELS, note.get("kind"))
        place = pick(note.get("place")) if isinstance(note.get("place"), dict) else (note.get("place") or "")
        return " · ".join(p for p in (when, kind, place) if p)

    def _fill_notes(self, select: str | None = None) -> None:
        self._loading = True
        try:
            self.notes_list.clear()
            for note in self.ws.notes if self.ws else []:
                item = QListWidgetItem(self._note_title(note), self.notes_list)
                item.setData(Qt.ItemDataRole.UserRole, note["id"])
        finally:
            self._loading = False
        row = 0
        if select:
            for i in range(self.notes_list.count()):
                if self.notes_list.item(i).data(Qt.ItemDataRole.UserRole) == select:
                    row = i
        if self.notes_list.count():
            self.notes_list.setCurrentRow(row)
            self._note_selected(row)
        else:
            self._show_note(None)

    def _note(self, note_id: str | None) -> dict | None:
        return next((n for n in (self.ws.notes if self.ws else []) if n["id"] == note_id), None)

    def _note_selected(self, row: int) -> None:
        if self._loading:
            return
        item = self.notes_list.item(row) if row >= 0 else None
        note_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if self.note_chain is not None and self.note_chain.record_id == note_id:
            return
        self.flush_note()
        self._show_note(self._note(note_id))

    def _show_note(self, note: dict | None) -> None:
        self._loading = True
        try:
            if note is None:
                self.note_chain = None
            else:  # one chain per note: a save still on its way keeps its rev
                self.note_chain = self._note_chains.setdefault(note["id"], _Chain(note["id"], note["rev"]))
            mine = self._is_mine(note)
            self.note_mine = mine
            self.note_editor.setEnabled(note is not None)
            note = note or {}
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(note.get("kind") or "other")))
            self.time_edit.setText((note.get("time") or "").replace("T", " ", 1))  # stored YYYY-MM-DDTHH:MM
            self.place_edit.setText(note.get("place") or "")
            self.who_edit.setText(note.get("host_participant") or "")
            chosen = set(note.get("question_ids") or [])
            self.note_questions.clear()
            for q in self.ws.questions if self.ws else []:
                item = QListWidgetItem(self._question_text(q["id"]), self.note_questions)
                item.setData(Qt.ItemDataRole.UserRole, q["id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if q["id"] in chosen else Qt.CheckState.Unchecked)
            _fit_rows(self.note_questions)
            self.note_text.set_value(note.get("text"))
            for w in (self.time_edit, self.place_edit, self.who_edit):
                w.setReadOnly(not mine)
            self.kind_combo.setEnabled(mine)
            self.note_questions.setEnabled(mine)
            for box in self.note_text.boxes.values():
                box.setReadOnly(not mine)
            self.note_owner.setVisible(bool(note) and not mine)
        finally:
            self._loading = False

    def _fill_question_combo(self) -> None:
        current = self.finding_question
        self._loading = True
        try:
            self.question_combo.clear()
            for q in self.ws.questions if self.ws else []:
                self.question_combo.addItem(self._question_text(q["id"]), q["id"])
            index = self.question_combo.findData(current) if current else 0
            self.question_combo.setCurrentIndex(max(0, index))
        finally:
            self._loading = False
        self._question_selected(force=True)

    def _finding_for(self, qid: str | None) -> dict | None:
        found = [f for f in (self.ws.findings if self.ws else []) if f.get("question_id") == qid]
        mine = [f for f in found if self._is_mine(f)]
        return (mine or found or [None])[0]

    def _question_selected(self, force: bool = False) -> None:
        if self._loading:
            return
        qid = self.question_combo.currentData()
        if qid == self.finding_question and not force:
            return
        self.flush_finding()
        self.finding_question = qid
        finding = self._finding_for(qid)
        self._loading = True
        try:
            if qid not in self._finding_chains:  # one chain per question, kept while saves are on their way
                self._finding_chains[qid] = _Chain(finding["id"], finding["rev"]) if finding is not None and finding.get("id") else _Chain()
            self.finding_chain = self._finding_chains[qid]
            mine = finding is None and self.reviewer is not None or self._is_mine(finding)
            self.finding_mine = mine  # what is shown may be edited (not the chain's state, which the worker moves on)
            for key, editor in self.parts.items():
                editor.set_value((finding or {}).get(key))
                for box in editor.boxes.values():
                    box.setReadOnly(not mine)
            linked = set((finding or {}).get("note_ids") or [])
            self.finding_notes.clear()
            for note in self._own_notes():  # a finding links only its writer's notes (the store's rule)
                item = QListWidgetItem(self._note_title(note), self.finding_notes)
                item.setData(Qt.ItemDataRole.UserRole, note["id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if note["id"] in linked else Qt.CheckState.Unchecked)
            self.finding_notes.setEnabled(mine)
            self.findings_tab.setEnabled(qid is not None)
            authors = ", ".join((finding or {}).get("authors") or [])
            self.finding_owner.setText(_("Written by %(authors)s — read only") % {"authors": authors} if finding is not None and not mine else "")
            self.finding_owner.setVisible(finding is not None and not mine)
        finally:
            self._loading = False

    # -- the activity log ------------------------------------------------------------------------

    def new_note(self) -> None:
        """A new activity, now: saved at once, then written into as it happens."""
        if self.ws is None or self.reviewer is None:
            return
        self.flush_note()
        visit_id = self.visit_id
        values = {"kind": "other", "time": _local_now(self.window_), "question_ids": [], "text": {"cy": "", "en": ""}}

        def done(note) -> None:
            self.ws.notes.append(note)
            self._fill_notes(select=note["id"])
            self._fill_finding_notes_keep()
            self.tabs.setCurrentWidget(self.log_tab)
            box = self.note_text.boxes["cy"] if self.note_text.boxes["cy"].isVisible() else self.note_text.boxes["en"]
            box.setFocus()

        self.window_.run_job(lambda s: rv.save_note(s.store, visit_id, None, values), done, self._save_failed_note, status=None, done_status=None)

    def _fill_finding_notes_keep(self) -> None:
        """The note picker lists a new note too (the finding's links unchanged)."""
        known = {self.finding_notes.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.finding_notes.count())}
        self._loading = True
        try:
            for note in self._own_notes():
                if note["id"] not in known:
                    item = QListWidgetItem(self._note_title(note), self.finding_notes)
                    item.setData(Qt.ItemDataRole.UserRole, note["id"])
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
        finally:
            self._loading = False

    def note_values(self) -> dict:
        return {
            "kind": self.kind_combo.currentData() or "other",
            "time": " ".join(self.time_edit.text().split()).replace(" ", "T", 1),
            "place": self.place_edit.text().strip(),
            "host_participant": self.who_edit.text().strip(),
            "question_ids": [
                self.note_questions.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.note_questions.count())
                if self.note_questions.item(i).checkState() == Qt.CheckState.Checked
            ],
            "text": self.note_text.value(),
        }

    def _note_edited(self) -> None:
        if self._loading or self.note_chain is None or not self.note_mine:
            return
        self.note_save.edited()
        self._set_state(SAVING)

    def flush_note(self) -> None:
        saver, chain = self.note_save, self.note_chain
        saver.timer.stop()
        if not saver.dirty or chain is None or chain.failed or self._closed:
            return
        saver.dirty = False
        saver.in_flight += 1
        values, visit_id = self.note_values(), self.visit_id
        if self.ws is not None:  # what is shown again before the save returns is what was typed
            self.ws.notes = [{**n, **values} if n["id"] == chain.record_id else n for n in self.ws.notes]

        def job(s):
            rec = rv.save_note(s.store, visit_id, chain.record_id, values, base_rev=chain.rev, session=chain.session)
            chain.record_id, chain.rev = rec["id"], rec["rev"]
            return rec

        def done(rec) -> None:
            saver.in_flight -= 1
            if self.ws is not None and self.ws.visit["id"] == visit_id:
                self.ws.notes = [rec if n["id"] == rec["id"] else n for n in self.ws.notes]
                title = self._note_title(rec)
                for i in range(self.notes_list.count()):
                    item = self.notes_list.item(i)
                    if item.data(Qt.ItemDataRole.UserRole) == rec["id"] and item.text() != title:
                        item.setText(title)  # only when the time, kind or place changed
            self._after_job()

        def failed(error) -> None:
            saver.in_flight -= 1
            chain.failed = True
            self._save_failed_note(error)

        self.window_.run_job(job, done, failed, status=SAVING, done_status=None)

    def _save_failed_note(self, error) -> None:
        self._set_state(NOT_SAVED)
        self._show_error(error)

    # -- findings ---------------------------------------------------------------------------------

    def finding_values(self) -> dict:
        values: dict = {key: editor.value() for key, editor in self.parts.items()}
        values["note_ids"] = [
            self.finding_notes.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.finding_notes.count())
            if self.finding_notes.item(i).checkState() == Qt.CheckState.Checked
        ]
        return values

    def _finding_edited(self) -> None:
        if self._loading or self.finding_chain is None or not self.finding_mine:
            return
        self.finding_save.edited()
        self._set_state(SAVING)

    def flush_finding(self) -> None:
        saver, chain, qid = self.finding_save, self.finding_chain, self.finding_question
        saver.timer.stop()
        if not saver.dirty or chain is None or chain.failed or qid is None or self._closed:
            return
        saver.dirty = False
        saver.in_flight += 1
        values, visit_id = self.finding_values(), self.visit_id
        if self.ws is not None:  # what is shown again before the save returns is what was typed
            mine = self._finding_for(qid)
            if mine is not None and self._is_mine(mine):
                self.ws.findings = [{**f, **values} if f is mine else f for f in self.ws.findings]
            else:
                self.ws.findings.append({**values, "id": chain.record_id, "question_id": qid, "owner": self.reviewer, "authors": []})

        def job(s):
            rec = rv.save_finding(s.store, visit_id, qid, chain.record_id, values, base_rev=chain.rev, session=chain.session)
            chain.record_id, chain.rev = rec["id"], rec["rev"]
            return rec

        def done(rec) -> None:
            saver.in_flight -= 1
            if self.ws is not None and self.ws.visit["id"] == visit_id:
                others = [f for f in self.ws.findings if not (f.get("question_id") == qid and f.get("owner") == rec["owner"])]
                self.ws.findings = [*others, rec]
            self._after_job()

        def failed(error) -> None:
            saver.in_flight -= 1
            chain.failed = True
            self._set_state(NOT_SAVED)
            self._show_error(error)

        self.window_.run_job(job, done, failed, status=SAVING, done_status=None)

    # -- saving state ---------------------------------------------------------------------------

    def flush(self) -> None:
        self.flush_note()
        self.flush_finding()

    def has_unsaved_changes(self) -> bool:
        return self.note_save.busy or self.finding_save.busy

    def _after_job(self) -> None:
        if not self.has_unsaved_changes() and self._state != NOT_SAVED:
            self._set_state(SAVED)
            self.window_.show_status(SAVED)

    def _set_state(self, state: str) -> None:
        if getattr(self, "_state", None) == state and self.state_label.text() == _(state):
            return  # each keystroke asks for "Saving…": the label changes only when the state does
        self._state = state
        self.state_label.setText(_(state))
        self.state_label.setAccessibleName(_("Saved state: %(state)s") % {"state": _(state)})

    def _before_stop(self) -> None:
        self.flush()
        self._closed = True

    def hideEvent(self, event):  # noqa: N802 - leaving the page
        self.flush()
        super().hideEvent(event)

    def _show_error(self, error) -> None:
        text = error.message() if isinstance(error, UserFacingError) else _("Something went wrong. Nothing was changed.")
        dialogs().warning(self, _("Visits I review"), text)

    # -- sending ----------------------------------------------------------------------------------

    def _by_sync(self) -> bool:
        session = getattr(self.window_, "session", None)
        reader = session.reader if session is not None else None
        return reader is not None and rviews.sync_ready(reader)

    def send_to_host(self, path: str | None = None, *, to: str = "host", as_file: bool = False) -> None:
        """Write the bundle for the host school (or, `to="lead"`, a team member's notes for the
        lead reviewer): the pending saves first, then the file off the writer, then the ledger.
        Where sync is set up (and no file is asked for), the bundle is queued for sync instead."""
        if self.ws is None:
            return
        if path is None and not as_file and self._by_sync():
            self.queue_to_host(to=to)
            return
        self.flush()
        host = pick(self.ws.visit["host_name"])
        suggested = _("Visit notes for %(host)s") % {"host": host}
        from selfeval_app.exchange_views import _safe_file_part

        title = _("Send to the lead reviewer") if to == "lead" else _("Send to the host school")
        path = path or dialogs().save_file(self, title, str(Path.home() / (_safe_file_part(suggested) + ".selfeval-bundle")), _(BUNDLE_FILTER))
        if not path:
            return
        if not path.endswith(".selfeval-bundle"):
            path += ".selfeval-bundle"
        visit_id = self.visit_id

        def recorded(written) -> None:
            self.last_sent = written
            self.window_.show_status(N_("Bundle written."))
            if to == "lead":
                text = _("Your notes for %(host)s were written to %(path)s (%(count)d records). Send this file to the lead reviewer; only they can open it.")
            else:
                text = _("Your notes and findings for %(host)s were written to %(path)s (%(count)d records). Send this file to the host school; only it can open it.")
            dialogs().information(self, _("Bundle written"), text % {"host": host, "path": written.path, "count": written.records})

        self._seal_after_saves(
            lambda reader: rviews.write_to_host(reader, visit_id, Path(path), to=to), rviews.note_sent, recorded
        )

    def _seal_after_saves(self, seal, record, done) -> None:
        """Queued behind the pending saves, so what is sealed is what was typed: `seal(reader)`
        off the writer on a connection of its own (encryption and the file), then
        `record(store, result)` on the writer, then `done(result)`."""
        session = self.window_.session

        def after_saves(_r=None) -> None:
            def work():
                reader = session.private_reader()
                try:
                    return seal(reader)
                finally:
                    reader.conn.close()

            self.window_.run_off_writer(work, sealed, self._show_error, status=N_("Writing the bundle…"))

        def sealed(result) -> None:
            self.window_.run_job(lambda s: record(s.store, result), lambda _r: done(result), self._show_error, status=None, done_status=None)

        self.window_.run_job(lambda _s: None, after_saves, self._show_error, status=None, done_status=None)

    def queue_to_host(self, *, to: str = "host") -> None:
        """By sync: the pending saves first, then sealed into the sync outbox off the writer, then
        queued on the writer; it goes at the next sync, and counts as sent on the receipt."""
        if self.ws is None:
            return
        self.flush()
        visit_id = self.visit_id

        def queued_done(queued) -> None:
            self.last_sent = queued
            self.window_.show_status(N_("The bundle waits for the next sync."))
            text = _("Queued for %(name)s: it goes at the next sync.") % {"name": pick(queued.recipient_name)}
            if not queued.new:
                text = _("This is already waiting for %(name)s: it goes at the next sync.") % {"name": pick(queued.recipient_name)}
            dialogs().information(self, _("Waiting for sync"), text)

        self._seal_after_saves(lambda reader: rviews.seal_for_sync(reader, visit_id, to=to), rviews.queue_sent, queued_done)

    def make_report(self, path: str | None = None) -> None:
        """The visit's report as a PDF, Welsh first (a draft until the host holds the agreed
        copy), rendered off the writer on a reader of its own."""
        if self.ws is None:
            return
        self.flush()
        host = pick(self.ws.visit["host_name"])
        from selfeval_app.exchange_views import _safe_file_part

        suggested = _safe_file_part(_("Visit report %(host)s") % {"host": host}) + ".pdf"
        path = path or dialogs().save_file(self, _("Save the report as"), str(Path.home() / suggested), _("PDF files (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        visit_id, session, today = self.visit_id, self.window_.session, self.window_.clock.today()

        def after_saves(_r=None) -> None:
            def work():
                from selfeval_app.reports.peer_review import make_peer_review_report

                reader = session.private_reader()
                try:
                    return make_peer_review_report(reader, visit_id, Path(path), lang="both", today=today)
                finally:
                    reader.conn.close()

            def done(result) -> None:
                self.last_report = result
                self.window_.show_status(N_("The report is ready."))
                dialogs().open_document(self, result.path)

            self.window_.run_off_writer(work, done, self._show_error, status=N_("Making the report…"))

        self.window_.run_job(lambda _s: None, after_saves, self._show_error, status=None, done_status=None)

    # -- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.back_button.setText(_("← Back to the visits"))
        self.back_button.setAccessibleName(_("Back to the visits"))
        self.open_host_button.setText(_("&Open the host's records…"))
        self.open_host_button.setAccessibleName(_("Open the host's records"))
        self.open_host_button.setToolTip(_("The host school's shared self-evaluation, evidence and development plan in the app's usual pages, read only, in a window of their own"))
        self.tabs.setTabText(0, _("Questions"))
        self.tabs.setTabText(1, _("The host's records"))
        self.tabs.setTabText(2, _("Activity log"))
        self.tabs.setTabText(3, _("Findings"))
        self.tabs.setTabText(4, _("Send"))
        self.tabs.setAccessibleName(_("The visit"))
        self.state_label.setText(_(self._state))
        self.new_note_button.setText(_("&New activity"))
        self.notes_list.setAccessibleName(_("Activities"))
        self.kind_label.setText(_("&Kind:"))
        self.time_label.setText(_("&Time:"))
        self.place_label.setText(_("&Place:"))
        self.who_label.setText(_("&Who from the school took part:"))
        self.note_questions_label.setText(_("&Questions it informs:"))
        for lab, w in (
            (self.kind_label, self.kind_combo),
            (self.time_label, self.time_edit),
            (self.place_label, self.place_edit),
            (self.who_label, self.who_edit),
            (self.note_questions_label, self.note_questions),
        ):
            w.setAccessibleName(plain(lab.text()))
        self.time_edit.setPlaceholderText(_("YYYY-MM-DD HH:MM"))
        current = self.kind_combo.currentData()
        self._loading, was = True, self._loading
        try:
            self.kind_combo.clear()
            for key, message in rv.NOTE_KIND_LABELS.items():
                self.kind_combo.addItem(_(message), key)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current or "learning_walk")))
        finally:
            self._loading = was
        self.note_text.retranslate()
        for editor in self.parts.values():
            editor.retranslate()
        self.note_owner.setText(_("A team member's note — read only"))
        self.question_label.setText(_("&Question:"))
        self.question_combo.setAccessibleName(plain(self.question_label.text()))
        for key, title in rv.FINDING_PARTS:
            self.part_labels[key].setText(_(title))
        self.finding_notes_label.setText(_("The notes behind it"))
        self.finding_notes.setAccessibleName(_("The notes behind it"))
        by_sync = self._by_sync()
        if by_sync:
            self.send_button.setText(_("Send to the host school by sync…"))
            self.send_lead_button.setText(_("Send my notes to the lead reviewer by sync…"))
        else:
            self.send_button.setText(_("Send to the host school…"))
            self.send_lead_button.setText(_("Send my notes to the lead reviewer…"))
        self.file_button.setText(_("Save for the host school as a file instead…"))
        self.lead_file_button.setText(_("Save my notes for the lead reviewer as a file instead…"))
        self.file_button.setVisible(by_sync)
        self.report_button.setText(_("Make the visit's report (PDF)…"))
        self.questions_text.setAccessibleName(_("The host school's questions"))
        ws = self.ws
        self.open_host_button.setEnabled(ws is not None)
        if ws is None:
            self.title.setText("")
            self.details.setText("")
            self.send_intro.setText("")
            self.lead_file_button.setVisible(False)
            return
        visit = ws.visit
        host = pick(visit["host_name"])
        self.title.setText(host)
        role = rv.my_role(visit, ws.reviewer) if ws.reviewer else None
        # Translators: a visit's dates, kind and status, e.g. "2026-12-02 – 2026-12-03 · Peer review · Visit under way".
        details = _("%(dates)s · %(kind)s · %(status)s") % {
            "dates": visit_dates(visit),
            "kind": label(rv.VISIT_KIND_LABELS, visit.get("kind")),
            "status": label(rv.STATUS_LABELS, visit.get("status")),
        }
        if role:
            details += "\n" + _("You: %(role)s") % {"role": label(rv.ROLE_LABELS, role)}
        self.details.setText(details)
        scope = OwnerScope(visit["owner"], visit["host_name"])
        self.questions_banner.setText(scope.banner())
        self.questions_banner.setAccessibleName(scope.banner())
        html = []
        for n, q in enumerate(ws.questions, 1):
            html.append(f"<p><b>{n}.</b> {escape(pick(q.get('text')))}</p>")
        if not html:
            html.append(f"<p><i>{escape(_(NO_QUESTIONS))}</i></p>")
        self.questions_text.setHtml("".join(html))
        self.host_view.show_records(scope, ws.host_records)
        self.send_intro.setText(
            _(
                "Send your notes and findings for this visit to %(host)s: a bundle sealed to the "
                "school, to save and hand over. Only what you wrote as a peer reviewer goes, never "
                "anything of your own school."
            )
            % {"host": host}
        )
        self.new_note_button.setEnabled(ws.reviewer is not None)
        lead = rviews.lead_of(visit)
        self.send_lead_button.setVisible(bool(lead) and role not in (None, "lead"))
        self.lead_file_button.setVisible(by_sync and bool(lead) and role not in (None, "lead"))
        self.send_button.setEnabled(ws.reviewer is not None)
        self.file_button.setEnabled(ws.reviewer is not None)
