#!/usr/bin/env python3
"""Screenshots for the README of the host's side of a peer review visit: the Peer review page
with the reviewer's findings come home, in Welsh and English; and the first page of the visit's
report PDF in Welsh, English and both.

    xvfb-run -a -s "-screen 0 1366x900x24" python scripts/screenshots_peer_review.py [--out docs/screenshots]

Real screen grabs of a real window (not offscreen). Builds afresh, in a temporary folder, the
example school (the host) and the example reviewer's laptop (`demo --role reviewer`), trusting
each other: the host's pack goes to the reviewer, the reviewer's notes and draft findings come
back and are imported at the host. Writes peer-review-<lang>.png (--out) and
peer-review-<lang>-page1.png (--report-out, by pdftoppm). Look at every image before committing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(tmp: Path) -> Path:
    """The host with the reviewer's notes and draft findings come home: the pair of
    `screenshots_visits.build` (the pack imported at the reviewer's), then the way back."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from screenshots_visits import build as build_pair

    from selfeval_app.core.database import open_database
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.identity_keys import import_bundle_any
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    reviewer = build_pair(tmp)
    host = tmp / "H"
    h = RecordStore(open_database(host), device_id="laptop-H")
    r = RecordStore(open_database(reviewer), device_id="laptop-R")
    try:
        kh, kr = keys.require_keys(host), keys.require_keys(reviewer)
        to_host = Recipient.from_contact(contacts.get(r, kh.identity_id))
        back = tmp / "findings.selfeval-bundle"
        write_bundle(r, kr, to_host, back, plan_visit_bundle(r, kr, to_host, visit_id()))
        import_bundle_any(h, back)
    finally:
        h.close()
        r.close()
    return host


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--report-out", type=Path, default=ROOT / "docs" / "report-images")
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
    args.report_out.mkdir(parents=True, exist_ok=True)

    # The report's first page, by the command a head would use.
    for lang in ("cy", "en", "both"):
        pdf = tmp / f"peer-review-{lang}.pdf"
        subprocess.run(
            [sys.executable, "-m", "selfeval_app", "report", "peer-review", visit_id(), "--data-dir", str(data_dir), "--out", str(pdf), "--lang", lang],
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        stem = args.report_out / f"peer-review-{lang}-page1"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True)
        print(f"wrote {stem}.png")

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

    ctx = start(data_dir, "cy")
    ctx.finish_opening()
    window = ctx.window
    window.move(0, 0)
    window.resize(1280, 880)
    settle(800)
    for lang in ("cy", "en"):
        window.switch_language(lang)
        page = window.show_page("peer_review")
        settle()
        page.reload(visit_id())
        settle()
        if page.findings.count():
            page.findings.setCurrentRow(0)
        settle()
        grab(window, f"peer-review-{lang}")
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
