"""Making a report: build, render, write the PDF whole or not at all, and record an issued one.

The one entry point for the command line::

    result = make_report(store, "governors", Path("adroddiad.pdf"), lang="both",
                         year=2025, term="autumn", draft=False,
                         progress=lambda f: ..., cancelled=lambda: False)

It is two steps, which the window runs apart so a PDF never holds up the database writer:
`render_report` (reads, renders and writes the PDF; any read-only store will do, on any thread)
and `record_issue` (writes the `report_issue`, on the writer).

- `progress(fraction)` is called with 0..1 as the work goes on (from the calling thread: a GUI
  runs this on its database worker and forwards the fraction by a signal);
- `cancelled()` is polled; when it returns True, `ReportCancelled` is raised and nothing is written;
- a draft is written but not recorded; an issued report is written (temporary file, fsync, rename)
  and then recorded as a `report_issue` with its term, language, sections, the ids and revs it drew
  on and the PDF's SHA-256. If recording fails, the PDF just written is removed again.
- errors the person can act on are `UserFacingError`s (reports.errors): no folder, no permission,
  the file open in another program, disk full, nothing to report for that term.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_app.core.clock import SYSTEM_CLOCK, Clock, academic_year_of
from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.i18n import N_
from selfeval_app.core.records import RecordStore
from selfeval_app.core.safe_files import atomic_output
from selfeval_app.reports.errors import ReportFileError, ReportFileLockedError, ReportRecordError
from selfeval_app.reports.text import REPORT_LANGUAGES

KINDS = ("governors", "sdp_summary")


@dataclass
class ReportResult:
    path: Path
    sha256: str
    pages: int
    size: int
    issue_id: str | None  # the report_issue recorded, None for a draft


@dataclass
class RenderedReport:
    """A PDF written by `render_report`, and the `report_issue` to record for it (None: draft)."""

    result: ReportResult
    issue: dict[str, Any] | None


def default_term(today: dt.date) -> tuple[int, str]:
    """The academic year and term a report made today is about."""
    from selfeval_app.core.plan_figures import term_of

    return term_of(today)


def _check_target(out: Path) -> None:
    if out.is_dir():
        raise ReportFileError(path=str(out), reason=N_("it is a folder"))
    if not out.parent.is_dir():
        raise ReportFileError(path=str(out), reason=N_("the folder does not exist"))


def write_pdf(data: bytes, out: Path) -> None:
    """Write the PDF at `out` whole or not at all (temporary file in the same folder, fsync,
    rename); turn what can go wrong into a clear message."""
    out = Path(out)
    _check_target(out)
    stage = "create"
    try:
        with atomic_output(out) as f:
            stage = "write"
            f.write(data)
            stage = "replace"  # flush, fsync and os.replace: Windows refuses a file open elsewhere
    except PermissionError:
        if stage == "replace" and out.exists():
            raise ReportFileLockedError(path=str(out)) from None
        raise ReportFileError(path=str(out), reason=N_("you do not have permission to write there")) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            reason = N_("the disk is full")
        elif exc.errno == errno.EROFS:
            reason = N_("the disk or folder is read-only")
        elif exc.errno == errno.ENOENT:
            reason = N_("the folder does not exist")
        elif exc.errno == errno.EISDIR:
            reason = N_("it is a folder")
        else:
            raise ReportFileError(path=str(out), reason=exc.strerror or str(exc)) from None
        raise ReportFileError(path=str(out), reason=reason) from None


def build_content(
    store: RecordStore,
    kind: str,
    *,
    lang: str,
    year: int,
    term: str | None,
    today: dt.date,
    sections: Sequence[str] | None,
    draft: bool,
    options: Any = None,
):
    if kind == "governors":
        from selfeval_app.reports import governors

        return governors.build(
            store, lang=lang, year=year, term=term or default_term(today)[1], today=today,
            sections=sections, draft=draft, options=options,
        )
    if kind == "sdp_summary":
        from selfeval_app.reports import sdp_summary

        return sdp_summary.build(
            store, lang=lang, year=year, today=today, sections=sections, draft=draft, options=options
        )
    raise ValueError(f"unknown report kind {kind!r}; expected one of {KINDS}")


def make_report(
    store: RecordStore,
    kind: str,
    out: Path | str,
    **options: Any,
) -> ReportResult:
    """Make a report and write it to `out`, and record it unless it is a draft: `render_report`
    then `record_issue` (the arguments are those of `render_report`)."""
    return record_issue(store, render_report(store, kind, out, **options))


def record_issue(store: RecordStore, rendered: RenderedReport) -> ReportResult:
    """Record an issued report as a `report_issue` (nothing for a draft). If recording fails,
    the PDF just written is removed again, so no unrecorded issued report is left behind."""
    result = rendered.result
    if rendered.issue is None:
        return result
    out = result.path
    try:
        rec = store.create("report_issue", rendered.issue)
    except UserFacingError as exc:
        _remove(out)
        raise ReportRecordError(reason=exc.message()) from exc
    except Exception:
        _remove(out)
        raise
    return ReportResult(out, result.sha256, result.pages, result.size, rec["id"])


def render_report(
    store: RecordStore,
    kind: str,
    out: Path | str,
    *,
    lang: str = "cy",
    year: int | None = None,
    term: str | None = None,
    sections: Sequence[str] | None = None,
    draft: bool = False,
    options: Any = None,
    notes: Mapping[str, Mapping[str, str]] | None = None,
    clock: Clock | None = None,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RenderedReport:
    """Make a report and write it to `out`, not yet recorded; see the module's docstring.

    `kind` is "governors" or "sdp_summary" ("sdp-summary" is accepted too); `lang` "cy", "en" or
    "both"; `year` and `term` default to the current ones (Europe/London); `notes` is the head's
    "for decision / for information" text of a governors' report (a shortcut for
    `GovernorsOptions(notes=...)`); `options` is `GovernorsOptions` or `SdpSummaryOptions`."""
    from selfeval_app.reports.layout import ReportCancelled, render

    kind = kind.replace("-", "_")
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; expected one of {KINDS}")
    if lang not in REPORT_LANGUAGES:
        raise ValueError(f"report language must be one of {REPORT_LANGUAGES}, not {lang!r}")
    out = Path(out)
    _check_target(out)  # say so before the work, not after it
    report = progress or (lambda _f: None)
    is_cancelled = cancelled or (lambda: False)

    def check() -> None:
        if is_cancelled():
            raise ReportCancelled()

    today = today or (clock or store.clock or SYSTEM_CLOCK).today()
    if year is None:
        year = default_term(today)[0] if kind == "governors" else academic_year_of(today)
    if kind == "governors" and notes is not None:
        from selfeval_app.reports.governors import GovernorsOptions

        options = options or GovernorsOptions()
        options.notes = notes
    report(0.0)
    check()
    content = build_content(
        store, kind, lang=lang, year=year, term=term, today=today, sections=sections, draft=draft, options=options
    )
    report(0.2)
    check()
    pdf, pages = render(
        content.story,
        content.info,
        progress=lambda f: report(0.2 + 0.7 * f),
        cancelled=is_cancelled,
    )
    check()
    digest = hashlib.sha256(pdf).hexdigest()
    write_pdf(pdf, out)
    issue = None
    if not draft:
        issue = {
            "kind": content.kind,
            "academic_year": content.year,
            "term": content.term,
            "language": content.lang,
            "sections": list(content.sections),
            "sources": content.sources.as_list(),
            "pdf_sha256": digest,
            "issued_on": today.isoformat(),
        }
    report(1.0)
    return RenderedReport(ReportResult(out, digest, pages, len(pdf), None), issue)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
