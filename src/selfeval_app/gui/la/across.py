"""The LA's Across schools page (issue 13 item 4), one tab each:

- **Alignment**: how many schools have priorities tagged with each national priority; schools
  running more than five priorities this year; priorities with no national tag.
- **Progress**: per national priority, the latest progress review of its priorities in words
  (Green / Amber / Red / no review yet), trends and success criteria.
- **Collaboration**: the network drawn (`network.py`) with the table of links beside it (the
  table alternative), reciprocity in words, and schools with no partnership or peer review in the
  last year.
- **Indicators**: indicators combined across schools where their units match; a combined figure
  from fewer than 5 pupils is suppressed, and the page says so in words.

No league tables (nothing is ranked) and no colour categories. Every table here is
`la_views.table()`, the same text the CSV export writes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget

from selfeval_app.core.i18n import _, ngettext
from selfeval_app.gui.la.network import legend
from selfeval_app.gui.la.schools import LA_TYPES
from selfeval_app.gui.la.tables import TextTable, name_table, table_view
from selfeval_app.gui.language import Retranslatable
from selfeval_app.gui.plan.widgets import name_tab_scrollers

#: Columns holding numbers, per table (sorted by value).
NUMERIC = {
    "alignment": (1, 2),
    "progress": tuple(range(1, 10)),
    "collaboration": (4,),
    "indicators": (3, 4, 5, 6),
    "many": (1,),
}


def _label(parent: QWidget, *, bold: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class AcrossSchoolsPage(Retranslatable, QWidget):
    loaded = Signal()  # read again

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("laAcross")
        self.window_ = window
        self._stale = True
        self.network = None
        self.alignment = None
        self.loading = False
        outer = QVBoxLayout(self)
        self.heading = _label(self, bold=True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.intro = _label(self)
        outer.addWidget(self.heading)
        outer.addWidget(self.intro)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("laAcrossTabs")
        outer.addWidget(self.tabs, 1)
        self.tables: dict[str, TextTable] = {}
        self.captions: dict[str, QLabel] = {}

        # Alignment
        tab = QWidget(self.tabs)
        col = QVBoxLayout(tab)
        self.alignment_summary = _label(tab)
        self.untagged_summary = _label(tab)
        col.addWidget(self.alignment_summary)
        col.addWidget(self.untagged_summary)
        self._add_table(tab, col, "alignment")
        self._add_table(tab, col, "many")
        self._add_table(tab, col, "untagged")
        self.tabs.addTab(tab, "")

        # Progress
        tab = QWidget(self.tabs)
        col = QVBoxLayout(tab)
        self.progress_note = _label(tab)
        col.addWidget(self.progress_note)
        self._add_table(tab, col, "progress")
        col.addStretch(1)
        self.tabs.addTab(tab, "")

        # Collaboration
        from selfeval_app.gui.la.network import NetworkView

        tab = QWidget(self.tabs)
        col = QVBoxLayout(tab)
        # One sentence a label: each is a whole catalog message (no sentences built of pieces).
        self.reciprocity = _label(tab)
        self.reciprocity.setObjectName("laReciprocity")
        self.reciprocal = _label(tab)
        self.reciprocal.setObjectName("laReciprocal")
        self.isolated = _label(tab)
        self.isolated.setObjectName("laIsolated")
        for w in (self.reciprocity, self.reciprocal, self.isolated):
            col.addWidget(w)
        split = QSplitter(Qt.Orientation.Horizontal, tab)
        left = QWidget(split)
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        self.network_caption = _label(left, bold=True)
        self.network_view = NetworkView(left)
        self.network_caption.setBuddy(self.network_view)
        self.network_view.chosenChanged.connect(self._network_chosen)
        self.network_view.openRequested.connect(self._open_school)
        self.network_words = _label(left)
        self.network_words.setObjectName("laNetworkWords")
        self.legend = _label(left)
        for w in (self.network_caption, self.network_view, self.network_words, self.legend):
            lcol.addWidget(w)
        lcol.setStretch(1, 1)
        right = QWidget(split)
        rcol = QVBoxLayout(right)
        rcol.setContentsMargins(0, 0, 0, 0)
        self._add_table(right, rcol, "collaboration")
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        col.addWidget(split, 3)
        self._add_table(tab, col, "no_collaboration")
        self.tabs.addTab(tab, "")

        # Indicators
        tab = QWidget(self.tabs)
        col = QVBoxLayout(tab)
        self.suppression = _label(tab)
        self.suppression.setObjectName("laSuppression")
        col.addWidget(self.suppression)
        self._add_table(tab, col, "indicators")
        self.tabs.addTab(tab, "")
        self.retranslate()

    def _add_table(self, parent: QWidget, layout, name: str) -> None:
        caption = _label(parent, bold=True)
        view: QTableView = table_view(parent, f"laTable_{name}")
        caption.setBuddy(view)
        layout.addWidget(caption)
        layout.addWidget(view, 1)
        self.captions[name] = caption
        self.tables[name] = TextTable(view, by_name=name in ("many", "untagged", "no_collaboration"))

    # -- data ------------------------------------------------------------------------------------

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & LA_TYPES:
            self._stale = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        """Read again (after the summaries are brought up to date on the worker)."""
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

        self.loading = False
        reader = self.window_.session.reader
        if reader is None:
            return
        today = self.window_.clock.today()
        for name in ("alignment", "untagged", "progress", "collaboration", "no_collaboration", "indicators"):
            self.tables[name].show(la_views.table(reader, name, today=today), NUMERIC.get(name, ()))
        self.alignment = la_views.alignment(reader, today=today)
        self.network = la_views.collaboration(reader, today=today)
        many = la_views.Table("many", [_("School"), _("Priorities this year")], [[ref.name_in(), str(n)] for ref, n in self.alignment.many_priorities])
        self.tables["many"].show(many, NUMERIC["many"])
        self.network_view.show_network(self.network)
        self._words()
        self.loaded.emit()

    def _words(self) -> None:
        from selfeval_app import la_views

        a, net = self.alignment, self.network
        if a is None or net is None:
            return
        self.alignment_summary.setText(
            _("%(with)d of %(total)d schools have shared priorities with the authority.") % {"with": a.schools_with_priorities, "total": a.schools_total}
        )
        self.untagged_summary.setText(
            ngettext(
                "%(count)d priority has no national priority tag.", "%(count)d priorities have no national priority tag.", len(a.untagged)
            ) % {"count": len(a.untagged)}
        )
        self.reciprocity.setText(
            ngettext(
                "%(count)d pair of schools works together in a partnership named by at least one of them.",
                "%(count)d pairs of schools work together in a partnership named by at least one of them.",
                net.named_pairs,
            ) % {"count": net.named_pairs}
        )
        self.reciprocal.setText(
            ngettext(
                "In %(count)d pair, both schools name each other.", "In %(count)d pairs, both schools name each other.", net.reciprocal_pairs
            ) % {"count": net.reciprocal_pairs}
        )
        self.isolated.setText(
            ngettext(
                "%(count)d school has no partnership or peer review in the last year.",
                "%(count)d schools have no partnership or peer review in the last year.",
                len(net.isolated),
            ) % {"count": len(net.isolated)}
        )
        self.network_words.setText(self.network_view.describe(self.network_view.chosen))
        self.suppression.setText(
            _("Indicators are combined only where schools use the same title and unit. A school's value from fewer than %(n)d pupils is left out, and a combined figure from fewer than %(n)d pupils is not shown (“suppressed”), so no small group of pupils can be picked out.") % {"n": la_views.SMALL_COHORT}
        )

    def _network_chosen(self, key: str) -> None:
        self.network_words.setText(self.network_view.describe(key))
        self.network_view.setAccessibleDescription(self.network_words.text())

    def _open_school(self, key: str) -> None:
        home = self.window_.school_page
        if hasattr(home, "open_school"):
            home.open_school(key)

    def retranslate(self) -> None:
        from selfeval_app import la_views

        self.heading.setText(_("Across schools"))
        self.intro.setText(_("The authority's schools taken together, from what each chose to share. Nothing is ranked and nothing is put in a colour category."))
        for i, title in enumerate((_("Alignment"), _("Progress"), _("Collaboration"), _("Indicators"))):
            self.tabs.setTabText(i, title)
        self.tabs.setAccessibleName(_("Across schools"))
        name_tab_scrollers(self.tabs)
        captions = {
            "alignment": la_views.table_title("alignment"),
            "many": _("Schools running more than %(n)d priorities this year") % {"n": la_views.MANY_PRIORITIES},
            "untagged": la_views.table_title("untagged"),
            "progress": la_views.table_title("progress"),
            "collaboration": _("Who works with whom (the table of the drawing)"),
            "no_collaboration": la_views.table_title("no_collaboration"),
            "indicators": la_views.table_title("indicators"),
        }
        for name, text in captions.items():
            self.captions[name].setText(text)
            name_table(self.tables[name].view, text)
        self.progress_note.setText(_("For each national priority: the priorities tagged with it, and where their latest progress review stands, in words. A trend compares the latest review with the one before."))
        self.network_caption.setText(_("Collaboration network"))
        self.network_view.setAccessibleName(_("Collaboration network: use the arrow keys to go from school to school, Enter to open one"))
        self.legend.setText(legend())
        if not self._stale and self.window_.session.reader is not None:  # the tables' text is in the language
            self.reload()
        else:
            self._words()
