"""The app's icon (resources/icons/, drawn as selfeval.svg, rendered to PNGs) for the window and
the task bar. PNGs only, so no image-format plugin is needed (frozen builds ship none)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from selfeval_app.core.resources import resource_path

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:  # with a size given, Qt reads each file only when that size is drawn
        icon.addFile(str(resource_path("icons", f"selfeval-{size}.png")), QSize(size, size))
    return icon
