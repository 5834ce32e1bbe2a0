"""How the LA's pages read: la_views keeps per-school summaries (migration 0009_la_view) that it
brings up to date from the change log before each view (`la_views.refresh`), which writes. The
pages read through the main thread's read-only connection, so the summaries are first brought up
to date on the database worker (the one writer), and the page reads when that is done. When
nothing changed, the refresh is one look at the change log."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


def after_refresh(window, then: Callable[[], None]) -> None:
    """Refresh the LA's summaries on the worker, then call `then()` on the main thread."""

    def job(session):
        from selfeval_app import la_views

        return la_views.refresh(session.store)

    def failed(error) -> None:  # the summaries stay as they were; the page reads them anyway
        log.warning("the LA's summaries could not be brought up to date: %s", error)
        then()

    window.operations.run(job, lambda _n: then(), failed)


def read_or_retry(window, read: Callable[[], None], retry: Callable[[], None]) -> None:
    """Run `read()`; if a view met summaries made stale a moment ago (a bundle imported between
    the refresh and the read: la_views then tries to write through the read-only connection),
    refresh on the worker again and `retry()` once."""
    from selfeval_app.core.errors import DatabaseReadOnlyError

    try:
        read()
    except DatabaseReadOnlyError:
        after_refresh(window, retry)
