"""No private record's id by sync either (exchange/redact.py): a record shared and withdrawn again
while a bundle carrying it still waits for its receipt leaves no link to it in the LA's copies of
the records naming it, whichever bundle the LA reads last."""

from __future__ import annotations

from sync_helpers import la_round, school_round

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange.transport_folder import FolderTransport, prepare_folder


def _store(data_dir, device):
    return RecordStore(open_database(data_dir), device_id=device)


def test_shared_then_private_again_while_waiting(pair, tmp_path):
    root = tmp_path / "Rhannu"
    root.mkdir()
    prepare_folder(root, pair.school)

    def t(data_dir):
        return FolderTransport(root, data_dir)

    assert school_round(pair, t(pair.school))["bundles_put"] == 1
    assert la_round(pair, t(pair.la))["imported"] == 1
    assert school_round(pair, t(pair.school))["acknowledged"] == 1
    s = _store(pair.school, "device-S")
    try:
        [priority] = [p for p in s.list("priority", where="visibility = 'la'") if any(
            (s.get("evidence", e) or {}).get("visibility") == "private" for e in p["evidence_ids"])][:1]
        hidden = next(e for e in priority["evidence_ids"] if s.require("evidence", e)["visibility"] == "private")
        s.set_visibility("evidence", hidden, "la")
    finally:
        s.close()
    assert school_round(pair, t(pair.school))["bundles_put"] == 1  # the evidence, and the priority naming it
    got = la_round(pair, t(pair.la))
    assert got["imported"] == 1
    la = _store(pair.la, "device-L")
    try:
        assert hidden in la.require("priority", priority["id"])["evidence_ids"]
    finally:
        la.close()
    s = _store(pair.school, "device-S")
    try:
        s.set_visibility("evidence", hidden, "private")  # before the school has read the receipt
    finally:
        s.close()
    again = school_round(pair, t(pair.school))
    assert again["bundles_made"] == 1 and again["acknowledged"] == 1
    assert la_round(pair, t(pair.la))["imported"] == 1
    la = _store(pair.la, "device-L")
    try:
        assert hidden not in la.require("priority", priority["id"])["evidence_ids"]
        assert la.get("evidence", hidden) is None
    finally:
        la.close()
