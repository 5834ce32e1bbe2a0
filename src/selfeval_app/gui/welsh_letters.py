"""Typing Welsh letters without a Welsh keyboard: ŵ ŷ â ê î ô û and friends in every text field.

Each form calls `install_welsh_letters(field)` for its text fields (per widget: an application-wide
event filter would cost 40-60 ms of start). That adds:
- a shortcut, Ctrl+Shift+L, opening a small popup of letters next to the field;
- an entry at the end of the field's context menu (Qt's own entries come from our catalog too).
Choosing a letter (mouse, or arrow keys and Enter) types it into the field at the cursor.
The helper can be switched off in Settings (`set_enabled(False)`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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
    if isinstance(target, QLineEdit):
        target.insert(text)
    elif isinstance(target, (QTextEdit, QPlainTextEdit)):
        target.insertPlainText(text)
    target.setFocus(Qt.FocusReason.OtherFocusReason)


def menu_text() -> str:
    return _("Welsh letters (â ŵ ŷ …)")


class WelshLetterPopup(QFrame):
    """A grid of letter buttons; picks one, types it into `target`, closes."""

    def __init__(self, target: QWidget):
        super().__init__(target, Qt.WindowType.Popup)
        self.target = target
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setLocale(target.locale())
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        layout.addWidget(self.heading)
        grid = QGridLayout()
        layout.addLayout(grid)
        self.buttons: list[tuple[QToolButton, str, str]] = []
        for row, (accent, small) in enumerate(ACCENTS):
            for col, letter in enumerate(small + small.upper()):
                button = QToolButton(self)
                button.setText(letter)
                button.setAutoRaise(False)
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                button.clicked.connect(lambda _checked=False, ch=letter: self.choose(ch))
                grid.addWidget(button, row, col)
                self.buttons.append((button, letter, accent))
        self.retranslate()
        if self.buttons:
            self.setFocusProxy(self.buttons[0][0])

    def retranslate(self) -> None:
        title = _("Welsh letters")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.heading.setText(_("Choose a letter to type it (Esc closes)"))
        for button, letter, accent in self.buttons:
            # Translators: accessible name of a letter button, e.g. "ŵ, circumflex".
            name = _("%(letter)s, %(accent)s") % {"letter": letter, "accent": _(accent)}
            button.setAccessibleName(name)
            button.setToolTip(name)

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choose(self, letter: str) -> None:
        _insert(self.target, letter)
        self.close()

    def keyPressEvent(self, event):  # noqa: N802 - arrow keys move between letters
        buttons = [b for b, _l, _a in self.buttons]
        focused = self.focusWidget()
        if focused in buttons and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            i = buttons.index(focused)
            width = len(ACCENTS[0][1]) * 2
            step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -width, Qt.Key.Key_Down: width}[event.key()]
            buttons[(i + step) % len(buttons)].setFocus()
            return
        if focused in buttons and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused.click()
            return
        super().keyPressEvent(event)


def open_popup(target: QWidget, at: QPoint | None = None) -> WelshLetterPopup | None:
    if not _enabled:
        return None
    popup = WelshLetterPopup(target)
    popup.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    popup.adjustSize()
    popup.move(at if at is not None else target.mapToGlobal(QPoint(0, target.height())))
    popup.show()
    popup.buttons[0][0].setFocus()
    return popup


def context_menu(field: QWidget):
    """The field's standard context menu (Qt's entries, from our catalog) plus the helper entry."""
    menu = field.createStandardContextMenu()
    if _enabled:
        menu.addSeparator()
        action = menu.addAction(menu_text())
        action.setShortcut(QKeySequence(SHORTCUT))
        action.triggered.connect(lambda: open_popup(field))
    return menu


def _show_context_menu(field: QWidget, pos: QPoint) -> None:
    origin = field.viewport() if isinstance(field, QAbstractScrollArea) else field
    menu = context_menu(field)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    menu.popup(origin.mapToGlobal(pos))


def install_welsh_letters(field: QWidget) -> None:
    """Give one text field (QLineEdit, QTextEdit, QPlainTextEdit) the Welsh-letter helper."""
    if field.property("welshLetters"):
        return
    field.setProperty("welshLetters", True)
    shortcut = QShortcut(QKeySequence(SHORTCUT), field)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: open_popup(field))
    field.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    field.customContextMenuRequested.connect(lambda pos: _show_context_menu(field, pos))
