"""The single-instance lock: held while the process lives, free at once when it dies."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from selfeval_app.core.instance_lock import InstanceLock

HOLDER = """
import sys, time
from selfeval_app.core.instance_lock import InstanceLock
lock = InstanceLock(sys.argv[1])
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_lock_is_exclusive_and_freed_when_the_holder_is_killed(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        assert not InstanceLock(tmp_path).acquire()
        assert InstanceLock(tmp_path).is_held_elsewhere()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    # The lock file is still there, but a crash never delays the next start.
    assert (tmp_path / "selfeval.lock").exists()
    started = time.perf_counter()
    lock = InstanceLock(tmp_path)
    assert lock.acquire()
    assert time.perf_counter() - started < 1.0  # generous: it must not wait at all
    assert InstanceLock(tmp_path).is_held_elsewhere()  # by `lock`, to any other holder
    lock.release()
    assert not InstanceLock(tmp_path).is_held_elsewhere()


def test_lock_released_on_normal_close(tmp_path):
    with InstanceLock(tmp_path) as lock:
        assert lock.acquire()
    assert InstanceLock(tmp_path).acquire()
