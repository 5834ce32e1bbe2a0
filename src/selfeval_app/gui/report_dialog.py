"""Making a report from the window: the "Reports for governors…" dialog (issue 6).

The head chooses the report (headteacher's report to governors, or the development plan summary
for parents), the term or year, the sections, the language (Welsh, English or both), what goes in
(the "for decision / for information" notes of a governors' report; staff names, costs and
evaluation text of the summary), and whether it is a draft (watermarked, not recorded) or issued.
The PDF is made off the database writer (`MainWindow.run_off_writer`, reading through a
connection of its own) with progress and Cancel, so saves go on meanwhile; it is written where the
head says (temporary file, then rename: `reports.issue.render_report`), an issued one is then
recorded on the writer (`record_issue`), and the dialog offers to open it. reportlab is imported
in the background only when a report is made.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.i18n import N_, _, pgettext
from selfeval_app.core.plan_figures import previous_term, term_of
from selfeval_app.gui import welsh_letters
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.reports import sections as rs
from selfeval_app.reports.text import TERM_TITLES, academic_year_label

LANGUAGES = (("cy", N_("Welsh")), ("en", N_("English")), ("both", N_("Welsh and English")))
TERMS_OFFERED = 6  # this term and the five before it

# File names offered in the save dialog, in the report's language.
FILE_STEMS = {
    ("governors", "cy"): "Adroddiad y pennaeth i'r llywodraethwyr",
    ("governors", "en"): "Headteacher’s report to governors",
    ("sdp_summary", "cy"): "Crynodeb o'r cynllun datblygu ysgol",
    ("sdp_summary", "en"): "School development plan summary",
}
TERM_FILE_WORDS = {
    "cy": {"autumn": "tymor yr hydref", "spring": "tymor y gwanwyn", "summer": "tymor yr haf"},
    "en": {"autumn": "autumn term", "spring": "spring term", "summer": "summer term"},
}


def suggested_file_name(kind: str, lang: str, year: int, term: str | None, draft: bool) -> str:
    """e.g. "Adroddiad y pennaeth i'r llywodraethwyr, tymor yr hydref 2025–26 (drafft).pdf"."""
    name_lang = "cy" if lang in ("cy", "both") else "en"
    stem = FILE_STEMS[(kind, name_lang)]
    period = academic_year_label(year)
    if term:
        period = f"{TERM_FILE_WORDS[name_lang][term]} {period}"
    draft_word = {"cy": " (drafft)", "en": " (draft)"}[name_lang] if draft else ""
    name = f"{stem}, {period}{draft_word}.pdf"
    return re.sub(r'[\\/:*?"<>|]', "-", name)


class _Relay(QObject):
    """Carries the worker's progress to the dialog (a queued signal across threads)."""

    progressed = Signal(float)


