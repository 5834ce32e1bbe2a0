"""Errors of exchange: each refusal says why, in the user's language, and that nothing changed."""

from __future__ import annotations

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_


class BundleRefused(UserFacingError):
    """A bundle that is not imported (or not inspected): nothing was changed."""

    message_id = N_("The bundle %(path)s was refused: %(reason)s. Nothing was changed.")

    def __init__(self, reason: str, path: str = ""):
        super().__init__(path=path, reason=reason)

    @property
    def reason(self) -> str:
        return self.params["reason"]


class KeyCardError(UserFacingError):
    message_id = N_("The key card %(path)s cannot be used: %(reason)s. Nothing was changed.")


class NoIdentityError(UserFacingError):
    message_id = N_(
        "This data folder has no identity for sharing yet. Set it up first with "
        "“selfeval init school” or “selfeval init la”."
    )


class ContactNotFoundError(UserFacingError):
    message_id = N_(
        "None of your contacts has the fingerprint %(fingerprint)s. "
        "“selfeval keys contacts” lists them."
    )


class ExampleRecipientError(UserFacingError):
    message_id = N_(
        "The example school's records can only be sent to an example contact, and a real "
        "school's only to a real one. Nothing was written."
    )


class InitError(UserFacingError):
    message_id = N_("The data folder %(path)s cannot be set up: %(reason)s. Nothing was changed.")


# Reasons a bundle is refused (catalog messages, translated when shown).
NOT_FOR_US = N_(
    "it cannot be opened with this installation's keys: it was sent to someone else, or it is damaged"
)
NOT_A_BUNDLE = N_("it is not a bundle from Hunanwerthuso | Self-evaluation, or it is damaged")
NEWER_FORMAT = N_(
    "it was made by a newer version of Hunanwerthuso | Self-evaluation; update the app to read it"
)
BAD_SIGNATURE = N_("its signature is not valid")
UNKNOWN_SENDER = N_("its sender is not one of your contacts")
REMOVED_DEVICE = N_("it was signed on a computer that its school has removed")
NOT_A_RECIPIENT = N_("it was not sent to this installation")
CONTENTS_MISMATCH = N_("its contents do not match its list of contents")
UNSAFE_MEMBER = N_("it holds a file whose name or kind is not allowed")
TOO_LARGE = N_("it is larger, or holds more files, than a bundle may")
BAD_RECORD = N_("it holds a record that is not valid")
FOREIGN_OWNER = N_("it holds a record that does not belong to its sender")
BAD_ATTACHMENT = N_("an attached file does not match its hash")
REPLAYED = N_("it is older than a bundle already received from the same computer")
COUNT_MISMATCH = N_("the records did not add up after importing")
OWN_BUNDLE = N_("it was sent by this installation itself")
