"""Keys of this installation's other identities (issue 12: a head reviewing from their own
school's laptop).

The primary identity's keys stay where they always were (`keys/identity.json`,
`keys/device.json`, `exchange/keys.py`). Every other identity of the data folder (a row of the
`identity` table, e.g. the head's reviewer identity) has its own device keys in
`keys/identities/<identity id>/` with the same two files, the same modes (folder 0700, device
file 0600) and the same atomic writes. Each identity signs only its own records (the exchange
rule: a bundle carries only its signer's records), so the school's bundles never carry what the
head wrote as a reviewer, nor the reviewer's bundles anything of the school.

An imported bundle is opened with each identity's age key in turn (`read_bundle_any`): it was
sealed to one of them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange.errors import NoIdentityError
from selfeval_app.exchange.keys import (
    DEVICE_FILE,
    IDENTITY_FILE,
    ROLES,
    DeviceKeys,
    LocalKeys,
    _write_private,
    ensure_identity,
    keys_dir,
    load_keys,
)

IDENTITIES_DIR = "identities"
#: Identity ids are UUIDs (or the example's fixed UUID-shaped ids): nothing else names a folder.
_SAFE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,63}$")


class NoReviewerIdentityError(UserFacingError):
    message_id = N_(
        "This installation has no peer reviewer identity yet. Make one with “Become a peer "
        "reviewer” on the Sharing page, or with “selfeval keys reviewer”. Nothing was changed."
    )


def identity_dir(data_dir: Path, identity_id: str) -> Path:
    if not _SAFE_ID.match(identity_id or ""):
        raise ValueError(f"not an identity id: {identity_id!r}")
    return keys_dir(data_dir) / IDENTITIES_DIR / identity_id


class IdentityKeys(LocalKeys):
    """The keys of one of the installation's other identities: the same as the primary's, kept in
    its own folder."""

    def identity_path(self) -> Path:
        return identity_dir(self.data_dir, self.identity_id) / IDENTITY_FILE


def load_identity_keys(data_dir: Path, identity_id: str) -> LocalKeys | None:
    """The keys of `identity_id` in this data folder: the primary's, or those of another
    identity kept under `keys/identities/`; None when it has none."""
    primary = load_keys(data_dir)
    if primary is not None and primary.identity_id == identity_id:
        return primary
    folder = identity_dir(data_dir, identity_id)
    try:
        device = DeviceKeys.from_json((folder / DEVICE_FILE).read_bytes())
        identity = json.loads((folder / IDENTITY_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if identity.get("id") != identity_id:
        return None
    return IdentityKeys(Path(data_dir), identity, device)


def other_identity_ids(data_dir: Path) -> list[str]:
    """Ids of the identities with keys under `keys/identities/`, sorted."""
    folder = keys_dir(data_dir) / IDENTITIES_DIR
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and _SAFE_ID.match(p.name) and (p / DEVICE_FILE).is_file())


def all_keys(data_dir: Path) -> list[LocalKeys]:
    """Every identity's keys in this data folder, the primary's first."""
    out: list[LocalKeys] = []
    primary = load_keys(data_dir)
    if primary is not None:
        out.append(primary)
    for identity_id in other_identity_ids(data_dir):
        if primary is not None and identity_id == primary.identity_id:
            continue
        keys = load_identity_keys(data_dir, identity_id)
        if keys is not None:
            out.append(keys)
    return out


def create_identity_keys(
    data_dir: Path,
    *,
    identity_id: str,
    role: str,
    name: dict[str, str],
    la_code: int | None = None,
    example: bool = False,
) -> LocalKeys:
    """Make the first device keys of another identity of this installation (refused if it has
    them, or if it is the primary identity)."""
    if role not in ROLES:
        raise ValueError(role)
    primary = load_keys(data_dir)
    if primary is not None and primary.identity_id == identity_id:
        raise FileExistsError(keys_dir(data_dir))
    if load_identity_keys(data_dir, identity_id) is not None:
        raise FileExistsError(identity_dir(data_dir, identity_id))
    device = DeviceKeys.generate()
    identity: dict[str, Any] = {
        "id": identity_id,
        "role": role,
        "name": {"cy": name.get("cy") or "", "en": name.get("en") or ""},
        "la_code": la_code,
        "school_number": None,
        "example": bool(example),
        "devices": [device.public_entry()],
    }
    folder = identity_dir(data_dir, identity_id)
    for parent in (keys_dir(data_dir), folder.parent):
        parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(parent, 0o700)
        except OSError:
            pass
    _write_private(folder, device)
    keys = IdentityKeys(Path(data_dir), identity, device)
    keys.save_identity()
    return keys


# --- the reviewer identity ------------------------------------------------------------------


def reviewer_identity_id(store: RecordStore) -> str | None:
    """This installation's peer reviewer identity (core/peer_review_reviewer.py)."""
    from selfeval_app.core.peer_review_reviewer import reviewer_identity

    return reviewer_identity(store)


