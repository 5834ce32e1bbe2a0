"""One open data folder: the writer database and record store (used on the worker thread), and
a read-only store for the main thread's reads (DESIGN §5: readers use their own connections)."""

from __future__ import annotations

from pathlib import Path

from selfeval_app.core.database import Database, open_database
from selfeval_app.core.records import RecordStore


class Session:
    def __init__(self, data_dir: Path, device_id: str):
        self.data_dir = Path(data_dir)
        self.device_id = device_id
        self.db: Database | None = None
        self.store: RecordStore | None = None
        self.reader: RecordStore | None = None
        self.open()

    def open(self) -> None:
        self.db = open_database(self.data_dir)
        self.store = RecordStore(self.db, device_id=self.device_id)
        self.open_reader()

    def clean_leftovers(self) -> None:
        """Remove copies left by a backup or restore that was killed (the window calls this just
        after its first paint: it is file work the start need not wait for)."""
        from selfeval_app.core.staging import clean_at_start

        clean_at_start(self.data_dir)

    def open_reader(self) -> None:
        self.reader = RecordStore(Database(self.data_dir, self.db.reader()), device_id=self.device_id)

    def private_reader(self) -> RecordStore:
        """A read-only store on a connection of its own, for one piece of background work on
        another thread (the caller closes it)."""
        return RecordStore(Database(self.data_dir, self.db.reader()), device_id=self.device_id)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.conn.close()
            self.reader = None
        if self.db is not None:
            self.db.close()
            self.db = None
            self.store = None

    def close_reader(self) -> None:
        if self.reader is not None:
            self.reader.conn.close()
            self.reader = None

    @property
    def is_example(self) -> bool:
        return self.reader is not None and self.reader.db.meta("is_example") == "1"

    def school(self) -> dict | None:
        return self.reader.school() if self.reader is not None else None

    def primary_identity(self):
        """This installation's primary identity (core.identities.Identity), or None."""
        if self.reader is None:
            return None
        from selfeval_app.core.identities import primary_identity

        return primary_identity(self.reader.db)

    @property
    def is_la(self) -> bool:
        """True for a local authority's installation (`selfeval init la`): the window shows the
        LA's pages instead of the school's."""
        identity = self.primary_identity()
        return identity is not None and identity.role == "la"


# Jobs for the database worker (run on the worker thread; they return plain data).


def save_school_job(values: dict, record_id: str | None, base_rev: int | None):
    def job(session: Session) -> dict:
        from selfeval_app.core.school_profile import save_school

        return save_school(session.store, values, record_id, base_rev)  # checked in the core too

    return job


def restore_job(backup_path, device_id: str):
    """Close the writer, restore the backup (the current state is backed up first), reopen.
    The main thread closes its reader first (Session.close_reader)."""

    def job(session: Session):
        from selfeval_app.core.backup import restore

        if session.db is not None:
            session.db.close()
            session.db = session.store = None
        try:
            restore(session.data_dir, backup_path, device_id=device_id)
        finally:
            session.open()
        return True

    return job


def backup_job():
    def job(session: Session):
        from selfeval_app.core.backup import make_backup

        return make_backup(session.data_dir, reason="manual")

    return job


def init_la_job(la_code: int):
    """Set this (empty) data folder up as a local authority's installation (`selfeval init la`)."""

    def job(session: Session):
        from selfeval_app.exchange.setup import init_la

        keys = init_la(session.data_dir, device_id=session.device_id, la_code=la_code)
        session.store.forget_cached_meta()
        if session.reader is not None:
            session.reader.forget_cached_meta()
        return keys.identity_id

    return job
