"""One bilingual text being written: a Welsh and an English box side by side (Welsh first, on the
left), either of which may be hidden when the school writes in one language only.

A small, quiet note under a box says that language is still missing, only when the school writes
in both languages and the other box has text. The boxes have the Welsh-letter helper, accessible
names in the current language, and report `edited` when the person types (not when loaded).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QPlainTextEdit, QSizePolicy, QWidget

from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.welsh_letters import install_welsh_letters

LANGUAGE_HEADINGS = {"cy": N_("Welsh"), "en": N_("English")}
MISSING = {
    "cy": N_("Not written in Welsh yet"),
    "en": N_("Not written in English yet"),
}


class _Box(QPlainTextEdit):
    """A text box that grows with its text, between `min_lines` and `max_lines`. With `fill` (long
    writing) those lines are only its least height: it also takes whatever height the page has
    spare, so a full-screen window gives the writing the screen."""

    focusLeft = Signal()  # noqa: N815

    def __init__(self, min_lines: int, max_lines: int, parent: QWidget | None = None, *, fill: bool = False):
        super().__init__(parent)
        self.min_lines, self.max_lines, self.fill = min_lines, max_lines, fill
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding if fill else QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(lambda _s: self._fit())
        self._fit()

    def _fit(self) -> None:
        lines = max(self.min_lines, min(self.max_lines, int(self.document().size().height()) or 1))
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        height = lines * line + int(self.document().documentMargin() * 2) + margins.top() + margins.bottom() + 2
        if self.fill:
            if self.minimumHeight() != height:
                self.setMinimumHeight(height)
                self.updateGeometry()
        elif self.height() != height:
            self.setFixedHeight(height)

    def sizeHint(self):  # noqa: N802
        hint = super().sizeHint()
        if self.fill:
            hint.setHeight(self.minimumHeight())
        return hint

    def changeEvent(self, event):  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def focusOutEvent(self, event):  # noqa: N802
        super().focusOutEvent(event)
        self.focusLeft.emit()


class BiTextEditor(QWidget):
    """Welsh and English boxes for one text. `name` is a N_() message naming the text (e.g.
    "Narrative", "Strength %(n)s"); `params` fill its placeholders. `fill`: the boxes take the
    height the layout gives them (long writing) rather than only their lines."""

    edited = Signal()
    focusLeft = Signal()  # noqa: N815

    def __init__(
        self,
        name: str,
        params: dict | None = None,
        *,
        min_lines: int = 2,
        max_lines: int = 8,
        headings: bool = False,
        fill: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.name, self.params = name, dict(params or {})
        self._loading = False
        self._writes_in = "both"
        self._shown = {"cy": True, "en": True}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, _Box] = {}
        self.headings: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        for column, lang in enumerate(("cy", "en")):  # Welsh first, on the left
            heading = QLabel(self)
            heading.setVisible(headings)
            box = _Box(min_lines, max_lines, self, fill=fill)
            box.setObjectName(f"text_{lang}")
            install_welsh_letters(box)
            box.textChanged.connect(self._changed)
            box.focusLeft.connect(self.focusLeft)
            heading.setBuddy(box)
            note = QLabel(self)
            note.setWordWrap(True)
            font = note.font()
            font.setItalic(True)
            note.setFont(font)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            note.hide()
            grid.addWidget(heading, 0, column)
            grid.addWidget(box, 1, column)
            grid.addWidget(note, 2, column)
            grid.setColumnStretch(column, 1)
            self.boxes[lang], self.headings[lang], self.notes[lang] = box, heading, note
        grid.setRowStretch(1, 1)  # a box that fills takes the height; headings and notes keep theirs
        self.show_headings = headings
        self.retranslate()

    # -- values ---------------------------------------------------------------------------------

    def set_value(self, value: dict | None) -> None:
        value = value or {}
        self._loading = True
        try:
            for lang, box in self.boxes.items():
                text = value.get(lang) or ""
                if box.toPlainText() != text:
                    box.setPlainText(text)
        finally:
            self._loading = False
        self._update_notes()

    def value(self) -> dict[str, str]:
        return {lang: box.toPlainText() for lang, box in self.boxes.items()}

    def is_empty(self) -> bool:
        return not any(t.strip() for t in self.value().values())

    def _changed(self) -> None:
        self._update_notes()
        if not self._loading:
            self.edited.emit()

    # -- languages --------------------------------------------------------------------------------

    def set_languages(self, writes_in: str, shown: dict[str, bool]) -> None:
        """Show the boxes of the languages in `shown`; notes only when the school writes in both."""
        self._writes_in, self._shown = writes_in, dict(shown)
        for lang in ("cy", "en"):
            self.boxes[lang].setVisible(shown[lang])
            self.headings[lang].setVisible(self.show_headings and shown[lang])
        self._update_notes()

    def missing(self) -> list[str]:
        """Languages marked missing now (only when the school writes in both)."""
        if self._writes_in != "both":
            return []
        value = self.value()
        if not any(v.strip() for v in value.values()):
            return []
        return [lang for lang in ("cy", "en") if not value[lang].strip()]

    def _update_notes(self) -> None:
        missing = self.missing()
        for lang, note in self.notes.items():
            show = lang in missing and self._shown[lang]
            note.setVisible(show)
            self.boxes[lang].setAccessibleDescription(_(MISSING[lang]) if show else "")

    def set_read_only(self, on: bool) -> None:
        """Another owner's text: still selectable (mouse and keyboard) and scrollable, never typed in."""
        from PySide6.QtCore import Qt

        for box in self.boxes.values():
            box.setReadOnly(on)
            if on:
                box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)

    def is_read_only(self) -> bool:
        return all(box.isReadOnly() for box in self.boxes.values())

    def set_name(self, name: str, params: dict | None = None) -> None:
        self.name, self.params = name, dict(params or {})
        self.retranslate()

    def retranslate(self) -> None:
        title = _(self.name) % self.params if self.params else _(self.name)
        for lang in ("cy", "en"):
            self.headings[lang].setText(_(LANGUAGE_HEADINGS[lang]))
            # Translators: accessible name of a text box, e.g. "Narrative — Welsh".
            self.boxes[lang].setAccessibleName(_("%(text)s — %(language)s") % {"text": title, "language": _(LANGUAGE_HEADINGS[lang])})
            self.notes[lang].setText(_(MISSING[lang]))
        self._update_notes()
