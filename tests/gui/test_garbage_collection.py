"""Automatic garbage collection held back while the window's background work runs
(gui/garbage_collection.py): a full collection on a background thread holds the GIL and the main
thread with it (benchmarks/bench_typing_sync.py)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication

from selfeval_app.gui.garbage_collection import (
    background_jobs_running,
    freeze_long_lived,
    held_during_background_work,
)


def test_held_while_any_job_runs_and_back_after_the_last(qapp):
    assert gc.isenabled()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with held_during_background_work():
            first_in.set()
            second_in.wait(5)
            seen["first"] = gc.isenabled()
        first_out.set()

    def second():
        with held_during_background_work():
            first_in.wait(5)
            second_in.set()
            first_out.wait(5)
            seen["second, alone"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"first": False, "second, alone": False}
    assert gc.isenabled() and background_jobs_running() == 0


def test_left_off_when_it_was_off_before(qapp):
    gc.disable()
    try:
        with held_during_background_work():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_on_again_after_a_failing_job(qapp):
    try:
        with held_during_background_work():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_the_windows_worker_and_pool_run_their_jobs_with_it_held(launch, school_dir, qtbot):
    ctx = launch(school_dir, "en")
    seen = {}
    with qtbot.waitSignal(ctx.worker.jobDone, timeout=5000):
        ctx.worker.submit(lambda _s: seen.setdefault("worker", gc.isenabled()))
    done = threading.Event()
    ctx.window.operations.run_off_writer(lambda: seen.setdefault("pool", gc.isenabled()), lambda _r: done.set())
    qtbot.waitUntil(done.is_set, timeout=5000)
    QApplication.processEvents()
    assert seen == {"worker": False, "pool": False}
    assert gc.isenabled(), "on again on the main thread"


def test_what_the_open_window_holds_is_frozen(launch, school_dir):
    gc.unfreeze()
    launch(school_dir, "en")
    assert gc.get_freeze_count() > 1000
    frozen = gc.get_freeze_count()
    freeze_long_lived()
    assert gc.get_freeze_count() >= frozen
