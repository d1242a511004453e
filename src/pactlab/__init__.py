"""pactlab: a workbench for multi-issue, multi-party negotiations.

The Python API is first-class; the `pactlab` command is a thin layer over it. Names are
imported on first use (PEP 562), so ``import pactlab`` and the command line start fast and
pull in numpy, pydantic and the analysis layers only when a function needs them.

Examples
--------
>>> import pactlab as pl
>>> sc = pl.load_scenario("sma-2019")
>>> sc.id
'sma-2019'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactlab.lazy import lazy_getattr

__version__ = "0.1.0"

_API: dict[str, str] = {
    "Analysis": "pactlab.analysis.analyze",
    "analyze": "pactlab.analysis.analyze",
    "Linkage": "pactlab.analysis.linkage",
    "linkage_value": "pactlab.analysis.linkage",
    "OfferEvaluation": "pactlab.analysis.offers",
    "evaluate_offer": "pactlab.analysis.offers",
    "Backtest": "pactlab.backtest",
    "run_backtest": "pactlab.backtest:backtest",
    "PactlabError": "pactlab.errors",
    "Stakeholders": "pactlab.forecast",
    "load_stakeholders": "pactlab.forecast",
    "run_forecast": "pactlab.forecast",
    "Domain": "pactlab.model",
    "Scenario": "pactlab.model",
    "builtin_ids": "pactlab.model",
    "compile_domain": "pactlab.model",
    "load_scenario": "pactlab.model",
    "Session": "pactlab.negotiation",
    "Strategy": "pactlab.negotiation",
    "run_session": "pactlab.negotiation",
    "tournament": "pactlab.negotiation",
    "build_report": "pactlab.report.document",
    "SweepResult": "pactlab.sweep",
    "run_sweep": "pactlab.sweep:sweep",
}
"""Public name -> module that defines it."""

__all__ = [
    "Analysis",
    "Backtest",
    "Domain",
    "Linkage",
    "OfferEvaluation",
    "PactlabError",
    "Scenario",
    "Session",
    "Stakeholders",
    "Strategy",
    "SweepResult",
    "analyze",
    "build_report",
    "builtin_ids",
    "compile_domain",
    "evaluate_offer",
    "linkage_value",
    "load_scenario",
    "load_stakeholders",
    "run_backtest",
    "run_forecast",
    "run_session",
    "run_sweep",
    "tournament",
]

if TYPE_CHECKING:  # static checkers and IDEs see the real names
    from pactlab.analysis.analyze import Analysis, analyze
    from pactlab.analysis.linkage import Linkage, linkage_value
    from pactlab.analysis.offers import OfferEvaluation, evaluate_offer
    from pactlab.backtest import Backtest
    from pactlab.backtest import backtest as run_backtest
    from pactlab.errors import PactlabError
    from pactlab.forecast import Stakeholders, load_stakeholders, run_forecast
    from pactlab.model import Domain, Scenario, builtin_ids, compile_domain, load_scenario
    from pactlab.negotiation import Session, Strategy, run_session, tournament
    from pactlab.report.document import build_report
    from pactlab.sweep import SweepResult
    from pactlab.sweep import sweep as run_sweep


__getattr__ = lazy_getattr(__name__, _API, globals())


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
