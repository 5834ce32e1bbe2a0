"""Seeded fuzz run: damaged databases and awkward data folders against every command and the window.

Each case copies a small example school (with one sound backup in its `backups/`), damages it one
way (bit flips, zeroed or truncated pages, an empty or foreign file, a newer app's database, rows
that are not JSON or not UTF-8, missing or changed attachments, misshapen folders, awkward or
too-long names, another program's lock, read-only or unreadable files), then runs `check` and one
other command in turn (export, search, demo, backup, report, the window) as a user would: a new
process, with a timeout. It counts:

* internal errors: exit 70, a traceback, "inside the app", or the window exiting without a dialog;
* hangs: no answer within the timeout;
* partial states: a command that refused changed the data folder (SQLite's own empty -wal/-shm
  and the lock files the app always keeps are not changes) or left an output file;
* unclear messages: a refusal whose message does not name the kind of problem;
* missed damage: `check` said "sound" on a kind it must always see.

    python -m benchmarks.fuzz_databases --seed 1 --count 500 [--no-window] [--jobs 2]

`run_fuzz` is used by the short version in the default test run (tests/test_fuzz_databases.py).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

DB = "selfeval.sqlite3"
TIMEOUT = 90
COMMANDS = ("export", "search", "demo", "backup", "report", "window")
AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

DAMAGED = ("damaged", "cannot be read")  # "may be damaged" (a disk I/O error) contains "damaged"
# Damage check can also see only as a record whose content no longer matches what was saved.
CHANGED = DAMAGED + ("does not match its content hash", "missing from the change log", "attachment", "may be damaged")
# kind -> words one of which the refusal must contain; "must_detect": check may never say sound.
KINDS: dict[str, dict] = {
    "bit-flips": {"words": CHANGED},
    "zero-page": {"words": CHANGED},
    "zero-root-page": {"words": DAMAGED, "must_detect": True},
    "truncated": {"words": DAMAGED, "must_detect": True},
    "zero-length": {"words": ("empty",), "must_detect": True},
    "garbage": {"words": DAMAGED, "must_detect": True},
    "foreign-sqlite": {"words": ("another program's database",), "must_detect": True},
    "newer-version": {"words": ("newer version",), "must_detect": True},
    "row-not-json": {"words": DAMAGED, "must_detect": True},
    "row-not-utf8": {"words": DAMAGED + ("UTF-8",), "must_detect": True},
    "attachment-missing": {"words": ("attachment",), "must_detect": True},
    "attachment-changed": {"words": ("attachment",), "must_detect": True},
    "lock-is-a-folder": {"words": ("cannot be used",)},
    "attachments-is-a-file": {"words": ("cannot be used",), "must_detect": True},
    "data-folder-is-a-file": {"words": ("cannot be used",), "must_detect": True},
    "database-is-a-folder": {"words": ("cannot be used",), "must_detect": True},
    "awkward-name": {"words": ()},
    "name-too-long": {"words": ("too long",), "must_detect": True},
    # In WAL mode another tool's exclusive transaction may still let readers read: check can be right.
    "locked-by-another-program": {"words": ("Another program is using",)},
    "read-only": {"words": ("read-only", "Another program is using"), "nobody": True},
    "unreadable": {"words": ("permission",), "must_detect": True, "nobody": True},
}
AWKWARD = ("Ysgol #3", "Beth? pam", "a%20b", "Ysgol Gymraeg Llanbedr Pont Steffan ŵŷ", "50% & #1?x=y", "ŵ ŷ â ê î ô û")

WINDOW_SCRIPT = r"""
import json, sys
from pathlib import Path
from selfeval_app.gui import dialogs as d
calls = []
class Recorder:
    def information(self, p, t, x): calls.append(["information", x])
    def warning(self, p, t, x): calls.append(["warning", x])
    def question(self, p, t, x): calls.append(["question", x]); return False
    def open_file(self, *a, **k): return None
    def save_file(self, *a, **k): return None
    def open_folder(self, *a, **k): pass
    def open_document(self, *a, **k): return False
d.set_service(Recorder())
from selfeval_app.gui.app import start
ctx = start(Path(sys.argv[1]), "en")
if not isinstance(ctx, int) and not ctx.finish_opening():  # the usual start opens it after the first paint
    ctx = ctx.exit_code
code = ctx if isinstance(ctx, int) else 0
if not isinstance(ctx, int):
    calls.append(["opened", "window" if ctx.window is not None else "first-start"])
    ctx.close()
