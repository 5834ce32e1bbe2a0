"""A head's school laptop that also reviews (issue 12; docs/decisions/ownscope.md): the school's
own records beside the example host's pack, imported under the head's reviewer identity. The
school's records are written after the pack arrived, so a read that does not limit by owner meets
the host's first (rowid order): the host's evaluation of the same area and year, its priorities
running this year, its evidence for the same area."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from selfeval_app.core import evaluation_edit as ee
from selfeval_app.core import plan_edit as pe
from selfeval_app.core.database import open_database
from selfeval_app.core.demo import build_example_school
from selfeval_app.core.demo_review import visit_id
from selfeval_app.core.records import RecordStore

TODAY = dt.date(2026, 12, 3)  # autumn term of 2026-27: the host's shared evaluations' year
YEAR = 2026
AREA = "estyn-2024-1"  # the host shares its evaluation of this area for this year
HEAD = {"cy": "Ann Jones (Ysgol Gynradd Cwm Glas)", "en": "Ann Jones (Cwm Glas Primary School)"}
OUR_NARRATIVE = {"cy": "Mae ein darllen yn gwella", "en": "Our reading is improving"}
WORD = "Cwmglasunigryw"  # only in the school's own records, for search


@dataclass(frozen=True)
class HeadLaptop:
    folder: Path  # the head's data folder
    host: str  # the example host school's owner
    school: str  # the head's school's owner
    reviewer: str  # the head's reviewer identity
    own: dict[str, str]  # type -> the id of the school's own record of it


def build(root: Path) -> HeadLaptop:
    """The example host at root/H, the head's laptop at root/S; returns what the tests need."""
    from selfeval_app.exchange import contacts, identity_keys, keys
    from selfeval_app.exchange.bundle_write import Recipient, write_bundle
    from selfeval_app.exchange.visit_bundle import plan_visit_bundle

    build_example_school(root / "H", device_id="device-H")
    h = RecordStore(open_database(root / "H"), device_id="device-H")
    s = RecordStore(open_database(root / "S"), device_id="device-S")
    try:
        s.create(
            "school",
            {"name": {"cy": "Ysgol Gynradd Cwm Glas", "en": "Cwm Glas Primary School"}, "la_code": 667, "writes_in": "both"},
            visibility="la",
        )
        s.db.conn.execute("BEGIN IMMEDIATE")
        s.db.set_meta("is_example", "1")  # an example card is trusted only by an example installation
        s.db.conn.execute("COMMIT")
        kh, ks = keys.ensure_identity(h), keys.ensure_identity(s)
        kr = identity_keys.become_reviewer(s, HEAD)
        contacts.trust(h, kh, kr.card(), kr.fingerprint())
        contacts.trust(s, ks, kh.card(), kh.fingerprint())
        h.update("review_visit", visit_id(), {"team": [{"identity_id": kr.identity_id, "name": "Ann Jones", "role": "lead"}]})
        to_reviewer = Recipient.from_contact(contacts.get(h, kr.identity_id))
        pack = root / "pack.selfeval-bundle"
        write_bundle(h, kh, to_reviewer, pack, plan_visit_bundle(h, kh, to_reviewer, visit_id()))
        identity_keys.import_bundle_any(s, pack)

        # The school's own records, after the pack.
        own: dict[str, str] = {}
        statement = ee.new_statement("strength", {"cy": f"Darllen {WORD}", "en": f"Reading {WORD}"})
        own["evaluation"] = ee.save_evaluation(
            s, ee.SaveChain(area_id=AREA, year=YEAR), {"narrative": OUR_NARRATIVE, "statements": [statement]}
        )["id"]
        own["statement"] = statement["id"]
        own["evidence"] = s.create(
            "evidence",
            {"date": "2026-11-02", "kind": "learning_walk", "title": {"cy": f"Taith {WORD}", "en": "Our walk"},
             "area_ids": [AREA], "statement_ids": [statement["id"]]},
        )["id"]
        own["plan"] = pe.save_plan(s, None, {"title": {"cy": "Ein cynllun", "en": "Our plan"}, "start_year": YEAR})["id"]
        own["priority"] = pe.save_priority(
            s, own["plan"], None, {"title": {"cy": f"Ein blaenoriaeth {WORD}", "en": "Our priority"}, "start_year": YEAR, "end_year": YEAR}
        )["id"]
        own["action"] = pe.save_action(
            s, own["priority"], None, {"description": {"cy": "Ein cam gweithredu", "en": "Our action"}, "due_date": "2026-11-20"}
        )["id"]
        own["indicator"] = pe.save_indicator(s, None, {"title": {"cy": "Ein presenoldeb", "en": "Our attendance"}})["id"]
        s.flush_search_index()
        return HeadLaptop(root / "S", kh.identity_id, ks.identity_id, kr.identity_id, own)
    finally:
        h.close()
        s.close()


def copy(laptop: HeadLaptop, to: Path) -> HeadLaptop:
    shutil.copytree(laptop.folder, to)
    return HeadLaptop(to, laptop.host, laptop.school, laptop.reviewer, laptop.own)
