"""Property: after any sequence of sends, the LA holds exactly the school's records whose
visibility allows the LA, as the school has them (but for links to what the LA may not see); a record made private, deleted or purged after
it was sent is withdrawn at the LA (its content gone, history included)."""

from __future__ import annotations

import shutil
import uuid

from exchange_helpers import copy_pair
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_app.core import record_types as rt
from selfeval_app.exchange import contacts, redact
from selfeval_app.exchange.bundle_import import import_bundle
from selfeval_app.exchange.bundle_write import Recipient, write_bundle

SHAREABLE = ("plan", "evaluation", "evidence", "priority", "action", "success_criterion", "progress_review", "indicator", "school")
ACTIONS = st.sampled_from(["private", "peers", "la", "la", "delete", "purge", "edit", "keep"])


def _live(store, owner):
    held = {}
    for t in rt.RECORD_TYPES:
        for rec in store.list(t, owners=owner):
            held[rec["id"]] = rec
    return held


def _apply(store, rec, action):
    if action in ("private", "peers", "la"):
        store.set_visibility(rec["type"], rec["id"], action)
    elif action == "delete":
        store.delete(rec["type"], rec["id"])
    elif action == "purge":
        from selfeval_app.core.purge import purge

        purge(store, rec["type"], rec["id"])
    elif action == "edit":
        t = rt.record_type(rec["type"])
        field = next((f for f in t.fields if f.kind == rt.BITEXT and f.name != "name"), None)
        if field is not None:
            store.update(rec["type"], rec["id"], {field.name: {"en": f"Edited {uuid.uuid4()}"}})


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_la_holds_exactly_what_the_school_lets_it_see(pair_template, tmp_path_factory, data):
    root = tmp_path_factory.mktemp("prop")
    pair = copy_pair(pair_template, root)
    try:
        with pair.stores() as (s, ks, la, kl):
            recipient = Recipient.from_contact(contacts.get(s, kl.identity_id))
            candidates = [r for t in SHAREABLE for r in s.list(t)]
            rounds = data.draw(st.integers(min_value=1, max_value=3), label="rounds")
            for round_no in range(rounds):
                for rec in candidates:
                    current = s.get(rec["type"], rec["id"])
                    if current is None:
                        continue
                    action = data.draw(ACTIONS if round_no else st.sampled_from(["private", "peers", "la", "keep"]))
                    if rec["type"] == "school" and action in ("delete", "purge"):
                        action = "keep"
                    _apply(s, current, action)
                bundle = root / f"b{round_no}.selfeval-bundle"
                write_bundle(s, ks, recipient, bundle)
                import_bundle(la, kl, bundle)
                live = _live(s, ks.identity_id)
                expected = {i: r for i, r in live.items() if r["visibility"] == "la"}
                # each as the LA's copy: links only to what the LA may see (exchange/redact.py),
                # whatever became shared or private in between
                withheld = redact.withheld_ids(s, ks.identity_id, visibilities=("la",))
                expected = {i: redact.copy_for(r, withheld) for i, r in expected.items()}
                held = _live(la, ks.identity_id)
                assert held == expected
                # withdrawn records keep no content at the LA, not even in history
                gone = [r for r in la.list("evidence", include_deleted=True, where="deleted = 1", owners=ks.identity_id)]
                for rec in gone:
                    assert la.conn.execute("SELECT count(*) FROM history WHERE record_id = ?", (rec["id"],)).fetchone()[0] == 0
                    assert rec["title"] == {"cy": "", "en": ""}
    finally:
        shutil.rmtree(root, ignore_errors=True)
