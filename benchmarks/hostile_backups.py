"""Hostile and damaged backups, built from a good one: the case families of the reliability review.

`build_cases(rng, good, workdir, count)` returns `Case`s (a file to restore, and whether a restore
may legitimately succeed: a bit flip in a zip's date field, say, leaves a usable backup). Used by
`benchmarks/fuzz_backups.py` (2,000+ cases) and by a short run in the default tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import sqlite3
import stat
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from selfeval_app.core.backup_archive import FORMAT_VERSION
from selfeval_app.core.schema import SCHEMA_VERSION


@dataclass
class Good:
    """The members of a good backup."""

    manifest: dict
    database: bytes
    attachments: dict[str, bytes]  # sha256 -> content
    keys: dict[str, bytes]  # keys/device.json and keys/identity.json


@dataclass
class Case:
    family: str
    path: Path
    may_succeed: bool = False


def read_good(path: Path) -> Good:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        attachments = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist() if n.startswith("attachments/")}
        keys = {n: zf.read(n) for n in zf.namelist() if n.startswith("keys/")}
        return Good(manifest, zf.read("database.sqlite3"), attachments, keys)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_zip(path: Path, members: list[tuple], *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """members: (name, bytes) or (name, bytes, mode bits for external_attr)."""
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for member in members:
            name, data = member[0], member[1]
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 3, 9, 0, 0))
            info.compress_type = compression
            if len(member) > 2:
                info.external_attr = member[2] << 16
            zf.writestr(info, data)
    return path


def manifest_for(good: Good, members: dict[str, bytes], **changes) -> bytes:
    manifest = dict(good.manifest)
    manifest["files"] = {n: sha(d) for n, d in members.items() if n != "manifest.json"}
    manifest.update(changes)
    return json.dumps(manifest).encode()


def consistent(path: Path, good: Good, members: dict[str, bytes], extra: list[tuple] = (), **changes) -> Path:
    """A zip whose manifest lists `members` with their true hashes (plus `extra` members unlisted)."""
    listed = [(n, d) for n, d in members.items()]
    return write_zip(path, [("manifest.json", manifest_for(good, members, **changes)), *listed, *extra])


def good_members(good: Good) -> dict[str, bytes]:
    members = {"database.sqlite3": good.database}
    members.update({f"attachments/{h}": d for h, d in good.attachments.items()})
    members.update(good.keys)
    return members


def patch_headers(data: bytes, *, flag_or: int = 0, method: int | None = None, size: int | None = None) -> bytes:
    """Change every member's flag bits / compression method / uncompressed size in the local and
    central headers (the zip module would not write such values itself)."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        offsets = [i.header_offset for i in zf.infolist()]
        start = zf.start_dir
    for off in offsets:  # local header: flags at +6, method at +8, size at +22
        flags = struct.unpack_from("<H", buf, off + 6)[0] | flag_or
        struct.pack_into("<H", buf, off + 6, flags)
        if method is not None:
            struct.pack_into("<H", buf, off + 8, method)
        if size is not None:
            struct.pack_into("<I", buf, off + 22, size)
    pos = start
    while buf[pos : pos + 4] == b"PK\x01\x02":  # central header: flags +8, method +10, size +24
        flags = struct.unpack_from("<H", buf, pos + 8)[0] | flag_or
        struct.pack_into("<H", buf, pos + 8, flags)
        if method is not None:
            struct.pack_into("<H", buf, pos + 10, method)
        if size is not None:
            struct.pack_into("<I", buf, pos + 24, size)
        n, m, k = struct.unpack_from("<HHH", buf, pos + 28)
        pos += 46 + n + m + k
    return bytes(buf)


# -- databases ---------------------------------------------------------------------------------


