"""What the start does before the first paint of the school's name (DESIGN §12, issue 16): a real
process, started like `selfeval`, reports at that paint what was imported and which Qt enums were
made. Qt's namespace (about 100 enums, ~15 ms), the session (writer lock and connection, record
store) and the home's reading wait until after it; the name, read lightly, is on the screen. The times themselves are measured by benchmarks/bench_start.py, not here."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = r"""
import enum, sys
made = []
create = enum.EnumType._create_
def recording(cls, class_name, *args, **kwargs):
    made.append(class_name)
    return create(cls, class_name, *args, **kwargs)
enum.EnumType._create_ = recording
write = sys.stdout.write
def at_paint(text):
    if text.startswith("FIRST_PAINT"):
        from PySide6.QtWidgets import QApplication
        window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "name_label"))
        later = ("PySide6.QtNetwork", "selfeval_app.core.attention", "selfeval_app.core.framework", "zoneinfo",
                 "selfeval_app.gui.home_sections", "importlib.resources", "hashlib",
                 "selfeval_app.core.records", "selfeval_app.gui.session", "selfeval_app.gui.worker")
        write("LOADED %r\n" % [m for m in later if m in sys.modules])
        write("QT_NAMESPACE %r\n" % ("AlignmentFlag" in made))
        write("NAME %r\n" % window.name_label.text())
        write("HOME %r\n" % (window.school_page.attention is not None))
        write("SESSION %r\n" % (window.session is not None))
    return write(text)
sys.stdout.write = at_paint
from selfeval_app.cli import main
sys.argv = ["selfeval", "--data-dir", sys.argv[1]]
main()
"""


def test_first_paint_shows_the_name_and_waits_for_the_rest(school_dir, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text('{"language": "cy"}', encoding="utf-8")
    env = {**os.environ, "SELFEVAL_FIRST_PAINT_PROBE": "1", "QT_QPA_PLATFORM": "offscreen", "SELFEVAL_CONFIG_DIR": str(config)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(school_dir)], env=env, capture_output=True, text=True, timeout=60)
    assert "FIRST_PAINT" in out.stdout, out.stderr
    assert "NAME 'Ysgol Gynradd Llanfair-ym-Muallt'" in out.stdout, out.stdout
    assert "LOADED []" in out.stdout, out.stdout
    assert "QT_NAMESPACE False" in out.stdout, out.stdout
    assert "HOME False" in out.stdout, out.stdout
    assert "SESSION False" in out.stdout, out.stdout  # opened just after the paint
