"""The core knows no screen: core, exchange and reports import with PySide6 made unimportable."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import importlib, importlib.abc, pkgutil, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
            raise ImportError(f"{name} is blocked in this test")
        return None

sys.meta_path.insert(0, NoQt())
import selfeval_app
names = []
for package in ("selfeval_app.core", "selfeval_app.exchange", "selfeval_app.reports"):
    module = importlib.import_module(package)
    names.append(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
        names.append(info.name)
import selfeval_app.cli
import selfeval_app.cli_laptops, selfeval_app.laptops_views  # another laptop of the school
assert not any(m.startswith(("PySide6", "shiboken6")) for m in sys.modules)
print(len(names))
"""


def test_core_exchange_reports_and_cli_import_without_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 15
