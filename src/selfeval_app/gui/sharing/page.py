"""The Sharing page (DESIGN §11, issue 10 item 8): our identity and fingerprint with this school's
laptops, contacts (added from a key card only when the fingerprint read over the phone matches),
"Send to…" with a preview of exactly what will leave, "Import a bundle…" with its report, and
"Needs a decision" with both versions side by side.

Everything that touches the database or a bundle runs on the database worker; writing and
importing show progress with Cancel. The exchange package is imported only by the jobs (through
`exchange_views`), never when the window starts.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import exchange_views as views
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import RECORD_TYPES, type_label
from selfeval_app.gui.busy import BusyIndicator
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.language import Retranslatable
from selfeval_app.gui.sharing.dialogs import (
    AddContactDialog,
    SendPreviewDialog,
    bold,
    both_names,
    fill_table,
    name_headers,
    readonly_table,
)

BUNDLE_FILTER = N_("Bundles (*.selfeval-bundle)")
CARD_FILTER = N_("Key cards (*.selfeval-card *.card *.json)")
CARD_EXTENSION = ".selfeval-card"


class _Progress(QObject):
    """Carries a job's progress from the worker thread to the page (a queued signal)."""

    changed = Signal(int, int)


def _short(device_id: str) -> str:
    return device_id.replace("-", "")[:8].upper()


class SharingPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.data: dict | None = None
        self.last_report: dict | None = None
        self.add_dialog: AddContactDialog | None = None
        self.preview_dialog: SendPreviewDialog | None = None
        self._progress = _Progress(self)
        self._loading = False
        outer = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        from selfeval_app.gui.sharing.sync_section import SyncSection

        self.sync_section = SyncSection(window, self, on_imported=self.page_shown)  # sync's state, "Sync now" (gui/sync.py)
        outer.addWidget(self.sync_section)

        # -- our identity
        self.identity_box = QGroupBox(self)
        iv = QVBoxLayout(self.identity_box)
        self.my_names = bold(QLabel(self.identity_box), 1.2)
        self.my_names.setWordWrap(True)
        self.my_role = QLabel(self.identity_box)
        self.my_fingerprint = QLabel(self.identity_box)
        self.my_fingerprint.setObjectName("ourFingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF() * 1.3)
        mono.setBold(True)
        self.my_fingerprint.setFont(mono)
        self.my_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.my_fingerprint.setWordWrap(True)
        self.fingerprint_help = QLabel(self.identity_box)
        self.fingerprint_help.setWordWrap(True)
        self.devices_label = QLabel(self.identity_box)
        self.devices = readonly_table(self.identity_box, 2)
        self.devices.setObjectName("ourDevices")
        self.devices.itemSelectionChanged.connect(self._update_buttons)
        self.devices_label.setBuddy(self.devices)
        device_row = QHBoxLayout()
        self.remove_device_button = QPushButton(self.identity_box)
        self.remove_device_button.clicked.connect(self.remove_device)
        self.save_card_button = QPushButton(self.identity_box)
        self.save_card_button.clicked.connect(self.save_card)
        device_row.addWidget(self.save_card_button)
        device_row.addWidget(self.remove_device_button)
        # A head who reviews other schools: a peer reviewer identity of their own (gui/visits).
        self.reviewer_button = QPushButton(self.identity_box)
        self.reviewer_button.setObjectName("becomePeerReviewer")
        self.reviewer_button.clicked.connect(self.become_peer_reviewer)
        device_row.addWidget(self.reviewer_button)
        device_row.addStretch(1)
        for w in (self.my_names, self.my_role, self.my_fingerprint, self.fingerprint_help, self.devices_label, self.devices):
            iv.addWidget(w)
        iv.addLayout(device_row)
        self.add_laptop_button = QPushButton(self.identity_box)  # another laptop of this school
        self.add_laptop_button.setObjectName("addLaptop")
        self.add_laptop_button.clicked.connect(self.add_laptop)
        self.laptop_dialog = None
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_laptop_button)
        add_row.addStretch(1)
        iv.addLayout(add_row)

        # -- contacts, sending and importing
        self.contacts_box = QGroupBox(self)
        cv = QVBoxLayout(self.contacts_box)
        self.contacts = readonly_table(self.contacts_box, 3)
        self.contacts.setObjectName("contacts")
        self.contacts.itemSelectionChanged.connect(self._update_buttons)
        self.no_contacts = QLabel(self.contacts_box)
        self.no_contacts.setWordWrap(True)
        cv.addWidget(self.no_contacts)
        cv.addWidget(self.contacts)
        contact_row = QHBoxLayout()
        self.add_contact_button = QPushButton(self.contacts_box)
        self.add_contact_button.clicked.connect(self.add_contact)
        self.remove_contact_button = QPushButton(self.contacts_box)
        self.remove_contact_button.clicked.connect(self.remove_contact)
        contact_row.addWidget(self.add_contact_button)
        contact_row.addWidget(self.remove_contact_button)
        contact_row.addStretch(1)
        cv.addLayout(contact_row)
        send_row = QHBoxLayout()
        self.send_button = QPushButton(self.contacts_box)
        self.send_button.clicked.connect(lambda: self.send_to(self.selected_contact()))
        self.send_own_button = QPushButton(self.contacts_box)
        self.send_own_button.clicked.connect(lambda: self.send_to(views.OWN_DEVICES))
        self.import_button = QPushButton(self.contacts_box)
        self.import_button.clicked.connect(self.import_bundle)
        send_row.addWidget(self.send_button)
        send_row.addWidget(self.send_own_button)
        send_row.addWidget(self.import_button)
        send_row.addStretch(1)
        cv.addLayout(send_row)
        self.busy = BusyIndicator(self.contacts_box)
        self.busy.setObjectName("sharingProgress")
        self._progress.changed.connect(self.busy.progress)
        cv.addWidget(self.busy)
        self.report = QLabel(self.contacts_box)
        self.report.setObjectName("importReport")
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cv.addWidget(self.report)

        # -- needs a decision
        self.decide_box = QGroupBox(self)
        dv = QVBoxLayout(self.decide_box)
        self.nothing_to_decide = QLabel(self.decide_box)
        self.nothing_to_decide.setWordWrap(True)
        dv.addWidget(self.nothing_to_decide)
        self.decide_help = QLabel(self.decide_box)
        self.decide_help.setWordWrap(True)
        dv.addWidget(self.decide_help)
        self.conflicts = readonly_table(self.decide_box, 2)
        self.conflicts.setObjectName("conflicts")
        self.conflicts.itemSelectionChanged.connect(self.show_conflict)
        self.comparison = readonly_table(self.decide_box, 3)
        self.comparison.setMinimumHeight(self.fontMetrics().height() * 8)
        self.comparison.setObjectName("conflictComparison")
        self.comparison.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.comparison.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c in (1, 2):
            self.comparison.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        dv.addWidget(self.conflicts)
        dv.addWidget(self.comparison, 1)
        self.held = QLabel(self.decide_box)  # a bundle of another laptop deleting > a tenth
        self.held.setObjectName("heldBundles")
        self.held.setWordWrap(True)
        self.held.hide()
        self.apply_held_button = QPushButton(self.decide_box)
        self.apply_held_button.setObjectName("applyHeld")
        self.apply_held_button.clicked.connect(self.apply_held)
        self.apply_held_button.hide()
        dv.addWidget(self.held)
        held_row = QHBoxLayout()
        held_row.addWidget(self.apply_held_button)
        held_row.addStretch(1)
        dv.addLayout(held_row)
        self.not_ours = QLabel(self.decide_box)
        self.not_ours.setWordWrap(True)
        self.not_ours.hide()
        dv.addWidget(self.not_ours)
        keep_row = QHBoxLayout()
        self.keep_local_button = QPushButton(self.decide_box)
        self.keep_local_button.clicked.connect(lambda: self.keep("local"))
        self.keep_incoming_button = QPushButton(self.decide_box)
        self.keep_incoming_button.clicked.connect(lambda: self.keep("incoming"))
        keep_row.addWidget(self.keep_local_button)
        keep_row.addWidget(self.keep_incoming_button)
        keep_row.addStretch(1)
        dv.addLayout(keep_row)

        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.addWidget(self.identity_box, 1)
        self.top.addWidget(self.contacts_box, 1)
        outer.addLayout(self.top)
        outer.addWidget(self.decide_box, 1)
        self.retranslate()
        self.reload()

    def fit_width(self, width: int) -> None:
        """Identity and contacts side by side when there is room for both, else one above the
        other (big text, a narrow window)."""
        needed = self.identity_box.sizeHint().width() + self.contacts_box.sizeHint().width() + 40
        direction = QBoxLayout.Direction.LeftToRight if width >= needed else QBoxLayout.Direction.TopToBottom
        if self.top.direction() != direction:
            self.top.setDirection(direction)

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self.fit_width(event.size().width())

    # -- data ----------------------------------------------------------------------------------

    def page_shown(self) -> None:
        if not self._loading:
            self.reload()

    def reload(self, on_done=None) -> None:
        self._loading = True

        def done(data) -> None:
            self._loading = False
            self.data = data
            self.show_data()
            if on_done is not None:
                on_done()

        def failed(error) -> None:
            self._loading = False
            self._show_error(error)

        self.window_.run_job(lambda s: views.overview(s.store), done, failed, status=None, done_status=None)

    def records_changed(self, _types) -> None:
        pass  # what is due is worked out when "Send to…" is pressed

    def selected_contact(self) -> str | None:
        rows = self.contacts.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.contacts.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def selected_device(self) -> dict | None:
        rows = self.devices.selectionModel().selectedRows()
        if not rows or self.data is None:
            return None
        return self.data["me"]["devices"][rows[0].row()]

    def selected_conflict(self) -> dict | None:
        rows = self.conflicts.selectionModel().selectedRows()
        if not rows or self.data is None:
            return None
        return self.data["conflicts"][rows[0].row()]

    def show_data(self) -> None:
        data = self.data
        if data is None:
            return
        me = data["me"]
        self.my_names.setText(both_names(me["name"]))
        self.my_role.setText(_("Role: %(role)s") % {"role": views.role_name(me["role"])})
        self.my_fingerprint.setText(_("Fingerprint: %(fingerprint)s") % {"fingerprint": me["fingerprint"]})
        self.my_fingerprint.setAccessibleName(_("Our fingerprint: %(fingerprint)s") % {"fingerprint": " ".join(me["fingerprint"])})
        fill_table(
            self.devices,
            [
                (
                    _("Laptop %(id)s") % {"id": _short(d["device_id"])},
                    _("This laptop") if d["this"] else (_("Removed: nothing it signs is accepted") if d["removed"] else _("Another laptop of this school")),
                )
                for d in me["devices"]
            ],
            fit=5,
        )
        fill_table(
            self.contacts,
            [(both_names(c["name"]), views.role_name(c["role"]), c["fingerprint"]) for c in data["contacts"]],
            [c["id"] for c in data["contacts"]],
            fit=6,
        )
        self.no_contacts.setVisible(not data["contacts"])
        self.contacts.setVisible(bool(data["contacts"]))
        conflicts = data["conflicts"]
        fill_table(
            self.conflicts,
            [(type_label(c["type"]), views.pick(views.record_title(c["local"])) or "—") for c in conflicts],
            fit=5,
        )
        held = [h for h in data.get("held", []) if not h["confirmed"]]
        if held:
            newest = held[0]
            self.held.setText(
                _(
                    "A bundle from another laptop of this school (laptop %(id)s) would delete "
                    "%(deleting)d of the school's %(total)d records. Nothing of it has been applied. "
                    "If someone meant to delete them, apply the deletions; if not, leave it: it waits "
                    "here, and nothing is lost."
                )
                % {"id": _short(newest["sender_device"]), "deleting": newest["deleting"], "total": newest["total"]}
            )
        self.held.setVisible(bool(held))
        self.apply_held_button.setVisible(bool(held))
        self.nothing_to_decide.setVisible(not conflicts and not held)
        self.decide_help.setVisible(bool(conflicts))
        self.conflicts.setVisible(bool(conflicts))
        self.comparison.setVisible(bool(conflicts))
        if conflicts and not self.conflicts.selectionModel().selectedRows():
            self.conflicts.selectRow(0)
        self.show_conflict()
        self.show_report()
        self._update_buttons()

    def show_conflict(self) -> None:
        conflict = self.selected_conflict()
        rows = views.conflict_rows(conflict) if conflict else []
        fill_table(self.comparison, rows)
        self._update_buttons()

    def show_report(self) -> None:
        if self.last_report is None:
            self.report.setText("")
            self.report.hide()
            return
        self.report.setText(_("Last import:") + "\n" + "\n".join(views.report_lines(self.last_report)))
        self.report.show()

    def _update_buttons(self) -> None:
        busy = self.busy.isVisibleTo(self)
        has_contact = self.selected_contact() is not None
        device = self.selected_device()
        self.send_button.setEnabled(has_contact and not busy)
        self.remove_contact_button.setEnabled(has_contact and not busy)
        self.import_button.setEnabled(not busy)
        self.send_own_button.setVisible(bool(self.data and self.data["own_devices"]))
        self.send_own_button.setEnabled(not busy)
        self.remove_device_button.setEnabled(bool(device and not device["this"] and not device["removed"]))
        self.add_laptop_button.setVisible(bool(self.data and self.data["me"]["role"] == "school"))
        conflict = self.selected_conflict()
        decidable = bool(conflict and conflict.get("decidable", True))
        self.keep_local_button.setEnabled(decidable)
        self.keep_incoming_button.setEnabled(decidable)
        self.not_ours.setVisible(bool(conflict) and not decidable)

    # -- words ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "Send the records you chose to share to your local authority or to another laptop of "
                "this school, and import what they send you. Each bundle is signed and sealed so only "
                "its recipient can open it."
            )
        )
        self.identity_box.setTitle(_("Our identity"))
        self.fingerprint_help.setText(
            _("Read this fingerprint out over the phone to anyone who adds your key card, so they know it is yours.")
        )
        self.devices_label.setText(_("&Laptops of this school:"))
        self.devices.setAccessibleName(_("Laptops of this school"))
        self.devices.setHorizontalHeaderLabels([_("Laptop"), _("State")])
        self.remove_device_button.setText(_("&Remove this laptop…"))
        self.remove_device_button.setAccessibleName(_("Remove the chosen laptop"))
        self.remove_device_button.setToolTip(_("For a lost or stolen laptop: from then on nothing it signs is accepted"))
        self.save_card_button.setText(_("&Save our key card…"))
        self.reviewer_button.setText(_("Become a peer reviewer…"))
        self.reviewer_button.setToolTip(_("Review other schools' visits from this laptop, under a peer reviewer identity of your own"))
        self.save_card_button.setAccessibleName(_("Save our key card"))
        self.save_card_button.setToolTip(_("A file with our public keys (no secrets), to give to a contact"))
        self.contacts_box.setTitle(_("Contacts"))
        self.no_contacts.setText(_("No contacts yet. Add one from the key card they gave you."))
        self.contacts.setAccessibleName(_("Contacts"))
        self.contacts.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Fingerprint")])
        self.add_contact_button.setText(_("&Add a contact from a key card…"))
        self.add_contact_button.setAccessibleName(_("Add a contact from a key card"))
        self.remove_contact_button.setText(_("Remove the &contact…"))
        self.remove_contact_button.setAccessibleName(_("Remove the chosen contact"))
        self.send_button.setText(_("Sen&d to…"))
        self.send_button.setAccessibleName(_("Send to the chosen contact"))
        self.send_button.setToolTip(_("See exactly what will be sent, then write the bundle"))
        self.send_own_button.setText(_("Send to our &other laptops…"))
        self.send_own_button.setAccessibleName(_("Send to our other laptops"))
        self.import_button.setText(_("&Import a bundle…"))
        self.import_button.setAccessibleName(_("Import a bundle"))
        self.report.setAccessibleName(_("Import report"))
        self.add_laptop_button.setText(_("Add a&nother laptop of this school…"))
        self.add_laptop_button.setAccessibleName(_("Add another laptop of this school"))
        self.add_laptop_button.setToolTip(_("The new laptop gets all of the school's records, private ones too, and stays in step by sync"))
        self.apply_held_button.setText(_("Apply the &deletions…"))
        self.apply_held_button.setAccessibleName(_("Apply the deletions from the other laptop"))
        self.decide_box.setTitle(_("Needs a decision"))
        self.nothing_to_decide.setText(_("Nothing needs a decision."))
        self.decide_help.setText(
            _(
                "Two laptops of this school changed these records from the same version. Nothing was "
                "overwritten: compare the two versions and keep one. The version you keep is sent to "
                "the other laptops as an ordinary change."
            )
        )
        self.conflicts.setAccessibleName(_("Records that need a decision"))
        self.conflicts.setHorizontalHeaderLabels([_("Kind"), _("Title")])
        self.comparison.setAccessibleName(_("The two versions side by side"))
        self.comparison.setHorizontalHeaderLabels([_("Field"), _("This laptop's version"), _("The other laptop's version")])
        self.not_ours.setText(views.NotOursToDecide().message())
        self.keep_local_button.setText(_("Keep &this laptop's version"))
        self.keep_local_button.setAccessibleName(_("Keep this laptop's version"))
        self.keep_incoming_button.setText(_("Keep the other la&ptop's version"))
        self.keep_incoming_button.setAccessibleName(_("Keep the other laptop's version"))
        name_headers(self.devices, self.contacts, self.conflicts, self.comparison)
        self.show_data()

    # -- actions -------------------------------------------------------------------------------

    def _show_error(self, error) -> None:
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        dialogs().warning(self, _("Sharing"), text)

    def _start_busy(self, message_id: str):
        token = self.busy.start(message_id, cancellable=True)
        self._update_buttons()
        return token

    def _end_busy(self) -> None:
        self.busy.finish()
        self._update_buttons()

    def become_peer_reviewer(self) -> None:
        """"Visits I review": made on the way (gui/visits/page.py)."""
        self.window_.refresh_optional_pages()
        page = self.window_.show_page("visits")
        page.become_reviewer()

    def save_card(self) -> None:
        name = views.pick(self.data["me"]["name"]) if self.data else ""
        suggested = views._safe_file_part(_("Key card %(name)s") % {"name": name}) + CARD_EXTENSION  # noqa: SLF001
        path = dialogs().save_file(self, _("Save our key card"), str(self._folder() / suggested), _(CARD_FILTER))
        if not path:
            return

        def done(fingerprint) -> None:
            dialogs().information(
                self,
                _("Key card saved"),
                _("Our key card was saved. Give it to your contact, then read them this fingerprint over the phone: %(fingerprint)s")
                % {"fingerprint": fingerprint},
            )

        self.window_.run_job(lambda s: views.save_card(s.store, path), done, self._show_error, status=None, done_status=None)

    def remove_device(self) -> None:
        device = self.selected_device()
        if device is None or device["this"]:
            return
        if not dialogs().question(
            self,
            _("Remove a laptop"),
            _(
                "Remove laptop %(id)s from this school? From then on nothing it signs is accepted and "
                "nothing new is sealed to it. Give your contacts the new key card afterwards. This "
                "cannot be undone."
            )
            % {"id": _short(device["device_id"])},
        ):
            return
        device_id = device["device_id"]
        self.window_.run_job(lambda s: views.remove_own_device(s.store, device_id), lambda _r: self.reload(), self._show_error, status=None, done_status=None)

    def add_laptop(self) -> None:
        from selfeval_app.gui.sharing.laptops import AddLaptopDialog

        dialog = AddLaptopDialog(self.window_, bool(self.data and self.data.get("sync_ready")), self, on_added=self.reload)
        self.laptop_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def apply_held(self) -> None:
        held = [h for h in (self.data or {}).get("held", []) if not h["confirmed"]]
        if not held:
            return
        if not dialogs().question(
            self,
            _("Apply the deletions"),
            _("Delete %(deleting)d of the school's %(total)d records, as the other laptop did? They are deleted on this laptop at the next sync.")
            % {"deleting": held[0]["deleting"], "total": held[0]["total"]},
        ):
            return

        def done(_count) -> None:
            self.window_.show_status(N_("The deletions will be applied at the next sync."))
            self.reload()
            if self.window_.sync is not None and self.window_.sync.configured():  # that next sync: now
                self.window_.sync.sync_now()

        self.window_.run_job(lambda s: views.confirm_held(s.store), done, self._show_error, status=None, done_status=None)

    def add_contact(self) -> None:
        path = dialogs().open_file(self, _("Add a contact from a key card"), str(self._folder()), _(CARD_FILTER))
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
        def done(person) -> None:
            self.window_.show_status(N_("Contact added."))
            self.reload()

        self.window_.run_job(lambda s: views.add_contact(s.store, path, fingerprint), done, self._show_error, status=None, done_status=None)

    def remove_contact(self) -> None:
        contact_id = self.selected_contact()
        if contact_id is None:
            return
        contact = next(c for c in self.data["contacts"] if c["id"] == contact_id)
        if not dialogs().question(
            self,
            _("Remove a contact"),
            _("Remove %(name)s from your contacts? Bundles from them will be refused until you add their key card again.")
            % {"name": both_names(contact["name"])},
        ):
            return
        self.window_.run_job(lambda s: views.remove_contact(s.store, contact_id), lambda _r: self.reload(), self._show_error, status=None, done_status=None)

    def send_to(self, recipient_id: str | None) -> None:
        if recipient_id is None:
            return

        def show(preview) -> None:
            dialog = SendPreviewDialog(preview, self)
            self.preview_dialog = dialog
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.accepted.connect(lambda: self.write_bundle(preview))
            dialog.open()

        self.window_.run_job(lambda s: views.preview_send(s.store, recipient_id), show, self._show_error, status=None, done_status=None)

    def _folder(self):
        from pathlib import Path

        return Path.home()

    def write_bundle(self, preview: views.SendPreview) -> None:
        today = self.window_.clock.today().isoformat()
        suggested = views.suggested_file_name(preview.recipient_name, today)
        path = dialogs().save_file(self, _("Write the bundle"), str(self._folder() / suggested), _(BUNDLE_FILTER))
        if not path:
            return
        if not path.endswith(".selfeval-bundle"):
            path += ".selfeval-bundle"
        token = self._start_busy(N_("Writing the bundle…"))
        progress = self._progress.changed.emit

        def job(session):
            return views.write_previewed(session.store, preview, path, progress=progress, is_cancelled=lambda: token.cancelled)

        def done(result) -> None:
            self._end_busy()
            self.window_.show_status(N_("Bundle written."))
            dialogs().information(
                self,
                _("Bundle written"),
                _("The bundle was written to %(path)s. Send this file to the contact; only they can open it.") % {"path": result["path"]},
            )

        def failed(error) -> None:
            self._end_busy()
            self._show_error(error)

        self.window_.run_job(job, done, failed, status=None, done_status=None)

    def import_bundle(self) -> None:
        path = dialogs().open_file(self, _("Import a bundle"), str(self._folder()), _(BUNDLE_FILTER))
        if not path:
            return
        token = self._start_busy(N_("Checking and importing the bundle…"))
        progress = self._progress.changed.emit

        def job(session):
            return views.import_with_progress(session.store, path, progress=progress, is_cancelled=lambda: token.cancelled)

        def done(report) -> None:
            self._end_busy()
            self.last_report = report
            self.window_.show_status(N_("Bundle imported."))
            self.reload()
            dialogs().information(self, _("Bundle imported"), "\n".join(views.report_lines(report)))

        def failed(error) -> None:
            self._end_busy()
            self._show_error(error)

        self.window_.run_job(job, done, failed, changed=tuple(RECORD_TYPES), status=None, done_status=None)

    def keep(self, which: str) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        conflict_id, record_type = conflict["conflict_id"], conflict["type"]

        def done(_record) -> None:
            self.window_.show_status(N_("Decided."))
            self.reload()

        self.window_.run_job(
            lambda s: views.keep_version(s.store, conflict_id, which), done, self._show_error, changed=(record_type,), status=None, done_status=None
        )
