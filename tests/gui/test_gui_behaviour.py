"""What the window does: first start, the profile's inline checks, saving, restarts, the second
instance, the Welsh-letter helper, the worker, backups."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

from conftest import SCHOOL
from selfeval_app.core import i18n
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.core.settings import load_settings
from selfeval_app.gui import welsh_letters
from selfeval_app.gui.welsh_letter_popup import WelshLetterPopup


def stored_school(data_dir: Path) -> dict | None:
    db = open_database(data_dir)
    try:
        return RecordStore(db, device_id="reader").school()
    finally:
        db.close()


def test_first_start_language_choice_survives_a_restart(launch, tmp_path, qtbot):
    data = tmp_path / "new"
    ctx = launch(data)
    dialog = ctx.first_start
    assert ctx.window is None and dialog.stack.currentIndex() == dialog.PAGE_LANGUAGE
    assert (dialog.cymraeg.text(), dialog.english.text()) == ("Cymraeg", "English")
    qtbot.mouseClick(dialog.english, Qt.MouseButton.LeftButton)
    assert load_settings()["language"] == "en"
    assert dialog.setup_button.text() == "Set up my school"
    qtbot.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    dialog.form.name_cy.setText("Ysgol Bro Ŵyr")
    dialog.form.number.setText("6692318")
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ctx.window is not None and ctx.window.name_label.text() == "Ysgol Bro Ŵyr"
    assert ctx.window.status_label.text() == "Saved"
    ctx.close()
    i18n.set_language("cy")  # what a fresh process would start with
    again = launch(data)
    assert again.first_start is None
    assert i18n.current_language() == "en"
    assert again.window.settings_button.text() == "Settings…"
    record = stored_school(data)
    assert record["establishment_number"] == "669/2318" and record["la_code"] == 669


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_profile_inline_messages_and_nothing_saved(launch, school_dir, qtbot, lang):
    ctx = launch(school_dir, lang)
    before = stored_school(school_dir)
    dialog = ctx.window.edit_profile()
    form = dialog.form
    expected = {
        "cy": {
            "name": "Rhowch enw'r ysgol, yn Gymraeg neu yn Saesneg neu yn y ddwy iaith.",
            "format": "Ysgrifennwch rif y sefydliad fel tri digid, blaenslaes a phedwar digid, e.e. 669/2318.",
            "wrong": "Mae'r rhif hwn yn perthyn i awdurdod lleol arall: Caerdydd. Yr awdurdod lleol a ddewiswyd uchod yw Ceredigion.",
        },
        "en": {
            "name": "Give the school's name, in Welsh or English or both.",
            "format": "Write the establishment number as three digits, a slash and four digits, e.g. 669/2318.",
            "wrong": "This number belongs to another local authority: Cardiff. The local authority chosen above is Ceredigion.",
        },
    }[lang]
    submitted = []
    ctx.worker.jobDone.connect(submitted.append)

    form.name_cy.clear()
    form.name_en.clear()
    assert not dialog.try_save()
    assert form.name_error.text() == expected["name"] and form.name_error.isVisibleTo(dialog)

    form.name_cy.setText("Ysgol Newydd")
    form.number.setText("66/23")
    assert not dialog.try_save()
    assert form.number_error.text() == expected["format"]
    assert form.name_error.text() == ""

    form.number.setText("681/1234")  # Cardiff's number, with Ceredigion (667) chosen
    assert not dialog.try_save()
    assert form.number_error.text() == expected["wrong"]
    assert form.number.accessibleDescription() == expected["wrong"]

    form.number.setText("999/1234")
    assert not dialog.try_save()
    assert "660" in form.number_error.text()

    QApplication.processEvents()
    assert submitted == [] and not ctx.worker.busy
    assert stored_school(school_dir) == before


def test_inline_message_follows_a_language_switch(launch, school_dir):
    ctx = launch(school_dir, "cy")
    dialog = ctx.window.edit_profile()
    dialog.form.number.setText("681/1234")
    dialog.try_save()
    assert "Caerdydd" in dialog.form.number_error.text()
    ctx.window.en_button.click()
    assert dialog.form.number_error.text().startswith("This number belongs to another local authority: Cardiff.")


def test_profile_edits_persist_across_a_restart(launch, school_dir, qtbot):
    ctx = launch(school_dir, "cy")
    dialog = ctx.window.edit_profile()
    dialog.form.cluster.setText("Clwstwr Gŵyr")
    dialog.form.name_en.setText("Builth Wells School")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        assert dialog.try_save()
    assert ctx.window.status_label.text() == "Wedi'i gadw"
    assert ctx.window.school_page.values["cluster"].text() == "Clwstwr Gŵyr"
    ctx.close()
    again = launch(school_dir)
    assert again.window.school_page.values["cluster"].text() == "Clwstwr Gŵyr"
    assert again.window.school_page.values["name_en"].text() == "Builth Wells School"
    assert stored_school(school_dir)["rev"] == 2


def test_second_instance_is_refused_and_the_first_comes_forward(launch, school_dir, qtbot, fake_dialogs):
    first = launch(school_dir, "cy")
    first.start_server()
    with qtbot.waitSignal(first.server.activateRequested, timeout=5000):
        code = launch(school_dir)
    assert code == 1
    (kind, title, text), = fake_dialogs.calls
    assert kind == "information"
    assert text.startswith("Mae Hunanwerthuso ar agor yn barod")
    assert first.window is not None and first.window.isVisible()


def test_a_stale_server_name_does_not_delay_start(launch, school_dir, qtbot):
    from PySide6.QtNetwork import QLocalServer

    from selfeval_app.gui.single_instance import server_name

    stale = QLocalServer()
    assert stale.listen(server_name(school_dir))  # left behind: no lock is held
    ctx = launch(school_dir, "en")
    assert ctx.window is not None
    ctx.start_server()
    assert ctx.server.server.isListening()
    stale.close()


@pytest.mark.parametrize("cls", [QLineEdit, QTextEdit, QPlainTextEdit])
def test_welsh_letter_helper_types_into_every_text_field(qapp, qtbot, cls):
    field = cls()
    qtbot.addWidget(field)
    welsh_letters.install_welsh_letters(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    qtbot.waitActive(field)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, WelshLetterPopup)
    target = next(b for b, letter, _a in popup.buttons if letter == "ŵ")
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    text = field.text() if isinstance(field, QLineEdit) else field.toPlainText()
    assert text == "ŵ"
    welsh_letters.set_enabled(False)
    assert welsh_letters.open_popup(field) is None
    menu = welsh_letters.context_menu(field)
    assert welsh_letters.menu_text() not in [a.text() for a in menu.actions()]


def test_worker_runs_jobs_off_the_main_thread(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    main = threading.get_ident()
    seen = {}

    def job(session):
        seen["job"] = threading.get_ident()
        return session.store.school()["name"]["cy"]

    def done(result):
        seen["done"] = threading.get_ident()
        seen["result"] = result

    with qtbot.waitSignal(ctx.worker.jobDone, timeout=5000):
        ctx.worker.submit(job, done)
    assert seen["job"] != main and seen["done"] == main
    assert seen["result"] == SCHOOL["name"]["cy"]


def test_settings_backup_and_restore_with_confirmation(launch, school_dir, qtbot, fake_dialogs):
    ctx = launch(school_dir, "cy")
    settings = ctx.window.open_settings()
    assert settings.folder.text() == str(school_dir) and settings.folder.isReadOnly()
    settings.open_folder.click()
    assert fake_dialogs.calls[-1] == ("open_folder", str(school_dir))
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        settings.backup_now.click()
    QApplication.processEvents()
    assert settings.backups.count() == 1 and settings.backups.item(0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        settings.writes_in.setCurrentIndex(settings.writes_in.findData("cy"))
    assert stored_school(school_dir)["writes_in"] == "cy"
    settings.backups.setCurrentRow(0)
    fake_dialogs.answers = [False]
    settings.restore.click()
    assert fake_dialogs.calls[-1][0] == "question" and not ctx.worker.busy
    fake_dialogs.answers = [True]
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=10000):
        settings.restore.click()
    assert stored_school(school_dir)["writes_in"] == "both"
    assert ctx.window.school()["writes_in"] == "both"
    assert ctx.window.status_label.text() == "Adferwyd y copi wrth gefn."
    settings.helper.setChecked(False)
    assert load_settings()["welsh_letter_helper"] is False and not welsh_letters.is_enabled()


def test_explore_the_example_school(launch, tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("SELFEVAL_EXAMPLE_DIR", str(tmp_path / "example"))
    ctx = launch(tmp_path / "real", "cy")
    dialog = ctx.first_start
    assert dialog.stack.currentIndex() == dialog.PAGE_CHOICE
    with qtbot.waitSignal(dialog.finished, timeout=60000):
        dialog.example_button.click()
    window = ctx.window
    assert ctx.data_dir == tmp_path / "example"
    assert window.banner.isVisibleTo(window)
    assert window.banner.text().startswith("Ysgol enghreifftiol")
    assert window.name_label.text() == "Ysgol Gymraeg Bro’r Wennol"


def test_start_imports_nothing_heavy(school_dir, tmp_path):
    code = (
        "import sys; from pathlib import Path; from selfeval_app.gui.app import run; "
        f"run(data_dir=Path({str(school_dir)!r}), lang='cy'); "
        "heavy = [m for m in ('reportlab', 'babel', 'sqlite_utils', 'selfeval_app.exchange', 'selfeval_app.reports') if m in sys.modules]; "
        "print('HEAVY', heavy)"
    )
    env = {**os.environ, "SELFEVAL_FIRST_PAINT_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "FIRST_PAINT" in out.stdout, out.stderr
    assert "HEAVY []" in out.stdout, out.stdout
