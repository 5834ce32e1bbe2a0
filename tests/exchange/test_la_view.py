"""The local authority's view (issue 13): the example school sends a bundle to the example LA,
`la schools --json` lists it with its last bundle date, priorities and national tags; a priority
made private is gone at the LA after the next bundle; the LA holds nothing the school marked
private; the dozen example schools; exports (CSV and the summary PDF)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from selfeval_app import la_views
from selfeval_app.cli import main
from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.exchange import keys as keys_mod
from selfeval_app.exchange.la_example import EXAMPLE_SCHOOLS, add_example_schools, example_identity
from selfeval_app.exchange.redact import stand_in


def run(capsys, *args, lang="en"):
    """`selfeval ARGS --lang LANG`; lang None for `report`, whose --lang is the report's."""
    code = main([*map(str, args), *(["--lang", lang] if lang else [])])
    out, err = capsys.readouterr()
    return code, out, err


def la_json(capsys, la_dir):
    code, out, err = run(capsys, "la", "schools", "--json", "--data-dir", la_dir)
    assert code == 0, err
    return json.loads(out)["schools"]


def send(capsys, pair, tmp_path, name="b.selfeval-bundle"):
    la_fp = keys_mod.require_keys(pair.la).fingerprint()
    bundle = tmp_path / name
    code, _, err = run(capsys, "bundle", "export", "--to", la_fp, "--out", bundle, "--data-dir", pair.school)
    assert code == 0, err
    code, _, err = run(capsys, "bundle", "import", bundle, "--json", "--data-dir", pair.la)
    assert code == 0, err


def school_records(data_dir):
    store = RecordStore(open_database(data_dir), device_id="reader")
    try:
        return {t: store.list(t) for t in rt.RECORD_TYPES}, store.owner
    finally:
        store.close()


def test_the_example_school_reaches_the_la_and_a_private_priority_leaves_it(pair, tmp_path, capsys):
    [before] = la_json(capsys, pair.la)  # a trusted contact that has sent nothing yet is listed
    assert before["last_bundle_at"] is None and before["priorities"] == [] and before["shared"] == {}
    send(capsys, pair, tmp_path)
    records, owner = school_records(pair.school)
    [row] = la_json(capsys, pair.la)
    assert row["identity_id"] == owner and row["number"] == "669/2318" and row["contact"] is True
    assert row["last_bundle_at"] and row["last_bundle_at"].endswith("Z")
    shared = {p["id"]: p for p in records["priority"] if p["visibility"] == "la"}
    assert shared and {p["id"] for p in row["priorities"]} == set(shared)
    for p in row["priorities"]:
        assert p["national_tags"] == shared[p["id"]]["national_priority_ids"]
        assert p["title"] == shared[p["id"]]["title"]
    assert set(row["national_tags"]) == {t for p in shared.values() for t in p["national_priority_ids"]}
    assert row["partnerships"] == 1  # the cluster; the federation talks are private
    assert row["shared"]["priority"] == len(shared)

    gone = sorted(shared)[0]
    store = RecordStore(open_database(pair.school), device_id="device-S")
    try:
        store.set_visibility("priority", gone, "private")
    finally:
        store.close()
    send(capsys, pair, tmp_path, "b2.selfeval-bundle")
    [row] = la_json(capsys, pair.la)
    assert gone not in {p["id"] for p in row["priorities"]}
    assert {p["id"] for p in row["priorities"]} == set(shared) - {gone}
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        assert la.get("priority", gone) is None
        assert la.conn.execute("SELECT count(*) FROM history WHERE record_id = ?", (gone,)).fetchone()[0] == 0
    finally:
        la.close()


def test_the_la_holds_nothing_the_school_marked_private(pair, tmp_path, capsys):
    send(capsys, pair, tmp_path)
    records, owner = school_records(pair.school)
    private = {r["id"] for rows in records.values() for r in rows if r["visibility"] != "la"}
    assert any(r["visibility"] == "private" for rows in records.values() for r in rows)
    assert records["partnership"] and records["joint_activity"]  # both kinds: shared and private
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        held = {t: la.list(t, include_deleted=True) for t in rt.RECORD_TYPES}
        for t, rows in held.items():
            for r in rows:
                if r["owner"] != owner:
                    continue
                assert r["id"] not in private, (t, r["id"])
                assert r["visibility"] == "la"
        kept = {row[0] for row in la.conn.execute("SELECT record_id FROM history")}
        indexed = {row[0] for row in la.conn.execute("SELECT record_id FROM search_docs")}
        assert not (kept | indexed) & private
    finally:
        la.close()
    # Nor the private texts anywhere in the LA's files (nor their ids: test_private_ids.py).
    blob = b"".join(p.read_bytes() for p in pair.la.rglob("*") if p.is_file())
    for text in ("Trafodaethau ffedereiddio", "Federation talks", "Llan-y-Nant"):
        assert text.encode() not in blob


