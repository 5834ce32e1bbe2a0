"""The Welsh-letter popup: a grid of letter buttons (see gui/welsh_letters.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from selfeval_app.core.i18n import _
from selfeval_app.gui.welsh_letters import ACCENTS, _insert


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
