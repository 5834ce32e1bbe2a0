"""Names people see for evidence kinds and record visibilities, in the current language.

Kept in the core (no Qt) so the evidence log, the coverage page, reports and the command line can
all name a kind or a visibility the same way. Messages are marked with `N_()` and translated when
shown, so they follow a language switch.
"""

from __future__ import annotations

from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import EVIDENCE_KINDS

# The one wording of visibilities lives in core/visibility.py; named here too for older callers.
from selfeval_app.core.visibility import (  # noqa: F401
    VISIBILITY_EXPLANATIONS,
    VISIBILITY_LABELS,
    visibility_explanation,
    visibility_label,
)

KIND_LABELS: dict[str, str] = {
    "lesson_observation": N_("Lesson observation"),
    "learning_walk": N_("Learning walk"),
    "book_look": N_("Book look / work scrutiny"),
    "learner_voice": N_("Learner voice"),
    "parent_questionnaire": N_("Parent questionnaire"),
    "staff_questionnaire": N_("Staff questionnaire"),
    "governor_questionnaire": N_("Governor questionnaire"),
    "data_analysis": N_("Data analysis"),
    "governor_visit": N_("Governor visit"),
    "peer_review": N_("Peer review"),
    "other": N_("Other"),
}
assert tuple(KIND_LABELS) == EVIDENCE_KINDS

def kind_label(kind: str | None) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else (kind or "")