@pytest.fixture(scope="module")
def example_la(tmp_path_factory):
    """The example LA with its dozen schools (the `demo --role la` data), and the example school
    sending its bundle to it."""
    from exchange_helpers import make_pair

    pair = make_pair(tmp_path_factory.mktemp("la-example"))
    assert add_example_schools(pair.la) == len(EXAMPLE_SCHOOLS)
    assert add_example_schools(pair.la) == 0  # idempotent
    return pair


@pytest.fixture
def la_store(example_la):
    store = RecordStore(open_database(example_la.la), device_id="reader")
    yield store
    store.close()


def test_the_dozen_example_schools_and_the_silent_ones(la_store):
    rows = la_views.schools(la_store, lang="cy")
    assert len([r for r in rows if r.last_bundle_at]) == 12
    silent = [r for r in rows if not r.last_bundle_at]
    assert {r.number for r in silent} == {"669/2301", "669/2302", "669/2318"} and all(r.listed for r in silent)
    assert [r.sort_cy for r in rows] == sorted(r.sort_cy for r in rows)  # Welsh order, no ranking
    assert [r.name_in("cy") for r in la_views.schools(la_store, search="wyn")] == ["Ysgol Llwyn-yr-Ŵyn"]
    assert [r.number for r in la_views.schools(la_store, search="TY COCH")] == ["669/2204"]
    private = la_store.conn.execute(
        "SELECT count(*) FROM priority WHERE visibility != 'la' OR title_en = 'A private priority'"
    ).fetchone()[0]
    assert private == 0


def test_alignment_progress_and_indicators_add_up(la_store):
    a = la_views.alignment(la_store)
    rows = {r.key: r for r in la_views.schools(la_store)}
    for tag in a.tags:
        assert tag.schools == sum(1 for r in rows.values() if tag.tag_id in r.national_tags)
    assert a.many_priorities and all(n > la_views.MANY_PRIORITIES for _s, n in a.many_priorities)
    assert a.untagged and all(not la_store.get("priority", u.priority_id)["national_priority_ids"] for u in a.untagged)
    for t in la_views.progress_by_national_priority(la_store):
        assert sum(t.rag.values()) == t.priorities == sum(t.trend.values())
    combined = la_views.combined_indicators(la_store)
    assert combined and {c.unit for c in combined} == {"%"}
    assert all(c.cohort is None or c.cohort >= 5 for c in combined if not c.suppressed)


def test_collaboration_network_reciprocity_and_isolated_schools(example_la, la_store, tmp_path, capsys):
    net = la_views.collaboration(la_store)
    by_number = {n.number: n.key for n in net.nodes}
    isolated = {n.number for n in net.isolated}
    assert "669/7001" in isolated and {"669/2301", "669/2302"} <= isolated  # the special school, the silent ones
    edge = {(e.a, e.b): e for e in net.edges}

    def link(x, y):
        a, b = sorted((by_number[x], by_number[y]))
        return edge.get((a, b))

    assert link("669/2101", "669/2102").reciprocal  # two primaries of one cluster
    assert link("669/2204", "669/4020").reciprocal  # Tŷ Coch names only the secondary, which names it
    one_way = link("669/2204", "669/2201")  # Castell names Tŷ Coch; Tŷ Coch does not name Castell
    assert not one_way.reciprocal and one_way.named_by == (by_number["669/2201"],)
    assert "peer_review" in link("669/2101", "669/2201").kinds and link("669/2101", "669/2201").visits == 2
    assert net.reciprocal_pairs <= net.named_pairs
    derwen = la_views.school_summary(la_store, by_number["669/2101"])
    castell = by_number["669/2201"]
    assert [v.host_key for v in derwen.visits_given] == [castell]
    assert [v.partner_keys for v in derwen.visits_hosted] == [(castell,)]
    assert all(a.due_date < la_store.clock.today().isoformat() and a.status != "done" for a in derwen.overdue)
    assert {c.area_id for c in derwen.coverage} <= {"estyn-2024-1", "estyn-2024-2", "estyn-2024-3"}
    assert derwen.partnerships and derwen.partnerships[0].activities


def test_the_example_school_joins_its_listed_row_and_the_cluster_link_is_both_ways(example_la, tmp_path, capsys):
    copy = tmp_path / "pair"
    shutil.copytree(example_la.school, copy / "S")
    shutil.copytree(example_la.la, copy / "L")
    from exchange_helpers import Pair

    pair = Pair(copy / "S", copy / "L")
    send(capsys, pair, tmp_path)
    rows = la_json(capsys, pair.la)
    mine = [r for r in rows if r["number"] == "669/2318"]
    assert len(mine) == 1 and mine[0]["listed"] and mine[0]["last_bundle_at"]
    store = RecordStore(open_database(pair.la), device_id="reader")
    try:
        net = la_views.collaboration(store)
    finally:
        store.close()
    me, gwennol = mine[0]["key"], example_identity(1)
    [e] = [e for e in net.edges if {e.a, e.b} == {me, gwennol}]
    assert e.reciprocal and "cluster" in e.kinds
    [d] = [e for e in net.edges if {e.a, e.b} == {me, example_identity(2)}]
    assert not d.reciprocal and d.named_by == (me,)


