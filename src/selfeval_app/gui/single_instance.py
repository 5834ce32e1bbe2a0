"""One window per data folder: the second start is refused politely and the first comes forward.

The core's InstanceLock (an OS lock, never waits) decides who is first. The first instance also
listens on a QLocalServer named from the data folder's path; a second start, finding the lock
held, connects for a moment (short timeout) and asks it to come forward. A server name left
behind by a crash is removed before listening, and nobody connects to it unless the lock is
held, so a stale socket never delays a start.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

MESSAGE = b"activate\n"
CONNECT_TIMEOUT_MS = 300


def server_name(data_dir: Path) -> str:
    path = str(Path(data_dir).expanduser().resolve())
    user = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    digest = hashlib.sha256(f"{user}\x00{path}".encode()).hexdigest()[:20]
    return f"selfeval-{digest}"


class InstanceServer(QObject):
    """Listens for a second start and emits `activateRequested`."""

    activateRequested = Signal()  # noqa: N815

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._connection)

    def listen(self) -> bool:
        QLocalServer.removeServer(self.name)  # we hold the lock: any old server is stale
        ok = self.server.listen(self.name)
        if not ok:
            log.warning("cannot listen on %s: %s", self.name, self.server.errorString())
        return ok

    def _connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if MESSAGE.strip() in data:
            self.activateRequested.emit()

    def close(self) -> None:
        self.server.close()


def ask_first_instance_to_come_forward(data_dir: Path, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Tell the running instance to raise its window. False if it could not be reached."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(MESSAGE)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True
