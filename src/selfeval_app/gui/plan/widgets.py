"""Small widgets the plan dialogs share: a bilingual text field that follows the school's
languages (Welsh first, side by side for "both") with a soft length guide, an inline error label,
a checkable list for links, an optional date, and the base of the edit dialogs (inline problems,
saving through the window's worker)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.errors import UserFacingError, ValidationError
from selfeval_app.core.i18n import N_, _
from selfeval_app.core.plan_edit import TEXT_GUIDE, Checked
from selfeval_app.gui.form_widgets import ErrorLabel  # noqa: F401 (used here and by the plan's dialogs)
from selfeval_app.gui.language import Retranslatable, plain, qlocale
from selfeval_app.gui.visibility_chooser import LABEL as VISIBILITY_LABEL
from selfeval_app.gui.visibility_chooser import VisibilityChooser, default_for_new
from selfeval_app.gui.welsh_letters import install_welsh_letters

LANG_NAMES = {"cy": N_("Welsh"), "en": N_("English")}


def shown_languages(writes_in: str | None) -> tuple[str, ...]:
    return {"cy": ("cy",), "en": ("en",)}.get(writes_in or "both", ("cy", "en"))


class BiText(Retranslatable, QWidget):
    """One bilingual field: an editor per language the school writes in (Welsh first)."""

    def __init__(self, label: str, writes_in: str | None, *, multiline: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.label_id = label
        self.multiline = multiline
        self.langs = shown_languages(writes_in)
        self._other: dict[str, str] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.captions: dict[str, QLabel] = {}
        self.guides: dict[str, QLabel] = {}
        for lang in self.langs:
            column = QVBoxLayout()
            editor: QLineEdit | QPlainTextEdit
            if multiline:
                editor = QPlainTextEdit(self)
                editor.setTabChangesFocus(True)
                editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * 4)
                editor.setMaximumHeight(editor.fontMetrics().lineSpacing() * 9)
                editor.textChanged.connect(self._update_guides)
            else:
                editor = QLineEdit(self)
            editor.setLocale(qlocale(lang))
            install_welsh_letters(editor)
            self.editors[lang] = editor
            if len(self.langs) > 1:
                caption = QLabel(self)
                caption.setBuddy(editor)
                self.captions[lang] = caption
                column.addWidget(caption)
            column.addWidget(editor)
            if multiline:
                guide = QLabel(self)
                guide.setWordWrap(True)
                self.guides[lang] = guide
                column.addWidget(guide)
            row.addLayout(column, 1)
        self.retranslate()

    def first_editor(self) -> QWidget:
        return self.editors[self.langs[0]]

    def retranslate(self) -> None:
        label = plain(_(self.label_id))
        for lang, editor in self.editors.items():
            language = _(LANG_NAMES[lang])
            if len(self.langs) > 1:
                self.captions[lang].setText(language)
                # Translators: accessible name of one language of a bilingual field, e.g. "Title in Welsh".
                text = _("%(field)s in Welsh") if lang == "cy" else _("%(field)s in English")
                editor.setAccessibleName(text % {"field": label})
            else:
                editor.setAccessibleName(label)
            editor.setToolTip(_("Type Welsh letters such as ŵ and ŷ with Ctrl+Shift+L."))
        self._update_guides()

    def _update_guides(self) -> None:
        for lang, guide in self.guides.items():
            count = len(self.editors[lang].toPlainText())
            # Translators: a soft guide under a text box; never a limit.
            text = _("%(count)s characters; a guide: up to about %(guide)s") % {"count": count, "guide": TEXT_GUIDE}
            guide.setText(text)
            guide.setAccessibleName(text)
            font = guide.font()
            font.setBold(count > TEXT_GUIDE)
            guide.setFont(font)

    def set_value(self, pair: dict | None) -> None:
        pair = pair or {}
        self._other = {k: v for k, v in pair.items() if k not in self.editors}
        for lang, editor in self.editors.items():
            text = pair.get(lang) or ""
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(text)
            else:
                editor.setText(text)

    def value(self) -> dict[str, str]:
        """Only the languages shown: the other side of a stored text is left as it was."""
        out = {}
        for lang, editor in self.editors.items():
            out[lang] = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
        return out

    def set_problem_description(self, text: str) -> None:
        for editor in self.editors.values():
            editor.setAccessibleDescription(text)


class CheckList(QListWidget):
    """Checkable items (data: an id) for links: areas, statements, evidence, tags."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)

    def fill(self, items: list[tuple[str, str]], checked: set[str]) -> None:
        self.clear()
        for key, text in items:
            item = QListWidgetItem(text, self)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in checked else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[str]:
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


