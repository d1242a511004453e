"""KTAB Spatial Model of Politics (work in progress)."""

from __future__ import annotations

from typing import Any

from pactlab.errors import UnknownNameError
from pactlab.forecast.result import ForecastResult
from pactlab.forecast.stakeholders import Stakeholders


def forecast_smp(sh: Stakeholders, max_iter: int = 100, **options: Any) -> ForecastResult:
    """Not implemented yet."""
    raise UnknownNameError("the smp model is not implemented yet")
