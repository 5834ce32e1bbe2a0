"""The Partnerships page (issue 13, DESIGN §15): the partnerships this school takes part in, each
with its kind, partner schools, purpose, linked priorities and self-assessed maturity (its step
and the step's sentence), and under each its joint activities (dates, who took part, what
changed). Adding and editing open dialogs (`dialogs.py`); saves and deletes run through the
window's worker. Who may receive each record is chosen like any other record's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import collaboration as collab
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.visibility import visibility_label
from selfeval_app.gui.collaboration.dialogs import ActivityDialog, PartnershipDialog, partner_text
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.language import Retranslatable
from selfeval_app.gui.plan.words import date_text, pick

TYPES = {"partnership", "joint_activity", "priority"}
ROLE_TYPE = Qt.ItemDataRole.UserRole + 1


def _escape(text: str) -> str:
    import html

    return html.escape(text or "").replace("\n", "<br>")


def dates_text(start: str | None, end: str | None) -> str:
    if start and end and end != start:
        # Translators: a span of two dates.
        return _("%(start)s to %(end)s") % {"start": date_text(start), "end": date_text(end)}
    return date_text(start) if start else ""


class PartnershipsPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("partnershipsPage")
        self.window_ = window
        self.partnerships: list[dict] = []
        self.activities: dict[str, list[dict]] = {}
        self.priority_titles: dict[str, dict] = {}
        self._stale = True
        self.last_dialog = None
        outer = QVBoxLayout(self)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        outer.addWidget(self.heading)
        outer.addWidget(self.intro)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addPartnership")
        self.add_button.clicked.connect(lambda: self.edit_partnership(new=True))
        self.add_activity_button = QPushButton(self)
        self.add_activity_button.setObjectName("addJointActivity")
        self.add_activity_button.clicked.connect(lambda: self.edit_activity(new=True))
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("editCollaboration")
        self.edit_button.clicked.connect(self.edit_chosen)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("deleteCollaboration")
        self.delete_button.clicked.connect(self.delete_chosen)
        for b in (self.add_button, self.add_activity_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        outer.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeWidget(self.splitter)
        self.tree.setObjectName("partnershipTree")
        self.tree.setColumnCount(3)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        self.tree.currentItemChanged.connect(lambda *_a: self.show_chosen())
        self.tree.itemActivated.connect(lambda *_a: self.edit_chosen())
        self.detail = QTextBrowser(self.splitter)
        self.detail.setObjectName("partnershipDetail")
        self.detail.setOpenLinks(False)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)
        self.retranslate()

    # -- data --------------------------------------------------------------------------------

    def page_shown(self) -> None:
        if self._stale:
            self.reload()

    def records_changed(self, types: set[str]) -> None:
        if types & TYPES:
            self._stale = True
            if self.isVisible() or self.window_.current_page_key() == "partnerships":
                self.reload()

    def reload(self, select: tuple[str, str] | None = None) -> None:
        self._stale = False
        reader = self.window_.session.reader
        lang = current_language()
        select = select or self.chosen_key()
        self.partnerships = collab.partnerships(reader, lang=lang)
        self.activities = {p["id"]: collab.activities_of(reader, p["id"]) for p in self.partnerships}
        self.priority_titles = {p["id"]: p.get("title") for p in reader.list("priority")}
        self.fill(select)

    def chosen_key(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.data(0, ROLE_TYPE), item.data(0, Qt.ItemDataRole.UserRole)

    def chosen(self) -> tuple[str, dict] | None:
        key = self.chosen_key()
        if key is None:
            return None
        kind, rid = key
        if kind == "partnership":
            rec = next((p for p in self.partnerships if p["id"] == rid), None)
        else:
            rec = next((a for acts in self.activities.values() for a in acts if a["id"] == rid), None)
        return (kind, rec) if rec is not None else None

    def chosen_partnership(self) -> dict | None:
        found = self.chosen()
        if found is None:
            return None
        kind, rec = found
        if kind == "partnership":
            return rec
        return next((p for p in self.partnerships if p["id"] == rec["partnership_id"]), None)

    # -- showing -------------------------------------------------------------------------------

    def fill(self, select: tuple[str, str] | None = None) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        target = None
        for p in self.partnerships:
            step = collab.maturity_step(p.get("maturity"))
            item = QTreeWidgetItem(self.tree, [pick(p.get("name")), collab.kind_label(p.get("kind"), short=True), step.label_text() if step else _("Not assessed yet")])
            item.setData(0, Qt.ItemDataRole.UserRole, p["id"])
            item.setData(0, ROLE_TYPE, "partnership")
            if select == ("partnership", p["id"]):
                target = item
            for a in self.activities.get(p["id"], []):
                child = QTreeWidgetItem(item, [pick(a.get("title")), dates_text(a.get("start_date"), a.get("end_date")), ""])
                child.setData(0, Qt.ItemDataRole.UserRole, a["id"])
                child.setData(0, ROLE_TYPE, "joint_activity")
                if select == ("joint_activity", a["id"]):
                    target = child
        self.tree.expandAll()
        if target is None and self.tree.topLevelItemCount():
            target = self.tree.topLevelItem(0)
        if target is not None:
            self.tree.setCurrentItem(target)
        self.tree.blockSignals(False)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        self.empty.setVisible(not self.partnerships)
        self.show_chosen()

    def show_chosen(self) -> None:
        found = self.chosen()
        has = found is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.add_activity_button.setEnabled(self.chosen_partnership() is not None)
        if not has:
            self.detail.setHtml("")
            return
        kind, rec = found
        self.detail.setHtml(self.partnership_html(rec) if kind == "partnership" else self.activity_html(rec))

    def _para(self, parts: list[str], label: str, text: str) -> None:
        if text:
            parts.append(f"<p><b>{_escape(label)}</b><br>{_escape(text)}</p>")

    def partnership_html(self, p: dict) -> str:
        parts = [f"<h3>{_escape(pick(p.get('name')))}</h3>"]
        self._para(parts, _("Kind of partnership:"), collab.kind_label(p.get("kind")))
        partners = [partner_text(x) for x in p.get("partners") or []]
        self._para(parts, _("Partner schools:"), "\n".join(partners) or _("None given yet"))
        self._para(parts, _("What the schools work together for:"), pick(p.get("purpose")))
        titles = [pick(self.priority_titles.get(pid)) or _("(a deleted priority)") for pid in p.get("priority_ids") or []]
        self._para(parts, _("Priorities of our plan it serves:"), "\n".join(titles))
        step = collab.maturity_step(p.get("maturity"))
        if step is None:
            self._para(parts, _("How far the partnership has come (our own view):"), _("Not assessed yet"))
        else:
            text = _("Step %(number)s of 4: %(step)s") % {"number": step.number, "step": step.label_text()}
            self._para(parts, _("How far the partnership has come (our own view):"), text + "\n" + step.sentence_text())
        self._para(parts, _("Why you chose that step:"), pick(p.get("maturity_note")))
        self._para(parts, _("Dates:"), dates_text(p.get("start_date"), p.get("end_date")))
        self._para(parts, _("Who may receive it:"), visibility_label(p.get("visibility")))
        count = len(self.activities.get(p["id"], []))
        self._para(parts, _("Joint activities:"), str(count))
        return "".join(parts)

    def activity_html(self, a: dict) -> str:
        parts = [f"<h3>{_escape(pick(a.get('title')))}</h3>"]
        self._para(parts, _("Dates:"), dates_text(a.get("start_date"), a.get("end_date")))
        self._para(parts, _("Who took part:"), pick(a.get("participants")))
        self._para(parts, _("What changed as a result:"), pick(a.get("what_changed")))
        titles = [pick(self.priority_titles.get(pid)) or _("(a deleted priority)") for pid in a.get("priority_ids") or []]
        self._para(parts, _("Priorities of our plan it served:"), "\n".join(titles))
        self._para(parts, _("Who may receive it:"), visibility_label(a.get("visibility")))
        return "".join(parts)

    def retranslate(self) -> None:
        self.heading.setText(_("Partnerships"))
        self.intro.setText(_("The partnerships this school takes part in with other schools, and what you do together. Each record leaves this computer only as its visibility allows: choose “Local authority and peer reviewers” for those your authority may see."))
        self.add_button.setText(_("Add a partnership…"))
        self.add_activity_button.setText(_("Add a joint activity…"))
        self.add_activity_button.setToolTip(_("Something the schools of the chosen partnership did together"))
        self.edit_button.setText(_("Edit…"))
        self.edit_button.setAccessibleName(_("Edit the chosen partnership or activity"))
        self.delete_button.setText(_("Delete…"))
        self.delete_button.setAccessibleName(_("Delete the chosen partnership or activity"))
        self.tree.setHeaderLabels([_("Partnership or activity"), _("Kind or dates"), _("Maturity")])
        self.tree.setAccessibleName(_("Partnerships and their joint activities"))
        self.tree.header().setAccessibleName(_("Column headings"))
        self.detail.setAccessibleName(_("The chosen partnership or activity"))
        self.empty.setText(_("No partnerships yet. Add the cluster, federation or other partnerships the school takes part in."))
        if self.partnerships or not self._stale:
            self.fill(self.chosen_key())

    # -- editing -------------------------------------------------------------------------------

    def _open(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.accepted.connect(lambda: self._after_save(dialog))
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def _after_save(self, dialog) -> None:
        saved = getattr(dialog, "saved_record", None)
        if saved:
            self.reload(select=(saved["type"], saved["id"]))

    def edit_partnership(self, new: bool = False):
        record = None if new else self.chosen_partnership()
        if not new and record is None:
            return None
        return self._open(PartnershipDialog(self.window_, record))

    def edit_activity(self, new: bool = False):
        partnership = self.chosen_partnership()
        if partnership is None:
            return None
        record = None
        if not new:
            found = self.chosen()
            if found is None or found[0] != "joint_activity":
                return None
            record = found[1]
        return self._open(ActivityDialog(self.window_, partnership, record))

    def edit_chosen(self):
        found = self.chosen()
        if found is None:
            return None
        return self.edit_partnership() if found[0] == "partnership" else self.edit_activity()

    def delete_chosen(self) -> bool:
        found = self.chosen()
        if found is None:
            return False
        kind, rec = found
        if kind == "partnership":
            n = len(self.activities.get(rec["id"], []))
            question = _("Delete the partnership “%(name)s”?") % {"name": pick(rec.get("name"))}
            if n:
                question += " " + _("Its joint activities are deleted with it.")
            title = _("Delete the partnership")
        else:
            question = _("Delete the joint activity “%(name)s”?") % {"name": pick(rec.get("title"))}
            title = _("Delete the joint activity")
        if not dialogs().question(self, title, question):
            return False
        rid = rec["id"]

        def job(session):
            if kind == "partnership":
                return collab.delete_partnership(session.store, rid)
            return collab.delete_joint_activity(session.store, rid)

        self.window_.run_job(job, lambda _r: self.reload(), None, done_status=N_("Deleted."))
        return True

    def open_record(self, record_type: str, record_id: str) -> None:
        self.reload(select=(record_type, record_id))
