"""Partnerships and joint activities (issue 13): saving, checking, the four maturity steps, the
LA's list of schools as the partners' source, visibility, and read-only when foreign."""

from __future__ import annotations

import pytest

from selfeval_app.core import collaboration as co
from selfeval_app.core import i18n
from selfeval_app.core import record_types as rt
from selfeval_app.core.database import open_database
from selfeval_app.core.errors import ReadOnlyRecordError, ValidationError
from selfeval_app.core.la_schools import ListedSchool, replace_school_list
from selfeval_app.core.records import RecordStore


def _values(**kw):
    base = {
        "kind": "cluster",
        "name": {"cy": "Clwstwr Tŷ Gwyn", "en": "Tŷ Gwyn cluster"},
        "partners": [{"number": "669/2001", "name": {"cy": "Ysgol y Wern", "en": "Wern School"}}],
        "purpose": {"cy": "Darllen", "en": "Reading"},
        "maturity": "developing",
    }
    base.update(kw)
    return base


def test_four_steps_each_with_a_sentence_in_both_languages():
    assert [s.id for s in co.MATURITY_STEPS] == list(rt.MATURITY_STEPS) and len(co.MATURITY_STEPS) == 4
    assert [s.number for s in co.MATURITY_STEPS] == [1, 2, 3, 4]
    english = co.maturity_choices()
    i18n.set_language("cy")
    welsh = co.maturity_choices()
    kinds = [label for _k, label in co.kind_choices()]
    i18n.set_language("en")
    for (_i, en_label, en_sentence), (_j, cy_label, cy_sentence) in zip(english, welsh, strict=True):
        assert en_sentence.endswith(".") and cy_sentence.endswith(".")
        assert cy_label != en_label and cy_sentence != en_sentence
    assert "Clwstwr" in kinds and "Ffederasiwn" in kinds


def test_create_edit_and_delete_a_partnership_with_its_activities(store):
    p = co.create_partnership(store, _values())
    assert p["type"] == "partnership" and p["visibility"] == "private" and p["owner"] == store.owner
    assert p["partners"] == [{"number": "669/2001", "identity_id": "", "name": {"cy": "Ysgol y Wern", "en": "Wern School"}}]
    a = co.add_joint_activity(store, p["id"], {"title": {"cy": "Diwrnod HMS", "en": ""}, "start_date": "2026-01-10", "what_changed": {"en": "Shared plans"}})
    assert a["partnership_id"] == p["id"] and a["visibility"] == p["visibility"]
    p2 = co.update_partnership(store, p["id"], {"maturity": "established", "visibility": "la"}, base_rev=p["rev"])
    assert p2["maturity"] == "established" and p2["visibility"] == "la"
    a2 = co.update_joint_activity(store, a["id"], {"end_date": "2026-01-11"})
    assert a2["end_date"] == "2026-01-11"
    assert [x["id"] for x in co.activities_of(store, p["id"])] == [a["id"]]
    assert [x["id"] for x in co.partnerships(store)] == [p["id"]]
    assert co.delete_partnership(store, p["id"]) == 2
    assert store.get("partnership", p["id"]) is None and store.get("joint_activity", a["id"]) is None


def test_new_partnerships_take_the_school_default_visibility(store):
    school = store.create("school", {"name": {"cy": "Ysgol"}})
    store.update("school", school["id"], {"default_visibility": "la"})
    assert co.create_partnership(store, _values())["visibility"] == "la"
    assert co.create_partnership(store, _values(), visibility="peers")["visibility"] == "peers"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "league"}, "kind"),
        ({"name": {"cy": " ", "en": ""}}, "name"),
        ({"partners": [{"number": "", "name": {"cy": "", "en": ""}}]}, "partners"),
        ({"partners": [{"number": "66/1"}]}, "partners"),
        ({"maturity": "excellent"}, "maturity"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"start_date": "2026-05-01", "end_date": "2026-04-01"}, "end_date"),
    ],
)
def test_bad_input_is_refused_with_a_field_and_nothing_is_saved(store, change, field):
    with pytest.raises(ValidationError) as err:
        co.create_partnership(store, _values(**change))
    assert err.value.field == field
    assert store.count("partnership") == 0
    i18n.set_language("cy")
    assert err.value.message() != err.value.message_id  # said in Welsh too


def test_activity_needs_a_title_and_a_start_and_an_own_partnership(store):
    p = co.create_partnership(store, _values())
    with pytest.raises(ValidationError) as err:
        co.add_joint_activity(store, p["id"], {"title": {"cy": "T"}})
    assert err.value.field == "start_date"
    with pytest.raises(ValidationError):
        co.add_joint_activity(store, p["id"], {"start_date": "2026-01-01"})
    with pytest.raises(ValidationError):
        co.add_joint_activity(store, "no-such-id", {"title": {"cy": "T"}, "start_date": "2026-01-01"})
    assert store.count("joint_activity") == 0


def test_partners_from_the_la_list_get_their_names_and_duplicates_go(store):
    replace_school_list(store, [ListedSchool("669/2001", "Ysgol y Wern", "Wern School", 2)])
    p = co.create_partnership(store, _values(partners=[{"number": "6692001"}, {"number": "669/2001"}, {"name": "Ysgol Arall"}]))
    assert p["partners"] == [
        {"number": "669/2001", "identity_id": "", "name": {"cy": "Ysgol y Wern", "en": "Wern School"}},
        {"number": "", "identity_id": "", "name": {"cy": "Ysgol Arall", "en": ""}},
    ]


def test_a_partnership_from_elsewhere_is_read_only(store, tmp_path):
    other = RecordStore(open_database(tmp_path / "other"), device_id="device-other")
    try:
        theirs = co.create_partnership(other, _values(), visibility="la")
    finally:
        other.close()
    assert store.apply_incoming(theirs).written
    with pytest.raises(ReadOnlyRecordError):
        co.update_partnership(store, theirs["id"], {"maturity": "embedded"})
    with pytest.raises(ValidationError):  # not ours: no activity may hang under it
        co.add_joint_activity(store, theirs["id"], {"title": {"cy": "T"}, "start_date": "2026-01-01"})
    assert store.get("partnership", theirs["id"])["maturity"] == "developing"
