"""Fixtures for the sync tests: the example school and LA of the exchange tests, trusting each
other, and a sync folder both are set up to use."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exchange"))

from exchange_helpers import copy_pair, make_pair  # noqa: E402


@pytest.fixture(scope="session")
def pair_template(tmp_path_factory):
    return make_pair(tmp_path_factory.mktemp("pair"))


@pytest.fixture
def pair(pair_template, tmp_path):
    return copy_pair(pair_template, tmp_path)
