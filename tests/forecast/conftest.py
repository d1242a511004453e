"""Shared fixtures for the forecasting tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactlab.forecast import Stakeholders, load_stakeholders

DATA = Path(__file__).resolve().parent.parent / "data" / "forecast"


@pytest.fixture(scope="session")
def eu() -> Stakeholders:
    return load_stakeholders(DATA / "eu_emissions_bdm1994.csv")


@pytest.fixture(scope="session")
def ktab3() -> Stakeholders:
    return load_stakeholders(DATA / "dummyData_3Dim.csv")
