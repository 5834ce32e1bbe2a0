"""The Peer review page (the host's side, issue 12): the visits the school holds and their
findings; a visit editor; what the reviewers may see (a chooser) and a preview of exactly what
each reviewer's pack holds; sending the pack (read on the database writer, signed and encrypted
off it, noted on the writer); importing the reviewers' bundle (their findings show read-only,
marked as theirs); the host's response per finding; "Add to our plan"; the agreed report kept
as the school's own copy; the report PDF (made off the writer); and whether the findings go to
the local authority (by default it sees only that the visit happened)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import peer_review_views as views
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import RECORD_TYPES
from selfeval_app.exchange_views import pick
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.form_widgets import refill_combo
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.plan.page import cell, readonly_table
from selfeval_app.gui.plan.widgets import name_headers
from selfeval_app.gui.plan.words import date_text

REVIEW_TYPES = {"review_visit", "review_finding", "review_response", "review_report", "review_summary", "review_note", "action", "priority"}
BUNDLE_FILTER = N_("Bundles (*.selfeval-bundle)")
PDF_FILTER = N_("PDF files (*.pdf)")


def _text_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


class PeerReviewPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self._stale = True
        self.rows: list[dict] = []
        self.contacts: list[dict] = []
        self.detail: dict | None = None
        self.dialog = None  # the dialog open now (tests reach it here)
        self.last_written: dict | None = None
        v = QVBoxLayout(self)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        v.addWidget(self.heading)
        self.intro = _text_label(self)
        v.addWidget(self.intro)

        self.visits = readonly_table(self, 5)
        self.visits.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.visits.currentCellChanged.connect(lambda *_a: self.show_visit())
        self.visits.itemActivated.connect(lambda _i: self.edit_visit())
        lines = self.fontMetrics().lineSpacing()  # follows the text size
        self.visits.setMinimumHeight(lines * 5)
        self.visits.setMaximumHeight(lines * 12)
        v.addWidget(self.visits)
        row = QHBoxLayout()
        self.new_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.choose_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        for b in (self.new_button, self.edit_button, self.choose_button, self.import_button, self.pdf_button):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.new_button.clicked.connect(lambda: self.edit_visit(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_visit())
        self.choose_button.clicked.connect(self.choose_records)
        self.import_button.clicked.connect(self.import_bundle)
        self.pdf_button.clicked.connect(self.make_pdf)

        send_row = QHBoxLayout()
        self.reviewer_label = QLabel(self)
        self.reviewer = QComboBox(self)
        self.reviewer_label.setBuddy(self.reviewer)
        self.send_button = QPushButton(self)
        self.send_button.clicked.connect(lambda: self.send_pack())
        # Where sync is set up, "Send" queues the pack for it; this keeps the file.
        self.file_button = QPushButton(self)
        self.file_button.setObjectName("packAsFile")
        self.file_button.clicked.connect(lambda: self.send_pack(as_file=True))
        send_row.addWidget(self.reviewer_label)
        send_row.addWidget(self.reviewer, 1)
        send_row.addWidget(self.send_button)
        send_row.addWidget(self.file_button)
        v.addLayout(send_row)
        self.facts = _text_label(self)
        v.addWidget(self.facts)
        self.share = QCheckBox(self)
        self.share.toggled.connect(self._share_toggled)
        v.addWidget(self.share)
        self.share_note = _text_label(self)
        v.addWidget(self.share_note)

        self.findings_box = QGroupBox(self)
        fv = QVBoxLayout(self.findings_box)
        self.findings_note = _text_label(self.findings_box)
        fv.addWidget(self.findings_note)
        self.findings = QListWidget(self.findings_box)
        self.findings.currentRowChanged.connect(lambda _r: self.show_finding())
        self.findings.setMaximumHeight(lines * 10)
        fv.addWidget(self.findings)
        self.finding_text = QPlainTextEdit(self.findings_box)
        self.finding_text.setReadOnly(True)
        self.finding_text.setTabChangesFocus(True)
        self.finding_text.setMinimumHeight(self.finding_text.fontMetrics().lineSpacing() * 6)
        fv.addWidget(self.finding_text)
        self.response_text = _text_label(self.findings_box)
        fv.addWidget(self.response_text)
        frow = QHBoxLayout()
        self.respond_button = QPushButton(self.findings_box)
        self.plan_button = QPushButton(self.findings_box)
        self.action_button = QPushButton(self.findings_box)
        self.agree_button = QPushButton(self.findings_box)
        for b in (self.respond_button, self.plan_button, self.action_button, self.agree_button):
            frow.addWidget(b)
        frow.addStretch(1)
        fv.addLayout(frow)
        self.respond_button.clicked.connect(self.respond)
        self.plan_button.clicked.connect(self.add_to_plan)
        self.action_button.clicked.connect(self.go_to_action)
        self.agree_button.clicked.connect(self.keep_agreed_report)
        v.addWidget(self.findings_box, 1)
        self.retranslate()

    # -- data ----------------------------------------------------------------------------------

    @property
    def reader(self):
        return self.window_.session.reader

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & REVIEW_TYPES:
            self._stale = True
            if self.isVisible() or self.window_.current_page_key() == "peer_review":
                self.reload()

    def reload(self, select_id: str | None = None) -> None:
        self._stale = False
        current = select_id or self.current_visit_id()
        self.rows = views.visits(self.reader)
        self.contacts = views.reviewer_contacts(self.reader)
        self.fill(current)

    def current_visit_id(self) -> str | None:
        item = self.visits.item(self.visits.currentRow(), 0) if self.visits.currentRow() >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_row(self) -> dict | None:
        vid = self.current_visit_id()
        return next((r for r in self.rows if r["id"] == vid), None)

    def current_finding(self) -> dict | None:
        if self.detail is None:
            return None
        i = self.findings.currentRow()
        return self.detail["findings"][i] if 0 <= i < len(self.detail["findings"]) else None

    # -- showing ---------------------------------------------------------------------------------

    def fill(self, select_id: str | None = None) -> None:
        self.visits.blockSignals(True)
        self.visits.setRowCount(len(self.rows))
        chosen = 0
        for r, row in enumerate(self.rows):
            dates = date_text(row["start_date"])
            if row["end_date"] and row["end_date"] != row["start_date"]:
                dates = _("%(first)s to %(last)s") % {"first": dates, "last": date_text(row["end_date"])}
            self.visits.setItem(r, 0, cell(pick(row["host_name"]), row["id"]))
            self.visits.setItem(r, 1, cell(views.word(views.VISIT_KIND_NAMES, row["kind"])))
            self.visits.setItem(r, 2, cell(dates))
            self.visits.setItem(r, 3, cell(views.word(views.VISIT_STATUS_NAMES, row["status"])))
            self.visits.setItem(r, 4, cell(qlocale().toString(row["findings"])))
            if row["id"] == select_id:
                chosen = r
        if self.rows:
            self.visits.setCurrentCell(chosen, 0)
        self.visits.resizeColumnsToContents()
        self.visits.resizeRowsToContents()
        self.visits.blockSignals(False)
        text = (
            _("Visits: %(count)d.") % {"count": len(self.rows)}
            if self.rows
            else _("There are no visits yet. “New visit…” prepares one: its questions, its team and what the reviewers may see.")
        )
        self.visits.setAccessibleDescription(text)
        self.show_visit()

    def show_visit(self) -> None:
        row = self.current_row()
        before = self.current_finding()
        keep = before["id"] if before and self.detail and row and self.detail["visit"]["id"] == row["id"] else None
        self.detail = views.visit_detail(self.reader, row["id"]) if row else None
        ours = bool(row and row["ours"])
        for b in (self.edit_button, self.choose_button):
            b.setEnabled(ours)
        self.pdf_button.setEnabled(row is not None)
        members = views.team_reviewers(self.detail["visit"]) if ours and self.detail else []
        known = {c["identity_id"]: c for c in self.contacts}
        # Translators: a reviewer in the list of whom to send the pack, e.g. "Mr Huw Bowen (Lead reviewer)".
        items = [
            (m["identity_id"], _("%(name)s (%(role)s)") % {"name": m.get("name") or pick(known[m["identity_id"]]["name"]), "role": views.word(views.ROLE_NAMES, m["role"])})
            for m in members
            if m["identity_id"] in known
        ]
        refill_combo(self.reviewer, items)
        self.reviewer.setEnabled(bool(items))
        self.send_button.setEnabled(bool(items))
        self.file_button.setEnabled(bool(items))
        self._sync_words()
        self.share.blockSignals(True)
        self.share.setChecked(bool(self.detail and self.detail["visit"].get("share_findings")))
        self.share.setEnabled(ours)
        self.share.blockSignals(False)
        self.facts.setText(self._facts_text())
        self.facts.setAccessibleName(self.facts.text() or _("The visit"))
        self.findings.blockSignals(True)
        self.findings.clear()
        for n, f in enumerate(self.detail["findings"] if self.detail else [], start=1):
            question = pick(f["question"]) or _("Question")
            mark = _("agreed") if f["agreed"] else _("draft")
            QListWidgetItem(_("%(number)d. %(question)s (%(state)s)") % {"number": n, "question": question, "state": mark}, self.findings)
        self.findings.blockSignals(False)
        if self.findings.count():
            fids = [f["id"] for f in self.detail["findings"]]
            self.findings.setCurrentRow(fids.index(keep) if keep in fids else 0)
        self.agree_button.setEnabled(ours and bool(self.detail and self.detail["findings"]))
        self.show_finding()

    def _facts_text(self) -> str:
        if self.detail is None:
            return ""
        v = self.detail["visit"]
        parts = []
        questions = [pick(q.get("text")) for q in v.get("questions") or []]
        parts.append(_("Questions: %(count)d.") % {"count": len(questions)})
        team = ", ".join(f"{m.get('name')} ({views.word(views.ROLE_NAMES, m.get('role'))})" for m in v.get("team") or [])
        if team:
            parts.append(_("Team: %(names)s.") % {"names": team})
        if v.get("follow_up"):
            parts.append(_("Follow-up: %(date)s.") % {"date": date_text(v["follow_up"])})
        report = self.detail["report"]
        if report is not None:
            parts.append(_("The agreed report is the school's own copy: agreed on %(date)s, by %(authors)s.") % {
                "date": date_text(report["agreed_on"]), "authors": ", ".join(report.get("authors") or []) or "–"})
        return " ".join(parts)

    def show_finding(self) -> None:
        f = self.current_finding()
        ours_visit = bool(self.detail and self.detail["ours"])
        self.respond_button.setEnabled(f is not None and ours_visit)
        self.plan_button.setEnabled(f is not None and ours_visit)
        self.action_button.setEnabled(bool(f and f["action"]))
        if f is None:
            self.finding_text.setPlainText("")
            self.response_text.setText("")
            return
        self.finding_text.setPlainText(views.finding_text(f))
        self.finding_text.setAccessibleDescription(self.finding_text.toPlainText())
        lines = []
        response = f["response"]
        if response:
            line = _("Our response: %(kind)s.") % {"kind": views.word(views.RESPONSE_NAMES, response["response"])}
            if pick(response.get("text")):
                line += " " + pick(response.get("text"))
            lines.append(line)
        else:
            lines.append(_("No response from the school yet."))
        if f["action"]:
            lines.append(_("In our plan as the action: %(action)s") % {"action": pick(f["action"].get("description"))})
        self.response_text.setText("\n".join(lines))
        self.response_text.setAccessibleName(self.response_text.text())

    # -- the visit ---------------------------------------------------------------------------------------

    def _writes_in(self) -> str:
        return (self.window_.school() or {}).get("writes_in") or "both"

    def edit_visit(self, new: bool = False):
        from selfeval_app.gui.peer_review.dialogs import VisitDialog

        row = None if new else self.current_row()
        if not new and (row is None or not row["ours"]):
            return None
        visit = None if new else self.detail["visit"]
        year = self.window_.clock.today().year if self.window_.clock.today().month >= 9 else self.window_.clock.today().year - 1
        dialog = VisitDialog(self.window_, self, visit, self.contacts, views.link_choices(self.reader, year))
        dialog.accepted.connect(lambda: self.reload(getattr(dialog, "saved_record", {}).get("id")))
        self.dialog = dialog
        dialog.open()
        return dialog

    def choose_records(self):
        from selfeval_app.gui.peer_review.dialogs import ChooseRecordsDialog

        row = self.current_row()
        if row is None or not row["ours"]:
            return None
        visit_id = row["id"]
        dialog = ChooseRecordsDialog(self, views.choosable(self.reader, visit_id))

        def save() -> None:
            from selfeval_app.core.peer_review_host import choose_records

            ids = dialog.chosen_ids()
            self.window_.run_job(lambda s: choose_records(s.store, visit_id, ids), lambda _r: self.reload(visit_id))

        dialog.accepted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _share_toggled(self, on: bool) -> None:
        row = self.current_row()
        if row is None or not row["ours"]:
            return
        from selfeval_app.core.peer_review_host import set_share_findings

        visit_id = row["id"]
        self.window_.run_job(lambda s: set_share_findings(s.store, visit_id, on), lambda _r: self.reload(visit_id))

    # -- the pack ------------------------------------------------------------------------------------------

    def _by_sync(self) -> bool:
        session = getattr(self.window_, "session", None)
        reader = session.reader if session is not None else None
        return reader is not None and views.sync_ready(reader)

    def _sync_words(self) -> None:
        """"Send" says whether it goes by sync; the file stays one click away."""
        by_sync = self._by_sync()
        if by_sync:
            self.send_button.setText(_("&Send the pack by sync…"))
            self.send_button.setAccessibleName(_("Send the pack to the chosen reviewer by sync"))
        else:
            self.send_button.setText(_("&Send the pack…"))
            self.send_button.setAccessibleName(_("Send the pack to the chosen reviewer"))
        self.file_button.setText(_("Save as a &file instead…"))
        self.file_button.setAccessibleName(_("Save the pack as a file instead"))
        self.file_button.setVisible(by_sync)

    def send_pack(self, as_file: bool = False):
        row = self.current_row()
        recipient = self.reviewer.currentData()
        if row is None or recipient is None:
            return
        visit_id = row["id"]

        def show(preview) -> None:
            from selfeval_app.gui.peer_review.dialogs import PackPreviewDialog

            dialog = PackPreviewDialog(self, preview)
            dialog.accepted.connect(lambda: self.write_pack(preview, as_file=as_file))
            self.dialog = dialog
            dialog.open()

        self.window_.run_job(lambda s: views.pack_preview(s.store, visit_id, recipient), show, self._show_error, status=None, done_status=None)

    def write_pack(self, preview: views.PackPreview, path: str | None = None, *, as_file: bool = False) -> None:
        if path is None and not as_file and self._by_sync():
            self.queue_pack(preview)
            return
        if path is None:
            today = self.window_.clock.today().isoformat()
            suggested = views.suggested_pack_name(preview.recipient_name, today)
            path = dialogs().save_file(self, _("Write the visit's pack"), str(Path.home() / suggested), _(BUNDLE_FILTER))
            if not path:
                return
        if not path.endswith(".selfeval-bundle"):
            path += ".selfeval-bundle"
        out = path

        def sealed(result) -> None:
            pack, manifest = result

            def noted(_visit) -> None:
                self.last_written = {"path": out, "manifest": manifest}
                self.window_.show_status(N_("Bundle written."))
                self.reload(preview.visit_id)
                dialogs().information(
                    self, _("Pack written"),
                    _("The visit's pack was written to %(path)s. Send this file to %(name)s; only they can open it.") % {"path": out, "name": pick(preview.recipient_name)},
                )

            self.window_.run_job(lambda s: views.note_pack_sent(s.store, pack, manifest), noted, self._show_error, status=None, done_status=None)

        def prepared(pack) -> None:
            self.window_.run_off_writer(lambda: (pack, views.seal_pack(pack, Path(out))), sealed, self._show_error, status=N_("Writing the bundle…"))

        self.window_.run_job(lambda s: views.prepare_pack(s.store, preview), prepared, self._show_error, status=None, done_status=None)

    def queue_pack(self, preview: views.PackPreview) -> None:
        """By sync: sealed off the writer into the sync outbox, queued on the writer."""

        def queued(_visit) -> None:
            self.window_.show_status(N_("The pack waits for the next sync."))
            self.reload(preview.visit_id)
            dialogs().information(
                self, _("Pack waiting for sync"),
                _("Queued for %(name)s: it goes at the next sync.") % {"name": pick(preview.recipient_name)}
                + " " + _("It counts as sent when their receipt comes back."),
            )

        def sealed(result) -> None:
            pack, manifest, name = result
            self.window_.run_job(lambda s: views.queue_pack_for_sync(s.store, pack, manifest, name), queued, self._show_error, status=None, done_status=None)

        def prepared(result) -> None:
            pack, folder = result
            self.window_.run_off_writer(lambda: (pack, *views.seal_pack_for_sync(pack, folder)), sealed, self._show_error, status=N_("Writing the bundle…"))

        self.window_.run_job(
            lambda s: (views.prepare_pack(s.store, preview), views.sync_outbox_folder(s.store)), prepared, self._show_error, status=None, done_status=None
        )

    def import_bundle(self, path: str | None = None) -> None:
        from selfeval_app import exchange_views

        path = path or dialogs().open_file(self, _("Import the reviewers' bundle"), str(Path.home()), _(BUNDLE_FILTER))
        if not path:
            return

        def done(report) -> None:
            self.window_.show_status(N_("Bundle imported."))
            self.reload()
            dialogs().information(self, _("Bundle imported"), "\n".join(exchange_views.report_lines(report)))

        self.window_.run_job(
            lambda s: exchange_views.import_with_progress(s.store, Path(path)), done, self._show_error,
            changed=tuple(RECORD_TYPES), status=N_("Checking and importing the bundle…"), done_status=None,
        )

    def _show_error(self, error) -> None:
        from selfeval_app.core.errors import UserFacingError

        message = error.message() if isinstance(error, UserFacingError) else UserFacingError().message()
        self.window_.show_status(N_("Not saved."))
        dialogs().warning(self, _("Peer review"), message)

    # -- findings ------------------------------------------------------------------------------------------

    def respond(self):
        from selfeval_app.gui.peer_review.dialogs import ResponseDialog

        f = self.current_finding()
        if f is None or not self.detail["ours"]:
            return None
        dialog = ResponseDialog(self, self._writes_in(), f)
        visit_id = self.detail["visit"]["id"]

        def save() -> None:
            from selfeval_app.core.peer_review_host import respond

            kind, text = dialog.value()
            self.window_.run_job(lambda s: respond(s.store, f["id"], kind, text), lambda _r: self._responded(visit_id))

        dialog.accepted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _responded(self, visit_id: str) -> None:
        self.reload(visit_id)
        self.window_.show_status(N_("Response saved. Send the pack again to the lead reviewer: it carries your responses."))

    def add_to_plan(self):
        from selfeval_app.gui.peer_review.dialogs import AddToPlanDialog

        f = self.current_finding()
        if f is None or not self.detail["ours"]:
            return None
        dialog = AddToPlanDialog(self, self._writes_in(), f, views.plan_targets(self.reader))
        visit_id = self.detail["visit"]["id"]

        def save() -> None:
            from selfeval_app.core.peer_review_host import add_to_plan

            value = dialog.value()
            self.window_.run_job(
                lambda s: add_to_plan(s.store, f["id"], value["description"], priority_id=value.get("priority_id"), new_priority=value.get("new_priority")),
                lambda _r: self.reload(visit_id),
            )

        dialog.accepted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def go_to_action(self) -> None:
        f = self.current_finding()
        if f and f["action"]:
            self.window_.open_record("action", f["action"]["id"])

    def keep_agreed_report(self) -> None:
        row = self.current_row()
        if row is None or not row["ours"]:
            return
        from selfeval_app.core.peer_review_host import agree_report

        visit_id = row["id"]
        today = self.window_.clock.today().isoformat()
        self.window_.run_job(lambda s: agree_report(s.store, visit_id, agreed_on=today), lambda _r: self.reload(visit_id))

    def make_pdf(self, path: str | None = None) -> None:
        row = self.current_row()
        if row is None:
            return
        if path is None:
            path = dialogs().save_file(self, _("Save the visit's report"), str(Path.home() / (_("Peer review report") + ".pdf")), _(PDF_FILTER))
            if not path:
                return
        out = Path(path)
        reader = self.window_.session.private_reader()  # its own connection, for the render's thread
        visit_id, today = row["id"], self.window_.clock.today()

        def render():
            from selfeval_app.reports.peer_review import make_peer_review_report

            try:
                return make_peer_review_report(reader, visit_id, out, lang="both", today=today)
            finally:
                reader.conn.close()

        def made(result) -> None:
            self.last_pdf = result
            self.window_.show_status(N_("Report saved."))
            dialogs().open_document(self, result.path)

        self.window_.run_off_writer(render, made, self._show_error, status=N_("Making the report…"))

    # -- links ---------------------------------------------------------------------------------------------

    def open_record(self, record_type: str, record_id: str) -> None:
        self.reload()
        visit_id, finding_id = record_id, None
        if record_type == "review_finding":
            f = self.reader.get("review_finding", record_id)
            if f is None:
                return
            visit_id, finding_id = f["visit_id"], record_id
        ids = [r["id"] for r in self.rows]
        if visit_id in ids:
            self.visits.setCurrentCell(ids.index(visit_id), 0)
            self.show_visit()
            if finding_id and self.detail:
                fids = [f["id"] for f in self.detail["findings"]]
                if finding_id in fids:
                    self.findings.setCurrentRow(fids.index(finding_id))
                    self.finding_text.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- words ------------------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.heading.setText(_("Peer review"))
        self.heading.setAccessibleName(self.heading.text())
        self.intro.setText(_(
            "The visits the school hosts: prepare the questions and the team, choose what the reviewers may see, send "
            "each reviewer the pack, and import their findings. The findings stay the reviewers' (read-only here); "
            "the school responds to each, turns them into actions and keeps the agreed report as its own copy."
        ))
        self.intro.setAccessibleName(self.intro.text())
        self.visits.setHorizontalHeaderLabels([_("Host"), _("Kind"), _("Dates"), _("Status"), _("Findings")])
        self.visits.setAccessibleName(_("Visits"))
        name_headers(self.visits)
        for button, text, name in (
            (self.new_button, _("&New visit…"), _("New visit")),
            (self.edit_button, _("&Edit the visit…"), _("Edit the chosen visit")),
            (self.choose_button, _("What the &reviewers may see…"), _("What the reviewers may see")),
            (self.import_button, _("&Import the reviewers' bundle…"), _("Import the reviewers' bundle")),
            (self.pdf_button, _("Report &PDF…"), _("Make the visit's report as a PDF")),
            (self.respond_button, _("Res&pond…"), _("Respond to the chosen finding")),
            (self.plan_button, _("&Add to our plan…"), _("Add the chosen finding to our plan")),
            (self.action_button, _("&Go to the action"), _("Go to the action made from the finding")),
            (self.agree_button, _("&Keep the agreed report"), _("Keep the agreed report as the school's own copy")),
        ):
            button.setText(text)
            button.setAccessibleName(name)
        self._sync_words()
        self.reviewer_label.setText(_("Re&viewer:"))
        self.reviewer.setAccessibleName(plain(self.reviewer_label.text()))
        self.share.setText(_("Share the findings with the local authority"))
        self.share.setAccessibleName(plain(self.share.text()))
        self.share_note.setText(_(
            "By default the local authority sees only that the visit happened: its dates, kind, partner schools, the "
            "questions' areas and its status. Ticked, it also receives the agreed findings and the school's responses."
        ))
        self.share_note.setAccessibleName(self.share_note.text())
        self.findings_box.setTitle(_("Findings"))
        self.findings_note.setText(_("Written by the reviewers: read-only here. The school responds to each and may add it to its plan."))
        self.findings_note.setAccessibleName(self.findings_note.text())
        self.findings.setAccessibleName(_("Findings"))
        self.finding_text.setAccessibleName(_("The reviewers' finding"))
        if self.rows is not None:
            self.fill(self.current_visit_id())
