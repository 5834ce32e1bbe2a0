"""Frozen builds (PyInstaller, the Windows installer's compiled packages) have no `.py` files on
disk: the window must still find every page. Checked on a compiled-only copy of the package
(legacy `.pyc` beside where the sources were, sources deleted) and on a zip of it, each in a
fresh interpreter that imports no Qt."""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import selfeval_app
from selfeval_app.gui.pages import PAGES

PACKAGE_DIR = Path(selfeval_app.__file__).parent
ALL_KEYS = [spec.key for spec in PAGES]

PROBE = (
    "import sys; from selfeval_app.gui.pages import PAGES, page_available; "
    "print('AVAILABLE', [s.key for s in PAGES if page_available(s)]); "
    "print('IMPORTED', sorted(m for m in sys.modules if m.endswith(('.page', '.coverage', '.glance', '.indicators'))))"
)


def compiled_only_copy(dest: Path) -> Path:
    """A copy of the package with each module as a legacy .pyc and no .py file left."""
    target = dest / "selfeval_app"
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert compileall.compile_dir(target, quiet=1, legacy=True)
    for source in target.rglob("*.py"):
        source.unlink()
    assert not list(target.rglob("*.py"))
    return dest


def run_probe(path_entry: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(path_entry)
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(path_entry)!r}); {PROBE}"],
        env=env, capture_output=True, text=True, timeout=60, cwd=path_entry.parent,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_pages_found_without_py_files(tmp_path):
    root = compiled_only_copy(tmp_path / "compiled")
    out = run_probe(root)
    assert f"AVAILABLE {ALL_KEYS}" in out, out
    assert "IMPORTED []" in out, "discovery must not import the pages' modules: " + out


def test_pages_found_in_a_zip(tmp_path):
    root = compiled_only_copy(tmp_path / "compiled")
    archive = tmp_path / "app.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in (root / "selfeval_app").rglob("*"):
            if path.is_file():
                zf.write(path, path.relative_to(root))
    out = run_probe(archive)
    assert f"AVAILABLE {ALL_KEYS}" in out, out


def test_missing_page_module_is_not_available():
    from selfeval_app.gui.pages import PageSpec, page_available

    assert not page_available(PageSpec("nope", "Nope", "selfeval_app.gui.no_such_page:Page"))
    assert not page_available(PageSpec("nope", "Nope", "selfeval_app.no_such_package.page:Page"))


def test_start_imports_no_page_but_the_school(tmp_path):
    """Finding pages by spec keeps the start light: at the first paint of the window, no page's
    module has been imported (the School page lives in main_window)."""
    data = tmp_path / "school"
    demo = subprocess.run([sys.executable, "-m", "selfeval_app", "demo", "--data-dir", str(data)],
                          capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text('{"language": "cy"}', encoding="utf-8")
    page_modules = sorted({spec.target.split(":")[0] for spec in PAGES if spec.key != "school"})
    code = (
        "import sys; from pathlib import Path; from selfeval_app.gui.app import run; "
        f"run(data_dir=Path({str(data)!r}), lang='cy'); "
        f"print('PAGES_IMPORTED', [m for m in {page_modules!r} if m in sys.modules])"
    )
    env = {**os.environ, "SELFEVAL_FIRST_PAINT_PROBE": "1", "QT_QPA_PLATFORM": "offscreen",
           "SELFEVAL_CONFIG_DIR": str(config)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert "FIRST_PAINT" in out.stdout, out.stderr
    assert "PAGES_IMPORTED []" in out.stdout, out.stdout
