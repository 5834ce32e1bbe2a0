"""A backup whose search index is damaged (the records sound) restores with a rebuilt index:
found by the fuzz run (`benchmarks.fuzz_backups --seed 1 --count 2000`, family
database-damaged-page): `DELETE FROM search_index` kept the damaged FTS pages."""

from __future__ import annotations

from benchmarks.fuzz_backups import make_school, run_main
from benchmarks.hostile_backups import consistent, edit_database, good_members, read_good

from selfeval_app.core.backup import make_backup


def test_a_backup_with_a_damaged_search_index_restores_with_a_sound_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_CONFIG_DIR", str(tmp_path / "config"))
    data = tmp_path / "data"
    make_school(data)
    good = read_good(make_backup(data, tmp_path / "good.zip"))
    # FTS5 keeps its index in blobs: damaged blobs leave SQLite's own checks content.
    damaged_db = edit_database(good, tmp_path, "fts", ["UPDATE search_index_data SET block = zeroblob(length(block)) WHERE id > 1"])
    members = {**good_members(good), "database.sqlite3": damaged_db}
    backup = consistent(tmp_path / "damaged-index.zip", good, members)
    code, text = run_main(["restore", str(backup), "--data-dir", str(data), "--lang", "en"])
    assert code == 0, text
    code, text = run_main(["check", "--data-dir", str(data), "--lang", "en"])
    assert code == 0, text
