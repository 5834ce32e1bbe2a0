"""The evaluation page: for one area and academic year, a short narrative and the strengths, areas
for development and next steps, each in Welsh, English or both, with the area's reflective prompts
at hand.

Autosave: typing marks the page unsaved and restarts a one-second timer; when typing pauses (or the
focus leaves a box, the page is left, or the window closes) the texts are handed to the database
worker through `window.run_job`. Typing never waits for the disk: a keystroke only restarts the
timer, and at the first keystroke of an editing session `begin_session` runs on the worker, so one
history version is kept per editing session. Saves queue behind each other on the worker
(`core.evaluation_edit.SaveChain`). The page says "Saving…", "Saved" or "Not saved"; a conflict
reloads the stored version and keeps the person's own text on screen to copy.

An editing session ends when another area or year is chosen, the page is left, a version is
restored, or after five minutes without typing.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core.bilingual import other_language
from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.errors import ConflictError, UserFacingError
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.visibility import visibility_explanation
from selfeval_app.gui.evaluation.bitext import BiTextEditor
from selfeval_app.gui.evaluation.statements import EDITING_CONTROLS as STATEMENT_EDITING_CONTROLS
from selfeval_app.gui.evaluation.statements import StatementSection
from selfeval_app.gui.language import Retranslatable, plain
from selfeval_app.gui.visibility_chooser import LABEL as VISIBILITY_LABEL
from selfeval_app.gui.visibility_chooser import VisibilityChooser, default_for_new

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1000
SESSION_IDLE_S = 300
SAVING, SAVED, NOT_SAVED = N_("Saving…"), N_("Saved"), N_("Not saved")
#: The object names of the page's editing controls: hidden or disabled in read-only mode (another
#: owner's records, gui/records_window.py); the tests walk for them.
EDITING_CONTROLS = frozenset({
    "startYearFromPrevious", "evaluationHistory", "evaluationVisibility",
    *STATEMENT_EDITING_CONTROLS,
})


def evaluation_as_text(narrative: dict, statements: list[dict], lang_order=("cy", "en")) -> str:
    """An evaluation as plain text (to copy after a conflict, and to preview a history version)."""
    from selfeval_app.gui.evaluation.statements import SECTION_TITLES

    parts = []
    for lang in lang_order:
        text = (narrative or {}).get(lang, "").strip()
        if text:
            parts.append(text)
    groups = ee.statements_by_kind(statements)
    for kind in ee.STATEMENT_KINDS:
        if not groups[kind]:
            continue
        parts.append(_(SECTION_TITLES[kind]))
        for s in groups[kind]:
            texts = [(s.get("text") or {}).get(lang, "").strip() for lang in lang_order]
            parts.append("• " + " | ".join(t for t in texts if t))
    return "\n\n".join(parts)


class EvaluationPage(Retranslatable, QWidget):
    def __init__(self, window, parent: QWidget | None = None, *, read_only: bool = False):
        """`read_only`: another owner's evaluations (gui/records_window.py): the texts can be read,
        selected and scrolled, nothing edits (no autosave, no statement buttons, no history or
        "start the year", the visibility only shown)."""
        super().__init__(parent or window)
        self.window = window
        self.read_only = read_only
        self.areas: list[ee.AreaChoice] = []
        self.record: dict | None = None
        self.chain: ee.SaveChain | None = None
        self._dirty = False
        self._in_flight = 0
        self._load_pending = False
        self._closed = False
        self._session_open = False
        self._last_edit = 0.0
        self._state = SAVED
        self._error_text = ""
        self._prompts_open = True

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.year_label = QLabel(self)
        self.year_combo = QComboBox(self)
        self.year_label.setBuddy(self.year_combo)
        self.area_label = QLabel(self)
        self.area_combo = QComboBox(self)
        self.area_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.area_label.setBuddy(self.area_combo)
        for w in (self.year_label, self.year_combo, self.area_label, self.area_combo):
            bar.addWidget(w)
        bar.addStretch(1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("savedState")
        bar.addWidget(self.state_label)
        outer.addLayout(bar)

        actions = QHBoxLayout()
        self.other_language = QCheckBox(self)
        self.other_language.toggled.connect(lambda _on: self._apply_languages())
        self.prompts_button = QPushButton(self)
        self.prompts_button.setCheckable(True)
        self.prompts_button.setChecked(True)
        self.prompts_button.toggled.connect(self._toggle_prompts)
        self.history_button = QPushButton(self)
        self.history_button.setObjectName("evaluationHistory")
        self.history_button.clicked.connect(self.open_history)
        self.start_year_button = QPushButton(self)
        self.start_year_button.setObjectName("startYearFromPrevious")
        self.start_year_button.clicked.connect(self.start_year_from_previous)
        actions.addWidget(self.other_language)
        actions.addStretch(1)
        # Who may receive this evaluation (the same control as every editor).
        self.visibility_label = QLabel(self)
        self.visibility = VisibilityChooser(self, object_name="evaluationVisibility")
        self.visibility.help.hide()  # the explanation is its tooltip here: the bar has no room
        self.visibility_label.setBuddy(self.visibility.combo)
        self.visibility.changed.connect(self._visibility_chosen)
        actions.addWidget(self.visibility_label)
        actions.addWidget(self.visibility)
        for b in (self.start_year_button, self.history_button, self.prompts_button):
            actions.addWidget(b)
        outer.addLayout(actions)

        # A conflict: what the person wrote stays here to copy.
        self.conflict_box = QFrame(self)
        self.conflict_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.conflict_box.setAutoFillBackground(True)
        self.conflict_box.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.conflict_box.setForegroundRole(QPalette.ColorRole.ToolTipText)
        conflict = QVBoxLayout(self.conflict_box)
        self.conflict_label = QLabel(self.conflict_box)
        self.conflict_label.setWordWrap(True)
        self.conflict_text = QPlainTextEdit(self.conflict_box)
        self.conflict_text.setReadOnly(True)
        self.conflict_text.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        conflict_buttons = QHBoxLayout()
        self.copy_button = QPushButton(self.conflict_box)
        self.copy_button.clicked.connect(self._copy_conflict_text)
        self.dismiss_button = QPushButton(self.conflict_box)
        self.dismiss_button.clicked.connect(self.conflict_box.hide)
        conflict_buttons.addStretch(1)
        conflict_buttons.addWidget(self.copy_button)
        conflict_buttons.addWidget(self.dismiss_button)
        conflict.addWidget(self.conflict_label)
        conflict.addWidget(self.conflict_text)
        conflict.addLayout(conflict_buttons)
        self.conflict_box.hide()
        outer.addWidget(self.conflict_box)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.scroll = QScrollArea(self.splitter)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self.scroll)
        body = QVBoxLayout(content)
        self.narrative_box = QGroupBox(content)
        narrative_layout = QVBoxLayout(self.narrative_box)
        self.narrative = BiTextEditor(N_("Narrative"), min_lines=5, max_lines=16, headings=True, fill=True, parent=self.narrative_box)
        narrative_layout.addWidget(self.narrative)
        # The narrative is the long writing: it takes the page's spare height (the statements
        # keep theirs), and the page scrolls when the text is too big for the window.
        body.addWidget(self.narrative_box, 1)
        self.sections = {kind: StatementSection(kind, content) for kind in ee.STATEMENT_KINDS}
        for section in self.sections.values():
            body.addWidget(section)
            section.edited.connect(self._edited)
            section.focusLeft.connect(self.flush)
            section.linkRequested.connect(self.link_evidence)
            section.removeRequested.connect(self._remove_statement)
        self.scroll.setWidget(content)
        self.narrative.edited.connect(self._edited)
        self.narrative.focusLeft.connect(self.flush)

        self.prompts_panel = QGroupBox(self.splitter)
        prompts_layout = QVBoxLayout(self.prompts_panel)
        self.area_description = QLabel(self.prompts_panel)
        self.area_description.setWordWrap(True)
        self.prompts_label = QLabel(self.prompts_panel)
        self.prompts_label.setWordWrap(True)
        self.prompts_label.setTextFormat(Qt.TextFormat.RichText)
        self.prompts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.prompts_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        prompts_layout.addWidget(self.area_description)
        prompts_layout.addWidget(self.prompts_label, 1)
        self.splitter.addWidget(self.scroll)
        self.splitter.addWidget(self.prompts_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        if read_only:
            self.state_label.hide()
            self.history_button.hide()
            self.start_year_button.hide()
            self.narrative.set_read_only(True)
            for section in self.sections.values():
                section.set_read_only(True)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)
        window.worker.aboutToStop.connect(self._before_stop)

        self._fill_years()
        self._fill_areas()
        self.year_combo.currentIndexChanged.connect(lambda _i: self._selection_changed())
        self.area_combo.currentIndexChanged.connect(lambda _i: self._selection_changed())
        self.retranslate()
        self.load()

    # -- reading -------------------------------------------------------------------------------

    @property
    def reader(self):
        """The main thread's read-only store (None once the window has closed)."""
        session = getattr(self.window, "session", None)
        return session.reader if session is not None else None

    def current_year(self) -> int:
        return academic_year_of(self.window.clock.today())

    def writes_in(self) -> str:
        return (self.window.school() or {}).get("writes_in") or "both"

    def selected_year(self) -> int:
        year = self.year_combo.currentData()
        return int(year) if year is not None else self.current_year()

    def selected_area(self) -> ee.AreaChoice | None:
        index = self.area_combo.currentIndex()
        return self.areas[index] if 0 <= index < len(self.areas) else None

    def _fill_years(self, select: int | None = None) -> None:
        if self.reader is None:  # the window is closing
            return
        if select is None and self.read_only and self.year_combo.currentData() is None:
            # Another owner's: open on the newest year they shared an evaluation of.
            shared = {e["academic_year"] for e in self.reader.list("evaluation") if e.get("academic_year") is not None}
            select = max(shared) if shared else None
        select = select if select is not None else (self.year_combo.currentData() or self.current_year())
        years = ee.evaluation_years(self.reader, self.current_year())
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(ee.year_label(y), y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(select)))
        self.year_combo.blockSignals(False)

    def _fill_areas(self, select: str | None = None) -> None:
        if self.reader is None:
            return
        current = self.selected_area()
        select = select or (current.id if current else None)
        lang = current_language()
        self.areas = ee.area_choices(self.reader, lang)
        self.area_combo.blockSignals(True)
        self.area_combo.clear()
        for a in self.areas:
            self.area_combo.addItem(a.label(lang), a.id)
        index = self.area_combo.findData(select) if select else 0
        self.area_combo.setCurrentIndex(max(0, index))
        self.area_combo.blockSignals(False)

    def select(self, area_id: str | None = None, year: int | None = None) -> None:
        """Show the evaluation of `area_id` (default: the one shown) for `year` (default: the one shown)."""
        self.flush()
        self._end_session()
        if year is not None:
            if self.year_combo.findData(year) < 0:
                self._fill_years(select=year)
                if self.year_combo.findData(year) < 0:
                    self.year_combo.addItem(ee.year_label(year), year)
            self.year_combo.blockSignals(True)
            self.year_combo.setCurrentIndex(self.year_combo.findData(year))
            self.year_combo.blockSignals(False)
        if area_id is not None and self.area_combo.findData(area_id) >= 0:
            self.area_combo.blockSignals(True)
            self.area_combo.setCurrentIndex(self.area_combo.findData(area_id))
            self.area_combo.blockSignals(False)
        self.load()

    def _selection_changed(self) -> None:
        self.flush()
        self._end_session()
        self.load()

    def load(self) -> None:
        """Show the stored evaluation of the selected area and year (after queued saves land)."""
        if self._in_flight:
            self._load_pending = True
            self.scroll.setEnabled(False)
            return
        self._load_pending = False
        self.scroll.setEnabled(True)
        area, year = self.selected_area(), self.selected_year()
        if area is None or self.reader is None:
            return
        record = ee.find_evaluation(self.reader, area.id, year)
        self.record = record
        self.chain = ee.SaveChain.for_record(area.id, year, record)
        self._session_open = False
        self._dirty = False
        self.timer.stop()
        self.narrative.set_value(record["narrative"] if record else None)
        self.visibility.set_value(record["visibility"] if record else default_for_new(self.window))
        self.visibility.setEnabled(not self.read_only and (record is None or self.reader.is_own(record)))
        if self.read_only:  # another owner's: its visibility shown only when there is a record
            self.visibility.setVisible(record is not None)
            self.visibility_label.setVisible(record is not None)
        self._visibility_tooltip()
        groups = ee.statements_by_kind(record["statements"] if record else [])
        self._other_statements = groups.get("other", [])
        for kind, section in self.sections.items():
            section.set_statements(groups[kind])
        self._apply_languages()
        self.refresh_counts()
        self._show_prompts(area)
        self._update_actions()
        if not self._in_flight and self._state != NOT_SAVED:
            self._set_state(SAVED)

    def _statement_ids(self) -> list[str]:
        return [row.statement_id for section in self.sections.values() for row in section.rows]

    def refresh_counts(self) -> None:
        ids = self._statement_ids()
        counts = ee.statement_evidence_counts(self.reader, ids) if self.reader is not None else {}
        for section in self.sections.values():
            section.set_evidence_counts(counts)

    def refresh_counts_in_background(self) -> None:
        """The same, counted off the main thread (its own connection): after an import or a sync
        round the count scans every piece of evidence (~50 ms with 20,000), which on the main
        thread would stop typing that long. Shown if the statements are still the ones counted."""
        operations = getattr(self.window, "operations", None)
        session = getattr(self.window, "session", None)
        if operations is None or session is None or self.reader is None:
            self.refresh_counts()
            return
        ids, owners = self._statement_ids(), self.reader.view_owners

        def work() -> dict[str, int]:
            reader = session.private_reader().viewing(owners)
            try:
                return ee.statement_evidence_counts(reader, ids)
            finally:
                reader.conn.close()

        def counted(counts: dict[str, int]) -> None:
            if not self._closed and self._statement_ids() == ids:
                for section in self.sections.values():
                    section.set_evidence_counts(counts)

        operations.run_off_writer(work, counted, lambda _error: None if self._closed else self.refresh_counts())

    def _update_actions(self) -> None:
        year = self.selected_year()
        can_start = self.reader is not None and ee.can_start_year_from_previous(self.reader, year)
        self.start_year_button.setVisible(can_start and not self.read_only)
        self.history_button.setEnabled(self.record is not None and not self.read_only)
        self._retranslate_actions()

    def _show_prompts(self, area: ee.AreaChoice | None) -> None:
        lang = current_language()
        if area is None or self.reader is None:
            return
        if area.own:
            from selfeval_app.core.evaluation_edit import bitext_in

            rec = self.reader.get("area", area.id) if self.reader is not None else None
            description = bitext_in((rec or {}).get("description"), lang)
        else:
            from selfeval_app.core import framework

            fw_area = framework.current_framework().area(area.id)
            description = fw_area.description(lang) if fw_area else ""
        self.area_description.setText(description)
        self.area_description.setVisible(bool(description))
        items = [ee.bitext_in(p, lang) for p in area.prompts]
        from html import escape

        if items:
            self.prompts_label.setText("<ul style='margin-left: 0px; -qt-list-indent: 1;'>" + "".join(f"<li style='margin-bottom: 6px'>{escape(t)}</li>" for t in items) + "</ul>")
        else:
            self.prompts_label.setText(escape(_("This area has no reflective prompts.")))
        self.prompts_label.setAccessibleName(_("Reflective prompts"))
        self.prompts_label.setAccessibleDescription("\n".join(items))

    # -- languages -------------------------------------------------------------------------------

    def shown_languages(self) -> dict[str, bool]:
        writes_in = self.writes_in()
        if writes_in == "both":
            return {"cy": True, "en": True}
        other = self.other_language.isChecked()
        return {"cy": writes_in == "cy" or other, "en": writes_in == "en" or other}

    def _apply_languages(self) -> None:
        writes_in, shown = self.writes_in(), self.shown_languages()
        self.other_language.setVisible(writes_in != "both")
        self.narrative.set_languages(writes_in, shown)
        for section in self.sections.values():
            section.set_languages(writes_in, shown)

    # -- editing and saving ------------------------------------------------------------------

    def _edited(self) -> None:
        if self._closed or self.chain is None or self.read_only:
            return
        now = time.monotonic()
        if self._session_open and now - self._last_edit > SESSION_IDLE_S:
            self.flush()
            self._end_session()
        self._last_edit = now
        if not self._session_open:
            self._session_open = True
            chain, session = self.chain, self.chain.session
            if chain.record_id is not None:
                self.window.run_job(
                    lambda s: ee.begin_editing(s.store, chain, session),
                    None,
                    lambda e: log.info("begin_session: %s", e),
                    status=None,
                    done_status=None,
                )
        self._dirty = True
        self._set_state(SAVING)
        self.timer.start()

    def _visibility_chosen(self, _visibility: str) -> None:
        """A new visibility is saved with the texts (a new evaluation takes it when first saved)."""
        self._visibility_tooltip()
        if self.chain is None or self.chain.record_id is None or self.read_only:
            return
        self._dirty = True
        self._set_state(SAVING)
        self.flush()

    def _visibility_tooltip(self) -> None:
        self.visibility.combo.setToolTip(visibility_explanation(self.visibility.value()))

    def _end_session(self) -> None:
        """The next keystroke starts a new editing session (and a new history version)."""
        if self._session_open and self.chain is not None:
            import uuid

            self.chain.session = f"edit-{uuid.uuid4()}"
        self._session_open = False

    def current_values(self) -> dict:
        statements = [s for kind in ee.STATEMENT_KINDS for s in self.sections[kind].statements()]
        statements += getattr(self, "_other_statements", [])
        return {"narrative": self.narrative.value(), "statements": statements}

    def has_unsaved_changes(self) -> bool:
        return self._dirty or self._in_flight > 0

    def flush(self) -> None:
        """Hand the texts to the worker now if anything changed since the last save."""
        self.timer.stop()
        if not self._dirty or self.chain is None or self._closed or self.read_only:
            return
        self._dirty = False
        values = self.current_values()
        chain, session = self.chain, self.chain.session
        if chain.record_id is None and not (
            any(v.strip() for v in values["narrative"].values())
            or any(t.strip() for s in values["statements"] for t in (s.get("text") or {}).values())
        ):
            self._set_state(SAVED)  # nothing written yet: no empty evaluation is made
            return
        self._in_flight += 1
        visibility = self.visibility.value()

        def job(session_):
            rec = ee.save_evaluation(session_.store, chain, values, session=session, visibility=visibility)
            ee.flush_search(session_.store)
            return rec

        self.window.run_job(job, lambda rec: self._saved(chain, rec), lambda e: self._save_failed(chain, e), changed={"evaluation"}, status=SAVING, done_status=None)

    def _saved(self, chain: ee.SaveChain, record: dict) -> None:
        self._in_flight -= 1
        created = chain is self.chain and self.record is None
        if chain is self.chain:
            self.record = record
        if created:
            self._update_actions()
        self._after_job()

    def _save_failed(self, chain: ee.SaveChain, error: Exception) -> None:
        self._in_flight -= 1
        if isinstance(error, ConflictError):
            if chain is self.chain and not self.conflict_box.isVisible() or not self.conflict_box.isVisible():
                self._show_conflict(error)
        else:
            if chain is self.chain:
                self._dirty = True  # try again at the next pause
            self._error_text = error.message() if isinstance(error, UserFacingError) else _("Something went wrong. Nothing was changed.")
            self.error_label.setText(self._error_text)
            self.error_label.show()
        self._set_state(NOT_SAVED)
        self._after_job()

    def _after_job(self) -> None:
        if self._in_flight:
            return
        if self._load_pending:
            self.load()
        if not self._dirty and self._state != NOT_SAVED:
            self._set_state(SAVED)
            self.window.show_status(SAVED)

    def _show_conflict(self, error: ConflictError) -> None:
        area, year = self.selected_area(), self.selected_year()
        mine = evaluation_as_text(**self.current_values())
        self.conflict_label.setText(error.message() + "\n" + _("The version stored now is shown below the year and area. What you wrote is here, to copy:"))
        self.conflict_text.setPlainText(mine)
        self.conflict_box.show()
        self._conflict_error = error
        self._dirty = False
        self._state = NOT_SAVED
        if area is not None:
            self._load_pending = True  # the stored version, once the queued saves have failed too
            if not self._in_flight:
                self.load()
        self.copy_button.setFocus()
        del year

    def _copy_conflict_text(self) -> None:
        QGuiApplication.clipboard().setText(self.conflict_text.toPlainText())
        self.window.show_status(N_("Copied."))

    def _set_state(self, state: str) -> None:
        if state != NOT_SAVED:
            self.error_label.hide()
        self._state = state
        self.state_label.setText(_(state))
        self.state_label.setAccessibleName(_("Saved state: %(state)s") % {"state": _(state)})

    def _before_stop(self) -> None:
        """The window is closing: save what is pending while the worker still runs."""
        self.flush()
        self._closed = True
        self.timer.stop()

    def hideEvent(self, event):  # noqa: N802 - leaving the page
        self.flush()
        self._end_session()
        super().hideEvent(event)

    # -- statements ------------------------------------------------------------------------------

    def _remove_statement(self, row) -> None:
        from selfeval_app.gui.dialogs import dialogs

        if self.read_only:
            return
        if not row.editor.is_empty() or row.evidence_count:
            if not dialogs().question(
                self,
                _("Remove a statement"),
                _("Remove this statement? Evidence linked to it stays in the evidence log, and the history of this evaluation keeps the statement."),
            ):
                return
        row.section.remove_now(row)
        self.flush()

    def link_evidence(self, statement_id: str):
        """Choose the evidence behind a statement (the links are saved on the evidence)."""
        from selfeval_app.gui.evaluation.link_dialog import LinkEvidenceDialog

        area = self.selected_area()
        if area is None or self.read_only:
            return None
        self._dirty = True  # the statement must exist before evidence links to it
        self.flush()
        dialog = LinkEvidenceDialog(self, statement_id, self._statement_name(statement_id))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.chosen.connect(lambda link, unlink: self._save_links(statement_id, area.id, link, unlink))
        dialog.open()
        return dialog

    def _statement_name(self, statement_id: str) -> str:
        for section in self.sections.values():
            for row in section.rows:
                if row.statement_id == statement_id:
                    return row.accessibleName()
        return ""

    def _save_links(self, statement_id: str, area_id: str, link: list[str], unlink: list[str]) -> None:
        if not link and not unlink:
            return
        self.window.run_job(
            lambda s: ee.link_evidence(s.store, statement_id, area_id, link, unlink),
            lambda _n: self.refresh_counts(),
            changed={"evidence"},
        )

    # -- history and years -------------------------------------------------------------------------

    def open_history(self):
        from selfeval_app.gui.evaluation.history_dialog import HistoryDialog

        if self.record is None or self.read_only:
            return None
        self.flush()
        self._end_session()
        dialog = HistoryDialog(self, self.record["id"])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.restoreRequested.connect(self.restore_version)
        dialog.open()
        return dialog

    def restore_version(self, record_id: str, history_id: int) -> None:
        """Make an earlier version current (as a new version; nothing is lost)."""
        if self.read_only:
            return

        def job(s):
            change = s.store.restore_version("evaluation", record_id, history_id)
            ee.flush_search(s.store)
            return change.record

        def done(_record) -> None:
            self._in_flight -= 1
            self._load_pending = True
            self._after_job()
            self.window.show_status(N_("Earlier version restored."))

        def failed(error) -> None:
            self._in_flight -= 1
            self._after_job()
            from selfeval_app.gui.dialogs import dialogs

            dialogs().warning(self, _("Not restored"), error.message() if isinstance(error, UserFacingError) else _("Something went wrong. Nothing was changed."))

        self.flush()
        self._end_session()
        self._in_flight += 1
        self.window.run_job(job, done, failed, changed={"evaluation"}, status=N_("Restoring…"), done_status=None)

    def start_year_from_previous(self) -> None:
        from selfeval_app.core.year_transitions import start_evaluation_year
        from selfeval_app.gui.dialogs import dialogs

        if self.read_only:
            return
        year = self.selected_year()
        names = {"year": ee.year_label(year), "previous": ee.year_label(year - 1)}
        if not dialogs().question(
            self,
            _("Start a new academic year"),
            _("Start the evaluations of %(year)s as copies of those of %(previous)s? The evaluations of %(previous)s stay as they are.") % names,
        ):
            return
        self.flush()

        def done(records) -> None:
            self._in_flight -= 1
            self._fill_years(select=year)
            self._load_pending = True
            self._after_job()
            self.window.show_status(N_("New academic year started."))

        def failed(error) -> None:
            self._in_flight -= 1
            self._after_job()
            from selfeval_app.gui.dialogs import dialogs as dialog_service

            dialog_service().warning(self, _("Not saved"), error.message() if isinstance(error, UserFacingError) else _("Something went wrong. Nothing was changed."))

        self._in_flight += 1
        self.window.run_job(lambda s: [r["id"] for r in start_evaluation_year(s.store, year)], done, failed, changed={"evaluation"})

    # -- window hooks ------------------------------------------------------------------------------

    def page_shown(self) -> None:
        if not self.has_unsaved_changes():
            self._fill_years()
            self._fill_areas()
            self.load()

    def records_changed(self, types: set[str]) -> None:
        if "school" in types and not self._closed:
            self._apply_languages()  # the school's "we write in" may have changed in Settings
        if "evidence" in types:
            self.refresh_counts_in_background()
        if "area" in types and not self.has_unsaved_changes():
            self._fill_areas()
            self.load()

    def open_record(self, record_type: str, record_id: str) -> None:
        if record_type == "area":
            self.select(area_id=record_id)
        elif record_type == "evaluation" and self.reader is not None:
            rec = self.reader.get("evaluation", record_id)
            if rec is not None:
                self.select(area_id=rec["area_id"], year=rec["academic_year"])

    # -- language ----------------------------------------------------------------------------------

    def _toggle_prompts(self, on: bool) -> None:
        self._prompts_open = on
        self.prompts_panel.setVisible(on)
        self._retranslate_actions()

    def _retranslate_actions(self) -> None:
        year = self.selected_year()
        names = {"year": ee.year_label(year), "previous": ee.year_label(year - 1)}
        self.start_year_button.setText(_("Start %(year)s from %(previous)s…") % names)
        self.start_year_button.setAccessibleName(_("Start %(year)s from %(previous)s") % names)
        self.start_year_button.setToolTip(_("Copy last year's evaluations into this year, to update them. Last year's stay as they are."))
        self.history_button.setText(_("&History…"))
        self.history_button.setAccessibleName(_("History of this evaluation"))
        self.history_button.setToolTip(_("Earlier versions of this evaluation, one for each time it was edited"))
        self.prompts_button.setText(_("Hide &prompts") if self._prompts_open else _("Show &prompts"))
        self.prompts_button.setAccessibleName(_("Reflective prompts"))

    def retranslate(self) -> None:
        self.year_label.setText(_("Academic &year:"))
        self.year_combo.setAccessibleName(plain(_("Academic year:")))
        self.area_label.setText(_("&Area:"))
        self.area_combo.setAccessibleName(plain(_("Area:")))
        other = other_language(self.writes_in())
        self.other_language.setText(_("Show the &English too") if other == "en" else _("Show the &Welsh too"))
        self.other_language.setAccessibleName(plain(self.other_language.text()))
        self.other_language.setToolTip(_("The school writes in one language; show the other beside it"))
        self.visibility_label.setText(_(VISIBILITY_LABEL))
        self.visibility.setAccessibleName(plain(_(VISIBILITY_LABEL)))
        self.visibility.retranslate()
        self._visibility_tooltip()
        self.narrative_box.setTitle(_("Narrative"))
        self.narrative.retranslate()
        for section in self.sections.values():
            section.retranslate()
        self.prompts_panel.setTitle(_("Reflective prompts"))
        self.conflict_text.setAccessibleName(_("What you wrote"))
        self.copy_button.setText(_("&Copy what I wrote"))
        self.copy_button.setAccessibleName(_("Copy what I wrote"))
        self.dismiss_button.setText(_("Close this message"))
        self.dismiss_button.setAccessibleName(_("Close this message"))
        if self.conflict_box.isVisible() and getattr(self, "_conflict_error", None) is not None:
            self.conflict_label.setText(self._conflict_error.message() + "\n" + _("The version stored now is shown below the year and area. What you wrote is here, to copy:"))
        self._set_state(self._state)
        self._retranslate_actions()
        if self.areas:
            self._fill_areas()
            self._show_prompts(self.selected_area())
        self._apply_languages()
