"""Fixtures for the exchange tests: the example school and example LA, trusting each other, built
once per session and copied for each test that changes them."""

from __future__ import annotations

import pytest
from exchange_helpers import copy_pair, make_pair


@pytest.fixture(scope="session")
def pair_template(tmp_path_factory):
    return make_pair(tmp_path_factory.mktemp("pair"))


@pytest.fixture
def pair(pair_template, tmp_path):
    return copy_pair(pair_template, tmp_path)
