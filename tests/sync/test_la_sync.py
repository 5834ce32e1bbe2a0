"""The LA's installation syncs from its exchange folder (issue 13): the school's records arrive,
`la schools --json` lists them, and a priority the school makes private leaves the LA on the
next round. Through the command line, over a real folder."""

from __future__ import annotations

import json

from selfeval_app.cli import main
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore


def _sync(data_dir, capsys):
    assert main(["sync", "--json", "--data-dir", str(data_dir)]) == 0
    return json.loads(capsys.readouterr().out)


def _schools(la_dir, capsys):
    assert main(["la", "schools", "--json", "--data-dir", str(la_dir)]) == 0
    return json.loads(capsys.readouterr().out)["schools"]


def test_the_la_syncs_from_its_folder_and_a_private_priority_leaves(pair, tmp_path, capsys):
    share = tmp_path / "OneDrive - Hwb" / "Cyfnewid"
    share.mkdir(parents=True)
    for data in (pair.school, pair.la):
        assert main(["--lang", "en", "sync", "setup", "folder", str(share), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert _sync(pair.school, capsys)["bundles_made"] == 1
    assert _sync(pair.la, capsys)["ok"]
    [row] = _schools(pair.la, capsys)
    assert row["last_bundle_at"] and row["priorities"]
    first = row["last_bundle_at"]
    gone = row["priorities"][0]["id"]
    assert row["priorities"][0]["national_tags"]

    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        store.set_visibility("priority", gone, "private")
    finally:
        store.close()
    _sync(pair.school, capsys)  # reads the LA's receipt, sends the withdrawal
    _sync(pair.la, capsys)
    [row] = _schools(pair.la, capsys)
    assert gone not in {p["id"] for p in row["priorities"]}
    assert row["last_bundle_at"] >= first
