"""A real WebDAV server for the tests: wsgidav on cheroot, in a thread, bound to 127.0.0.1 on a
free port, with one user per installation (basic authentication), torn down after."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USERS = {"ysgol": "cyfrinair-ysgol", "awdurdod": "cyfrinair-awdurdod"}


@contextmanager
def webdav_server(root: Path, *, tls: tuple[Path, Path] | None = None):
    """Yields the base URL; with `tls` (certificate, key) it serves https."""
    root.mkdir(parents=True, exist_ok=True)
    config = {
        "host": "127.0.0.1",
        "port": 0,
        "provider_mapping": {"/dav": str(root)},
        "http_authenticator": {"accept_basic": True, "accept_digest": False, "default_to_digest": False},
        "simple_dc": {"user_mapping": {"*": {u: {"password": p} for u, p in USERS.items()}}},
        "verbose": 0,
        "logging": {"enable": False, "enable_loggers": []},
        "lock_storage": True,
        "property_manager": True,
    }
    app = WsgiDAVApp(config)
    server = wsgi.Server(("127.0.0.1", 0), app, numthreads=4)
    if tls is not None:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(str(tls[0]), str(tls[1]))
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    host, port = server.bind_addr[:2]
    try:
        yield f"{'https' if tls else 'http'}://{host}:{port}/dav"
    finally:
        server.stop()
        thread.join(10)
