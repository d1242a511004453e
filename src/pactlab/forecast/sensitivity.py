"""Which actor's salience or capability moves the forecast most.

Each actor's capability, then each of its saliences, is raised by a relative step (default
+10 %, salience capped at 1) and the model re-run; the shift of the forecast, measured in
fractions of each dimension's range and summed over dimensions, ranks the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from pactlab.forecast.result import ForecastResult
from pactlab.forecast.stakeholders import Stakeholders


@dataclass(frozen=True)
class SensitivityRow:
    """The effect of nudging one input: which actor, which input, how far the forecast moved."""

    actor: str
    parameter: str          # "capability" or "salience.<dimension>"
    before: float
    after: float
    shift: float            # Σ_d |Δforecast_d| / range_d
    forecast: list[float]

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "parameter": self.parameter, "from": self.before,
                "to": self.after, "shift": self.shift, "forecast": self.forecast}


def sensitivity(
    sh: Stakeholders,
    run: Callable[[Stakeholders], ForecastResult],
    *,
    step: float = 0.10,
) -> list[SensitivityRow]:
    """Rows sorted by decreasing shift; `run` maps a stakeholder table to a result."""
    base = run(sh).forecast
    widths = np.array([d.width for d in sh.dimensions])
    rows: list[SensitivityRow] = []

    def record(actor: int, parameter: str, before: float, after: float, new: Stakeholders
               ) -> None:
        fc = run(new).forecast
        rows.append(SensitivityRow(sh.actors[actor], parameter, before, after,
                                   float(np.sum(np.abs(fc - base) / widths)), fc.tolist()))

    for k in range(sh.n_actors):
        cap = sh.capability.copy()
        before = float(cap[k])
        cap[k] = before * (1 + step) if before > 0 else step * float(sh.capability.mean())
        record(k, "capability", before, float(cap[k]), sh.with_values(capability=cap))
        for d, dim in enumerate(sh.dimensions):
            sal = sh.salience.copy()
            before = float(sal[k, d])
            sal[k, d] = min(1.0, before * (1 + step) if before > 0 else step)
            if sal[k, d] == before:  # already at 1: nudge down instead
                sal[k, d] = before * (1 - step)
            record(k, f"salience.{dim.id}", before, float(sal[k, d]),
                   sh.with_values(salience=sal))
    rows.sort(key=lambda r: -r.shift)
    return rows