print("WINDOW_RESULT " + json.dumps({"code": code, "calls": calls}))
"""


@dataclass
class Outcome:
    kind: str
    command: str
    code: int | None
    output: str
    internal: bool = False
    hang: bool = False
    partial: bool = False
    unclear: bool = False
    missed: bool = False
    notes: list[str] = field(default_factory=list)


def _reachable_by_all(folder: Path) -> bool:
    import stat

    path = folder.resolve()
    return all(p.stat().st_mode & stat.S_IXOTH for p in (path, *path.parents))


def shared_temp_base() -> Path | None:
    """A temp folder every user can reach (for running a command as `nobody`), or None."""
    for candidate in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
        folder = Path(candidate)
        if folder.is_dir() and _reachable_by_all(folder):
            return folder
    return None


@functools.cache
def nobody_can_run_the_app() -> bool:
    """Whether `nobody` can start this interpreter and import the app: not when the checkout or its
    venv sits in a folder only root may enter (e.g. a CI clone under a private /tmp)."""
    if not (os.name == "posix" and os.geteuid() == 0 and shutil.which("setpriv")):
        return False
    try:
        probe = subprocess.run([*AS_NOBODY, sys.executable, "-c", "import selfeval_app"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _can_be_nobody() -> bool:
    return shared_temp_base() is not None and nobody_can_run_the_app()


def make_template(root: Path) -> Path:
    """A small example school with one attachment and one sound backup in its folder."""
    folder = root / "template"
    from selfeval_app.core.backup import make_backup
    from selfeval_app.core.demo import build_example_school

    build_example_school(folder, device_id="fuzz-device")
    make_backup(folder, reason="auto")
    return folder


def _root_pages(db_path: Path) -> tuple[int, dict[str, int]]:
    conn = sqlite3.connect(db_path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = {name: page for name, page in conn.execute("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0")}
    finally:
        conn.close()
    return page_size, roots


def damage(kind: str, folder: Path, rng: random.Random) -> Path:
    """Damage `folder` (a copy of the template) one way; returns the data folder to use."""
    db_path = folder / DB
    if kind == "bit-flips":
        data = bytearray(db_path.read_bytes())
        for _ in range(rng.randint(1, 40)):
            i = rng.randrange(100, len(data))
            data[i] ^= 1 << rng.randrange(8)
        db_path.write_bytes(bytes(data))
    elif kind in ("zero-page", "zero-root-page"):
        page_size, roots = _root_pages(db_path)
        pages = db_path.stat().st_size // page_size
        page = rng.choice(sorted(roots.values())) if kind == "zero-root-page" else rng.randint(2, pages)
        with open(db_path, "r+b") as f:
            f.seek((page - 1) * page_size)
            f.write(b"\x00" * page_size)
    elif kind == "truncated":
        size = db_path.stat().st_size
        with open(db_path, "r+b") as f:
            f.truncate(rng.randint(1, size // 2))
    elif kind == "zero-length":
        db_path.write_bytes(b"")
    elif kind == "garbage":
        db_path.write_bytes(rng.randbytes(rng.choice([1, 50, 4096, 65536])))
    elif kind == "foreign-sqlite":
        db_path.unlink()
        conn = sqlite3.connect(db_path)
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.executemany("INSERT INTO contacts VALUES (?, ?)", [(f"Person {i}", str(i)) for i in range(rng.randint(0, 50))])
        conn.commit()
        conn.close()
    elif kind == "newer-version":
        conn = sqlite3.connect(db_path)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('selfeval', '0002_future', 'x')")
        conn.execute("PRAGMA user_version = 2")
        conn.commit()
        conn.close()
    elif kind in ("row-not-json", "row-not-utf8"):
        conn = sqlite3.connect(db_path)
        table, column = rng.choice([("evidence", "area_ids"), ("priority", "evidence_ids"), ("evaluation", "statements"), ("school", "extra")])
        value = "'nid json {'" if kind == "row-not-json" else "CAST(x'c328ff41' AS TEXT)"
        if kind == "row-not-utf8":
            table, column = rng.choice([("evidence", "title_cy"), ("school", "name_cy"), ("priority", "title_en")])
        conn.execute(f'UPDATE "{table}" SET "{column}" = {value} WHERE rowid = (SELECT min(rowid) FROM "{table}")')
        conn.commit()
        conn.close()
    elif kind in ("attachment-missing", "attachment-changed"):
        files = sorted(p for p in (folder / "attachments").rglob("*") if p.is_file())
        target = rng.choice(files)
        target.chmod(0o644)
        if kind == "attachment-missing":
            target.unlink()
        else:
            target.write_bytes(target.read_bytes() + b"x")
    elif kind == "lock-is-a-folder":
        lock = folder / "selfeval.lock"
        if lock.exists():
            lock.unlink()
        lock.mkdir()
    elif kind == "attachments-is-a-file":
        shutil.rmtree(folder / "attachments")
        (folder / "attachments").write_text("x")
    elif kind == "data-folder-is-a-file":
        shutil.rmtree(folder)
        folder.write_text("not a folder")
    elif kind == "database-is-a-folder":
        for suffix in ("", "-wal", "-shm"):
            p = folder / (DB + suffix)
            if p.exists():
                p.unlink()
        db_path.mkdir()
    elif kind == "awkward-name":
        target = folder.with_name(rng.choice(AWKWARD))
        folder.rename(target)
        return target
    elif kind == "name-too-long":
        target = folder / ("ŵ" * rng.randint(128, 200))
        return target
    elif kind == "read-only":
        for p in folder.rglob("*"):
            p.chmod(0o555 if p.is_dir() else 0o444)
        folder.chmod(0o555)
    elif kind == "unreadable":
        db_path.chmod(0o000)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """The data folder's content, minus what SQLite and the app keep there as a matter of course."""
    try:
        exists = folder.exists()
    except OSError:  # a name too long to even look at: watch the folder it would be made in
        return snapshot(folder.parent)
    if not exists:
        return {}
    if folder.is_file():
        return {".": hashlib.sha256(folder.read_bytes()).hexdigest()}
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.name in ("selfeval.lock", "selfeval-demo.lock") or p.name.endswith("-shm"):
            continue
        if p.is_dir():
            out[rel] = "dir"
            continue
        try:
            content = p.read_bytes()
        except OSError:
            out[rel] = "unreadable"
            continue
        if p.name.endswith("-wal") and not content:
            continue
        out[rel] = hashlib.sha256(content).hexdigest()
    return out


