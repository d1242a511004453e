"""Small immutable result types shared by the analyses (views from `pactlab.result.Result`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pactlab.model.domain import Domain
from pactlab.model.labels import Label
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
        outcome=domain.outcome_dict(row.tolist()),
        utilities={p: float(x) for p, x in zip(domain.party_ids, utilities, strict=True)},
    )
