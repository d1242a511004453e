"""pactlab: a workbench for multi-issue, multi-party negotiations.

The Python API is first-class; the `pactlab` command is a thin layer over it.
"""

from pactlab.analysis.analyze import Analysis, analyze
from pactlab.analysis.linkage import Linkage, linkage_value
from pactlab.analysis.offers import OfferEvaluation, evaluate_offer
from pactlab.errors import PactlabError
from pactlab.forecast import Stakeholders, load_stakeholders, run_forecast
from pactlab.model import Domain, Scenario, builtin_ids, compile_domain, load_scenario

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Domain",
    "Linkage",
    "OfferEvaluation",
    "PactlabError",
    "Scenario",
    "Stakeholders",
    "analyze",
    "builtin_ids",
    "compile_domain",
    "evaluate_offer",
    "linkage_value",
    "load_scenario",
    "load_stakeholders",
    "run_forecast",
]
