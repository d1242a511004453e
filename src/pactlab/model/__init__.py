"""Scenario format, loading with precise errors, and compilation to a numeric Domain."""

from pactlab.model.domain import Domain, Interaction, compile_domain
from pactlab.model.loading import builtin_ids, load_scenario, parse_scenario
from pactlab.model.schema import Basis, Issue, Party, Scenario, Source

__all__ = [
    "Basis",
    "Domain",
    "Interaction",
    "Issue",
    "Party",
    "Scenario",
    "Source",
    "builtin_ids",
    "compile_domain",
    "load_scenario",
    "parse_scenario",
]
