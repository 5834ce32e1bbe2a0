"""Qt's own strings (OK, Cancel, context menus, file dialogs) from our gettext catalog.

One QTranslator subclass answers every Qt context with `pgettext(context, source)`: the catalog
holds them with msgctxt = the Qt context (listed in gui/qt_strings.py for extraction). English is
the source language, so in English nothing is translated. What the Welsh catalog lacks is logged
once per string, so missing Qt strings show up in the log instead of silently in English.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTranslator

from selfeval_app.core import i18n

log = logging.getLogger(__name__)

#: Qt's layout-direction query is not a user-visible string.
_NOT_TEXT = {("QGuiApplication", "QT_LAYOUT_DIRECTION")}


class GettextQtTranslator(QTranslator):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.missed: set[tuple[str, str]] = set()

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401
        # None (a null QString) means "not translated here": Qt then shows the source text. An
        # empty string would count as a translation and blank the button.
        if not source_text or not context:
            return None
        lang = i18n.current_language()
        if lang == i18n.DEFAULT_LANGUAGE or (context, source_text) in _NOT_TEXT:
            return None
        found = i18n.lookup(source_text, context, lang)
        if found is None:
            key = (context, source_text)
            if key not in self.missed:
                self.missed.add(key)
                log.info("no %s translation for Qt string %r in context %r", lang, source_text, context)
            return None
        return found  # Qt itself replaces %n afterwards
