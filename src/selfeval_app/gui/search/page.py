"""The search page: a search box (Enter, or a short pause in typing, searches), the number of
results, and the results paged into a list; Enter or a double-click opens the record on its page.

Search is accent-insensitive and safe for any text (`Llan-faes`, `i'r`, `"`, `AND` are searched as
words: core.search_query). The index is brought up to date on the database worker first, then
the results are read on the main thread's read-only connection, a page at a time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _, current_language, ngettext
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.operations import reads_only
from selfeval_app.gui.search.delegate import SearchResultDelegate
from selfeval_app.gui.search.model import ID_ROLE, TYPE_ROLE, SearchResultsModel
from selfeval_app.gui.welsh_letters import install_welsh_letters

DEBOUNCE_MS = 300


def results_count(n: int) -> str:
    # Translators: the number of search results. Welsh: the singular noun after the numeral,
    # mutated by it: 0 "Dim canlyniadau", 1 "1 canlyniad", 2 "2 ganlyniad", 3 "3 chanlyniad",
    # 6 "6 chanlyniad", other "canlyniad".
    return ngettext("%(count)d result", "%(count)d results", n) % {"count": n}


class SearchPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self._pending: str | None = None
        self._searched: str | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.label = QLabel(self)
        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setClearButtonEnabled(True)
        install_welsh_letters(self.box)
        self.label.setBuddy(self.box)
        self.button = QPushButton(self)
        row.addWidget(self.label)
        row.addWidget(self.box, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)
        layout.addWidget(self.count_label)
        self.model = SearchResultsModel(lambda: self.window_.session.reader, self)
        self.results = QListView(self)
        self.results.setObjectName("searchResults")
        self.results.setModel(self.model)
        self.results.setItemDelegate(SearchResultDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.results, 1)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.hide()
        layout.addWidget(self.empty)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)
        self.box.textEdited.connect(lambda _t: self.timer.start())
        self.box.returnPressed.connect(self.search_now)
        self.button.clicked.connect(self.search_now)
        self.results.activated.connect(self.open_result)
        self.results.doubleClicked.connect(self.open_result)
        self.retranslate()

    # -- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        self.label.setText(_("&Search for:"))
        self.box.setAccessibleName(plain(_("&Search for:")))
        self.box.setPlaceholderText(_("Words to find, e.g. reading or darllen"))
        self.box.setToolTip(_("Accents do not matter: “ty” finds “tŷ”. End a word with * to find words starting with it."))
        for clear in self.box.findChildren(QToolButton):
            clear.setAccessibleName(_("Clear the search"))
            clear.setToolTip(_("Clear the search"))
        self.button.setText(_("Searc&h"))
        self.button.setAccessibleName(_("Search now"))
        self.results.setAccessibleName(_("Search results"))
        if self._searched:
            self._run(self._searched)  # results in the preferred language, labels translated
        else:
            self._show_count()

    # -- searching -----------------------------------------------------------------------

    def search_now(self) -> None:
        """Search for what is in the box: first bring the index up to date on the worker."""
        self.timer.stop()
        text = self.box.text()
        if not text.strip():
            self._searched = None
            self.model.run("")
            self._show_count()
            return
        self._pending = text

        def job(session):
            session.store.flush_search_index()
            return text

        reads_only(job)  # the index only, no record: a read-only records window searches too
        def done(searched: str) -> None:
            if searched == self._pending:  # a later search replaces this one
                self._pending = None
                self._run(searched)

        self.window_.run_job(job, done, None, status=None, done_status=None)

    def _run(self, text: str) -> None:
        self._searched = text
        self.model.run(text, current_language())
        self._show_count()
        if self.model.rowCount():
            self.results.setCurrentIndex(self.model.index(0))

    def _show_count(self) -> None:
        if self._searched is None:
            self.count_label.setText(_("Type words to search the self-evaluation, evidence and the plan."))
            self.empty.hide()
        elif self.model.total == 0:
            self.count_label.setText(results_count(0))
            self.empty.setText(
                _("Nothing was found for “%(query)s”. Try fewer words, or the start of a word followed by *.")
                % {"query": self._searched}
            )
            self.empty.show()
        else:
            self.count_label.setText(results_count(self.model.total))
            self.empty.hide()
        self.count_label.setAccessibleName(self.count_label.text())
        self.empty.setAccessibleName(self.empty.text())
        self.results.setVisible(not self.empty.isVisible())

    def open_result(self, index=None) -> None:
        index = index if index is not None and index.isValid() else self.results.currentIndex()
        if not index.isValid():
            return
        record_type, record_id = index.data(TYPE_ROLE), index.data(ID_ROLE)
        try:
            opened = self.window_.open_record(record_type, record_id)
        except Exception:  # a page still being written must not take the search down
            import logging

            logging.getLogger(__name__).exception("opening %s %s failed", record_type, record_id)
            opened = False
        if not opened:
            self.window_.show_status(N_("This record cannot be opened on a page yet."))

    def page_shown(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def records_changed(self, types) -> None:
        if self._searched and types:
            self.search_now_for(self._searched)

    def search_now_for(self, text: str) -> None:
        if self.box.text() != text:
            self.box.setText(text)
        self.search_now()
