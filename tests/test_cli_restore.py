"""`selfeval restore` from the command line with a hostile backup: exit 1, one sentence in the
user's language, no traceback, the data folder byte-identical, nothing written outside it."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks.fuzz_backups import make_school, tree_state
from benchmarks.hostile_backups import consistent, good_members, read_good

from selfeval_app.core.backup import make_backup


def _run(tmp_path, *args):
    env = {**os.environ, "SELFEVAL_CONFIG_DIR": str(tmp_path / "config")}
    env.pop("SELFEVAL_LANG", None)
    return subprocess.run([sys.executable, "-m", "selfeval_app", *args], capture_output=True, text=True, env=env, timeout=120)


def test_a_slip_backup_is_refused_in_both_languages(tmp_path):
    data = tmp_path / "work" / "data"
    make_school(data)
    good = read_good(make_backup(data, tmp_path / "good.zip"))
    outside = tmp_path / "work" / "planted.txt"
    hostile = consistent(tmp_path / "drwg.zip", good, {**good_members(good), outside.as_posix(): b"x", "attachments/../../planted.txt": b"x"})
    before = tree_state(tmp_path / "work")
    english = _run(tmp_path, "restore", str(hostile), "--data-dir", str(data), "--lang", "en")
    welsh = _run(tmp_path, "restore", str(hostile), "--data-dir", str(data), "--lang", "cy")
    assert english.returncode == 1 and welsh.returncode == 1
    assert "is not a backup of Hunanwerthuso, or it is damaged" in english.stderr and "Nothing was changed." in english.stderr
    assert "Ni newidiwyd dim." in welsh.stderr and "Nothing" not in welsh.stderr
    assert "Traceback" not in english.stderr + welsh.stderr
    assert tree_state(tmp_path / "work") == before
    assert not outside.exists()


def test_a_refused_restore_into_a_new_folder_leaves_no_folder(tmp_path):
    junk = tmp_path / "nid-zip.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    target = tmp_path / "newydd" / "data"
    result = _run(tmp_path, "restore", str(junk), "--data-dir", str(target), "--lang", "en")
    assert result.returncode == 1 and "Nothing was changed." in result.stderr
    assert not (tmp_path / "newydd").exists()
