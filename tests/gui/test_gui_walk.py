"""The walking test: every window and dialog reachable now, in Welsh, has no English left."""

from __future__ import annotations

import itertools

from gui_walk import (
    collect,
    collect_menu,
    english_problems,
    interactive_without_name,
    welsh_problems,
)
from la_helpers import la_data_strings, la_dir, walk_la  # noqa: F401 - la_dir is a fixture
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from conftest import SCHOOL
from selfeval_app.core import framework
from selfeval_app.gui import dialogs, welsh_letters
from selfeval_app.gui.dialogs import build_file_dialog, build_message_box


def data_strings(lang: str) -> set[str]:
    """What the walk may show untranslated because it is data, not interface."""
    allowed = {SCHOOL["name"]["cy"], SCHOOL["name"]["en"], f"{SCHOOL['name']['cy']} / {SCHOOL['name']['en']}", SCHOOL["cluster"], "Cymraeg", "Dewiswch iaith yr ap", "Defnyddio'r ap yn Gymraeg"}
    allowed |= {la.name(lang) for la in framework.local_authorities()}
    allowed |= {p.name(lang) for p in framework.phases()}
    allowed |= {c.name(lang) for c in framework.language_categories()}
    allowed |= set(welsh_letters.LETTERS)
    for area in framework.current_framework().areas:  # the framework's areas are data too
        allowed |= {area.title(lang), f"{area.number} {area.title(lang)}", f"{area.number}. {area.title(lang)}"}
    return allowed


def reachable_windows(ctx, qtbot, tmp_path):
    """Open everything reachable now; yield (name, widget) for each, closing as it goes."""
    window = ctx.window
    yield "main window", window
    # Every page of the navigation, as it is made on first showing (pages' own dialogs are walked
    # by their tests, with the same helpers).
    for spec in window.page_specs:
        window.show_page(spec.key)
        yield f"page {spec.key}", window
    window.show_page("school")
    profile = window.edit_profile()
    profile.form.name_cy.clear()
    profile.form.name_en.clear()
    profile.form.number.setText("681/12")
    profile.form.validate()  # inline messages are walked too
    yield "school profile", profile
    popup = welsh_letters.open_popup(profile.form.cluster)
    yield "Welsh-letter popup", popup
    popup.close()
    line_menu = welsh_letters.context_menu(profile.form.cluster)
    yield "line edit context menu", line_menu
    for cls in (QTextEdit, QPlainTextEdit):
        field = cls(window)
        welsh_letters.install_welsh_letters(field)
        yield f"{cls.__name__} context menu", welsh_letters.context_menu(field)
    profile.reject()
    settings = window.open_settings()
    yield "settings", settings
    yield from sync_screens(window, qtbot)
    settings.reject()
    for kind in ("information", "warning", "question"):
        box = build_message_box(window, kind, dialogs.app_title(), "Testun")
        box.setDetailedText("Manylion")
        box.show()
        yield f"message box ({kind})", box
        box.close()
    for save in (False, True):
        (tmp_path / "ffeil.zip").write_bytes(b"")
        file_dialog = build_file_dialog(window, "Teitl", str(tmp_path), "Copïau wrth gefn (*.zip)", save=save)
        file_dialog.show()
        qtbot.waitExposed(file_dialog)
        yield f"file dialog (save={save})", file_dialog
        file_dialog.close()


SYNC_SAMPLE = {
    "configured": {"kind": "folder", "path": "/srv/Rhannu"},
    "last_success": "2026-12-01T09:30:00Z",
    "last_attempt": "2026-12-03T10:42:00Z",
    "last_error": {
        "message_id": "The server %(where)s refused the user name or password. Check them with “selfeval sync setup webdav”.",
        "params": {"where": "https://dav.example.org"},
        "at": "2026-12-03T10:42:00Z",
    },
    "next_try": "2026-12-03T10:50:00Z",
    "waiting_files": 2,
    "refused": [],
    "contacts": [
        {"identity": "a", "name": {"cy": "Cyngor Sir Powys", "en": "Powys County Council"}, "records": 3, "bundles": 1},
        {"identity": "b", "name": {"cy": "Cyngor Sir Powys", "en": "Powys County Council"}, "records": 0, "bundles": 1},
        {"identity": "c", "name": {"cy": "Cyngor Sir Powys", "en": "Powys County Council"}, "records": 0, "bundles": 0},
    ],
}


def sync_screens(window, qtbot):
    """Sync's settings (each kind, with a refusal in words), the Sharing page's sync state with
    every kind of line (a sample state: last success, an error, what waits, files not yet
    downloaded), the status bar's words, and the password dialog."""
    from selfeval_app.exchange.transport import FOLDER_HOLDS_DATA, SyncSetupError
    from selfeval_app.gui.settings_dialog import open_sync_settings

    qtbot.waitUntil(lambda: window.sync is not None, timeout=20000)
    qtbot.waitUntil(lambda: not window.sync._relays, timeout=20000)
    dialog = open_sync_settings(window)
    for kind in (dialog.folder_kind, dialog.webdav_kind, dialog.off):
        kind.setChecked(True)
        dialog._say(SyncSetupError(where="/srv/Rhannu", reason=FOLDER_HOLDS_DATA).message())
        yield f"sync settings ({kind.text()})", dialog
    dialog.reject()
    window.sync.info = dict(SYNC_SAMPLE)
    window.sync.changed.emit()
    page = window.show_page("sharing")
    yield "sharing page with a sync state", window
    assert page.sync_section.state_text().count("\n") >= 6
    window.sync.running = True
    window.sync.changed.emit()
    yield "sync running", window
    window.sync.running = False
    dialog = window.sync.ask_password(window.sync_label.text())
    yield "sync password", dialog
    dialog.reject()
    window.sync.info = None


