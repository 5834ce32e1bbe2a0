"""Schools for the example local authority, and generated schools for the LA benchmark.

Each school is a real identity with its own keys; its records are written through the store like
any school's (in one generator data folder that holds every school's identity), and what it shares
reaches the LA as a real bundle: `write_bundle` sealed to the LA, then `import_bundle` at the LA.
So the LA's view is built by the same code path as for real schools.

`add_example_schools(la_dir)` (used by `selfeval demo --role la`): a dozen example schools of the
example LA (669), with Welsh and English names, priorities with national tags, progress reviews,
overdue actions, evaluations, indicators, partnerships naming each other (some both ways, some one
way), joint activities and peer review visits between them, and a few records kept private (which
never reach the LA). Idempotent: schools already held are not sent again.

`generate_school_bundles(...)` (the benchmark): any number of schools of a realistic size.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_app.core.clock import academic_year_of
from selfeval_app.core.database import open_database
from selfeval_app.core.identities import add_identity
from selfeval_app.core.plan_years import period_key
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import Recipient, plan_bundle, write_bundle
from selfeval_app.exchange.keys import DeviceKeys, LocalKeys, fingerprint, load_keys


def T(cy: str, en: str) -> dict[str, str]:  # noqa: N802 - reads like the data it builds
    return {"cy": cy, "en": en}


@dataclass(frozen=True)
class SchoolSpec:
    key: str
    number: str
    name: dict[str, str]
    phase: str  # primary | secondary | all-age | special
    cluster: str  # the cluster's key


def example_identity(index: int) -> str:
    return f"00000000-0000-4000-8000-0000000e5b{index:02x}"


EXAMPLE_SCHOOL_NUMBER = "669/2318"  # the example school (core/demo.py), in the same cluster as some
EXAMPLE_SCHOOL_NAME = T("Ysgol Gymraeg Bro’r Wennol", "Ysgol Gymraeg Bro’r Wennol")

EXAMPLE_SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec("gwennol", "669/4012", T("Ysgol Gyfun Cwm Gwennol", "Cwm Gwennol Comprehensive School"), "secondary", "gwennol"),
    SchoolSpec("derwen", "669/2101", T("Ysgol Gynradd y Dderwen", "Derwen Primary School"), "primary", "gwennol"),
    SchoolSpec("tywi", "669/2102", T("Ysgol Dyffryn Tywi", "Dyffryn Tywi School"), "primary", "gwennol"),
    SchoolSpec("bryn", "669/2103", T("Ysgol Gynradd Bryn Teg", "Bryn Teg Primary School"), "primary", "gwennol"),
    SchoolSpec("llwyn", "669/2104", T("Ysgol Llwyn-yr-Ŵyn", "Llwyn-yr-Ŵyn School"), "primary", "gwennol"),
    SchoolSpec("aber", "669/4020", T("Ysgol Uwchradd Aberhonddu", "Aberhonddu High School"), "secondary", "aber"),
    SchoolSpec("castell", "669/2201", T("Ysgol Gynradd Castell", "Castle Primary School"), "primary", "aber"),
    SchoolSpec("ffynnon", "669/2202", T("Ysgol Ffynnon Dewi", "St David's Well School"), "primary", "aber"),
    SchoolSpec("glan", "669/2203", T("Ysgol Glan y Môr", "Seaside Primary School"), "primary", "aber"),
    SchoolSpec("ty-coch", "669/2204", T("Ysgol Tŷ Coch", "Red House School"), "primary", "aber"),
    SchoolSpec("maes", "669/3001", T("Ysgol Maes y Llan", "Maes y Llan All-age School"), "all-age", "maes"),
    SchoolSpec("ysbryd", "669/7001", T("Ysgol Arbennig yr Ysbryd", "Ysbryd Special School"), "special", "maes"),
)
#: Schools on the example LA's list that have sent nothing yet.
EXAMPLE_SILENT: tuple[tuple[str, dict[str, str]], ...] = (
    ("669/2301", T("Ysgol Gynradd Pen-y-bryn", "Pen-y-bryn Primary School")),
    ("669/2302", T("Ysgol Rhos Ddu", "Rhos Ddu School")),
)

CLUSTER_NAMES = {
    "gwennol": T("Clwstwr Ysgol Gyfun Cwm Gwennol", "Cwm Gwennol Comprehensive cluster"),
    "aber": T("Clwstwr Aberhonddu", "Aberhonddu cluster"),
    "maes": T("Partneriaeth Maes y Llan", "Maes y Llan partnership"),
}

PRIORITY_IDEAS: tuple[tuple[tuple[str, ...], dict[str, str]], ...] = (
    (("literacy",), T("Gwella darllen yn uchel ar draws yr ysgol", "Improve reading aloud across the school")),
    (("literacy",), T("Datblygu ysgrifennu estynedig", "Develop extended writing")),
    (("numeracy",), T("Cryfhau rhesymu rhifyddol", "Strengthen numerical reasoning")),
    (("numeracy",), T("Defnyddio rhifedd ar draws y cwricwlwm", "Use numeracy across the curriculum")),
    (("attendance",), T("Codi presenoldeb disgyblion", "Raise pupils' attendance")),
    (("attendance", "well-being"), T("Lleihau absenoldeb cyson", "Reduce persistent absence")),
    (("well-being",), T("Hybu lles emosiynol dysgwyr", "Promote learners' emotional well-being")),
    (("well-being", "behaviour"), T("Datblygu ymddygiad cadarnhaol ar yr iard", "Develop positive behaviour on the yard")),
    (("poverty",), T("Lleihau effaith tlodi ar gyrhaeddiad", "Reduce the impact of poverty on attainment")),
    (("teaching-and-learning",), T("Gwella adborth i ddysgwyr", "Improve feedback to learners")),
    ((), T("Datblygu'r Gymraeg fel iaith bob dydd", "Develop Welsh as an everyday language")),
    ((), T("Gwella'r ddarpariaeth awyr agored", "Improve outdoor provision")),
)
INDICATORS = (
    (T("Presenoldeb", "Attendance"), "%", (91.0, 96.5)),
    (T("Disgyblion sy'n darllen ar neu uwch na'u hoedran", "Pupils reading at or above their age"), "%", (60.0, 90.0)),
)


def _school_identity_dict(spec: SchoolSpec, identity_id: str, device: DeviceKeys, *, example: bool) -> dict[str, Any]:
    return {
        "id": identity_id,
        "role": "school",
        "name": dict(spec.name),
        "la_code": int(spec.number[:3]),
        "school_number": spec.number,
        "example": example,
        "devices": [device.public_entry()],
    }


class _Writer:
    """Writes one school's records as that school's identity, in the generator's store."""

    def __init__(self, store: RecordStore, owner: str, spec: SchoolSpec, rnd: random.Random, today: dt.date):
        self.store, self.owner, self.spec, self.rnd, self.today = store, owner, spec, rnd, today
        self.year = academic_year_of(today)

    def put(self, type_name: str, values: dict[str, Any], visibility: str = "la") -> str:
        return self.store.create(type_name, values, visibility=visibility, as_identity=self.owner)["id"]

    def day(self, days_ago: int) -> str:
        return (self.today - dt.timedelta(days=days_ago)).isoformat()

    def build(self, partners: list[SchoolSpec], *, n_priorities: int, evidence: int, visit_team: list[SchoolSpec]) -> dict[str, str]:
        rnd, year = self.rnd, self.year
        s = self.spec
        self.put("school", {"name": s.name, "la_code": int(s.number[:3]), "establishment_number": s.number, "phase": s.phase, "writes_in": "both"})
        plan = self.put("plan", {"title": T(f"Cynllun Datblygu Ysgol {year}–{(year + 3) % 100:02d}", f"School Development Plan {year}–{(year + 3) % 100:02d}"), "start_year": year})
        ideas = rnd.sample(PRIORITY_IDEAS, k=min(n_priorities, len(PRIORITY_IDEAS)))
        priority_ids = []
        for i, (tags, title) in enumerate(ideas):
            pid = self.put("priority", {"plan_id": plan, "title": title, "national_priority_ids": list(tags), "position": i, "start_year": year - rnd.choice((0, 1)), "rationale": T("Mae ein hunanwerthuso yn dangos bod angen hyn.", "Our self-evaluation shows this is needed.")})
            priority_ids.append(pid)
            for c in range(3):
                self.put("success_criterion", {"priority_id": pid, "description": T(f"Meini prawf {c + 1}", f"Criterion {c + 1}"), "status": rnd.choice(("not_started", "in_progress", "partially_met", "met", "not_met")), "unit": "%", "baseline": 60.0, "target": 80.0})
            for a in range(5):
                due = self.today + dt.timedelta(days=rnd.randint(-120, 200))
                status = rnd.choice(("not_started", "in_progress", "done", "done"))
                self.put("action", {"priority_id": pid, "description": T(f"Cam gweithredu {a + 1}", f"Action {a + 1}"), "due_date": due.isoformat(), "status": status, "lead": "Pennaeth / Head"})
            rag = rnd.choice(("red", "amber", "green"))
            for k, (yr, term) in enumerate(((year - 1, "summer"), (year, "autumn"), (year, "spring"))):
                step = rnd.choice((-1, 0, 0, 1))
                order = ["red", "amber", "green"]
                rag = order[max(0, min(2, order.index(rag) + step))]
                self.put("progress_review", {"priority_id": pid, "date": self.day(300 - 110 * k), "academic_year": yr, "term": term, "rag": rag, "commentary": T("Cynnydd fel y disgwyl.", "Progress as expected.")})
        for area in ("estyn-2024-1", "estyn-2024-2", "estyn-2024-3"):
            for yr in (year - 1, year):
                if rnd.random() < 0.8:
                    self.put("evaluation", {"area_id": area, "academic_year": yr, "framework_id": "estyn-2024", "narrative": T("Gwerthusiad byr.", "A short evaluation.")})
        cohort = {"primary": 210, "secondary": 900, "all-age": 1100, "special": 40}.get(s.phase, 200)
        for title, unit, (lo, hi) in INDICATORS:
            values = [{"period": period_key(yr, term), "value": round(rnd.uniform(lo, hi), 1), "cohort": cohort if rnd.random() > 0.05 else rnd.randint(2, 4)} for yr in (year - 1, year) for term in ("autumn", "spring")]
            self.put("indicator", {"title": title, "unit": unit, "values": values, "priority_ids": priority_ids[:1]})
        for e in range(evidence):
            self.put("evidence", {"date": self.day(rnd.randint(1, 300)), "kind": rnd.choice(("learning_walk", "book_look", "learner_voice", "data_analysis")), "title": T(f"Tystiolaeth {e + 1}", f"Evidence {e + 1}"), "area_ids": ["estyn-2024-1"]})
        # kept private: never sent to the LA
        self.put("evidence", {"date": self.day(3), "kind": "other", "title": T("Nodyn preifat", "Private note")}, visibility="private")
        self.put("priority", {"plan_id": plan, "title": T("Blaenoriaeth breifat", "A private priority"), "national_priority_ids": ["literacy"]}, visibility="private")
        ids: dict[str, str] = {}
        if partners:
            p = self.put("partnership", {
                "kind": "cluster" if s.cluster in CLUSTER_NAMES else "horizontal",
                "name": CLUSTER_NAMES.get(s.cluster, T("Partneriaeth", "Partnership")),
                "partners": [{"number": o.number, "identity_id": "", "name": dict(o.name)} for o in partners],
                "purpose": T("Cydweithio ar ddarllen a phresenoldeb.", "Working together on reading and attendance."),
                "priority_ids": priority_ids[:2],
                "maturity": rnd.choice(("starting", "developing", "established", "embedded")),
                "maturity_note": T("Rydym yn cyfarfod bob hanner tymor.", "We meet every half term."),
                "start_date": self.day(400),
            })
            ids["partnership"] = p
            for j in range(2):
                self.put("joint_activity", {"partnership_id": p, "title": T(f"Hyfforddiant ar y cyd {j + 1}", f"Joint training {j + 1}"), "start_date": self.day(200 - 90 * j), "participants": T("Athrawon Blwyddyn 6 a 7", "Year 6 and 7 teachers"), "what_changed": T("Rydym yn rhannu cynlluniau darllen.", "We share reading plans.")})
        if visit_team:
            ids["visit"] = self.put("review_visit", {
                "host_name": s.name,
                "start_date": self.day(rnd.randint(20, 250)),
                "kind": "peer_review",
                "status": rnd.choice(("agreed", "closed", "visit")),
                "questions": [{"id": "q1", "text": T("Pa mor dda y mae dysgwyr yn darllen?", "How well do learners read?"), "area_ids": ["estyn-2024-1"]}],
                "team": [{"identity_id": "", "name": f"Pennaeth {o.name['cy']}", "role": "lead" if i == 0 else "reviewer", "school_number": o.number} for i, o in enumerate(visit_team)],
            })
        return ids


