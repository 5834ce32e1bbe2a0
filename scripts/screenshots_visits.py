#!/usr/bin/env python3
"""Screenshots for the README of "Visits I review" and the visit workspace (the reviewer's
laptop), in Welsh and English.

    xvfb-run -a -s "-screen 0 1366x900x24" python scripts/screenshots_visits.py [--out docs/screenshots]

Real screen grabs of a real window (not offscreen). Builds afresh, in a temporary folder, the
example school (the host) and the example reviewer's laptop (`demo --role reviewer`), trusting
each other, and imports the host's visit pack on the reviewer's laptop. Writes
visits-<lang>.png, visit-log-<lang>.png, visit-findings-<lang>.png, visit-host-<lang>.png, and
the host's records in the usual pages (read-only): visit-host-pages-<lang>.png (self-evaluation),
visit-host-plan-<lang>.png (development plan) and visit-host-search-<lang>.png (search).
Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(tmp: Path) -> Path:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.bundle_import import import_bundle
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.setup_reviewer import demo_reviewer
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    host, reviewer = tmp / "H", tmp / "R"
    build_example_school(host, device_id="laptop-H")
    demo_reviewer(reviewer, device_id="laptop-R")
    h = RecordStore(open_database(host), device_id="laptop-H")
    r = RecordStore(open_database(reviewer), device_id="laptop-R")
    try:
        kh, kr = keys.ensure_identity(h), keys.require_keys(reviewer)
        contacts.trust(h, kh, kr.card(), kr.fingerprint())
        contacts.trust(r, kr, kh.card(), kh.fingerprint())
        to = Recipient.from_contact(contacts.get(h, kr.identity_id))
        pack = tmp / "pack.selfeval-bundle"
        write_bundle(h, kh, to, pack, plan_visit_bundle(h, kh, to, visit_id()))
        import_bundle(r, kr, pack)
    finally:
        h.close()
        r.close()
    return reviewer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--text-scale", type=float, default=1.0, help="e.g. 2 for text at 200%%")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. -200")
    args = parser.parse_args(argv)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        print("screenshots need a real display: run under xvfb-run", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="selfeval-shots-"))
    os.environ["SELFEVAL_CONFIG_DIR"] = str(tmp / "config")
    os.environ["HOME"] = str(tmp)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.gui.app import start

    data_dir = build(tmp)
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        while ctx.window.worker.busy:
            QTimer.singleShot(100, loop.quit)
            loop.exec()

    def grab(widget, name: str) -> None:
        screen = QApplication.primaryScreen()
        geometry = widget.frameGeometry()
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
    ctx = start(data_dir, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.move(0, 0)
    window.resize(1280, 880)
    settle(800)
    for lang in ("cy", "en"):
        window.switch_language(lang)
        page = window.show_page("visits")
        page.show_list()
        settle()
        grab(window, f"visits-{lang}{args.suffix}")
        ws = page.open_visit(visit_id())
        settle(600)
        ws.tabs.setCurrentWidget(ws.log_tab)
        ws.notes_list.setCurrentRow(0)
        settle()
        grab(window, f"visit-log-{lang}{args.suffix}")
        ws.tabs.setCurrentWidget(ws.findings_tab)
        settle()
        grab(window, f"visit-findings-{lang}{args.suffix}")
        ws.tabs.setCurrentWidget(ws.host_view)
        settle()
        grab(window, f"visit-host-{lang}{args.suffix}")
        records = ws.open_host_records()  # the host's records in the usual pages, read-only
        records.move(40, 30)
        records.resize(1240, 840)
        records.show_page("evaluation")
        settle(600)
        grab(records, f"visit-host-pages-{lang}{args.suffix}")
        records.show_page("plan")
        settle()
        grab(records, f"visit-host-plan-{lang}{args.suffix}")
        search = records.show_page("search")  # the host's records only
        search.box.setText({"cy": "darllen", "en": "reading"}[lang])
        search.search_now()
        settle(600)
        grab(records, f"visit-host-search-{lang}{args.suffix}")
        records.close()
        settle()
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
