"""Python's cyclic garbage collector kept off the window's background threads.

A full collection (generation 2) walks every tracked object while holding the GIL. When it runs on
a background thread in the middle of a sync round or an import, the objects it walks are that job's
own (a year of records parsed from a bundle: a few hundred thousand dicts and lists) and the main
thread waits for the GIL the whole time: 25–45 ms measured on 2026-12-04, the longest gaps of the
typing benchmark with a sync round in the background (`benchmarks/bench_typing_sync.py`). The
records a job makes are freed by reference counting as soon as it ends; cycles among them are rare.

So automatic collection is held back while any background job of the window runs
(`held_during_background_work`, entered by the database worker and the two thread pools), and it
runs again once none does, from the main thread, where the objects left are the window's own. The
objects that exist once the window has opened (modules, classes, Qt wrappers: they last as long as
the application) are frozen after one collection (`freeze_long_lived`), so later full collections
do not walk them again. See docs/decisions.md (2026-12-04).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0  # background jobs running now
_held = False  # automatic collection turned off by us (and so to be turned on again by us)


@contextmanager
def held_during_background_work() -> Iterator[None]:
    """Automatic collection off while the body runs (nested and concurrent uses counted); on again
    when the last background job ends, unless it was off before the first began."""
    global _running, _held
    with _lock:
        if _running == 0 and gc.isenabled():
            gc.disable()
            _held = True
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _held:
                _held = False
                gc.enable()


def background_jobs_running() -> int:
    """How many background jobs hold collection back now (tests)."""
    return _running


def freeze_long_lived() -> None:
    """Collect once, then move every object that survives into the permanent generation, which
    later collections do not walk (`gc.freeze`): called once the window has opened. Objects
    frozen here that later become garbage are freed by reference counting as usual; only cycles
    among them would stay, and objects that live as long as the application make none worth
    having back."""
    gc.collect()
    gc.freeze()
