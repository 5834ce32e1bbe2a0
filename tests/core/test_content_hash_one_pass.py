"""The one-pass plain hash form equals the two passes it replaced (`_plain(hash_form(...))`),
including where both give up and hand the record to `rfc8785`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_app.core import content_hash as ch

_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**60), 2**60),
    st.floats(),
    st.text(max_size=4),
    st.sampled_from(["", 0, 0.0, 1.0, 2.5e-5, 1e17, "ŵ"]),
)
_JSON = st.recursive(
    _LEAF,
    lambda inner: st.lists(inner, max_size=3)
    | st.tuples(inner, inner)
    | st.dictionaries(st.one_of(st.text(max_size=3), st.integers(0, 3)), inner, max_size=3),
    max_leaves=12,
)
_KEYS = st.one_of(
    st.sampled_from(["id", "type", "owner", "deleted", "visibility", "rev", "content_hash", "title", "ŵ"]),
    st.text(min_size=1, max_size=5),
)


def _outcome(fn, record):
    try:
        return fn(record)
    except ch._NeedsFullCanonicaliser:
        return "rfc8785"


@settings(max_examples=800)
@given(st.dictionaries(_KEYS, _JSON, max_size=6))
def test_one_pass_equals_two_passes(record):
    assert _outcome(ch._plain_hash_form, record) == _outcome(lambda r: ch._plain(ch.hash_form(r)), record)
