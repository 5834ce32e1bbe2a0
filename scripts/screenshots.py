#!/usr/bin/env python3
"""Screenshots for the README: the example school's window, page by page, in Welsh and English.

    xvfb-run -a -s "-screen 0 1366x860x24" python scripts/screenshots.py [--out docs/screenshots]
    xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshots.py --size 1920x1080 \
        --pages school evaluation --rename school=home evaluation=evaluation-full --no-report

Takes real screen grabs of a real window (run it under Xvfb or on a desktop; not offscreen). The
example school is built afresh in a temporary folder; your own data is never touched. Each shot
is docs/screenshots/<page>-<lang>.png; the report dialog is report-dialog-<lang>.png. Look at
every image before committing it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ("school", "evaluation", "evidence", "coverage", "plan", "glance", "indicators", "search")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", nargs="*", default=list(SHOTS))
    parser.add_argument("--text-scale", type=float, default=1.0, help="e.g. 2 for text at 200%%")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. -200")
    parser.add_argument("--size", default="1280x800", help="the window's size, e.g. 1920x1080 (full screen)")
    parser.add_argument("--rename", nargs="*", default=[], metavar="PAGE=NAME", help="file name of a page's shots, e.g. school=home")
    parser.add_argument("--no-report", action="store_true", help="no shot of the report dialog")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    names = dict(item.split("=", 1) for item in args.rename)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        print("screenshots need a real display: run under xvfb-run", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="selfeval-shots-"))
    os.environ["SELFEVAL_CONFIG_DIR"] = str(tmp / "config")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from selfeval_app.core.demo import build_example_school
    from selfeval_app.gui.app import start

    data = tmp / "example"
    build_example_school(data, device_id="screenshots")
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def grab(name: str) -> None:
        screen = QApplication.primaryScreen()
        window = QApplication.activeWindow() or ctx.window
        geometry = window.frameGeometry()
        shot = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        path = args.out / f"{name}.png"
        shot.save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    if args.text_scale != 1.0:
        from selfeval_app.gui.app import qt_application

        qapp = qt_application()
        font = qapp.font()
        font.setPointSizeF(font.pointSizeF() * args.text_scale)
        qapp.setFont(font)
    ctx = start(data, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.move(0, 0)
    window.resize(width, height)
    for lang in ("cy", "en"):
        window.switch_language(lang)
        for key in args.pages:
            if key not in {spec.key for spec in window.page_specs}:
                continue
            page = window.show_page(key)
            if key == "search":
                page.search_now_for("darllen" if lang == "cy" else "reading")
                settle(1500)
            settle()
            grab(f"{names.get(key, key)}-{lang}{args.suffix}")
        if args.no_report:
            continue
        window.show_page("plan" if "plan" in window.pages or any(s.key == "plan" for s in window.page_specs) else "school")
        dialog = window.open_reports()
        dialog.move(120, 60)
        settle()
        grab(f"report-dialog-{lang}{args.suffix}")
        dialog.reject()
        settle(100)
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
