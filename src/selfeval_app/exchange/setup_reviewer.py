"""The example reviewer's laptop (`selfeval demo --role reviewer`, issue 12): a data folder of
its own whose identity is the example reviewer (role reviewer), with notes and draft findings
for the example school's visit, and its keys, so key cards can be exchanged with the example
school. Idempotent: run again, it refreshes the example records.
"""

from __future__ import annotations

from pathlib import Path

from selfeval_app.core.demo_review import (
    EXAMPLE_REVIEWER_OWNER,
    REVIEWER_TITLE,
    build_example_reviewer,
)
from selfeval_app.core.i18n import N_
from selfeval_app.exchange.errors import InitError
from selfeval_app.exchange.keys import LocalKeys, create_identity, load_keys


def example_reviewer_dir() -> Path:
    from selfeval_app.core.paths import example_data_dir

    base = example_data_dir()
    return base.with_name(base.name + "-reviewer")


def demo_reviewer(data_dir: Path | None, *, device_id: str) -> tuple[Path, LocalKeys, dict[str, int]]:
    data_dir = Path(data_dir) if data_dir is not None else example_reviewer_dir()
    keys = load_keys(data_dir)
    if keys is not None and (not keys.is_example or keys.identity_id != EXAMPLE_REVIEWER_OWNER):
        raise InitError(path=str(data_dir), reason=N_("it holds another installation, and the example is only ever written into a folder of its own"))
    try:
        counts = build_example_reviewer(data_dir, device_id=device_id)
    except ValueError:
        raise InitError(path=str(data_dir), reason=N_("it holds another installation, and the example is only ever written into a folder of its own")) from None
    if keys is None:
        keys = create_identity(
            data_dir, identity_id=EXAMPLE_REVIEWER_OWNER, role="reviewer", name=dict(REVIEWER_TITLE), la_code=None, example=True
        )
    return data_dir, keys, counts
