"""Fuzz the bundle reader and import with hostile bundles (issue 10: >= 10,000, 0 crashes, 0
partial imports).

    python -m benchmarks.fuzz_bundles --seed 1 --count 10000

An example school S sends to an example LA L. Each case starts from S's real bundle for L and
breaks it one way, chosen by the seeded generator: bytes of the sealed file; bytes of the inner
zip (sealed again); records.jsonl changed and then signed *validly* (a line dropped, doubled,
cut, a value of the wrong type, a field removed, an id or owner swapped, an unknown type); the
manifest changed and signed validly; member names, kinds and compression; attachments.
Each import must either be refused (BundleRefused) with L's folder exactly as it was, or be
accepted whole (then L is put back). Anything else - another exception, a changed folder after
a refusal, an accepted import that lacks some of its records - is counted and printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import contacts, keys, setup
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import (
    ZIP_TIME,
    Recipient,
    encrypt_to,
    sign_manifest,
    write_bundle,
)
from selfeval_app.exchange.errors import BundleRefused

TABLES = [*rt.RECORD_TYPES, "history", "change_log", "exchange_received", "exchange_import", "exchange_conflict", "meta"]


def state(data_dir: Path):
    conn = sqlite3.connect(f"file:{data_dir / 'selfeval.sqlite3'}?mode=ro", uri=True)
    try:
        rows = tuple(tuple(conn.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()) for t in TABLES)
    finally:
        conn.close()
    files = tuple(sorted(str(p) for p in (data_dir / "attachments").rglob("*") if p.is_file())) if (data_dir / "attachments").exists() else ()
    return rows, files


def setup_pair(root: Path):
    from selfeval_app.core.attachments import store_file
    from selfeval_app.core.demo import build_example_school

    s_dir, l_dir = root / "S", root / "L"
    build_example_school(s_dir, device_id="fuzz-S")
    s = RecordStore(open_database(s_dir), device_id="fuzz-S")
    ks = keys.ensure_identity(s)
    _, kl = setup.demo_la(l_dir, device_id="fuzz-L")
    note = root / "nodyn.txt"
    note.write_text("Nodiadau'r daith ddysgu: ŵ ŷ â.\n" * 50, encoding="utf-8")
    sha, size = store_file(s_dir, note)
    evidence = s.list("evidence", where="visibility = 'la'")[0]
    s.create("attachment", {"name": "nodyn.txt", "size": size, "sha256": sha, "media_type": "text/plain", "attached_to": evidence["id"]}, visibility="la")
    contacts.trust(s, ks, kl.card(), kl.fingerprint())
    la = RecordStore(open_database(l_dir), device_id="fuzz-L")
    contacts.trust(la, kl, ks.card(), ks.fingerprint())
    la.close()
    bundle = root / "base.selfeval-bundle"
    write_bundle(s, ks, Recipient.from_contact(contacts.get(s, kl.identity_id)), bundle)
    s.close()
    with tempfile.TemporaryFile() as inner:
        import pyrage

        with open(bundle, "rb") as src:
            pyrage.decrypt_io(src, inner, [kl.device.age])
        inner.seek(0)
        with zipfile.ZipFile(inner) as zf:
            members = {name: zf.read(name) for name in zf.namelist()}
    return l_dir, ks, kl, bundle, members


def seal(out: Path, kl, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> None:
    with tempfile.TemporaryFile() as inner:
        with zipfile.ZipFile(inner, "w") as zf:
            for info, data in entries:
                if isinstance(info, str):
                    info = zipfile.ZipInfo(info, ZIP_TIME)
                zf.writestr(info, data)
        inner.seek(0)
        encrypt_to(inner, out, [kl.device.age.to_public().__str__()])


def signed(ks, kl, manifest: dict, others: list[tuple]) -> list[tuple]:
    try:
        manifest_bytes, sig = sign_manifest(ks, manifest)
    except TypeError:  # not canonical (a float): signed as it is, which a reader must refuse
        manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")
        sig = ks.device.sign(manifest_bytes).encode("ascii")
    return [("manifest.json", manifest_bytes), ("manifest.sig", sig), *others]


def relist(manifest: dict, members: dict[str, bytes]) -> dict:
    manifest = json.loads(json.dumps(manifest))
    manifest["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()}
    return manifest


WRONG_VALUES = [None, 0, -1, 1.5, "", "x" * 300, [], {}, True, {"cy": 1}, ["a", 2], "2026-13-45", 10**30]


def mutate_records(rng: random.Random, lines: list[bytes]) -> list[bytes]:
    lines = list(lines)
    if not lines:
        return [b"{}"]
    kind = rng.randrange(9)
    i = rng.randrange(len(lines))
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        lines[i] = lines[i][: rng.randrange(len(lines[i]))]
    elif kind == 3:
        b = bytearray(lines[i])
        b[rng.randrange(len(b))] = rng.randrange(256)
        lines[i] = bytes(b)
    else:
        try:
            rec = json.loads(lines[i])
            other_id = json.loads(rng.choice(lines)).get("id")
        except (ValueError, AttributeError):  # an earlier mutation already broke it
            return lines[:i] + lines[i + 1 :]
        if not isinstance(rec, dict) or not rec:
            return lines
        key = rng.choice(sorted(rec))
        if kind == 4:
            rec[key] = rng.choice(WRONG_VALUES)
        elif kind == 5:
            del rec[key]
        elif kind == 6:
            rec["owner"] = "11111111-1111-4111-8111-111111111111"
        elif kind == 7:
            rec["type"] = rng.choice(["spaceship", "school", "attachment", "evidence", ""])
        else:
            rec["id"] = other_id if rng.random() < 0.5 else "../../etc"
        if rng.random() < 0.5:  # a sender could also recompute the hash
            from selfeval_app.core.records import content_hash

            try:
                rec["content_hash"] = content_hash(rt.record_type(rec["type"]), rec)
            except Exception:  # noqa: BLE001 - a broken record may not hash at all
                pass
        lines[i] = json.dumps(rec, ensure_ascii=False).encode("utf-8")
    return lines


def make_case(rng: random.Random, out: Path, ks, kl, base: bytes, members: dict[str, bytes]) -> str:
    manifest = json.loads(members["manifest.json"])
    others = {n: d for n, d in members.items() if not n.startswith("manifest.")}
    kind = rng.randrange(6)
    if kind == 0:  # bytes of the sealed file
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        out.write_bytes(bytes(data))
        return "sealed-bytes"
    if kind == 1:  # bytes of the inner zip, sealed again
        with tempfile.TemporaryFile() as tmp:
            with zipfile.ZipFile(tmp, "w") as zf:
                for n, d in members.items():
                    zf.writestr(zipfile.ZipInfo(n, ZIP_TIME), d)
            tmp.seek(0)
            data = bytearray(tmp.read())
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with tempfile.TemporaryFile() as tmp:
            tmp.write(bytes(data))
            tmp.seek(0)
            encrypt_to(tmp, out, [str(kl.device.age.to_public())])
        return "zip-bytes"
    if kind == 2:  # records changed, signed validly
        lines = [line for line in others["records.jsonl"].split(b"\n") if line]
        for _ in range(rng.randint(1, 3)):
            lines = mutate_records(rng, lines)
        others["records.jsonl"] = b"".join(line + b"\n" for line in lines)
        seal(out, kl, signed(ks, kl, relist(manifest, others), list(others.items())))
        return "records"
    if kind == 3:  # manifest changed, signed validly
        m = json.loads(json.dumps(manifest))
        path = rng.choice(["format", "format_version", "min_reader_version", "bundle_id", "sender", "recipients", "sequence", "counts", "members", "schema_version"])
        m[path] = rng.choice([*WRONG_VALUES, 2, "selfeval-bundle", [{"identity": kl.identity_id}], {"from": 5, "to": 1, "device": ks.device.device_id}])
        seal(out, kl, signed(ks, kl, m, list(others.items())))
        return "manifest"
    if kind == 4:  # member names, kinds, compression
        name = rng.choice(["../x", "/abs", "attachments/", "attachments/../records.jsonl", "records.jsonl", "attachments/" + "0" * 64, "a" * 300, "records.JSONL", "manifest.json"])
        info = zipfile.ZipInfo(name, ZIP_TIME)
        choice = rng.randrange(4)
        if choice == 0:
            info.external_attr = 0o120777 << 16
        elif choice == 1:
            info.compress_type = zipfile.ZIP_DEFLATED
        elif choice == 2:
            info.external_attr = 0o040755 << 16
        payload = b"\0" * rng.choice([0, 10, 10**6])
        entries = [*others.items(), (info, payload)]
        seal(out, kl, signed(ks, kl, relist(manifest, {**others, name: payload}) if rng.random() < 0.5 else manifest, entries))
        return "members"
    # attachments: wrong bytes, missing, extra
    att = [n for n in others if n.startswith("attachments/")]
    choice = rng.randrange(3)
    if choice == 0 and att:
        others[att[0]] = others[att[0]] + b"!"
    elif choice == 1 and att:
        del others[att[0]]
    else:
        others["attachments/" + hashlib.sha256(b"extra").hexdigest()] = b"extra"
    seal(out, kl, signed(ks, kl, relist(manifest, others), list(others.items())))
    return "attachments"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", UserWarning)  # zipfile warns as it writes the duplicate names
    rng = random.Random(args.seed)
    crashes: list[str] = []
    partial: list[str] = []
    tally: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="selfeval-fuzz-") as tmp:
        root = Path(tmp)
        l_dir, ks, kl, base_path, members = setup_pair(root)
        template = root / "L-template"
        shutil.copytree(l_dir, template)
        base = base_path.read_bytes()
        clean = state(l_dir)
        out = root / "case.selfeval-bundle"
        la = RecordStore(open_database(l_dir), device_id="fuzz-L")
        for i in range(args.count):
            kind = make_case(rng, out, ks, kl, base, members)
            counts = tally.setdefault(kind, [0, 0])
            try:
                report = import_bundle(la, kl, out)
            except BundleRefused:
                counts[0] += 1
                if state(l_dir) != clean:
                    partial.append(f"case {i} ({kind}): refused but the folder changed")
                continue
            except Exception as exc:  # noqa: BLE001 - that is what is counted
                crashes.append(f"case {i} ({kind}): {type(exc).__name__}: {exc}")
                if state(l_dir) != clean:
                    partial.append(f"case {i} ({kind}): crashed and the folder changed")
            else:
                counts[1] += 1
                imported = len(report["new"]) + len(report["changed"]) + report["unchanged"] + len(report["withdrawn"]) + len(report["conflicts"]) + len(report["flagged"])
                lines = [line for line in zipfile.ZipFile(_decrypted(out, kl)).read("records.jsonl").split(b"\n") if line]
                if imported != len(lines):
                    partial.append(f"case {i} ({kind}): accepted {imported} of {len(lines)} records")
            la.close()
            shutil.rmtree(l_dir)
            shutil.copytree(template, l_dir)
            la = RecordStore(open_database(l_dir), device_id="fuzz-L")
        la.close()
    print(f"fuzz_bundles seed {args.seed}: {args.count} hostile bundles")
    for kind, (refused, accepted) in sorted(tally.items()):
        print(f"  {kind:<14} refused {refused:>6}  accepted whole {accepted:>5}")
    print(f"crashes: {len(crashes)}  partial imports: {len(partial)}")
    for line in (crashes + partial)[:20]:
        print("  " + line)
    return 1 if crashes or partial else 0


def _decrypted(path: Path, kl):
    import io

    import pyrage

    return io.BytesIO(pyrage.decrypt(path.read_bytes(), [kl.device.age]))


if __name__ == "__main__":
    sys.exit(main())
