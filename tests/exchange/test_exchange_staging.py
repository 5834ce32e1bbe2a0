"""Exchange's temporary files live in the data folder's staging area, never in the system temp
folder, and what a killed process leaves there is cleaned by the next start and by purge."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.core.staging import STAGING_PREFIX, clean_at_start
from selfeval_app.exchange import contacts
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import Recipient, write_bundle


def test_export_and_import_never_use_the_system_temp_folder(pair, tmp_path, monkeypatch):
    # A system temp folder that does not exist: any temporary file made there would fail.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-system-temp"))
    bundle = tmp_path / "b.selfeval-bundle"
    with pair.stores() as (s, ks, la, kl):
        write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), bundle)
        report = import_bundle(la, kl, bundle)
    assert report["new"]
    assert not (tmp_path / "no-system-temp").exists()
    leftovers = [p for p in (pair.la / "attachments").rglob("*") if p.name.startswith(".")]
    assert leftovers == []


_KILLED = """
import os, sys
from pathlib import Path
from selfeval_app.core.staging import process_staging, temporary_file
data = Path(sys.argv[1])
folder = process_staging(data)
(folder / "incoming-half-written").write_bytes(b"part of an attached file")
temporary_file(data).write(b"a decrypted bundle")
os._exit(9)  # killed: no clean-up runs
"""


def _killed_exchange(data_dir: Path) -> list[Path]:
    subprocess.run([sys.executable, "-c", _KILLED, str(data_dir)], check=False)
    left = sorted(data_dir.glob(STAGING_PREFIX + "*"))
    assert left, "the killed process should have left its staging folder"
    return left


def test_a_killed_exchange_leaves_staging_that_the_next_start_removes(pair):
    left = _killed_exchange(pair.la)
    clean_at_start(pair.la)
    assert not any(p.exists() for p in left)


def test_purge_removes_what_a_killed_exchange_left(pair):
    left = _killed_exchange(pair.school)
    from selfeval_app.core.purge import purge

    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        evidence = store.list("evidence")[0]
        purge(store, "evidence", evidence["id"])
    finally:
        store.close()
    assert not any(p.exists() for p in left)


def test_the_running_process_keeps_its_own_staging_folder(pair, tmp_path):
    bundle = tmp_path / "b.selfeval-bundle"
    with pair.stores() as (s, ks, _la, kl):
        write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), bundle)
        mine = sorted(pair.school.glob(STAGING_PREFIX + "*"))
        assert mine
        clean_at_start(pair.school)  # another window starting while this one still works
        assert all(p.exists() for p in mine)
