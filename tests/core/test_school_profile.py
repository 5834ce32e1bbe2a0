"""The school profile is checked in the core (core/school_profile.py), so the window, the command
line and the example school all refuse an invalid establishment number and change nothing."""

from __future__ import annotations

import pytest

from selfeval_app.core import framework, i18n
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.core.school_profile import (
    ERR_FORMAT,
    ERR_NAME,
    ERR_UNKNOWN_LA,
    ERR_WRONG_LA,
    SchoolProfileError,
    check_school,
    save_school,
)

NAME = {"cy": "Ysgol y Graig", "en": ""}


@pytest.fixture
def store(tmp_path):
    db = open_database(tmp_path / "data")
    yield RecordStore(db, device_id="device-school-test")
    db.close()


def test_check_school_names_each_problem():
    assert check_school({"name": NAME, "establishment_number": "669/2318", "la_code": 669}) == {}
    assert check_school({"name": NAME, "establishment_number": "6692318"}) == {}
    assert check_school({"name": {"cy": " ", "en": ""}})["name"][0] == ERR_NAME
    assert check_school({"name": NAME, "establishment_number": "669-2318"})["establishment_number"][0] == ERR_FORMAT
    assert check_school({"name": NAME, "establishment_number": "123/4567"})["establishment_number"][0] == ERR_UNKNOWN_LA
    wrong = check_school({"name": NAME, "establishment_number": "669/2318", "la_code": 660})
    assert wrong["establishment_number"] == (ERR_WRONG_LA, {"number_la": 669, "chosen_la": 660})


@pytest.mark.parametrize("number", ["669-2318", "123/4567", "66/92318", "٦٦٩/٢٣١٨"])
def test_save_refuses_an_invalid_number_and_changes_nothing(store, number):
    with pytest.raises(SchoolProfileError) as refused:
        save_school(store, {"name": NAME, "establishment_number": number})
    assert refused.value.field == "establishment_number"
    assert store.school() is None
    rec = save_school(store, {"name": NAME, "establishment_number": "6692318", "la_code": 669})
    assert rec["establishment_number"] == "669/2318"  # stored in its one form
    with pytest.raises(SchoolProfileError):
        save_school(store, {"establishment_number": number}, rec["id"], rec["rev"])
    assert store.school()["rev"] == rec["rev"]


def test_a_change_is_checked_against_the_whole_profile(store):
    rec = save_school(store, {"name": NAME, "establishment_number": "669/2318"})
    with pytest.raises(SchoolProfileError) as refused:
        save_school(store, {"la_code": 660}, rec["id"], rec["rev"])  # number belongs to 669
    previous = i18n.current_language()
    i18n.set_language("en")
    try:
        text = refused.value.message()
    finally:
        i18n.set_language(previous)
    names = [framework.local_authority_by_code(code).name("en") for code in (669, 660)]
    assert "belongs to another local authority" in text and all(n in text for n in names)
    with pytest.raises(SchoolProfileError) as no_name:
        save_school(store, {"name": {"cy": "", "en": ""}}, rec["id"], rec["rev"])
    assert no_name.value.field == "name"
