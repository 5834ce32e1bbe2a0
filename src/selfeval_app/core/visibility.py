"""Who may receive a record: the one wording of the three visibilities, used by every screen.

Visibility is ordered, each step sharing more (DESIGN §11):
`private` never leaves the school's own laptops; `peers` may go to the peer reviewers of a visit
the school set up; `la` may go to the school's local authority and to peer reviewers.
Messages are marked with `N_()` and translated when shown, so they follow a language switch.
"""

from __future__ import annotations

from selfeval_app.core.i18n import N_, _
from selfeval_app.core.record_types import SHAREABLE_TYPES, VISIBILITIES

__all__ = [
    "VISIBILITIES",
    "SHAREABLE_TYPES",
    "VISIBILITY_LABELS",
    "VISIBILITY_EXPLANATIONS",
    "visibility_label",
    "visibility_explanation",
    "visibility_choices",
    "allowed_for",
    "leaves_the_school",
]

VISIBILITY_LABELS: dict[str, str] = {
    "private": N_("Private to the school"),
    "peers": N_("Peer reviewers"),
    "la": N_("Local authority and peer reviewers"),
}
VISIBILITY_EXPLANATIONS: dict[str, str] = {
    "private": N_("Stays on the school's own computers: it is never sent to anyone else."),
    "peers": N_("May be sent to the peer reviewers of a visit the school has set up."),
    "la": N_("May be sent to the school's local authority and to peer reviewers."),
}
assert tuple(VISIBILITY_LABELS) == VISIBILITIES == tuple(VISIBILITY_EXPLANATIONS)

# Which visibilities each kind of recipient may receive.
_ALLOWED = {
    # Another school (a partner, not our own laptops, which are role "own" in exchange/ledger.py):
    # what may leave for peers, never a private record (DESIGN §2.6).
    "school": ("peers", "la"),
    "reviewer": ("peers", "la"),
    "la": ("la",),
}


def visibility_label(visibility: str | None) -> str:
    """The visibility's short name, in the current language."""
    return _(VISIBILITY_LABELS[visibility]) if visibility in VISIBILITY_LABELS else (visibility or "")


def visibility_explanation(visibility: str | None) -> str:
    """One sentence saying who may receive a record with this visibility."""
    return _(VISIBILITY_EXPLANATIONS[visibility]) if visibility in VISIBILITY_EXPLANATIONS else ""


def visibility_choices() -> list[tuple[str, str]]:
    """(value, label) for a choice control, in order, in the current language."""
    return [(v, visibility_label(v)) for v in VISIBILITIES]


def allowed_for(recipient_role: str) -> tuple[str, ...]:
    """The visibilities a recipient of this role (school | reviewer | la) may receive."""
    return _ALLOWED[recipient_role]


def leaves_the_school(visibility: str | None) -> bool:
    """True when a record with this visibility may be sent to someone outside the school."""
    return visibility in ("peers", "la")
