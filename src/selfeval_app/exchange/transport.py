"""What a sync transport does, whatever carries the files (DESIGN §11).

A transport holds files in two kinds of place: `inbox/<identity id>/` (bundles for that identity)
and `receipts/<identity id>/` (signed receipts for bundles that identity sent). It lists, reads,
writes (whole or not at all) and deletes files there. It never says "empty" when it cannot see:
a folder that is missing, unmounted or not reachable raises `TransportUnavailable`; a file that is
not downloaded yet (a cloud placeholder) or cannot be read whole raises `NotYetAvailable` for that
file only. Both mean "try later", never "nothing there" and never a deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_

BUNDLE_SUFFIX = ".selfeval-bundle"
RECEIPT_SUFFIX = ".selfeval-receipt"


def inbox(identity_id: str) -> str:
    return f"inbox/{identity_id}"


def receipts(identity_id: str) -> str:
    return f"receipts/{identity_id}"


@dataclass(frozen=True)
class RemoteFile:
    name: str
    size: int


class TransportError(UserFacingError):
    """A sync step that did not happen; nothing was lost, it is tried again later."""


class TransportUnavailable(TransportError):
    message_id = N_("The sync place %(where)s cannot be reached just now: %(reason)s. Nothing was lost; sync will try again later.")


class NotYetAvailable(TransportError):
    message_id = N_("The file %(name)s is not fully downloaded yet. It will be read on a later sync.")


class AuthenticationFailed(TransportError):
    message_id = N_("The server %(where)s refused the user name or password. Check them with “selfeval sync setup webdav”.")


class SyncSetupError(UserFacingError):
    message_id = N_("Sync cannot be set up with %(where)s: %(reason)s. Nothing was changed.")


# Reasons (catalog messages, translated when shown).
FOLDER_MISSING = N_("the folder is missing, or the drive or share is not connected")
FOLDER_NOT_READY = N_("the folder is not the sync folder that was set up (the drive or share may not be connected)")
FOLDER_HOLDS_DATA = N_("the folder holds this installation's own data folder, or is inside it")
SERVER_UNREACHABLE = N_("the server does not answer, or the network is down")
SERVER_ERROR = N_("the server answered with an error")
BAD_CERTIFICATE = N_("the server's certificate cannot be trusted, so nothing was sent to it (ask your local authority's IT staff)")
NOT_HTTPS = N_("the address must begin with https:// (only a server on this computer may use http://)")


class Transport(Protocol):
    """Files in `place` ("inbox/<id>" or "receipts/<id>")."""

    def describe(self) -> str: ...

    def check(self) -> None:
        """Raise TransportUnavailable unless the sync place can be used now."""

    def list(self, place: str, suffix: str) -> list[RemoteFile]:
        """Whole files with this suffix (temporary names left out); [] only when truly empty."""

    def read(self, place: str, name: str, dest: Path) -> None:
        """Copy one file to `dest` (a local path), whole, or raise NotYetAvailable."""

    def write(self, place: str, name: str, source: Path) -> None:
        """Put a file in, whole or not at all (a temporary name, then a rename)."""

    def delete(self, place: str, name: str) -> None:
        """Remove a file this installation wrote (gone already is fine)."""