def _command_args(command: str, data: Path, out_dir: Path) -> list[str]:
    if command == "check":
        return ["check", "--data-dir", str(data), "--lang", "en"]
    if command == "export":
        return ["export", "--out", str(out_dir / "export.json"), "--data-dir", str(data), "--lang", "en"]
    if command == "search":
        return ["search", "ysgol", "--json", "--data-dir", str(data), "--lang", "en"]
    if command == "demo":
        return ["demo", "--data-dir", str(data), "--lang", "en"]
    if command == "backup":
        return ["backup", "--out", str(out_dir / "backup.zip"), "--data-dir", str(data), "--lang", "en"]
    if command == "report":
        return ["report", "sdp-summary", "--draft", "--lang", "en", "--out", str(out_dir / "report.pdf"), "--data-dir", str(data)]
    raise ValueError(command)


def run_command(command: str, data: Path, out_dir: Path, env: dict, prefix: list[str]) -> tuple[int | None, str]:
    if command == "window":
        cmd = [*prefix, sys.executable, "-c", WINDOW_SCRIPT, str(data)]
    else:
        cmd = [*prefix, sys.executable, "-m", "selfeval_app", *_command_args(command, data, out_dir)]
    try:
        result = subprocess.run(cmd, capture_output=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, ""
    return result.returncode, (result.stdout + result.stderr).decode("utf-8", "replace")


def judge(kind: str, command: str, code: int | None, output: str, before: dict, after: dict, out_dir: Path) -> Outcome:
    spec = KINDS[kind]
    outcome = Outcome(kind, command, code, output[-600:])
    if code is None:
        outcome.hang = True
        return outcome
    message = output
    if command == "window":
        line = next((ln for ln in output.splitlines() if ln.startswith("WINDOW_RESULT ")), None)
        if line is None:
            outcome.internal = True
            return outcome
        result = json.loads(line.split(" ", 1)[1])
        code = result["code"]
        outcome.code = code
        shown = [c for c in result["calls"] if c[0] in ("warning", "question", "information")]
        message = "\n".join(c[1] for c in shown)
        if code != 0 and not shown:
            outcome.internal = True
            outcome.notes.append("window exited without a dialog")
        opened = [c for c in result["calls"] if c[0] == "opened"]
        if spec.get("must_detect") and opened and opened[0][1] == "first-start" and kind in ("zero-length", "foreign-sqlite"):
            outcome.unclear = True
            outcome.notes.append("offered as a new school")
    if code == 70 or "Traceback" in output or "inside the app" in output:
        outcome.internal = True
    if code not in (0, 70) and code is not None:
        if spec["words"] and not any(w in message for w in spec["words"]):
            outcome.unclear = True
        if before != after:
            outcome.partial = True
            changed = sorted(set(before) ^ set(after) | {k for k in before if before.get(k) != after.get(k)})
            outcome.notes.append("changed: " + ", ".join(changed[:5]))
        if any(out_dir.iterdir()):
            outcome.partial = True
            outcome.notes.append("output file left")
    if command == "check" and code == 0 and spec.get("must_detect"):
        outcome.missed = True
    return outcome


def _hold_lock(db_path: Path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # in WAL mode the lock is taken here
    return conn


def run_case(index: int, kind: str, command: str, template: Path, root: Path, seed: int, config: Path) -> list[Outcome]:
    rng = random.Random(f"{seed}-{index}")
    case = root / f"case-{index:04d}"
    case.mkdir()
    folder = case / "data"
    shutil.copytree(template, folder)
    data = damage(kind, folder, rng)
    nobody = KINDS[kind].get("nobody")
    prefix: list[str] = []
    if nobody:
        prefix = AS_NOBODY
        for p in [case, *case.rglob("*")]:
            if p.is_dir() and kind != "read-only":
                p.chmod(0o777)
            elif kind != "read-only" and p.name != DB:
                p.chmod(0o666)
        if kind == "read-only":
            case.chmod(0o777)
    env = {**os.environ, "SELFEVAL_CONFIG_DIR": str(config), "QT_QPA_PLATFORM": "offscreen", "SELFEVAL_EXAMPLE_DIR": str(case / "example")}
    env.pop("SELFEVAL_DATA_DIR", None)
    env.pop("SELFEVAL_LANG", None)
    outcomes = []
    holder = _hold_lock(data / DB) if kind == "locked-by-another-program" else None
    try:
        for cmd in ("check", command):
            out_dir = case / f"out-{cmd}"
            out_dir.mkdir()
            out_dir.chmod(0o777)
            before = snapshot(data)
            code, output = run_command(cmd, data, out_dir, env, prefix)
            after = snapshot(data)
            outcomes.append(judge(kind, cmd, code, output, before, after, out_dir))
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
        for p in [case, *case.rglob("*")]:
            try:
                if not p.is_symlink():
                    p.chmod(0o777 if p.is_dir() else 0o666)
            except OSError:
                pass
        shutil.rmtree(case, ignore_errors=True)
    return outcomes


def plan(seed: int, count: int, window: bool) -> list[tuple[int, str, str]]:
    rng = random.Random(seed)
    kinds = [k for k in KINDS if not KINDS[k].get("nobody") or _can_be_nobody()]
    commands = [c for c in COMMANDS if window or c != "window"]
    cases = []
    for i in range(count):
        kind = kinds[i % len(kinds)] if i < len(kinds) * 2 else rng.choice(kinds)
        cases.append((i, kind, commands[i % len(commands)]))
    return cases


def run_fuzz(seed: int = 1, count: int = 500, *, window: bool = True, jobs: int = 2, progress=None) -> list[Outcome]:
    base = shared_temp_base()
    root = Path(tempfile.mkdtemp(prefix="selfeval-fuzz-", dir=base))
    root.chmod(0o777)
    try:
        config = root / "config"
        config.mkdir()
        config.chmod(0o777)
        template = make_template(root)
        outcomes: list[Outcome] = []
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run_case, i, kind, cmd, template, root, seed, config) for i, kind, cmd in plan(seed, count, window)]
            for n, future in enumerate(futures, 1):
                outcomes.extend(future.result())
                if progress:
                    progress(n, len(futures))
        return outcomes
    finally:
        shutil.rmtree(root, ignore_errors=True)


