"""The evidence log page: the list (paged, filtered by area, kind, dates and visibility, sorted by
date or by title in the current language's order) beside the editor of the chosen item.

Every write runs on the database worker through `window.run_job`; the list and editor refresh
when `records_changed` says evidence or attachments changed. Delete leaves an Undo bar (and
Ctrl+Z) until the next action; purge asks first and removes the evidence for good.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.evidence_edit import area_choices, priority_choices, statement_choices
from selfeval_app.core.evidence_labels import KIND_LABELS, VISIBILITY_LABELS
from selfeval_app.core.evidence_queries import EvidenceFilter
from selfeval_app.core.i18n import N_, _, current_language, lookup
from selfeval_app.core.messages_common import evidence_count
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.evidence import attachments as files
from selfeval_app.gui.evidence.editor import EDITING_CONTROLS as EDITOR_EDITING_CONTROLS
from selfeval_app.gui.evidence.editor import NO_DATE, EvidenceEditor
from selfeval_app.gui.evidence.model import COLUMNS, ID_ROLE, EvidenceTableModel, title_in
from selfeval_app.gui.form_widgets import NoticeBar, refill_combo
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.operations import reads_only
from selfeval_app.gui.visibility_chooser import default_for_new

SORTS = (
    ("date", N_("Newest first")),
    ("date_asc", N_("Oldest first")),
    ("title", N_("Title, A to Z")),
)
KEEP_ROWS_MAX = 1000  # rows loaded again after a save at most (the chosen one is found anyway)
WATCHED = {"evidence", "attachment", "area", "evaluation", "priority", "school"}
#: The object names of the page's editing controls: hidden or disabled in read-only mode.
EDITING_CONTROLS = frozenset({"newEvidence", "undoEvidence", *EDITOR_EDITING_CONTROLS})


def _day(edit: QDateEdit) -> dt.date | None:
    d = edit.date()
    return None if d == NO_DATE or not d.isValid() else dt.date(d.year(), d.month(), d.day())


class EvidencePage(Retranslatable, QWidget):
    def __init__(self, window, *, read_only: bool = False):
        """`read_only`: another owner's evidence (gui/records_window.py): the list and the chosen
        item's fields can be read; nothing adds, saves, deletes, attaches or removes. An attached
        file that is here can be opened (a read-only copy)."""
        super().__init__(window)
        self.window_ = window
        self.read_only = read_only
        self._reminded = False  # the data-protection reminder, once per session
        self._undo: tuple[str, str, str] | None = None  # (type, id, message id) of the last delete
        self._undo_name = ""
        self._restoring = False
        self._select_after: str | None = None

        outer = QVBoxLayout(self)
        # Filters, in a grid that wraps onto two rows.
        filters = QGridLayout()
        self.area_filter, self.kind_filter, self.visibility_filter, self.sort = (QComboBox(self) for _i in range(4))
        for combo in (self.area_filter, self.kind_filter, self.visibility_filter, self.sort):
            # As wide as the room allows, not as wide as the longest area title.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.from_filter, self.to_filter = QDateEdit(self), QDateEdit(self)
        for edit in (self.from_filter, self.to_filter):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("—")
            edit.setDate(NO_DATE)
        self.filter_labels: dict[str, QLabel] = {}
        self.filter_fields = (
            ("area", self.area_filter),
            ("kind", self.kind_filter),
            ("visibility", self.visibility_filter),
            ("from", self.from_filter),
            ("to", self.to_filter),
            ("sort", self.sort),
        )
        for key, widget in self.filter_fields:
            label = QLabel(self)
            label.setBuddy(widget)
            self.filter_labels[key] = label
        self.clear_filters = QPushButton(self)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newEvidence")
        self.filters = filters
        self._narrow: bool | None = None
        self._lay_out_filters(narrow=False)
        outer.addLayout(filters)

        self.count_label = QLabel(self)
        outer.addWidget(self.count_label)

        self.undo_bar = NoticeBar(self)
        self.undo_label, self.undo_button = self.undo_bar.label, self.undo_bar.button
        self.undo_button.setObjectName("undoEvidence")
        outer.addWidget(self.undo_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model = EvidenceTableModel(lambda: self.window_.session.reader, self)
        self.table = QTableView(self.splitter)
        self.table.setObjectName("evidenceList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.editor = EvidenceEditor(self)
        self.scroll = QScrollArea(self.splitter)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.editor)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)
        self._narrow = None
        self._lay_out_filters(narrow=False)
        self._sized = False

        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        for combo in (self.area_filter, self.kind_filter, self.visibility_filter, self.sort):
            combo.currentIndexChanged.connect(self.refresh)
        for edit in (self.from_filter, self.to_filter):
            edit.dateChanged.connect(self.refresh)
        self.clear_filters.clicked.connect(self.reset_filters)
        self.new_button.clicked.connect(self.new_evidence)
        self.undo_button.clicked.connect(self.undo)
        self.editor.save_button.clicked.connect(lambda: self.save())
        self.editor.delete_button.clicked.connect(self.delete)
        self.editor.purge_button.clicked.connect(self.purge)
        self.editor.attach_button.clicked.connect(self.attach)
        self.editor.open_button.clicked.connect(self.open_attachment)
        self.editor.remove_button.clicked.connect(self.remove_attachment)
        self.editor.dateChanged.connect(self._fill_choices)
        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(self.undo)
        self.save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_shortcut.activated.connect(lambda: self.save())
        self.new_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        self.new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_shortcut.activated.connect(self.new_evidence)
        if read_only:
            self.new_button.hide()
            for shortcut in (self.save_shortcut, self.new_shortcut):
                shortcut.setEnabled(False)
            self.editor.set_read_only(True)
            self.editor.can_open = self._file_is_here

        self.retranslate()
        if read_only:
            self.show_record(None)
            if self.model.rowCount():  # the newest item at once: there is nothing to write here
                self.table.setCurrentIndex(self.model.index(0, 2))
        else:
            self.new_evidence()

    # -- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        lang = current_language()
        texts = {
            "area": _("&Area:"),
            "kind": _("&Kind:"),
            "visibility": _("&Visibility:"),
            "from": _("&From:"),
            "to": _("&To:"),
            "sort": _("S&ort:"),
        }
        widgets = {
            "area": self.area_filter, "kind": self.kind_filter, "visibility": self.visibility_filter,
            "from": self.from_filter, "to": self.to_filter, "sort": self.sort,
        }
        names = {
            "area": _("Show evidence for the area"),
            "kind": _("Show evidence of the kind"),
            "visibility": _("Show evidence with the visibility"),
            "from": _("Show evidence from the date"),
            "to": _("Show evidence up to the date"),
            "sort": _("Sort the evidence"),
        }
        for key, text in texts.items():
            self.filter_labels[key].setText(text)
            widgets[key].setAccessibleName(names[key])
            if isinstance(widgets[key], QDateEdit):
                widgets[key].lineEdit().setAccessibleName(names[key])
        self.table.horizontalHeader().setAccessibleName(_("Columns of the evidence list"))
        self.from_filter.setToolTip(_("Leave at “—” for no limit."))
        self.to_filter.setToolTip(_("Leave at “—” for no limit."))
        store = self.window_.session.reader
        areas = area_choices(store, lang) if store is not None else []
        self._fill(self.area_filter, [(None, _("All areas"))] + [(c.id, c.label) for c in areas])
        self._fill(self.kind_filter, [(None, _("All kinds"))] + [(k, _(v)) for k, v in KIND_LABELS.items()])
        self._fill(self.visibility_filter, [(None, _("Any visibility"))] + [(k, _(v)) for k, v in VISIBILITY_LABELS.items()])
        self._fill(self.sort, [(k, _(v)) for k, v in SORTS])
        self.clear_filters.setText(_("&Clear filters"))
        self.clear_filters.setAccessibleName(_("Clear the filters"))
        self.new_button.setText(_("&New evidence"))
        self.new_button.setAccessibleName(_("Add new evidence"))
        self.new_button.setToolTip(_("Add new evidence (%(keys)s)") % {"keys": QKeySequence(QKeySequence.StandardKey.New).toString(QKeySequence.SequenceFormat.NativeText)})
        self.table.setAccessibleName(_("Evidence list"))
        self.scroll.setAccessibleName(_("The chosen evidence"))
        self.undo_button.setText(_("&Undo"))
        self.undo_button.setAccessibleName(_("Undo the deletion"))
        self._show_undo()
        self.refresh()
        self._fill_choices()  # link lists in the new language (ticks kept)

    _fill = staticmethod(refill_combo)

    # -- the list ------------------------------------------------------------------------

    def current_filter(self) -> EvidenceFilter:
        kind = self.kind_filter.currentData()
        vis = self.visibility_filter.currentData()
        return EvidenceFilter(
            area_id=self.area_filter.currentData(),
            kinds=(kind,) if kind else (),
            date_from=_day(self.from_filter),
            date_to=_day(self.to_filter),
            visibilities=(vis,) if vis else (),
        )

    def refresh(self, *_args, keep_rows: bool = False) -> None:
        """Run the list again with the filters and sort, keeping the chosen item (and, after a
        save, about as many rows as were loaded, so the view keeps its place)."""
        keep = self._select_after or (self.editor.record or {}).get("id")
        self._select_after = None
        self._restoring = True
        try:
            keep_count = min(self.model.rowCount(), KEEP_ROWS_MAX) if keep_rows else 0
            self.model.set_query(self.current_filter(), self.sort.currentData() or "date", keep=keep_count)
            self.count_label.setText(evidence_count(self.model.total))
            self.count_label.setAccessibleName(self.count_label.text())
            if self.read_only:  # nothing to read: no empty form beside an empty list
                self.scroll.setVisible(self.model.total > 0 or self.editor.record is not None)
            if keep:
                row = self.model.row_of(keep)
                if row >= 0:
                    self.table.setCurrentIndex(self.model.index(row, 2))
                    self.table.scrollTo(self.model.index(row, 2))
        finally:
            self._restoring = False

    def reset_filters(self) -> None:
        for combo in (self.area_filter, self.kind_filter, self.visibility_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for edit in (self.from_filter, self.to_filter):
            edit.blockSignals(True)
            edit.setDate(NO_DATE)
            edit.blockSignals(False)
        self.refresh()

    def select(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.model.index(row, 2))
        self.table.scrollTo(self.model.index(row, 2))
        return True

    def _current_changed(self, current, previous) -> None:
        if self._restoring or not current.isValid():
            return
        record_id = self.model.data(current, ID_ROLE)
        if self.editor.record is not None and record_id == self.editor.record["id"]:
            return
        step = self._leave_editor(record_id)
        if step == "stay":
            self._restoring = True
            self.table.setCurrentIndex(previous if previous.isValid() else self.model.index(-1, -1))
            if not previous.isValid():
                self.table.clearSelection()
            self._restoring = False
            return
        if step == "saving":
            return
        self.show_record(self.model.record(current.row()))

    def _leave_editor(self, then_select: str) -> str:
        """Before the editor shows something else: "go" (nothing typed, or the person chose to
        drop it), "saving" (what was typed is being saved; the next item follows) or "stay"."""
        if not self.editor.dirty or self.read_only:
            return "go"
        if self.editor.validate():
            self.save(then_select=then_select)
            return "saving"
        if dialogs().question(
            self,
            _("Not saved"),
            _("This evidence cannot be saved yet: the messages under the fields say what is missing. Leave it and lose what you typed?"),
        ):
            self.editor.dirty = False
            return "go"
        self.window_.show_status(N_("Not saved."))
        return "stay"

    def show_record(self, record: dict | None) -> None:
        self.editor.load(record, today=self.window_.clock.today(), visibility_default=default_for_new(self.window_))
        self.editor.set_writes_in((self.window_.school() or {}).get("writes_in"))
        self._fill_choices()
        self._load_attachments()

    def _fill_choices(self) -> None:
        store = self.window_.session.reader
        if store is None:
            return
        lang = current_language()
        day = self.editor.values()["date"] or self.window_.clock.today()
        also = tuple((self.editor.record or {}).get("statement_ids") or ()) + tuple(self.editor.statements.checked_ids())
        self.editor.set_choices(
            area_choices(store, lang),
            statement_choices(store, academic_year_of(day), lang, also=also),
            priority_choices(store, lang),
        )

    def _load_attachments(self) -> None:
        store = self.window_.session.reader
        rec = self.editor.record
        if store is None or rec is None:
            self.editor.set_attachments([])
            return
        lang = current_language()
        rows = store.list("attachment", where="attached_to = ?", params=(rec["id"],), order_by=f"sort_{lang}, created_at")
        self.editor.set_attachments(rows)

    # -- page hooks ---------------------------------------------------------------------

    # -- fitting the window (200% text) ---------------------------------------------------

    def _lay_out_filters(self, narrow: bool) -> None:
        """Filters three to a row when there is room, two to a row when the text is big."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        grid = self.filters
        while grid.count():
            grid.takeAt(0)
        per_row = 2 if narrow else 3
        for col in range(8):
            grid.setColumnStretch(col, 0)
        for index, (key, widget) in enumerate(self.filter_fields):
            row, col = divmod(index, per_row)
            grid.addWidget(self.filter_labels[key], row, 2 * col)
            grid.addWidget(widget, row, 2 * col + 1)
            grid.setColumnStretch(2 * col + 1, 1)
        if narrow:
            grid.addWidget(self.clear_filters, 3, 0, 1, 2)
            grid.addWidget(self.new_button, 3, 2, 1, 2)
        else:
            grid.addWidget(self.clear_filters, 0, 6)
            grid.addWidget(self.new_button, 1, 6)
        if hasattr(self, "splitter"):  # list beside the editor, or above it when the text is big
            self.splitter.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)
            if narrow:
                self.splitter.setSizes([1, 1])

    def fit_width(self, available: int) -> None:
        """Choose the layout for the width the page has (the window's, not the page's own)."""
        self._lay_out_filters(narrow=available < 110 * self.fontMetrics().averageCharWidth())

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self.fit_width(watched.width())
        return super().eventFilter(watched, event)

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        viewport = self.parentWidget()
        if viewport is not None and not getattr(self, "_watching", False):
            self._watching = True
            viewport.installEventFilter(self)
            self.fit_width(viewport.width())
        if not self._sized:  # first showing: the list gets a little more room than the editor
            self._sized = True
            width = max(self.splitter.width(), 800)
            self.splitter.setSizes([width * 11 // 20, width * 9 // 20])
            fm = self.table.fontMetrics()
            header = self.table.horizontalHeader()
            pad = 3 * fm.averageCharWidth()
            header.resizeSection(0, fm.horizontalAdvance("00/00/0000") + pad)
            header.resizeSection(1, fm.averageCharWidth() * 20)
            hm = header.fontMetrics()
            for section in (3, 4):  # at least as wide as their (bold) heading in either language
                msg = COLUMNS[section][1]
                heading = max((lookup(msg, lang="cy") or msg, msg), key=hm.horizontalAdvance)
                header.resizeSection(section, hm.horizontalAdvance(heading) + 2 * pad)
            header.resizeSection(3, max(header.sectionSize(3), fm.horizontalAdvance("1, 2, 3") + pad))
            header.resizeSection(4, max(header.sectionSize(4), fm.averageCharWidth() * 14))

    def page_shown(self) -> None:
        self.editor.set_writes_in((self.window_.school() or {}).get("writes_in"))

    def records_changed(self, types) -> None:
        if not set(types) & WATCHED:
            return
        if "school" in types:
            self.editor.set_writes_in((self.window_.school() or {}).get("writes_in"))
        if "area" in types:
            self.retranslate()  # the area filter's items
        else:
            self.refresh(keep_rows=True)
        current = self.editor.record
        if current is not None and not self.editor.dirty:
            fresh = self.window_.session.reader.get("evidence", current["id"])
            if fresh is None:
                self.show_record(None)
            elif fresh["rev"] != current["rev"]:
                self.show_record(fresh)
            else:
                self._fill_choices()
                self._load_attachments()
        else:
            self._fill_choices()

    def open_record(self, record_type: str, record_id: str) -> None:
        reader = self.window_.session.reader
        if record_type == "attachment":
            att = reader.get("attachment", record_id) if reader else None
            if att is None or not att.get("attached_to"):
                return
            attachment_id, record_id = record_id, att["attached_to"]
        else:
            attachment_id = None
        rec = reader.get("evidence", record_id) if reader else None
        if rec is None:
            return
        if not self.select(record_id):
            self.reset_filters()
            if not self.select(record_id):
                self.show_record(rec)
        if attachment_id:
            for i in range(self.editor.attachments.count()):
                if self.editor.attachments.item(i).data(Qt.ItemDataRole.UserRole) == attachment_id:
                    self.editor.attachments.setCurrentRow(i)
        self.editor.title["en" if (self.editor.writes_in == "en") else "cy"].setFocus()

    # -- writes ------------------------------------------------------------------------

    def _file_is_here(self, attachment_id: str | None) -> bool:
        """Whether an attachment's file is in this data folder (to open a copy of it)."""
        from selfeval_app.core.attachments import stored_path

        reader = self.window_.session.reader
        att = reader.get("attachment", attachment_id) if reader is not None and attachment_id else None
        return bool(att and att.get("sha256")) and stored_path(reader.db.data_dir, att["sha256"]).is_file()

    def _action(self) -> None:
        """A new action: the Undo bar of the previous one goes."""
        self._undo = None
        self._show_undo()

    def new_evidence(self) -> None:
        if self.read_only or self._leave_editor("") != "go":
            return
        self._restoring = True
        self.table.clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self._restoring = False
        self.show_record(None)
        if self.isVisible():
            self.editor.date.setFocus()

    def save(self, then_select: str | None = None) -> None:
        if self.read_only:
            return
        if not self.editor.validate():
            self.window_.show_status(N_("Not saved."))
            return
        from selfeval_app.core.evidence_edit import save_evidence

        self._action()
        values = self.editor.values()
        visibility = self.editor.chosen_visibility()
        rec = self.editor.record
        record_id, base_rev = (rec["id"], rec["rev"]) if rec else (None, None)

        def job(session):
            return save_evidence(session.store, record_id, values, visibility=visibility, base_rev=base_rev)

        def done(saved: dict) -> None:
            self.editor.dirty = False
            if then_select == "":
                self.show_record(None)
                self._select_after = None
            elif then_select:
                self._select_after = then_select
                self.show_record(self.window_.session.reader.get("evidence", then_select))
            else:
                self._select_after = saved["id"]
                self.show_record(self.window_.session.reader.get("evidence", saved["id"]) or saved)

        self.window_.run_job(job, done, self._failed, changed={"evidence"})

    def _failed(self, error) -> None:
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        dialogs().warning(self, _("Not saved"), text)

    def delete(self) -> None:
        rec = self.editor.record
        if rec is None or self.read_only:
            return
        self._action()
        name = title_in(rec, current_language())

        def job(session):
            session.store.delete("evidence", rec["id"])
            return rec["id"]

        def done(_id) -> None:
            self._undo = ("evidence", rec["id"], N_("Evidence deleted: “%(title)s”."))
            self._undo_name = name
            self._show_undo()
            self.editor.dirty = False
            self.show_record(None)

        self.window_.run_job(job, done, self._failed, changed={"evidence"}, status=N_("Deleting…"), done_status=N_("Deleted"))

    def _show_undo(self) -> None:
        if self._undo is None:
            self.undo_bar.hide()
            self.undo_shortcut.setEnabled(False)
            return
        self.undo_label.setText(_(self._undo[2]) % {"title": self._undo_name, "name": self._undo_name})
        self.undo_label.setAccessibleName(self.undo_label.text())
        self.undo_bar.show()
        self.undo_shortcut.setEnabled(True)

    def undo(self) -> None:
        if self._undo is None or self.read_only:
            return
        type_name, record_id, _msg = self._undo
        self._undo = None
        self._show_undo()

        def job(session):
            return session.store.undelete(type_name, record_id).record

        def done(rec: dict) -> None:
            if type_name == "evidence":
                self._select_after = record_id
                self.show_record(self.window_.session.reader.get("evidence", record_id))

        changed = {"evidence"} if type_name == "evidence" else {"evidence", "attachment"}
        self.window_.run_job(job, done, self._failed, changed=changed, status=N_("Undoing…"), done_status=N_("Undone"))

    def purge(self) -> None:
        rec = self.editor.record
        if rec is None or self.read_only:
            return
        self._action()
        name = title_in(rec, current_language())
        if not dialogs().question(
            self,
            _("Purge for good"),
            _(
                "Remove “%(title)s” for good? This cannot be undone: the evidence, all its earlier "
                "versions and its attached files are removed, and it will no longer be found by search."
            )
            % {"title": name},
        ):
            return

        def job(session):
            from selfeval_app.core.purge import purge

            return purge(session.store, "evidence", rec["id"]).pending

        def done(pending: bool) -> None:
            self.editor.dirty = False
            self.show_record(None)
            if pending:  # another program holds the data open: the WAL is emptied when it closes
                from selfeval_app.core.purge import PENDING_MESSAGE

                dialogs().information(self, _("Purge for good"), _(PENDING_MESSAGE))

        self.window_.run_job(
            job, done, self._failed, changed={"evidence", "attachment"}, status=N_("Purging…"), done_status=N_("Purged")
        )

    # -- attachments ---------------------------------------------------------------------

    def attach(self) -> None:
        rec = self.editor.record
        if rec is None or self.read_only:
            return
        self._action()
        if not self._reminded:
            dialogs().information(self, _(files.REMINDER_TITLE), _(files.REMINDER_TEXT))
            self._reminded = True
        path = dialogs().open_file(self, _("Attach a file"))
        if not path:
            return
        source = Path(path)
        evidence_id, visibility = rec["id"], rec.get("visibility") or "private"

        def job(session):
            from selfeval_app.core.attachments import attach

            return attach(session.store, evidence_id, source, visibility=visibility).record

        def failed(error) -> None:
            text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
            dialogs().warning(self, _("The file was not attached"), text)

        self.window_.run_job(
            job, lambda _rec: self._load_attachments(), failed, changed={"evidence", "attachment"},
            status=N_("Attaching…"), done_status=N_("Attached"),
        )

    def open_attachment(self) -> None:
        attachment_id = self.editor.selected_attachment()
        if attachment_id is None:
            return

        @reads_only
        def job(session):
            from selfeval_app.core.attachments import open_copy

            return open_copy(session.store, attachment_id)

        def done(path) -> None:
            if not files.open_in_system(path):
                dialogs().open_folder(self, Path(path).parent)

        def failed(error) -> None:
            text = error.message() if hasattr(error, "message") else _("The file could not be opened.")
            dialogs().warning(self, _("The file could not be opened"), text)

        self.window_.run_job(job, done, failed, status=N_("Opening…"), done_status=None)

    def remove_attachment(self) -> None:
        attachment_id = self.editor.selected_attachment()
        if attachment_id is None or self.read_only:
            return
        self._action()
        row = next((a for a in self.editor._attachment_rows if a["id"] == attachment_id), {})

        def job(session):
            session.store.delete("attachment", attachment_id)
            return attachment_id

        def done(_id) -> None:
            self._undo = ("attachment", attachment_id, N_("File removed: “%(name)s”."))
            self._undo_name = row.get("name", "")
            self._show_undo()
            self._load_attachments()

        # Translators: the status after one attached file is taken off the evidence.
        self.window_.run_job(job, done, self._failed, changed={"evidence", "attachment"}, status=N_("Removing…"), done_status=N_("Removed"))

