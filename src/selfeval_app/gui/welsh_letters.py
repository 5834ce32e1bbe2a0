"""Typing Welsh letters without a Welsh keyboard: ŵ ŷ â ê î ô û and friends in every text field.

Each form calls `install_welsh_letters(field)` for its text fields (per widget: an application-wide
event filter would cost 40-60 ms of start). That adds:
- a shortcut, Ctrl+Shift+L, opening a small popup of letters next to the field;
- an entry at the end of the field's context menu (Qt's own entries come from our catalog too).
Choosing a letter (mouse, or arrow keys and Enter) types it into the field at the cursor. The popup
(gui/welsh_letter_popup.py) is imported when first opened, to keep start fast.
The helper can be switched off in Settings (`set_enabled(False)`).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from selfeval_app.core.i18n import N_, _

SHORTCUT = "Ctrl+Shift+L"

#: Rows of the popup: the accent, then its small letters (capitals follow in the next row).
ACCENTS: tuple[tuple[str, str], ...] = (
    # Translators: the name of the accent ^ (to bach) on ŵ, ŷ, â ...
    (N_("circumflex"), "âêîôûŵŷ"),
    (N_("acute accent"), "áéíóúẃý"),
    (N_("grave accent"), "àèìòùẁỳ"),
    (N_("diaeresis"), "äëïöüẅÿ"),
)

LETTERS = "".join(small + small.upper() for _name, small in ACCENTS)

_enabled = True


def set_enabled(enabled: bool) -> None:
    global _enabled
    _enabled = bool(enabled)


def is_enabled() -> bool:
    return _enabled


def _insert(target: QWidget, text: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

    if isinstance(target, QLineEdit):
        target.insert(text)
    elif isinstance(target, (QTextEdit, QPlainTextEdit)):
        target.insertPlainText(text)
    target.setFocus(Qt.FocusReason.OtherFocusReason)


def menu_text() -> str:
    return _("Welsh letters (â ŵ ŷ …)")


def open_popup(target: QWidget, at: QPoint | None = None):
    """Show the letters next to `target`; returns the popup (None if the helper is off)."""
    if not _enabled:
        return None
    from PySide6.QtCore import Qt

    from selfeval_app.gui.welsh_letter_popup import WelshLetterPopup

    popup = WelshLetterPopup(target)
    popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    popup.adjustSize()
    popup.move(at if at is not None else target.mapToGlobal(QPoint(0, target.height())))
    popup.show()
    popup.buttons[0][0].setFocus()
    return popup


def context_menu(field: QWidget):
    """The field's standard context menu (Qt's entries, from our catalog) plus the helper entry."""
    from PySide6.QtGui import QKeySequence

    menu = field.createStandardContextMenu()
    if _enabled:
        menu.addSeparator()
        action = menu.addAction(menu_text())
        action.setShortcut(QKeySequence(SHORTCUT))
        action.triggered.connect(lambda: open_popup(field))
    return menu


def _show_context_menu(field: QWidget, pos: QPoint) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractScrollArea

    origin = field.viewport() if isinstance(field, QAbstractScrollArea) else field
    menu = context_menu(field)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    menu.popup(origin.mapToGlobal(pos))


def install_welsh_letters(field: QWidget) -> None:
    """Give one text field (QLineEdit, QTextEdit, QPlainTextEdit) the Welsh-letter helper."""
    from PySide6.QtCore import Qt  # here, not at the top: Qt's namespace costs at start
    from PySide6.QtGui import QKeySequence, QShortcut

    if field.property("welshLetters"):
        return
    field.setProperty("welshLetters", True)
    shortcut = QShortcut(QKeySequence(SHORTCUT), field)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: open_popup(field))
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    field.customContextMenuRequested.connect(lambda pos: _show_context_menu(field, pos))
