"""The example peer review visit (issue 12): the example school's visit as host, and the example
reviewer's notes and draft findings for it (`selfeval demo --role reviewer`).

Fixed ids, like the rest of the example data, so a refresh brings records back to their content.
Names and schools here are invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from selfeval_app.core.clock import FixedClock
from selfeval_app.core.database import open_database
from selfeval_app.core.records import RecordStore

EXAMPLE_REVIEWER_OWNER = "00000000-0000-4000-8000-0000000e5a02"
REVIEWER_NAME = "Mr Huw Bowen"
REVIEWER_TITLE = {
    "cy": "Huw Bowen, Pennaeth Ysgol Gynradd Pen-y-Bryn (adolygydd cymheiriaid)",
    "en": "Huw Bowen, Headteacher of Ysgol Gynradd Pen-y-Bryn (peer reviewer)",
}
LINK_LEADER = "Mr Dafydd ap Gwyn"
REVIEWER_SCHOOL = {"cy": "Ysgol Gynradd Pen-y-Bryn", "en": "Ysgol Gynradd Pen-y-Bryn"}


def _id(key: str) -> str:
    from selfeval_app.core.demo import example_id

    return example_id(key)


def visit_id() -> str:
    return _id("review_visit:peer-review")


def question_id(key: str) -> str:
    return _id(f"question:{key}")


def T(cy: str, en: str) -> dict[str, str]:  # noqa: N802 - reads like the data it builds
    return {"cy": cy, "en": en}


def host_visit(today: dt.date) -> dict[str, Any]:
    """The example school's visit: values of its `review_visit`."""
    from selfeval_app.core.demo import A1, OWN_AREA

    sid = lambda key: _id(f"statement:{key}")  # noqa: E731
    pid = lambda key: _id(f"priority:{key}")  # noqa: E731
    return {
        "host_name": T("Ysgol Gymraeg Bro’r Wennol", "Ysgol Gymraeg Bro’r Wennol"),
        "start_date": (today - dt.timedelta(days=1)).isoformat(),
        "end_date": today.isoformat(),
        "kind": "peer_review",
        "questions": [
            {
                "id": question_id("reading"),
                "text": T(
                    "I ba raddau y mae’r rhaglen ddarllen yn herio’r darllenwyr mwyaf abl ym Mlynyddoedd 3 i 6?",
                    "To what extent does the reading programme challenge the most able readers in Years 3 to 6?",
                ),
                "area_ids": [A1],
                "statement_ids": [sid("a1p-reading")],
                "priority_ids": [pid("reading")],
            },
            {
                "id": question_id("welsh"),
                "text": T(
                    "I ba raddau y mae dysgwyr yn dewis siarad Cymraeg y tu allan i’r dosbarth?",
                    "To what extent do learners choose to speak Welsh outside the classroom?",
                ),
                "area_ids": [OWN_AREA],
                "statement_ids": [sid("own-yard")],
                "priority_ids": [pid("welsh")],
            },
        ],
        "team": [
            {"identity_id": EXAMPLE_REVIEWER_OWNER, "name": REVIEWER_NAME, "role": "lead", "school": dict(REVIEWER_SCHOOL)},
            {"identity_id": "", "name": LINK_LEADER, "role": "link_leader"},
        ],
        "status": "visit",
        "follow_up": (today + dt.timedelta(days=90)).isoformat(),
        # A private evaluation the host chose to show its reviewers for this visit only.
        "shared_record_ids": [_id("evaluation:a2-1")],
    }


def reviewer_notes(today: dt.date) -> dict[str, dict[str, Any]]:
    day = (today - dt.timedelta(days=1)).isoformat()
    now = today.isoformat()
    q_read, q_welsh = question_id("reading"), question_id("welsh")
    v = visit_id()
    return {
        "walk-reading": {
            "visit_id": v, "kind": "learning_walk", "time": f"{day}T09:15", "place": "Blynyddoedd 3–6 / Years 3–6",
            "host_participant": LINK_LEADER, "question_ids": [q_read],
            "text": T(
                "Darllen dan arweiniad ym mhob dosbarth. Ym Mlwyddyn 4, roedd y grŵp mwyaf abl yn darllen llyfr rhy hawdd.",
                "Guided reading in every class. In Year 4 the most able group was reading a book that was too easy.",
            ),
        },
        "books-reading": {
            "visit_id": v, "kind": "work_scrutiny", "time": f"{day}T11:00", "place": "Swyddfa’r pennaeth / Head’s office",
            "host_participant": "Mrs Siân Lloyd", "question_ids": [q_read],
            "text": T(
                "Mae llyfrau darllen Blwyddyn 6 yn dangos atebion hir i gwestiynau casglu. Llai o hyn ym Mlwyddyn 4.",
                "Year 6 reading journals show long answers to inference questions. Less of this in Year 4.",
            ),
        },
        "voice-welsh": {
            "visit_id": v, "kind": "learner_voice", "time": f"{day}T13:30", "place": "Y llyfrgell / The library",
            "host_participant": "Mrs Nia Rowlands", "question_ids": [q_welsh],
            "text": T(
                "Chwe dysgwr o Flwyddyn 5: maen nhw’n mwynhau gemau’r Criw Cymraeg, ond yn siarad Saesneg wrth chwarae pêl-droed.",
                "Six Year 5 learners: they enjoy the Criw Cymraeg’s games, but speak English when playing football.",
            ),
        },
        "yard-welsh": {
            "visit_id": v, "kind": "learning_walk", "time": f"{now}T10:30", "place": "Yr iard / The yard",
            "host_participant": "Mrs Nia Rowlands", "question_ids": [q_welsh],
            "text": T(
                "Amser chwarae: y Criw Cymraeg yn arwain gêm; y rhan fwyaf o’r sgwrsio rhwng dysgwyr hŷn yn Saesneg.",
                "Break time: the Criw Cymraeg leading a game; most talk between older learners in English.",
            ),
        },
        "staff-meeting": {
            "visit_id": v, "kind": "meeting_staff", "time": f"{now}T15:30", "place": "Ystafell y staff / Staff room",
            "host_participant": LINK_LEADER, "question_ids": [q_read, q_welsh],
            "text": T(
                "Mae’r staff yn barod i rannu cwestiynau trafod Blwyddyn 6 â Blwyddyn 4.",
                "Staff are keen to share Year 6 discussion questions with Year 4.",
            ),
        },
    }


