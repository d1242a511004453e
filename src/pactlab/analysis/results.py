"""Small immutable result types shared by the analyses (views from `pactlab.result.Result`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pactlab.model.domain import Domain, Label, compile_domain
from pactlab.model.loading import load_scenario
from pactlab.model.schema import Scenario
from pactlab.result import Result


@dataclass(frozen=True)
class Point(Result):
    """An outcome and every party's utility of it."""

    outcome: dict[str, Label]
    utilities: dict[str, float]


def point(domain: Domain, row: np.ndarray, utilities: np.ndarray | None = None) -> Point:
    """The `Point` of one outcome row (utilities computed unless given)."""
    row = np.asarray(row, dtype=np.int64)
    if utilities is None:
        utilities = domain.utilities_of_rows(row[None, :])[0]
    return Point(
        outcome=domain.outcome_dict(row),
        utilities={p: float(x) for p, x in zip(domain.party_ids, utilities, strict=True)},
    )


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    """Accept a loaded scenario, a built-in id or a path."""
    if isinstance(scenario, Scenario):
        return scenario
    return load_scenario(scenario)


def scenario_and_domain(scenario: Scenario | str | Path) -> tuple[Scenario, Domain]:
    sc = as_scenario(scenario)
    return sc, compile_domain(sc)
