"""Which actor's salience or capability moves the forecast most.

Each actor's capability, then each of its saliences, is nudged by a relative step (default
10 %) and the model re-run: raised, capped at the input's limit (salience 1, capability just
under `MAX_MAGNITUDE`), or lowered by the step if it is already at the limit; an input at 0 is
set to the step (salience) or the step times the mean capability. The shift of the forecast,
measured in fractions of each dimension's range and summed over dimensions, ranks the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from pactlab.forecast.result import ForecastResult
from pactlab.forecast.stakeholders import MAX_MAGNITUDE, Stakeholders
from pactlab.result import Result, renamed

CAPABILITY_LIMIT = float(np.nextafter(MAX_MAGNITUDE, 0.0))  # the largest valid capability


def describe(step: float = 0.10) -> str:
    """What `sensitivity` does to each input, in words (for table titles)."""
    pct = f"{100 * step:g}%"
    return (f"each capability and salience raised by {pct}, capped at its limit (salience 1); "
            f"one already at its limit is lowered by {pct}, one at 0 set to a small value")


def nudge(value: float, step: float, limit: float, at_zero: float) -> float:
    """`value` raised by `step` (relative) up to `limit`; lowered by `step` if already there."""
    if value <= 0:
        return at_zero
    up = min(limit, value * (1 + step))
    return up if up > value else value * (1 - step)


@dataclass(frozen=True)
class SensitivityRow(Result):
    """The effect of nudging one input: which actor, which input, how far the forecast moved."""

    actor: str
    parameter: str          # "capability" or "salience.<dimension>"
    before: float = field(metadata=renamed("from"))
    after: float = field(metadata=renamed("to"))
    shift: float  # Σ_d |Δforecast_d| / range_d
    forecast: list[float]


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

    cap_at_zero = step * float(sh.capability.mean())
    for k in range(sh.n_actors):
        cap = sh.capability.copy()
        cap[k] = nudge(float(cap[k]), step, CAPABILITY_LIMIT, cap_at_zero)
        record(k, "capability", float(sh.capability[k]), float(cap[k]),
               sh.with_values(capability=cap))
        for d, dim in enumerate(sh.dimensions):
            sal = sh.salience.copy()
            sal[k, d] = nudge(float(sal[k, d]), step, 1.0, step)
            record(k, f"salience.{dim.id}", float(sh.salience[k, d]), float(sal[k, d]),
                   sh.with_values(salience=sal))
    rows.sort(key=lambda r: -r.shift)
    return rows