def example_plan(specs: tuple[SchoolSpec, ...] = EXAMPLE_SCHOOLS) -> dict[str, dict[str, Any]]:
    """Who names whom and who hosts whom, for the example schools (fixed, so the example shows
    reciprocal and one-way links, an isolated school and visits in both directions)."""
    by_cluster: dict[str, list[SchoolSpec]] = {}
    for s in specs:
        by_cluster.setdefault(s.cluster, []).append(s)
    plan: dict[str, dict[str, Any]] = {}
    for s in specs:
        others = [o for o in by_cluster[s.cluster] if o.key != s.key]
        if s.key == "ysbryd":  # sends its records but names no partnership: shown as isolated
            others = []
        elif s.key == "maes":  # an all-age school working with the nearby secondary
            others = [o for o in specs if o.key == "gwennol"]
        elif s.key == "ty-coch":  # names only the secondary: a one-way link
            others = [o for o in others if o.key == "aber"]
        plan[s.key] = {"partners": others, "visit_team": []}
    # the example school's own cluster: the secondary names it too
    plan["gwennol"]["extra_partner"] = True
    # peer review visits: a primary hosts reviewers from another cluster's primary, and back
    team = {s.key: s for s in specs}
    plan["derwen"]["visit_team"] = [team["castell"]]
    plan["castell"]["visit_team"] = [team["derwen"]]
    plan["gwennol"]["visit_team"] = [team["aber"]]
    return plan