def edit_database(good: Good, workdir: Path, tag: str, sql: list[str] | Callable) -> bytes:
    path = workdir / f"db-{tag}.sqlite3"
    path.write_bytes(good.database)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if callable(sql):
            sql(conn)
        else:
            for statement in sql:
                conn.execute(statement)
    finally:
        conn.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _database_variants(good: Good, workdir: Path) -> dict[str, bytes]:
    def foreign(conn):
        conn.execute("PRAGMA writable_schema = 1")

    empty_sqlite = workdir / "empty.sqlite3"
    sqlite3.connect(empty_sqlite).close()
    foreign_db = workdir / "foreign.sqlite3"
    c = sqlite3.connect(foreign_db)
    c.execute("CREATE TABLE pupils (name TEXT)")
    c.execute("INSERT INTO pupils VALUES ('x')")
    c.commit()
    c.close()
    variants = {
        "db-zero-length": b"",
        "db-empty-sqlite": empty_sqlite.read_bytes(),
        "db-foreign": foreign_db.read_bytes(),
        "db-not-sqlite": b"hello, this is not a database" * 100,
        "db-trigger": edit_database(good, workdir, "trg", ["CREATE TRIGGER t AFTER UPDATE ON evidence BEGIN UPDATE evidence SET title_cy = 'x'; END"]),
        "db-view": edit_database(good, workdir, "view", ["CREATE VIEW v AS SELECT * FROM evidence"]),
        "db-extra-table": edit_database(good, workdir, "extra", ["CREATE TABLE extra (x)"]),
        "db-extra-index": edit_database(good, workdir, "idx", ["CREATE INDEX extra_idx ON evidence (title_en)"]),
        "db-no-search-index": edit_database(good, workdir, "nosearch", ["DROP TABLE search_index"]),
        "db-newer-user-version": edit_database(good, workdir, "uv", [f"PRAGMA user_version = {SCHEMA_VERSION + 1}"]),
        "db-unknown-migration": edit_database(good, workdir, "mig", ["INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('selfeval', '0002_future', 'x')"]),
        "db-no-migrations": edit_database(good, workdir, "nomig", ["DELETE FROM _sqlite_migrations"]),
        "db-no-owner": edit_database(good, workdir, "owner", ["DELETE FROM meta WHERE key = 'school_owner'"]),
        "db-bad-epoch": edit_database(good, workdir, "epoch", ["UPDATE meta SET value = 'x' WHERE key = 'epoch'"]),
        "db-tampered-row": edit_database(good, workdir, "tamper", ["UPDATE evidence SET title_cy = title_cy || ' wedi newid'"]),
        "db-bad-json": edit_database(good, workdir, "json", ["UPDATE evidence SET area_ids = '{not json'"]),
        "db-text-rev": edit_database(good, workdir, "rev", ["UPDATE evidence SET rev = 'deg'"]),
        "db-bad-utf8": edit_database(good, workdir, "utf8", ["UPDATE evidence SET title_cy = CAST(X'C328' AS TEXT)"]),
        "db-dropped-column": edit_database(good, workdir, "col", ["ALTER TABLE evidence DROP COLUMN summary_en"]),
        "db-wal-header": _wal_header(good.database),
    }
    del foreign
    return variants


def _wal_header(db: bytes) -> bytes:
    buf = bytearray(db)
    buf[18] = buf[19] = 2  # file format numbers 2: a WAL database without its -wal file
    return bytes(buf)


def damaged_database(rng: random.Random, db: bytes) -> bytes:
    """Zero or scramble a random page (not the first: that is covered by other families)."""
    page = 4096
    pages = max(1, len(db) // page)
    buf = bytearray(db)
    n = rng.randrange(1, pages) if pages > 1 else 0
    start = n * page
    if rng.random() < 0.5:
        buf[start : start + page] = bytes(page)
    else:
        for _ in range(rng.randint(1, 40)):
            i = start + rng.randrange(page)
            if i < len(buf):
                buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


# -- the families ------------------------------------------------------------------------------

def _hostile_keys(good: Good) -> list[tuple[str, dict[str, bytes | None]]]:
    """Key members that are not what the app writes (None: the member is left out)."""
    device = json.loads(good.keys["keys/device.json"])
    identity = json.loads(good.keys["keys/identity.json"])
    other_identity = {**identity, "id": "someone-else"}
    removed_entry = [dict(d, device_id="x" + d["device_id"][1:]) for d in identity["devices"]]
    cases: list[tuple[str, dict[str, bytes | None]]] = [
        ("only-device", {"keys/identity.json": None}),
        ("only-identity", {"keys/device.json": None}),
        ("unlisted-key", {}),
        ("key-special", {}),
        ("keys-in-format-1", {}),
        ("other-owner", {"keys/identity.json": json.dumps(other_identity).encode()}),
        ("device-not-listed", {"keys/identity.json": json.dumps({**identity, "devices": removed_entry}).encode()}),
        ("too-large", {"keys/device.json": b" " * (257 * 1024) + good.keys["keys/device.json"]}),
        ("bomb", {"keys/identity.json": b" " * (8 * 1024 * 1024) + good.keys["keys/identity.json"]}),
        ("not-utf8", {"keys/device.json": b"\xff\xfe{}"}),
        ("not-an-object", {"keys/device.json": b"[1, 2]"}),
        ("deep", {"keys/identity.json": b"[" * 50_000 + b"]" * 50_000}),
        ("nan", {"keys/identity.json": json.dumps({**identity, "la_code": float("nan")}).encode()}),
        ("duplicate-key", {"keys/device.json": good.keys["keys/device.json"][:-1] + b', "device_id": "x"}'}),
        ("extra-field", {"keys/device.json": json.dumps({**device, "path": "../../x"}).encode()}),
        ("bad-seed", {"keys/device.json": json.dumps({**device, "signing_seed": "!!"}).encode()}),
        ("bad-age", {"keys/device.json": json.dumps({**device, "age_identity": "AGE-SECRET-KEY-1QQQ"}).encode()}),
        ("wrong-types", {"keys/identity.json": json.dumps({**identity, "example": "yes", "la_code": "1"}).encode()}),
        ("empty", {"keys/device.json": b""}),
    ]
    return cases


HEX = "0123456789abcdef"


def slip_names(outside: Path, i: int) -> list[str]:
    """Names that would land outside attachments/ if a restore trusted them."""
    abs_target = outside.as_posix() + f"/slip-{i}"
    return [
        f"../slip-{i}",
        f"attachments/../../slip-{i}",
        f"attachments/../../../outside/slip-{i}",
        abs_target,
        "attachments/" + abs_target,
        f"//host/share/slip-{i}",
        f"attachments///server/share/slip-{i}",
        f"C:/Users/Public/slip-{i}",
        f"attachments/C:\\Windows\\Temp\\slip-{i}",
        f"attachments\\..\\..\\slip-{i}",
        f"..\\..\\slip-{i}",
        f"backups/selfeval-auto-29991231-000000-n{i:06d}.zip",
        f"attachments/{'A' * 64}",
        f"attachments/{'a' * 63}",
        f"attachments/{'a' * 65}",
        f"attachments/ab/{'a' * 64}",
        "attachments/" + "ａ" * 64,
        "attachments/" + "x" * 300,
        "selfeval.sqlite3",
        f"attachments/{'a' * 64}\x00.txt",
        "",
        "/",
        "database.sqlite3/",
    ]


def build_cases(chooser: random.Random, good: Good, workdir: Path, outside: Path, count: int) -> list[Case]:
    """At least `count` cases, every family represented. `chooser` picks the families; each case
    draws its details from a generator of its own (seeded from `chooser` and its number), so the
    same seed gives the same cases whatever the sizes of the school's files."""
    workdir.mkdir(parents=True, exist_ok=True)
    base = chooser.random()
    rng = random.Random()
    members = good_members(good)
    att_sha, att_data = next(iter(good.attachments.items()))
    db_variants = _database_variants(good, workdir)
    cases: list[Case] = []
    n = 0

    def path(family: str) -> Path:
        nonlocal n
        n += 1
        return workdir / f"{n:05d}-{family}.zip"

    def add(family: str, p: Path, may_succeed: bool = False) -> None:
        cases.append(Case(family, p, may_succeed))

    def slip(i: int) -> None:
        names = slip_names(outside, i)
        name = names[i % len(names)]
        payload = f"slip {i}".encode()
        listed = rng.random() < 0.5
        if listed:
            m = dict(members)
            m[name] = payload
            add("slip-listed", consistent(path("slip"), good, m))
        else:
            add("slip-unlisted", consistent(path("slip"), good, members, extra=[(name, payload)]))

    def special(i: int) -> None:
        kinds = [stat.S_IFLNK | 0o777, stat.S_IFDIR | 0o755, stat.S_IFIFO | 0o644, stat.S_IFCHR | 0o644, stat.S_IFBLK | 0o644, stat.S_IFSOCK | 0o644]
        mode = kinds[i % len(kinds)]
        target = rng.choice(["attachments/" + att_sha, "database.sqlite3"])
        data = members[target] if mode != stat.S_IFLNK | 0o777 else outside.as_posix().encode()
        others = [(k, v) for k, v in members.items() if k != target]
        m = {**members, target: data}
        add("special-member", write_zip(path("special"), [("manifest.json", manifest_for(good, m)), *others, (target, data, mode)]))

    def msdos_dir(_i: int) -> None:
        p = path("dosdir")
        consistent(p, good, members)
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
        data = bytearray(p.read_bytes())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
            pos = zf.start_dir
        for _ in infos:
            attr = struct.unpack_from("<I", data, pos + 38)[0] | 0x10
            struct.pack_into("<I", data, pos + 38, attr)
            nlen, mlen, klen = struct.unpack_from("<HHH", data, pos + 28)
            pos += 46 + nlen + mlen + klen
        p.write_bytes(bytes(data))
        add("special-member", p)

    def duplicate(i: int) -> None:
        which = ["database.sqlite3", "manifest.json", "attachments/" + att_sha][i % 3]
        other = b"other content" if which != "manifest.json" else manifest_for(good, members, reason="x")
        base = [("manifest.json", manifest_for(good, members)), *members.items()]
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the zip module warns about the duplicate name
            add("duplicate", write_zip(path("dup"), [*base, (which, other)]))

    def unlisted(_i: int) -> None:
        data = rng.randbytes(rng.randint(1, 200))
        extra = rng.choice([f"attachments/{sha(data)}", "readme.txt", "attachments/", "backups/x.zip", "database.sqlite3-wal"])
        add("unlisted", consistent(path("unlisted"), good, members, extra=[(extra, data)]))

    def missing(i: int) -> None:
        drop = ["database.sqlite3", "manifest.json", "attachments/" + att_sha][i % 3]
        m = {k: v for k, v in members.items() if k != drop}
        if drop == "manifest.json":
            add("missing-member", write_zip(path("missing"), list(m.items())))
        elif i % 2:  # what make_backup writes when an attachment's file was already missing
            add("missing-member", consistent(path("missing"), good, m), may_succeed=drop != "database.sqlite3")
        else:  # listed in the manifest, but absent
            add("missing-member", write_zip(path("missing"), [("manifest.json", manifest_for(good, members)), *m.items()]))

    deep = "[" * 100_000 + "]" * 100_000
    bad_manifests: list[bytes] = [
        b"[]", b'"selfeval-backup"', b"null", b"42", b"{}", b"", b"{", b"\xff\xfe{}",
        b"\xef\xbb\xbf" + manifest_for(good, members),
        json.dumps({**good.manifest, "files": {}}).encode(),
        json.dumps({**good.manifest, "files": []}).encode(),
        json.dumps({**good.manifest, "files": None}).encode(),
        json.dumps({**good.manifest, "files": "database.sqlite3"}).encode(),
        json.dumps({**good.manifest, "files": {k: 5 for k in members}}).encode(),
        json.dumps({**good.manifest, "files": {k: sha(v).upper() for k, v in members.items()}}).encode(),
        json.dumps({**good.manifest, "files": {k: "0" * 64 for k in members}}).encode(),
        json.dumps({**good.manifest, "format": "other-app"}).encode(),
        json.dumps({k: v for k, v in json.loads(manifest_for(good, members)).items() if k != "format"}).encode(),
        json.dumps({k: v for k, v in json.loads(manifest_for(good, members)).items() if k != "files"}).encode(),
        manifest_for(good, members, format_version="1"),
        manifest_for(good, members, format_version=True),
        manifest_for(good, members, format_version=0),
        manifest_for(good, members, format_version=-1),
        manifest_for(good, members, format_version=10**30),
        manifest_for(good, members, schema_version=None),
        manifest_for(good, members, epoch="x"),
        manifest_for(good, members, surprise={"a": [1, 2, 3]}),
        manifest_for(good, members, reason=[[[[["deep"]]]]]),
        deep.encode(),
        ('{"a":' * 50_000 + "1" + "}" * 50_000).encode(),
        manifest_for(good, members)[:-1] + b', "format": "selfeval-backup"}',
        manifest_for(good, members).replace(b'"epoch": ', b'"epoch": NaN, "x": '),
        b"{" + b" " * (2 * 1024 * 1024) + b"}",
        json.dumps({**good.manifest, "files": {**{k: sha(v) for k, v in members.items()}, "attachments/" + "b" * 64: "b" * 64}}).encode(),
        json.dumps({**good.manifest, "files": {k: sha(v) for k, v in members.items() if k != "database.sqlite3"}}).encode(),
    ]

    def bad_manifest(i: int) -> None:
        raw = bad_manifests[i % len(bad_manifests)]
        add("bad-manifest", write_zip(path("manifest"), [("manifest.json", raw), *members.items()]))

    def newer(i: int) -> None:
        change = [{"format_version": FORMAT_VERSION + 1}, {"schema_version": SCHEMA_VERSION + 1}, {"format_version": 99, "schema_version": 99}][i % 3]
        add("newer-version", consistent(path("newer"), good, members, **change))

    good_zip = consistent(workdir / "good-rebuilt.zip", good, members)
    good_bytes = good_zip.read_bytes()

    def bit_flip(_i: int) -> None:
        buf = bytearray(good_bytes)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(buf))
            buf[pos] ^= 1 << rng.randrange(8)
        p = path("bitflip")
        p.write_bytes(bytes(buf))
        add("bit-flip", p, may_succeed=True)

    def truncate(_i: int) -> None:
        p = path("truncated")
        cut = rng.choice([0, 1, 4, 22, rng.randrange(len(good_bytes)), len(good_bytes) - rng.randint(1, 100)])
        p.write_bytes(good_bytes[:cut])
        add("truncated", p)

    def garbage(_i: int) -> None:
        p = path("garbage")
        p.write_bytes(rng.randbytes(rng.randint(0, 5000)))
        add("garbage", p)

    def bomb(i: int) -> None:
        kind = i % 5
        p = path("bomb")
        if kind == 0:  # an attachment past the 50 MB limit, compressing to little
            data = bytes(51 * 1024 * 1024)
            m = {**members, f"attachments/{sha(data)}": data}
            consistent(p, good, m)
        elif kind == 1:  # a 2 MB manifest
            write_zip(p, [("manifest.json", b"[" + b"0," * (1024 * 1024) + b"0]"), *members.items()])
        elif kind == 2:  # a header claiming 4 GiB for every member
            p.write_bytes(patch_headers(good_bytes, size=0xFFFFFFF0))
        elif kind == 3:  # a header that claims a small size for a large member
            data = bytes(8 * 1024 * 1024)
            m = {**members, f"attachments/{sha(data)}": data}
            p.write_bytes(patch_headers(consistent(p, good, m).read_bytes(), size=100))
        else:  # too many members
            extra = [(f"attachments/{i:064x}", b"") for i in range(200)]
            consistent(p, good, members, extra=extra)
        add("bomb", p)

    def wrong_hash(i: int) -> None:
        kind = i % 3
        p = path("hash")
        if kind == 0:  # attachment content not matching its name, the manifest agreeing with the name
            m = dict(members)
            m["attachments/" + att_sha] = att_data + b"changed"
            raw = json.loads(manifest_for(good, m))
            raw["files"]["attachments/" + att_sha] = att_sha
            write_zip(p, [("manifest.json", json.dumps(raw).encode()), *m.items()])
        elif kind == 1:  # database not matching the manifest
            m = dict(members)
            raw = manifest_for(good, m)
            m["database.sqlite3"] = damaged_database(rng, good.database)
            write_zip(p, [("manifest.json", raw), *m.items()])
        else:  # a well-formed attachment the manifest lists under another hash
            data = rng.randbytes(50)
            m = {**members, f"attachments/{sha(data)}": data}
            raw = json.loads(manifest_for(good, m))
            raw["files"][f"attachments/{sha(data)}"] = sha(b"other")
            write_zip(p, [("manifest.json", json.dumps(raw).encode()), *m.items()])
        add("wrong-hash", p)

    variant_names = sorted(db_variants)

    def bad_database(i: int) -> None:
        name = variant_names[i % len(variant_names)]
        m = {**members, "database.sqlite3": db_variants[name]}
        # A WAL-mode header without a -wal file is a sound database SQLite opens as it is.
        add("database-" + name, consistent(path(name), good, m), may_succeed=name == "db-wal-header")

    def damaged_pages(_i: int) -> None:
        m = {**members, "database.sqlite3": damaged_database(rng, good.database)}
        add("database-damaged-page", consistent(path("dbpage"), good, m), may_succeed=True)

    def compression(i: int) -> None:
        p = path("compression")
        kind = i % 5
        if kind == 0:
            write_zip(p, [("manifest.json", manifest_for(good, members)), *members.items()], compression=zipfile.ZIP_BZIP2)
        elif kind == 1:
            write_zip(p, [("manifest.json", manifest_for(good, members)), *members.items()], compression=zipfile.ZIP_LZMA)
        elif kind == 2:
            p.write_bytes(patch_headers(good_bytes, method=rng.choice([1, 6, 9, 14, 95, 99, 65535])))
        elif kind == 3:
            p.write_bytes(patch_headers(good_bytes, flag_or=0x1))
        else:
            p.write_bytes(patch_headers(good_bytes, flag_or=0x40))  # strong encryption
        add("compression-or-encryption", p)

    def not_a_file(i: int) -> None:
        kind = i % 5
        if kind == 0:
            p = workdir / f"fifo-{i}.zip"
            if hasattr(os, "mkfifo"):
                if not p.exists():
                    os.mkfifo(p)
            else:
                p.write_bytes(b"")
        elif kind == 1:
            p = workdir / f"folder-{i}.zip"
            p.mkdir(exist_ok=True)
        elif kind == 2:
            p = Path("/dev/zero") if Path("/dev/zero").exists() else workdir / "nothing.zip"
        elif kind == 3:
            p = workdir / ("x" * 300 + ".zip")
        else:
            p = workdir / f"missing-{i}.zip"
        add("not-a-file", p)

    key_cases = _hostile_keys(good)

    def hostile_keys(i: int) -> None:
        kind, replace = key_cases[i % len(key_cases)]
        m = {**members, **replace}
        for name in [n for n, d in replace.items() if d is None]:
            del m[name]
        p = path("keys")
        if kind == "unlisted-key":
            consistent(p, good, {k: v for k, v in m.items() if k != "keys/identity.json"}, extra=[("keys/identity.json", members["keys/identity.json"])])
        elif kind == "key-special":
            others = [(k, v) for k, v in m.items() if k != "keys/device.json"]
            write_zip(p, [("manifest.json", manifest_for(good, m)), *others, ("keys/device.json", m["keys/device.json"], stat.S_IFLNK | 0o777)])
        elif kind == "keys-in-format-1":
            consistent(p, good, m, format_version=1)
        else:
            consistent(p, good, m)
        add("hostile-keys", p)

    families: list[Callable[[int], None]] = [
        slip, special, msdos_dir, duplicate, unlisted, missing, bad_manifest, newer, bit_flip,
        truncate, garbage, bomb, wrong_hash, bad_database, damaged_pages, compression, not_a_file,
        hostile_keys,
    ]
    weights = {hostile_keys: 2, bit_flip: 6, truncate: 2, slip: 4, bad_manifest: 3, bad_database: 3, damaged_pages: 3, bomb: 0.3, special: 2}
    w = [weights.get(f, 1) for f in families]
    i = 0
    while len(cases) < count:
        # each family at least once, then drawn by weight
        family = families[i] if i < len(families) else chooser.choices(families, w)[0]
        rng.seed(f"{base}-{i}")
        family(i)
        i += 1
    return cases
