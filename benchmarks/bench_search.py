"""Search on 100,000 texts: the app's search (first page with snippets, one hit per record, the
same `SearchPager` the search page and `selfeval search` use) against the same FTS5 queries by
hand, for a fixed mix of queries (DESIGN §12: ≤ 1.5× and < 30 ms each). The two are timed in
alternation (medians of 40 each)."""

from __future__ import annotations

from benchmarks.dataset import RARE_CY, build
from benchmarks.report import paired_median_ms, row
from selfeval_app.core.database import open_database
from selfeval_app.core.search import count, search
from selfeval_app.core.search_query import build_match_query

RUNS = 40
QUERIES = [
    ("common word, first page with snippets", "darllen"),
    ("rare word", RARE_CY),
    ("prefix", "llythr*"),
    ("accent-folded word (ty → tŷ)", "ty"),
]
BY_HAND = (
    "SELECT rowid, title, snippet(search_index, -1, '[', ']', '…', 16) FROM search_index "
    "WHERE search_index MATCH ? ORDER BY rank LIMIT 50"
)


def main() -> list[str]:
    data_dir = build()
    db = open_database(data_dir)
    conn = db.reader()
    texts = (data_dir / "texts").read_text()
    lines = [f"(data set: {texts} bilingual texts)"]
    for label, text in QUERIES:
        hits = count(conn, text)
        match = build_match_query(text)
        # warm both paths once
        search(conn, text)
        conn.execute(BY_HAND, (match,)).fetchall()
        ours, floor = paired_median_ms(
            lambda text=text: search(conn, text), lambda match=match: conn.execute(BY_HAND, (match,)).fetchall(), RUNS
        )
        lines.append(row(f"search: {label} ({hits} hits)", ours, floor, "≤ 1.5×, < 30 ms", ours / floor <= 1.5 and ours < 30))
    conn.close()
    db.close()
    return lines


if __name__ == "__main__":
    print("\n".join(main()))
