"""The LA's Schools page (its home; issue 13 item 3): every school, from the LA's list and from
what schools sent, with the date of its last bundle, what it shares, its priorities and their
national-priority tags, overdue actions, peer reviews hosted and given and partnerships. Schools
that have sent nothing are listed too, and said so in words. Sorting by any column (names in Welsh
or English order), search that folds accents (ŵ = w), the list of schools imported from a CSV,
and opening one school (its shared records, read-only: `school_view.py`).

The list is read on the main thread's reader connection (la_views is plain data over it) after
the window's first paint (`start()`); the CSV import runs on the database worker."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from selfeval_app.core.i18n import N_, _, current_language, ngettext
from selfeval_app.gui.language import Retranslatable

#: Record types whose arrival (a bundle imported) changes what the LA's pages show.
LA_TYPES = {
    "priority", "action", "progress_review", "evaluation", "indicator", "review_visit",
    "partnership", "joint_activity", "success_criterion", "evidence", "plan", "school",
}
CSV_FILTER = N_("Lists of schools (*.csv *.txt)")


def open_in_pages(window, row):
    """One school's shared records in the app's usual pages, read-only (gui/records_window.py):
    its records are those its identity owns (`SchoolRow.identity_id`)."""
    from selfeval_app.gui.records_window import open_records_window

    return open_records_window(window, row.identity_id, dict(row.name))


def date_only(iso: str | None) -> str:
    if not iso:
        return ""
    import datetime as dt

    from selfeval_app.gui.plan.words import date_text

    try:
        return date_text(dt.date.fromisoformat(iso[:10]))
    except ValueError:
        return iso[:10]


def tags_text(tags) -> str:
    from selfeval_app.la_views import tag_label

    return "; ".join(tag_label(t) for t in tags)


def shared_text(row) -> str:
    """What a school shares, in words: how many records, or that nothing came yet."""
    if not row.last_bundle_at and not row.shared_total:
        return _("Nothing received yet")
    return ngettext("%(count)d record", "%(count)d records", row.shared_total) % {"count": row.shared_total}


def shared_detail(row) -> str:
    """The records a school shares by kind (the biggest first), e.g. "Action: 30; Evidence: 10"."""
    from selfeval_app.core.record_types import type_label

    parts = sorted(row.shared.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{type_label(t)}: {n}" for t, n in parts if n)


def _columns(progress: dict):
    from selfeval_app.gui.la.tables import Column
    from selfeval_app.la_school_progress import SchoolProgress

    def prog(r) -> SchoolProgress:
        return progress.get(r.identity_id or "") or SchoolProgress()

    return [
        Column(N_("School"), lambda r: r.name_in(), lambda r: r.sort_cy if current_language() == "cy" else r.sort_en),
        Column(N_("School number"), lambda r: r.number or "", lambda r: r.number or "~"),
        Column(N_("Last bundle"), lambda r: date_only(r.last_bundle_at) or _("Nothing received yet"), lambda r: r.last_bundle_at or ""),
        Column(N_("What it shares"), shared_text, lambda r: r.shared_total, tip=shared_detail),
        Column(N_("Priorities"), lambda r: str(r.priorities), lambda r: r.priorities),
        Column(N_("National priorities"), lambda r: tags_text(r.national_tags), lambda r: len(r.national_tags)),
        Column(N_("Latest progress reviews"), lambda r: prog(r).rag_text() if r.priorities else "", lambda r: tuple(prog(r).rag.values()),
               N_("How many of its priorities stand at each word of their latest progress review")),
        Column(N_("Trend"), lambda r: prog(r).trend_text(), lambda r: tuple(prog(r).trend.values()),
               N_("Latest progress review compared with the one before, per priority")),
        Column(N_("Overdue actions"), lambda r: str(r.overdue_actions), lambda r: r.overdue_actions),
        Column(N_("Evaluation coverage"), lambda r: prog(r).coverage_text() if r.shared_total else "", lambda r: prog(r).areas_evaluated),
        Column(N_("Peer reviews hosted"), lambda r: str(r.visits_hosted), lambda r: r.visits_hosted),
        Column(N_("Peer reviews given"), lambda r: str(r.visits_given), lambda r: r.visits_given),
        Column(N_("Partnerships"), lambda r: str(r.partnerships), lambda r: r.partnerships),
    ]


class SchoolsPage(Retranslatable, QWidget):
    """The LA's home: the window makes it at once and calls `start()` after its first paint."""

    editRequested = Signal()  # noqa: N815 - the school home's signal; an LA has no profile to edit
    loaded = Signal()  # the list was read again

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setObjectName("laSchools")
        self.window_ = window
        self.record = None
        self.rows: list = []
        self.loading = False
        self._built = False
        self._stale = True
        self.open_dialogs: list = []
        self.outer = QVBoxLayout(self)
        self.hide()

    # -- the school home's interface, for the window --------------------------------------------

    def show_record(self, _record) -> None:
        if self._built:
            self.retranslate()

    def start(self) -> None:
        if not self._built:
            self._build()
        self.reload()

    def page_shown(self) -> None:
        if not self._built:
            self._build()
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & LA_TYPES:
            self._stale = True
            if self._built and self.isVisible():
                self.reload()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        from selfeval_app.gui.la.tables import FoldingFilter, RowsModel, table_view

        self._built = True
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.outer.addWidget(self.heading)
        self.outer.addWidget(self.intro)

        row = QHBoxLayout()
        self.search_label = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("laSchoolSearch")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.search.textChanged.connect(self._search)
        row.addWidget(self.search_label)
        row.addWidget(self.search, 1)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("laOpenSchool")
        self.open_button.clicked.connect(self.open_chosen)
        self.pages_button = QPushButton(self)
        self.pages_button.setObjectName("laOpenUsualPages")
        self.pages_button.clicked.connect(self.open_chosen_in_pages)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("laImportSchools")
        self.import_button.clicked.connect(self.import_list)
        row.addWidget(self.open_button)
        row.addWidget(self.pages_button)
        row.addWidget(self.import_button)
        self.outer.addLayout(row)

        counts = QHBoxLayout()  # one sentence a label: whole catalog messages, never pieces
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)
        self.count_label.setObjectName("laSchoolCount")
        self.silent_label = QLabel(self)
        self.silent_label.setObjectName("laSchoolSilent")
        self.match_label = QLabel(self)
        self.match_label.setObjectName("laSchoolMatches")
        for w in (self.count_label, self.silent_label, self.match_label):
            counts.addWidget(w)
        counts.addStretch(1)
        self.outer.addLayout(counts)
        self.progress: dict = {}
        self.model = RowsModel(_columns(self.progress), self)
        self.proxy = FoldingFilter(self, search=self._search_text)
        self.proxy.setSourceModel(self.model)
        self.table = table_view(self, "laSchoolTable")
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(lambda _i: self.open_chosen())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.outer.addWidget(self.table, 1)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setObjectName("laSchoolsProblem")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.problem.hide()
        self.outer.addWidget(self.problem)
        self.retranslate()

    @staticmethod
    def _search_text(row) -> str:
        return " ".join([row.name.get("cy") or "", row.name.get("en") or "", row.number or ""])

    def reload(self) -> None:
        """Read the schools again (after the summaries are brought up to date on the worker)."""
        from selfeval_app.gui.la.reading import after_refresh

        if self.window_.session.reader is None:  # the window is closing
            return
        self._stale = False
        self.loading = True
        after_refresh(self.window_, self._read_once)

    def _read_once(self) -> None:
        from selfeval_app.gui.la.reading import read_or_retry

        read_or_retry(self.window_, self._read, self._read)

    def _read(self) -> None:
        from selfeval_app import la_views
        from selfeval_app.la_school_progress import school_progress

        reader = self.window_.session.reader
        self.loading = False
        if reader is None:
            return
        today = self.window_.clock.today()
        self.rows = la_views.schools(reader, today=today)
        self.progress.clear()
        self.progress.update(school_progress(reader, today=today))
        chosen = self.chosen_key()
        self.model.set_rows(self.rows)
        self._after_fill(chosen)
        self.loaded.emit()

    def _after_fill(self, chosen: str | None = None) -> None:
        from selfeval_app.gui.la.tables import fit_columns

        self.proxy.sort(self.table.horizontalHeader().sortIndicatorSection(), self.table.horizontalHeader().sortIndicatorOrder())
        fit_columns(self.table, 36)
        self._select(chosen)
        self._show_count()
        self._update_buttons()

    def _select(self, key: str | None) -> None:
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole)
            if key is None or row.key == key:
                self.table.selectRow(r)
                return

    def _show_count(self) -> None:
        total = len(self.rows)
        silent = sum(1 for r in self.rows if not r.last_bundle_at)
        shown = self.proxy.rowCount()
        text = ngettext("%(count)d school.", "%(count)d schools.", total) % {"count": total}
        if not total:
            text = _("No schools yet. Import the list of your schools from a CSV file, or import a bundle a school sent you on the Sharing page.")
        self.count_label.setText(text)
        self.silent_label.setText(ngettext(
            "%(count)d has sent nothing yet.", "%(count)d have sent nothing yet.", silent
        ) % {"count": silent} if silent else "")
        self.match_label.setText(ngettext(
            "%(count)d matches the search.", "%(count)d match the search.", shown
        ) % {"count": shown} if shown != total else "")
        self.silent_label.setVisible(bool(silent))
        self.match_label.setVisible(shown != total)

    def _search(self, text: str) -> None:
        chosen = self.chosen_key()
        self.proxy.set_search(text)
        self._select(chosen)
        self._show_count()
        self._update_buttons()

    def chosen_row(self):
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)

    def chosen_key(self) -> str | None:
        if not self._built:
            return None
        row = self.chosen_row()
        return row.key if row is not None else None

    def _update_buttons(self) -> None:
        row = self.chosen_row()
        self.open_button.setEnabled(row is not None)
        self.pages_button.setEnabled(row is not None and bool(row.identity_id))

    def retranslate(self) -> None:
        if not self._built:
            return
        self.heading.setText(_("Schools"))
        self.intro.setText(_("What each school chose to share with the authority, read-only. The list is in alphabetical order; sort by any column, or search by name or number. There is no ranking and no colour category."))
        self.search_label.setText(_("Search:"))
        self.search.setAccessibleName(_("Search the schools by name or number"))
        self.search.setPlaceholderText(_("Name or school number"))
        self.open_button.setText(_("Open the school…"))
        self.open_button.setToolTip(_("See what the chosen school shared: its priorities and progress, overdue actions, evaluation, peer reviews and partnerships (Enter)"))
        self.pages_button.setText(_("Open in the usual pages…"))
        self.pages_button.setAccessibleName(_("Open the chosen school's records in the usual pages"))
        self.pages_button.setToolTip(_("What the chosen school shared, in the app's usual pages (self-evaluation, evidence, development plan), read only, in a window of their own"))
        self.import_button.setText(_("Import the list of schools…"))
        self.import_button.setToolTip(_("A CSV file with the school number and name of each school (names in Welsh and English if you have them). It replaces the list held now."))
        from selfeval_app.gui.la.tables import name_table

        name_table(self.table, _("Schools"))
        chosen = self.chosen_key()
        self.model.retranslate()
        self._after_fill(chosen)

    # -- opening one school --------------------------------------------------------------------

    def open_chosen(self):
        row = self.chosen_row()
        if row is None:
            return None
        return self.open_school(row.key)

    def open_chosen_in_pages(self):
        row = self.chosen_row()
        if row is None or not row.identity_id:
            return None
        return open_in_pages(self.window_, row)

    def open_school(self, key: str):
        from selfeval_app.gui.la.school_view import SchoolDialog

        dialog = SchoolDialog(self.window_, key, self.window_)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _r: self.open_dialogs.remove(dialog) if dialog in self.open_dialogs else None)
        self.open_dialogs.append(dialog)
        dialog.show()
        return dialog

    # -- the list of schools -------------------------------------------------------------------

    def import_list(self) -> bool:
        from selfeval_app.gui.dialogs import dialogs

        path = dialogs().open_file(self, _("Import the list of schools"), "", _(CSV_FILTER))
        if not path:
            return False
        self.import_from(path)
        return True

    def import_from(self, path) -> None:
        from pathlib import Path

        data_dir = self.window_.data_dir

        def job(session):
            from selfeval_app.core.la_schools import import_school_list
            from selfeval_app.exchange.keys import load_keys

            keys = load_keys(data_dir)
            la_code = keys.identity.get("la_code") if keys is not None else None
            return import_school_list(session.store, Path(path), la_code=la_code)

        self.problem.hide()
        self.window_.run_job(job, self._imported, self._import_failed, changed={"school"},
                             status=N_("Importing the list of schools…"), done_status=N_("List of schools imported."))

    def _imported(self, result) -> None:
        self.problem.setText(
            ngettext("%(count)d school on the list", "%(count)d schools on the list", len(result.schools)) % {"count": len(result.schools)}
            + " " + _("(%(added)d new, %(removed)d no longer listed).") % {"added": result.added, "removed": result.removed}
        )
        self.problem.show()
        self.reload()

    def _import_failed(self, error) -> None:
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        self.problem.setText(text)
        self.problem.show()