def summary(outcomes: list[Outcome]) -> str:
    table = defaultdict(Counter)
    for o in outcomes:
        row = table[o.command]
        row["runs"] += 1
        for name in ("internal", "hang", "partial", "unclear", "missed"):
            row[name] += int(getattr(o, name))
        row["refused"] += int(o.code not in (0, None))
    names = ("runs", "refused", "internal", "hang", "partial", "unclear", "missed")
    lines = ["| command | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    total = Counter()
    for command in ("check", *COMMANDS):
        if command in table:
            total.update(table[command])
            lines.append(f"| {command} | " + " | ".join(str(table[command][n]) for n in names) + " |")
    lines.append("| **total** | " + " | ".join(str(total[n]) for n in names) + " |")
    return "\n".join(lines)


def bad(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.internal or o.hang or o.partial or o.unclear or o.missed]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-window", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    outcomes = run_fuzz(args.seed, args.count, window=not args.no_window, jobs=args.jobs,
                        progress=lambda n, total: print(f"\r{n}/{total}", end="", file=sys.stderr, flush=True))
    print(file=sys.stderr)
    print(f"seed {args.seed}, {args.count} cases, {len(outcomes)} runs, {time.monotonic() - started:.0f} s")
    print(summary(outcomes))
    kinds = Counter(o.kind for o in outcomes if o.command == "check")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for o in bad(outcomes)[:40]:
        flags = [n for n in ("internal", "hang", "partial", "unclear", "missed") if getattr(o, n)]
        print(f"- {o.kind} / {o.command}: exit {o.code} {flags} {'; '.join(o.notes)}\n    {o.output.strip()[-300:]}")
    return 1 if bad(outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
