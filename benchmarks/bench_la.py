"""The local authority's view at the scale of all of Wales (issue 13): ingest of 1,500 generated
school bundles (< 60 s) and the schools list and each cross-school view with 1,500 schools
(< 300 ms each).

The bundles are real: each generated school is an identity with its own keys whose records are
written through the store (`exchange/la_example.build_bundles`: 3–7 priorities with their
criteria, actions and three progress reviews each, evaluations, two indicators, ten pieces of
evidence, a cluster partnership with two joint activities, a peer review visit for about a third;
about 60–110 records shared with the LA, plus a few kept private), sealed to the LA with
`write_bundle`. Generating them takes minutes, so they are cached under
`build/bench_la/<schools>/` (delete it to generate again); the time it took is printed.
Ingest = trust each school's card (set up, timed apart) then `import_bundle` for every bundle,
one transaction each, as sync would. Views: median of 3 runs each, in one process, after ingest.

    python -m benchmarks.bench_la [--schools N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.report import row
from selfeval_app import la_views
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys, setup
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.keys import fingerprint
from selfeval_app.exchange.la_example import SchoolSpec, build_bundles

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = 1500
RUNS = 3
TODAY = dt.date(2026, 12, 3)
VIEW_BUDGET_MS = 300
INGEST_BUDGET_S = 60


def _specs(n: int) -> list[SchoolSpec]:
    out = []
    for i in range(n):
        code = 660 + i % 22
        phase = "secondary" if i % 9 == 0 else "special" if i % 47 == 0 else "primary"
        word = ("Gynradd", "Primary") if phase == "primary" else ("Uwchradd", "High") if phase == "secondary" else ("Arbennig", "Special")
        place = f"Llan{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}ŵy {i}"
        out.append(SchoolSpec(f"s{i}", f"{code}/{2000 + i // 22:04d}", {"cy": f"Ysgol {word[0]} {place}", "en": f"{place} {word[1]} School"}, phase, f"c{i // 6}"))
    return out


def generated(n: int) -> tuple[Path, list[tuple[dict, Path]]]:
    """The cached LA template and the schools' (card, bundle) pairs, generated when missing."""
    cache = ROOT / "build" / "bench_la" / str(n)
    meta = cache / "meta.json"
    if meta.exists():
        info = json.loads(meta.read_text())
        made = [(json.loads(Path(c).read_text()), Path(b)) for c, b in info["made"]]
        if all(b.exists() for _c, b in made):
            print(f"(cached: {n} bundles generated in {info['seconds']:.0f} s on {info['when']}; delete {cache} to make them again)")
            return cache / "la", made
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    t0 = time.perf_counter()
    la_keys = setup.init_la(cache / "la", device_id="bench-la", la_code=669)
    made = build_bundles(_specs(n), la_keys.card(), cache / "bundles", example=False, today=TODAY, seed=1500, work_dir=cache / "work")
    shutil.rmtree(cache / "work", ignore_errors=True)
    cards = cache / "cards"
    cards.mkdir()
    pairs = []
    for card, bundle in made:
        path = cards / f"{card['identity']['id']}.json"
        path.write_text(json.dumps(card))
        pairs.append([str(path), str(bundle)])
    seconds = time.perf_counter() - t0
    meta.write_text(json.dumps({"seconds": seconds, "when": dt.datetime.now().isoformat(timespec="seconds"), "made": pairs}))
    print(f"(generated {n} bundles in {seconds:.0f} s)")
    return cache / "la", made


def main(n: int = SCHOOLS) -> list[str]:
    rows: list[str] = [f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"]
    template, made = generated(n)
    sizes = [b.stat().st_size for _c, b in made]
    rows.append(f"{'  bundles: count, median size':<44} {len(made):>9,}     median {statistics.median(sizes) / 1024:>7.1f} KB")
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-la-") as tmp:
        la_dir = Path(tmp) / "la"
        shutil.copytree(template, la_dir)
        la_keys = keys.require_keys(la_dir)
        store = RecordStore(open_database(la_dir), device_id=la_keys.device.device_id)
        t0 = time.perf_counter()
        for card, _bundle in made:
            contacts.trust(store, la_keys, card, fingerprint(card))
        trust_s = time.perf_counter() - t0
        rows.append(f"{'  trusting the cards (set-up, not ingest)':<44} {trust_s * 1000:>9.0f} ms")
        t0, c0 = time.perf_counter(), time.process_time()
        records = 0
        for _card, bundle in made:
            report = import_bundle(store, la_keys, bundle)
            records += len(report["new"])
        ingest_s, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append(row(f"ingest: {len(made):,} bundles, {records:,} records", ingest_s * 1000, None, f"< {INGEST_BUDGET_S} s", ingest_s < INGEST_BUDGET_S))
        rows.append(f"{'  ingest, CPU time of this process':<44} {ingest_cpu * 1000:>9.0f} ms  ({ingest_s * 1000 / len(made):.1f} ms a bundle)")
        t0 = time.perf_counter()
        la_views.refresh(store)  # the LA view's summaries, once after the imports (then per bundle)
        rows.append(f"{'  LA view summaries brought up to date':<44} {(time.perf_counter() - t0) * 1000:>9.0f} ms")
        t0 = time.perf_counter()
        store.flush_search_index()  # after the imports, as the worker does; not part of ingest
        rows.append(f"{'  search index brought up to date':<44} {(time.perf_counter() - t0) * 1000:>9.0f} ms")
        some = la_views.schools(store, today=TODAY)
        key = some[len(some) // 2].key
        views = [
            ("schools list", lambda: la_views.schools(store, today=TODAY)),
            ("schools list, search 'ŵy 14'", lambda: la_views.schools(store, search="wy 14", today=TODAY)),
            ("la schools --json (with priorities)", lambda: la_views.schools_with_priorities(store, today=TODAY)),
            ("one school's summary", lambda: la_views.school_summary(store, key, today=TODAY)),
            ("alignment", lambda: la_views.alignment(store, today=TODAY)),
            ("progress by national priority", lambda: la_views.progress_by_national_priority(store, today=TODAY)),
            ("collaboration network", lambda: la_views.collaboration(store, today=TODAY)),
            ("combined indicators", lambda: la_views.combined_indicators(store)),
        ]
        # cold: the first view opened after the data changed (reads the snapshot, then the view);
        # then: the view opened after another one (the snapshot is read once while nothing changes)
        for what, fn in views:
            colds, cpus, thens = [], [], []
            for _ in range(RUNS):
                la_views.forget(store)
                t0, c0 = time.perf_counter(), time.process_time()
                fn()
                colds.append((time.perf_counter() - t0) * 1000)
                cpus.append((time.process_time() - c0) * 1000)
                la_views.forget(store)
                la_views.schools(store, today=TODAY)
                t0 = time.perf_counter()
                fn()
                thens.append((time.perf_counter() - t0) * 1000)
            cold, cpu, then = statistics.median(colds), statistics.median(cpus), statistics.median(thens)
            rows.append(row(f"{what}, cold", cold, None, f"< {VIEW_BUDGET_MS} ms", cold < VIEW_BUDGET_MS))
            rows.append(f"{'    CPU time; after another view':<44} {cpu:>9.2f} ms  {then:>9.2f} ms")
        store.close()
    rows.append(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=SCHOOLS)
    for line in main(parser.parse_args().schools):
        print(line)
