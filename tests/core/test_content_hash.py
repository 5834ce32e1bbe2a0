"""Content hash v2: RFC 8785 over a flat form, the same across app versions and record types."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from selfeval_app.core import record_types as rt
from selfeval_app.core import schema
from selfeval_app.core.backup import list_backups
from selfeval_app.core.content_hash import canonical_bytes, content_hash_v2, hash_form, hash_version
from selfeval_app.core.database import _migrate, open_database
from selfeval_app.core.integrity import check_store
from selfeval_app.core.paths import database_path
from selfeval_app.core.records import RecordStore, content_hash, normalise_value

RECORD = {
    "id": "7d1c0b5e-0000-4000-8000-000000000001",
    "type": "evidence",
    "owner": "school-1",
    "updated_by": "d",
    "rev": 3,
    "base_rev": 2,
    "created_at": "2026-10-05T09:00:00Z",
    "updated_at": "2026-10-06T09:00:00Z",
    "content_hash": "x",
    "deleted": False,
    "visibility": "la",
    "date": "2026-10-05",
    "kind": "learning_walk",
    "title": {"cy": "Taith ddysgu ŵ", "en": ""},
    "summary": {"cy": "", "en": ""},
    "area_ids": [],
    "baseline": 1.0,
    "cost": 0,
    "flag": False,
}


def test_the_canonical_form_is_exactly_this():
    """A fixed vector: any later version of the app must give these bytes and this hash."""
    assert canonical_bytes(RECORD) == (
        '{"baseline":1,"cost":0,"date":"2026-10-05","deleted":false,'
        '"id":"7d1c0b5e-0000-4000-8000-000000000001","kind":"learning_walk","owner":"school-1",'
        '"title":{"cy":"Taith ddysgu ŵ"},"type":"evidence","visibility":"la"}'
    ).encode()
    assert content_hash_v2(RECORD) == "v2:" + hashlib.sha256(canonical_bytes(RECORD)).hexdigest()
    assert content_hash_v2(RECORD) == "v2:d015d467053c1076493887722ac6d5b04a1c93ebdf3f68cee33c6be9dfbf970f"


def test_when_and_who_are_not_hashed():
    other = dict(RECORD, rev=9, base_rev=8, updated_by="e", created_at="2027", updated_at="2028", content_hash="y")
    assert content_hash_v2(other) == content_hash_v2(RECORD)
    for key, value in (("id", "z"), ("owner", "school-2"), ("deleted", True), ("visibility", "peers"), ("type", "action")):
        assert content_hash_v2(dict(RECORD, **{key: value})) != content_hash_v2(RECORD), key


def test_empty_and_missing_fields_hash_the_same():
    bare = {k: v for k, v in RECORD.items() if k not in ("summary", "area_ids", "flag")}
    assert content_hash_v2(bare) == content_hash_v2(RECORD)
    assert content_hash_v2(dict(RECORD, summary=None, area_ids=None, note="", extra_map={"a": {"b": ""}})) == content_hash_v2(RECORD)
    assert content_hash_v2(dict(RECORD, title={"cy": "Taith ddysgu ŵ"})) == content_hash_v2(RECORD)


def test_an_unknown_field_changes_the_hash():
    assert content_hash_v2(dict(RECORD, weather={"cy": "Heulog"})) != content_hash_v2(RECORD)
    assert "weather" in hash_form(dict(RECORD, weather="sunny"))  # flat, not under "extra"


def test_a_copied_record_type_with_one_more_optional_field_gives_the_same_hash(store):
    """What a newer app with one more optional field computes for the same record."""
    t = rt.record_type("evidence")
    newer = dataclasses.replace(t, fields=(*t.fields, rt.Field("weather", rt.BITEXT, "A new field")))
    rec = store.create("evidence", {"date": "2026-10-05", "kind": "other", "title": {"cy": "Teitl"}})
    as_newer_reads_it = dict(rec)
    for f in newer.fields:
        as_newer_reads_it[f.name] = normalise_value(newer, f, rec.get(f.name))
    assert as_newer_reads_it["weather"] == {"cy": "", "en": ""}
    assert content_hash(newer, as_newer_reads_it) == content_hash(t, rec) == rec["content_hash"]


@given(
    st.dictionaries(
        st.sampled_from(["title", "summary", "lead", "values", "cost_pence", "x_new"]),
        st.one_of(
            st.none(),
            st.text(max_size=5),
            st.integers(-5, 5),
            st.booleans(),
            st.dictionaries(st.sampled_from(["cy", "en"]), st.text(max_size=3)),
            st.lists(st.text(max_size=2), max_size=3),
        ),
    )
)
def test_hash_form_round_trips_and_never_holds_empties(fields):
    rec = dict(RECORD, **fields)
    form = hash_form(rec)
    assert json.loads(canonical_bytes(rec)) == form
    for key, value in form.items():
        assert value not in (None, "", [], {}) and value is not False or key == "deleted"
    # dropping the empties changes nothing
    assert content_hash_v2({k: v for k, v in rec.items() if k in form or k in ("rev",)}) == content_hash_v2(rec)


def test_hash_versions():
    assert hash_version("v2:" + "0" * 64) == 2
    assert hash_version("a" * 64) == 1
    assert hash_version("v2:short") is None and hash_version("") is None and hash_version(None) is None


def _v1_hash(t, rec):
    """The first release's hash, as it was (for the migration test)."""
    content = {f.name: rec.get(f.name) for f in t.fields}
    body = {"type": t.name, "deleted": False, "visibility": rec["visibility"], **content}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_migration_recomputes_every_hash_as_v2_after_a_backup(data_dir, monkeypatch):
    with monkeypatch.context() as m:  # a database as the first release left it
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        m.setattr(schema, "KNOWN_MIGRATIONS", frozenset({"0001_initial"}))
        m.setattr(schema, "SCHEMA_VERSION", 1)
        data_dir.mkdir(parents=True)
        conn = sqlite3.connect(database_path(data_dir), isolation_level=None)
        _migrate(conn)
        owner = "school-owner-1"
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("school_owner", owner), ("database_id", "db-1"), ("epoch", "1")],
        )
        t = rt.record_type("school")
        rec = {"name": {"cy": "Ysgol y Llan", "en": "Llan School"}, "visibility": "private"}
        conn.execute(
            'INSERT INTO "school" (id, owner, updated_by, rev, base_rev, content_hash, created_at, updated_at, '
            "visibility, name_cy, name_en, is_example) VALUES ('s1', ?, 'd', 1, 0, ?, '2026-01-01T00:00:00Z', "
            "'2026-01-01T00:00:00Z', 'private', 'Ysgol y Llan', 'Llan School', 0)",
            (owner, _v1_hash(t, rec)),
        )
        conn.execute(
            'INSERT INTO "evidence" (id, owner, updated_by, rev, base_rev, content_hash, created_at, updated_at, '
            "visibility, date, kind, title_cy, title_en, area_ids, extra) VALUES ('e1', ?, 'd', 2, 1, 'old', "
            "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'la', '2026-01-02', 'other', 'Teitl', '', '[]', "
            "'{\"weather\": \"sunny\"}')",
            (owner,),
        )
        conn.execute("INSERT INTO change_log (epoch, record_id, type, rev, changed_at) VALUES (1, 's1', 'school', 1, 'x')")
        conn.execute("INSERT INTO change_log (epoch, record_id, type, rev, changed_at) VALUES (1, 'e1', 'evidence', 2, 'x')")
        conn.close()
    db = open_database(data_dir)
    try:
        assert any("before-migration" in p.name for p in list_backups(data_dir))
        store = RecordStore(db, device_id="d")
        school, evidence = store.get("school", "s1"), store.get("evidence", "e1")
        assert hash_version(school["content_hash"]) == 2 and school["content_hash"] == content_hash(t, school)
        assert evidence["weather"] == "sunny" and evidence["content_hash"] == content_hash_v2(evidence)
        assert evidence["rev"] == 2 and evidence["visibility"] == "la"
        assert check_store(store) == []
        row = db.conn.execute("SELECT id, role, name_cy, name_en FROM identity").fetchall()
        assert [tuple(r) for r in row] == [(store.owner, "school", "Ysgol y Llan", "Llan School")]
    finally:
        db.close()


_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**60), 2**60),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=6), _JSON, max_size=5))
def test_the_fast_canonical_path_is_rfc8785_byte_for_byte(fields):
    import rfc8785

    rec = dict(RECORD, **{k: v for k, v in fields.items() if k not in ("id", "type", "owner", "deleted", "visibility")})
    try:
        expected = rfc8785.dumps(hash_form(rec))
    except rfc8785.CanonicalizationError:  # e.g. a lone surrogate or an integer RFC 8785 refuses
        return
    assert canonical_bytes(rec) == expected
