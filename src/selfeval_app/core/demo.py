"""The example school behind `selfeval demo` (DESIGN §10): a realistic bilingual Welsh-medium
primary school, built through the ordinary record API.

`build_example_school` is "create or refresh", and idempotent:
- every example record has a fixed id (uuid5 of `EXAMPLE_NAMESPACE` and a stable key), so a second
  run finds the records of the first instead of adding new ones;
- a refresh rewrites each example record to its canonical content (every field, not a merge); when
  nothing differs, `RecordStore.update` makes no new rev, so a run on the same day changes nothing;
- an example record the user deleted is brought back; a purged one is made again with its id;
- records the example did not create (other ids) are never read for writing, changed or deleted.

Dates follow "today" (passed in, default `date.today()`): the plan began in the previous academic
year, and the current one is `academic_year_of(today)`, so two academic years of evaluations and
reviews exist, some actions are overdue and one is due within 14 days whenever the example is built.

The example has its own owner, `EXAMPLE_OWNER`, a fixed UUID that exchange refuses to send, and the
database is marked `is_example`. The owner is set only on a new, empty database; an existing
database of a real school is refused with ValueError (the CLI refuses it first, in both languages).

The Welsh is written as a Welsh-medium school writes it: concise, with a few texts in one language
only (as real schools do), and Welsh letters (ŵ ŷ â ê î ô û) and apostrophes (’ and ') in the text.
No pupil is named anywhere; staff appear by name, as in real plans.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import uuid
from pathlib import Path
from typing import Any

from selfeval_app.core.clock import FixedClock, academic_year_of
from selfeval_app.core.database import Database, open_database
from selfeval_app.core.errors import RecordNotFoundError
from selfeval_app.core.plan_years import period_key, year_label
from selfeval_app.core.record_types import RECORD_TYPES, record_type
from selfeval_app.core.records import RecordStore
from selfeval_app.core.school_profile import check_school

EXAMPLE_OWNER = "00000000-0000-4000-8000-0000000e5a01"
EXAMPLE_NAMESPACE = uuid.UUID("6f1d3c2a-5b7e-5a44-9c1e-0e5a01000000")


def example_id(key: str) -> str:
    """The fixed id of one example record (or statement, or prompt)."""
    return str(uuid.uuid5(EXAMPLE_NAMESPACE, key))


EXAMPLE_SCHOOL_ID = example_id("school:school")

FRAMEWORK_ID = "estyn-2024"
A1, A2, A3 = "estyn-2024-1", "estyn-2024-2", "estyn-2024-3"
OWN_AREA = example_id("area:welsh")

# Staff (names in text are fine; there are no pupil-level records or names)
HEAD = "Mrs Siân Lloyd"
DEPUTY = "Mr Dafydd ap Gwyn"
NUMERACY_LEAD = "Mr Rhodri Wyn"
WELFARE_LEAD = "Mrs Catrin Huws"
WELSH_LEAD = "Mrs Nia Rowlands"
ALNCO = "Miss Elen Prys"


def T(cy: str, en: str) -> dict[str, str]:  # noqa: N802 - reads like the data it builds
    """A bilingual text; either side may be empty."""
    return {"cy": cy, "en": en}


ay = year_label  # an academic year for people: 2025 -> '2025–26'
period = period_key  # an indicator period, as in the record docs: '2025-26 autumn'


def _framework_version() -> str:
    try:
        from selfeval_app.core.framework import load_framework

        return load_framework(FRAMEWORK_ID).version
    except Exception:  # noqa: BLE001 - the example still builds if framework data cannot load
        return "2024.1"


# --- owner -----------------------------------------------------------------------------------


def _has_any_records(db: Database) -> bool:
    if db.conn.execute("SELECT 1 FROM change_log LIMIT 1").fetchone():
        return True
    return any(db.conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in RECORD_TYPES)


def _claim_example_owner(db: Database) -> None:
    """Make the database the example school's: only a new (empty) database, or one already the example."""
    if db.meta("school_owner") == EXAMPLE_OWNER and db.meta("is_example") == "1":
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if _has_any_records(db):
            raise ValueError(
                f"{db.data_dir} holds another school's records; the example school is only built "
                "in a new data folder or refreshed in its own"
            )
        from selfeval_app.core.identities import claim_primary_identity

        claim_primary_identity(db, EXAMPLE_OWNER, role="school")
        db.set_meta("is_example", "1")
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


# --- create or refresh -------------------------------------------------------------------------


