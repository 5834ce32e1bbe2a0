#!/usr/bin/env python3
"""Screenshots for the README of the Sharing page and the send preview, in Welsh and English.

    xvfb-run -a -s "-screen 0 1366x900x24" python scripts/screenshots_sharing.py [--out docs/screenshots]

Real screen grabs of a real window (not offscreen). Builds afresh, in a temporary folder, the
example school (laptop A), a second laptop of it (B) and the example local authority, trusting
each other; both laptops edit one evaluation so the page has something under "Needs a decision",
and A imports B's bundle so the import report shows. Writes sharing-<lang>.png and
send-preview-<lang>.png. Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(tmp: Path) -> Path:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import contacts, keys, setup
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle

    a_dir, b_dir, la_dir = tmp / "A", tmp / "B", tmp / "LA"
    build_example_school(a_dir, device_id="laptop-A")
    store = RecordStore(open_database(a_dir), device_id="laptop-A")
    a_keys = keys.ensure_identity(store)
    store.close()
    shutil.copytree(a_dir, b_dir)
    shutil.rmtree(b_dir / "keys")
    b_keys = keys.join_identity(b_dir, a_keys.card())
    a_keys.add_device(b_keys.card())
    setup.demo_la(la_dir, device_id="laptop-LA")
    la_keys = keys.require_keys(la_dir)
    a = RecordStore(open_database(a_dir), device_id="laptop-A")
    b = RecordStore(open_database(b_dir), device_id="laptop-B")
    try:
        contacts.trust(a, a_keys, la_keys.card(), la_keys.fingerprint())
        evaluation = a.list("evaluation")[0]
        a.update("evaluation", evaluation["id"], {"narrative": {
            "cy": "Mae'r disgyblion yn darllen yn frwd ac yn trafod eu llyfrau'n hyderus.",
            "en": "Pupils read keenly and talk about their books with confidence."}})
        b.update("evaluation", evaluation["id"], {"narrative": {
            "cy": "Mae'r rhan fwyaf o'r disgyblion yn darllen yn rhugl erbyn Blwyddyn 4.",
            "en": "Most pupils read fluently by Year 4."}})
        b_keys = keys.require_keys(b_dir)
        bundle = tmp / "from-b.selfeval-bundle"
        write_bundle(b, b_keys, Recipient.own_devices(b_keys), bundle)
    finally:
        a.close()
        b.close()
    return bundle


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

    from selfeval_app.gui import dialogs
    from selfeval_app.gui.app import start

    bundle = build(tmp)
    args.out.mkdir(parents=True, exist_ok=True)

    class Answers(dialogs.DialogService):
        """Picks the bundle when asked for a file; keeps every message box out of the shots."""

        def open_file(self, parent, title, directory="", name_filter=""):
            return str(bundle)

        def information(self, parent, title, text):
            pass

    dialogs.set_service(Answers())

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
    ctx = start(tmp / "A", "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.move(0, 0)
    window.resize(1280, 880) if args.text_scale == 1.0 else window.resize(1366, 740)
    page = window.show_page("sharing")
    settle()
    page.import_bundle()
    settle(800)
    for lang in ("cy", "en"):
        window.switch_language(lang)
        window.show_page("sharing")
        settle()
        page.conflicts.selectRow(0)
        page.contacts.selectRow(0)
        settle()
        grab(window, f"sharing-{lang}{args.suffix}")
        page.send_to(page.selected_contact())
        settle(800)
        dialog = page.preview_dialog
        dialog.move(80, 40)
        dialog.resize(1100, 720)
        settle()
        grab(dialog, f"send-preview-{lang}{args.suffix}")
        dialog.reject()
        settle(100)
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
