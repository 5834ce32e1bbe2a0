"""No save lost after a restore (reliability review finding 5): while `selfeval restore` runs, a
real second process keeps saving. Every save either is refused with a clear message, or is found
afterwards: in the restored data if it was made after the restore, or in the backup the restore
made of the state before it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

WRITER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from selfeval_app.core.database import open_database
    from selfeval_app.core.errors import UserFacingError
    from selfeval_app.core.records import RecordStore

    data, log, stop = Path(sys.argv[1]), open(sys.argv[2], "a", buffering=1), Path(sys.argv[3])
    n = 0
    while not stop.exists():
        start = time.monotonic()
        try:
            db = open_database(data, create=False)
        except UserFacingError as exc:
            log.write(json.dumps({"refused": exc.message()}) + "\\n")
            time.sleep(0.01)
            continue
        store = RecordStore(db, device_id="second-writer")
        try:
            for _ in range(3):  # a command that keeps its connection for a few saves
                n += 1
                rec = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": f"cadw {n}"}})
                log.write(json.dumps({"id": rec["id"], "start": start, "end": time.monotonic()}) + "\\n")
                time.sleep(0.005)
        finally:
            db.close()
        time.sleep(0.002)
    """
)


def _live_ids(db_bytes_path: Path) -> set[str]:
    conn = sqlite3.connect(db_bytes_path)
    try:
        return {r[0] for r in conn.execute('SELECT id FROM "evidence" WHERE deleted = 0')}
    finally:
        conn.close()


def _env(tmp_path):
    return {**os.environ, "SELFEVAL_CONFIG_DIR": str(tmp_path / "config"), "SELFEVAL_LANG": "en"}


def _cli(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "selfeval_app", *args], capture_output=True, text=True, env=_env(tmp_path), timeout=120)


@pytest.mark.skipif(sys.platform == "win32", reason="the writer lock is tested on Windows by hand")
def test_every_save_by_another_process_is_refused_or_kept(tmp_path):
    data = tmp_path / "data"
    assert _cli(tmp_path, "demo", "--data-dir", str(data)).returncode == 0
    backup = tmp_path / "copi.zip"
    assert _cli(tmp_path, "backup", "--out", str(backup), "--data-dir", str(data)).returncode == 0
    log, stop = tmp_path / "saves.jsonl", tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(data), str(log), str(stop)], env=_env(tmp_path))
    try:
        while not log.exists() or log.read_text().count('"id"') < 20:
            time.sleep(0.02)
        restore_start = time.monotonic()
        result = _cli(tmp_path, "restore", str(backup), "--data-dir", str(data))
        restore_end = time.monotonic()
        seen = log.read_text().count('"id"')
        while log.read_text().count('"id"') < seen + 20:
            time.sleep(0.02)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert result.returncode == 0, result.stderr
    safety = Path(result.stdout.strip().splitlines()[-1].split(" is kept in ", 1)[1].rstrip("."))
    with zipfile.ZipFile(safety) as zf:
        (tmp_path / "before.sqlite3").write_bytes(zf.read("database.sqlite3"))
    before_restore = _live_ids(tmp_path / "before.sqlite3")
    after_restore = _live_ids(data / "selfeval.sqlite3")

    events = [json.loads(line) for line in log.read_text().splitlines()]
    saves = [e for e in events if "id" in e]
    refusals = [e["refused"] for e in events if "refused" in e]
    lost = [e for e in saves if e["id"] not in after_restore and e["id"] not in before_restore]
    print(f"{len(saves)} saves, {len(refusals)} refused during the restore, {len(lost)} lost")
    assert lost == [], f"{len(lost)} of {len(saves)} saves lost"
    later = [e for e in saves if e["start"] > restore_end]
    assert later and all(e["id"] in after_restore for e in later)
    assert all(e["id"] in before_restore for e in saves if e["end"] < restore_start)
    assert all("A restore is in progress" in text for text in refusals), set(refusals)
