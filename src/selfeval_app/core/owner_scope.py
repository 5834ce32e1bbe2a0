"""Another owner's records shown read-only (issue 12: the host's records at a reviewer's; the LA
view needs the same): a scope a page reads to know whose records it lists, whose name to show
in its "read only" banner, and that it offers no edit control.

The store refuses writes to another owner's records whatever a page does (`ReadOnlyRecordError`);
the scope only makes the page say so and not offer them.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfeval_app.core.i18n import N_, _
from selfeval_app.core.records import Record, RecordStore

READ_ONLY_BANNER = N_("%(owner)s's records — read only")


@dataclass(frozen=True)
class OwnerScope:
    owner: str
    name: dict[str, str]
    read_only: bool = True

    def records(self, store: RecordStore, type_name: str, *, order_by: str | None = None) -> list[Record]:
        return store.list(type_name, owners=self.owner, order_by=order_by)

    def includes(self, record: Record | None) -> bool:
        return record is not None and record.get("owner") == self.owner

    def banner(self, lang: str | None = None) -> str:
        from selfeval_app.core.bilingual import text_or_other
        from selfeval_app.core.i18n import current_language

        name = text_or_other(self.name, lang or current_language()) or self.owner
        return _(READ_ONLY_BANNER) % {"owner": name}
