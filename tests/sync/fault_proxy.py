"""A fault-injecting HTTP proxy on loopback, between the app and the test WebDAV server.

Each request, by a seeded random draw, is passed through or meets one fault: the connection
dropped before the server sees it, a 503 from the proxy, a short delay, the reply lost after the
server applied the request, or a reply body cut short. Only loopback; it stops with the test.
"""

from __future__ import annotations

import http.client
import random
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = ("drop_request", "status_503", "delay", "lose_reply", "truncate_reply")
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


class FaultPlan:
    def __init__(self, seed: int, rate: float):
        self.random = random.Random(seed)
        self.rate = rate
        self.lock = threading.Lock()
        self.counts = dict.fromkeys(("passed", *FAULTS), 0)
        self.enabled = True

    def draw(self) -> str:
        with self.lock:
            fault = "passed"
            if self.enabled and self.random.random() < self.rate:
                fault = self.random.choice(FAULTS)
            self.counts[fault] += 1
            return fault


def _handler(upstream: str, plan: FaultPlan):
    up = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def __getattr__(self, name):
            if name.startswith("do_"):
                return self._forward
            raise AttributeError(name)

        def _cut(self):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fault = plan.draw()
            if fault == "drop_request":
                return self._cut()
            if fault == "status_503":
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if fault == "delay":
                time.sleep(0.05)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            headers["Host"] = up.netloc
            if "Destination" in headers:
                dest = urlsplit(headers["Destination"])
                headers["Destination"] = f"{up.scheme}://{up.netloc}{dest.path}"
            path = self.path
            if path.startswith("http://"):  # used as a forward proxy (HTTP_PROXY)
                path = urlsplit(path)._replace(scheme="", netloc="").geturl()
            conn = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
            try:
                conn.request(self.command, path, body=body, headers=headers)
                reply = conn.getresponse()
                data = reply.read()
            finally:
                conn.close()
            if fault == "lose_reply":
                return self._cut()
            self.send_response(reply.status)
            for k, v in reply.getheaders():
                if k.lower() not in HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if fault == "truncate_reply" and len(data) > 1:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                return self._cut()
            self.wfile.write(data)

    return Handler


@contextmanager
def fault_proxy(upstream: str, plan: FaultPlan):
    """Yields the proxy's base URL (same path as `upstream`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, plan))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{urlsplit(upstream).path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
