"""Errors a person may meet when making a report: each a clear sentence in their language."""

from __future__ import annotations

from selfeval_app.core.errors import OutputFileError, UserFacingError
from selfeval_app.core.i18n import N_


class ReportFileError(OutputFileError):
    """The PDF cannot be written where the person asked (no folder, no permission, disk full)."""

    message_id = N_("The report cannot be saved as %(path)s: %(reason)s. Nothing was written.")


class ReportFileLockedError(OutputFileError):
    """The PDF is open in another program (Windows refuses to replace it): nothing was written."""

    message_id = N_(
        "The report cannot be saved as %(path)s because that file is open in another program "
        "(perhaps a PDF viewer). Close it there and try again. Nothing was written."
    )


class NoReportDataError(UserFacingError):
    """Nothing to report for the chosen term or year."""

    message_id = N_(
        "There is nothing to report for %(period)s: no priority runs in that year and no progress "
        "review was written that term. Choose another term. Nothing was written."
    )

    def __init__(self, year: int, term: str | None):
        self.year, self.term = year, term
        super().__init__(period=f"{term or ''} {year}".strip())

    def message(self) -> str:
        from selfeval_app.core.i18n import _
        from selfeval_app.reports.text import TERM_TITLES, academic_year_label

        period = (
            _(TERM_TITLES[self.term]) % {"year": academic_year_label(self.year)}
            if self.term
            else academic_year_label(self.year)
        )
        return _(self.message_id) % {"period": period}


class ReportRecordError(UserFacingError):
    message_id = N_(
        "The report was made, but it could not be recorded as issued: %(reason)s. The PDF has been "
        "removed; please try again."
    )
