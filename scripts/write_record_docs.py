"""Write docs/records.md from the record type registry (core/record_types.py).

    python scripts/write_record_docs.py          write the file
    python scripts/write_record_docs.py --check  exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from selfeval_app.core import record_types as rt

DOC = Path(__file__).resolve().parents[1] / "docs" / "records.md"

COMMON = [
    ("id", "UUID, made where the record was first written; never reused"),
    ("type", "record type (the headings below)"),
    ("owner", "identity that may edit it (the `identity` table: school, reviewer or LA); another owner's record is read-only"),
    ("updated_by", "the device that made the change (kept outside the database)"),
    ("rev", "integer, +1 on every change"),
    ("base_rev", "the rev this change was made on"),
    ("content_hash", "`v2:` + SHA-256 of the RFC 8785 hash form (below); same id and base_rev with different hashes is a conflict"),
    ("created_at, updated_at", "UTC ISO-8601 with seconds (display and tie-breaks only)"),
    ("deleted", "tombstone flag: a tombstone keeps type, owner, visibility and rev, not the content"),
    ("visibility", "private \\| peers \\| la: who may receive it (below); new shareable records take `school.default_visibility`"),
]


def render() -> str:
    lines = [
        "# Record types and their fields",
        "",
        "Written by `python scripts/write_record_docs.py` from `src/selfeval_app/core/record_types.py`;",
        "a test fails when this file is out of date. Add a field there (with a migration in",
        "`core/schema.py`), never invent one elsewhere.",
        "",
        "## Fields every record has",
        "",
        "| field | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in COMMON]
    lines += [
        "",
        "Bilingual fields (`bitext`) are stored as `NAME_cy` / `NAME_en` columns and exported as",
        '`{"cy": ..., "en": ...}`; either may be empty; text is NFC-normalised. Money is integer pence.',
        "Dates are local calendar dates `YYYY-MM-DD`. Links live on the linking record.",
        "",
        "## Content hash (version 2)",
        "",
        "`content_hash` is `v2:` + the SHA-256 of the RFC 8785 canonical JSON of the record's *hash",
        "form*: `id`, `type`, `owner`, `deleted`, `visibility`, and every other field whose value is",
        "not empty, fields unknown to this version included, all at the top level. Never in it: `rev`,",
        "`base_rev`, `updated_by`, `created_at`, `updated_at`, `content_hash`. Empty is null, `\"\"`,",
        "`false`, `[]`, `{}` or an object whose members are all empty; empty members of objects are",
        "dropped. So a missing field hashes as an empty one, and adding an optional field changes no",
        "hash. See `core/content_hash.py` and `docs/decisions.md`.",
        "",
        "## Visibility",
        "",
        "Who may receive a record (ordered, each shares more): `private` never leaves the school's own",
        "laptops; `peers` may go to the peer reviewers of a visit the school set up; `la` may go to the",
        "school's local authority and to peer reviewers. Types that carry a visibility a person chooses:",
        ", ".join(f"`{name}`" for name in rt.SHAREABLE_TYPES) + "; the others stay private.",
        "",
    ]
    for t in rt.RECORD_TYPES.values():
        lines += [f"## `{t.name}`", "", t.doc, "", "| field | kind | meaning |", "|---|---|---|"]
        for f in t.fields:
            kind = f.kind
            if f.choices:
                kind += ": " + " \\| ".join(f.choices)
            if f.targets:
                kind += " → " + ", ".join(f.targets)
            required = " (required)" if f.required else ""
            doc = f.doc.replace("|", "\\|")
            lines.append(f"| `{f.name}` | {kind} | {doc}{required} |")
        extras = []
        if t.title_field:
            extras.append(f"sorted by `{t.title_field}` (`sort_cy`, `sort_en`)")
        if t.searchable:
            extras.append("searchable: " + ", ".join(f"`{n}`" for n in t.searchable))
        if extras:
            lines += ["", "; ".join(extras).capitalize() + "."]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print("docs/records.md is out of date: run python scripts/write_record_docs.py")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
