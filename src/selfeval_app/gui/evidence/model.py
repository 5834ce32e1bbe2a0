"""The evidence list as a Qt table model that pages rows in from the database as the view
scrolls (`canFetchMore`/`fetchMore`), so a log of 20,000 items opens and scrolls smoothly.

Rows come from `core.evidence_queries.list_evidence` on the main thread's read-only store, a page
at a time; nothing here writes.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from selfeval_app.core.bilingual import text_or_other
from selfeval_app.core.evidence_edit import area_choices
from selfeval_app.core.evidence_labels import kind_label, visibility_label
from selfeval_app.core.evidence_queries import EvidenceFilter, count_evidence, list_evidence
from selfeval_app.core.i18n import N_, _, current_language

PAGE_SIZE = 200
COLUMNS = (
    ("date", N_("Date")),
    ("kind", N_("Kind")),
    ("title", N_("Title")),
    ("areas", N_("Areas")),
    ("visibility", N_("Visibility")),
)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def title_in(record: dict, lang: str) -> str:
    """The record's title in `lang`, or in the other language when that one is empty."""
    return text_or_other(record.get("title"), lang)


def format_day(value: str | dt.date | None) -> str:
    """A calendar day as dd/MM/yyyy (the same in both languages, DESIGN §6)."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


class EvidenceTableModel(QAbstractTableModel):
    def __init__(self, store_getter, parent=None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._store = store_getter  # () -> RecordStore (the read-only one)
        self.page_size = page_size
        self.filter = EvidenceFilter()
        self.sort = "date"
        self.rows: list[dict] = []
        self.total = 0
        self.fetched_pages = 0
        self._areas: dict[str, tuple[str, str]] = {}

    # -- querying ------------------------------------------------------------------------

    def set_query(self, flt: EvidenceFilter | None = None, sort: str | None = None, *, keep: int = 0) -> None:
        """Run the list again (new filter/sort, or after a save); `keep` rows at least are loaded
        again so the view keeps its place."""
        if flt is not None:
            self.filter = flt
        if sort is not None:
            self.sort = sort
        store = self._store()
        lang = current_language()
        self._areas = {c.id: (c.short, c.label) for c in area_choices(store, lang)} if store else {}
        self.beginResetModel()
        if store is None:
            self.rows, self.total = [], 0
        else:
            self.total = count_evidence(store, self.filter)
            want = max(self.page_size, keep)
            self.rows = list_evidence(store, self.filter, sort=self.sort, lang=lang, limit=want)
        self.fetched_pages = 1
        self.endResetModel()

    def canFetchMore(self, parent=None) -> bool:  # noqa: N802
        return not (parent is not None and parent.isValid()) and len(self.rows) < self.total

    def fetchMore(self, parent=None) -> None:  # noqa: N802
        if (parent is not None and parent.isValid()) or len(self.rows) >= self.total:
            return
        store = self._store()
        more = list_evidence(
            store, self.filter, sort=self.sort, lang=current_language(), limit=self.page_size, offset=len(self.rows)
        )
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.fetched_pages += 1
        self.endInsertRows()

    def row_of(self, record_id: str, *, fetch: bool = True) -> int:
        """The row showing `record_id` (loading further pages if needed), or -1."""
        while True:
            for i, rec in enumerate(self.rows):
                if rec["id"] == record_id:
                    return i
            if not fetch or not self.canFetchMore():
                return -1
            self.fetchMore()

    def record(self, row: int) -> dict | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _(COLUMNS[section][1])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        rec = self.rows[index.row()]
        column = COLUMNS[index.column()][0]
        if role == ID_ROLE:
            return rec["id"]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(rec, column, short=role == Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("areas", "title"):
            return self._text(rec, column, short=False)
        return None

    def _text(self, rec: dict, column: str, *, short: bool) -> str:
        if column == "date":
            return format_day(rec.get("date"))
        if column == "kind":
            return kind_label(rec.get("kind"))
        if column == "title":
            return title_in(rec, current_language())
        if column == "areas":
            names = [self._areas.get(a, ("?", "?"))[0 if short else 1] for a in rec.get("area_ids") or []]
            return (", " if short else "\n").join(names)
        if column == "visibility":
            return visibility_label(rec.get("visibility"))
        return ""

    def locale_changed(self) -> None:
        """Texts depend on the language: run the list again (order by the new language too)."""
        self.set_query(keep=len(self.rows))


def qt_date(day: dt.date | None):
    from PySide6.QtCore import QDate

    return QDate(day.year, day.month, day.day) if day else QDate()

