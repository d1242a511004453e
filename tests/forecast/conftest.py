"""Shared fixtures for the forecasting tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from pactlab.forecast import Stakeholders, load_stakeholders


def examples(n: int) -> int:
    """A property test's number of examples: `n` under the default and CI profiles (100
    examples by default), scaled with the profile's own count under the long one (2000)."""
    return max(n, n * settings.default.max_examples // 100)


DATA = Path(__file__).resolve().parent.parent / "data" / "forecast"


@pytest.fixture(scope="session")
def eu() -> Stakeholders:
    return load_stakeholders(DATA / "eu_emissions_bdm1994.csv")


@pytest.fixture(scope="session")
def ktab3() -> Stakeholders:
    return load_stakeholders(DATA / "dummyData_3Dim.csv")
