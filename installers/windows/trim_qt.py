"""Trim the Windows build's PySide6 to what the app uses: QtCore, QtGui, QtWidgets and QtNetwork,
the Windows platform plugin (and the offscreen one, for headless runs), the Windows 11 style and
the .ico image reader; the C++ runtime DLLs PySide6 ships. Everything else (QML, Quick, WebEngine's
ICU data, the software OpenGL renderer, Qt's own translations, designer tools, type stubs) goes.

    python trim_qt.py PKGS_DIR        (run by installers/build-windows.sh)

Prints what it kept and the size before and after. A module the app starts importing later must
be added to KEEP (tests/test_installers.py checks every PySide6 module the sources import is kept).
"""

from __future__ import annotations

import sys
from pathlib import Path

QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtNetwork")

KEEP = {
    "__init__.py",
    "_config.py",
    "_git_pyside_version.py",
    "pyside6.abi3.dll",
    *(f"{m}.pyd" for m in QT_MODULES),
    *(f"Qt6{m[2:]}.dll" for m in QT_MODULES),
    # The Microsoft C++ runtime PySide6 ships beside Qt.
    "concrt140.dll",
    "msvcp140.dll",
    "msvcp140_1.dll",
    "msvcp140_2.dll",
    "msvcp140_codecvt_ids.dll",
    "vcruntime140.dll",
    "vcruntime140_1.dll",
    "plugins/platforms/qwindows.dll",
    "plugins/platforms/qoffscreen.dll",
    "plugins/styles/qmodernwindowsstyle.dll",
    "plugins/imageformats/qico.dll",
}


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def trim(pkgs: Path) -> list[str]:
    pyside = pkgs / "PySide6"
    if not pyside.is_dir():
        sys.exit(f"trim_qt: no PySide6 folder in {pkgs}")
    kept = []
    for path in sorted(pyside.rglob("*"), reverse=True):  # files before their folders
        relative = path.relative_to(pyside).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative in KEEP:
            kept.append(relative)
        else:
            path.unlink()
    missing = KEEP - set(kept)
    if missing:
        sys.exit(f"trim_qt: the wheel has no {', '.join(sorted(missing))}")
    for stub in pkgs.rglob("*.pyi"):
        stub.unlink()
    return sorted(kept)


def main() -> None:
    pkgs = Path(sys.argv[1])
    before = folder_size(pkgs / "PySide6")
    kept = trim(pkgs)
    after = folder_size(pkgs / "PySide6")
    print(f"trim_qt: PySide6 {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB; kept: {', '.join(kept)}")


if __name__ == "__main__":
    main()