class ReportDialog(Retranslatable, QDialog):
    reportMade = Signal(object)  # noqa: N815 - reports.issue.ReportResult
    reportFailed = Signal(object)  # noqa: N815 - the error (or None when cancelled)

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("reportDialog")
        self._cancel_event: threading.Event | None = None
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        school = window.school() or {}
        self.writes_in = school.get("writes_in") or "cy"
        today = window.clock.today()
        self.current_year, self.current_term = term_of(today)
        self.this_year = academic_year_of(today)

        body = QWidget(self)  # scrolls when big text (200%) makes it taller than the screen
        outer = QVBoxLayout(body)
        # The report
        self.kind_box = QGroupBox(self)
        kind_row = QVBoxLayout(self.kind_box)
        self.kind_group = QButtonGroup(self)
        self.governors_radio = QRadioButton(self.kind_box)
        self.sdp_radio = QRadioButton(self.kind_box)
        for kind, radio in (("governors", self.governors_radio), ("sdp_summary", self.sdp_radio)):
            radio.setProperty("kind", kind)
            self.kind_group.addButton(radio)
            kind_row.addWidget(radio)
        self.governors_radio.setChecked(True)
        self.kind_group.buttonToggled.connect(lambda *_a: self._kind_changed())
        outer.addWidget(self.kind_box)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.period_label = QLabel(self)
        self.period = QComboBox(self)
        self.period_label.setBuddy(self.period)
        form.addRow(self.period_label, self.period)
        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        for code, _name in LANGUAGES:
            self.language.addItem("", code)
        self.language.setCurrentIndex(self.language.findData(self.writes_in if self.writes_in in ("cy", "en", "both") else "cy"))
        self.language_label.setBuddy(self.language)
        form.addRow(self.language_label, self.language)
        outer.addLayout(form)

        # Sections
        self.sections_box = QGroupBox(self)
        sections_layout = QVBoxLayout(self.sections_box)
        self.sections = QListWidget(self.sections_box)
        self.sections.setObjectName("reportSections")
        sections_layout.addWidget(self.sections)
        outer.addWidget(self.sections_box)

        # What goes in: the summary's options
        self.include_box = QGroupBox(self)
        include_layout = QVBoxLayout(self.include_box)
        self.include_leads = QCheckBox(self.include_box)
        self.include_costs = QCheckBox(self.include_box)
        self.include_evaluation = QCheckBox(self.include_box)
        self.include_evaluation.toggled.connect(self._evaluation_toggled)
        for box in (self.include_leads, self.include_costs, self.include_evaluation):
            include_layout.addWidget(box)
        self.include_note = QLabel(self.include_box)
        self.include_note.setWordWrap(True)
        include_layout.addWidget(self.include_note)
        outer.addWidget(self.include_box)

        # For decision / for information (governors)
        self.notes_box = QGroupBox(self)
        notes = QGridLayout(self.notes_box)
        self.notes_labels: dict[tuple[str, str], QLabel] = {}
        self.notes: dict[tuple[str, str], QPlainTextEdit] = {}
        row = 0
        for key in ("decision", "information"):
            for col, lang in enumerate(("cy", "en")):
                label, edit = QLabel(self.notes_box), QPlainTextEdit(self.notes_box)
                edit.setTabChangesFocus(True)
                lines = edit.fontMetrics().lineSpacing()
                edit.setFixedHeight(int(lines * 4.5) + 2 * edit.frameWidth() + 8)  # four lines, from the font
                edit.setLocale(qlocale(lang))
                welsh_letters.install_welsh_letters(edit)
                label.setBuddy(edit)
                label.setWordWrap(True)
                notes.addWidget(label, row, col)
                notes.addWidget(edit, row + 1, col)
                self.notes_labels[(key, lang)], self.notes[(key, lang)] = label, edit
            row += 2
        outer.addWidget(self.notes_box, 1)

        self.draft = QCheckBox(self)
        self.draft.setChecked(True)
        outer.addWidget(self.draft)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_row = QHBoxLayout()
        status_row.addWidget(self.progress, 1)
        outer.addLayout(status_row)
        outer.addWidget(self.message)

        self.buttons = QDialogButtonBox(self)
        self.make_button = QPushButton(self)
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.choose_file_and_make)
        self.buttons.addButton(self.make_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self._close_or_cancel)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        root = QVBoxLayout(self)
        root.addWidget(scroll, 1)
        root.addWidget(self.buttons)

        self._fill_sections()
        self.retranslate()
        self._kind_changed()
        self._fit_to_screen(body)

    def _fit_to_screen(self, body: QWidget) -> None:
        wanted = body.sizeHint() + QSize(40, self.buttons.sizeHint().height() + 40)
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            wanted = wanted.boundedTo(screen.availableGeometry().size() * 0.9)
        self.resize(wanted)

    # -- what is chosen ----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.kind_group.checkedButton().property("kind")

    def chosen_language(self) -> str:
        return self.language.currentData()

    def chosen_period(self) -> tuple[int, str | None]:
        data = self.period.currentData()
        return (data[0], data[1]) if data else (self.this_year, None)

    def chosen_sections(self) -> list[str]:
        return [
            self.sections.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.sections.count())
            if self.sections.item(i).checkState() == Qt.CheckState.Checked
        ]

    def notes_values(self) -> dict[str, dict[str, str]]:
        return {
            key: {lang: self.notes[(key, lang)].toPlainText().strip() for lang in ("cy", "en")}
            for key in ("decision", "information")
        }

    def _fill_sections(self) -> None:
        self.sections.clear()
        if self.kind == "governors":
            ids, defaults = rs.GOVERNORS_SECTIONS, rs.GOVERNORS_SECTIONS
        else:
            ids, defaults = rs.SDP_SECTIONS, rs.SDP_DEFAULT_SECTIONS
        for section in ids:
            item = QListWidgetItem(self.sections)
            item.setData(Qt.ItemDataRole.UserRole, section)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if section in defaults else Qt.CheckState.Unchecked)
        self._retranslate_sections()
        rows = max(self.sections.count(), 3)  # every section in view, no scrolling
        frame = 2 * self.sections.frameWidth()
        self.sections.setFixedHeight(self.sections.sizeHintForRow(0) * rows + frame + 2)

    def _fill_periods(self) -> None:
        self.period.clear()
        if self.kind == "governors":
            year, term = self.current_year, self.current_term
            for _i in range(TERMS_OFFERED):
                self.period.addItem("", (year, term))
                year, term = previous_term(year, term)
        else:
            for year in (self.this_year, self.this_year - 1, self.this_year + 1):
                self.period.addItem("", (year, None))
        self.period.setCurrentIndex(0)
        self._retranslate_periods()

    def _kind_changed(self) -> None:
        governors = self.kind == "governors"
        self._fill_sections()
        self._fill_periods()
        self.notes_box.setVisible(governors)
        self.include_box.setVisible(not governors)
        self._show_note_languages()
        self.retranslate()

    def _evaluation_toggled(self, on: bool) -> None:
        for i in range(self.sections.count()):
            item = self.sections.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == "evaluation":
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _show_note_languages(self) -> None:
        langs = ("cy", "en") if self.writes_in == "both" else (self.writes_in if self.writes_in in ("cy", "en") else "cy",)
        for (key, lang), edit in self.notes.items():
            edit.setVisible(lang in langs)
            self.notes_labels[(key, lang)].setVisible(lang in langs)

    # -- language -----------------------------------------------------------------------------

    def _retranslate_sections(self) -> None:
        titles = rs.GOVERNORS_SECTION_TITLES if self.kind == "governors" else rs.SDP_SECTION_TITLES
        for i in range(self.sections.count()):
            item = self.sections.item(i)
            item.setText(_(titles[item.data(Qt.ItemDataRole.UserRole)]))

    def _retranslate_periods(self) -> None:
        for i in range(self.period.count()):
            year, term = self.period.itemData(i)
            label = _(TERM_TITLES[term]) % {"year": academic_year_label(year)} if term else academic_year_label(year)
            self.period.setItemText(i, label)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Reports for governors"))
        self.kind_box.setTitle(_("Report"))
        self.governors_radio.setText(_("&Headteacher’s report to governors (for a term)"))
        self.sdp_radio.setText(_("&Development plan summary for the annual report to parents"))
        self.governors_radio.setAccessibleName(plain(self.governors_radio.text()))
        self.sdp_radio.setAccessibleName(plain(self.sdp_radio.text()))
        governors = self.kind == "governors"
        self.period_label.setText(_("&Term:") if governors else _("&Academic year:"))
        self.period.setAccessibleName(plain(self.period_label.text()))
        self._retranslate_periods()
        self.language_label.setText(_("&Language of the report:"))
        self.language.setAccessibleName(plain(self.language_label.text()))
        for i, (_code, name) in enumerate(LANGUAGES):
            self.language.setItemText(i, _(name))
        self.language.setToolTip(_("With Welsh and English, each section is in Welsh first, then in English, the same size."))
        self.sections_box.setTitle(_("Sections"))
        self.sections.setAccessibleName(_("Sections of the report"))
        self.sections.setToolTip(_("Tick the sections to include. What you choose here is independent of who may see each record."))
        self._retranslate_sections()
        self.include_box.setTitle(_("What goes in"))
        self.include_leads.setText(_("Include staff &names (who leads each priority)"))
        self.include_costs.setText(_("Include &costs and the use of staff and money"))
        self.include_evaluation.setText(_("Include self-&evaluation text"))
        for box in (self.include_leads, self.include_costs, self.include_evaluation):
            box.setAccessibleName(plain(box.text()))
        self.include_note.setText(_("The summary is public: by default it has no staff names, costs or self-evaluation text."))
        self.notes_box.setTitle(_("For decision and for information"))
        note_labels = {
            ("decision", "cy"): _("For decision (Welsh):"),
            ("decision", "en"): _("For decision (English):"),
            ("information", "cy"): _("For information (Welsh):"),
            ("information", "en"): _("For information (English):"),
        }
        for key, label in self.notes_labels.items():
            label.setText(note_labels[key])
            self.notes[key].setAccessibleName(plain(note_labels[key]))
            self.notes[key].setPlaceholderText(_("A few lines for governors. Start lines with “-” for a list."))
        self.draft.setText(_("D&raft: marked DRAFFT / DRAFT on every page and not recorded as issued"))
        self.draft.setAccessibleName(plain(self.draft.text()))
        self.draft.setToolTip(_("Untick to issue the report: it is recorded, and the next report lists what has changed since."))
        self.progress.setAccessibleName(_("Progress"))
        self.message.setAccessibleName(_("Message"))
        busy = self._cancel_event is not None
        self.make_button.setText(_("&Make the report…"))
        self.make_button.setAccessibleName(plain(self.make_button.text()))
        self.close_button.setText(_("Cancel") if busy else pgettext("QPlatformTheme", "Close"))
        self.close_button.setAccessibleName(self.close_button.text())

    # -- making the report -------------------------------------------------------------------

    def choose_file_and_make(self) -> None:
        if self._cancel_event is not None:
            return
        if not self.chosen_sections():
            self.message.setText(_("Choose at least one section."))
            return
        year, term = self.chosen_period()
        name = suggested_file_name(self.kind, self.chosen_language(), year, term, self.draft.isChecked())
        folder = Path.home() / "Documents"
        folder = folder if folder.is_dir() else Path.home()
        path = dialogs().save_file(self, _("Save the report as"), str(folder / name), _("PDF files (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.make(Path(path))

    def make(self, out: Path) -> None:
        """Make the chosen report at `out` on the worker (tests call this directly)."""
        kind, lang = self.kind, self.chosen_language()
        year, term = self.chosen_period()
        sections = self.chosen_sections()
        draft = self.draft.isChecked()
        notes = self.notes_values()
        include = (self.include_leads.isChecked(), self.include_costs.isChecked(), self.include_evaluation.isChecked())
        today = self.window_.clock.today()
        cancel = self._cancel_event = threading.Event()
        relay = self._relay

        reader = self.window_.session.private_reader()  # its own connection, for the render's thread

        def render():
            from selfeval_app.reports.issue import render_report

            options = None
            if kind == "sdp_summary":
                from selfeval_app.reports.sdp_summary import SdpSummaryOptions

                options = SdpSummaryOptions(include_leads=include[0], include_costs=include[1], include_evaluation=include[2])
            try:
                return render_report(
                    reader, kind, out, lang=lang, year=year, term=term, sections=sections, draft=draft,
                    options=options, notes=notes if kind == "governors" else None, today=today,
                    progress=relay.progressed.emit, cancelled=cancel.is_set,
                )
            finally:
                reader.conn.close()  # read-only: nothing to flush

        def rendered(report) -> None:
            from selfeval_app.reports.issue import record_issue

            if report.issue is None:  # a draft: nothing to record
                self.window_.show_status(N_("Report saved."))
                self._made(report.result)
                return
            self.window_.run_job(
                lambda session: record_issue(session.store, report), self._made, self._failed,
                status=N_("Making the report…"), done_status=N_("Report saved."),
            )

        self._set_busy(True)
        self.message.setText(_("Making the report…"))
        self.window_.run_off_writer(render, rendered, self._failed, status=N_("Making the report…"))

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._cancel_event = None
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        for widget in (self.kind_box, self.sections_box, self.include_box, self.notes_box, self.draft, self.period, self.language, self.make_button):
            widget.setEnabled(not busy)
        self.retranslate()

    def _progressed(self, fraction: float) -> None:
        self.progress.setValue(int(round(fraction * 100)))

    def _close_or_cancel(self) -> None:
        if self._cancel_event is not None:
            self._cancel_event.set()
            self.message.setText(_("Stopping…"))
        else:
            self.reject()

    def _made(self, result) -> None:
        self._set_busy(False)
        if result.issue_id:
            text = _("The report is saved as %(path)s and recorded as issued.")
        else:
            text = _("The draft is saved as %(path)s.")
        self.message.setText(text % {"path": str(result.path)})
        self.reportMade.emit(result)
        if dialogs().question(self, _("Report saved"), (text % {"path": str(result.path)}) + " " + _("Open it now?")):
            dialogs().open_document(self, result.path)

    def _failed(self, error) -> None:
        from selfeval_app.core.errors import OperationCancelled

        self._set_busy(False)
        if isinstance(error, OperationCancelled):
            self.message.setText(_("Stopped. Nothing was written."))
            self.window_.show_status(N_("Stopped. Nothing was written."))
            self.reportFailed.emit(None)
            return
        text = error.message() if hasattr(error, "message") else _("The report could not be made. Nothing was written.")
        self.message.setText(text)
        self.reportFailed.emit(error)

    def reject(self) -> None:
        if self._cancel_event is not None:  # Escape while making: cancel, keep the dialog
            self._close_or_cancel()
            return
        super().reject()


def open_report_dialog(window) -> ReportDialog:
    dialog = ReportDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog

