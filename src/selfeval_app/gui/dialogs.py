"""The dialog service: every dialog that waits for a person goes through here.

Tests replace the service (`set_service`) with one that answers at once, so no test can hang on a
modal dialog. The real service builds the dialogs with `build_message_box` / `build_file_dialog`,
which tests also use to walk the dialogs' widgets without showing them modally.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from selfeval_app.core.i18n import _

_KIND_ICONS = {
    "information": QMessageBox.Icon.Information,
    "warning": QMessageBox.Icon.Warning,
    "question": QMessageBox.Icon.Question,
}


def app_title() -> str:
    # Translators: the app's name, shown as the window title of message boxes.
    return _("Hunanwerthuso | Self-evaluation")


def build_message_box(parent: QWidget | None, kind: str, title: str, text: str) -> QMessageBox:
    """A message box in the current language (Qt's buttons come from our catalog)."""
    box = QMessageBox(parent)
    box.setIcon(_KIND_ICONS[kind])
    box.setWindowTitle(title or app_title())
    box.setText(text)
    box.setAccessibleName(title or app_title())
    box.setAccessibleDescription(text)
    if parent is not None:
        box.setLocale(parent.locale())
    if kind == "question":
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
    else:
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def build_file_dialog(
    parent: QWidget | None, title: str, directory: str = "", name_filter: str = "", *, save: bool = False
) -> QFileDialog:
    """Qt's own (non-native) file dialog, so every string in it comes from our catalog."""
    dialog = QFileDialog(parent, title, directory)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if name_filter:
        dialog.setNameFilter(name_filter)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    if parent is not None:
        dialog.setLocale(parent.locale())
    return dialog


class DialogService:
    """The real dialogs (modal). Each method returns the person's answer."""

    def information(self, parent: QWidget | None, title: str, text: str) -> None:
        build_message_box(parent, "information", title, text).exec()

    def warning(self, parent: QWidget | None, title: str, text: str) -> None:
        build_message_box(parent, "warning", title, text).exec()

    def question(self, parent: QWidget | None, title: str, text: str) -> bool:
        box = build_message_box(parent, "question", title, text)
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_file(self, parent: QWidget | None, title: str, directory: str = "", name_filter: str = "") -> str | None:
        dialog = build_file_dialog(parent, title, directory, name_filter)
        if dialog.exec() and dialog.selectedFiles():
            return dialog.selectedFiles()[0]
        return None

    def save_file(self, parent: QWidget | None, title: str, directory: str = "", name_filter: str = "") -> str | None:
        dialog = build_file_dialog(parent, title, directory, name_filter, save=True)
        if dialog.exec() and dialog.selectedFiles():
            return dialog.selectedFiles()[0]
        return None

    def choose_folder(self, parent: QWidget | None, title: str, directory: str = "") -> str | None:
        dialog = build_file_dialog(parent, title, directory)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dialog.exec() and dialog.selectedFiles():
            return dialog.selectedFiles()[0]
        return None

    def open_document(self, parent: QWidget | None, path) -> bool:
        """Open a file on this computer (a report, a read-only copy of an attachment) in the
        program the system uses for it; False if it could not be handed over."""
        from pathlib import Path

        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        url = QUrl.fromLocalFile(str(Path(path).resolve()))
        if not url.isLocalFile():  # only ever a file on this computer
            return False
        return QDesktopServices.openUrl(url)

    def open_folder(self, parent: QWidget | None, folder) -> None:
        """Show a folder in the system's file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


_service: DialogService = DialogService()


def dialogs() -> DialogService:
    """The dialog service in use."""
    return _service


def set_service(service: DialogService) -> DialogService:
    """Replace the dialog service (tests); returns the previous one."""
    global _service
    previous, _service = _service, service
    return previous