class OptionalDate(QWidget):
    """A date that may be left out: a check box "has a date" and the date itself."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.given = QCheckBox(self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setEnabled(False)
        self.given.toggled.connect(self.edit.setEnabled)
        row.addWidget(self.given)
        row.addWidget(self.edit, 1)

    def set_names(self, label: str) -> None:
        self.given.setText(_("Date set"))
        # Translators: accessible name of the check box that says a date is given, e.g. "Due date: set".
        self.given.setAccessibleName(_("%(field)s: date set") % {"field": plain(label)})
        name_date(self.edit, plain(label))

    def set_value(self, iso: str | None, default) -> None:
        self.given.setChecked(bool(iso))
        day = QDate.fromString(iso, "yyyy-MM-dd") if iso else QDate(default.year, default.month, default.day)
        self.edit.setDate(day)

    def value(self) -> str | None:
        if not self.given.isChecked():
            return None
        return self.edit.date().toString("yyyy-MM-dd")


def name_date(edit: QDateEdit, name: str) -> None:
    """An accessible name on a date field and on the text field inside it."""
    edit.setAccessibleName(name)
    inner = edit.findChild(QLineEdit)
    if inner is not None:
        inner.setAccessibleName(name)


def name_headers(*tables) -> None:
    for table in tables:
        table.horizontalHeader().setAccessibleName(_("Column headings"))
        table.verticalHeader().setAccessibleName(_("Row headings"))


def name_tab_scrollers(tabs) -> None:
    """Qt names a tab bar's scroll buttons once, when made; name them in the current language."""
    from PySide6.QtWidgets import QToolButton

    from selfeval_app.core.i18n import pgettext

    for button in tabs.tabBar().findChildren(QToolButton):
        if button.objectName() == "ScrollLeftButton":
            button.setAccessibleName(pgettext("QTabBar", "Scroll Left"))
        elif button.objectName() == "ScrollRightButton":
            button.setAccessibleName(pgettext("QTabBar", "Scroll Right"))


def date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


class EditDialog(Retranslatable, QDialog):
    """Base of the plan's edit dialogs: fields in a scroll area, Save and Cancel, inline
    problems by field, and a save that runs on the window's worker (nothing saved when a
    problem is found; the job checks again in core before any write)."""

    #: record types the save changes (for recordsChanged)
    changes: tuple[str, ...] = ()

    def __init__(self, window, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window_ = window
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.errors: dict[str, ErrorLabel] = {}
        self.error_targets: dict[str, list[QWidget]] = {}
        self._problems: dict[str, ValidationError] = {}
        self._general: UserFacingError | None = None
        outer = QVBoxLayout(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.body = QWidget(self.scroll)
        self.scroll.setWidget(self.body)
        outer.addWidget(self.scroll, 1)
        self.general_error = ErrorLabel(self)
        outer.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.saving = False

    def error_label(self, field: str, *targets: QWidget) -> ErrorLabel:
        label = ErrorLabel(self.body)
        self.errors[field] = label
        self.error_targets[field] = list(targets)
        return label

    def writes_in(self) -> str:
        return (self.window_.school() or {}).get("writes_in") or "both"

    visibility_chooser: VisibilityChooser | None = None

    def add_visibility_row(self, form, record: dict | None, parent: QWidget | None = None) -> None:
        """The "Who may receive it" row: the record's visibility, or the school's default for a
        new record; the save sends the choice with the other fields."""
        parent = parent or self.body
        self._visibility_label = QLabel(parent)
        self._visibility_label.setWordWrap(True)
        self.visibility_chooser = VisibilityChooser(parent, object_name="editVisibility")
        self._visibility_label.setBuddy(self.visibility_chooser.combo)
        self.visibility_chooser.set_value((record or {}).get("visibility") or default_for_new(self.window_))
        form.addRow(self._visibility_label, self.visibility_chooser)

    # to define ---------------------------------------------------------------------------

    def raw(self) -> dict:
        raise NotImplementedError

    def check(self, raw: dict) -> Checked:
        raise NotImplementedError

    def job(self, raw: dict) -> Callable:
        raise NotImplementedError

    # saving --------------------------------------------------------------------------------

    def save(self) -> None:
        if self.saving:
            return
        raw = self.raw()
        if self.visibility_chooser is not None:
            raw["visibility"] = self.visibility_chooser.value()
        checked = self.check(raw)
        self._problems = dict(checked.problems)
        self._general = None
        self.show_problems()
        if checked.problems:
            self._focus_first_problem()
            return
        self.saving = True
        self.buttons.setEnabled(False)
        self.window_.run_job(self.job(raw), self._saved, self._failed, changed=set(self.changes))

    def _saved(self, result) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        self.saved_record = result
        self.accept()

    def _failed(self, error) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError) and error.field in self.errors:
            self._problems = {error.field: error}
        elif isinstance(error, UserFacingError):
            self._general = error
        else:
            self._general = UserFacingError()
        self.show_problems()

    def show_problems(self) -> None:
        for field, label in self.errors.items():
            problem = self._problems.get(field)
            text = problem.message() if problem else ""
            label.show_problem(text)
            for target in self.error_targets.get(field, []):
                if isinstance(target, BiText):
                    target.set_problem_description(text)
                else:
                    target.setAccessibleDescription(text)
        unplaced = [p for f, p in self._problems.items() if f not in self.errors]
        general = self._general or (unplaced[0] if unplaced else None)
        self.general_error.show_problem(general.message() if general else "")

    def _focus_first_problem(self) -> None:
        for field in self.errors:
            if field in self._problems and self.error_targets.get(field):
                target = self.error_targets[field][0]
                (target.first_editor() if isinstance(target, BiText) else target).setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def problem_text(self, field: str) -> str:
        problem = self._problems.get(field)
        return problem.message() if problem else ""

    def retranslate_base(self) -> None:
        self.setLocale(qlocale())
        if self.visibility_chooser is not None:
            self._visibility_label.setText(_(VISIBILITY_LABEL))
            self.visibility_chooser.setAccessibleName(plain(_(VISIBILITY_LABEL)))
            self.visibility_chooser.retranslate()
        self.show_problems()