def keys_for(store: RecordStore, identity_id: str | None = None) -> LocalKeys:
    """The keys an identity signs and opens bundles with: the primary's (made on first use for a
    school) when `identity_id` is None or the primary's id; another identity's otherwise."""
    if identity_id is None or identity_id == store.owner:
        return ensure_identity(store)
    keys = load_identity_keys(store.db.data_dir, identity_id)
    if keys is None:
        raise NoIdentityError()
    return keys


def keys_as(store: RecordStore, who: str | None) -> LocalKeys:
    """`--as`: None or "school" is the primary identity; "reviewer" this installation's reviewer
    identity; anything else an identity id of this installation."""
    if who in (None, "", "school"):
        return ensure_identity(store)
    if who == "reviewer":
        identity_id = reviewer_identity_id(store)
        if identity_id is None:
            raise NoReviewerIdentityError()
        return keys_for(store, identity_id)
    if who not in store.identity_ids:
        raise NoIdentityError()
    return keys_for(store, who)


def become_reviewer(store: RecordStore, name: dict[str, str]) -> LocalKeys:
    """Give this installation a peer reviewer identity (an `identity` row of role reviewer and its
    own keys), or return the one it has. `name` {"cy","en"} is how host schools will know it
    (e.g. the head's name and school). Joins no transaction of the caller's."""
    from selfeval_app.core.identities import add_identity

    existing = reviewer_identity_id(store)
    if existing is not None:
        keys = load_identity_keys(store.db.data_dir, existing)
        if keys is not None:
            return keys
        identity_id = existing  # a row without keys (keys lost): make them again
    else:
        identity_id = add_identity(store.db, role="reviewer", name_cy=name.get("cy") or "", name_en=name.get("en") or "")
        store.forget_cached_meta()
    example = store.db.meta("is_example") == "1"
    return create_identity_keys(store.db.data_dir, identity_id=identity_id, role="reviewer", name=name, example=example)


# --- opening bundles ------------------------------------------------------------------------


def read_bundle_any(store: RecordStore, path: Path, *, stop_if_imported: bool = False):
    """Verify a bundle with whichever of this installation's identities it was sealed to;
    returns (keys, VerifiedBundle). When none can open it, the first identity's refusal."""
    from selfeval_app.exchange import errors
    from selfeval_app.exchange.bundle_read import read_bundle
    from selfeval_app.exchange.errors import BundleRefused

    candidates = all_keys(store.db.data_dir) or [ensure_identity(store)]
    first: BundleRefused | None = None
    for keys in candidates:
        try:
            return keys, read_bundle(store, keys, Path(path), stop_if_imported=stop_if_imported)
        except BundleRefused as exc:
            if exc.reason != errors.NOT_FOR_US:
                raise
            first = first or exc
    assert first is not None
    raise first


def import_bundle_any(store: RecordStore, path: Path, *, allow_mass_delete: bool = False) -> dict[str, Any]:
    """Verify with the identity the bundle was sealed to, then apply all or nothing."""
    from selfeval_app.exchange.bundle_import import import_verified

    _keys, bundle = read_bundle_any(store, path, stop_if_imported=True)
    try:
        return import_verified(store, bundle, allow_mass_delete=allow_mass_delete)
    finally:
        bundle.close()
