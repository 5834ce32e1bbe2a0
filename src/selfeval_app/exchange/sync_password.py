"""The WebDAV password: in the operating system's keyring (`keyring`: Windows Credential Manager,
macOS Keychain, the Secret Service on Linux), never in the database or a plain file.

Where it comes from, in order: `SELFEVAL_WEBDAV_PASSWORD` (scripts and CI), then the keyring.
`selfeval sync setup webdav` asks for it when neither has it, and keeps it in the keyring.
"""

from __future__ import annotations

import os

SERVICE = "Hunanwerthuso | Self-evaluation WebDAV"
ENV = "SELFEVAL_WEBDAV_PASSWORD"


def _account(url: str, user: str) -> str:
    return f"{user}@{url}"


def get_password(url: str, user: str) -> str | None:
    from_env = os.environ.get(ENV)
    if from_env:
        return from_env
    try:
        import keyring

        return keyring.get_password(SERVICE, _account(url, user))
    except Exception:  # noqa: BLE001 - no keyring on this computer: as if it held nothing
        return None


def store_password(url: str, user: str, password: str) -> bool:
    """Keep the password in the keyring; False when this computer has no keyring."""
    try:
        import keyring

        keyring.set_password(SERVICE, _account(url, user), password)
        return True
    except Exception:  # noqa: BLE001 - keyring.errors.* and the backends' own errors
        return False
