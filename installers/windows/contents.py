"""List what the Windows build ships and check that the Qt libraries the window needs are in it.

    python contents.py NSIS_BUILD_DIR      (prints the list; exit 1 when a needed DLL is missing)

From the four PySide6 modules the app imports and the Windows platform plugin, it follows each
DLL's import table (read with binutils' `objdump -p`) through the files of the build; every DLL
named must be in the build or be part of Windows itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOTS = (
    "pkgs/PySide6/QtCore.pyd",
    "pkgs/PySide6/QtGui.pyd",
    "pkgs/PySide6/QtWidgets.pyd",
    "pkgs/PySide6/QtNetwork.pyd",
    "pkgs/PySide6/plugins/platforms/qwindows.dll",
    "pkgs/PySide6/plugins/styles/qmodernwindowsstyle.dll",
)
# DLLs that every Windows 10/11 has (api-ms-win-* and ext-ms-* are API sets).
WINDOWS_DLLS = {
    name.lower()
    for name in (
        "advapi32 authz bcrypt comctl32 comdlg32 crypt32 d3d11 d3d12 d3d9 dcomp dwmapi dwrite dxgi "
        "gdi32 icuin icuuc imm32 iphlpapi kernel32 mpr msimg32 ncrypt netapi32 ole32 oleacc oleaut32 opengl32 "
        "powrprof secur32 setupapi shcore shell32 shlwapi ucrtbase user32 userenv uxtheme version "
        "winmm winspool.drv ws2_32 wtsapi32 dnsapi cfgmgr32 d2d1 dwmapi ntdll rpcrt4 wininet "
        "winhttp propsys runtimeobject mf mfplat normaliz uiautomationcore"
    ).split()
}


def imports_of(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"DLL Name: (\S+)", out)


def is_windows_dll(name: str) -> bool:
    base = name.lower().removesuffix(".dll")
    return base in WINDOWS_DLLS or base.startswith(("api-ms-win-", "ext-ms-"))


def check(root: Path) -> tuple[list[str], list[str]]:
    shipped = {p.name.lower(): p for p in root.rglob("*") if p.suffix.lower() in (".dll", ".pyd", ".exe")}
    needed, missing, todo = set(), [], [root / r for r in ROOTS]
    for path in todo:
        if not path.is_file():
            missing.append(str(path.relative_to(root)))
    todo = [p for p in todo if p.is_file()]
    seen = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        needed.add(path.relative_to(root).as_posix())
        for dll in imports_of(path):
            if dll.lower() in shipped:
                todo.append(shipped[dll.lower()])
            elif not is_windows_dll(dll) and dll.lower() != "python3.dll":
                missing.append(f"{dll} (needed by {path.name})")
    return sorted(needed), missing


def main() -> None:
    root = Path(sys.argv[1])
    needed, missing = check(root)
    print("# What the window needs from this build (followed from the import tables):")
    for relative in needed:
        print(f"needed  {(root / relative).stat().st_size:>10}  {relative}")
    print("# Every file the installer ships:")
    total = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "msi-payload" not in p.parts):
        if path.suffix in (".nsi", ".exe") and path.parent == root:
            continue
        size = path.stat().st_size
        total += size
        print(f"file    {size:>10}  {path.relative_to(root).as_posix()}")
    print(f"# {total / 1e6:.1f} MB uncompressed")
    if missing:
        print("# MISSING: " + "; ".join(missing))
        print("contents: the window needs DLLs the build does not ship: " + "; ".join(missing), file=sys.stderr)
        sys.exit(1)
    print("# every DLL the window needs is in the build or part of Windows")


if __name__ == "__main__":
    main()
