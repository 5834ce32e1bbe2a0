"""The local authority's list of its schools (`la_school`), imported from a CSV file.

The file is the list: an import replaces the whole list in one transaction, or changes nothing.
Columns are found by their header (English or Welsh, case and accents ignored): the school number
(`number`, `school number`, `establishment number`, `rhif`, `rhif yr ysgol`, ...), and a name:
`name` (one name, kept as the Welsh name and shown in both languages), or `name_cy` / `Welsh name` /
`enw Cymraeg` and `name_en` / `English name` / `enw Saesneg`. Other columns are ignored. UTF-8
with or without a byte order mark; commas, semicolons or tabs between the columns. Every problem
is reported with its line number, in the user's language, and nothing is changed.

The list is the LA's own table, not records: it is never sent anywhere. A school on the list is
matched to the school that sends bundles by the school number on its key card.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_app.core.errors import UserFacingError
from selfeval_app.core.framework import (
    local_authority_by_code,
    normalise_establishment_number,
)
from selfeval_app.core.i18n import N_, _, ngettext
from selfeval_app.core.records import RecordStore

MAX_FILE_BYTES = 5 * 1024 * 1024  # Wales has about 1,500 schools: a few hundred KB at most
MAX_PROBLEMS = 20  # the first problems are listed; the count says how many more

_NUMBER = ("number", "school number", "establishment number", "estab", "lea/estab", "rhif", "rhif yr ysgol", "rhif ysgol", "rhif sefydliad", "rhif y sefydliad", "school_number", "establishment_number")
_NAME = ("name", "school", "school name", "enw", "enw'r ysgol", "ysgol", "enw ysgol")
_NAME_CY = ("name_cy", "name cy", "welsh name", "name (welsh)", "name in welsh", "school name (welsh)", "enw cymraeg", "enw (cymraeg)", "enw yn gymraeg", "enw_cy")
_NAME_EN = ("name_en", "name en", "english name", "name (english)", "name in english", "school name (english)", "enw saesneg", "enw (saesneg)", "enw yn saesneg", "enw_en")

P_HEADER = N_("line %(line)d: the first line must name the columns, with one for the school number and one for the name (e.g. number,name_cy,name_en)")
P_NUMBER = N_("line %(line)d: “%(value)s” is not a school number (NNN/NNNN, e.g. 669/2001)")
P_NUMBER_LA = N_("line %(line)d: %(value)s does not begin with the code of a local authority in Wales")
P_NUMBER_OTHER_LA = N_("line %(line)d: %(value)s belongs to another local authority (this one is %(code)d)")
P_NAME = N_("line %(line)d: the school has no name")
P_DUPLICATE = N_("line %(line)d: school %(value)s is already on line %(first)d")
P_NOT_UTF8 = N_("line %(line)d: the text is not UTF-8 (in Excel, save it as “CSV UTF-8”)")
P_EMPTY = N_("the file lists no schools")
P_NO_FILE = N_("there is no such file")
P_UNREADABLE = N_("the file cannot be read (%(reason)s)")
P_TOO_BIG = N_("the file is larger than 5 MB; it cannot be a list of schools")


class SchoolListError(UserFacingError):
    """The list was not imported; `problems` are (message id, params) pairs."""

    message_id = N_("The list of schools in %(path)s was not imported, and nothing was changed:")

    def __init__(self, path: str, problems: list[tuple[str, dict[str, Any]]], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(path=path)

    def lines(self) -> list[str]:
        out = [_(m) % p for m, p in self.problems]
        if self.total > len(self.problems):
            more = self.total - len(self.problems)
            out.append(ngettext("and %(count)d more problem", "and %(count)d more problems", more) % {"count": more})
        return out

    def message(self) -> str:
        return "\n".join([super().message(), *("- " + line for line in self.lines())])


@dataclass(frozen=True)
class ListedSchool:
    number: str
    name_cy: str
    name_en: str
    line: int


@dataclass(frozen=True)
class ImportResult:
    added: int  # numbers not on the list before
    removed: int  # numbers on the list before and not in the file
    kept: int  # numbers on both (names updated)
    schools: list[ListedSchool]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("_", " ").split())


_HEADERS = {
    **{_fold(h): "number" for h in _NUMBER},
    **{_fold(h): "name" for h in _NAME},
    **{_fold(h): "name_cy" for h in _NAME_CY},
    **{_fold(h): "name_en" for h in _NAME_EN},
}


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SchoolListError(path, [(P_NOT_UTF8, {"line": line})]) from None


def parse_school_list(data: bytes, *, path: str = "", la_code: int | None = None) -> list[ListedSchool]:
    """The schools of a CSV file, or SchoolListError listing every problem (changes nothing)."""
    if len(data) > MAX_FILE_BYTES:
        raise SchoolListError(path, [(P_TOO_BIG, {})])
    text = unicodedata.normalize("NFC", _decode(data, path))
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[tuple[str, dict[str, Any]]] = []
    columns: dict[str, int] = {}
    schools: list[ListedSchool] = []
    seen: dict[str, int] = {}
    header_line = 0
    try:
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if not columns:
                header_line = line
                for i, heading in enumerate(cells):
                    kind = _HEADERS.get(_fold(heading))
                    if kind and kind not in columns:
                        columns[kind] = i
                if "number" not in columns or not ({"name", "name_cy", "name_en"} & columns.keys()):
                    raise SchoolListError(path, [(P_HEADER, {"line": line})])
                continue

            def cell(kind: str, cells: list[str] = cells) -> str:
                i = columns.get(kind)
                return cells[i] if i is not None and i < len(cells) else ""

            raw = cell("number")
            number = normalise_establishment_number(raw) if raw else None
            if number is None:
                problems.append((P_NUMBER, {"line": line, "value": raw}))
            elif local_authority_by_code(int(number[:3])) is None:
                problems.append((P_NUMBER_LA, {"line": line, "value": number}))
                number = None
            elif la_code is not None and int(number[:3]) != la_code:
                problems.append((P_NUMBER_OTHER_LA, {"line": line, "value": number, "code": la_code}))
                number = None
            cy = cell("name_cy") or cell("name")
            en = cell("name_en")
            if not (cy or en):
                problems.append((P_NAME, {"line": line}))
            if number is not None:
                if number in seen:
                    problems.append((P_DUPLICATE, {"line": line, "value": number, "first": seen[number]}))
                else:
                    seen[number] = line
                    schools.append(ListedSchool(number, cy, en, line))
    except csv.Error:
        problems.append((P_HEADER, {"line": header_line or 1}))
    if not columns:
        raise SchoolListError(path, [(P_EMPTY, {})])
    if problems:
        raise SchoolListError(path, problems[:MAX_PROBLEMS], total=len(problems))
    if not schools:
        raise SchoolListError(path, [(P_EMPTY, {})])
    return schools


def import_school_list(store: RecordStore, path: Path, *, la_code: int | None = None) -> ImportResult:
    """Replace the LA's list of schools with the file's, all or nothing."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise SchoolListError(str(path), [(P_NO_FILE, {})]) from None
    except OSError as exc:
        raise SchoolListError(str(path), [(P_UNREADABLE, {"reason": exc.strerror or str(exc)})]) from None
    schools = parse_school_list(data, path=str(path), la_code=la_code)
    return replace_school_list(store, schools)


def replace_school_list(store: RecordStore, schools: list[ListedSchool]) -> ImportResult:
    from selfeval_app.core.sorting import sort_key_cy, sort_key_en

    now = store.clock.timestamp()
    with store.transaction():
        before = {r[0] for r in store.conn.execute("SELECT number FROM la_school")}
        store.conn.execute("DELETE FROM la_school")
        store.conn.executemany(
            "INSERT INTO la_school (number, name_cy, name_en, sort_cy, sort_en, line, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (s.number, s.name_cy, s.name_en, sort_key_cy(s.name_cy or s.name_en), sort_key_en(s.name_en or s.name_cy), s.line, now)
                for s in schools
            ],
        )
    numbers = {s.number for s in schools}
    return ImportResult(
        added=len(numbers - before), removed=len(before - numbers), kept=len(numbers & before), schools=schools
    )


def listed_schools(store: RecordStore, *, lang: str = "cy") -> list[ListedSchool]:
    order = "sort_cy" if lang == "cy" else "sort_en"
    return [
        ListedSchool(r[0], r[1], r[2], r[3] or 0)
        for r in store.conn.execute(f"SELECT number, name_cy, name_en, line FROM la_school ORDER BY {order}, number")
    ]
