"""Fixtures for the report tests: the example school on a fixed day, and poppler helpers.

poppler-utils (pdftotext, pdffonts) is a test requirement (run-tests.sh installs it): the tests
use the real tools, they do not skip without them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 23)  # autumn term 2026–27; the example's last report was the summer's


def open_example(data_dir: Path):
    from selfeval_app.core.clock import FixedClock
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    db = open_database(data_dir)
    return RecordStore(db, device_id="device-report-tests", clock=FixedClock(dt.datetime(2026, 11, 23, 9, 30)))


@pytest.fixture(scope="session")
def example_dir(tmp_path_factory) -> Path:
    from selfeval_app.core.demo import build_example_school

    data_dir = tmp_path_factory.mktemp("example") / "data"
    build_example_school(data_dir, device_id="device-report-tests", today=TODAY)
    return data_dir


@pytest.fixture
def example_store(tmp_path, example_dir):
    """A private copy of the example school (tests that issue reports change it)."""
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(example_dir, data_dir)
    store = open_example(data_dir)
    yield store
    store.close()


NOTES = {
    "decision": {
        "cy": "Cymeradwyo’r polisi presenoldeb newydd a’r gwariant ar offer chwarae’r iard.",
        "en": "Approve the new attendance policy and the spending on yard play equipment.",
    },
    "information": {"cy": "", "en": "The Estyn core inspection is expected in the spring term."},
}


@pytest.fixture(scope="session")
def reports(tmp_path_factory, example_dir) -> dict[tuple[str, str, bool], Path]:
    """Every report, kind × language × draft, made once from one copy of the example school.

    Drafts first (they record nothing), then issued ones."""
    import shutil

    from selfeval_app.reports.issue import make_report

    folder = tmp_path_factory.mktemp("reports")
    data_dir = folder / "data"
    shutil.copytree(example_dir, data_dir)
    store = open_example(data_dir)
    made = {}
    try:
        for draft in (True, False):
            for kind in ("governors", "sdp_summary"):
                for lang in ("cy", "en", "both"):
                    out = folder / f"{kind}-{lang}{'-draft' if draft else ''}.pdf"
                    make_report(
                        store, kind, out, lang=lang, draft=draft, today=TODAY,
                        notes=NOTES if kind == "governors" else None,
                    )
                    made[(kind, lang, draft)] = out
    finally:
        store.close()
    return made