def reviewer_findings() -> dict[str, dict[str, Any]]:
    v = visit_id()
    note = lambda key: _id(f"review_note:{key}")  # noqa: E731
    return {
        "reading": {
            "visit_id": v, "question_id": question_id("reading"),
            "strengths": T("Mae dysgwyr Blwyddyn 6 yn trafod cymeriadau’n fanwl ac yn frwd.",
                           "Year 6 learners discuss characters in depth and with enthusiasm."),
            "areas_for_development": T("Nid yw’r darllenwyr mwyaf abl ym Mlwyddyn 4 yn cael digon o her.",
                                       "The most able readers in Year 4 are not challenged enough."),
            "practice_worth_sharing": T("Cwestiynau casglu Blwyddyn 6.", "Year 6 inference questions."),
            "lines_of_enquiry": T("Sut y bydd yr ysgol yn gwybod bod y newid ym Mlwyddyn 4 yn gweithio?",
                                  "How will the school know that the change in Year 4 is working?"),
            "note_ids": [note("walk-reading"), note("books-reading"), note("staff-meeting")],
            "agreed": False, "authors": [REVIEWER_NAME],
        },
        "welsh": {
            "visit_id": v, "question_id": question_id("welsh"),
            "strengths": T("Mae’r Criw Cymraeg yn arwain gweithgareddau’n hyderus.",
                           "The Criw Cymraeg leads activities confidently."),
            "areas_for_development": T("Mae dysgwyr hŷn yn troi i’r Saesneg wrth chwarae’n rhydd.",
                                       "Older learners switch to English in free play."),
            "practice_worth_sharing": T("", ""),
            "lines_of_enquiry": T("Pa weithgareddau ar yr iard sy’n denu’r dysgwyr hŷn i siarad Cymraeg?",
                                  "Which yard activities draw older learners to speak Welsh?"),
            "note_ids": [note("voice-welsh"), note("yard-welsh")],
            "agreed": False, "authors": [REVIEWER_NAME],
        },
    }


def _put(store: RecordStore, type_name: str, key: str, values: dict[str, Any], visibility: str) -> str:
    rid = _id(f"{type_name}:{key}")
    if store.get(type_name, rid, include_deleted=True) is None:
        store.create(type_name, values, visibility=visibility, record_id=rid)
    else:
        store.update_change(type_name, rid, values, visibility=visibility)
    return rid


def build_example_reviewer(data_dir: Path, *, device_id: str, today: dt.date | None = None) -> dict[str, int]:
    """Create or refresh the example reviewer's laptop in `data_dir`: its identity (role
    reviewer) and its notes and draft findings for the example visit. Raises ValueError for a
    folder that holds anything else."""
    from selfeval_app.core.identities import claim_primary_identity

    today = today or dt.date.today()
    db = open_database(Path(data_dir))
    try:
        if not (db.meta("school_owner") == EXAMPLE_REVIEWER_OWNER and db.meta("is_example") == "1"):
            claim_primary_identity(
                db, EXAMPLE_REVIEWER_OWNER, role="reviewer", name_cy=REVIEWER_TITLE["cy"], name_en=REVIEWER_TITLE["en"]
            )
            db.conn.execute("BEGIN IMMEDIATE")
            db.set_meta("is_example", "1")
            db.conn.execute("COMMIT")
        clock = FixedClock(dt.datetime(today.year, today.month, today.day, 8, 0))
        store = RecordStore(db, device_id=device_id, clock=clock)
        counts = {"review_note": 0, "review_finding": 0}
        with store.transaction():
            for key, values in reviewer_notes(today).items():
                _put(store, "review_note", key, values, "peers")
                counts["review_note"] += 1
            for key, values in reviewer_findings().items():
                _put(store, "review_finding", key, values, "peers")
                counts["review_finding"] += 1
        return counts
    finally:
        db.close()
