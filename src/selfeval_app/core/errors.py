"""Errors a user may see. Each carries a catalog message (marked with N_) translated when shown.

Programming mistakes stay ordinary exceptions (ValueError, TypeError); anything caused by the
user's data, files or machine is a `UserFacingError`, so the CLI and GUI can always show a clear
message in the user's language instead of a traceback.
"""

from __future__ import annotations

from typing import Any

from selfeval_app.core.i18n import N_


class UserFacingError(Exception):
    """An error with a message for the user, in their language."""

    message_id: str = N_("Something went wrong. Nothing was changed.")

    def __init__(self, message_id: str | None = None, **params: Any):
        if message_id is not None:
            self.message_id = message_id
        self.params = params
        super().__init__(self.message_id % params if params else self.message_id)

    def message(self) -> str:
        from selfeval_app.core.i18n import _

        text = _(self.message_id)
        if not self.params:
            return text
        # A "reason" is itself a catalog message (N_), translated here with the rest.
        params = {k: (_(v) if k == "reason" and isinstance(v, str) else v) for k, v in self.params.items()}
        return text % params


class OperationCancelled(UserFacingError):
    """The person stopped a long operation before it changed anything (not a fault)."""

    message_id = N_("Stopped. Nothing was written.")


class NewerDatabaseError(UserFacingError):
    message_id = N_(
        "This data was saved by a newer version of Hunanwerthuso | Self-evaluation. "
        "Please update the app to open it. The data has not been changed."
    )


class NotADatabaseError(UserFacingError):
    message_id = N_("The file %(path)s is not a Hunanwerthuso database, or it is damaged. It has not been changed.")


class StorageFullError(UserFacingError):
    message_id = N_(
        "The disk is full, so the last change could not be saved. Everything saved before it is "
        "safe. Free some space and try again."
    )


class StorageError(UserFacingError):
    message_id = N_("The data could not be saved: %(reason)s. Everything saved before is safe.")


class NetworkFolderError(UserFacingError):
    message_id = N_(
        "The data folder %(path)s is on a network drive. Keep the data on this computer: "
        "a network drive can damage the database."
    )


class DataFolderError(UserFacingError):
    message_id = N_("The data folder %(path)s cannot be used: %(reason)s")


class RecordNotFoundError(UserFacingError):
    message_id = N_("That record no longer exists.")


class ConflictError(UserFacingError):
    message_id = N_(
        "This record was changed elsewhere while you were editing it. Your version has not been "
        "saved over it; reload it to see both."
    )


class NotOwnerError(UserFacingError):
    message_id = N_("Only the person or school that wrote this record can change it.")


class ReadOnlyRecordError(NotOwnerError):
    """A write to a record another identity owns (one that arrived from elsewhere)."""

    message_id = N_(
        "This record belongs to someone else (another school, a peer reviewer or a local "
        "authority), so it can be read here but not changed. Nothing was changed."
    )


class IncomingRecordError(UserFacingError):
    """A record version from elsewhere that cannot be applied; nothing was written."""

    message_id = N_("A record that arrived cannot be used: %(reason)s. Nothing was changed.")


class ValidationError(UserFacingError):
    """Bad input for a field: nothing is saved."""

    def __init__(self, field: str, message_id: str, **params: Any):
        self.field = field
        super().__init__(message_id, **params)


class AlreadyRunningError(UserFacingError):
    message_id = N_("Hunanwerthuso | Self-evaluation is already open with this data folder.")


class BackupError(UserFacingError):
    message_id = N_("The backup %(path)s cannot be used: %(reason)s. Nothing was changed.")


class AttachmentError(UserFacingError):
    message_id = N_("The file %(path)s cannot be attached: %(reason)s. Nothing was stored.")


class OutputFileError(UserFacingError):
    message_id = N_("%(path)s cannot be written: %(reason)s. Nothing was written.")


class DamagedBackupError(BackupError):
    """A file given as a backup that is not one of ours, or is damaged or hostile."""

    message_id = N_("The file %(path)s is not a backup of Hunanwerthuso, or it is damaged: %(reason)s. Nothing was changed.")


class NewerBackupError(BackupError):
    message_id = N_(
        "The backup %(path)s was made by a newer version of Hunanwerthuso | Self-evaluation. "
        "Please update the app to restore it. Nothing was changed."
    )


class RestoreInProgressError(UserFacingError):
    message_id = N_("A restore is in progress in this data folder. Wait until it has finished, then try again. Nothing was changed.")


class DataInUseError(UserFacingError):
    message_id = N_(
        "Another program is using the data in %(path)s (for example a selfeval command that is "
        "still running). Wait until it has finished, then try again. Nothing was changed."
    )


# What is wrong with a database file: told apart, because a user told "damaged" may restore an old
# backup over good data (see core/db_health.py, which decides which one applies).


class DatabaseLockedError(UserFacingError):
    message_id = N_(
        "Another program is using the data in %(path)s. Close it and try again. Nothing was changed."
    )


class DatabaseReadOnlyError(UserFacingError):
    message_id = N_(
        "The data in %(path)s can be read but not changed: the file or its folder is read-only. "
        "Nothing was changed."
    )


class DatabaseUnreadableError(UserFacingError):
    message_id = N_(
        "The data in %(path)s cannot be opened: you do not have permission to read it. Nothing was changed."
    )


class DamagedDatabaseError(NotADatabaseError):
    message_id = N_("The database file %(path)s is damaged. It has not been changed.")


class EmptyDatabaseError(NotADatabaseError):
    message_id = N_(
        "The database file %(path)s is empty (0 bytes): it is damaged or was not copied whole. "
        "It has not been changed."
    )


class ForeignDatabaseError(NotADatabaseError):
    message_id = N_(
        "The file %(path)s is another program's database, not Hunanwerthuso data. It has not been changed."
    )


class PathTooLongError(UserFacingError):
    message_id = N_(
        "The folder %(path)s cannot be used: its name, or one of its parts, is too long. "
        "Choose a folder with a shorter name."
    )


class ConfigFolderError(UserFacingError):
    message_id = N_(
        "Your settings cannot be kept in %(path)s: %(reason)s. Choose another folder with "
        "SELFEVAL_CONFIG_DIR, or ask for help to make this one writable."
    )


class DemoBusyError(UserFacingError):
    message_id = N_(
        "The example school is being set up by another command right now. Wait for it to finish and try again."
    )


class DamagedRecordError(UserFacingError):
    message_id = N_(
        "Record %(id)s (%(type)s) cannot be read: it was damaged, or changed by another program. "
        "Nothing was changed."
    )


class DiskIOError(UserFacingError):
    message_id = N_(
        "The disk gave an error while reading or writing %(path)s. The file may be damaged: "
        "“selfeval check” tells you. Nothing was changed."
    )