def first_start_pages(launch, tmp_path):
    ctx = launch(tmp_path / "new-school", "cy")
    dialog = ctx.first_start
    for page in range(dialog.stack.count()):
        dialog.stack.setCurrentIndex(page)
        yield f"first start page {page}", dialog


def test_walk_in_welsh_finds_no_english(launch, school_dir, qtbot, tmp_path):
    ctx = launch(school_dir, "cy")
    qtbot.waitExposed(ctx.window)
    allowed = data_strings("cy") | {"Testun", "Manylion", "Teitl", "Copïau wrth gefn (*.zip)", "ffeil.zip", tmp_path.name}
    problems, walked = [], []
    # Each window is walked as it is opened (the generators close it afterwards).
    for name, widget in itertools.chain(reachable_windows(ctx, qtbot, tmp_path), first_start_pages(launch, tmp_path)):
        pairs = collect(widget)
        walked.append((name, len(pairs)))
        problems += [f"{name}: {p}" for p in english_problems(pairs, allowed)]
    assert all(count > 0 for _name, count in walked), walked
    assert not problems, "English in Welsh mode:\n" + "\n".join(problems)


def test_walk_of_the_local_authority_in_welsh_finds_no_english(launch, la_dir, qtbot, tmp_path):  # noqa: F811
    """Every page of an LA's installation (`demo --role la`), each tab, one school's window (one
    that shared, one that sent nothing) and the first start's LA page."""
    ctx = launch(la_dir, "cy")
    window = ctx.window
    assert window.is_la
    qtbot.waitExposed(window)
    allowed = data_strings("cy") | la_data_strings(la_dir, "cy")
    problems, walked = [], []
    for name, widget in walk_la(window, qtbot):
        pairs = collect(widget)
        walked.append((name, len(pairs)))
        problems += [f"{name}: {p}" for p in english_problems(pairs, allowed)]
    dialog = launch(tmp_path / "ALl newydd", "cy").first_start
    dialog.stack.setCurrentIndex(dialog.PAGE_LA)
    problems += [f"first start LA page: {p}" for p in english_problems(collect(dialog), allowed)]
    assert len(walked) >= 10 and all(count > 0 for _name, count in walked), walked
    assert not problems, "English in Welsh mode:\n" + "\n".join(sorted(set(problems)))


def test_every_control_has_an_accessible_name(launch, school_dir, qtbot, tmp_path):
    for lang in ("cy", "en"):
        ctx = launch(school_dir, lang)
        missing = []
        for name, widget in reachable_windows(ctx, qtbot, tmp_path):
            if name.startswith(("file dialog", "message box")) or "menu" in name:
                continue  # Qt's own dialogs and menus: walked for language above
            missing += [f"{name}: {w}" for w in interactive_without_name(widget)]
        ctx.close()
        assert not missing, f"{lang}: no accessible name: {missing}"


def test_switching_language_changes_everything_at_once(launch, school_dir, qtbot, tmp_path):
    ctx = launch(school_dir, "cy")
    window = ctx.window
    settings = window.open_settings()
    profile = window.edit_profile()
    close_button = settings.buttons.buttons()[0]
    assert close_button.text().replace("&", "") == "Cau"
    assert window.settings_button.text() == "Gosodiadau…"
    window.en_button.click()
    # At once: no event loop turn needed.
    assert close_button.text().replace("&", "") == "Close"
    assert settings.windowTitle() == "Settings"
    assert profile.windowTitle() == "School profile"
    assert {b.text() for b in profile.buttons.buttons()} == {"Save", "Cancel"}
    assert window.settings_button.text() == "Settings…"
    assert window.locale().name() == "en_GB" and settings.locale().name() == "en_GB"
    allowed = data_strings("en")
    leftovers = []
    for widget in (window, settings, profile):
        leftovers += welsh_problems(collect(widget), allowed)
    assert not leftovers, leftovers
    window.cy_button.click()
    assert close_button.text().replace("&", "") == "Cau"
    assert window.locale().name() == "cy_GB"
    problems = []
    for widget in (window, settings, profile):
        problems += english_problems(collect(widget), data_strings("cy"))
    assert not problems, problems


def test_qt_translator_serves_qt_strings_and_logs_misses(qapp, caplog):
    from PySide6.QtCore import QCoreApplication

    from selfeval_app.core import i18n
    from selfeval_app.gui.app import qt_application

    qt_application()
    i18n.set_language("cy")
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "Iawn"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Canslo"
    assert QCoreApplication.translate("QLineEdit", "Select All") != "Select All"
    with caplog.at_level("INFO", logger="selfeval_app.gui.qt_translator"):
        assert QCoreApplication.translate("QNoSuchContext", "Frobnicate") == "Frobnicate"
    assert "Frobnicate" in caplog.text
    i18n.set_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "OK"


def test_line_edit_context_menu_is_welsh(qapp):
    from selfeval_app.core import i18n
    from selfeval_app.gui.app import qt_application

    qt_application()
    i18n.set_language("cy")
    field = QLineEdit()
    welsh_letters.install_welsh_letters(field)
    texts = [t for _w, t in collect_menu(welsh_letters.context_menu(field))]
    assert "Llythrennau Cymraeg (â ŵ ŷ …)" in texts
    assert not english_problems([("menu", t) for t in texts], set())
    QApplication.processEvents()