def test_csv_exports_in_either_language(example_la, tmp_path, capsys):
    out = tmp_path / "ysgolion.csv"
    code, _, err = run(capsys, "la", "export", "--out", out, "--data-dir", example_la.la, lang="cy")
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Ysgol,Rhif yr ysgol,Ar y rhestr,Y bwndel diwethaf")
    assert "Ysgol Llwyn-yr-Ŵyn" in text and len(text.splitlines()) == 16
    code, out_text, err = run(capsys, "la", "export", "--out", tmp_path / "all.csv", "--table", "all", "--data-dir", example_la.la)
    assert code == 0, err
    for name in la_views.TABLES:
        assert (tmp_path / f"all-{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf"), name
    assert "Works with" in (tmp_path / "all-collaboration.csv").read_text(encoding="utf-8-sig")
    code, _, err = run(capsys, "la", "export", "--out", tmp_path / "x.csv", "--table", "league", "--data-dir", example_la.la, lang="cy")
    assert code == 1 and "Nid oes tabl league" in err and "Traceback" not in err


def test_la_commands_refuse_a_school_folder_and_bad_lists(example_la, tmp_path, capsys):
    code, _, err = run(capsys, "la", "schools", "--data-dir", example_la.school, lang="cy")
    assert code == 1 and "awdurdod lleol" in err
    bad = tmp_path / "ysgolion.csv"
    bad.write_text("rhif,enw\n669/2001,Ysgol\n670/2002,Ysgol Arall\n", encoding="utf-8")
    copy = tmp_path / "L"
    shutil.copytree(example_la.la, copy)
    code, _, err = run(capsys, "la", "import-schools", bad, "--data-dir", copy, lang="cy")
    assert code == 1 and "llinell 3" in err and "Ni newidiwyd dim" in err
    store = RecordStore(open_database(copy), device_id="reader")
    try:
        assert store.conn.execute("SELECT count(*) FROM la_school").fetchone()[0] == 15
    finally:
        store.close()
    bad.write_text("rhif,enw\n669/2001,Ysgol y Wern\n", encoding="utf-8")
    code, out, err = run(capsys, "la", "import-schools", bad, "--data-dir", copy)
    assert code == 0 and "1 school" in out, err


def test_the_summary_pdf_welsh_first_fonts_embedded(example_la, tmp_path, capsys):
    out = tmp_path / "crynodeb.pdf"
    code, _, err = run(capsys, "report", "la-summary", "--out", out, "--lang", "both", "--data-dir", example_la.la, lang=None)
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert text.index("Crynodeb yr awdurdod lleol") < text.index("Local authority summary")
    assert text.index("Cysondeb â'r blaenoriaethau cenedlaethol") < text.index("Alignment to national priorities")
    assert "Ysgol Llwyn-yr-Ŵyn" in text and "Llwyn-yr-Ŵyn School" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # emb
    for lang, word in (("cy", "Crynodeb"), ("en", "Local authority summary")):
        single = tmp_path / f"{lang}.pdf"
        assert run(capsys, "report", "la-summary", "--out", single, "--lang", lang, "--data-dir", example_la.la, lang=None)[0] == 0
        only = subprocess.run(["pdftotext", str(single), "-"], capture_output=True, text=True, check=True).stdout
        assert word in only


def test_no_view_reads_our_own_records(la_store):
    """The LA's own identity writes nothing the views count (only schools' records)."""
    owners = set()
    for t in rt.RECORD_TYPES:
        owners |= {r[0] for r in la_store.conn.execute(f'SELECT DISTINCT owner FROM "{t}"')}
    assert la_store.owner not in owners
    assert owners <= {r.key for r in la_views.schools(la_store) if r.identity_id}


def test_the_example_schools_visit_reaches_the_la_as_its_summary_only(pair, tmp_path, capsys):
    """The host lets its LA know that a visit happened (core/peer_review_host: `review_summary`);
    the LA's view of the school lists it as hosted, with its dates, kind and areas, no finding."""
    send(capsys, pair, tmp_path)
    records, owner = school_records(pair.school)
    [visit] = records["review_visit"]
    [row] = la_json(capsys, pair.la)
    la = RecordStore(open_database(pair.la), device_id="reader")
    try:
        assert la.get("review_visit", visit["id"]) is None  # the visit itself never travels to the LA
        summary = la_views.school_summary(la, row["key"])
        [hosted] = summary.visits_hosted
        # the visit is private: the LA knows it by its stand-in, never its id (exchange/redact.py)
        assert (hosted.id, hosted.host_key, hosted.start_date, hosted.kind) == (stand_in(visit["id"]), owner, visit["start_date"], visit["kind"])
        # the framework's areas, and the school's own areas only if shared with the LA (the
        # example's own area is for peers: its id stays at the school)
        shared_areas = {a["id"] for a in records["area"] if a["visibility"] == "la"}
        own_areas = {a["id"] for a in records["area"]}
        expected = {a for q in visit["questions"] for a in q.get("area_ids") or [] if a not in own_areas or a in shared_areas}
        assert set(hosted.areas) == expected and expected
        assert hosted.findings_shared == 0
    finally:
        la.close()
