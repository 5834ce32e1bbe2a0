"""The sections of each report and their headings, importable without reportlab.

The window's report dialog lists them for the head to choose from before anything heavy is
imported; the builders (governors.py, sdp_summary.py) use the same lists.
"""

from __future__ import annotations

from selfeval_app.core.i18n import N_

GOVERNORS_SECTIONS = (
    "changes",
    "priorities",
    "success_criteria",
    "overdue_actions",
    "self_evaluation",
    "indicators",
    "for_decision",
)
GOVERNORS_SECTION_TITLES = {
    "changes": N_("What has changed since the last report"),
    "priorities": N_("Priorities: progress this term"),
    "success_criteria": N_("Success criteria"),
    "overdue_actions": N_("Actions that are overdue"),
    "self_evaluation": N_("Self-evaluation highlights"),
    "indicators": N_("Indicators"),
    "for_decision": N_("For decision and for information"),
}
GOVERNORS_TITLE = N_("Headteacher’s report to governors")

SDP_SECTIONS = ("priorities", "last_year", "evaluation")
SDP_DEFAULT_SECTIONS = ("priorities", "last_year")  # "evaluation" only when the head adds it
SDP_SECTION_TITLES = {
    "priorities": N_("Our priorities"),
    "last_year": N_("How last year’s targets went"),
    "evaluation": N_("Our self-evaluation"),
}
SDP_TITLE = N_("School development plan: summary for parents")
