"""Forecasting: actor-based models over stakeholder tables.

Baselines (weighted mean, weighted median, Condorcet winner), Bueno de Mesquita's
expected-utility model as replicated by Scholz et al. (2011) and KTAB's Spatial Model of
Politics. Every model takes a `Stakeholders` table and returns a `ForecastResult`; models by
name, with validated parameters, are in `pactlab.forecast.models`.

>>> import pactlab.forecast as fc
>>> sh = fc.load_stakeholders("sma-2019")
>>> fc.run_forecast(sh, "bdm").forecast            # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from pactlab.errors import StakeholderError
from pactlab.forecast.baselines import (
    condorcet_winner,
    forecast_condorcet,
    forecast_mean,
    forecast_median,
    weighted_mean,
    weighted_median,
)
from pactlab.forecast.bdm import forecast_eu
from pactlab.forecast.models import MODEL_CLASSES, MODELS, ForecastModel, make_model, run_forecast
from pactlab.forecast.readers import (
    load_stakeholders,
    read_csv,
    read_ktab_csv,
    read_ktab_xml,
    read_toml,
    stakeholder_ids,
)
from pactlab.forecast.result import ForecastResult, Move
from pactlab.forecast.stakeholders import Dimension, Stakeholders


def __getattr__(name: str) -> Any:
    if name == "forecast_smp":  # imported lazily: the SMP module is the largest
        from pactlab.forecast.smp import forecast_smp

        return forecast_smp
    raise AttributeError(name)


__all__ = [
    "MODELS",
    "MODEL_CLASSES",
    "Dimension",
    "ForecastModel",
    "ForecastResult",
    "Move",
    "StakeholderError",
    "Stakeholders",
    "condorcet_winner",
    "forecast_condorcet",
    "forecast_eu",
    "forecast_mean",
    "forecast_median",
    "forecast_smp",
    "load_stakeholders",
    "make_model",
    "read_csv",
    "read_ktab_csv",
    "read_ktab_xml",
    "read_toml",
    "run_forecast",
    "stakeholder_ids",
    "weighted_mean",
    "weighted_median",
]