class _Builder:
    def __init__(self, store: RecordStore, today: dt.date):
        self.store = store
        self.today = today
        self.cur = academic_year_of(today)
        self.prev = self.cur - 1
        self.counts: dict[str, int] = {name: 0 for name in RECORD_TYPES}

    # dates -----------------------------------------------------------------------------------

    def day(self, year: int, month: int, day: int) -> dt.date:
        """A calendar day in academic year `year` (September–December fall in `year` itself)."""
        return dt.date(year if month >= 9 else year + 1, month, day)

    def past(self, year: int, month: int, day: int) -> str:
        """A day that must already have happened: never after today."""
        return min(self.day(year, month, day), self.today).isoformat()

    def ahead(self, year: int, month: int, day: int, *, at_least: int = 30) -> str:
        """A due date that must stay in the future, comfortably beyond the 14-day "due" window."""
        return max(self.day(year, month, day), self.today + dt.timedelta(days=at_least)).isoformat()

    def rel(self, days: int) -> str:
        return (self.today + dt.timedelta(days=days)).isoformat()

    # writing ---------------------------------------------------------------------------------

    def put(self, type_name: str, key: str, values: dict[str, Any], *, visibility: str = "private") -> str:
        """Create the record with its fixed id, or bring it back to its canonical content."""
        t = record_type(type_name)
        rid = example_id(f"{type_name}:{key}")
        full: dict[str, Any] = {}
        for f in t.fields:
            value = values.get(f.name)
            if f.kind == "bitext":
                value = {"cy": (value or {}).get("cy", ""), "en": (value or {}).get("en", "")}
            full[f.name] = value
        unknown = set(values) - set(full)
        if unknown:
            raise ValueError(f"{type_name} has no field(s) {sorted(unknown)}")
        existing = self.store.get(type_name, rid, include_deleted=True)
        if existing is None:
            self.store.create(type_name, full, visibility=visibility, record_id=rid)
        else:
            if existing["deleted"]:
                try:
                    self.store.undelete(type_name, rid)
                except RecordNotFoundError:
                    pass
            self.store.update_change(type_name, rid, full, visibility=visibility)
        self.counts[type_name] += 1
        return rid

    # content ---------------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        self.school()
        self.plan()
        self.area()
        self.evaluations()
        self.priorities()
        self.evidence()
        self.attachments()
        self.criteria()
        self.actions()
        self.reviews()
        self.indicators()
        self.report()
        self.visit()
        self.collaboration()
        return dict(self.counts)

    def collaboration(self) -> None:
        """Partnerships (issue 13): the cluster with schools of the example LA (shared with the
        LA; the cluster's secondary names this school too, so the LA sees the link both ways),
        and a partnership kept private, which never leaves the school."""
        cluster = self.put(
            "partnership",
            "cluster",
            {
                "kind": "cluster",
                "name": T("Clwstwr Ysgol Gyfun Cwm Gwennol", "Cwm Gwennol Comprehensive cluster"),
                "partners": [
                    {"number": "669/4012", "identity_id": "", "name": T("Ysgol Gyfun Cwm Gwennol", "Cwm Gwennol Comprehensive School")},
                    {"number": "669/2101", "identity_id": "", "name": T("Ysgol Gynradd y Dderwen", "Derwen Primary School")},
                ],
                "purpose": T(
                    "Pontio o Flwyddyn 6 i Flwyddyn 7, a darllen ar draws y clwstwr.",
                    "Transition from Year 6 to Year 7, and reading across the cluster.",
                ),
                "priority_ids": [self.pid("reading"), self.pid("attendance-1")],
                "maturity": "developing",
                "maturity_note": T(
                    "Mae athrawon Blwyddyn 6 a 7 yn cyfarfod bob tymor; nid ydym eto'n mesur yr effaith.",
                    "Year 6 and 7 teachers meet every term; we do not yet measure the impact.",
                ),
                "start_date": self.past(self.prev, 9, 15),
            },
            visibility="la",
        )
        self.put(
            "joint_activity",
            "cluster-reading",
            {
                "partnership_id": cluster,
                "title": T("Diwrnod darllen y clwstwr", "Cluster reading day"),
                "start_date": self.past(self.cur, 10, 8),
                "participants": T("Athrawon Blwyddyn 6 a 7, y cydlynydd llythrennedd", "Year 6 and 7 teachers, the literacy coordinator"),
                "what_changed": T(
                    "Mae'r ddwy ysgol yn defnyddio'r un rhestr o lyfrau ar gyfer Blwyddyn 6 a 7.",
                    "Both schools use the same reading list for Years 6 and 7.",
                ),
                "priority_ids": [self.pid("reading")],
            },
            visibility="la",
        )
        self.put(
            "joint_activity",
            "cluster-attendance",
            {
                "partnership_id": cluster,
                "title": T("Rhannu arfer ar bresenoldeb", "Sharing practice on attendance"),
                "start_date": self.past(self.cur, 11, 12),
                "participants": T("Penaethiaid a swyddogion lles", "Heads and welfare officers"),
                "what_changed": T("Llythyr cyffredin i rieni am absenoldeb.", "A common letter to parents about absence."),
            },
            visibility="la",
        )
        private = self.put(
            "partnership",
            "federation-talks",
            {
                "kind": "federation",
                "name": T("Trafodaethau ffedereiddio", "Federation talks"),
                "partners": [{"number": "", "identity_id": "", "name": T("Ysgol Gynradd Llan-y-Nant", "Llan-y-Nant Primary School")}],
                "purpose": T("Trafodaethau cynnar, cyfrinachol.", "Early, confidential talks."),
                "maturity": "starting",
            },
        )
        self.put(
            "joint_activity",
            "federation-meeting",
            {
                "partnership_id": private,
                "title": T("Cyfarfod cyntaf y llywodraethwyr", "First governors' meeting"),
                "start_date": self.past(self.cur, 11, 20),
            },
        )

    def visit(self) -> None:
        """The example visit as host (issue 12); its reviewer's side is `demo --role reviewer`."""
        from selfeval_app.core.demo_review import host_visit
        from selfeval_app.core.peer_review_host import summary_values

        rid = self.put("review_visit", "peer-review", host_visit(self.today))
        # What the LA may know of it (core/peer_review_host.py): that it happened, no findings.
        self.put("review_summary", "peer-review", summary_values(self.store.require("review_visit", rid)), visibility="la")

    def school(self) -> None:
        profile = {
            "name": T("Ysgol Gymraeg Bro’r Wennol", "Ysgol Gymraeg Bro’r Wennol"),
            "la_code": 669,
            "establishment_number": "669/2318",
            "cluster": "Clwstwr Ysgol Gyfun Cwm Gwennol",
            "phase": "primary",
            "language_category": "primarily-welsh",
            "writes_in": "both",
            "is_example": True,
        }
        problems = check_school(profile)  # the same checks as the window's and the CLI's
        if problems:
            raise ValueError(f"the example school's profile is not valid: {problems}")
        rid = self.put("school", "school", profile, visibility="la")
        assert rid == EXAMPLE_SCHOOL_ID

    def plan(self) -> None:
        p, c = self.prev, self.cur
        self.plan_id = self.put(
            "plan",
            "plan",
            {
                "title": T(f"Cynllun Datblygu Ysgol {p}–{p + 3}", f"School Development Plan {p}–{p + 3}"),
                "start_year": p,
                "approved_on": self.day(p - 1, 7, 9).isoformat(),
                "revisions": [
                    {
                        "date": self.past(c, 10, 14),
                        "note": T(
                            "Adolygiad blynyddol: ychwanegwyd blaenoriaeth ar y Gymraeg y tu allan i’r dosbarth, "
                            "a pharhawyd â’r flaenoriaeth presenoldeb.",
                            "Annual revision: added a priority on Welsh outside the classroom, and continued "
                            "the attendance priority.",
                        ),
                    }
                ],
                "strategy": T(
                    "Canolbwyntio ar ychydig o flaenoriaethau sy’n deillio o’n hunanwerthuso. Mae gan bob "
                    "blaenoriaeth arweinydd, deilliannau disgwyliedig, meini prawf llwyddiant a chostau clir, ac "
                    "rydym yn adolygu’r "
                    "cynnydd bob tymor gyda’r llywodraethwyr. Rydym yn cydweithio â’r clwstwr ar bontio ac ar "
                    "ddysgu proffesiynol.",
                    "We focus on a few priorities that come from our self-evaluation. Each priority has a lead, "
                    "expected outcomes, success criteria and clear costs, and we review progress every term with governors. We work "
                    "with the cluster on transition and on professional learning.",
                ),
                "targets_review": T(
                    f"Cyrhaeddwyd y targedau darllen yn {ay(p)}. Ni chyrhaeddwyd y targed presenoldeb (93.9% yn "
                    "erbyn 95%): er i absenoldeb parhaus ostwng, roedd presenoldeb rhai teuluoedd yn dal yn isel, "
                    "felly mae’r flaenoriaeth yn parhau eleni.",
                    f"The reading targets were met in {ay(p)}. The attendance target was not met (93.9% against "
                    "95%): although persistent absence fell, attendance in some families stayed low, so the "
                    "priority continues this year.",
                ),
            },
            visibility="la",
        )

    def area(self) -> None:
        rid = self.put(
            "area",
            "welsh",
            {
                "code": "BW1",
                "title": T("Y Gymraeg a Chymreictod", "Welsh language and Welshness"),
                "description": T(
                    "Defnydd dysgwyr o’r Gymraeg y tu hwnt i’r dosbarth, a’u hymdeimlad o berthyn i’w cymuned "
                    "a’u hardal.",
                    "Learners’ use of Welsh beyond the classroom, and their sense of belonging to their "
                    "community and area.",
                ),
                "prompts": [
                    {
                        "id": example_id("prompt:welsh-yard"),
                        "cy": "Pa mor aml y mae dysgwyr yn dewis siarad Cymraeg â’i gilydd ar yr iard ac mewn clybiau?",
                        "en": "How often do learners choose to speak Welsh to each other on the yard and in clubs?",
                    },
                    {
                        "id": example_id("prompt:welsh-home"),
                        "cy": "Sut rydym yn cefnogi teuluoedd di-Gymraeg i ddefnyddio’r iaith gartref?",
                        "en": "How do we support families who do not speak Welsh to use the language at home?",
                    },
                    {
                        "id": example_id("prompt:cynefin"),
                        "cy": "Pa mor dda y mae’r cwricwlwm yn defnyddio’r cynefin a hanes lleol?",
                        "en": "How well does the curriculum use the cynefin and local history?",
                    },
                ],
            },
            visibility="peers",
        )
        assert rid == OWN_AREA

    # evaluations -----------------------------------------------------------------------------

    def s(self, key: str, kind: str, cy: str, en: str) -> dict[str, Any]:
        return {"id": self.sid(key), "kind": kind, "text": T(cy, en)}

    @staticmethod
    def sid(key: str) -> str:
        return example_id(f"statement:{key}")

    def evaluations(self) -> None:
        p, c = self.prev, self.cur
        version = _framework_version()
        content = {
            (A1, p): (
                T(
                    "Mae’r rhan fwyaf o ddysgwyr yn gwneud cynnydd cadarn o’u mannau cychwyn. Mae medrau llafar "
                    "Cymraeg yn gryf erbyn Blwyddyn 2, ond mae darllen yn Saesneg ym Mlynyddoedd 3 a 4 yn llai "
                    "cyson. Nid yw dysgwyr yn cymhwyso’u medrau rhifedd yn ddigon aml ar draws y cwricwlwm.",
                    "Most learners make solid progress from their starting points. Oral Welsh skills are strong "
                    "by Year 2, but reading in English in Years 3 and 4 is less consistent. Learners do not apply "
                    "their numeracy skills often enough across the curriculum.",
                ),
                [
                    self.s("a1p-oracy", "strength",
                           "Mae medrau llafar Cymraeg dysgwyr yn datblygu’n gryf yn y blynyddoedd cynnar.",
                           "Learners’ oral Welsh skills develop strongly in the early years."),
                    self.s("a1p-reading", "development",
                           "Mae cynnydd darllen yn Saesneg ym Mlynyddoedd 3 a 4 yn anghyson.",
                           "Progress in English reading in Years 3 and 4 is inconsistent."),
                    self.s("a1p-numeracy", "development",
                           "Prin yw’r cyfleoedd i ddysgwyr gymhwyso’u medrau rhifedd mewn cyd-destunau go iawn.",
                           "Learners have few opportunities to apply their numeracy skills in real contexts."),
                    self.s("a1p-next", "next_step",
                           "Cyflwyno rhaglen ddarllen strwythuredig ym Mlynyddoedd 3–6.",
                           "Introduce a structured reading programme in Years 3–6."),
                ],
            ),
            (A1, c): (
                T(
                    "Mae’r rhaglen ddarllen newydd yn dechrau cael effaith: mae oedran darllen y rhan fwyaf o "
                    "ddysgwyr Blynyddoedd 3–6 wedi codi’n gyflymach na’r llynedd. Mae teithiau dysgu’n dangos bod "
                    "rhesymu rhifyddol yn gwella ym Mlynyddoedd 5 a 6, ond nid eto ym Mlynyddoedd 3 a 4.",
                    "The new reading programme is starting to have an impact: most Year 3–6 learners’ reading "
                    "ages have risen faster than last year. Learning walks show numerical reasoning improving in "
                    "Years 5 and 6, but not yet in Years 3 and 4.",
                ),
                [
                    self.s("a1c-reading", "strength",
                           "Mae’r rhan fwyaf o ddysgwyr Blynyddoedd 3–6 yn gwneud cynnydd da mewn darllen.",
                           "Most Year 3–6 learners make good progress in reading."),
                    self.s("a1c-book-talk", "strength",
                           "Mae dysgwyr hŷn yn trafod llyfrau’n frwd ac yn cyfiawnhau eu barn yn huawdl.",
                           ""),
                    self.s("a1c-numeracy", "development",
                           "Nid yw dysgwyr Blynyddoedd 3 a 4 yn esbonio’u dulliau rhifyddol yn ddigon clir eto.",
                           "Year 3 and 4 learners do not yet explain their numerical methods clearly enough."),
                    self.s("a1c-next", "next_step",
                           "Rhannu arfer dda o ran rhesymu rhifyddol o Flwyddyn 5 i Flynyddoedd 3 a 4.",
                           "Share good practice in numerical reasoning from Year 5 with Years 3 and 4."),
                ],
            ),
            (A2, p): (
                T(
                    "Mae dysgwyr yn teimlo’n ddiogel ac yn cael eu gwerthfawrogi, ac mae ymddygiad yn dda iawn. "
                    "Mae’r ddarpariaeth ADY wedi’i threfnu’n dda. Fodd bynnag, mae presenoldeb yn is na’n targed, "
                    "yn enwedig ymhlith dysgwyr sy’n gymwys i gael prydau ysgol am ddim.",
                    "Learners feel safe and valued, and behaviour is very good. ALN provision is well organised. "
                    "However, attendance is below our target, especially among learners eligible for free school "
                    "meals.",
                ),
                [
                    self.s("a2p-safe", "strength",
                           "Mae dysgwyr yn teimlo’n ddiogel ac yn gwybod at bwy i droi am help.",
                           "Learners feel safe and know whom to turn to for help."),
                    self.s("a2p-idp", "strength",
                           "Mae cynlluniau datblygu unigol yn cael eu llunio ar y cyd â theuluoedd.",
                           "Individual development plans are drawn up jointly with families."),
                    self.s("a2p-attendance", "development",
                           "Mae presenoldeb dysgwyr sy’n gymwys i gael prydau ysgol am ddim yn is na phresenoldeb "
                           "eu cyfoedion.",
                           "Attendance of learners eligible for free school meals is lower than that of their peers."),
                    self.s("a2p-next", "next_step",
                           "Cysylltu’n gynnar â theuluoedd pan fydd presenoldeb yn gostwng.",
                           "Contact families early when attendance falls."),
                ],
            ),
            (A2, c): (
                T(
                    "Mae presenoldeb wedi gwella ers mis Medi, ond mae’r bwlch rhwng dysgwyr sy’n gymwys i gael "
                    "prydau ysgol am ddim a’u cyfoedion yn parhau. Mae llais y dysgwr yn dangos bod lles yn gryf a "
                    "bod dysgwyr yn mwynhau’r clybiau amser cinio newydd.",
                    "Attendance has improved since September, but the gap between learners eligible for free "
                    "school meals and their peers remains. Learner voice shows that well-being is strong and that "
                    "learners enjoy the new lunchtime clubs.",
                ),
                [
                    self.s("a2c-clubs", "strength",
                           "Mae’r clybiau amser cinio wedi lleihau chwarae garw ar yr iard.",
                           "The lunchtime clubs have reduced rough play on the yard."),
                    self.s("a2c-gap", "development",
                           "Mae’r bwlch presenoldeb rhwng dysgwyr sy’n gymwys i gael prydau ysgol am ddim a’u "
                           "cyfoedion yn dal yn 3.1 pwynt canran.",
                           "The attendance gap between learners eligible for free school meals and their peers is "
                           "still 3.1 percentage points."),
                    self.s("a2c-next", "next_step",
                           "Cynnal bore coffi misol i deuluoedd er mwyn trafod presenoldeb mewn ffordd gefnogol.",
                           ""),
                ],
            ),
            (A3, p): (
                T(
                    "Mae gan yr arweinwyr weledigaeth glir sy’n cael ei rhannu gan staff a llywodraethwyr. Mae’r "
                    "hunanwerthuso’n seiliedig ar dystiolaeth uniongyrchol, ond roedd gormod o flaenoriaethau yn y "
                    "cynllun blaenorol. Mae’r llywodraethwyr yn gefnogol, ond maen nhw’n herio llai ar y defnydd "
                    "o’r Grant Datblygu Disgyblion.",
                    "Leaders have a clear vision shared by staff and governors. Self-evaluation is based on "
                    "first-hand evidence, but the previous plan had too many priorities. Governors are supportive, "
                    "but they challenge less on the use of the Pupil Development Grant.",
                ),
                [
                    self.s("a3p-evidence", "strength",
                           "Mae’r hunanwerthuso’n defnyddio teithiau dysgu, craffu ar waith a llais y dysgwr yn "
                           "rheolaidd.",
                           "Self-evaluation regularly uses learning walks, work scrutiny and learner voice."),
                    self.s("a3p-too-many", "development",
                           "Roedd gormod o flaenoriaethau yn y cynllun datblygu ysgol blaenorol.",
                           "The previous school development plan had too many priorities."),
                    self.s("a3p-next", "next_step",
                           "Cyfyngu’r cynllun newydd i bedair blaenoriaeth, gyda meini prawf llwyddiant mesuradwy.",
                           "Limit the new plan to four priorities, with measurable success criteria."),
                ],
            ),
            (A3, c): (
                T(
                    "Mae’r cynllun datblygu ysgol yn fyrrach ac yn canolbwyntio ar bedair blaenoriaeth. Mae’r "
                    "adolygiadau tymhorol yn rhoi darlun clir i’r llywodraethwyr. Mae dysgu proffesiynol ar y cyd "
                    "â’r clwstwr wedi gwella’r addysgu darllen.",
                    "The school development plan is shorter and focuses on four priorities. Termly reviews give "
                    "governors a clear picture. Professional learning with the cluster has improved the teaching "
                    "of reading.",
                ),
                [
                    self.s("a3c-governors", "strength",
                           "Mae’r llywodraethwyr yn gofyn cwestiynau heriol am gynnydd y blaenoriaethau.",
                           "Governors ask challenging questions about progress on the priorities."),
                    self.s("a3c-peer", "strength",
                           "Cadarnhaodd yr adolygiad cymheiriaid gyda’r clwstwr ein barn am yr addysgu darllen.",
                           "The peer review with the cluster confirmed our view of the teaching of reading."),
                    self.s("a3c-pdg", "development",
                           "Nid yw gwariant y Grant Datblygu Disgyblion wedi’i gysylltu’n ddigon clir ag effaith eto.",
                           "Spending of the Pupil Development Grant is not yet linked clearly enough to impact."),
                    self.s("a3c-next", "next_step",
                           "Adrodd i’r llywodraethwyr bob tymor ar effaith y Grant Datblygu Disgyblion.",
                           "Report to governors each term on the impact of the Pupil Development Grant."),
                ],
            ),
            (OWN_AREA, c): (
                T(
                    "Mae’r rhan fwyaf o ddysgwyr yn siarad Cymraeg yn y dosbarth, ond mae llawer yn troi i’r "
                    "Saesneg ar yr iard, yn enwedig ym Mlynyddoedd 5 a 6. Mae’r Criw Cymraeg yn rhoi bywyd newydd "
                    "i Siarter Iaith yr ysgol.",
                    "Most learners speak Welsh in class, but many switch to English on the yard, especially in "
                    "Years 5 and 6. The Criw Cymraeg is giving the school’s Welsh Language Charter new life.",
                ),
                [
                    self.s("own-criw", "strength",
                           "Mae’r Criw Cymraeg yn arwain gweithgareddau ar yr iard bob wythnos.",
                           "The Criw Cymraeg leads activities on the yard every week."),
                    self.s("own-yard", "development",
                           "Mae llawer o ddysgwyr Blynyddoedd 5 a 6 yn siarad Saesneg â’i gilydd y tu allan i’r "
                           "dosbarth.",
                           "Many Year 5 and 6 learners speak English to each other outside class."),
                    self.s("own-next", "next_step",
                           "Cynnwys teuluoedd di-Gymraeg yn ein gweithgareddau iaith.",
                           "Involve families who do not speak Welsh in our language activities."),
                ],
            ),
        }
        area_key = {A1: "a1", A2: "a2", A3: "a3", OWN_AREA: "own"}
        for (area_id, year), (narrative, statements) in content.items():
            copied = None
            if year == c and (area_id, p) in content:
                copied = example_id(f"evaluation:{area_key[area_id]}-0")
            visibility = "peers" if (year == c and area_id in (A1, A3)) else "private"
            self.put(
                "evaluation",
                f"{area_key[area_id]}-{year - self.prev}",
                {
                    "area_id": area_id,
                    "academic_year": year,
                    "framework_id": FRAMEWORK_ID,
                    "framework_version": version,
                    "narrative": narrative,
                    "statements": statements,
                    "copied_from": copied,
                },
                visibility=visibility,
            )

    # priorities ------------------------------------------------------------------------------

    @staticmethod
    def pid(key: str) -> str:
        return example_id(f"priority:{key}")

    @staticmethod
    def eid(key: str) -> str:
        return example_id(f"evidence:{key}")

    def priorities(self) -> None:
        p, c = self.prev, self.cur
        none = T("", "")
        self.put(
            "priority",
            "attendance-1",
            {
                "plan_id": self.plan_id,
                "title": T("Gwella presenoldeb", "Improve attendance"),
                "rationale": T(
                    f"Roedd presenoldeb yn 92.8% yn {ay(p - 1)}, yn is na chyfartaledd yr awdurdod lleol.",
                    f"Attendance was 92.8% in {ay(p - 1)}, below the local authority average.",
                ),
                "area_ids": [A2],
                "statement_ids": [self.sid("a2p-attendance")],
                "evidence_ids": [self.eid("attendance-autumn-1"), self.eid("attendance-year-1")],
                "national_priority_ids": ["attendance", "well-being"],
                "lead": WELFARE_LEAD,
                "start_year": p,
                "end_year": p,
                "expected_outcomes": T("Presenoldeb cyffredinol o 95% o leiaf.", "Overall attendance of at least 95%."),
                "strategy": T(
                    "Ffonio teuluoedd ar y diwrnod cyntaf o absenoldeb; gwobrau presenoldeb i ddosbarthiadau; "
                    "cyfarfodydd cymorth â theuluoedd.",
                    "Phoning families on the first day of absence; attendance awards for classes; support "
                    "meetings with families.",
                ),
                "professional_learning": none,
                "community_work": T(
                    "Gweithio gyda’r swyddog lles addysg a’r teuluoedd.",
                    "Working with the education welfare officer and families.",
                ),
                "resources": T(
                    "Amser y swyddfa; £1,350 o’r Grant Datblygu Disgyblion.",
                    "Office time; £1,350 from the Pupil Development Grant.",
                ),
                "position": 3,
                "origin_id": None,
                "year_end": {
                    str(p): {
                        "met": "partly",
                        "why_not": T(
                            "Cododd presenoldeb i 93.9%, ond roedd absenoldeb parhaus ymhlith nifer fach o deuluoedd.",
                            "Attendance rose to 93.9%, but persistent absence continued among a small number of "
                            "families.",
                        ),
                    }
                },
            },
            visibility="la",
        )
        self.put(
            "priority",
            "reading",
            {
                "plan_id": self.plan_id,
                "title": T("Codi safonau darllen ym Mlynyddoedd 3–6", "Raise standards of reading in Years 3–6"),
                "rationale": T(
                    "Dangosodd ein hunanwerthuso fod cynnydd darllen yn Saesneg ym Mlynyddoedd 3 a 4 yn anghyson, "
                    "a bod rhai dysgwyr yn darllen llai gartref.",
                    "Our self-evaluation showed that progress in English reading in Years 3 and 4 was "
                    "inconsistent, and that some learners read less at home.",
                ),
                "area_ids": [A1],
                "statement_ids": [self.sid("a1p-reading"), self.sid("a1p-next")],
                "evidence_ids": [self.eid("walk-reading-1"), self.eid("parents-1"), self.eid("reading-spring-1")],
                "national_priority_ids": ["literacy", "teaching-and-learning"],
                "lead": DEPUTY,
                "start_year": p,
                "end_year": p + 2,
                "expected_outcomes": T(
                    "Bydd 85% o ddysgwyr Blynyddoedd 3–6 yn darllen ar eu hoedran cronolegol neu’n uwch, yn "
                    "Gymraeg ac yn Saesneg.",
                    "85% of Year 3–6 learners will read at or above their chronological age, in Welsh and in "
                    "English.",
                ),
                "strategy": T(
                    "Rhaglen ddarllen strwythuredig dair gwaith yr wythnos; grwpiau ymyrraeth bach; llyfrgelloedd "
                    "dosbarth newydd.",
                    "A structured reading programme three times a week; small intervention groups; new class "
                    "libraries.",
                ),
                "professional_learning": T(
                    "Hyfforddiant ar addysgu darllen i bob athro a chynorthwyydd addysgu, ar y cyd â’r clwstwr.",
                    "Training on teaching reading for every teacher and teaching assistant, with the cluster.",
                ),
                "community_work": T(
                    "Sesiynau darllen i deuluoedd bob hanner tymor; benthyg llyfrau dros y gwyliau.",
                    "Reading sessions for families every half term; lending books over the holidays.",
                ),
                "resources": T(
                    "Cynorthwyydd addysgu am ddau fore’r wythnos (Grant Datblygu Disgyblion); £2,400 ar lyfrau.",
                    "A teaching assistant two mornings a week (Pupil Development Grant); £2,400 on books.",
                ),
                "position": 1,
                "origin_id": None,
                "year_end": {str(p): {"met": "met", "why_not": T("", "")}},
            },
            visibility="la",
        )
        self.put(
            "priority",
            "numeracy",
            {
                "plan_id": self.plan_id,
                "title": T(
                    "Datblygu rhesymu rhifyddol ar draws y cwricwlwm",
                    "Develop numerical reasoning across the curriculum",
                ),
                "rationale": T(
                    "Prin yw’r cyfleoedd i ddysgwyr gymhwyso’u medrau rhifedd mewn cyd-destunau go iawn.",
                    "Learners have few opportunities to apply their numeracy skills in real contexts.",
                ),
                "area_ids": [A1],
                "statement_ids": [self.sid("a1p-numeracy"), self.sid("a1c-numeracy")],
                "evidence_ids": [self.eid("book-look-numeracy-1"), self.eid("book-look-reasoning-2")],
                "national_priority_ids": ["numeracy"],
                "lead": NUMERACY_LEAD,
                "start_year": p,
                "end_year": c,
                "expected_outcomes": T(
                    "Bydd dysgwyr yn esbonio’u dulliau’n glir ac yn dewis y dull mwyaf addas; bydd 80% yn "
                    "cyrraedd y disgwyliadau mewn asesiadau rhesymu.",
                    "Learners will explain their methods clearly and choose the most suitable method; 80% will "
                    "meet expectations in reasoning assessments.",
                ),
                "strategy": T(
                    "Tasg resymu wythnosol ym mhob dosbarth; cysylltu rhifedd â phrosiectau’r tymor.",
                    "A weekly reasoning task in every class; linking numeracy to each term’s projects.",
                ),
                "professional_learning": T(
                    "Sesiynau modelu gan yr arweinydd rhifedd; ymweliad ag ysgol arall yn y clwstwr.",
                    "Modelling sessions by the numeracy lead; a visit to another school in the cluster.",
                ),
                "community_work": T("Gweithdy rhifedd i rieni bob tymor.", "A numeracy workshop for parents each term."),
                "resources": T(
                    "Adnoddau rhesymu (£850); amser cynllunio i’r arweinydd rhifedd.",
                    "Reasoning resources (£850); planning time for the numeracy lead.",
                ),
                "position": 2,
                "origin_id": None,
                "year_end": {
                    str(p): {
                        "met": "partly",
                        "why_not": T(
                            "Gwellodd rhesymu ym Mlynyddoedd 5 a 6, ond nid eto ym Mlynyddoedd 3 a 4.",
                            "Reasoning improved in Years 5 and 6, but not yet in Years 3 and 4.",
                        ),
                    }
                },
            },
            visibility="la",
        )
        self.put(
            "priority",
            "attendance-2",
            {
                "plan_id": self.plan_id,
                "title": T(
                    "Gwella presenoldeb, yn enwedig ymhlith dysgwyr sy’n gymwys i gael prydau ysgol am ddim",
                    "Improve attendance, especially among learners eligible for free school meals",
                ),
                "rationale": T(
                    "Cododd presenoldeb y llynedd, ond ni chyrhaeddwyd y targed ac mae’r bwlch i ddysgwyr sy’n "
                    "gymwys i gael prydau ysgol am ddim yn parhau.",
                    "Attendance rose last year, but the target was not met and the gap for learners eligible for "
                    "free school meals remains.",
                ),
                "area_ids": [A2],
                "statement_ids": [self.sid("a2c-gap")],
                "evidence_ids": [self.eid("attendance-year-1"), self.eid("attendance-autumn-2")],
                "national_priority_ids": ["attendance", "poverty", "well-being"],
                "lead": WELFARE_LEAD,
                "start_year": c,
                "end_year": c + 1,
                "expected_outcomes": T(
                    "Presenoldeb cyffredinol o 95%; bwlch o lai na 2 bwynt canran rhwng dysgwyr sy’n gymwys i gael "
                    "prydau ysgol am ddim a’u cyfoedion.",
                    "Overall attendance of 95%; a gap of less than 2 percentage points between learners eligible "
                    "for free school meals and their peers.",
                ),
                "strategy": T(
                    "Cyswllt cynnar â theuluoedd ar y diwrnod cyntaf o absenoldeb; cynlluniau cymorth "
                    "presenoldeb; dathlu gwelliant, nid presenoldeb perffaith yn unig.",
                    "Early contact with families on the first day of absence; attendance support plans; "
                    "celebrating improvement, not only perfect attendance.",
                ),
                "professional_learning": T(
                    "Hyfforddiant i staff y swyddfa ar sgyrsiau cefnogol â theuluoedd.",
                    "Training for office staff on supportive conversations with families.",
                ),
                "community_work": T(
                    "Boreau coffi i deuluoedd; gweithio gyda’r swyddog lles addysg.",
                    "Coffee mornings for families; working with the education welfare officer.",
                ),
                "resources": T(
                    "Swyddog presenoldeb am ddwy awr y dydd (Grant Datblygu Disgyblion).",
                    "An attendance officer for two hours a day (Pupil Development Grant).",
                ),
                "position": 3,
                "origin_id": self.pid("attendance-1"),
                "year_end": {},
            },
            visibility="la",
        )
        self.put(
            "priority",
            "welsh",
            {
                "plan_id": self.plan_id,
                "title": T(
                    "Cynyddu’r defnydd o’r Gymraeg y tu allan i’r dosbarth",
                    "Increase the use of Welsh outside the classroom",
                ),
                "rationale": T(
                    "Mae llawer o ddysgwyr Blynyddoedd 5 a 6 yn troi i’r Saesneg ar yr iard ac yn y clybiau.",
                    "Many Year 5 and 6 learners switch to English on the yard and in clubs.",
                ),
                "area_ids": [OWN_AREA, A1],
                "statement_ids": [self.sid("own-yard")],
                "evidence_ids": [self.eid("voice-welsh-1")],
                "national_priority_ids": ["well-being"],
                "lead": WELSH_LEAD,
                "start_year": c,
                "end_year": p + 2,
                "expected_outcomes": T(
                    "Bydd y rhan fwyaf o ddysgwyr yn dewis siarad Cymraeg ar yr iard; bydd arolwg y Siarter Iaith "
                    "yn dangos cynnydd bob blwyddyn.",
                    "Most learners will choose to speak Welsh on the yard; the Welsh Language Charter survey will "
                    "show an increase every year.",
                ),
                "strategy": T(
                    "Criw Cymraeg i arwain gemau’r iard; gwobrau wythnosol; clybiau ar ôl ysgol yn Gymraeg gyda’r "
                    "Fenter Iaith leol.",
                    "A Criw Cymraeg to lead yard games; weekly awards; Welsh-medium after-school clubs with the "
                    "local Menter Iaith.",
                ),
                "professional_learning": T(
                    "Sesiynau i’r staff cinio ar iaith chwarae.",
                    "Sessions for lunchtime staff on the language of play.",
                ),
                "community_work": T("Gwersi Cymraeg i rieni ar nos Fercher, gyda’r Fenter Iaith.", ""),
                "resources": T(
                    "£600 ar offer chwarae; amser i’r arweinydd iaith.",
                    "£600 on play equipment; time for the Welsh language lead.",
                ),
                "position": 4,
                "origin_id": None,
                "year_end": {},
            },
            visibility="peers",
        )

    # evidence --------------------------------------------------------------------------------

    def evidence(self) -> None:
        p, c = self.prev, self.cur
        P = self.pid  # noqa: N806
        S = self.sid  # noqa: N806
        items = [
            # key, (year, month, day), kind, title, summary, areas, statements, priorities, national, visibility
            ("walk-reading-1", (p, 10, 8), "learning_walk",
             T("Taith ddysgu: darllen ym Mlynyddoedd 3 a 4", "Learning walk: reading in Years 3 and 4"),
             T("Roedd y rhan fwyaf o ddysgwyr yn darllen yn hyderus yn Gymraeg, ond roedd llawer yn petruso wrth "
               "ddarllen testunau Saesneg. Ychydig o drafod llyfrau a welwyd.",
               "Most learners read confidently in Welsh, but many hesitated when reading English texts. Little "
               "book talk was seen."),
             [A1], [S("a1p-reading")], [P("reading")], ["literacy"], "private"),
            ("attendance-autumn-1", (p, 10, 17), "data_analysis",
             T("Dadansoddi presenoldeb: hanner tymor cyntaf", "Attendance analysis: first half term"),
             T("Presenoldeb yn 93.1%; dysgwyr sy’n gymwys i gael prydau ysgol am ddim yn 89.9%. Mae absenoldeb ar "
               "ddydd Llun a dydd Gwener yn uwch.",
               "Attendance 93.1%; learners eligible for free school meals 89.9%. Absence on Mondays and Fridays "
               "is higher."),
             [A2], [S("a2p-attendance")], [P("attendance-1")], ["attendance", "poverty"], "la"),
            ("book-look-numeracy-1", (p, 11, 13), "book_look",
             T("Craffu ar waith: rhifedd ar draws y cwricwlwm", "Work scrutiny: numeracy across the curriculum"),
             T("Mae gwaith mathemateg yn drylwyr, ond prin yw’r enghreifftiau o gymhwyso rhifedd mewn meysydd "
               "eraill, yn enwedig ym Mlynyddoedd 3 a 4.",
               "Mathematics work is thorough, but there are few examples of applying numeracy in other areas, "
               "especially in Years 3 and 4."),
             [A1], [S("a1p-numeracy")], [P("numeracy")], ["numeracy"], "private"),
            ("voice-safe-1", (p, 11, 27), "learner_voice",
             T("Llais y dysgwr: teimlo’n ddiogel yn yr ysgol", "Learner voice: feeling safe in school"),
             T("Dywedodd bron pob dysgwr yn y grŵp ffocws eu bod yn teimlo’n ddiogel ac yn gwybod at bwy i droi. "
               "Roedd rhai’n poeni am chwarae garw ar yr iard amser cinio.",
               "Nearly all learners in the focus group said they feel safe and know whom to turn to. Some were "
               "worried about rough play on the yard at lunchtime."),
             [A2], [S("a2p-safe")], [], ["well-being", "behaviour"], "peers"),
            ("observation-y6-1", (p, 1, 22), "lesson_observation",
             T("Arsylwi gwers: rhesymu rhifyddol ym Mlwyddyn 6", "Lesson observation: numerical reasoning in Year 6"),
             T("Roedd dysgwyr yn esbonio’u dulliau’n glir ac yn herio’i gilydd. Roedd y dasg yn defnyddio data am "
               "draffig ym mhentref Llan-faes.",
               "Learners explained their methods clearly and challenged each other. The task used data about "
               "traffic in the village of Llan-faes."),
             [A1], [], [P("numeracy")], ["numeracy", "teaching-and-learning"], "private"),
            ("parents-1", (p, 2, 5), "parent_questionnaire",
             T("Holiadur rhieni: crynodeb", "Parent questionnaire: summary"),
             T("Atebodd 96 o deuluoedd. Mae 94% yn cytuno bod eu plentyn yn hapus yn yr ysgol; mae 71% yn dymuno "
               "cael mwy o gymorth i ddarllen gyda’u plentyn gartref.",
               "96 families replied. 94% agree that their child is happy at school; 71% would like more help to "
               "read with their child at home."),
             [A2, A3], [], [P("reading")], ["literacy", "well-being"], "peers"),
            ("governor-reading-1", (p, 3, 4), "governor_visit",
             T("Ymweliad llywodraethwr: darllen", "Governor visit: reading"),
             T("Ymwelodd Mr Alun Jenkins â Blwyddyn 4 a siarad â dysgwyr am eu llyfrau. Nododd fod y llyfrgell "
               "ddosbarth newydd yn boblogaidd.",
               "Mr Alun Jenkins visited Year 4 and talked to learners about their books. He noted that the new "
               "class library is popular."),
             [A3, A1], [], [P("reading")], ["literacy"], "private"),
            ("staff-1", (p, 3, 18), "staff_questionnaire",
             T("Holiadur staff: dysgu proffesiynol", "Staff questionnaire: professional learning"),
             T("Mae pob aelod o staff yn teimlo bod yr hyfforddiant darllen wedi bod yn ddefnyddiol; mae’r "
               "cynorthwywyr addysgu’n gofyn am fwy o amser i gynllunio gyda’r athrawon.",
               "All staff feel the reading training has been useful; teaching assistants ask for more time to "
               "plan with teachers."),
             [A3], [S("a3p-evidence")], [P("reading")], ["leadership", "teaching-and-learning"], "private"),
            ("reading-spring-1", (p, 3, 20), "data_analysis",
             T("Oedran darllen: asesiad y gwanwyn", "Reading age: spring assessment"),
             T("Mae 72% o ddysgwyr Blynyddoedd 3–6 bellach yn darllen ar eu hoedran cronolegol neu’n uwch (68% ym "
               "mis Medi). Roedd y cynnydd yn arafach i ddysgwyr sy’n gymwys i gael prydau ysgol am ddim.",
               "72% of Year 3–6 learners now read at or above their chronological age (68% in September). "
               "Progress was slower for learners eligible for free school meals."),
             [A1], [], [P("reading")], ["literacy", "poverty"], "la"),
            ("peer-review-1", (p, 5, 14), "peer_review",
             T("Adolygiad cymheiriaid gyda’r clwstwr: llythrennedd", "Peer review with the cluster: literacy"),
             T("Cadarnhaodd pennaeth Ysgol Gymraeg Maes yr Onnen fod yr addysgu darllen yn gyson ar draws "
               "Blynyddoedd 3–6, ac awgrymodd fwy o drafod llyfrau yn Saesneg.",
               "The headteacher of Ysgol Gymraeg Maes yr Onnen confirmed that the teaching of reading is "
               "consistent across Years 3–6, and suggested more book talk in English."),
             [A1, A3], [S("a3c-peer")], [P("reading")], ["literacy", "leadership"], "peers"),
            ("voice-welsh-1", (p, 6, 11), "learner_voice",
             T("Llais y dysgwr: y Gymraeg ar yr iard", "Learner voice: Welsh on the yard"),
             T("Dywedodd llawer o ddysgwyr Blynyddoedd 5 a 6 eu bod yn siarad Saesneg â’u ffrindiau amser chwarae, "
               "‘am ei bod hi’n haws’. Maen nhw’n awyddus i gael gemau a chlybiau newydd yn Gymraeg.",
               "Many Year 5 and 6 learners said they speak English with their friends at playtime, ‘because it’s "
               "easier’. They are keen to have new games and clubs in Welsh."),
             [OWN_AREA, A1], [S("own-yard")], [P("welsh")], ["well-being"], "private"),
            ("attendance-year-1", (p, 7, 2), "data_analysis",
             T(f"Presenoldeb y flwyddyn {ay(p)}", f"Attendance for the year {ay(p)}"),
             T("Presenoldeb cyffredinol 93.9% (targed 95%). Dysgwyr sy’n gymwys i gael prydau ysgol am ddim: "
               "91.2%. Gostyngodd absenoldeb parhaus o 14.5% i 9.2%.",
               "Overall attendance 93.9% (target 95%). Learners eligible for free school meals: 91.2%. "
               "Persistent absence fell from 14.5% to 9.2%."),
             [A2], [S("a2p-attendance")], [P("attendance-1"), P("attendance-2")], ["attendance", "poverty"], "la"),
            ("transition-1", (p, 7, 9), "other",
             T("Pontio Blwyddyn 6 i Flwyddyn 7: cyfarfod gyda’r ysgol uwchradd",
               "Year 6 to Year 7 transition: meeting with the secondary school"),
             T("Cyfarfod pontio gydag Ysgol Gyfun Cwm Gwennol: rhannwyd gwybodaeth am gynnydd, lles ac ADY pob "
               "dysgwr yn ddiogel drwy’r system a gytunwyd.",
               "Transition meeting with Ysgol Gyfun Cwm Gwennol: information on each learner’s progress, "
               "well-being and ALN was shared securely through the agreed system."),
             [A2], [], [], ["aln-and-inclusion", "well-being"], "private"),
            # this academic year
            ("walk-reading-2", (c, 9, 24), "learning_walk",
             T("Taith ddysgu: y rhaglen ddarllen", "Learning walk: the reading programme"),
             T("Roedd y rhaglen ddarllen ar waith ym mhob dosbarth Blynyddoedd 3–6. Roedd dysgwyr hŷn yn trafod "
               "cymeriadau’n frwd; roedd angen mwy o her i’r darllenwyr mwyaf abl ym Mlwyddyn 4.",
               "The reading programme was in place in every Year 3–6 class. Older learners discussed characters "
               "keenly; the most able readers in Year 4 needed more challenge."),
             [A1], [S("a1c-reading"), S("a1c-book-talk")], [P("reading")], ["literacy"], "private"),
            ("criw-1", (c, 10, 1), "other",
             T("Cyfarfod cyntaf y Criw Cymraeg", ""),
             # typed in a hurry, with straight apostrophes, as many schools' texts are
             T("Etholwyd wyth aelod o Flynyddoedd 4–6. Cytunwyd ar dair gêm iard newydd a gwobr 'Seren yr "
               "Wythnos' i'r sawl sy'n siarad Cymraeg ar yr iard. Mae'r tîm yn cytûn y dylai pawb gael cyfle i "
               "arwain.", ""),
             [OWN_AREA], [S("own-criw")], [P("welsh")], [], "private"),
            ("attendance-autumn-2", (c, 10, 8), "data_analysis",
             T(f"Presenoldeb: hanner tymor cyntaf {ay(c)}", f"Attendance: first half term {ay(c)}"),
             T("Presenoldeb cyffredinol 94.6%. Presenoldeb dysgwyr sy’n gymwys i gael prydau ysgol am ddim yw "
               "92.0%, 3.1 pwynt canran yn is na’u cyfoedion.",
               "Overall attendance 94.6%. Attendance of learners eligible for free school meals is 92.0%, 3.1 "
               "percentage points below their peers."),
             [A2], [S("a2c-gap")], [P("attendance-2")], ["attendance", "poverty"], "la"),
            ("book-look-reasoning-2", (c, 10, 15), "book_look",
             T("Craffu ar waith: rhesymu ysgrifenedig Blynyddoedd 3–6", "Work scrutiny: written reasoning in Years 3–6"),
             T("Mae tasgau rhesymu wythnosol i’w gweld ym mhob llyfr. Ym Mlynyddoedd 5 a 6 mae dysgwyr yn "
               "esbonio’u dulliau’n glir; ym Mlynyddoedd 3 a 4 mae’r esboniadau’n fyr ac yn aml yn ailadrodd y "
               "cyfrifiad.",
               "Weekly reasoning tasks can be seen in every book. In Years 5 and 6 learners explain their methods "
               "clearly; in Years 3 and 4 explanations are short and often repeat the calculation."),
             [A1], [S("a1c-numeracy"), S("a1c-next")], [P("numeracy")], ["numeracy"], "private"),
            ("observation-y3-2", (c, 10, 22), "lesson_observation",
             T("", "Lesson observation: Year 3 reading intervention group"),
             T("", "Observed with the local authority link officer. Clear routines and good pace; the teaching "
                   "assistant modelled expressive reading well. Learners need more chances to talk about the text."),
             [A1], [], [P("reading")], ["literacy"], "la"),
            ("voice-clubs-2", (c, 11, 5), "learner_voice",
             T("Llais y dysgwr: clybiau amser cinio", "Learner voice: lunchtime clubs"),
             T("Mae bron pob aelod o’r cyngor ysgol yn dweud bod y clybiau wedi gwneud amser cinio’n dawelach. "
               "Gofynnodd y cyngor am glwb gwyddbwyll.",
               "Nearly all school council members say the clubs have made lunchtime calmer. The council asked "
               "for a chess club."),
             [A2], [S("a2c-clubs")], [], ["well-being", "behaviour"], "peers"),
            ("numeracy-workshop-2", (c, 11, 12), "other",
             T("Gweithdy rhifedd i rieni", "Numeracy workshop for parents"),
             T("Daeth 23 o rieni a gofalwyr i’r gweithdy. Dywedodd y rhan fwyaf eu bod yn fwy hyderus i helpu gyda "
               "mathemateg gartref; gofynnodd rhai am daflenni yn Saesneg hefyd.",
               "23 parents and carers came to the workshop. Most said they feel more confident helping with "
               "mathematics at home; some asked for handouts in English too."),
             [A2, A3], [], [P("numeracy")], ["numeracy"], "private"),
            ("governors-2", (c, 11, 14), "governor_questionnaire",
             T("Holiadur llywodraethwyr: deall y blaenoriaethau", "Governor questionnaire: understanding the priorities"),
             T("Mae 9 o’r 11 llywodraethwr yn gallu enwi’r pedair blaenoriaeth; mae llai’n hyderus wrth drafod "
               "effaith y Grant Datblygu Disgyblion.",
               "9 of the 11 governors can name the four priorities; fewer are confident discussing the impact of "
               "the Pupil Development Grant."),
             [A3], [S("a3c-governors"), S("a3c-pdg")], [], ["leadership", "poverty"], "private"),
            ("idp-review-2", (c, 11, 18), "other",
             T("Adolygu cynlluniau datblygu unigol", "Review of individual development plans"),
             T(f"Adolygodd y CADY, {ALNCO}, 12 cynllun datblygu unigol gyda theuluoedd. Mae’r targedau’n glir ac "
               "mae’r teuluoedd yn cyfrannu’n llawn.",
               f"The ALNCo, {ALNCO}, reviewed 12 individual development plans with families. Targets are clear "
               "and families contribute fully."),
             [A2], [S("a2p-idp")], [], ["aln-and-inclusion"], "private"),
            ("coffee-2", (c, 11, 20), "other",
             T("Bore coffi cyntaf i deuluoedd", "First coffee morning for families"),
             T("Daeth 14 o deuluoedd. Trafodwyd pwysigrwydd presenoldeb mewn ffordd gefnogol, a chytunodd tri "
               "theulu i gyfarfod â’r swyddog presenoldeb.",
               "14 families came. The importance of attendance was discussed supportively, and three families "
               "agreed to meet the attendance officer."),
             [A2], [S("a2c-next")], [P("attendance-2")], ["attendance"], "private"),
            ("family-reading-2", (c, 11, 21), "other",
             T("Sesiwn ddarllen i deuluoedd Blwyddyn 4", "Family reading session, Year 4"),
             T("Darllenodd rhieni, neiniau a theidiau gyda’r dysgwyr yn y neuadd; daeth un taid gyda’i ŵyr am y "
               "tro cyntaf. Aeth 18 o lyfrau adref ar fenthyg.",
               "Parents and grandparents read with the learners in the hall; one grandfather came with his "
               "grandson for the first time. 18 books went home on loan."),
             [A1], [], [P("reading")], ["literacy"], "private"),
            ("longhouse-2", (c, 11, 6), "other",
             T("Ymweliad addysgol: y tŷ hir ger Llan-faes", ""),
             T("Casglodd dysgwyr Blwyddyn 5 ddata am y tŷ a’r tir, a’u defnyddio mewn gwersi rhifedd a hanes. "
               "Siaradodd y ffermwr â’r dysgwyr yn Gymraeg am hanes ei deulu a’r ardal.", ""),
             [OWN_AREA, A1], [], [P("numeracy"), P("welsh")], ["numeracy"], "private"),
        ]
        for key, (year, month, day), kind, title, summary, areas, statements, priorities, national, vis in items:
            self.put(
                "evidence",
                key,
                {
                    "date": self.past(year, month, day),
                    "kind": kind,
                    "title": title,
                    "summary": summary,
                    "area_ids": areas,
                    "statement_ids": statements,
                    "priority_ids": priorities,
                    "national_priority_ids": national,
                },
                visibility=vis,
            )

    # attachments -----------------------------------------------------------------------------

    def attachments(self) -> None:
        from selfeval_app.core.attachments import store_file

        files = [
            ("parents-csv", "holiadur-rhieni-crynodeb.csv", "text/csv", PARENT_SURVEY_CSV, self.eid("parents-1")),
            ("walk-notes", "taith-ddysgu-nodiadau.txt", "text/plain", LEARNING_WALK_NOTES, self.eid("walk-reading-2")),
        ]
        with tempfile.TemporaryDirectory(prefix="selfeval-example-") as folder:
            for key, name, media_type, text, attached_to in files:
                path = Path(folder) / name
                path.write_bytes(text.encode("utf-8"))
                sha, size = store_file(self.store.db.data_dir, path)
                self.put(
                    "attachment",
                    key,
                    {"name": name, "size": size, "sha256": sha, "media_type": media_type, "attached_to": attached_to},
                )

    # success criteria, actions, reviews ------------------------------------------------------

    def criteria(self) -> None:
        rows = [
            ("attendance-1", 1, T("Presenoldeb cyffredinol o 95% o leiaf", "Overall attendance of at least 95%"),
             92.8, 95.0, 93.9, "%", "not_met", "la"),
            ("attendance-1", 2, T("Cyfradd absenoldeb parhaus o dan 10%", "Persistent absence rate under 10%"),
             14.5, 10.0, 9.2, "%", "met", "la"),
            ("reading", 1, T("Canran dysgwyr Blynyddoedd 3–6 sy’n darllen ar eu hoedran cronolegol neu’n uwch yn "
                             "Saesneg",
                             "Percentage of Year 3–6 learners reading at or above chronological age in English"),
             68.0, 85.0, 77.0, "%", "in_progress", "la"),
            ("reading", 2, T("Canran dysgwyr Blynyddoedd 3–6 sy’n darllen ar eu hoedran cronolegol neu’n uwch yn "
                             "Gymraeg",
                             "Percentage of Year 3–6 learners reading at or above chronological age in Welsh"),
             79.0, 85.0, 86.0, "%", "met", "la"),
            ("reading", 3, T("Pob dosbarth yn cynnal sesiwn ddarllen i deuluoedd bob hanner tymor",
                             "Every class holds a reading session for families every half term"),
             None, None, None, None, "in_progress", "private"),
            ("numeracy", 1, T("Canran y dysgwyr sy’n cyrraedd y disgwyliadau mewn asesiadau rhesymu",
                              "Percentage of learners meeting expectations in reasoning assessments"),
             61.0, 80.0, 70.0, "%", "in_progress", "private"),
            ("numeracy", 2, T("Craffu ar waith yn dangos rhesymu ysgrifenedig clir ym mhob dosbarth",
                              "Work scrutiny shows clear written reasoning in every class"),
             None, None, None, None, "partially_met", "private"),
            ("attendance-2", 1, T("Presenoldeb cyffredinol o 95% o leiaf", "Overall attendance of at least 95%"),
             93.9, 95.0, 94.6, "%", "in_progress", "la"),
            ("attendance-2", 2, T("Presenoldeb dysgwyr sy’n gymwys i gael prydau ysgol am ddim o 93% o leiaf",
                                  "Attendance of learners eligible for free school meals of at least 93%"),
             91.2, 93.0, 92.0, "%", "in_progress", "la"),
            ("welsh", 1, T("Canran y dysgwyr sy’n dweud eu bod yn siarad Cymraeg ar yr iard (arolwg y Siarter Iaith)",
                           "Percentage of learners who say they speak Welsh on the yard (Welsh Language Charter "
                           "survey)"),
             46.0, 70.0, None, "%", "in_progress", "peers"),
            ("welsh", 2, T("Clwb wythnosol ar ôl ysgol yn Gymraeg gyda’r Fenter Iaith",
                           "A weekly Welsh-medium after-school club with the Menter Iaith"),
             None, None, None, None, "not_started", "peers"),
        ]
        for prio, n, text, baseline, target, actual, unit, status, vis in rows:
            self.put(
                "success_criterion",
                f"{prio}-{n}",
                {
                    "priority_id": self.pid(prio),
                    "description": text,
                    "baseline": baseline,
                    "target": target,
                    "actual": actual,
                    "unit": unit,
                    "status": status,
                },
                visibility=vis,
            )

    def actions(self) -> None:
        p, c = self.prev, self.cur
        overdue_long, overdue_short, overdue_blocked = self.rel(-18), self.rel(-5), self.rel(-30)
        due_soon_a, due_soon_b = self.rel(9), self.rel(12)

        def before(due: str, days: int = 45) -> str:
            return (dt.date.fromisoformat(due) - dt.timedelta(days=days)).isoformat()

        rows = [
            # priority, n, description, lead, start, due, status, cost, committed, funding
            ("attendance-1", 1, T("Ffonio teuluoedd ar y diwrnod cyntaf o absenoldeb",
                                  "Phone families on the first day of absence"),
             WELFARE_LEAD, self.day(p, 9, 2).isoformat(), self.day(p, 10, 25).isoformat(), "done", 0, 0,
             "school_budget"),
            ("attendance-1", 2, T("Gwobrau presenoldeb i ddosbarthiadau bob hanner tymor",
                                  "Attendance awards for classes every half term"),
             WELFARE_LEAD, self.day(p, 9, 2).isoformat(), self.day(p, 7, 18).isoformat(), "done", 15000, 15000,
             "school_budget"),
            ("attendance-1", 3, T("Cyfarfodydd cymorth presenoldeb â theuluoedd",
                                  "Attendance support meetings with families"),
             HEAD, self.day(p, 11, 1).isoformat(), self.day(p, 7, 18).isoformat(), "done", 120000, 120000, "pdg"),
            ("reading", 1, T("Prynu llyfrau ar gyfer y rhaglen ddarllen a’r llyfrgelloedd dosbarth",
                             "Buy books for the reading programme and the class libraries"),
             DEPUTY, self.day(p, 9, 2).isoformat(), self.day(p, 10, 24).isoformat(), "done", 240000, 240000,
             "school_budget"),
            ("reading", 2, T("Ail gam yr hyfforddiant darllen i gynorthwywyr addysgu newydd",
                             "Second phase of reading training for new teaching assistants"),
             DEPUTY, before(overdue_long), overdue_long, "in_progress", 45000, 20000, "la_grant"),
            ("reading", 3, T("Grwpiau ymyrraeth darllen bach dair gwaith yr wythnos",
                             "Small reading intervention groups three times a week"),
             DEPUTY, self.day(c, 9, 8).isoformat(), self.ahead(c, 7, 17), "in_progress", 520000, 260000, "pdg"),
            ("reading", 4, T("Sesiwn ddarllen i deuluoedd Blwyddyn 3", "Reading session for Year 3 families"),
             DEPUTY, before(due_soon_b, 20), due_soon_b, "not_started", 5000, 0, "school_budget"),
            ("numeracy", 1, T("Cyflwyno tasg resymu wythnosol ym mhob dosbarth",
                              "Introduce a weekly reasoning task in every class"),
             NUMERACY_LEAD, self.day(p, 9, 9).isoformat(), self.day(p, 10, 24).isoformat(), "done", 0, 0,
             "school_budget"),
            ("numeracy", 2, T("Prynu adnoddau rhesymu rhifyddol", "Buy numerical reasoning resources"),
             NUMERACY_LEAD, before(overdue_blocked), overdue_blocked, "blocked", 85000, 0, "la_grant"),
            ("numeracy", 3, T("Yr arweinydd rhifedd i fodelu gwersi rhesymu ym Mlynyddoedd 3 a 4",
                              "The numeracy lead to model reasoning lessons in Years 3 and 4"),
             NUMERACY_LEAD, self.day(c, 9, 15).isoformat(), self.ahead(c, 3, 27), "in_progress", 60000, 30000,
             "school_budget"),
            ("attendance-2", 1, T("Penodi swyddog presenoldeb am ddwy awr y dydd",
                                  "Appoint an attendance officer for two hours a day"),
             HEAD, self.day(c, 9, 1).isoformat(), self.past(c, 9, 30), "done", 780000, 780000, "pdg"),
            ("attendance-2", 2, T("Llunio cynlluniau cymorth presenoldeb i ddysgwyr sy’n absennol yn barhaus",
                                  "Draw up attendance support plans for persistently absent learners"),
             WELFARE_LEAD, before(overdue_short, 30), overdue_short, "not_started", 0, 0, "pdg"),
            ("attendance-2", 3, T("Bore coffi misol i deuluoedd", "Monthly coffee morning for families"),
             WELFARE_LEAD, self.day(c, 11, 1).isoformat(), self.ahead(c, 7, 10), "in_progress", 12000, 4000,
             "other"),
            ("attendance-2", 4, T("Hyfforddiant i staff y swyddfa ar sgyrsiau cefnogol â theuluoedd",
                                  "Training for office staff on supportive conversations with families"),
             HEAD, self.day(c, 1, 6).isoformat(), self.ahead(c, 2, 13), "not_started", 30000, 0, "la_grant"),
            ("welsh", 1, T("Hyfforddi’r Criw Cymraeg i arwain gemau’r iard", "Train the Criw Cymraeg to lead yard games"),
             WELSH_LEAD, self.day(c, 9, 15).isoformat(), self.past(c, 10, 17), "done", 0, 0, "school_budget"),
            ("welsh", 2, T("Prynu offer chwarae ar gyfer gemau Cymraeg ar yr iard",
                           "Buy play equipment for Welsh yard games"),
             WELSH_LEAD, before(due_soon_a, 30), due_soon_a, "in_progress", 60000, 60000, "school_budget"),
            ("welsh", 3, T("Clwb wythnosol ar ôl ysgol gyda’r Fenter Iaith", "Weekly after-school club with the Menter Iaith"),
             WELSH_LEAD, self.day(c, 1, 8).isoformat(), self.ahead(c, 4, 30), "not_started", 0, 0, "other"),
        ]
        for prio, n, text, lead, start, due, status, cost, committed, funding in rows:
            start = min(start, due)
            self.put(
                "action",
                f"{prio}-{n}",
                {
                    "priority_id": self.pid(prio),
                    "description": text,
                    "lead": lead,
                    "start_date": start,
                    "due_date": due,
                    "status": status,
                    "cost_pence": cost,
                    "committed_pence": committed,
                    "funding_source": funding,
                },
            )

    def reviews(self) -> None:
        p, c = self.prev, self.cur
        when = {
            (p, "autumn"): self.past(p, 12, 9),
            (p, "spring"): self.past(p, 3, 24),
            (p, "summer"): self.past(p, 7, 7),
            (c, "autumn"): self.past(c, 11, 24),
        }
        E = self.eid  # noqa: N806
        rows = [
            ("attendance-1", p, "autumn", "amber",
             T("Mae presenoldeb wedi codi i 93.1%, ond mae’n is na’r targed. Mae ffonio ar y diwrnod cyntaf yn cael "
               "effaith.",
               "Attendance has risen to 93.1% but is below target. Phoning on the first day is having an effect."),
             [E("attendance-autumn-1")]),
            ("attendance-1", p, "spring", "red",
             T("Gostyngodd presenoldeb yn ystod y gaeaf oherwydd salwch. Mae absenoldeb parhaus yn dal yn uwch na "
               "10%.",
               "Attendance fell during the winter because of illness. Persistent absence is still above 10%."),
             []),
            ("attendance-1", p, "summer", "amber",
             T("Presenoldeb y flwyddyn oedd 93.9%, a gostyngodd absenoldeb parhaus i 9.2%. Bydd y flaenoriaeth yn "
               "parhau y flwyddyn nesaf, gyda ffocws ar ddysgwyr sy’n gymwys i gael prydau ysgol am ddim.",
               "Attendance for the year was 93.9%, and persistent absence fell to 9.2%. The priority will "
               "continue next year, focusing on learners eligible for free school meals."),
             [E("attendance-year-1")]),
            ("reading", p, "autumn", "amber",
             T("Mae’r rhaglen ddarllen ar waith ym mhob dosbarth. Mae’n rhy gynnar i weld effaith ar oedran darllen.",
               "The reading programme is in place in every class. It is too early to see an effect on reading "
               "ages."),
             [E("walk-reading-1")]),
            ("reading", p, "spring", "green",
             T("Mae 72% o ddysgwyr bellach yn darllen ar eu hoedran cronolegol neu’n uwch (68% ym mis Medi).",
               "72% of learners now read at or above their chronological age (68% in September)."),
             [E("reading-spring-1"), E("governor-reading-1")]),
            ("reading", p, "summer", "green",
             T("Mae 76% ar eu hoedran cronolegol neu’n uwch. Cadarnhaodd yr adolygiad cymheiriaid fod yr addysgu "
               "darllen yn gyson.",
               "76% are at or above chronological age. The peer review confirmed that the teaching of reading is "
               "consistent."),
             [E("peer-review-1")]),
            ("reading", c, "autumn", "amber",
             T("Mae’r cynnydd yn parhau (77%), ond mae ail gam yr hyfforddiant i gynorthwywyr addysgu newydd ar ei "
               "hôl hi.",
               "Progress continues (77%), but the second phase of training for new teaching assistants is behind "
               "schedule."),
             [E("walk-reading-2"), E("observation-y3-2")]),
            ("numeracy", p, "autumn", "amber",
             T("Mae’r dasg resymu wythnosol wedi’i chyflwyno ym mhob dosbarth.",
               "The weekly reasoning task has been introduced in every class."),
             [E("book-look-numeracy-1")]),
            ("numeracy", p, "spring", "amber",
             T("Mae rhesymu’n gwella ym Mlynyddoedd 5 a 6; mae dysgwyr Blynyddoedd 3 a 4 yn dal i’w chael hi’n "
               "anodd esbonio’u dulliau.",
               "Reasoning is improving in Years 5 and 6; Year 3 and 4 learners still find it hard to explain their "
               "methods."),
             [E("observation-y6-1")]),
            ("numeracy", p, "summer", "amber",
             T("Cyrhaeddodd 70% y disgwyliadau yn yr asesiad rhesymu (targed 80%).",
               "70% met expectations in the reasoning assessment (target 80%)."),
             []),
            ("numeracy", c, "autumn", "red",
             T("Mae prynu’r adnoddau rhesymu wedi’i atal nes bydd yr awdurdod lleol yn cadarnhau’r grant. Nid yw "
               "Blynyddoedd 3 a 4 wedi gwneud digon o gynnydd eto.",
               "Buying the reasoning resources is on hold until the local authority confirms the grant. Years 3 "
               "and 4 have not yet made enough progress."),
             [E("book-look-reasoning-2")]),
            ("attendance-2", c, "autumn", "amber",
             T("Mae presenoldeb yn 94.6%, ond nid yw’r bwlch i ddysgwyr sy’n gymwys i gael prydau ysgol am ddim "
               "wedi cau. Nid yw’r cynlluniau cymorth presenoldeb wedi dechrau eto.",
               "Attendance is 94.6%, but the gap for learners eligible for free school meals has not closed. The "
               "attendance support plans have not started yet."),
             [E("attendance-autumn-2"), E("coffee-2")]),
            ("welsh", c, "autumn", "green",
             T("Mae’r Criw Cymraeg wedi’i hyfforddi ac yn arwain gemau ar yr iard ddwywaith yr wythnos. Mae’r staff "
               "cinio’n sylwi ar fwy o Gymraeg amser chwarae.", ""),
             [E("criw-1")]),
        ]
        for prio, year, term, rag, commentary, evidence in rows:
            self.put(
                "progress_review",
                f"{prio}-{year - p}-{term}",
                {
                    "priority_id": self.pid(prio),
                    "date": when[(year, term)],
                    "academic_year": year,
                    "term": term,
                    "rag": rag,
                    "commentary": commentary,
                    "evidence_ids": evidence,
                },
                visibility="peers" if prio == "reading" else "private",
            )

    # indicators and the issued report --------------------------------------------------------

    def indicators(self) -> None:
        p, c = self.prev, self.cur
        self.put(
            "indicator",
            "attendance",
            {
                "title": T("Presenoldeb", "Attendance"),
                "description": T(
                    "Canran y sesiynau a fynychwyd gan ddysgwyr Blynyddoedd 1–6.",
                    "Percentage of sessions attended by learners in Years 1–6.",
                ),
                "unit": "%",
                "values": [
                    {"period": period(p, "autumn"), "value": 93.1, "cohort": 162},
                    {"period": period(p, "spring"), "value": 93.6, "cohort": 163},
                    {"period": period(p, "summer"), "value": 95.0, "cohort": 164},
                    {"period": period(c, "autumn"), "value": 94.6, "cohort": 158},
                ],
                "transition_point": None,
                "priority_ids": [self.pid("attendance-1"), self.pid("attendance-2")],
                "area_ids": [A2],
            },
            visibility="la",
        )
        self.put(
            "indicator",
            "reading-age",
            {
                "title": T(
                    "Oedran darllen: canran ar eu hoedran cronolegol neu’n uwch (Blynyddoedd 3–6)",
                    "Reading age: percentage at or above chronological age (Years 3–6)",
                ),
                "description": T(
                    "Prawf darllen safonedig yn Saesneg bob tymor; canran y dysgwyr y mae eu hoedran darllen yr un "
                    "fath â’u hoedran cronolegol neu’n uwch.",
                    "A standardised English reading test each term; the percentage of learners whose reading age "
                    "is at or above their chronological age.",
                ),
                "unit": "%",
                "values": [
                    {"period": period(p, "autumn"), "value": 68.0, "cohort": 104},
                    {"period": period(p, "spring"), "value": 72.0, "cohort": 104},
                    {"period": period(p, "summer"), "value": 76.0, "cohort": 103},
                    {"period": period(c, "autumn"), "value": 77.0, "cohort": 101},
                ],
                "transition_point": None,
                "priority_ids": [self.pid("reading")],
                "area_ids": [A1],
            },
            visibility="la",
        )
        self.put(
            "indicator",
            "transition",
            {
                "title": T(
                    "Pontio Blwyddyn 6 i Flwyddyn 7: canran sy’n gwneud y cynnydd disgwyliedig",
                    "Year 6 to Year 7 transition: percentage making expected progress",
                ),
                "description": T(
                    "Canran y dysgwyr a symudodd i Ysgol Gyfun Cwm Gwennol sy’n gwneud y cynnydd disgwyliedig yn "
                    f"nhymor cyntaf Blwyddyn 7, yn ôl data’r ysgol uwchradd. Mae data {ay(c)} yn rhannol: dim ond "
                    "ar gyfer pedwar dysgwr y daeth gwybodaeth hyd yma.",
                    "The percentage of learners who moved to Ysgol Gyfun Cwm Gwennol making expected progress in "
                    f"their first term of Year 7, from the secondary school’s data. The {ay(c)} data is partial: "
                    "information has arrived for only four learners so far.",
                ),
                "unit": "%",
                "values": [
                    {"period": period(p - 1, "autumn"), "value": 81.8, "cohort": 22},
                    {"period": period(p, "autumn"), "value": 87.5, "cohort": 24},
                    {"period": period(c, "autumn"), "value": 75.0, "cohort": 4},
                ],
                "transition_point": "Y6-Y7",
                "priority_ids": [],
                "area_ids": [A1, A2],
            },
            visibility="la",
        )

    def report(self) -> None:
        """The governors' report issued last term (relative to today)."""
        month = self.today.month
        if month >= 9:  # autumn term now: last term was the summer of the previous year
            year, term, issued = self.prev, "summer", self.day(self.prev, 7, 10)
        elif month <= 3:  # spring term now
            year, term, issued = self.cur, "autumn", self.day(self.cur, 12, 10)
        else:  # summer term now
            year, term, issued = self.cur, "spring", self.day(self.cur, 3, 25)
        sources: list[dict[str, Any]] = []
        plain = [("plan", self.plan_id)]
        plain += [("priority", self.pid(k)) for k in ("reading", "numeracy", "attendance-1", "attendance-2", "welsh")]
        plain += [("indicator", example_id(f"indicator:{k}")) for k in ("attendance", "reading-age", "transition")]
        for type_name, rid in plain:
            rec = self.store.get(type_name, rid)
            if rec is not None:
                sources.append({"id": rid, "type": type_name, "rev": rec["rev"]})
        for prio in ("attendance-1", "reading", "numeracy", "attendance-2", "welsh"):
            rid = example_id(f"progress_review:{prio}-{year - self.prev}-{term}")
            rec = self.store.get("progress_review", rid)
            if rec is not None:
                sources.append({"id": rid, "type": "progress_review", "rev": rec["rev"]})
        sources.sort(key=lambda s: (s["type"], s["id"]))
        digest = hashlib.sha256(f"Ysgol Gymraeg Bro’r Wennol governors {year} {term}".encode()).hexdigest()
        self.put(
            "report_issue",
            "governors-last-term",
            {
                "kind": "governors",
                "academic_year": year,
                "term": term,
                "language": "both",
                # The ids of reports/sections.py (the core cannot import reports; a test checks).
                "sections": ["changes", "priorities", "success_criteria", "overdue_actions", "self_evaluation", "indicators", "for_decision"],
                "sources": sources,
                "pdf_sha256": digest,
                "issued_on": min(issued, self.today).isoformat(),
            },
        )


