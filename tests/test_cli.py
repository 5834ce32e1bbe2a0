"""The command-line contract (DESIGN §8–9) on a fresh data folder, in both languages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from selfeval_app.cli import main
from selfeval_app.core import record_types as rt
from selfeval_app.core.content_hash import content_hash_v2

EXPECTED_TYPES = set(rt.RECORD_TYPES)


def run(*args, lang="en"):
    """Run the CLI in a child process, as a user would."""
    cmd = [sys.executable, "-m", "selfeval_app", *args]
    if lang:
        cmd += ["--lang", lang]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "ysgol"
    result = subprocess.run([sys.executable, "-m", "selfeval_app", "demo", "--data-dir", str(folder), "--lang", "en"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return folder


def test_version():
    result = run("--version", lang=None)
    assert result.returncode == 0 and result.stdout.startswith("selfeval ")


def test_export_format_has_every_record_type(demo_dir, tmp_path):
    out = tmp_path / "allforio.json"
    result = run("export", "--out", str(out), "--data-dir", str(demo_dir))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "selfeval-export" and data["format_version"] == 1
    assert data["exported_at"].endswith("Z") and data["app_version"]
    assert data["framework"]["id"] == "estyn-2024" and data["framework"]["version"]
    assert EXPECTED_TYPES <= set(data["records"])
    for type_name in EXPECTED_TYPES:
        assert data["records"][type_name], type_name
        for rec in data["records"][type_name]:
            for field in rt.COMMON_FIELDS:
                assert field in rec
            t = rt.record_type(type_name)
            for f in t.fields:
                assert f.name in rec  # the fields of this version, e.g. school.default_visibility
                if f.kind == rt.BITEXT:
                    assert set(rec[f.name]) == {"cy", "en"}
            # every exported record carries its v2 hash, which a reader can check from the export
            assert rec["content_hash"] == content_hash_v2(rec), (type_name, rec["id"])
            assert rec["visibility"] in rt.VISIBILITIES


def test_search_ignores_accents_and_treats_syntax_as_text(demo_dir):
    result = run("search", "ty", "--json", "--data-dir", str(demo_dir))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["results"] and any("tŷ" in (r["title"] + r["snippet"]).lower() for r in found["results"])
    for query in ["Llan-faes", "i'r", "a’r", '"', "AND", "NOT", "OR", "NEAR(", "(", "*", "tŷ*"]:
        result = run("search", query, "--json", "--data-dir", str(demo_dir))
        assert result.returncode == 0, (query, result.stderr)
        json.loads(result.stdout)
        assert "Traceback" not in result.stderr


def test_search_in_welsh_prints_welsh(demo_dir):
    result = run("search", "zzzdimbyd", "--data-dir", str(demo_dir), lang="cy")
    assert result.returncode == 0
    assert "Dim" in result.stdout or "dim" in result.stdout


def test_check_export_backup_restore_cycle(tmp_path):
    data = tmp_path / "data"
    assert run("demo", "--data-dir", str(data)).returncode == 0
    assert run("check", "--data-dir", str(data)).returncode == 0
    backup = tmp_path / "copi.zip"
    assert run("backup", "--out", str(backup), "--data-dir", str(data)).returncode == 0
    result = run("restore", str(backup), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert run("check", "--data-dir", str(data)).returncode == 0


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_errors_are_sentences_in_the_chosen_language_never_tracebacks(tmp_path, lang):
    cases = [
        ("check", "--data-dir", str(tmp_path / "dim")),
        ("export", "--out", str(tmp_path / "nofolder" / "x.json"), "--data-dir", str(tmp_path / "dim")),
        ("restore", str(tmp_path / "dim.zip"), "--data-dir", str(tmp_path / "dim")),
        ("search",),
        ("nonsense",),
    ]
    for args in cases:
        result = run(*args, lang=lang)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr and result.stderr.strip(), args
        if lang == "cy":
            assert "cannot" not in result.stderr and "error:" not in result.stderr, (args, result.stderr)


def test_demo_never_writes_into_a_real_school_folder(tmp_path):
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    real = tmp_path / "go-iawn"
    db = open_database(real)
    RecordStore(db, device_id="d").create("school", {"name": {"cy": "Ysgol Go Iawn"}})
    db.close()
    before = (real / "selfeval.sqlite3").read_bytes()
    result = run("demo", "--data-dir", str(real))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (real / "selfeval.sqlite3").read_bytes() == before


def test_demo_without_data_dir_uses_its_own_example_folder(tmp_path, monkeypatch):
    example = tmp_path / "example"
    real = tmp_path / "real"
    monkeypatch.setenv("SELFEVAL_EXAMPLE_DIR", str(example))
    monkeypatch.setenv("SELFEVAL_DATA_DIR", str(real))
    assert main(["demo", "--lang", "en"]) == 0
    assert (example / "selfeval.sqlite3").exists()
    assert not real.exists()


def test_restore_and_demo_refuse_while_the_app_holds_the_folder(tmp_path):
    from selfeval_app.core.instance_lock import InstanceLock

    data = tmp_path / "data"
    assert run("demo", "--data-dir", str(data)).returncode == 0
    backup = tmp_path / "b.zip"
    assert run("backup", "--out", str(backup), "--data-dir", str(data)).returncode == 0
    with InstanceLock(data) as lock:
        assert lock.acquire()
        assert run("restore", str(backup), "--data-dir", str(data)).returncode == 1
        assert run("demo", "--data-dir", str(data)).returncode == 1
        # reading, exporting and backing up still work while the window is open
        assert run("search", "ysgol", "--data-dir", str(data)).returncode == 0
        assert run("backup", "--out", str(tmp_path / "c.zip"), "--data-dir", str(data)).returncode == 0


@pytest.mark.parametrize("lang", ["cy", "en"])
def test_school_command_refuses_an_invalid_establishment_number(tmp_path, lang):
    """Checked in the core, so the command line refuses what the window refuses (issue 16)."""
    data = tmp_path / "data"
    made = run("school", "--name-cy", "Ysgol y Graig", "--number", "6692318", "--data-dir", str(data), lang=lang)
    assert made.returncode == 0, made.stderr
    assert "669/2318" in made.stdout
    from selfeval_app.core import i18n
    from selfeval_app.core.school_profile import ERR_FORMAT, ERR_UNKNOWN_LA

    for number, message_id in (("669-2318", ERR_FORMAT), ("123/4567", ERR_UNKNOWN_LA)):
        refused = run("school", "--number", number, "--data-dir", str(data), lang=lang)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert refused.stderr.strip() == (i18n.lookup(message_id, lang=lang) or message_id)
    wrong_la = run("school", "--la-code", "660", "--data-dir", str(data), lang=lang)
    assert wrong_la.returncode == 1, wrong_la.stdout
    shown = run("school", "--data-dir", str(data), lang=lang)
    assert shown.returncode == 0 and "669/2318" in shown.stdout and "Ysgol y Graig" in shown.stdout


def test_the_plain_window_command_reads_like_argparse():
    """`selfeval [--data-dir F] [--lang cy|en]` is read without building the parser (start-up);
    it must give what argparse gives, and leave everything else to argparse."""
    from selfeval_app import cli

    for argv in ([], ["--data-dir", "/tmp/x"], ["--data-dir=/tmp/x"], ["--lang", "cy"], ["--data-dir", "/tmp/x", "--lang=en"], ["--lang", "en", "--data-dir", "tŷ ŵyr"]):
        fast = cli._plain_window_command(argv)
        full = cli.build_parser().parse_args(argv)
        assert fast is not None, argv
        assert (fast.command, fast.data_dir, fast.lang) == (full.command, full.data_dir, full.lang), argv
    for argv in (["demo"], ["--help"], ["--lang", "fr"], ["--data-dir"], ["--data-dir", "--lang"], ["--data", "/tmp/x"], ["--lang", "cy", "--lang", "en"], ["--data-dir="], ["--version"]):
        assert cli._plain_window_command(argv) is None, argv
