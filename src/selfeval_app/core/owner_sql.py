"""The viewing scope in raw SQL over the workspace types (docs/decisions/ownscope.md): a query a
usual page, home, glance, search or report runs over `evidence`, `plan`, `priority`, ... gives the
store's viewing scope's owners only (our own identities by default), as `RecordStore.list` does.

`and_owner` is the clause to append to a WHERE that already has a condition; `where_owner` to
start one. Both return the clause and its parameters; an empty clause when nothing is limited.
The parameters belong where the clause goes in the SQL text: put them in that order.
"""

from __future__ import annotations

from collections.abc import Iterable

from selfeval_app.core.records import RecordStore

Owners = Iterable[str] | str | None


def and_owner(store: RecordStore, type_name: str, owners: Owners = None, *, column: str = "owner") -> tuple[str, tuple[str, ...]]:
    """(" AND owner IN (?, ...)", params), or ("", ()) when the read is not limited."""
    clause, params = store.owner_filter(type_name, owners, column=column)
    return (f" AND {clause}", params) if clause else ("", ())


def where_owner(store: RecordStore, type_name: str, owners: Owners = None, *, column: str = "owner") -> tuple[str, tuple[str, ...]]:
    """(" WHERE owner IN (?, ...)", params), or ("", ())."""
    clause, params = store.owner_filter(type_name, owners, column=column)
    return (f" WHERE {clause}", params) if clause else ("", ())


def scope_owners(store: RecordStore) -> frozenset[str] | None:
    """The owners the store's reads of the workspace types give, for functions that take a bare
    connection (e.g. `core.search`): its viewing scope, or None for our own identities."""
    return store.view_owners
