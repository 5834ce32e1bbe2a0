"""The Sharing page's own dialogs: adding a contact from a key card (the fingerprint read over the
phone must match) and the send preview (exactly what will leave, before the file is written)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from selfeval_app import exchange_views as views
from selfeval_app.core.i18n import _
from selfeval_app.core.record_types import type_label
from selfeval_app.core.visibility import visibility_label
from selfeval_app.gui.form_widgets import ErrorLabel
from selfeval_app.gui.language import Retranslatable, plain


def readonly_table(parent: QWidget, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(columns - 1 if columns > 1 else 0, QHeaderView.ResizeMode.Stretch)
    table.setTabKeyNavigation(False)
    return table


def name_headers(*tables: QTableWidget) -> None:
    for table in tables:
        table.horizontalHeader().setAccessibleName(_("Column headings"))
        table.verticalHeader().setAccessibleName(_("Row headings"))


def fill_table(
    table: QTableWidget, rows: list[tuple], data: list | None = None, *, fit: int = 0, wrap: bool = True
) -> None:
    """Fill a read-only table; with `fit`, the table is as tall as its rows (at most `fit`
    rows, then it scrolls), so short lists do not take the page's room. Without `wrap`, every
    row is one line (long lists: no measuring of each row) and a cut text shows in full as a tooltip."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            if not wrap and len(text) > 40:
                item.setToolTip(text)
            if data is not None and c == 0:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)
    if wrap:
        table.resizeRowsToContents()
    else:
        table.setWordWrap(False)
    if fit:
        shown = max(1, min(len(rows), fit))
        rows_height = sum(table.rowHeight(r) for r in range(min(len(rows), fit))) or table.fontMetrics().height() * 2
        height = rows_height + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 6
        if len(rows) > shown:
            height += table.horizontalScrollBar().sizeHint().height()
        table.setFixedHeight(height)


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def visibility_word(value: str) -> str:
    return visibility_label(value)


def both_names(name: dict) -> str:
    """A name in both languages when they differ, the current language first."""
    first = views.pick(name)
    other = views.pick(name, "en" if first == name.get("cy") else "cy")
    return first if not other or other == first else f"{first} / {other}"


class AddContactDialog(Retranslatable, QDialog):
    """Shows a key card's names and role, and asks for the fingerprint read out over the phone.
    `accept()` only when it matches; otherwise an inline error says why."""

    def __init__(self, card: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.card = card
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.names = bold(QLabel(self), 1.2)
        self.names.setWordWrap(True)
        self.role = QLabel(self)
        self.fingerprint_label = QLabel(self)
        self.fingerprint_label.setWordWrap(True)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setObjectName("fingerprintInput")
        self.fingerprint_label.setBuddy(self.fingerprint)
        self.error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.add_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.check_and_accept)
        self.buttons.rejected.connect(self.reject)
        self.fingerprint.textChanged.connect(lambda _t: self.error.show_problem(""))
        for w in (self.intro, self.names, self.role, self.fingerprint_label, self.fingerprint, self.error):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a contact"))
        self.intro.setText(
            _(
                "Before you add this contact, telephone the person who sent the key card and ask "
                "them to read out their fingerprint. Type it below: the contact is added only if it "
                "matches."
            )
        )
        self.names.setText(both_names(self.card["name"]))
        self.role.setText(_("Role: %(role)s") % {"role": views.role_name(self.card["role"])})
        self.fingerprint_label.setText(_("&Fingerprint read out to you:"))
        self.fingerprint.setAccessibleName(plain(self.fingerprint_label.text()))
        self.fingerprint.setPlaceholderText(_("e.g. ABCD-EFGH-IJKL-MNOP-QRST"))
        self.add_button.setText(_("&Add the contact"))
        self.add_button.setAccessibleName(_("Add the contact"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def check_and_accept(self) -> None:
        if views.fingerprint_matches(self.fingerprint.text(), self.card["fingerprint"]):
            self.accept()
            return
        self.error.show_problem(views.FingerprintMismatch().message())
        self.fingerprint.setFocus()


class SendPreviewDialog(Retranslatable, QDialog):
    """Exactly what the bundle will carry: counts by type, every record with its title and
    sharing, and what is withdrawn. Accepting goes on to choose where to write it."""

    def __init__(self, preview: views.SendPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self.setObjectName("sendPreview")
        layout = QVBoxLayout(self)
        self.heading = bold(QLabel(self), 1.2)
        self.heading.setWordWrap(True)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.records_label = bold(QLabel(self))
        self.records = readonly_table(self, 3)
        self.records.setObjectName("previewRecords")
        self.records_label.setBuddy(self.records)
        self.withdrawn_label = bold(QLabel(self))
        self.withdrawn_label.setWordWrap(True)
        self.withdrawn = readonly_table(self, 2)
        self.withdrawn.setObjectName("previewWithdrawn")
        self.withdrawn_label.setBuddy(self.withdrawn)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.write_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setEnabled(not preview.empty)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.records_label)
        layout.addWidget(self.records, 3)
        layout.addWidget(self.withdrawn_label)
        layout.addWidget(self.withdrawn, 1)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        width, height = self.fontMetrics().averageCharWidth() * 100, self.fontMetrics().height() * 30
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10))
        self.retranslate()

    def retranslate(self) -> None:
        p = self.preview
        self.setWindowTitle(_("What will be sent"))
        self.heading.setText(_("What will be sent to %(recipient)s") % {"recipient": views.pick(p.recipient_name)})
        if p.empty:
            self.counts.setText(_("Nothing new to send: this contact already has everything it may have."))
        else:
            parts = [f"{type_label(t)}: {n}" for t, n in p.counts_by_type.items()]
            total = len(p.rows)
            files = len(p.contents.attachments)
            self.counts.setText(
                _("Records: %(n)d") % {"n": total}
                + (" — " + "; ".join(parts) if parts else "")
                + "\n"
                + _("Attached files: %(n)d") % {"n": files}
            )
        self.records_label.setText(_("&Records in the bundle"))
        self.records.setAccessibleName(plain(self.records_label.text()))
        self.records.setHorizontalHeaderLabels([_("Kind"), _("Sharing"), _("Title")])
        fill_table(
            self.records,
            [
                (type_label(r["type"]), visibility_word(r["visibility"]), views.pick(r["title"]) or "—")
                for r in p.rows
            ],
            wrap=False,
        )
        n = len(p.withdrawn)
        self.withdrawn_label.setText(
            _("&Withdrawn (the contact had these and may no longer keep them): %(n)d") % {"n": n}
        )
        self.withdrawn.setAccessibleName(_("Withdrawn records"))
        self.withdrawn.setHorizontalHeaderLabels([_("Kind"), _("Title")])
        fill_table(
            self.withdrawn,
            [(type_label(r["type"]), views.pick(r["title"]) or _("(removed from this computer)")) for r in p.withdrawn],
            wrap=False,
        )
        self.withdrawn.setVisible(bool(p.withdrawn))
        name_headers(self.records, self.withdrawn)
        self.write_button.setText(_("&Write the bundle…"))
        self.write_button.setAccessibleName(_("Write the bundle"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
