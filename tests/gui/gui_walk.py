"""Walking every widget of a window and collecting what a person sees or hears.

`collect(widget)` gives (where, string) pairs: texts, tooltips, placeholders, accessible names and
descriptions, window titles, group titles, combo items, list items, header labels and menu
entries. `english_problems(pairs, allowed)` picks those that are English in Welsh mode.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


def _name(w: QWidget) -> str:
    return f"{type(w).__name__}({w.objectName() or '-'})"


def collect(root: QWidget, *, item_data: bool = True) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def add(where, text):
        if text:
            found.append((where, text))

    for w in [root, *root.findChildren(QWidget)]:
        where = _name(w)
        if w.isWindow():
            add(where + ".windowTitle", w.windowTitle())
        add(where + ".toolTip", w.toolTip())
        add(where + ".statusTip", w.statusTip())
        add(where + ".whatsThis", w.whatsThis())
        add(where + ".accessibleName", w.accessibleName())
        add(where + ".accessibleDescription", w.accessibleDescription())
        if isinstance(w, QLabel):
            add(where + ".text", w.text())
        if isinstance(w, QAbstractButton):
            add(where + ".text", w.text())
        if isinstance(w, QLineEdit):
            add(where + ".placeholder", w.placeholderText())
        if isinstance(w, (QTextEdit, QPlainTextEdit)):
            add(where + ".placeholder", w.placeholderText())
        if isinstance(w, QGroupBox):
            add(where + ".title", w.title())
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(f"{where}.item[{i}]", w.itemText(i))
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(f"{where}.tab[{i}]", w.tabText(i))
                add(f"{where}.tabToolTip[{i}]", w.tabToolTip(i))
        if isinstance(w, QListWidget) and item_data:
            for i in range(w.count()):
                add(f"{where}.item[{i}]", w.item(i).text())
                add(f"{where}.itemToolTip[{i}]", w.item(i).toolTip())
        if isinstance(w, (QTreeView, QTableView)) and w.model() is not None:
            header = w.header() if isinstance(w, QTreeView) else w.horizontalHeader()
            for section in range(header.count()):
                if not header.isSectionHidden(section):
                    add(f"{where}.header[{section}]", w.model().headerData(section, Qt.Orientation.Horizontal))
        if isinstance(w, QMenu):
            found.extend(collect_menu(w))
        for action in w.actions():
            add(where + ".action", action.text())
            auto_tip = action.text().replace("&", "").replace("…", "").replace("...", "").strip()
            add(where + ".actionToolTip", "" if action.toolTip().replace("…", "").strip() == auto_tip else action.toolTip())
    return [(where, str(text)) for where, text in found if isinstance(text, str) and text]


def collect_menu(menu: QMenu) -> list[tuple[str, str]]:
    found = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        found.append(("QMenu.action", action.text()))
        if action.menu() is not None:
            found.extend(collect_menu(action.menu()))
    return found


def interactive_without_name(root: QWidget) -> list[str]:
    """Interactive widgets a screen reader could not name (no accessible name, no text)."""
    missing = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(root):
            continue
        if w.accessibleName():
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue
        missing.append(_name(w))
    return missing


# -- the catalogs -------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Without mnemonics and without a menu entry's shortcut ("Copïo\tCtrl+C" → "Copïo")."""
    text = text.split("\t", 1)[0]
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&").strip()


@cache
def catalogs() -> tuple[dict[str, str], set[str], list[re.Pattern]]:
    """(English text -> Welsh text for every entry, every Welsh text, Welsh templates as regexes)."""
    from selfeval_app.core import i18n

    cy = i18n._translations("cy")._catalog  # type: ignore[attr-defined]
    english_to_welsh: dict[str, str] = {}
    welsh: set[str] = set()
    templates: list[re.Pattern] = []
    for key, value in cy.items():
        if not key or not value:
            continue
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04", 1)[-1]
        english_to_welsh.setdefault(_plain(msgid), _plain(value))
        welsh.add(_plain(value))
        if re.search(r"%(\([^)]*\))?[sd]|%\d", value):
            parts = re.split(r"%(?:\([^)]*\))?[sd]|%\d", _plain(value))
            templates.append(re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S))
    return english_to_welsh, welsh, templates


_PATHISH = re.compile(r"^[~/\\]|^[A-Za-z]:[\\/]|\.zip$|\.sqlite3$")


#: English that belongs in Welsh mode: each language's name (and its tooltip) in its own language.
ALLOWED_AT = (
    ("languageEnglish", "English"),
    ("languageEnglish", "Use the app in English"),
    ("languageCombo", "English"),
    ("languagePromptEnglish", "Choose the app’s language"),
)


def _qt_composed(text: str, welsh: set[str]) -> bool:
    """Qt's file dialog names its header menu entries "Show " + a column name (two messages)."""
    from selfeval_app.core.i18n import lookup

    show = lookup("Show ", "QFileDialog", "cy")
    return bool(show) and text.startswith(show.strip()) and text[len(show.strip()):].strip() in welsh


def english_problems(pairs: list[tuple[str, str]], allowed: set[str]) -> list[str]:
    """Strings that are English (or unknown to the Welsh catalog) in Welsh mode. `allowed`: data
    (names of the school, its LA, ...); English is allowed only where ALLOWED_AT says."""
    english_to_welsh, welsh, templates = catalogs()
    problems = []
    for where, raw in pairs:
        text = _plain(raw)
        if any(place in where and text == ok for place, ok in ALLOWED_AT):
            continue
        if not any(ch.isalpha() for ch in text) or text in allowed or _PATHISH.search(text):
            continue
        if text in english_to_welsh and english_to_welsh[text] != text:
            problems.append(f"{where}: English {text!r} (Welsh: {english_to_welsh[text]!r})")
        elif (
            text not in welsh
            and text + ":" not in welsh  # a label's text as an accessible name, without its colon
            and not any(t.match(text) for t in templates)
            and not _qt_composed(text, welsh)
        ):
            problems.append(f"{where}: not in the Welsh catalog: {text!r}")
    return sorted(set(problems))


def welsh_problems(pairs: list[tuple[str, str]], allowed: set[str]) -> list[str]:
    """In English mode: strings that are Welsh translations (left behind by a switch)."""
    english_to_welsh, _welsh, _t = catalogs()
    welsh_only = {w for e, w in english_to_welsh.items() if w != e} - set(english_to_welsh)
    return sorted({f"{where}: Welsh {raw!r}" for where, raw in pairs if _plain(raw) in welsh_only and _plain(raw) not in allowed})
