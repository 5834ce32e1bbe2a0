"""Fuzz restore with hostile and damaged backups (seeded, reproducible).

    python -m benchmarks.fuzz_backups --seed 1 --count 2000 [--subprocess 25]

Builds the cases of `benchmarks/hostile_backups.py` from a small real school and restores each into
one data folder through the CLI's `main()` (in-process, for speed), plus a sample through a real
`python -m selfeval_app` subprocess. Checks: no write outside the data folder, no internal error
(exit 70, a traceback, a hang), no partial state (the data folder byte-identical after a refusal),
an accepted backup leaves sound data, and a valid backup still restores. Prints a summary table
like the reliability review's and exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.hostile_backups import build_cases, read_good

# Where a slip through a UNC or drive-letter name would land on this machine.
_STRAY_ROOTS = (Path("/server"), Path("/host"), Path("C:"), Path("//host"))


def make_school(data_dir: Path) -> None:
    from selfeval_app.core.attachments import attach
    from selfeval_app.core.database import open_database
    from selfeval_app.core.records import RecordStore

    db = open_database(data_dir)
    store = RecordStore(db, device_id="fuzz-device")
    store.create("school", {"name": {"cy": "Ysgol y Fuzz", "en": "Fuzz School"}})
    for i in range(12):
        ev = store.create("evidence", {"date": "2026-05-01", "kind": "other", "title": {"cy": f"Tystiolaeth {i}", "en": f"Evidence {i}"}, "area_ids": []})
    source = data_dir.parent / "nodyn.txt"
    source.write_text("Nodyn ar gyfer y copi wrth gefn.\n" * 20, encoding="utf-8")
    attach(store, ev["id"], source)
    source.unlink()
    store.flush_search_index()
    from selfeval_app.exchange.keys import ensure_identity

    ensure_identity(store)  # the backup carries keys/ (device.json, identity.json)
    db.close()


def tree_state(root: Path, *, skip: Path | None = None) -> dict[str, str]:
    state: dict[str, str] = {}
    if not root.exists():
        return state
    for path in sorted(root.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            state[rel] = "dir"
        elif path.is_file():
            state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[rel] = "special"
    return state


def run_main(args: list[str]) -> tuple[int, str]:
    from selfeval_app.cli import main

    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(args)
    return code, err.getvalue() + out.getvalue()


def run_subprocess(args: list[str], env: dict) -> tuple[int, str]:
    try:
        done = subprocess.run([sys.executable, "-m", "selfeval_app", *args], capture_output=True, text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return -1, "hang"
    return done.returncode, done.stderr + done.stdout


@dataclass
class Row:
    cases: int = 0
    crashes: int = 0
    corrupt: int = 0
    partial: int = 0
    outside: int = 0
    unclear: int = 0
    accepted: int = 0


@dataclass
class Result:
    rows: dict[str, Row] = field(default_factory=lambda: defaultdict(Row))
    valid_restores: bool = False
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> Row:
        total = Row()
        for row in self.rows.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total

    @property
    def ok(self) -> bool:
        t = self.total
        return self.valid_restores and not (t.crashes or t.corrupt or t.partial or t.outside or t.unclear)

    def table(self) -> str:
        lines = [
            "| Family | Cases | Crashes | Data loss / corruption | Partial state | Writes outside | Unclear messages | Accepted (allowed) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name in sorted(self.rows):
            r = self.rows[name]
            lines.append(f"| {name} | {r.cases} | {r.crashes} | {r.corrupt} | {r.partial} | {r.outside} | {r.unclear} | {r.accepted} |")
        t = self.total
        lines.append(f"| **Total** | **{t.cases}** | **{t.crashes}** | **{t.corrupt}** | **{t.partial}** | **{t.outside}** | **{t.unclear}** | **{t.accepted}** |")
        lines.append(f"A valid backup still restores: {'yes' if self.valid_restores else 'NO'}")
        return "\n".join(lines)


def fuzz(seed: int, count: int, root: Path, *, subprocess_sample: int = 0) -> Result:
    from selfeval_app.core.backup import make_backup

    rng = random.Random(seed)
    template, work = root / "template", root / "work"
    data, outside = work / "data", work / "outside"
    os.environ["SELFEVAL_CONFIG_DIR"] = str(root / "config")
    make_school(template)
    good_path = make_backup(template, root / "good.zip")
    good = read_good(good_path)
    outside.mkdir(parents=True)
    shutil.copytree(template, data)
    cases = build_cases(rng, good, root / "cases", outside, count)
    baseline = tree_state(data)
    around = tree_state(work, skip=data)
    result = Result()
    sample = set(rng.sample(range(len(cases)), min(subprocess_sample, len(cases))))
    env = {**os.environ, "SELFEVAL_LANG": "en"}

    def reset() -> None:
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(template, data)

    for index, case in enumerate(cases):
        args = ["restore", str(case.path), "--data-dir", str(data), "--lang", "en"]
        code, text = run_subprocess(args, env) if index in sample else run_main(args)
        row = result.rows[case.family + (" (subprocess)" if index in sample else "")]
        row.cases += 1
        problem = None
        if code not in (0, 1) or "Traceback" in text:
            row.crashes += 1
            problem = "crash"
        if tree_state(work, skip=data) != around or any(p.exists() for p in _STRAY_ROOTS):
            row.outside += 1
            problem = "outside"
            around = tree_state(work, skip=data)
        if code == 0:
            row.accepted += 1
            check, _ = run_main(["check", "--data-dir", str(data), "--lang", "en"])
            if not case.may_succeed or check != 0:
                row.corrupt += 1
                problem = "accepted" if check == 0 else "accepted, then check failed"
            reset()
        elif code == 1:
            if tree_state(data) != baseline:
                row.partial += 1
                problem = "partial"
                reset()
            if "Nothing was changed" not in text:
                row.unclear += 1
                problem = "unclear"
        else:
            reset()
        if problem:
            result.failures.append(f"{case.family} {case.path.name}: {problem}: exit {code}: {text.strip()[:300]}")
    code, text = run_main(["restore", str(good_path), "--data-dir", str(data), "--lang", "en"])
    check, _ = run_main(["check", "--data-dir", str(data), "--lang", "en"])
    result.valid_restores = code == 0 and check == 0
    if not result.valid_restores:
        result.failures.append(f"valid backup: exit {code}, check {check}: {text[:300]}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--subprocess", type=int, default=25, help="how many cases to run through a real subprocess")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="selfeval-fuzz-backups-"))  # test data only, never a school's
    try:
        result = fuzz(args.seed, args.count, root, subprocess_sample=args.subprocess)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(result.table())
    for line in result.failures[:50]:
        print("FAIL", line)
    families = Counter(name.split(" ")[0] for name in result.rows)
    print(f"{sum(r.cases for r in result.rows.values())} cases in {len(families)} families, seed {args.seed}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
