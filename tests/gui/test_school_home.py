"""The School page as the school's home: what needs attention for the window's clock, each item
opening its record by mouse or keyboard (Tab, Enter), counts in words with the six Welsh plural
forms, everything named and in Welsh, the details still editable, and nothing read before the
first paint."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from gui_walk import collect, english_problems, interactive_without_name
from PySide6.QtCore import Qt

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core import i18n
from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore
from selfeval_app.gui.home_sections import AttentionButton, count_sentence

CLOCK = FixedClock(dt.datetime(2025, 11, 20, 10, 0))  # autumn term 2025–26


@pytest.fixture
def busy_school(school_dir):
    """A school with two overdue actions, one due soon, a priority not reviewed this term and a
    statement with no evidence."""
    db = open_database(school_dir)
    store = RecordStore(db, device_id="device-gui-test")
    plan = store.create("plan", {"start_year": 2025, "title": {"cy": "Cynllun", "en": "Plan"}})
    reading = store.create("priority", {"plan_id": plan["id"], "title": {"cy": "Darllen", "en": "Reading"}, "start_year": 2025, "end_year": 2026, "position": 1})
    ids = {"priority": reading["id"]}
    for key, due in (("late", "2025-11-10"), ("later", "2025-11-18"), ("soon", "2025-11-25")):
        ids[key] = store.create("action", {"priority_id": reading["id"], "description": {"cy": f"Gweithred {key}", "en": f"Action {key}"}, "due_date": due, "status": "in_progress"})["id"]
    statement = ee.new_statement("next_step", {"cy": "Ysgrifennu estynedig", "en": "Extended writing"})
    ids["evaluation"] = ee.save_evaluation(store, ee.SaveChain("estyn-2024-1", 2025), {"statements": [statement]})["id"]
    db.close()
    return school_dir, ids


def open_home(launch, data_dir, lang):
    ctx = launch(data_dir, lang)
    ctx.window.clock = CLOCK
    home = ctx.window.show_page("school")  # placed and filled now, whether painted yet or not
    return ctx, home


def test_nothing_is_read_before_the_first_paint(launch, busy_school, qtbot):
    data_dir, _ids = busy_school
    ctx = launch(data_dir, "en")
    home = ctx.window.school_page
    assert home.attention is None and not home.findChildren(AttentionButton)
    qtbot.waitUntil(lambda: home.attention is not None, timeout=10000)  # filled after the paint


def test_home_lists_what_needs_attention_and_opens_it(launch, busy_school, qtbot):
    data_dir, ids = busy_school
    ctx, home = open_home(launch, data_dir, "en")
    window = ctx.window
    overdue = home.sections["overdue"]
    assert overdue.summary.text() == "2 actions are overdue."
    assert [b.accessibleName() for b in overdue.buttons] == [
        "Action late. Priority: Reading · due 10/11/2025 · 10 days late",
        "Action later. Priority: Reading · due 18/11/2025 · 2 days late",
    ]
    assert home.sections["due_soon"].summary.text() == "1 action is due within the next 14 days."
    assert home.sections["reviews_due"].summary.text() == "1 priority has no progress review this term yet."
    assert home.sections["statements"].summary.text() == "1 statement this year has no evidence linked to it."
    assert not home.sections["waiting_to_share"].isVisibleTo(home)  # nothing to share yet: no section
    assert not home.nothing.isVisibleTo(home)

    overdue.buttons[0].click()
    assert window.current_page_key() == "plan"
    plan = window.pages["plan"]
    assert plan.tabs.currentIndex() == 2
    assert plan.actions_table.item(plan.actions_table.currentRow(), 0).data(Qt.ItemDataRole.UserRole) == ids["late"]

    window.show_page("school")
    home.sections["statements"].buttons[0].click()
    assert window.current_page_key() == "evaluation"


def test_items_are_reached_by_tab_and_opened_with_enter(launch, busy_school, qtbot):
    data_dir, ids = busy_school
    ctx, home = open_home(launch, data_dir, "en")
    window = ctx.window
    buttons = [b for key in ("overdue", "due_soon", "reviews_due", "statements") for b in home.sections[key].buttons]
    # Tab follows the focus chain: every item is in it, with Tab focus, visible and enabled.
    reached, w = [], window.nav
    for _ in range(500):
        w = w.nextInFocusChain()
        if w is window.nav:
            break
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(window) and w.isEnabled():
            reached.append(w)
    assert all(b in reached for b in buttons) and len(buttons) == 5
    review = home.sections["reviews_due"].buttons[0]
    review.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(review, Qt.Key.Key_Return)
    assert window.current_page_key() == "plan"
    plan = window.pages["plan"]
    assert plan.tabs.currentIndex() == 3  # the priority's progress reviews
    assert plan.priorities[plan.priority_list.currentRow()]["id"] == ids["priority"]


def test_home_in_welsh_is_welsh_and_named(launch, busy_school):
    data_dir, _ids = busy_school
    ctx, home = open_home(launch, data_dir, "cy")
    assert home.sections["overdue"].summary.text() == "Mae dau gam gweithredu'n hwyr."
    assert home.sections["statements"].summary.text() == "Mae un datganiad heb dystiolaeth eleni."
    assert home.profile.edit.text() == "Golygu manylion yr ysgol…"
    assert interactive_without_name(home) == []
    allowed = {"Ysgol Gynradd Llanfair-ym-Muallt", "Builth Wells Primary School", "Clwstwr Llanfair", "667/2001", "Ceredigion", "Ysgol gynradd"}
    data = {"Gweithred late", "Gweithred later", "Gweithred soon", "Darllen", "Ysgrifennu estynedig"}
    pairs = [(where, text) for where, text in collect(home) if not any(d in text for d in data)]
    assert english_problems(pairs, allowed) == []
    ctx.window.en_button.click()
    assert home.sections["overdue"].summary.text() == "2 actions are overdue."
    assert home.profile.edit.text() == "Edit the school's details…"


def test_edit_the_details_from_the_home(launch, school_dir):
    ctx, home = open_home(launch, school_dir, "en")
    opened = []
    ctx.window.edit_profile = lambda: opened.append(True)  # the window's own dialog is tested elsewhere
    home.editRequested.disconnect()
    home.editRequested.connect(ctx.window.edit_profile)
    home.profile.edit.click()
    assert opened == [True]
    assert home.nothing.text() == "There is no development plan yet."


@pytest.mark.parametrize(
    ("n", "welsh"),
    [
        (0, "Mae gan bob blaenoriaeth sydd ar waith eleni adolygiad cynnydd y tymor hwn."),
        (1, "Mae un flaenoriaeth heb adolygiad cynnydd y tymor hwn eto."),
        (2, "Mae dwy flaenoriaeth heb adolygiad cynnydd y tymor hwn eto."),
        (3, "Mae tair blaenoriaeth heb adolygiad cynnydd y tymor hwn eto."),
        (6, "Mae chwe blaenoriaeth heb adolygiad cynnydd y tymor hwn eto."),
        (7, "Mae 7 o flaenoriaethau heb adolygiad cynnydd y tymor hwn eto."),
    ],
)
def test_counts_in_words_take_each_welsh_plural_form(n, welsh):
    i18n.set_language("cy")
    assert count_sentence("reviews_due", n) == welsh
    forms = {count_sentence(key, n) for key in ("overdue", "due_soon", "statements", "waiting_to_share")}
    assert len(forms) == 4 and all("%(count)s" not in f and bool(re.search(rf"\b{n}\b", f)) == (n == 7) for f in forms)
    # The catalog's own zero form is a whole sentence too (the page words none its own way).
    zero = i18n.npgettext("home", "%(count)s action is overdue.", "%(count)s actions are overdue.", 0)
    assert zero == "Nid oes yr un cam gweithredu'n hwyr."


def test_english_counts_read_well_from_none_to_many():
    i18n.set_language("en")
    assert [count_sentence("reviews_due", n) for n in (0, 1, 2)] == [
        "Every priority running this year has a progress review this term.",
        "1 priority has no progress review this term yet.",
        "2 priorities have no progress review this term yet.",
    ]


def test_welsh_counts_mutate_after_the_numeral():
    i18n.set_language("cy")
    assert [count_sentence("statements", n) for n in (2, 3, 7)] == [
        "Mae dau ddatganiad heb dystiolaeth eleni.",
        "Mae tri datganiad heb dystiolaeth eleni.",
        "Mae 7 o ddatganiadau heb dystiolaeth eleni.",
    ]
    assert [count_sentence("waiting_to_share", n) for n in (2, 3, 6)] == [
        "Mae dau gofnod yn aros i'w rhannu.",
        "Mae tri chofnod yn aros i'w rhannu.",
        "Mae chwe chofnod yn aros i'w rhannu.",
    ]


def test_home_filled_while_another_page_is_shown_stays_out_of_sight(launch, busy_school, qtbot):
    data_dir, _ids = busy_school
    ctx = launch(data_dir, "en")
    window = ctx.window
    window.show_page("evidence")  # before the first paint
    home = window.school_page
    qtbot.waitUntil(lambda: home.attention is not None, timeout=10000)
    assert window.current_page_key() == "evidence"
    assert not home.isVisible()
    window.show_page("school")
    assert home.isVisible() and home.sections["overdue"].buttons[0].isVisible()
