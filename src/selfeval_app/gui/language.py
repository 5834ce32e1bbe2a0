"""Switching the language at run time: every window re-translates at once, no restart.

`LanguageController.switch(lang)` sets the core language, remembers the choice, gives every
window its QLocale (cy_GB / en_GB) and delivers QEvent.LanguageChange to every widget right away
(our widgets' `retranslate()`; Qt's own widgets, e.g. button boxes, re-read their strings through
the translator), then emits `languageChanged`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, Signal
from PySide6.QtWidgets import QApplication

from selfeval_app.core import i18n

_LOCALES = {"cy": "cy_GB", "en": "en_GB"}


def qlocale(lang: str | None = None) -> QLocale:
    return QLocale(_LOCALES[lang or i18n.current_language()])


class LanguageController(QObject):
    languageChanged = Signal(str)  # noqa: N815

    def apply(self, lang: str) -> None:
        """Use `lang` from now on, without telling widgets (at start, before any exist)."""
        i18n.set_language(lang)
        QLocale.setDefault(qlocale(lang))

    def switch(self, lang: str, *, remember: bool = True) -> None:
        self.apply(lang)
        if remember:
            from selfeval_app.core.settings import save_settings

            save_settings(language=lang)
        locale = qlocale(lang)
        app = QApplication.instance()
        for widget in QApplication.topLevelWidgets():
            widget.setLocale(locale)
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
        # QApplication posts the event to every top-level window; deliver it now, so the whole
        # screen changes language in one go.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.languageChanged.emit(lang)


_controller: LanguageController | None = None


def controller() -> LanguageController:
    global _controller
    if _controller is None:
        _controller = LanguageController()
    return _controller


class Retranslatable:
    """Mixin for our widgets: calls `self.retranslate()` on QEvent.LanguageChange."""

    def changeEvent(self, event):  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]

    def retranslate(self) -> None:  # pragma: no cover - each widget defines its own
        raise NotImplementedError


def plain(label: str) -> str:
    """A label's text as an accessible name: no mnemonic '&', no trailing colon."""
    return label.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip(": ")
