"""Typing: 2,000 keystrokes into an evaluation's narrative, in the real window, with autosave on, on
the data set of 20,000 evidence items (DESIGN §12: the longest gap of a 5 ms heartbeat timer on the
main thread < 50 ms).

The window is started as the app starts it (offscreen unless QT_QPA_PLATFORM says otherwise) on a
copy of the benchmark data set (its search index brought up to date first, as a school's is).
Typing starts once the Self-evaluation page has loaded and painted, as a person sees it before
typing (until 2026-12-03 it started at once, so the page's first paint fell among the keys). The
keys are typed through the event loop as a person types: sentences of 40–90 characters (Welsh
letters included) at one key every 20 ms, each followed by a pause of 1.05 s, so the page's
autosave (1 s after the last key) runs on the worker while the next sentence is being typed. A
5 ms QTimer records the gaps between its ticks throughout.

    python -m benchmarks.bench_typing
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.machine_stalls import MachineWatch
from benchmarks.report import row

KEYS = 2000
KEY_MS = 20
PAUSE_MS = 1050
HEARTBEAT_MS = 5
BUDGET_MS = 50.0
WORDS = "mae’r dysgwyr yn ŵyr i’r ysgol ac yn darllen gyda brwdfrydedd tŷ gêm môr llên ŷd learners read with enthusiasm".split()


def _text(rng: random.Random) -> list[str]:
    """Sentences of 40–90 characters until KEYS characters, each ending with ". "."""
    sentences, total = [], 0
    while total < KEYS:
        words: list[str] = []
        target = rng.randrange(40, 90)
        while len(" ".join(words)) < target:
            words.append(rng.choice(WORDS))
        sentence = (" ".join(words).capitalize() + ". ")[: KEYS - total]
        sentences.append(sentence)
        total += len(sentence)
    return sentences


def _prepare(source: Path, folder: Path) -> Path:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    target = folder / "data"
    shutil.copytree(source, target)
    db = open_database(target)
    try:
        RecordStore(db, device_id="benchmark").flush_search_index()
    finally:
        db.close()
    return target


def _until_shown(window, box, limit_s: float = 10.0) -> None:
    """Wait as a person does: until the page has loaded (the worker is idle) and the narrative has
    been painted, so the keys measure typing rather than the page's opening (its first paint, ~40
    ms of layout for the statements' sixty text boxes). Anything else the window does a moment
    after it opens (sync starting 300 ms after the first paint) still happens while typing."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject
    from PySide6.QtWidgets import QApplication

    painted = []

    class _Painted(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    watch = _Painted()
    box.viewport().installEventFilter(watch)
    deadline = time.perf_counter() + limit_s
    try:
        while (not painted or window.worker.busy) and time.perf_counter() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
        QApplication.processEvents()
    finally:
        box.viewport().removeEventFilter(watch)


def measure(data_dir: Path, on_start=None, on_end=None, before=None) -> dict:
    """Type into the window; `before(window)` runs before the typing, `on_start(window)` as it
    starts and `on_end(window)` before the window closes (its dict joins the result):
    benchmarks/bench_typing_sync.py."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from selfeval_app.core.clock import FixedClock
    from selfeval_app.gui.app import start

    ctx = start(data_dir, "cy")
    ctx.finish_opening()  # the session now (the usual start opens it just after the first paint)
    window = ctx.window
    window.clock = FixedClock(dt.datetime(2026, 3, 10, 10, 0))  # academic year 2025–26 of the data set
    page = window.show_page("evaluation")
    box = page.narrative.boxes["cy"]
    _until_shown(window, box)
    if before is not None:
        before(window)
    box.setFocus()
    box.moveCursor(QTextCursor.MoveOperation.End)
    before = box.toPlainText()

    saves = []
    original_saved = page._saved

    def counting_saved(chain, record):
        saves.append(time.perf_counter())
        original_saved(chain, record)

    page._saved = counting_saved

    plan = [(ch, KEY_MS if i < len(s) - 1 else PAUSE_MS) for s in _text(random.Random(20261202)) for i, ch in enumerate(s)]

    def finish() -> None:
        page.flush()
        while page.has_unsaved_changes():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

    ticks, typed, elapsed, machine = type_plan(
        box, plan, finish, on_start=(lambda: on_start(window)) if on_start is not None else None,
        watchdog_ms=float(os.environ.get("SELFEVAL_BENCH_WATCHDOG_MS", "0")),
    )
    after = box.toPlainText()
    stored = page.reader.get("evaluation", page.record["id"])["narrative"]["cy"]
    extra = on_end(window) if on_end is not None else {}
    ctx.close()
    return {
        "keys": typed,
        "typed_ok": after.startswith(before) and len(after) - len(before) == typed and stored == after,
        "saves": len(saves),
        "seconds": elapsed,
        **gap_figures(ticks, machine),
        **extra,
    }


def type_plan(box, plan, finish, *, on_start=None, watchdog_ms: float = 0.0) -> tuple[list[float], int, float, MachineWatch]:
    """Type `plan` ((character, wait in ms) pairs) into `box` while a 5 ms heartbeat timer runs;
    `finish()` waits for the page's saves before the clock stops. Returns (heartbeat ticks, keys
    typed, seconds, the machine's own stalls meanwhile: benchmarks/machine_stalls.py). With
    `watchdog_ms`, every thread's stack is written to stderr when a gap passes it (diagnosis).
    Shared by the typing benchmarks (evaluation narrative, activity log)."""
    from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    if watchdog_ms:
        import faulthandler

        heartbeat.timeout.connect(lambda: faulthandler.dump_traceback_later(watchdog_ms / 1000, exit=False))
    loop = QEventLoop()
    typed: list[str] = []
    key_timer = QTimer()
    key_timer.setSingleShot(True)
    key_timer.setTimerType(Qt.TimerType.PreciseTimer)

    def press(ch: str) -> None:
        if ch.isascii():
            key = Qt.Key.Key_Space if ch == " " else Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_Period
            QTest.keyClick(box, key, Qt.KeyboardModifier.NoModifier if not ch.isupper() else Qt.KeyboardModifier.ShiftModifier)
        else:  # a Welsh letter, as the Welsh-letter helper or a Welsh keyboard types it
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(box, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))

    def next_key() -> None:
        if len(typed) == len(plan):
            loop.quit()
            return
        ch, wait = plan[len(typed)]
        press(ch)
        typed.append(ch)
        key_timer.start(wait)

    key_timer.timeout.connect(next_key)
    with MachineWatch() as machine:
        heartbeat.start()
        t0 = time.perf_counter()
        QTimer.singleShot(0, next_key)
        if on_start is not None:
            on_start()
        loop.exec()
        finish()
        elapsed = time.perf_counter() - t0
        heartbeat.stop()
    if watchdog_ms:
        import faulthandler

        faulthandler.cancel_dump_traceback_later()
    return ticks, len(typed), elapsed, machine


def gap_figures(ticks: list[float], machine: MachineWatch) -> dict:
    """The heartbeat's gaps as measured, and with the machine's own stalls taken out."""
    gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False)]
    own = [machine.own_ms(a, b) for a, b in zip(ticks, ticks[1:], strict=False)]
    return {
        "longest": max(gaps),
        "own_longest": max(own),
        "median": statistics.median(gaps),
        "p99": sorted(gaps)[int(len(gaps) * 0.99)],
        # the five longest gaps: (ms, when the gap ended on the perf_counter clock, ms of it the machine stalled)
        "worst": sorted(((g, b, g - o) for g, o, b in zip(gaps, own, ticks[1:], strict=False)), reverse=True)[:5],
        "machine": machine.summary(),
    }


def budget_rows(what: str, r: dict, ok: bool) -> list[str]:
    """The budget judged on the gap as measured, and on the app's own part of it (the machine's
    stalls, seen by a separate process, taken out): both printed."""
    return [
        r["machine"],
        row(f"{what}: longest 5 ms heartbeat gap", r["longest"], None, f"< {BUDGET_MS:.0f} ms", r["longest"] < BUDGET_MS and ok),
        row(f"{what}: the same, machine stalls out", r["own_longest"], None, f"< {BUDGET_MS:.0f} ms", r["own_longest"] < BUDGET_MS and ok),
    ]


def main() -> list[str]:
    from benchmarks.dataset import build

    source = build()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-typing-") as tmp:
        os.environ["SELFEVAL_CONFIG_DIR"] = str(Path(tmp) / "config")
        data_dir = _prepare(source, Path(tmp))
        r = measure(data_dir)
    return [
        f"typing: {r['keys']} keys in {r['seconds']:.0f} s, {r['saves']} autosaves on the worker, text stored intact: {'yes' if r['typed_ok'] else 'NO'}; "
        f"heartbeat gap median {r['median']:.2f} ms, 99th percentile {r['p99']:.2f} ms",
        *budget_rows("typing", r, r["typed_ok"]),
    ]


if __name__ == "__main__":
    print("\n".join(main()))
