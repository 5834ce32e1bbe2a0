"""The rules with one home in the core (docs/decisions.md): academic years, a priority's
years, "this language, else the other"; and that the screens use those homes, not copies."""

from __future__ import annotations

import re
from pathlib import Path

from selfeval_app.core.bilingual import other_language, text_or_other
from selfeval_app.core.plan_years import (
    period_key,
    priorities_in_year,
    runs_during,
    runs_in,
    year_label,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "selfeval_app"


def test_year_label_and_period_key():
    assert year_label(2025) == "2025–26"
    assert year_label(1999) == "1999–00"
    assert period_key(2025, "autumn") == "2025-26 autumn"


def test_a_priority_with_no_end_year_runs_on():
    open_ended = {"start_year": 2024, "end_year": None}
    assert not runs_in(open_ended, 2023)
    assert runs_in(open_ended, 2024) and runs_in(open_ended, 2025) and runs_in(open_ended, 2030)
    no_years = {}
    assert runs_in(no_years, 2025)
    bounded = {"start_year": 2025, "end_year": 2026}
    assert [y for y in range(2023, 2029) if runs_in(bounded, y)] == [2025, 2026]
    assert runs_during(bounded, 2026, 2028) and not runs_during(bounded, 2027, 2029)
    assert runs_during({"end_year": 2025}, 2020, 2020)
    assert priorities_in_year([bounded, open_ended, {"start_year": 2026}], 2025) == [bounded, open_ended]


def test_this_language_else_the_other():
    assert other_language("cy") == "en" and other_language("en") == "cy"
    assert text_or_other({"cy": "Ysgol", "en": "School"}, "en") == "School"
    assert text_or_other({"cy": "Ysgol", "en": "  "}, "en") == "Ysgol"
    assert text_or_other({"cy": "", "en": "School"}, "cy") == "School"
    assert text_or_other(None, "cy") == ""


def test_no_copies_of_the_rules_are_left():
    """The year label and the fall-back to the other language are built only in their homes."""
    homes = {SRC / "core" / "plan_years.py", SRC / "core" / "bilingual.py"}
    year_label_copy = re.compile(r"\(\s*\w+\s*\+\s*1\s*\)\s*%\s*100")
    other_language_copy = re.compile(r"""["']en["']\s+if\s+[\w.]+(\(\))?\s*==\s*["']cy["']\s+else\s+["']cy["']""")
    found = []
    for path in SRC.rglob("*.py"):
        if path in homes:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (year_label_copy, other_language_copy):
            for m in pattern.finditer(text):
                found.append(f"{path.relative_to(SRC)}: {m.group(0)}")
    assert found == []
