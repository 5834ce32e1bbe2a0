"""The WebDAV transport (an LA's Nextcloud or Apache mod_dav), through `webdav4` over httpx.

- Layout as the folder transport: `<url>/inbox/<id>/`, `<url>/receipts/<id>/`.
- A file is PUT to a temporary name (".name.upload.tmp") and MOVEd to its name, so a reader
  never sees half a file; a MOVE whose reply was lost is recognised (the temporary name is gone
  and the file is there) and not taken as a failure.
- PROPFIND lists, GET reads (the length is checked: a truncated body is "try later"), DELETE only
  of files this installation wrote and that were acknowledged (the caller decides).
- TLS is verified (httpx's default, with certifi); http:// is allowed only to this computer
  (loopback), for tests. System proxy settings (HTTPS_PROXY, …) are honoured (trust_env).
- A dropped connection, a time-out or a 5xx is tried again twice with a short backoff and jitter;
  after that the round stops with "try later". 401/403 is "the password was refused".
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from webdav4.client import Client, HTTPError, ResourceNotFound

from selfeval_app.exchange.transport import (
    BAD_CERTIFICATE,
    NOT_HTTPS,
    SERVER_ERROR,
    SERVER_UNREACHABLE,
    AuthenticationFailed,
    NotYetAvailable,
    RemoteFile,
    SyncSetupError,
    TransportUnavailable,
)

T = TypeVar("T")
ATTEMPTS = 3
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url.rstrip("/")
    raise SyncSetupError(where=url, reason=NOT_HTTPS)


class WebDAVTransport:
    def __init__(self, url: str, user: str, password: str, *, verify: Any = True, sleep: Callable[[float], None] = time.sleep):
        self.url = check_url(url)
        self.http = httpx.Client(
            auth=httpx.BasicAuth(user, password),
            verify=verify,
            trust_env=True,
            timeout=TIMEOUT,
            follow_redirects=False,
        )
        self.client = Client(self.url, http_client=self.http, retry=False)
        self.sleep = sleep
        self._made: set[str] = set()

    def describe(self) -> str:
        return self.url

    def close(self) -> None:
        self.http.close()

    def _unavailable(self, reason: str) -> TransportUnavailable:
        return TransportUnavailable(where=self.url, reason=reason)

    def _call(self, fn: Callable[[], T]) -> T:
        """Run one request, tried again on a dropped connection, a time-out or a 5xx."""
        for attempt in range(ATTEMPTS):
            try:
                return fn()
            except HTTPError as exc:
                if exc.status_code in (401, 403):
                    raise AuthenticationFailed(where=self.url) from exc
                if exc.status_code < 500 or attempt == ATTEMPTS - 1:
                    raise self._unavailable(SERVER_ERROR) from exc
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code in (401, 403):
                    raise AuthenticationFailed(where=self.url) from exc
                if exc.response.status_code < 500 or attempt == ATTEMPTS - 1:
                    raise self._unavailable(SERVER_ERROR) from exc
            except httpx.ConnectError as exc:
                if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc):
                    raise self._unavailable(BAD_CERTIFICATE) from exc  # not tried again
                if attempt == ATTEMPTS - 1:
                    raise self._unavailable(SERVER_UNREACHABLE) from exc
            except (httpx.TransportError, OSError) as exc:
                if attempt == ATTEMPTS - 1:
                    raise self._unavailable(SERVER_UNREACHABLE) from exc
            self.sleep(0.2 * 2**attempt * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def check(self) -> None:
        try:
            self._call(lambda: self.client.ls("", detail=False))
        except ResourceNotFound as exc:
            raise self._unavailable(SERVER_ERROR) from exc

    def list(self, place: str, suffix: str) -> list[RemoteFile]:
        try:
            entries = self._call(lambda: self.client.ls(place, detail=True))
        except ResourceNotFound:
            return []  # the server answered (check() passed): nobody has written here yet
        out = []
        for entry in entries:
            if entry.get("type") != "file":
                continue
            name = str(entry["name"]).rstrip("/").rsplit("/", 1)[-1]
            if name.startswith(".") or not name.endswith(suffix):
                continue
            out.append(RemoteFile(name, int(entry.get("content_length") or 0)))
        return sorted(out, key=lambda f: f.name)

    def read(self, place: str, name: str, dest: Path) -> None:
        path = f"{place}/{name}"

        def get() -> int:
            with self.http.stream("GET", self.client.join_url(path)) as response:
                if response.status_code == 404:
                    raise NotYetAvailable(name=name)
                response.raise_for_status()
                expected = response.headers.get("content-length")
                copied = 0
                with open(dest, "wb") as out:
                    for block in response.iter_bytes(1 << 20):
                        out.write(block)
                        copied += len(block)
                if expected is not None and int(expected) != copied:
                    raise NotYetAvailable(name=name)
                return copied

        try:
            self._call(get)
        except TransportUnavailable as exc:
            if isinstance(exc.__cause__, httpx.RemoteProtocolError):
                raise NotYetAvailable(name=name) from exc
            raise

    def _ensure_dirs(self, place: str) -> None:
        parts = place.split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            if sub in self._made:
                continue

            def mkcol(sub: str = sub) -> None:
                response = self.http.request("MKCOL", self.client.join_url(sub))
                if response.status_code not in (201, 405, 301):  # 405: it is there already
                    response.raise_for_status()

            self._call(mkcol)
            self._made.add(sub)

    def write(self, place: str, name: str, source: Path) -> None:
        self._ensure_dirs(place)
        # One temporary name per file: an upload cut short is overwritten by the next try, and
        # never left behind under a new name.
        temp = f"{place}/.{name}.upload.tmp"
        final = f"{place}/{name}"

        def put() -> None:
            with open(source, "rb") as src:
                response = self.http.put(self.client.join_url(temp), content=src.read())
            response.raise_for_status()

        self._call(put)

        def move() -> None:
            response = self.http.request(
                "MOVE",
                self.client.join_url(temp),
                headers={"Destination": str(self.client.join_url(final)), "Overwrite": "T"},
            )
            if response.status_code == 404 and self._exists(final):
                return  # the server moved it and the reply was lost
            response.raise_for_status()

        self._call(move)

    def _exists(self, path: str) -> bool:
        response = self.http.request("PROPFIND", self.client.join_url(path), headers={"Depth": "0"})
        return response.status_code == 207

    def delete(self, place: str, name: str) -> None:
        def remove() -> None:
            response = self.http.delete(self.client.join_url(f"{place}/{name}"))
            if response.status_code == 404:
                return  # gone already (a lost reply, or deleted before)
            response.raise_for_status()

        self._call(remove)
