"""The benchmark data set (DESIGN §12): a school with five years of records, 20,000 evidence items
and, with evaluations, actions, criteria and reviews, 100,000 bilingual texts in all.

Made once with a fixed seed and kept in benchmarks/out/ (not in git). Generation uses the real
record API; only the durability pragma is relaxed while generating (each save is measured with
`synchronous=FULL` by bench_save, not here).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
SEED = 20261123
YEARS = [2021, 2022, 2023, 2024, 2025]
EVIDENCE = 20_000

CY_WORDS = (
    "dysgwyr darllen ysgrifennu llythrennedd rhifedd presenoldeb lles addysgu dosbarth gwers "
    "cynnydd tystiolaeth athrawon cymorth arweiniad ymddygiad iaith Gymraeg mathemateg gwyddoniaeth "
    "cwricwlwm asesu adborth teuluoedd cymuned llais plant ysgol buarth llyfrgell gweithdy cyd-destun "
    "tŷ ŵyr wyres gêm môr llên cân ŷd Llan-faes gwên clwb disgyblion grwpiau sgiliau datblygu"
).split()
EN_WORDS = (
    "learners reading writing literacy numeracy attendance wellbeing teaching class lesson progress "
    "evidence teachers support guidance behaviour language Welsh mathematics science curriculum "
    "assessment feedback families community voice children school playground library workshop "
    "context house grandson game sea song club pupils groups skills development"
).split()
RARE_CY = "cwningod"  # appears in a handful of records
RARE_EN = "rabbits"


def _sentence(rng: random.Random, words, n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def dataset_dir() -> Path:
    return OUT / "school-5y-20k"


def build(data_dir: Path | None = None) -> Path:
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    data_dir = data_dir or dataset_dir()
    marker = data_dir / "complete"
    if marker.exists():
        return data_dir
    if data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    rng = random.Random(SEED)
    db = open_database(data_dir)
    db.conn.execute("PRAGMA synchronous = OFF")
    store = RecordStore(db, device_id="benchmark")
    texts = 0

    def bi(ncy, nen):
        nonlocal texts
        texts += 2
        return {"cy": _sentence(rng, CY_WORDS, ncy), "en": _sentence(rng, EN_WORDS, nen)}

    store.create("school", {"name": {"cy": "Ysgol Meincnodi", "en": "Benchmark School"}})
    plan = store.create("plan", {"start_year": 2023, "title": bi(4, 4)})
    priorities = []
    for year in YEARS:
        for _p in range(5):
            priorities.append(store.create("priority", {"plan_id": plan["id"], "title": bi(4, 4), "rationale": bi(20, 20), "start_year": year, "end_year": year + 2})["id"])
    for year in YEARS:
        for area in ("estyn-2024-1", "estyn-2024-2", "estyn-2024-3"):
            statements = []
            for k in range(30):
                texts += 2
                statements.append({"id": f"{year}-{area}-{k}", "kind": "strength", "text": {"cy": _sentence(rng, CY_WORDS, 15), "en": _sentence(rng, EN_WORDS, 15)}})
            store.create("evaluation", {"area_id": area, "academic_year": year, "narrative": bi(120, 120), "statements": statements})
    for i in range(EVIDENCE):
        year = YEARS[i % len(YEARS)]
        title = bi(5, 5)
        if i % 4000 == 7:
            title = {"cy": f"Sgwrs am y {RARE_CY}", "en": f"Talk about the {RARE_EN}"}
        store.create(
            "evidence",
            {
                "date": f"{year + (1 if i % 3 else 0)}-{(i % 9) + 1:02d}-{(i % 27) + 1:02d}",
                "kind": "learning_walk",
                "title": title,
                "summary": bi(40, 40),
                "area_ids": [rng.choice(("estyn-2024-1", "estyn-2024-2", "estyn-2024-3"))],
            },
        )
        if i % 2000 == 0:
            print(f"  evidence {i}/{EVIDENCE}", file=sys.stderr)
    while texts < 100_000:
        pri = rng.choice(priorities)
        store.create("action", {"priority_id": pri, "description": bi(10, 10), "cost_pence": rng.randrange(0, 500_000)})
        store.create(
            "progress_review",
            {"priority_id": pri, "date": "2024-12-01", "academic_year": 2024, "term": "autumn", "rag": rng.choice(("red", "amber", "green")), "commentary": bi(30, 30)},
        )
        store.create("success_criterion", {"priority_id": pri, "description": bi(10, 10), "status": "in_progress"})
    db.conn.execute("PRAGMA synchronous = FULL")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    (data_dir / "texts").write_text(str(texts))
    marker.write_text("ok")
    return data_dir


if __name__ == "__main__":
    print(build())
