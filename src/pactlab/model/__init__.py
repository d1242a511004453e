"""Scenario format, loading with precise errors, and compilation to a numeric Domain.

Names are imported on first use, so that reading and validating a scenario does not pull in
numpy (needed only to compile a `Domain`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pactlab.lazy import lazy_getattr

_API: dict[str, str] = {
    "Domain": "pactlab.model.domain",
    "Interaction": "pactlab.model.domain",
    "compile_domain": "pactlab.model.domain",
    "builtin_ids": "pactlab.model.catalog",
    "load_scenario": "pactlab.model.loading",
    "parse_scenario": "pactlab.model.loading",
    "Basis": "pactlab.model.basis",
    "Issue": "pactlab.model.schema",
    "Party": "pactlab.model.schema",
    "Scenario": "pactlab.model.schema",
    "Source": "pactlab.model.schema",
}

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

if TYPE_CHECKING:
    from pactlab.model.basis import Basis
    from pactlab.model.catalog import builtin_ids
    from pactlab.model.domain import Domain, Interaction, compile_domain
    from pactlab.model.loading import load_scenario, parse_scenario
    from pactlab.model.schema import Issue, Party, Scenario, Source


__getattr__ = lazy_getattr(__name__, _API, globals())