def _generator_store(root: Path) -> RecordStore:
    return RecordStore(open_database(root / "schools"), device_id="la-example-generator")


def build_bundles(
    specs: list[SchoolSpec],
    la_card: dict[str, Any],
    out_dir: Path,
    *,
    example: bool,
    today: dt.date,
    seed: int = 669,
    evidence: int = 10,
    ids: Iterable[str] | None = None,
    plan: dict[str, dict[str, Any]] | None = None,
    work_dir: Path | None = None,
) -> list[tuple[dict[str, Any], Path]]:
    """Write each school's records and its bundle for the LA; returns (school card, bundle path).

    The schools' identities live in one generator data folder under `work_dir` (a temporary
    folder unless given), each with its own device keys kept in memory: only its cards and its
    bundles leave it."""
    rnd = random.Random(seed)
    tmp = Path(work_dir) if work_dir is not None else Path(tempfile.mkdtemp(prefix="selfeval-la-example-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    identity = la_card["identity"]
    from selfeval_app.exchange.contacts import Contact

    la_contact = Contact(identity["id"], "la", fingerprint(la_card), la_card, bool(identity.get("example")), frozenset())
    recipient = Recipient.from_contact(la_contact)
    store = _generator_store(tmp)
    out: list[tuple[dict[str, Any], Path]] = []
    id_list = list(ids) if ids is not None else [None] * len(specs)
    try:
        for i, spec in enumerate(specs):
            device = DeviceKeys.generate()
            sid = add_identity(store.db, role="school", name_cy=spec.name["cy"], name_en=spec.name["en"], identity_id=id_list[i])
            store.forget_cached_meta()
            keys = LocalKeys(tmp / "schools", _school_identity_dict(spec, sid, device, example=example), device)
            if plan is not None:
                how = plan.get(spec.key, {})
                partners = list(how.get("partners", []))
                if how.get("extra_partner"):
                    partners.append(SchoolSpec("example", EXAMPLE_SCHOOL_NUMBER, EXAMPLE_SCHOOL_NAME, "primary", spec.cluster))
                team = list(how.get("visit_team", []))
            else:  # generated: partners in a cluster of about six consecutive numbers, a few visits
                base = i - i % 6
                partners = [specs[j] for j in range(base, min(base + 6, len(specs))) if j != i and rnd.random() < 0.85]
                team = [specs[(i + 7) % len(specs)]] if rnd.random() < 0.35 and len(specs) > 1 else []
            with store.transaction():
                _Writer(store, sid, spec, rnd, today).build(partners, n_priorities=rnd.randint(3, 7), evidence=evidence, visit_team=team)
            contents = plan_bundle(store, keys, recipient)
            path = out_dir / f"{spec.number.replace('/', '-')}.selfeval-bundle"
            write_bundle(store, keys, recipient, path, contents, note_sent=False)
            out.append((keys.card(), path))
    finally:
        store.db.close(optimize=False)
        if work_dir is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def deliver(la_store: RecordStore, la_keys: LocalKeys, made: list[tuple[dict[str, Any], Path]]) -> int:
    """Trust each school's card and import its bundle at the LA; returns the records imported."""
    n = 0
    for card, path in made:
        contacts.trust(la_store, la_keys, card, fingerprint(card))
        report = import_bundle(la_store, la_keys, path)
        n += len(report.get("new", [])) + len(report.get("changed", []))
    return n


def add_example_schools(la_dir: Path, *, today: dt.date | None = None) -> int:
    """The example LA's dozen schools (idempotent); returns how many schools were added now."""
    from selfeval_app.core.la_schools import ListedSchool, replace_school_list

    la_keys = load_keys(la_dir)
    if la_keys is None or not la_keys.is_example:
        raise ValueError("the example schools go only to the example LA")
    store = RecordStore(open_database(la_dir), device_id=la_keys.device.device_id)
    try:
        day = today or store.clock.today()
        held = {c.identity_id for c in contacts.all_contacts(store)}
        ids = [example_identity(i + 1) for i in range(len(EXAMPLE_SCHOOLS))]
        if all(i in held for i in ids):
            return 0
        with tempfile.TemporaryDirectory(prefix="selfeval-la-example-") as tmp:
            made = build_bundles(list(EXAMPLE_SCHOOLS), la_keys.card(), Path(tmp) / "bundles", example=True, today=day, ids=ids, plan=example_plan(), work_dir=Path(tmp) / "work")
            deliver(store, la_keys, [(c, p) for c, p in made if c["identity"]["id"] not in held])
        listed = [ListedSchool(s.number, s.name["cy"], s.name["en"], i + 2) for i, s in enumerate(EXAMPLE_SCHOOLS)]
        listed.append(ListedSchool(EXAMPLE_SCHOOL_NUMBER, EXAMPLE_SCHOOL_NAME["cy"], EXAMPLE_SCHOOL_NAME["en"], len(listed) + 2))
        for number, name in EXAMPLE_SILENT:
            listed.append(ListedSchool(number, name["cy"], name["en"], len(listed) + 2))
        replace_school_list(store, listed)
        return len([i for i in ids if i not in held])
    finally:
        store.close()
