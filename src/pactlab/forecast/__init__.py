"""Forecasting: actor-based models over stakeholder tables.

Baselines (weighted mean, weighted median, Condorcet winner), Bueno de Mesquita's
expected-utility model as replicated by Scholz et al. (2011) and KTAB's Spatial Model of
Politics. Every model takes a `Stakeholders` table and returns a `ForecastResult`.

>>> import pactlab.forecast as fc
>>> sh = fc.load_stakeholders("sma-2019")
>>> fc.run_forecast(sh, "bdm").forecast            # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from pactlab.errors import StakeholderError, UnknownNameError
from pactlab.forecast.baselines import (
    condorcet_winner,
    forecast_condorcet,
    forecast_mean,
    forecast_median,
    weighted_mean,
    weighted_median,
)
from pactlab.forecast.bdm import forecast_eu
from pactlab.forecast.readers import (
    builtin_ids,
    load_stakeholders,
    read_csv,
    read_ktab_csv,
    read_ktab_xml,
    read_toml,
)
from pactlab.forecast.result import ForecastResult, Move
from pactlab.forecast.sensitivity import SensitivityRow, sensitivity
from pactlab.forecast.stakeholders import Dimension, Stakeholders

MODELS = ("mean", "median", "condorcet", "bdm", "smp")
DEFAULT_ROUNDS = {"bdm": 10, "smp": 100}


def run_forecast(sh: Stakeholders, model: str = "bdm", rounds: int | None = None,
                 **options: Any) -> ForecastResult:
    """Run one model by name; `rounds` defaults to 10 for BDM and a cap of 100 for SMP."""
    if model == "mean":
        return forecast_mean(sh)
    if model == "median":
        return forecast_median(sh)
    if model == "condorcet":
        return forecast_condorcet(sh)
    if model == "bdm":
        return forecast_eu(sh, DEFAULT_ROUNDS["bdm"] if rounds is None else rounds, **options)
    if model == "smp":
        from pactlab.forecast.smp import forecast_smp

        return forecast_smp(sh, max_iter=DEFAULT_ROUNDS["smp"] if rounds is None else rounds,
                            **options)
    raise UnknownNameError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")


def __getattr__(name: str) -> Any:
    if name == "forecast_smp":  # imported lazily: the SMP module is the largest
        from pactlab.forecast.smp import forecast_smp

        return forecast_smp
    raise AttributeError(name)


__all__ = [
    "DEFAULT_ROUNDS",
    "MODELS",
    "Dimension",
    "ForecastResult",
    "Move",
    "SensitivityRow",
    "StakeholderError",
    "Stakeholders",
    "builtin_ids",
    "condorcet_winner",
    "forecast_condorcet",
    "forecast_eu",
    "forecast_mean",
    "forecast_median",
    "forecast_smp",
    "load_stakeholders",
    "read_csv",
    "read_ktab_csv",
    "read_ktab_xml",
    "read_toml",
    "run_forecast",
    "sensitivity",
    "weighted_mean",
    "weighted_median",
]
