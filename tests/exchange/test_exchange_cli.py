"""The issue's first "must show" sequence, through the command line (DESIGN §8)."""

from __future__ import annotations

import json
import subprocess
import sys

from selfeval_app.cli import main
from selfeval_app.core.record_types import WORKSPACE_TYPES


def run(capsys, *args, lang="en") -> tuple[int, str, str]:
    code = main([*map(str, args), "--lang", lang])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def export_records(capsys, data_dir, out, *extra):
    code, _, err = run(capsys, "export", "--out", out, "--data-dir", data_dir, *extra)
    assert code == 0, err
    return json.loads(out.read_text(encoding="utf-8"))["records"]


def test_school_to_la_by_the_command_line(tmp_path, capsys):
    s_dir, l_dir = tmp_path / "S", tmp_path / "L"
    assert run(capsys, "demo", "--data-dir", s_dir)[0] == 0
    assert run(capsys, "demo", "--role", "la", "--data-dir", l_dir)[0] == 0
    assert run(capsys, "keys", "card", "--out", tmp_path / "s.card", "--data-dir", s_dir)[0] == 0
    assert run(capsys, "keys", "card", "--out", tmp_path / "l.card", "--data-dir", l_dir)[0] == 0
    s_info = run_json(capsys, "keys", "show", "--data-dir", s_dir)
    l_info = run_json(capsys, "keys", "show", "--data-dir", l_dir)
    assert s_info["role"] == "school" and l_info["role"] == "la"
    assert s_info["devices"][0]["this_device"] is True
    code, _, err = run(capsys, "keys", "trust", tmp_path / "l.card", "--fingerprint", "AAAA-AAAA-AAAA-AAAA-AAAA", "--data-dir", s_dir, lang="cy")
    assert code == 1 and "ôl bys" in err
    assert run(capsys, "keys", "trust", tmp_path / "l.card", "--fingerprint", l_info["fingerprint"], "--data-dir", s_dir)[0] == 0
    assert run(capsys, "keys", "trust", tmp_path / "s.card", "--fingerprint", s_info["fingerprint"], "--data-dir", l_dir)[0] == 0
    listed = run_json(capsys, "keys", "contacts", "--data-dir", l_dir)["contacts"]
    # the example LA also holds its dozen example schools (issue 13)
    assert s_info["fingerprint"] in [c["fingerprint"] for c in listed]

    bundle = tmp_path / "b.selfeval-bundle"
    code, out, err = run(capsys, "bundle", "export", "--to", l_info["fingerprint"], "--out", bundle, "--data-dir", s_dir)
    assert code == 0, err
    inspected = run_json(capsys, "bundle", "inspect", bundle, "--data-dir", l_dir)
    s_records = export_records(capsys, s_dir, tmp_path / "s.json")
    shared = {r["id"]: r for rows in s_records.values() for r in rows if r["visibility"] == "la" and not r["deleted"]}
    assert {(r["type"], r["id"], r["rev"], r["visibility"]) for r in inspected["records"]} == {
        (r["type"], r["id"], r["rev"], "la") for r in shared.values()
    }
    before = export_records(capsys, l_dir, tmp_path / "l0.json", "--all-owners")
    assert before == export_records(capsys, l_dir, tmp_path / "l0b.json", "--all-owners")  # inspect changed nothing
    assert all(r["owner"] != s_info["id"] for rows in before.values() for r in rows)

    report = run_json(capsys, "bundle", "import", bundle, "--data-dir", l_dir)
    assert {r["id"] for r in report["new"]} == set(shared)
    assert report["changed"] == [] and report["conflicts"] == [] and report["withdrawn"] == []
    first = export_records(capsys, l_dir, tmp_path / "l1.json", "--all-owners")
    held = {r["id"]: r for rows in first.values() for r in rows if not r["deleted"] and r["owner"] == s_info["id"]}
    # exactly S's records that the LA may see, each as the LA's copy: its links name only what
    # the LA may see too (exchange/redact.py)
    from selfeval_app.exchange import redact

    withheld = {i for rows in s_records.values() for r in rows if r["id"] not in shared for i in redact.ids_within(r)} - set(shared)
    assert held == {i: redact.copy_for(r, withheld) for i, r in shared.items()}
    assert any(held[i] != r for i, r in shared.items())  # the example school's shared priorities name private evidence
    # The LA's own export (without --all-owners) is its own data: S's workspace records are not in it.
    own = export_records(capsys, l_dir, tmp_path / "l1own.json")
    assert not [r for t in WORKSPACE_TYPES for r in own[t] if r["owner"] == s_info["id"]]

    again = run_json(capsys, "bundle", "import", bundle, "--data-dir", l_dir)
    assert again["new"] == [] and again["changed"] == [] and again["already_imported"] is True
    assert export_records(capsys, l_dir, tmp_path / "l2.json", "--all-owners") == first
    assert run(capsys, "check", "--data-dir", l_dir)[0] == 0

    # a bundle that is not ours is refused with a clear message, exit 1
    code, _, err = run(capsys, "bundle", "import", bundle, "--data-dir", s_dir, lang="cy")
    assert code == 1 and "Ni newidiwyd dim" in err and "Traceback" not in err


def test_init_school_and_la(tmp_path, capsys):
    school, la = tmp_path / "school", tmp_path / "la"
    code, out, err = run(capsys, "init", "school", "--name-cy", "Ysgol y Wern", "--name-en", "Wern School", "--la", "669", "--number", "669/2001", "--data-dir", school)
    assert code == 0, err
    info = run_json(capsys, "keys", "show", "--data-dir", school)
    assert info["name"] == {"cy": "Ysgol y Wern", "en": "Wern School"} and info["school_number"] == "669/2001"
    assert info["example"] is False
    assert run(capsys, "init", "la", "--la", "669", "--data-dir", la)[0] == 0
    assert run_json(capsys, "keys", "show", "--data-dir", la)["name"]["cy"] == "Sir Gaerfyrddin"
    code, _, err = run(capsys, "init", "la", "--la", "669", "--data-dir", la)
    assert code == 1 and "already" in err
    code, _, err = run(capsys, "init", "school", "--name-cy", "X", "--la", "999", "--data-dir", tmp_path / "x")
    assert code == 1 and "660" in err
    code, _, err = run(capsys, "init", "school", "--name-cy", "X", "--la", "669", "--number", "670/1234", "--data-dir", tmp_path / "y")
    assert code == 1 and "NNN/NNNN" in err
    code, _, err = run(capsys, "bundle", "export", "--to", "AAAA", "--out", tmp_path / "b", "--data-dir", la)
    assert code == 1 and "AAAA" in err


def test_the_command_line_imports_no_exchange_code_until_asked():
    code = (
        "import sys; from selfeval_app.cli import build_parser; build_parser(); "
        "print([m for m in sys.modules if m.startswith(('selfeval_app.exchange', 'cryptography', 'pyrage'))])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
