"""Sync over a real WebDAV server (wsgidav on loopback): school -> LA and the receipt back, a
wrong password, a server that is down, and the CLI with the password from the keyring."""

from __future__ import annotations

import socket
import ssl

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from sync_helpers import count_foreign, la_round, school_round
from webdav_server import USERS, webdav_server

from selfeval_app.cli import main
from selfeval_app.core import share_ledger
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange.transport import SyncSetupError
from selfeval_app.exchange.transport_webdav import WebDAVTransport, check_url


class MemoryKeyring(KeyringBackend):
    """A test double for the OS keyring (none runs on a headless test machine): the same API.
    Put in place by hand only: keyring chooses among every backend class defined, so a priority
    above the fail backend's would make it the choice of every later test that lets keyring
    choose (tests/gui/test_sync_window.py expects none)."""

    priority = -1

    def __init__(self):
        super().__init__()
        self.items = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


@pytest.fixture
def server(tmp_path):
    with webdav_server(tmp_path / "dav-root") as url:
        yield url, tmp_path / "dav-root"


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv("SELFEVAL_WEBDAV_PASSWORD", raising=False)
    ring = MemoryKeyring()
    # keyring's own slot, put back as it was (unset, most often) so later tests choose their backend
    monkeypatch.setattr(keyring.core, "_keyring_backend", ring)
    return ring


def _dav(url, user):
    return WebDAVTransport(url, user, USERS[user])


def test_school_to_la_and_receipt_back_over_webdav(pair, server):
    url, root = server
    school_id = keys_mod.require_keys(pair.school).identity_id
    la_id = keys_mod.require_keys(pair.la).identity_id
    first = school_round(pair, _dav(url, "ysgol"))
    assert first["ok"] and first["bundles_put"] == 1
    assert len(list((root / "inbox" / la_id).glob("*.selfeval-bundle"))) == 1
    assert [p.name for p in (root / "inbox" / la_id).iterdir() if p.name.startswith(".")] == []
    got = la_round(pair, _dav(url, "awdurdod"))
    assert got["ok"] and got["imported"] == 1 and got["receipts_written"] == 1
    back = school_round(pair, _dav(url, "ysgol"))
    assert back["ok"] and back["acknowledged"] == 1
    assert list((root / "inbox" / la_id).iterdir()) == []
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        assert len(share_ledger.sent_to(store, la_id)) == count_foreign(pair.la, school_id) > 0
    finally:
        store.close()


def test_wrong_password_and_server_down_change_nothing(pair, server):
    url, root = server
    bad = school_round(pair, WebDAVTransport(url, "ysgol", "anghywir"))
    assert not bad["ok"] and "refused the user name or password" in bad["error"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    down = school_round(pair, WebDAVTransport(f"http://127.0.0.1:{port}/dav", "ysgol", "x", sleep=lambda s: None))
    assert not down["ok"] and "cannot be reached" in down["error"]
    assert not (root / "inbox").exists()
    ok = school_round(pair, _dav(url, "ysgol"))
    assert ok["ok"] and ok["bundles_put"] == 1


def test_only_https_except_loopback():
    assert check_url("https://dav.example.org/remote.php/dav/") == "https://dav.example.org/remote.php/dav"
    assert check_url("http://127.0.0.1:8080/dav")
    with pytest.raises(SyncSetupError):
        check_url("http://dav.example.org/dav")


def test_cli_setup_webdav_keeps_the_password_in_the_keyring(pair, server, memory_keyring, monkeypatch, capsys):
    url, root = server
    monkeypatch.setenv("SELFEVAL_WEBDAV_PASSWORD", USERS["ysgol"])
    assert main(["--lang", "en", "sync", "setup", "webdav", url, "--user", "ysgol", "--data-dir", str(pair.school)]) == 0
    assert list(memory_keyring.items.values()) == [USERS["ysgol"]]
    monkeypatch.delenv("SELFEVAL_WEBDAV_PASSWORD")
    db_bytes = (pair.school / "selfeval.sqlite3").read_bytes()
    assert USERS["ysgol"].encode() not in db_bytes, "the password is never in the database"
    assert main(["--lang", "en", "sync", "--data-dir", str(pair.school)]) == 0
    assert "1 new bundle written." in capsys.readouterr().out
    memory_keyring.items.clear()
    assert main(["--lang", "en", "sync", "--data-dir", str(pair.school)]) == 1
    assert "no password is kept" in capsys.readouterr().err


def test_system_proxy_settings_are_honoured(pair, server, monkeypatch):
    from fault_proxy import FaultPlan, fault_proxy

    url, _ = server
    plan = FaultPlan(seed=1, rate=0.0)  # a plain proxy that counts what goes through it
    with fault_proxy(url, plan) as proxy_url:
        proxy = proxy_url.rsplit("/dav", 1)[0]
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("http_proxy", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        got = school_round(pair, _dav(url, "ysgol"))
    assert got["ok"] and got["bundles_put"] == 1
    assert plan.counts["passed"] > 0, "the requests went through the proxy the environment names"


def test_tls_is_verified(pair, tmp_path):
    from tls_cert import self_signed

    cert, key = self_signed(tmp_path)
    with webdav_server(tmp_path / "tls-root", tls=(cert, key)) as url:
        assert url.startswith("https://")
        refused = school_round(pair, WebDAVTransport(url, "ysgol", USERS["ysgol"], sleep=lambda s: None))
        assert not refused["ok"] and "certificate cannot be trusted" in refused["error"]
        assert not (tmp_path / "tls-root" / "inbox").exists()
        trusted = school_round(pair, WebDAVTransport(url, "ysgol", USERS["ysgol"], verify=ssl.create_default_context(cafile=str(cert))))
        assert trusted["ok"] and trusted["bundles_put"] == 1
