"""Search results as a Qt list model that pages hits in as the list scrolls
(`canFetchMore`/`fetchMore` over a `core.search.SearchPager`), so 20,000 hits stay smooth.

Each row knows its record type (named in the current language), its title (for an evaluation,
which has none of its own: its area and academic year), and the snippet with the matched words
marked; the display text is the same without marks, for screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, Qt

from selfeval_app.core import framework
from selfeval_app.core.bilingual import text_or_other
from selfeval_app.core.i18n import current_language
from selfeval_app.core.owner_sql import scope_owners
from selfeval_app.core.plan_years import year_label
from selfeval_app.core.record_types import type_label
from selfeval_app.core.search import SearchPager, strip_marks
from selfeval_app.core.search import count as count_hits

PAGE_SIZE = 100
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE_ROLE = Qt.ItemDataRole.UserRole + 3
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 4  # with the core's match marks
TYPE_LABEL_ROLE = Qt.ItemDataRole.UserRole + 5


def evaluation_title(store, record_id: str, lang: str) -> str:
    """An evaluation's name: its area and academic year, e.g. "Teaching and learning, 2025–26"."""
    rec = store.get("evaluation", record_id) if store is not None else None
    if rec is None:
        return ""
    area_id = rec.get("area_id") or ""
    area = framework.current_framework().area(area_id)
    if area is not None:
        name = area.title(lang)
    else:
        own = store.get("area", area_id)
        pair = (own or {}).get("title") or {}
        name = text_or_other(pair, lang)
    year = rec.get("academic_year")
    if not year:
        return name
    return f"{name}, {year_label(year)}"


def _parent_priority_title(store, record_id: str, lang: str) -> str:
    """A progress review has no title: it is named by its priority."""
    review = store.get("progress_review", record_id)
    priority = store.get("priority", review["priority_id"]) if review and review.get("priority_id") else None
    return text_or_other((priority or {}).get("title"), lang)


class SearchResultsModel(QAbstractListModel):
    def __init__(self, store_getter, parent=None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._store = store_getter
        self.page_size = page_size
        self.text = ""
        self.lang = "cy"
        self.hits: list = []
        self.titles: list[str] = []
        self.total = 0
        self.fetched_pages = 0
        self.pager: SearchPager | None = None

    def run(self, text: str, lang: str | None = None) -> None:
        self.beginResetModel()
        self.text = text
        self.lang = lang or current_language()
        self.hits, self.titles, self.total, self.fetched_pages = [], [], 0, 0
        self.pager = None
        store = self._store()
        if store is not None and text.strip():
            owners = scope_owners(store)  # the viewing scope: our own records by default
            # A named scope is the read-only window of one owner's records: theirs of every type
            # (not our own visit notes or school profile among them).
            every_type = owners is not None
            self.total = count_hits(store.conn, text, owners=owners, every_type=every_type)
            self.pager = SearchPager(store.conn, text, lang=self.lang, owners=owners, every_type=every_type)
            self._append(self.pager.next_page(self.page_size))
            self.fetched_pages = 1
        self.endResetModel()

    def _append(self, hits) -> None:
        store = self._store()
        for hit in hits:
            title = hit.title
            if hit.type == "evaluation":
                title = evaluation_title(store, hit.record_id, hit.lang)
            elif hit.type == "progress_review" and store is not None:
                title = _parent_priority_title(store, hit.record_id, hit.lang)
            self.hits.append(hit)
            self.titles.append(title)

    def canFetchMore(self, parent=None) -> bool:  # noqa: N802
        return not (parent is not None and parent.isValid()) and len(self.hits) < self.total

    def fetchMore(self, parent=None) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        more = self.pager.next_page(self.page_size) if self.pager is not None else []
        if not more:
            self.total = len(self.hits)
            return
        self.beginInsertRows(self.index(0).parent(), len(self.hits), len(self.hits) + len(more) - 1)
        self._append(more)
        self.fetched_pages += 1
        self.endInsertRows()

    def rowCount(self, parent=None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.hits)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        title = self.titles[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            parts = [type_label(hit.type), title, strip_marks(hit.snippet)]
            return " — ".join(p for p in parts if p)
        if role == TYPE_ROLE:
            return hit.type
        if role == TYPE_LABEL_ROLE:
            return type_label(hit.type)
        if role == ID_ROLE:
            return hit.record_id
        if role == TITLE_ROLE:
            return title
        if role == SNIPPET_ROLE:
            return hit.snippet
        return None
