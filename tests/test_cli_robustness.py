"""The command line on damaged data, odd settings, awkward output and arguments: always a sentence
and exit 1 (or 2 for a usage mistake), never exit 70 or a traceback (reliability review findings
6, 9, 11-14, 18, 19, 22, 23)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from benchmarks.fuzz_databases import nobody_can_run_the_app, shared_temp_base  # noqa: E402

from selfeval_app.cli import main
from selfeval_app.core.paths import database_path

AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 and shutil.which("setpriv") else []


def run(*args, lang="en", env=None, prefix=(), raw_args=None):
    cmd = [*prefix, sys.executable, "-m", "selfeval_app", *args]
    if lang:
        cmd += ["--lang", lang]
    full_env = {**os.environ, **(env or {})}
    if raw_args is not None:
        cmd = [os.fsencode(c) for c in cmd[:3 + len(prefix)]] + raw_args
    return subprocess.run(cmd, capture_output=True, env=full_env, timeout=120)


def text(result) -> str:
    return (result.stdout + result.stderr).decode("utf-8", "replace")


def assert_clean_refusal(result, *words):
    out = text(result)
    assert result.returncode == 1, out
    assert "Traceback" not in out and "inside the app" not in out, out
    for word in words:
        assert word in out, out


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("example") / "Ysgol #3 ŵŷ"
    result = run("demo", "--data-dir", str(folder))
    assert result.returncode == 0, text(result)
    (folder / "backups").mkdir(exist_ok=True)
    assert run("backup", "--out", str(folder / "backups" / "selfeval-manual-20261201-090000-000001.zip"), "--data-dir", str(folder)).returncode == 0
    return folder


@pytest.fixture
def school(example, tmp_path) -> Path:
    folder = tmp_path / "Beth? pam"
    shutil.copytree(example, folder)
    return folder


def _zero_root_page(folder: Path, table: str) -> None:
    path = database_path(folder)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x00" * page_size)


@pytest.mark.parametrize("table", ["school", "evidence", "change_log"])
def test_damaged_database_every_command_says_damaged(school, tmp_path, table):
    _zero_root_page(school, table)
    before = database_path(school).read_bytes()
    result = run("check", "--data-dir", str(school))
    assert_clean_refusal(result, "damaged", "selfeval-manual-20261201-090000-000001.zip")
    for args in (
        ("export", "--out", str(tmp_path / "e.json")),
        ("search", "ysgol"),
        ("demo",),
    ):
        result = run(*args, "--data-dir", str(school))
        assert result.returncode in (0, 1), text(result)  # 0 where the damage is in what it does not read
        assert "Traceback" not in text(result) and "inside the app" not in text(result), text(result)
        if result.returncode == 1:
            assert "damaged" in text(result) or "cannot be read" in text(result), text(result)
            if args[0] == "export":
                assert not (tmp_path / "e.json").exists()
    result = run("report", "sdp-summary", "--draft", "--out", str(tmp_path / "r.pdf"), "--data-dir", str(school), lang=None)
    assert result.returncode in (0, 1) and "Traceback" not in text(result), text(result)
    assert database_path(school).read_bytes() == before


def test_check_does_not_write_to_a_sound_folder(school):
    before = database_path(school).read_bytes()
    result = run("check", "--data-dir", str(school))
    assert result.returncode == 0, text(result)
    assert database_path(school).read_bytes() == before


def test_list_column_with_text_that_is_not_json(school, tmp_path):
    conn = sqlite3.connect(database_path(school))
    conn.execute("UPDATE evidence SET area_ids = 'nid json' WHERE rowid = (SELECT min(rowid) FROM evidence)")
    conn.commit()
    conn.close()
    assert_clean_refusal(run("check", "--data-dir", str(school)), "cannot be read")
    assert_clean_refusal(run("export", "--out", str(tmp_path / "e.json"), "--data-dir", str(school)), "cannot be read")
    assert not (tmp_path / "e.json").exists()


@pytest.mark.parametrize("kind", ["empty", "foreign"])
def test_empty_or_foreign_database_is_never_a_new_school(tmp_path, kind):
    folder = tmp_path / "ysgol"
    folder.mkdir()
    if kind == "empty":
        database_path(folder).write_bytes(b"")
    else:
        conn = sqlite3.connect(database_path(folder))
        conn.execute("CREATE TABLE stock (item TEXT)")
        conn.commit()
        conn.close()
    before = database_path(folder).read_bytes()
    word = "empty" if kind == "empty" else "another program"
    for args in (("check",), ("search", "x"), ("export", "--out", str(tmp_path / "e.json")), ("demo",)):
        assert_clean_refusal(run(*args, "--data-dir", str(folder)), word)
    assert database_path(folder).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["selfeval.sqlite3"]


def test_locked_by_another_program_is_not_called_damaged(school):
    other = sqlite3.connect(database_path(school), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        result = run("check", "--data-dir", str(school))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_clean_refusal(result, "Another program is using the data", "Close it and try again")
    assert "damaged" not in text(result)


def test_export_and_backup_work_while_another_program_holds_the_write_lock(school, tmp_path):
    conn = sqlite3.connect(database_path(school))
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'search_indexed_seq'")  # index work pending
    conn.commit()
    conn.close()
    writer = sqlite3.connect(database_path(school), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a save in progress elsewhere
    try:
        result = run("export", "--out", str(tmp_path / "e.json"), "--data-dir", str(school))
        assert result.returncode == 0, text(result)
        result = run("backup", "--out", str(tmp_path / "b.zip"), "--data-dir", str(school))
        assert result.returncode == 0, text(result)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.fixture
def open_folder():
    """A folder `nobody` can reach (pytest's own tmp folder is private to root)."""
    base = shared_temp_base()
    if base is None:
        pytest.skip("no temp folder every user can reach")
    folder = Path(tempfile.mkdtemp(prefix="selfeval-perm-", dir=base))
    folder.chmod(0o777)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        try:
            p.chmod(0o777)
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _as_user(*args, **kw):
    if os.geteuid() == 0 and not AS_NOBODY:
        pytest.skip("needs setpriv to run as another user when the tests run as root")
    if os.geteuid() == 0 and not nobody_can_run_the_app():
        pytest.skip("the checkout or its venv is in a folder that user nobody cannot enter")
    return run(*args, prefix=AS_NOBODY, **kw)


def test_read_only_and_unreadable_databases_are_named_so(example, open_folder):
    folder = open_folder / "ysgol"
    shutil.copytree(example, folder)
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    config = open_folder / "config"
    config.mkdir(mode=0o777)
    env = {"SELFEVAL_CONFIG_DIR": str(config)}
    database_path(folder).chmod(0o444)
    folder.chmod(0o555)
    result = _as_user("search", "ysgol", "--data-dir", str(folder), env=env)
    assert_clean_refusal(result, "read-only")
    folder.chmod(0o777)
    database_path(folder).chmod(0o000)
    result = _as_user("check", "--data-dir", str(folder), env=env)
    assert_clean_refusal(result, "permission")
    assert "damaged" not in text(result)


def test_unwritable_config_folder_is_a_clear_message(example, open_folder):
    config = open_folder / "config"
    config.mkdir()
    config.chmod(0o555)
    folder = open_folder / "ysgol"
    shutil.copytree(example, folder)
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    result = _as_user("search", "ysgol", "--data-dir", str(folder), env={"SELFEVAL_CONFIG_DIR": str(config)})
    out = text(result)
    assert result.returncode in (0, 1) and "Traceback" not in out and "Details are in -" not in out, out


@pytest.mark.parametrize("value", ['{"language": "fr"}', '{"language": 5}', '{"welsh_letter_helper": "yes", "language": ["cy"]}', "[1, 2]", "{not json"])
def test_odd_settings_never_print_a_traceback(value, example, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(value, encoding="utf-8")
    env = {"SELFEVAL_CONFIG_DIR": str(config)}
    result = run("--version", lang=None, env=env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, text(result)
    result = run("search", "ysgol", "--data-dir", str(example), lang=None, env=env)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, text(result)
    if value.startswith('{"language'):
        assert text(result).count("nad yw'n ddilys") == 1, text(result)  # said once, in Welsh (the default)


def test_a_damaged_device_file_is_kept_and_the_new_identity_is_said(example, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "device.json").write_text('{"device_id": ', encoding="utf-8")
    result = run("demo", "--data-dir", str(tmp_path / "enghraifft"), env={"SELFEVAL_CONFIG_DIR": str(config)})
    assert result.returncode == 0, text(result)
    assert "identity" in text(result)
    assert (config / "device.json.damaged-1").read_text(encoding="utf-8") == '{"device_id": '
    assert json.loads((config / "device.json").read_text(encoding="utf-8"))["device_id"]


@pytest.mark.parametrize("limit", ["9223372036854775807", "0", "-3", "lots"])
def test_a_limit_out_of_range_is_a_usage_error(example, limit):
    result = run("search", "ysgol", "--limit", limit, "--data-dir", str(example))
    assert result.returncode == 2 and b"Traceback" not in result.stderr, text(result)
    assert "--limit" in text(result)


def test_a_query_starting_with_a_dash(example):
    result = run("search", "-darllen", "--data-dir", str(example))
    assert result.returncode == 2 and "put -- before it" in text(result), text(result)
    result = run("search", "--data-dir", str(example), "--json", "--lang", "en", "--", "-darllen", lang=None)
    assert result.returncode == 0, text(result)
    assert "-- -darllen" in run("search", "--help").stdout.decode("utf-8")
    cy = run("search", "-darllen", "--data-dir", str(example), lang="cy")
    assert cy.returncode == 2 and "--" in text(cy) and "put -- before it" not in text(cy), text(cy)


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_output_that_is_not_utf8_never_crashes(example, encoding):
    env = {"PYTHONIOENCODING": encoding}
    result = run("search", "tŷ", "--json", "--data-dir", str(example), env=env)
    assert result.returncode == 0, text(result)
    data = json.loads(result.stdout.decode(encoding))
    assert data["total"] > 0 and data["query"] == "tŷ"
    result = run("search", "ŵŷ", "--data-dir", str(example), env=env, lang="cy")
    assert result.returncode == 0, text(result)


def test_invalid_bytes_in_a_query(example):
    for env in ({}, {"PYTHONIOENCODING": "utf-8:strict"}, {"PYTHONIOENCODING": "ascii"}):
        result = run(raw_args=[b"search", b"ysgol \xff\xfe", b"--data-dir", os.fsencode(example), b"--lang", b"en"], env=env)
        assert result.returncode == 0, text(result)
        assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["search", "darllen"], ["search", "darllen", "--json"], ["school"], ["visit", "list", "--json"]])
def test_output_read_by_a_program_that_stops_reading_is_not_an_error_of_the_app(example, args, tmp_path):
    """`selfeval search … | head -1`: the reader goes away. Like any command-line tool the command
    stops at once, says nothing and ends with 141 (128 + SIGPIPE), not "Something went wrong"
    (exit 70) with a traceback in the log."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write meets a closed pipe
    env = {**os.environ, "SELFEVAL_CONFIG_DIR": str(tmp_path / "config")}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "selfeval_app", *args, "--data-dir", str(example), "--lang", "cy"],
            stdout=write_end, stderr=subprocess.PIPE, env=env, timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141, result.stderr.decode()
    assert result.stderr == b""
    assert not (tmp_path / "config" / "error.log").exists()


def test_two_demos_at_once_both_finish(tmp_path):
    folder = tmp_path / "enghraifft"
    cmd = [sys.executable, "-m", "selfeval_app", "demo", "--data-dir", str(folder), "--lang", "en"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [(p.wait(timeout=300), p.stdout.read() + p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    for code, out in results:
        assert code == 0, out.decode("utf-8", "replace")
        assert b"ready" in out
    assert run("check", "--data-dir", str(folder)).returncode == 0


def test_a_demo_meeting_another_demos_half_made_database_waits_for_it(tmp_path):
    """What another demo's database looks like a moment into its making (some tables, no `meta`
    yet) reads as another program's; with the demo lock file there, the demo looks again inside
    the lock: a database that is still another program's then is refused, and nothing changes.
    (The race itself: test_two_demos_at_once_both_finish.)"""
    import sqlite3

    from selfeval_app.core.demo_lock import LOCK_NAME

    folder = tmp_path / "enghraifft"
    folder.mkdir()
    (folder / LOCK_NAME).write_bytes(b"")
    conn = sqlite3.connect(folder / "selfeval.sqlite3")
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = (folder / "selfeval.sqlite3").read_bytes()
    assert_clean_refusal(run("demo", "--data-dir", str(folder)), "another program's database")
    assert (folder / "selfeval.sqlite3").read_bytes() == before
    assert {p.name for p in folder.iterdir()} <= {LOCK_NAME, "selfeval.lock", "selfeval.sqlite3"}  # the locks only


@pytest.mark.parametrize("shape", ["lock-is-a-folder", "attachments-is-a-file", "data-folder-is-a-file"])
def test_demo_in_a_misshapen_folder(tmp_path, shape):
    folder = tmp_path / "enghraifft"
    if shape == "data-folder-is-a-file":
        folder.write_text("x")
    else:
        folder.mkdir()
        if shape == "lock-is-a-folder":
            (folder / "selfeval.lock").mkdir()
        else:
            (folder / "attachments").write_text("x")
    assert_clean_refusal(run("demo", "--data-dir", str(folder)), "cannot be used")


def test_a_full_disk_is_said_so(example, tmp_path, monkeypatch, capsys):
    """A full disk cannot be made here without root mounts: the OSError and SQLite error it gives
    are injected at the point where the data is written."""
    import selfeval_app.core.export as export_module

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "write_export", full)
    assert main(["export", "--out", str(tmp_path / "e.json"), "--data-dir", str(example), "--lang", "en"]) == 1
    assert "The disk is full" in capsys.readouterr().err
    import selfeval_app.core.backup as backup_module

    def full_sqlite(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_module, "make_backup", full_sqlite)
    assert main(["backup", "--out", str(tmp_path / "b.zip"), "--data-dir", str(example), "--lang", "en"]) == 1
    assert "The disk is full" in capsys.readouterr().err
