#!/usr/bin/env python3
"""Screenshots for the README of the local authority's pages and the school's Partnerships page,
in Welsh and English.

    xvfb-run -a -s "-screen 0 1366x900x24" python scripts/screenshots_la.py [--out docs/screenshots]

Real screen grabs of a real window (not offscreen). Builds afresh, in a temporary folder, the
example local authority (`selfeval demo --role la`: a dozen example schools' real bundles) and
the example school. Writes la-schools-<lang>.png, la-school-<lang>.png (one school, read-only),
la-school-pages-<lang>.png (that school's plan in the usual pages, read-only),
la-alignment-<lang>.png, la-network-<lang>.png, la-exports-<lang>.png and
partnerships-<lang>.png. Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(tmp: Path) -> tuple[Path, Path]:
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.exchange import setup
    from selfeval_app.exchange.la_example import add_example_schools

    la_dir, school_dir = tmp / "LA", tmp / "school"
    setup.demo_la(la_dir, device_id="laptop-LA")
    add_example_schools(la_dir)
    build_example_school(school_dir, device_id="laptop-A")
    return la_dir, school_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        print("screenshots need a real display: run under xvfb-run", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="selfeval-la-shots-"))
    os.environ["SELFEVAL_CONFIG_DIR"] = str(tmp / "config")
    os.environ["HOME"] = str(tmp)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from selfeval_app.gui.app import start

    la_dir, school_dir = build(tmp)
    args.out.mkdir(parents=True, exist_ok=True)
    ctx = None

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        while ctx is not None and ctx.window is not None and (ctx.window.worker.busy or ctx.window.operations.background_busy):
            QTimer.singleShot(100, loop.quit)
            loop.exec()

    def grab(widget, name: str) -> None:
        screen = QApplication.primaryScreen()
        geometry = widget.frameGeometry()
        shot = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        path = args.out / f"{name}.png"
        shot.save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    ctx = start(la_dir, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.move(0, 0)
    window.resize(1340, 880)
    settle(800)
    schools = window.show_page("la_schools")
    settle()
    for lang in ("cy", "en"):
        window.switch_language(lang)
        window.show_page("la_schools")
        schools.table.selectRow(1)
        settle()
        grab(window, f"la-schools-{lang}")
        row = next(r for r in schools.rows if r.partnerships and r.visits_hosted)
        dialog = schools.open_school(row.key)
        dialog.move(60, 40)
        dialog.resize(1180, 760)
        settle()
        grab(dialog, f"la-school-{lang}")
        records = dialog.open_in_pages()  # the school's records in the usual pages, read-only
        records.move(40, 30)
        records.resize(1240, 840)
        records.show_page("plan")
        settle(600)
        grab(records, f"la-school-pages-{lang}")
        records.close()
        dialog.close()
        across = window.show_page("la_across")
        across.tabs.setCurrentIndex(0)
        settle()
        grab(window, f"la-alignment-{lang}")
        across.tabs.setCurrentIndex(2)
        settle()
        view = across.network_view
        linked = next(k for k in view.order if across.network.edges_of(k))
        view.setFocus()
        view.choose(linked)
        settle()
        grab(window, f"la-network-{lang}")
        window.show_page("la_exports")
        settle()
        grab(window, f"la-exports-{lang}")
    ctx.close()
    ctx = None
    QApplication.processEvents()

    ctx = start(school_dir, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.move(0, 0)
    window.resize(1340, 880)
    settle(800)
    page = window.show_page("partnerships")
    settle()
    for lang in ("cy", "en"):
        window.switch_language(lang)
        window.show_page("partnerships")
        if page.tree.topLevelItemCount():
            page.tree.setCurrentItem(page.tree.topLevelItem(0))
        settle()
        grab(window, f"partnerships-{lang}")
        dialog = page.edit_partnership()
        if dialog is not None:
            dialog.move(80, 20)
            dialog.resize(1100, 860)
            settle()
            grab(dialog, f"partnership-dialog-{lang}")
            dialog.reject()
            settle(100)
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
