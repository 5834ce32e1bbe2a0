"""`selfeval sync setup folder`, `selfeval sync [--json]` and `selfeval sync status [--json]`,
in both languages."""

from __future__ import annotations

import json

from selfeval_app.cli import main


def test_cli_round_and_status_over_a_folder(pair, tmp_path, capsys):
    share = tmp_path / "share"
    share.mkdir()
    for data in (pair.school, pair.la):
        assert main(["--lang", "en", "sync", "setup", "folder", str(share), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["sync", "--json", "--data-dir", str(pair.school)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["bundles_made"] == 1
    assert main(["--lang", "en", "sync", "--data-dir", str(pair.la)]) == 0
    assert "1 bundle imported." in capsys.readouterr().out
    assert main(["sync", "status", "--json", "--data-dir", str(pair.school)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["last_success"] and status["last_error"] is None
    assert status["contacts"][0]["records"] > 0 and status["contacts"][0]["bundles"] == 1
    assert main(["sync", "--data-dir", str(pair.school)]) == 0
    capsys.readouterr()
    assert main(["sync", "status", "--json", "--data-dir", str(pair.school)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["contacts"][0] == {**status["contacts"][0], "records": 0, "bundles": 0}

    share.rename(tmp_path / "gone")
    assert main(["--lang", "cy", "sync", "--data-dir", str(pair.school)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert main(["--lang", "cy", "sync", "status", "--data-dir", str(pair.school)]) == 0
    assert "Y gwall diwethaf" in capsys.readouterr().out


def test_cli_refuses_a_sync_folder_inside_the_data(pair, capsys):
    assert main(["--lang", "en", "sync", "setup", "folder", str(pair.school), "--data-dir", str(pair.school)]) == 1
    assert "holds this installation's own data folder" in capsys.readouterr().err


def test_cli_sync_before_setup_says_what_to_do(pair, capsys):
    assert main(["--lang", "en", "sync", "--data-dir", str(pair.school)]) == 1
    assert "selfeval sync setup folder" in capsys.readouterr().err
