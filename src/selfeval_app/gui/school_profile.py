"""The school profile: a form with inline checks (in the current language), and its dialog.

Nothing is saved until the form is valid: an empty name, an establishment number not in the
form NNN/NNNN, a number that starts with no Welsh LA code, or one from another LA than the one
chosen each show a message under the field, and the save is not sent to the database.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core import framework
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.gui.form_widgets import ErrorLabel, refill_combo, select_data
from selfeval_app.gui.labels import WRITES_IN_NAMES
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.visibility_chooser import VisibilityChooser
from selfeval_app.gui.welsh_letters import install_welsh_letters

ERR_NAME = N_("Give the school's name, in Welsh or English or both.")
ERR_FORMAT = N_("Write the establishment number as three digits, a slash and four digits, e.g. 669/2318.")
ERR_UNKNOWN_LA = N_("This number does not start with the code of a Welsh local authority (660 to 681).")
# Translators: the names go after a colon and "yw", so Welsh needs no mutation of them.
ERR_WRONG_LA = N_("This number belongs to another local authority: %(number_la)s. The local authority chosen above is %(chosen_la)s.")


def validate_profile(values: dict) -> dict[str, tuple[str, dict]]:
    """Problems by field: {field: (message id, params)}; empty when the profile can be saved."""
    errors: dict[str, tuple[str, dict]] = {}
    name = values.get("name") or {}
    if not (name.get("cy") or "").strip() and not (name.get("en") or "").strip():
        errors["name"] = (ERR_NAME, {})
    number = (values.get("establishment_number") or "").strip()
    if number:
        problem = framework.validate_establishment_number(number, values.get("la_code"))
        if problem == framework.ERROR_FORMAT:
            errors["establishment_number"] = (ERR_FORMAT, {})
        elif problem == framework.ERROR_UNKNOWN_LA:
            errors["establishment_number"] = (ERR_UNKNOWN_LA, {})
        elif problem == framework.ERROR_WRONG_LA:
            canonical = framework.normalise_establishment_number(number) or number
            errors["establishment_number"] = (
                ERR_WRONG_LA,
                {"number_la": int(canonical[:3]), "chosen_la": values.get("la_code")},
            )
    return errors


def _render(message_id: str, params: dict) -> str:
    if not params:
        return _(message_id)
    lang = current_language()
    named = {}
    for key, code in params.items():
        la = framework.local_authority_by_code(code) if code is not None else None
        named[key] = la.name(lang) if la else str(code)
    return _(message_id) % named


class SchoolProfileForm(Retranslatable, QWidget):
    """The fields of the school record. `values()` gives a dict ready for the record store."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._errors: dict[str, tuple[str, dict]] = {}
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name_cy = QLineEdit(self)
        self.name_en = QLineEdit(self)
        self.name_error = self._error_label()
        self.la = QComboBox(self)
        self.number = QLineEdit(self)
        self.number_error = self._error_label()
        self.cluster = QLineEdit(self)
        self.phase = QComboBox(self)
        self.language_category = QComboBox(self)
        self.writes_in = QComboBox(self)
        # The school-wide default for new shareable records (a field of the school record).
        self.default_visibility = VisibilityChooser(self, object_name="defaultVisibility")
        self.labels: dict[str, QLabel] = {}
        rows = (
            ("name_cy", self.name_cy),
            ("name_en", self.name_en),
            ("name_error", self.name_error),
            ("la", self.la),
            ("number", self.number),
            ("number_error", self.number_error),
            ("cluster", self.cluster),
            ("phase", self.phase),
            ("language_category", self.language_category),
            ("writes_in", self.writes_in),
            ("default_visibility", self.default_visibility),
        )
        for key, field in rows:
            if key.endswith("_error"):
                self.form.addRow(field)
                continue
            label = QLabel(self)
            label.setWordWrap(True)
            label.setBuddy(field.combo if isinstance(field, VisibilityChooser) else field)
            self.labels[key] = label
            self.form.addRow(label, field)
        for field in (self.name_cy, self.name_en, self.number, self.cluster):
            install_welsh_letters(field)
            field.textEdited.connect(self.changed)
        self.number.editingFinished.connect(self._fill_la_from_number)
        self.retranslate()

    def _error_label(self) -> QLabel:
        return ErrorLabel(self)

    # -- language ------------------------------------------------------------------------

    def retranslate(self) -> None:
        lang = current_language()
        self.setLocale(qlocale(lang))
        texts = {
            "name_cy": _("School name in Welsh:"),
            "name_en": _("School name in English:"),
            "la": _("Local authority:"),
            "number": _("Establishment number:"),
            "cluster": _("Cluster:"),
            "phase": _("Phase:"),
            "language_category": _("Language category:"),
            "writes_in": _("We write in:"),
            "default_visibility": _("New records may be received by:"),
        }
        fields = {
            "name_cy": self.name_cy, "name_en": self.name_en, "la": self.la, "number": self.number,
            "cluster": self.cluster, "phase": self.phase, "language_category": self.language_category,
            "writes_in": self.writes_in, "default_visibility": self.default_visibility,
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            fields[key].setAccessibleName(plain(text))
        self.number.setPlaceholderText(_("e.g. 669/2318"))
        self.number.setToolTip(_("The school's number from the Welsh Government: the local authority's code, a slash and four digits."))
        self.cluster.setToolTip(_("The cluster of schools this school works with."))
        self.name_cy.setToolTip(_("Type Welsh letters such as ŵ and ŷ with Ctrl+Shift+L."))
        self.name_en.setToolTip(_("Type Welsh letters such as ŵ and ŷ with Ctrl+Shift+L."))
        choose = _("Choose…")
        self._fill(self.la, choose, [(la.code, la.name(lang)) for la in framework.local_authorities()])
        self._fill(self.phase, choose, [(p.id, p.name(lang)) for p in framework.phases()])
        self._fill(
            self.language_category,
            choose,
            [(c.id, c.name(lang)) for c in framework.language_categories()],
        )
        self._fill(self.writes_in, None, [(k, _(v)) for k, v in WRITES_IN_NAMES.items()])
        self.default_visibility.retranslate()
        self.default_visibility.combo.setToolTip(_("Each new evaluation, plan record, indicator and piece of evidence starts with this; it can be changed on each one."))
        self._show_errors()

    @staticmethod
    def _fill(combo: QComboBox, empty: str | None, items: list[tuple[object, str]]) -> None:
        refill_combo(combo, items, empty)

    # -- data ----------------------------------------------------------------------------

    _select = staticmethod(select_data)

    def load(self, record: dict | None) -> None:
        record = record or {}
        name = record.get("name") or {}
        self.name_cy.setText(name.get("cy") or "")
        self.name_en.setText(name.get("en") or "")
        self._select(self.la, record.get("la_code"))
        self.number.setText(record.get("establishment_number") or "")
        self.cluster.setText(record.get("cluster") or "")
        self._select(self.phase, record.get("phase"))
        self._select(self.language_category, record.get("language_category"))
        self._select(self.writes_in, record.get("writes_in") or ("cy" if current_language() == "cy" else "both"))
        self.default_visibility.set_value(record.get("default_visibility") or "private")
        self._errors = {}
        self._show_errors()

    def values(self) -> dict:
        number = self.number.text().strip()
        return {
            "name": {"cy": self.name_cy.text().strip(), "en": self.name_en.text().strip()},
            "la_code": self.la.currentData(),
            "establishment_number": framework.normalise_establishment_number(number) or number,
            "cluster": self.cluster.text().strip(),
            "phase": self.phase.currentData(),
            "language_category": self.language_category.currentData(),
            "writes_in": self.writes_in.currentData(),
            "default_visibility": self.default_visibility.value(),
        }

    def _fill_la_from_number(self) -> None:
        """A valid number with no LA chosen yet picks its LA (one thing less to type)."""
        canonical = framework.normalise_establishment_number(self.number.text())
        if canonical and self.la.currentData() is None:
            self._select(self.la, int(canonical[:3]))

    def validate(self) -> bool:
        """Check the form; show each problem under its field. True when it can be saved."""
        self._fill_la_from_number()
        self._errors = validate_profile(self.values())
        self._show_errors()
        if self._errors:
            first = self.name_cy if "name" in self._errors else self.number
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return not self._errors

    def error_text(self, field: str) -> str:
        if field not in self._errors:
            return ""
        return _render(*self._errors[field])

    def _show_errors(self) -> None:
        for field, label, inputs in (
            ("name", self.name_error, (self.name_cy, self.name_en)),
            ("establishment_number", self.number_error, (self.number,)),
        ):
            text = self.error_text(field)
            label.setText(text)
            label.setVisible(bool(text))
            for widget in inputs:
                widget.setAccessibleDescription(text)


class SchoolProfileDialog(Retranslatable, QDialog):
    """Edit the school profile. `save(values, on_done, on_error)` sends it to the database worker."""

    saved = Signal(dict)

    def __init__(self, record: dict | None, save: Callable, parent: QWidget | None = None):
        super().__init__(parent)
        self.record = record
        self._save = save
        self.setLocale(qlocale())
        layout = QVBoxLayout(self)
        self.form = SchoolProfileForm(self)
        self.form.load(record)
        layout.addWidget(self.form)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        title = _("School profile")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        for button in self.buttons.buttons():
            button.setAccessibleName(plain(button.text()))

    def try_save(self) -> bool:
        if not self.form.validate():
            return False
        self.buttons.setEnabled(False)
        record_id = self.record["id"] if self.record else None
        base_rev = self.record["rev"] if self.record else None
        self._save(self.form.values(), record_id, base_rev, self._done, self._failed)
        return True

    def _done(self, record: dict) -> None:
        self.record = record
        self.buttons.setEnabled(True)
        self.saved.emit(record)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        self.problem.setText(text)
        self.problem.show()
