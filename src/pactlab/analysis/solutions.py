"""Bargaining solutions over a finite set of utility points (no lotteries).

All four take the reservations `r` as the disagreement point and look only at
individually rational points (u ≥ r for every party):

- Nash (1950): maximise Π(u_i − r_i).
- Kalai–Smorodinsky (1975), discrete form: maximise min_i (u_i − r_i)/(ideal_i − r_i),
  ideal_i being party i's best utility over the set.
- utilitarian: maximise Σ u_i.
- egalitarian (Kalai 1977): maximise min_i (u_i − r_i).

Ties are broken toward the Pareto frontier (larger Σ u) and then toward the
earlier point, so results are deterministic. Every maximiser of these
objectives has a Pareto-optimal twin, so callers may pass the frontier only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SOLUTIONS = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")
TIE_TOLERANCE = 1e-12


def nash_objective(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    return np.prod(u - r, axis=1)


def utilitarian_objective(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    return u.sum(axis=1)


def egalitarian_objective(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    return (u - r).min(axis=1)


def ks_objective(u: np.ndarray, r: np.ndarray, ideal: np.ndarray | None = None) -> np.ndarray:
    """Smallest relative gain; a party whose ideal equals its reservation is left out."""
    if ideal is None:
        ideal = u.max(axis=0)
    span = ideal - r
    rel = np.where(span > 0, (u - r) / np.where(span > 0, span, 1.0), np.inf)
    worst = rel.min(axis=1)
    return np.where(np.isinf(worst), 1.0, worst)


OBJECTIVES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "nash": nash_objective,
    "kalai_smorodinsky": ks_objective,
    "utilitarian": utilitarian_objective,
    "egalitarian": egalitarian_objective,
}


def best_index(objective: np.ndarray, u: np.ndarray) -> int:
    """Index of the maximiser, ties (within tolerance) to larger Σu, then the earlier point."""
    top = objective.max()
    tied = np.flatnonzero(objective >= top - TIE_TOLERANCE * max(1.0, abs(top)))
    if len(tied) == 1:
        return int(tied[0])
    sums = u[tied].sum(axis=1)
    return int(tied[np.argmax(sums)])


def solve(u: np.ndarray, r: np.ndarray) -> dict[str, int | None]:
    """Index into `u` of each solution, over the individually rational points of `u`.

    None when no point is individually rational.
    """
    u = np.asarray(u, dtype=float)
    r = np.asarray(r, dtype=float)
    ir = np.flatnonzero((u >= r).all(axis=1))
    if len(ir) == 0:
        return dict.fromkeys(SOLUTIONS)
    pts = u[ir]
    return {
        name: int(ir[best_index(fn(pts, r), pts)]) for name, fn in OBJECTIVES.items()
    }
