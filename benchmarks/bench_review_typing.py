"""Typing into the activity log (issue 12): 2,000 keystrokes into a visit note's Welsh text, in the
real window, with autosave on (DESIGN §12: the longest gap of a 5 ms heartbeat timer on the main
thread < 50 ms).

The laptop is the example reviewer's (`selfeval demo --role reviewer`) holding the example
school's visit pack, as after a real import. The window is started as the app starts it
(offscreen unless QT_QPA_PLATFORM says otherwise); "Visits I review" is opened, the visit, a new
activity. Keys are typed through the event loop as a person types (the same plan as
`bench_typing`: sentences of 40–90 characters with Welsh letters, one key every 20 ms, a 1.05 s
pause after each, so the autosave, 1 s after the last key, runs on the worker while the next
sentence is typed). A 5 ms QTimer records the gaps between its ticks throughout.

    python -m benchmarks.bench_review_typing
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

from benchmarks.bench_typing import (
    BUDGET_MS,
    KEY_MS,
    PAUSE_MS,
    _text,
    budget_rows,
    gap_figures,
    type_plan,
)


def _laptop(root: Path) -> Path:
    """The example reviewer's laptop with the example school's visit pack imported."""
    from selfeval_app.core.database import open_database
    from selfeval_app.core.demo import build_example_school
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.core.records import RecordStore
    from selfeval_app.exchange import contacts, keys
    from selfeval_app.exchange.bundle_import import import_bundle
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.setup_reviewer import demo_reviewer
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    host, reviewer = root / "H", root / "R"
    build_example_school(host, device_id="bench-H")
    demo_reviewer(reviewer, device_id="bench-R")
    h = RecordStore(open_database(host), device_id="bench-H")
    r = RecordStore(open_database(reviewer), device_id="bench-R")
    try:
        kh, kr = keys.ensure_identity(h), keys.require_keys(reviewer)
        contacts.trust(h, kh, kr.card(), kr.fingerprint())
        contacts.trust(r, kr, kh.card(), kh.fingerprint())
        to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
        pack = root / "pack.selfeval-bundle"
        write_bundle(h, kh, to_reviewer, pack, plan_visit_bundle(h, kh, to_reviewer, visit_id()))
        import_bundle(r, kr, pack)
        r.flush_search_index()
    finally:
        h.close()
        r.close()
    return reviewer


def measure(data_dir: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from selfeval_app.core.clock import FixedClock
    from selfeval_app.core.demo_review import visit_id
    from selfeval_app.gui.app import start

    ctx = start(data_dir, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.clock = FixedClock(dt.datetime(2026, 12, 2, 9, 30))

    def settle() -> None:
        while window.worker.busy or not window._painted:  # noqa: SLF001
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        QApplication.processEvents()

    settle()
    page = window.show_page("visits")
    settle()
    ws = page.open_visit(visit_id())
    settle()
    ws.new_note_button.click()
    settle()
    box = ws.note_text.boxes["cy"]
    box.setFocus()
    box.moveCursor(QTextCursor.MoveOperation.End)
    note_id = ws.note_chain.record_id

    saves = []
    original = window.operations.run

    def counting_run(operation, on_done=None, on_error=None, **kw):
        saves.append(time.perf_counter())
        return original(operation, on_done, on_error, **kw)

    window.operations.run = counting_run

    plan = [(ch, KEY_MS if i < len(s) - 1 else PAUSE_MS) for s in _text(random.Random(20261203)) for i, ch in enumerate(s)]

    def finish() -> None:
        ws.flush()
        while ws.has_unsaved_changes():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

    ticks, typed, elapsed, machine = type_plan(box, plan, finish, watchdog_ms=float(os.environ.get("SELFEVAL_BENCH_WATCHDOG_MS", "0")))
    after = box.toPlainText()
    stored = window.session.reader.get("review_note", note_id)["text"]["cy"]
    owner_ok = window.session.reader.get("review_note", note_id)["owner"] == ws.reviewer
    ctx.close()
    slow = [b for a, b in zip(ticks, ticks[1:], strict=False) if (b - a) * 1000 >= BUDGET_MS]
    near_save = sum(1 for t in slow if any(0 <= t - s_ <= 0.3 for s_ in saves))
    return {
        "slow": len(slow),
        "slow_near_save": near_save,
        "keys": typed,
        "typed_ok": len(after) == typed and stored == after and owner_ok,
        "saves": len(saves),
        "seconds": elapsed,
        **gap_figures(ticks, machine),
    }


def main() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-review-typing-") as tmp:
        os.environ["SELFEVAL_CONFIG_DIR"] = str(Path(tmp) / "config")
        data_dir = _laptop(Path(tmp))
        r = measure(data_dir)
    return [
        f"activity log typing: {r['keys']} keys in {r['seconds']:.0f} s, {r['saves']} autosaves on the worker, text stored intact: {'yes' if r['typed_ok'] else 'NO'}; "
        f"heartbeat gap median {r['median']:.2f} ms, 99th percentile {r['p99']:.2f} ms; gaps of {BUDGET_MS:.0f} ms or more: {r['slow']} "
        f"({r['slow_near_save']} within 0.3 s after a job was queued)",
        *budget_rows("activity log", r, r["typed_ok"]),
    ]


if __name__ == "__main__":
    print("\n".join(main()))
