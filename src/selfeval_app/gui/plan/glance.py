"""This term at a glance: for the term of the window's clock, each priority's RAG now and last
term (word, colour and trend), overdue actions and those due within 14 days (with days), success
criteria by status, and money planned and committed by funding source. Each part has a plain
sentence above its table, so a screen reader (or a quick reader) gets it all as text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QTableWidget, QVBoxLayout, QWidget

from selfeval_app.core import plan_figures as pf
from selfeval_app.core.i18n import _, ngettext
from selfeval_app.core.peer_review_host import FOLLOW_UP_WITHIN_DAYS, follow_ups
from selfeval_app.core.plan_years import priorities_in_year
from selfeval_app.core.record_types import CRITERION_STATUSES
from selfeval_app.gui.language import Retranslatable, qlocale
from selfeval_app.gui.plan.page import cell, rag_cell, readonly_table
from selfeval_app.gui.plan.widgets import name_headers
from selfeval_app.gui.plan.words import (
    CRITERION_STATUS_NAMES,
    FUNDING_NAMES,
    date_text,
    money,
    name,
    pick,
    term_title,
    trend_word,
)
from selfeval_app.peer_review_views import VISIT_KIND_NAMES

GLANCE_TYPES = {"plan", "priority", "action", "success_criterion", "progress_review", "review_visit"}


def _text_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return label


class GlancePage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self._stale = True
        self.data: dict = {}
        outer = QVBoxLayout(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        body = QWidget(self.scroll)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll)
        v = QVBoxLayout(body)
        self.heading = QLabel(body)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        v.addWidget(self.heading)
        self.sections: dict[str, tuple[QGroupBox, QLabel, QTableWidget]] = {}
        for key, columns in (("priorities", 4), ("overdue", 4), ("due", 4), ("follow_ups", 3), ("criteria", 2), ("money", 4)):
            box = QGroupBox(body)
            bv = QVBoxLayout(box)
            summary = _text_label(box)
            table = readonly_table(box, columns)
            bv.addWidget(summary)
            bv.addWidget(table)
            v.addWidget(box)
            self.sections[key] = (box, summary, table)
        v.addStretch(1)
        self.retranslate()

    # -- data ----------------------------------------------------------------------------

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & GLANCE_TYPES:
            self._stale = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        self._stale = False
        reader = self.window_.session.reader
        today = self.window_.clock.today()
        year, term = pf.term_of(today)
        plans = reader.list("plan", order_by="start_year DESC, created_at DESC")
        actions, criteria, reviews = [], [], []
        # Every plan's priorities that run this year (core/plan_years.py), as the reports do.
        priorities = priorities_in_year(reader.list("priority", order_by="position, created_at"), year)
        ids = [p["id"] for p in priorities]
        if ids:
            marks = ",".join("?" * len(ids))
            actions = reader.list("action", where=f"priority_id IN ({marks})", params=ids, order_by="due_date IS NULL, due_date")
            criteria = reader.list("success_criterion", where=f"priority_id IN ({marks})", params=ids)
            reviews = reader.list("progress_review", where=f"priority_id IN ({marks})", params=ids)
        self.data = {
            "today": today,
            "year": year,
            "term": term,
            "priorities": priorities,
            "rags": pf.priority_rags([p["id"] for p in priorities], reviews, year, term),
            "overdue": [a for a in actions if pf.action_status(a, today) == "overdue"],
            "due": [a for a in actions if pf.action_status(a, today) == "due"],
            "criteria": pf.criteria_counts(criteria),
            "money": pf.money_by_source(actions),
            "has_plan": bool(plans),
            # Peer review visits whose follow-up date is near or past (the rule: core/peer_review_host).
            "follow_ups": follow_ups(reader, today),
        }
        self.fill()

    # -- showing -------------------------------------------------------------------------

    def fill(self) -> None:
        d = self.data
        if not d:
            return
        self.heading.setText(term_title(d["year"], d["term"]))
        self.heading.setAccessibleName(self.heading.text())
        titles = {p["id"]: pick(p["title"]) for p in d["priorities"]}  # in the language shown now

        box, summary, table = self.sections["priorities"]
        rags = d["rags"]
        table.setRowCount(len(d["priorities"]))
        for r, p in enumerate(d["priorities"]):
            rag = rags[p["id"]]
            table.setItem(r, 0, cell(titles[p["id"]]))
            table.setItem(r, 1, rag_cell(rag.now))
            table.setItem(r, 2, rag_cell(rag.last))
            table.setItem(r, 3, cell(trend_word(rag.trend)))
        counts = pf.rag_counts(rags.values())
        if not d["priorities"]:
            text = _("No priority runs this year.") if d["has_plan"] else _("There is no development plan yet.")
        else:
            text = _("This term: Green %(green)s, Amber %(amber)s, Red %(red)s; not reviewed yet %(none)s.") % {
                "green": counts["green"], "amber": counts["amber"], "red": counts["red"], "none": counts[None],
            }
        summary.setText(text)

        for key in ("overdue", "due"):
            box, summary, table = self.sections[key]
            rows = d[key]
            table.setRowCount(len(rows))
            for r, a in enumerate(rows):
                if key == "overdue":
                    n = pf.days_overdue(a, d["today"])
                    days = ngettext("%(count)s day late", "%(count)s days late", n) % {"count": n}
                else:
                    n = pf.days_until_due(a, d["today"]) or 0
                    days = _("Due today") if n == 0 else ngettext("in %(count)s day", "in %(count)s days", n) % {"count": n}
                table.setItem(r, 0, cell(pick(a["description"])))
                table.setItem(r, 1, cell(titles.get(a["priority_id"], "")))
                table.setItem(r, 2, cell(date_text(a["due_date"])))
                table.setItem(r, 3, cell(days))
            if key == "overdue":
                summary.setText(ngettext("%(count)s action is overdue.", "%(count)s actions are overdue.", len(rows)) % {"count": len(rows)} if rows else _("No action is overdue."))
            else:
                summary.setText(
                    ngettext("%(count)s action is due within 14 days.", "%(count)s actions are due within 14 days.", len(rows)) % {"count": len(rows)}
                    if rows
                    else _("No action is due within 14 days.")
                )

        box, summary, table = self.sections["follow_ups"]
        rows = d["follow_ups"]
        table.setRowCount(len(rows))
        for r, f in enumerate(rows):
            if f.days < 0:
                when = ngettext("%(count)s day ago", "%(count)s days ago", -f.days) % {"count": -f.days}
            elif f.days == 0:
                when = _("Today")
            else:
                when = ngettext("in %(count)s day", "in %(count)s days", f.days) % {"count": f.days}
            # Translators: a peer review visit in a table, e.g. "Peer enquiry, 20/01/2027".
            visit = _("%(kind)s, %(date)s") % {"kind": name(VISIT_KIND_NAMES, f.kind), "date": date_text(f.start_date)}
            table.setItem(r, 0, cell(visit))
            table.setItem(r, 1, cell(date_text(f.follow_up)))
            table.setItem(r, 2, cell(when))
        summary.setText(
            ngettext(
                "%(count)s peer review visit has its follow-up date within %(days)s days or past.",
                "%(count)s peer review visits have their follow-up date within %(days)s days or past.",
                len(rows),
            ) % {"count": len(rows), "days": FOLLOW_UP_WITHIN_DAYS}
            if rows
            else _("No peer review visit has its follow-up date within %(days)s days.") % {"days": FOLLOW_UP_WITHIN_DAYS}
        )

        box, summary, table = self.sections["criteria"]
        counts = d["criteria"]
        table.setRowCount(len(CRITERION_STATUSES))
        for r, status in enumerate(reversed(CRITERION_STATUSES)):
            table.setItem(r, 0, cell(name(CRITERION_STATUS_NAMES, status)))
            table.setItem(r, 1, cell(qlocale().toString(counts[status])))
        total = sum(counts.values())
        summary.setText(
            _("%(met)s of %(total)s success criteria met; %(partly)s partly met; %(not_met)s not met.")
            % {"met": counts["met"], "total": total, "partly": counts["partially_met"], "not_met": counts["not_met"]}
        )

        box, summary, table = self.sections["money"]
        by = d["money"]
        table.setRowCount(len(by) + 1)
        for r, (source, m) in enumerate(by.items()):
            table.setItem(r, 0, cell(name(FUNDING_NAMES, source)))
            table.setItem(r, 1, cell(money(m.planned_pence)))
            table.setItem(r, 2, cell(money(m.committed_pence)))
            table.setItem(r, 3, cell(money(m.uncommitted_pence)))
        t = pf.total_money(by)
        r = len(by)
        for col, text in enumerate((_("Total"), money(t.planned_pence), money(t.committed_pence), money(t.uncommitted_pence))):
            item = cell(text)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            table.setItem(r, col, item)
        summary.setText(
            _("Planned %(planned)s; committed %(committed)s; not yet committed %(left)s.")
            % {"planned": money(t.planned_pence), "committed": money(t.committed_pence), "left": money(t.uncommitted_pence)}
        )
        for _box, summary, table in self.sections.values():
            table.resizeRowsToContents()
            height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
            table.setFixedHeight(height + 2 * table.frameWidth() + 2)
            summary.setAccessibleName(summary.text())
            table.setAccessibleDescription(summary.text())

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        headers = {
            "priorities": (_("Priorities: progress"), [_("Priority"), _("This term"), _("Last term"), _("Trend")]),
            "overdue": (_("Overdue actions"), [_("Action"), _("Priority"), _("Due"), _("Days late")]),
            "due": (_("Actions due within 14 days"), [_("Action"), _("Priority"), _("Due"), _("When")]),
            "follow_ups": (_("Peer review follow-up"), [_("Visit"), _("Follow-up date"), _("When")]),
            "criteria": (_("Success criteria"), [_("Status"), _("Number")]),
            "money": (_("Money by funding source"), [_("Funding source"), _("Planned"), _("Committed"), _("Not yet committed")]),
        }
        for key, (title, columns) in headers.items():
            box, summary, table = self.sections[key]
            box.setTitle(title)
            table.setHorizontalHeaderLabels(columns)
            table.setAccessibleName(title)
            name_headers(table)
        self.scroll.setAccessibleName(_("This term at a glance"))
        self.fill()