# --- the example files ---------------------------------------------------------------------------

PARENT_SURVEY_CSV = """\
cwestiwn / question,cytuno (%) / agree (%),anghytuno (%) / disagree (%),ddim yn gwybod (%) / don't know (%),ymatebion / responses
Mae fy mhlentyn yn hapus yn yr ysgol / My child is happy at school,94,4,2,96
Mae fy mhlentyn yn teimlo’n ddiogel yn yr ysgol / My child feels safe at school,96,2,2,96
Rwy’n cael gwybod am gynnydd fy mhlentyn / I am kept informed about my child’s progress,85,10,5,95
Hoffwn gael mwy o gymorth i ddarllen gyda fy mhlentyn gartref / I would like more help to read with my child at home,71,22,7,94
Mae’r ysgol yn hybu’r Gymraeg y tu allan i’r dosbarth / The school promotes Welsh outside the classroom,88,6,6,96
"""

LEARNING_WALK_NOTES = """\
Taith ddysgu: y rhaglen ddarllen, Blynyddoedd 3–6
Learning walk: the reading programme, Years 3–6

Ffocws / Focus: darllen dan arweiniad a thrafod llyfrau / guided reading and book talk
Gan / By: Mrs Siân Lloyd (pennaeth / headteacher), Mr Dafydd ap Gwyn (dirprwy / deputy)

Blwyddyn 3: trefn glir; y cynorthwyydd addysgu’n modelu darllen mynegiannol.
Year 3: clear routines; the teaching assistant models expressive reading.
Blwyddyn 4: angen mwy o her i’r darllenwyr mwyaf abl.
Year 4: the most able readers need more challenge.
Blynyddoedd 5 a 6: trafod cymeriadau’n frwd, yn Gymraeg ac yn Saesneg.
Years 5 and 6: keen discussion of characters, in Welsh and in English.

Camau nesaf / Next steps: rhannu cwestiynau trafod Blwyddyn 6 â Blwyddyn 4.
Share Year 6 discussion questions with Year 4.
(Dim enwau dysgwyr yn y nodiadau hyn. / No learners' names in these notes.)
"""


# --- entry point ---------------------------------------------------------------------------------


def build_example_school(data_dir: Path, *, device_id: str, today: dt.date | None = None) -> dict[str, int]:
    """Create or refresh the example school in `data_dir`; returns how many example records of each
    type it holds. Raises ValueError for a database that belongs to another school."""
    today = today or dt.date.today()
    db = open_database(Path(data_dir))
    try:
        _claim_example_owner(db)
        clock = FixedClock(dt.datetime(today.year, today.month, today.day, 8, 0))
        store = RecordStore(db, device_id=device_id, clock=clock)
        return _Builder(store, today).build()
    finally:
        db.close()
