"""The toy case every backtest test starts from (tests/data/cases/toy-2020.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CASES = Path(__file__).parent.parent / "data" / "cases"
TOY = CASES / "toy-2020.toml"


@pytest.fixture
def toy_data() -> dict:
    """The toy case as a fresh dict, to be modified by a test."""
    return tomllib.loads(TOY.read_text(encoding="utf-8"))
