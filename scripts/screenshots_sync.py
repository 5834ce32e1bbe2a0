#!/usr/bin/env python3
"""Screenshots for the README of sync in the window (the Sharing page's sync state, the status
bar's words, the sync settings), in Welsh and English.

    xvfb-run -a -s "-screen 0 1366x900x24" python scripts/screenshots_sync.py [--out docs/screenshots]

Real screen grabs of a real window (not offscreen). Builds afresh, in a temporary folder, the
example school trusting the example local authority, with a real sync folder. The window runs one
round (the school's shared records go to the LA's inbox, waiting for its receipt); then the folder
is taken away (a USB stick pulled out) and "Sync now" fails, so the state shows the last success,
the error and what to do, and what waits. Writes sync-status-<lang>.png and
sync-settings-<lang>.png. Look at every image before committing it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(tmp: Path) -> tuple[Path, Path]:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import contacts, keys, setup, sync_setup

    school, la_dir = tmp / "Ysgol", tmp / "LA"
    build_example_school(school, device_id="laptop-A")
    setup.demo_la(la_dir, device_id="laptop-LA")
    la_keys = keys.require_keys(la_dir)
    share = tmp / "USB" / "Rhannu"  # pulled out (renamed) for the error shot
    share.mkdir(parents=True)
    store = RecordStore(open_database(school), device_id="laptop-A")
    try:
        school_keys = keys.ensure_identity(store)
        contacts.trust(store, school_keys, la_keys.card(), la_keys.fingerprint())
        sync_setup.setup_folder(store, share)
    finally:
        store.close()
    return school, share


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        print("screenshots need a real display: run under xvfb-run", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="selfeval-shots-"))
    os.environ["SELFEVAL_CONFIG_DIR"] = str(tmp / "config")
    os.environ["HOME"] = str(tmp)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from selfeval_app.gui import main_window
    from selfeval_app.gui.app import start
    from selfeval_app.gui.settings_dialog import open_sync_settings

    main_window.START_NETWORK_WATCH = False
    school, share = build(tmp)
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        while ctx.window.worker.busy or (ctx.window.sync is not None and (ctx.window.sync.running or ctx.window.sync._relays)):  # noqa: SLF001
            QTimer.singleShot(100, loop.quit)
            loop.exec()

    def grab(widget, name: str) -> None:
        screen = QApplication.primaryScreen()
        geometry = widget.frameGeometry()
        shot = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(), geometry.height())
        path = args.out / f"{name}.png"
        shot.save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    ctx = start(school, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.move(0, 0)
    window.resize(1280, 880)
    settle(1000)  # the first automatic round: sent, waiting for the LA's receipt
    pulled = share.parent.with_name("USB-pulled")
    share.parent.rename(pulled)
    window.sync.sync_now()
    settle(800)
    for lang in ("cy", "en"):
        window.switch_language(lang)
        window.show_page("sharing")
        settle()
        grab(window, f"sync-status-{lang}")
    pulled.rename(share.parent)
    for lang in ("cy", "en"):
        window.switch_language(lang)
        settle()
        dialog = open_sync_settings(window)
        dialog.move(120, 60)
        dialog.resize(820, 340)
        dialog.test()
        settle(800)
        grab(dialog, f"sync-settings-{lang}")
        dialog.reject()
        settle(100)
    ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
