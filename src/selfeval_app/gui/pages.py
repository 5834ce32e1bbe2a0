"""The window's pages, in navigation order: what each is called, where its code lives and which
record types it opens.

A page's module is imported only when the page is first shown, so the start stays light. A page
is a QWidget made as `PageClass(window)`; it may define:

- `retranslate()` (via `language.Retranslatable`) to follow language switches;
- `page_shown()`: called each time it becomes the current page (refresh what may be stale);
- `records_changed(types: set[str])`: called after any page saved records of those types;
- `open_record(record_type, record_id)`: show that record (search results, links).

Only pages that work are listed (DESIGN: no empty placeholder pages).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from selfeval_app.core.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # N_() message
    target: str  # "module:Class"
    opens: tuple[str, ...] = ()  # record types this page shows via open_record()
    #: "module:function" taking the main thread's reader store: the page is in the navigation
    #: only when it returns True (checked after the first paint, and on `refresh_optional_pages`).
    shown_when: str | None = None
    #: Whose records of `opens` this page shows when two pages open one type: "own" (this
    #: installation's), "others" (another owner's, e.g. a host's visit at a reviewer's) or "any".
    owners: str = "any"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("school", N_("School"), "selfeval_app.gui.school_home:SchoolHomePage", ("school",)),
    PageSpec(
        "visits",
        N_("Visits I review"),
        "selfeval_app.gui.visits.page:VisitsPage",
        ("review_visit",),
        shown_when="selfeval_app.core.peer_review_reviewer:has_reviewer_side",
        owners="others",
    ),
    PageSpec("evaluation", N_("Self-evaluation"), "selfeval_app.gui.evaluation.page:EvaluationPage", ("evaluation", "area")),
    PageSpec("evidence", N_("Evidence"), "selfeval_app.gui.evidence.page:EvidencePage", ("evidence", "attachment")),
    PageSpec("coverage", N_("Evidence coverage"), "selfeval_app.gui.evaluation.coverage:CoveragePage"),
    PageSpec(
        "plan",
        N_("Development plan"),
        "selfeval_app.gui.plan.page:PlanPage",
        ("plan", "priority", "action", "success_criterion", "progress_review"),
    ),
    PageSpec("glance", N_("This term at a glance"), "selfeval_app.gui.plan.glance:GlancePage"),
    PageSpec("indicators", N_("Indicators"), "selfeval_app.gui.plan.indicators:IndicatorsPage", ("indicator",)),
    PageSpec(
        "partnerships",
        N_("Partnerships"),
        "selfeval_app.gui.collaboration.page:PartnershipsPage",
        ("partnership", "joint_activity"),
    ),
    PageSpec("search", N_("Search"), "selfeval_app.gui.search.page:SearchPage"),
    PageSpec("sharing", N_("Sharing"), "selfeval_app.gui.sharing.page:SharingPage"),
    PageSpec(
        "peer_review",
        N_("Peer review"),
        "selfeval_app.gui.peer_review.page:PeerReviewPage",
        ("review_visit", "review_finding"),
        owners="own",
    ),
)

#: A local authority's installation (DESIGN §15): its schools, across schools, exports, and
#: sharing (key card, contacts, importing its schools' bundles). The first is its home.
LA_PAGES: tuple[PageSpec, ...] = (
    PageSpec("la_schools", N_("Schools"), "selfeval_app.gui.la.schools:SchoolsPage"),
    PageSpec("la_across", N_("Across schools"), "selfeval_app.gui.la.across:AcrossSchoolsPage"),
    PageSpec("la_exports", N_("Exports"), "selfeval_app.gui.la.exports:ExportsPage"),
    PageSpec("sharing", N_("Sharing"), "selfeval_app.gui.sharing.page:SharingPage"),
)


def page_available(spec: PageSpec) -> bool:
    """True when the page's module exists in this build (a page not yet written is not shown).

    Asks the import system for the module's spec instead of looking for a `.py` file: frozen and
    compiled-only builds have none. Only the parent packages (docstrings) are imported, never
    the page's module, to keep the start light."""
    module = spec.target.split(":", 1)[0]
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def page_wanted(spec: PageSpec, reader) -> bool:
    """Whether an optional page belongs in the navigation now (always, for the others)."""
    if spec.shown_when is None:
        return True
    if reader is None:
        return False
    module, name = spec.shown_when.split(":", 1)
    return bool(getattr(importlib.import_module(module), name)(reader))


def load_page_class(spec: PageSpec):
    module, name = spec.target.split(":", 1)
    return getattr(importlib.import_module(module), name)
