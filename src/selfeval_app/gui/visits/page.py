""""Visits I review" (issue 12, item 3): the peer reviewer identity and its key card, the visits
held as a reviewer (host, dates, kind, status), importing a visit pack and opening a visit's
workspace. Shown in the navigation only when this installation reviews (`pages.py`); a school's
head becomes a reviewer from the Sharing page ("Become a peer reviewer…") or here.

Everything that touches the database runs on the worker (`window.run_job`); the exchange package
is imported only by those jobs (`reviewer_views`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import reviewer_views as rviews
from selfeval_app.core import peer_review_reviewer as rv
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import RECORD_TYPES
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.language import Retranslatable
from selfeval_app.gui.sharing.dialogs import (
    AddContactDialog,
    bold,
    fill_table,
    name_headers,
    readonly_table,
)
from selfeval_app.gui.sharing.page import BUNDLE_FILTER, CARD_EXTENSION, CARD_FILTER

PAGE_TITLE = N_("Visits I review")


def pick(text) -> str:
    from selfeval_app.exchange_views import pick as _pick

    return _pick(text)


def visit_dates(visit: dict) -> str:
    start, end = visit.get("start_date"), visit.get("end_date")
    return f"{start} – {end}" if start and end and end != start else (start or "")


def label(labels: dict, key: str | None) -> str:
    return _(labels[key]) if key in labels else (key or "")


class VisitsPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.data: dict | None = None
        self.workspace = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)

        self.list_view = QWidget(self.stack)
        lv = QVBoxLayout(self.list_view)
        self.heading = bold(QLabel(self.list_view), 1.3)
        self.intro = QLabel(self.list_view)
        self.intro.setWordWrap(True)
        self.me_label = QLabel(self.list_view)
        self.me_label.setWordWrap(True)
        self.me_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.me_label.setObjectName("reviewerFingerprint")
        self.become_button = QPushButton(self.list_view)
        self.become_button.setObjectName("becomeReviewer")
        self.become_button.clicked.connect(lambda: self.become_reviewer())
        self.card_button = QPushButton(self.list_view)
        self.card_button.clicked.connect(self.save_card)
        self.host_button = QPushButton(self.list_view)
        self.host_button.clicked.connect(self.add_host)
        self.import_button = QPushButton(self.list_view)
        self.import_button.setObjectName("importPack")
        self.import_button.clicked.connect(lambda: self.import_pack())
        rows = []
        for button in (self.become_button, self.card_button, self.host_button, self.import_button):
            row = QHBoxLayout()  # one a line: narrow enough at 200% text
            row.addWidget(button)
            row.addStretch(1)
            rows.append(row)
        self.visits_label = bold(QLabel(self.list_view))
        self.no_visits = QLabel(self.list_view)
        self.no_visits.setWordWrap(True)
        self.table = readonly_table(self.list_view, 6)
        self.table.setObjectName("visits")
        self.visits_label.setBuddy(self.table)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.open_button = QPushButton(self.list_view)
        self.open_button.setObjectName("openVisit")
        self.open_button.clicked.connect(self.open_selected)
        open_row = QHBoxLayout()
        open_row.addWidget(self.open_button)
        open_row.addStretch(1)
        for w in (self.heading, self.intro, self.me_label):
            lv.addWidget(w)
        for row in rows:
            lv.addLayout(row)
        lv.addWidget(self.visits_label)
        lv.addWidget(self.no_visits)
        lv.addWidget(self.table, 1)
        lv.addLayout(open_row)
        self.stack.addWidget(self.list_view)
        self.retranslate()
        self.reload()

    # -- reading -----------------------------------------------------------------------------

    def reload(self, on_done=None) -> None:
        def done(data) -> None:
            self.data = data
            self.show_data()
            if on_done is not None:
                on_done()

        self.window_.run_job(lambda s: rviews.overview(s.store), done, self._show_error, status=None, done_status=None)

    def page_shown(self) -> None:
        if self.workspace is None or self.stack.currentWidget() is not self.workspace:
            self.reload()

    def records_changed(self, types) -> None:
        if "review_visit" in types and (self.workspace is None or self.stack.currentWidget() is not self.workspace):
            self.reload()

    def selected_visit(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_data(self) -> None:
        data = self.data or {"reviewer": None, "visits": []}
        me = data["reviewer"]
        if me:
            self.me_label.setText(
                _("You review as %(name)s. Your peer reviewer fingerprint: %(fingerprint)s")
                % {"name": pick(me["name"]), "fingerprint": me["fingerprint"]}
            )
        else:
            self.me_label.setText(_("This installation has no peer reviewer identity yet."))
        self.become_button.setVisible(me is None)
        visits = data["visits"]
        rows = [
            (pick(v.host_name), v.start_date or "", label(rv.VISIT_KIND_LABELS, v.kind), label(rv.STATUS_LABELS, v.status), str(v.notes), str(v.findings))
            for v in visits
        ]
        fill_table(self.table, rows, [v.id for v in visits])
        self.no_visits.setVisible(not visits)
        self.table.setVisible(bool(visits))
        if visits and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_me = bool(self.data and self.data["reviewer"])
        self.card_button.setEnabled(has_me)
        self.host_button.setEnabled(has_me)
        self.open_button.setEnabled(self.selected_visit() is not None)

    # -- actions -----------------------------------------------------------------------------

    def _show_error(self, error) -> None:
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        dialogs().warning(self, _(PAGE_TITLE), text)

    def _folder(self) -> Path:
        return Path.home()

    def become_reviewer(self, person: str | None = None) -> None:
        """Make the peer reviewer identity, named after the head and the school."""
        if not person:
            person, ok = QInputDialog.getText(
                self, _("Become a peer reviewer"), _("Your name, as host schools will know you (e.g. Ann Jones):")
            )
            if not ok:
                return
        if not person.strip():
            return

        def done(data) -> None:
            self.data = data
            self.show_data()
            self.window_.show_status(N_("You are now a peer reviewer."))
            refresh = getattr(self.window_, "refresh_optional_pages", None)
            if refresh is not None:
                refresh()

        self.window_.run_job(lambda s: rviews.become(s.store, person), done, self._show_error, status=None, done_status=None)
        if self.window_.session.reader is not None:
            self.window_.session.reader.forget_cached_meta()

    def save_card(self) -> None:
        suggested = _("Peer reviewer key card") + CARD_EXTENSION
        path = dialogs().save_file(self, _("Save my peer reviewer key card"), str(self._folder() / suggested), _(CARD_FILTER))
        if not path:
            return

        def done(fingerprint) -> None:
            dialogs().information(
                self,
                _("Key card saved"),
                _("Your peer reviewer key card was saved. Give it to the host school, then read them this fingerprint over the phone: %(fingerprint)s")
                % {"fingerprint": fingerprint},
            )

        self.window_.run_job(lambda s: rviews.save_card(s.store, path), done, self._show_error, status=None, done_status=None)

    def add_host(self) -> None:
        from selfeval_app import exchange_views as views

        path = dialogs().open_file(self, _("Add a host school from its key card"), str(self._folder()), _(CARD_FILTER))
        if not path:
            return

        def read(card) -> None:
            dialog = AddContactDialog(card, self)
            self.add_dialog = dialog
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.accepted.connect(lambda: self._trust(path, dialog.fingerprint.text()))
            dialog.open()

        self.window_.run_job(lambda _s: views.read_card_summary(path), read, self._show_error, status=None, done_status=None)

    def _trust(self, path: str, fingerprint: str) -> None:
        self.window_.run_job(
            lambda s: rviews.add_host(s.store, path, fingerprint),
            lambda _r: self.window_.show_status(N_("Contact added.")),
            self._show_error,
            status=None,
            done_status=None,
        )

    def import_pack(self, path: str | None = None) -> None:
        path = path or dialogs().open_file(self, _("Import a visit pack"), str(self._folder()), _(BUNDLE_FILTER))
        if not path:
            return

        def done(result) -> None:
            self.last_import = result
            self.window_.show_status(N_("Visit pack imported."))
            visits = result["visits"]
            self.reload()
            if visits:
                names = ", ".join(pick(v.host_name) for v in visits)
                dialogs().information(self, _("Visit pack imported"), _("The visit pack from %(host)s is here. Open the visit to read what the school shared and to log your activities.") % {"host": names})
            else:
                dialogs().information(self, _("Visit pack imported"), _("The bundle was imported. It brought no new visit; the visits you hold are brought up to date."))

        self.window_.run_job(lambda s: rviews.import_pack(s.store, path), done, self._show_error, changed=tuple(RECORD_TYPES), status=None, done_status=None)

    def open_selected(self) -> None:
        visit_id = self.selected_visit()
        if visit_id:
            self.open_visit(visit_id)

    def open_visit(self, visit_id: str):
        from selfeval_app.gui.visits.workspace import VisitWorkspace

        if self.workspace is None:
            self.workspace = VisitWorkspace(self.window_, self.stack)
            self.workspace.backRequested.connect(self.show_list)
            self.stack.addWidget(self.workspace)
        self.workspace.open(visit_id)
        self.stack.setCurrentWidget(self.workspace)
        return self.workspace

    def show_list(self) -> None:
        if self.workspace is not None:
            self.workspace.flush()
        self.stack.setCurrentWidget(self.list_view)
        self.reload()
        self.table.setFocus()

    def open_record(self, record_type: str, record_id: str) -> None:
        if record_type == "review_visit":
            self.open_visit(record_id)

    # -- language ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(_(PAGE_TITLE))
        self.intro.setText(
            _(
                "The peer review visits you take part in as a reviewer. What you write here is "
                "yours, written under your peer reviewer identity: it never goes into your own "
                "school's bundles. The host school's records are shown read-only."
            )
        )
        self.become_button.setText(_("Become a peer reviewer…"))
        self.card_button.setText(_("Save my key card…"))
        self.host_button.setText(_("Add a host school…"))
        self.import_button.setText(_("Import a visit pack…"))
        self.visits_label.setText(_("Visits"))
        self.no_visits.setText(_("There are no visits here yet. When a host school sends you its visit pack, import it here."))
        self.table.setHorizontalHeaderLabels([_("Host school"), _("Start date"), _("Kind"), _("Status"), _("Notes"), _("Findings")])
        self.table.setAccessibleName(_("Visits I review"))
        name_headers(self.table)
        self.open_button.setText(_("Open the visit"))
        if self.data is not None:
            self.show_data()
