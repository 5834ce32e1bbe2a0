"""Setting up an installation for exchange: `init school`, `init la` and the example LA.

Each makes the identity (its id is the database's owner, so the records it writes are its own)
and this device's keys. Refused for a folder that already has an identity, or (for a school) one
that already holds another school's records.
"""

from __future__ import annotations

from pathlib import Path

from selfeval_app.core.database import open_database
from selfeval_app.core.framework import (
    local_authority_by_code,
    normalise_establishment_number,
    validate_establishment_number,
)
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange.errors import InitError
from selfeval_app.exchange.keys import LocalKeys, create_identity, load_keys

EXAMPLE_LA_OWNER = "00000000-0000-4000-8000-0000000e5a1a"
EXAMPLE_LA_CODE = 669  # the example school's authority


def example_la_dir() -> Path:
    from selfeval_app.core.paths import example_data_dir

    base = example_data_dir()
    return base.with_name(base.name + "-la")


def _la(code: int, data_dir: Path):
    la = local_authority_by_code(code)
    if la is None:
        raise InitError(path=str(data_dir), reason=N_("that is not the code of a local authority in Wales (660–681)"))
    return la


def _refuse_existing(data_dir: Path) -> None:
    if load_keys(data_dir) is not None:
        raise InitError(path=str(data_dir), reason=N_("it has already been set up"))


def _has_records(store: RecordStore) -> bool:
    return store.conn.execute("SELECT 1 FROM change_log LIMIT 1").fetchone() is not None


def init_school(
    data_dir: Path, *, device_id: str, name_cy: str, name_en: str | None, la_code: int, number: str | None
) -> LocalKeys:
    data_dir = Path(data_dir)
    _refuse_existing(data_dir)
    _la(la_code, data_dir)
    if number is not None:
        if validate_establishment_number(number, la_code) is not None:
            raise InitError(
                path=str(data_dir),
                reason=N_("the school number must look like NNN/NNNN and begin with the authority's code"),
            )
        number = normalise_establishment_number(number)
    if not name_cy.strip():
        raise InitError(path=str(data_dir), reason=N_("the school needs a name"))
    store = RecordStore(open_database(data_dir), device_id=device_id)
    try:
        if _has_records(store):
            raise InitError(path=str(data_dir), reason=N_("it already holds a school's records"))
        store.create(
            "school",
            {
                "name": {"cy": name_cy, "en": name_en or ""},
                "la_code": la_code,
                "establishment_number": number,
                "writes_in": "both" if name_en else "cy",
            },
        )
        return create_identity(
            data_dir,
            identity_id=store.owner,
            role="school",
            name={"cy": name_cy, "en": name_en or ""},
            la_code=la_code,
            school_number=number,
        )
    finally:
        store.close()


def init_la(data_dir: Path, *, device_id: str, la_code: int, example: bool = False) -> LocalKeys:
    data_dir = Path(data_dir)
    _refuse_existing(data_dir)
    la = _la(la_code, data_dir)
    store = RecordStore(open_database(data_dir), device_id=device_id)
    try:
        if _has_records(store):
            raise InitError(path=str(data_dir), reason=N_("it already holds a school's records"))
        from selfeval_app.core.identities import claim_primary_identity

        claim_primary_identity(
            store.db,
            EXAMPLE_LA_OWNER if example else store.owner,
            role="la",
            name_cy=la.name("cy"),
            name_en=la.name("en"),
        )
        if example:
            with store.transaction():
                store.db.set_meta("is_example", "1")
        store.forget_cached_meta()
        return create_identity(
            data_dir,
            identity_id=store.owner,
            role="la",
            name={"cy": la.name("cy"), "en": la.name("en")},
            la_code=la_code,
            example=example,
        )
    finally:
        store.close()


def demo_la(data_dir: Path | None, *, device_id: str) -> tuple[Path, LocalKeys]:
    """The example LA (idempotent): its own example folder unless one is given."""
    data_dir = Path(data_dir) if data_dir is not None else example_la_dir()
    keys = load_keys(data_dir)
    if keys is not None:
        if not keys.is_example:
            raise InitError(path=str(data_dir), reason=N_("it holds a real installation, and the example is only ever written into a folder of its own"))
        return data_dir, keys
    return data_dir, init_la(data_dir, device_id=device_id, la_code=EXAMPLE_LA_CODE, example=True)
