"""The LA's list of schools from a CSV file: headers in either language, UTF-8 with or without a
BOM, every problem with its line number in the user's language, all or nothing."""

from __future__ import annotations

import pytest

from selfeval_app.core import i18n
from selfeval_app.core.la_schools import (
    SchoolListError,
    import_school_list,
    listed_schools,
    parse_school_list,
)


def _write(tmp_path, text: str, *, bom: bool = False, encoding: str = "utf-8"):
    path = tmp_path / "ysgolion.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


GOOD = "number,name_cy,name_en\n669/2001,Ysgol y Wern,Wern School\n6692002,Ysgol Tŷ Gwyn,\n"


@pytest.mark.parametrize("bom", [False, True])
def test_a_good_list_with_or_without_bom(store, tmp_path, bom):
    result = import_school_list(store, _write(tmp_path, GOOD, bom=bom), la_code=669)
    assert (result.added, result.removed, result.kept) == (2, 0, 0)
    schools = listed_schools(store)
    assert [(s.number, s.name_cy, s.name_en) for s in schools] == [
        ("669/2002", "Ysgol Tŷ Gwyn", ""),
        ("669/2001", "Ysgol y Wern", "Wern School"),
    ]  # Welsh order: "Tŷ" before "y"
    assert [s.number for s in listed_schools(store, lang="en")] == ["669/2001", "669/2002"]  # "Wern School" before "Ysgol Tŷ Gwyn"


def test_welsh_headers_semicolons_and_one_name_column(store, tmp_path):
    text = "Rhif yr ysgol;Enw'r ysgol;Cyfeiriad\n669/2001;Ysgol Llanfair;Stryd Fawr\n\n669/2003;Ysgol Bro Dinefwr;\n"
    import_school_list(store, _write(tmp_path, text))
    assert [(s.number, s.name_cy) for s in listed_schools(store)] == [("669/2003", "Ysgol Bro Dinefwr"), ("669/2001", "Ysgol Llanfair")]


def test_a_new_file_replaces_the_list(store, tmp_path):
    import_school_list(store, _write(tmp_path, GOOD))
    result = import_school_list(store, _write(tmp_path, "number,name\n669/2001,Ysgol y Wern\n669/2009,Ysgol Newydd\n"))
    assert (result.added, result.removed, result.kept) == (1, 1, 1)
    assert {s.number for s in listed_schools(store)} == {"669/2001", "669/2009"}


def test_every_problem_has_its_line_and_nothing_changes(store, tmp_path):
    import_school_list(store, _write(tmp_path, GOOD))
    bad = "number,name_cy,name_en\n669/2001,Ysgol y Wern,\n12/34,Ysgol Ddrwg,\n999/1234,X,\n670/1111,Ysgol Arall,\n669/2005,,\n669/2001,Eto,\n"
    with pytest.raises(SchoolListError) as err:
        import_school_list(store, _write(tmp_path, bad), la_code=669)
    lines = err.value.lines()
    assert [line.split(":")[0] for line in lines] == ["line 3", "line 4", "line 5", "line 6", "line 7"]
    assert "12/34" in lines[0] and "another local authority" in lines[2] and "already on line 2" in lines[4]
    assert "nothing was changed" in err.value.message()
    i18n.set_language("cy")
    welsh = err.value.message()
    assert "llinell 3" in welsh and "Ni newidiwyd dim" in welsh and "line 3" not in welsh
    i18n.set_language("en")
    assert {s.number for s in listed_schools(store)} == {"669/2001", "669/2002"}  # the old list stands


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"name,address\nYsgol,Stryd\n", "line 1"),
        (b"", "no schools"),
        (b"number,name\n", "no schools"),
        ("number,name\n669/2001,Ysgol Gymraeg Bro’r Wennol\n669/2002,Tŷ\n".encode("cp1252", errors="replace").replace(b"?", b"\xfd"), "line 2"),
    ],
)
def test_files_that_are_not_a_list(data, expected):
    with pytest.raises(SchoolListError) as err:
        parse_school_list(data, path="x.csv")
    assert expected in err.value.message()


def test_many_problems_are_counted_not_all_listed():
    data = ("number,name\n" + "".join(f"bad{i},Ysgol\n" for i in range(30))).encode()
    with pytest.raises(SchoolListError) as err:
        parse_school_list(data)
    assert len(err.value.lines()) == 21 and "10 more problems" in err.value.lines()[-1]


def test_a_missing_file_says_so_in_both_languages(store, tmp_path):
    with pytest.raises(SchoolListError) as err:
        import_school_list(store, tmp_path / "nowhere.csv")
    assert "no such file" in err.value.message()
    i18n.set_language("cy")
    assert "nid oes ffeil" in err.value.message()
