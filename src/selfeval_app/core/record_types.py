"""The record types and their fields: the one list every part of the app works from.

Each type names its own fields (beyond the common fields of every record, DESIGN §4) with a kind
that says how the field is stored, validated, exported and searched. `docs/records.md` is written
from this list (`python scripts/write_record_docs.py`), and a test checks the database schema has a
column for every field here, so adding a field means adding a migration too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from selfeval_app.core.i18n import N_

# Field kinds
TEXT = "text"  # plain text (names, codes)
BITEXT = "bitext"  # bilingual pair: columns NAME_cy / NAME_en; {"cy", "en"} in exports
DATE = "date"  # a calendar day, local date, ISO "YYYY-MM-DD"
INT = "int"
PENCE = "pence"  # money in integer pence
NUMBER = "number"  # a measured value (float)
BOOL = "bool"
ENUM = "enum"  # one of `choices`
REF = "ref"  # the id of one record (of `targets`)
REFS = "refs"  # a list of ids (stored as a JSON array)
JSON = "json"  # structured data described in `doc`

COMMON_FIELDS = (
    "id",
    "type",
    "owner",
    "updated_by",
    "rev",
    "base_rev",
    "content_hash",
    "created_at",
    "updated_at",
    "deleted",
    "visibility",
)
VISIBILITIES = ("private", "peers", "la")  # ordered: each shares more (core/visibility.py)
# Types that carry a visibility a person chooses; the others stay private (attachments travel
# with the record they belong to).
SHAREABLE_TYPES = (
    "evaluation",
    "plan",
    "priority",
    "success_criterion",
    "action",
    "progress_review",
    "indicator",
    "evidence",
    "partnership",
    "joint_activity",
)
LANGS = ("cy", "en")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    doc: str
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    required: bool = False

    def columns(self) -> tuple[str, ...]:
        if self.kind == BITEXT:
            return (f"{self.name}_cy", f"{self.name}_en")
        return (self.name,)


@dataclass(frozen=True)
class RecordType:
    name: str
    doc: str
    fields: tuple[Field, ...]
    title_field: str | None = None  # the text that names the record: sort keys come from it
    searchable: tuple[str, ...] = ()  # fields whose text goes into the search index
    _by_name: dict = field(init=False, compare=False, repr=False)  # set in __post_init__

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has_field(self, name: str) -> bool:
        return name in self._by_name

    def columns(self) -> list[str]:
        return [c for f in self.fields for c in f.columns()]


def _t(name: str, doc: str, **kw: Any) -> Field:
    return Field(name, TEXT, doc, **kw)


def _b(name: str, doc: str, **kw: Any) -> Field:
    return Field(name, BITEXT, doc, **kw)


ACTION_STATUSES = ("not_started", "in_progress", "done", "blocked")
CRITERION_STATUSES = ("not_started", "in_progress", "not_met", "partially_met", "met")
RAG = ("red", "amber", "green")
TERMS = ("autumn", "spring", "summer")
FUNDING_SOURCES = ("school_budget", "pdg", "la_grant", "other")
EVIDENCE_KINDS = (
    "lesson_observation",
    "learning_walk",
    "book_look",
    "learner_voice",
    "parent_questionnaire",
    "staff_questionnaire",
    "governor_questionnaire",
    "data_analysis",
    "governor_visit",
    "peer_review",
    "other",
)
WRITES_IN = ("cy", "en", "both")
REPORT_KINDS = ("governors", "sdp_summary")
VISIT_KINDS = ("peer_review", "peer_enquiry", "cluster_visit", "other")
VISIT_STATUSES = ("draft", "pack_sent", "visit", "fact_check", "agreed", "closed")
REVIEW_NOTE_KINDS = (
    "joint_lesson_observation",
    "learning_walk",
    "work_scrutiny",
    "learner_voice",
    "meeting_staff",
    "meeting_governors",
    "meeting_parents",
    "other",
)
RESPONSE_KINDS = ("agree", "correction", "comment")
# The peer review types (issue 12): who writes each is its owner, so each side's records are
# read-only at the other's.
PEER_REVIEW_TYPES = ("review_visit", "review_note", "review_finding", "review_response", "review_report", "review_summary")
VISIT_ROLES = ("lead", "reviewer", "link_leader")
REPORT_LANGUAGES = ("cy", "en", "both")
# Collaboration (issue 13, DESIGN §15): the kinds of partnership and the four steps of a
# partnership's self-assessed maturity (their words: core/collaboration.MATURITY_STEPS).
PARTNERSHIP_KINDS = ("cluster", "vertical", "horizontal", "federation", "other")
MATURITY_STEPS = ("starting", "developing", "established", "embedded")

RECORD_TYPES: dict[str, RecordType] = {}


def _register(rt: RecordType) -> RecordType:
    RECORD_TYPES[rt.name] = rt
    return rt


_register(
    RecordType(
        "school",
        "The school itself: one per database.",
        (
            _b("name", "The school's name", required=True),
            Field("la_code", INT, "Local authority code (660–681), see resources/reference"),
            _t("establishment_number", "Welsh establishment number NNN/NNNN; starts with la_code"),
            _t("cluster", "The cluster the school belongs to"),
            _t("phase", "Phase id from resources/reference/phases.json"),
            _t("language_category", "Language category id from resources/reference"),
            Field("writes_in", ENUM, "Which language(s) the school writes in", choices=WRITES_IN),
            Field("is_example", BOOL, "True for the example school built by `selfeval demo`"),
            Field(
                "default_visibility",
                ENUM,
                "Visibility new shareable records start with (a school setting; empty = private)",
                choices=VISIBILITIES,
            ),
        ),
        title_field="name",
        searchable=("name",),
    )
)
_register(
    RecordType(
        "plan",
        "The three-year School Development Plan and its plan-level statutory parts.",
        (
            _b("title", "Title of the plan"),
            Field("start_year", INT, "First academic year the plan covers (2025 = 2025–26)", required=True),
            Field("approved_on", DATE, "Date the governing body approved the plan"),
            Field("revisions", JSON, 'Annual revisions: [{"date": "YYYY-MM-DD", "note": {"cy","en"}}]'),
            _b("strategy", "The overall strategy for delivering the priorities"),
            _b("targets_review", "Whether last year's targets were met, and why not"),
        ),
        title_field="title",
        searchable=("title", "strategy", "targets_review"),
    )
)
_register(
    RecordType(
        "area",
        "A framework area the school added itself (Estyn's areas come from resources/frameworks).",
        (
            _t("code", "Short code or number shown beside the title"),
            _b("title", "Title of the area", required=True),
            _b("description", "What the area covers"),
            Field("prompts", JSON, 'Reflective prompts: [{"id", "cy", "en"}]'),
        ),
        title_field="title",
        searchable=("title", "description"),
    )
)
_register(
    RecordType(
        "evaluation",
        "The school's evaluation of one area for one academic year.",
        (
            _t("area_id", "Framework area id (e.g. estyn-2024-1) or the id of an `area` record", required=True),
            Field("academic_year", INT, "Academic year (2025 = 2025–26)", required=True),
            _t("framework_id", "Framework the evaluation used, e.g. estyn-2024"),
            _t("framework_version", "Version of that framework"),
            _b("narrative", "Short narrative evaluation"),
            Field(
                "statements",
                JSON,
                'Itemised statements: [{"id", "kind": "strength"|"development"|"next_step", '
                '"text": {"cy","en"}}]; evidence links to them by id',
            ),
            _t("copied_from", "Id of the evaluation this one was started from (new academic year)"),
        ),
        searchable=("narrative", "statements"),
    )
)
_register(
    RecordType(
        "evidence",
        "One piece of evidence: a learning walk, a book look, learner voice, data, ...",
        (
            Field("date", DATE, "When the evidence was gathered", required=True),
            Field("kind", ENUM, "Kind of evidence", choices=EVIDENCE_KINDS, required=True),
            _b("title", "Short title", required=True),
            _b("summary", "What was found"),
            Field("area_ids", REFS, "Areas it supports (framework area ids or `area` ids)", targets=("area",)),
            Field("statement_ids", REFS, "Evaluation statements it supports", targets=("evaluation",)),
            Field("priority_ids", REFS, "Plan priorities it relates to", targets=("priority",)),
            Field("national_priority_ids", REFS, "National priority tags (resources/frameworks)"),
        ),
        title_field="title",
        searchable=("title", "summary"),
    )
)
_register(
    RecordType(
        "attachment",
        "A file attached to a record; the file is stored by its SHA-256 in the data folder.",
        (
            _t("name", "Original file name", required=True),
            Field("size", INT, "Size in bytes", required=True),
            _t("sha256", "SHA-256 of the content (hex); the stored file's name", required=True),
            _t("media_type", "Media type, e.g. application/pdf"),
            Field("attached_to", REF, "The record it belongs to", targets=("evidence", "progress_review")),
        ),
        title_field="name",
        searchable=("name",),
    )
)
_register(
    RecordType(
        "priority",
        "A priority of the School Development Plan, with its per-priority statutory parts.",
        (
            Field("plan_id", REF, "The plan it belongs to", targets=("plan",), required=True),
            _b("title", "Short title", required=True),
            _b("rationale", "Why this is a priority"),
            Field("area_ids", REFS, "Evaluation areas behind it", targets=("area",)),
            Field("statement_ids", REFS, "Evaluation statements behind it", targets=("evaluation",)),
            Field("evidence_ids", REFS, "Evidence behind it", targets=("evidence",)),
            Field("national_priority_ids", REFS, "National priority tags"),
            _t("lead", "Member of staff who leads it (a name)"),
            Field("start_year", INT, "First academic year it runs"),
            Field("end_year", INT, "Last academic year it runs"),
            _b("expected_outcomes", "Targets and expected outcomes"),
            _b("strategy", "How it will be achieved"),
            _b("professional_learning", "Professional learning that supports it"),
            _b("community_work", "Work with pupils, families and the community"),
            _b("resources", "Use of staff and money"),
            Field("position", INT, "Order within the plan"),
            Field("origin_id", REF, "The priority this one was carried forward from", targets=("priority",)),
            Field("year_end", JSON, 'Per year outcome: {"2025": {"met": "met"|"partly"|"not_met", "why_not": {"cy","en"}}}'),
        ),
        title_field="title",
        searchable=("title", "rationale", "expected_outcomes", "strategy", "professional_learning", "community_work", "resources", "lead"),
    )
)
_register(
    RecordType(
        "action",
        "An action towards a priority.",
        (
            Field("priority_id", REF, "The priority it serves", targets=("priority",), required=True),
            _b("description", "What will be done", required=True),
            _t("lead", "Who does it (a name)"),
            Field("start_date", DATE, "Start (local date)"),
            Field("due_date", DATE, "Due (local date)"),
            Field("status", ENUM, "Status (due/overdue are derived)", choices=ACTION_STATUSES),
            Field("cost_pence", PENCE, "Planned cost in pence"),
            Field("committed_pence", PENCE, "Money committed so far, in pence (see docs/decisions.md)"),
            Field("funding_source", ENUM, "Where the money comes from", choices=FUNDING_SOURCES),
        ),
        title_field="description",
        searchable=("description", "lead"),
    )
)
_register(
    RecordType(
        "success_criterion",
        "A success criterion of a priority, measurable where possible.",
        (
            Field("priority_id", REF, "The priority it measures", targets=("priority",), required=True),
            _b("description", "The criterion", required=True),
            Field("baseline", NUMBER, "Baseline value (optional)"),
            Field("target", NUMBER, "Target value (optional)"),
            Field("actual", NUMBER, "Latest actual value (optional)"),
            _t("unit", "Unit of the values, e.g. %"),
            Field("status", ENUM, "Status", choices=CRITERION_STATUSES),
        ),
        title_field="description",
        searchable=("description",),
    )
)
_register(
    RecordType(
        "progress_review",
        "A termly review of progress on a priority.",
        (
            Field("priority_id", REF, "The priority reviewed", targets=("priority",), required=True),
            Field("date", DATE, "Date of the review", required=True),
            Field("academic_year", INT, "Academic year (2025 = 2025–26)", required=True),
            Field("term", ENUM, "Term", choices=TERMS, required=True),
            Field("rag", ENUM, "Red / amber / green, always shown with its word", choices=RAG, required=True),
            _b("commentary", "Commentary"),
            Field("evidence_ids", REFS, "Evidence behind the judgement", targets=("evidence",)),
        ),
        searchable=("commentary",),
    )
)
_register(
    RecordType(
        "indicator",
        "A quantitative measure over time, aggregated (never pupil-level).",
        (
            _b("title", "What is measured", required=True),
            _b("description", "How it is measured"),
            _t("unit", "Unit, e.g. % or points"),
            Field(
                "values",
                JSON,
                'Values by period: [{"period": "2025-26 autumn", "value": 94.1, "cohort": 212}]',
            ),
            _t("transition_point", "Transition point it measures, e.g. Y6-Y7 (optional)"),
            Field("priority_ids", REFS, "Priorities it informs", targets=("priority",)),
            Field("area_ids", REFS, "Areas it informs", targets=("area",)),
        ),
        title_field="title",
        searchable=("title", "description"),
    )
)
_register(
    RecordType(
        "report_issue",
        "A report as issued: what it was and what it drew on.",
        (
            Field("kind", ENUM, "Kind of report", choices=REPORT_KINDS, required=True),
            Field("academic_year", INT, "Academic year (2025 = 2025–26)"),
            Field("term", ENUM, "Term", choices=TERMS),
            Field("language", ENUM, "Language of the report", choices=REPORT_LANGUAGES, required=True),
            Field("sections", JSON, "Ids of the sections included, in order"),
            Field("sources", JSON, 'Records it drew on: [{"id", "type", "rev"}]'),
            _t("pdf_sha256", "SHA-256 of the issued PDF"),
            Field("issued_on", DATE, "Date of issue"),
        ),
    )
)

_register(
    RecordType(
        "review_visit",
        "A peer review visit, written by the host school: what it asks, who comes, what they may see.",
        (
            _b("host_name", "The host school's name", required=True),
            Field("start_date", DATE, "First day of the visit", required=True),
            Field("end_date", DATE, "Last day of the visit"),
            Field("kind", ENUM, "Kind of visit", choices=VISIT_KINDS, required=True),
            Field(
                "questions",
                JSON,
                'The questions the host chose: [{"id", "text": {"cy","en"}, "area_ids": [...], '
                '"statement_ids": [...], "priority_ids": [...]}]',
            ),
            Field(
                "team",
                JSON,
                'The team: [{"identity_id", "name", "role": "lead"|"reviewer"|"link_leader"}]',
            ),
            Field("status", ENUM, "Where the visit is", choices=VISIT_STATUSES, required=True),
            Field("follow_up", DATE, "When the host looks again at what the visit found"),
            Field(
                "shared_record_ids",
                REFS,
                "Records the host chose for this visit beyond those shared with peers or the LA",
            ),
            Field("share_findings", BOOL, "The host shares the agreed findings and its responses with its LA"),
        ),
        title_field="host_name",
        searchable=("host_name",),
    )
)
_register(
    RecordType(
        "review_note",
        "A reviewer's note of one activity during a visit (owned by the reviewer).",
        (
            _t("visit_id", "The visit (the host's review_visit id)", required=True),
            Field("kind", ENUM, "Kind of activity", choices=REVIEW_NOTE_KINDS, required=True),
            _t("time", "When it happened, local time YYYY-MM-DDTHH:MM"),
            _t("place", "Where it happened"),
            _t("host_participant", "Who from the host school took part"),
            Field("question_ids", JSON, "Ids of the visit's questions it informs: [...]"),
            _b("text", "What was seen and heard"),
        ),
        searchable=("text", "place"),
    )
)
_register(
    RecordType(
        "review_finding",
        "The findings for one question of a visit (owned by the lead reviewer). No grades.",
        (
            _t("visit_id", "The visit (the host's review_visit id)", required=True),
            _t("question_id", "The visit's question it answers", required=True),
            _b("strengths", "Strengths"),
            _b("areas_for_development", "Areas for development"),
            _b("practice_worth_sharing", "Practice worth sharing"),
            _b("lines_of_enquiry", "Lines of further enquiry"),
            Field("note_ids", REFS, "The notes behind it", targets=("review_note",)),
            Field("agreed", BOOL, "Agreed with the host"),
            Field("agreed_on", DATE, "When it was agreed"),
            Field("authors", JSON, "Names of the reviewers who wrote it: [...]"),
        ),
        searchable=("strengths", "areas_for_development", "practice_worth_sharing", "lines_of_enquiry"),
    )
)
_register(
    RecordType(
        "review_response",
        "The host's response to one finding: agree, a correction or a comment.",
        (
            _t("visit_id", "The visit", required=True),
            _t("finding_id", "The finding it answers (a reviewer's record)", required=True),
            Field("response", ENUM, "Agree, correction or comment", choices=RESPONSE_KINDS, required=True),
            _b("text", "The correction or comment"),
            Field("action_id", REF, "The plan action made from the finding", targets=("action",)),
        ),
        searchable=("text",),
    )
)
_register(
    RecordType(
        "review_report",
        "The agreed report of a visit as the host's own copy: the findings, their authors, the date.",
        (
            _t("visit_id", "The visit", required=True),
            Field(
                "findings",
                JSON,
                'Copies of the agreed findings: [{"finding_id", "question_id", "strengths", '
                '"areas_for_development", "practice_worth_sharing", "lines_of_enquiry" '
                '(each {"cy","en"}), "authors"}]',
            ),
            Field("authors", JSON, "Names of the reviewers who wrote the report: [...]"),
            Field("agreed_on", DATE, "When the report was agreed", required=True),
        ),
    )
)
_register(
    RecordType(
        "review_summary",
        "What an LA may know of a visit (kept by the host from the visit): that it happened, "
        "when, its kind, the partner schools, the questions' areas and its status.",
        (
            _t("visit_id", "The visit", required=True),
            Field("start_date", DATE, "First day of the visit"),
            Field("end_date", DATE, "Last day of the visit"),
            Field("kind", ENUM, "Kind of visit", choices=VISIT_KINDS),
            Field("partner_schools", JSON, 'The reviewing schools: [{"cy", "en"}]'),
            Field("area_ids", JSON, "The evaluation areas of the visit's questions: [...]"),
            Field("status", ENUM, "Where the visit is", choices=VISIT_STATUSES),
        ),
    )
)

_register(
    RecordType(
        "partnership",
        "A partnership of schools the school takes part in: a cluster, a secondary and its feeder "
        "primaries, a federation, ...",
        (
            Field("kind", ENUM, "Kind of partnership", choices=PARTNERSHIP_KINDS, required=True),
            _b("name", "The partnership's name", required=True),
            Field(
                "partners",
                JSON,
                'The other schools: [{"number": "NNN/NNNN" or "", "identity_id": "" or an id, '
                '"name": {"cy","en"}}] (from the LA\'s list of schools, or typed)',
            ),
            _b("purpose", "What the schools work together for"),
            Field("priority_ids", REFS, "Plan priorities it serves", targets=("priority",)),
            Field("maturity", ENUM, "Self-assessed maturity (four steps)", choices=MATURITY_STEPS),
            _b("maturity_note", "Why the school chose that step"),
            Field("start_date", DATE, "When the partnership began"),
            Field("end_date", DATE, "When it ended (empty while it runs)"),
        ),
        title_field="name",
        searchable=("name", "purpose", "maturity_note"),
    )
)
_register(
    RecordType(
        "joint_activity",
        "Something the schools of a partnership did together: who took part, what changed.",
        (
            Field("partnership_id", REF, "The partnership", targets=("partnership",), required=True),
            _b("title", "Short title", required=True),
            Field("start_date", DATE, "First day", required=True),
            Field("end_date", DATE, "Last day (empty: one day)"),
            _b("participants", "Who took part (names, roles, schools)"),
            _b("what_changed", "What changed as a result"),
            Field("priority_ids", REFS, "Plan priorities it served", targets=("priority",)),
        ),
        title_field="title",
        searchable=("title", "participants", "what_changed"),
    )
)


def record_type(name: str) -> RecordType:
    try:
        return RECORD_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown record type {name!r}") from None


_TYPE_LABELS = {
    "school": N_("School"),
    "plan": N_("Development plan"),
    "area": N_("Area"),
    "evaluation": N_("Evaluation"),
    "evidence": N_("Evidence"),
    "attachment": N_("Attachment"),
    "priority": N_("Priority"),
    "action": N_("Action"),
    "success_criterion": N_("Success criterion"),
    "progress_review": N_("Progress review"),
    "indicator": N_("Indicator"),
    "report_issue": N_("Issued report"),
    "review_visit": N_("Peer review visit"),
    "review_note": N_("Visit note"),
    "review_finding": N_("Finding"),
    "review_response": N_("Response to a finding"),
    "review_report": N_("Agreed visit report"),
    "partnership": N_("Partnership"),
    "joint_activity": N_("Joint activity"),
    "review_summary": N_("Visit summary"),
}


def type_label(name: str) -> str:
    """The record type's name for people, in the current language."""
    from selfeval_app.core.i18n import _

    return _(_TYPE_LABELS[name]) if name in _TYPE_LABELS else name


# A school's own workspace: its self-evaluation, evidence, plan, reports and partnerships. Another
# owner's records of these types arrive too (a host's in a peer review pack on a head's laptop that
# also reviews; every school's at an LA), so `RecordStore.list` and `count` give only the viewing
# scope's owners of these types unless asked for others (DESIGN §4; docs/decisions.md 2026-12-03).
WORKSPACE_TYPES = frozenset(name for name in RECORD_TYPES if name != "school" and name not in PEER_REVIEW_TYPES)
