"""One streaming pass over a domain's outcomes: counts, ZOPA ranges and the frontier.

Outcomes are visited in chunks; each chunk's feasible frontier is merged with the
frontier so far (the frontier of a union is the frontier of the union of
frontiers), so memory stays bounded by the chunk and the frontier sizes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pactlab.analysis.clock import part
from pactlab.errors import BudgetError
from pactlab.kernel.bargaining import frontier_order, individually_rational, pareto_mask
from pactlab.model.domain import CHUNK, Domain


@dataclass(frozen=True, eq=False)
class Scan:
    outcomes: int
    feasible: int
    individually_rational: int
    frontier_index: np.ndarray  # mixed-radix outcome indices of the feasible Pareto frontier
    frontier_utilities: np.ndarray  # (frontier size, parties)
    ir_low: np.ndarray  # each party's lowest utility over the feasible IR set (nan if empty)
    ir_high: np.ndarray  # ... and highest

    def frontier_rows(self, domain: Domain) -> np.ndarray:
        """The frontier outcomes as rows of option indices."""
        return domain.decode(self.frontier_index)


def scan(domain: Domain, chunk: int = CHUNK, progress: Callable[[int, int], None] | None = None,
         max_frontier: int | None = None) -> Scan:
    """Visit every outcome once and summarise it.

    `progress(done, total)` is called after each chunk with the outcomes visited
    so far; `BudgetError` is raised if the frontier grows past `max_frontier` points.
    """
    k = domain.n_parties
    r = domain.reservations
    front_idx = np.empty(0, dtype=np.int64)
    front_u = np.empty((0, k))
    n_feasible = n_ir = 0
    low = np.full(k, np.inf)
    high = np.full(k, -np.inf)
    total = domain.feasible_count
    for index, _, u in domain.feasible_outcomes(chunk, progress):
        # the two filters of a chunk report within its share of the outcomes
        mid = n_feasible + len(index) // 2
        first = part(progress, n_feasible, mid, total)
        n_feasible += len(index)
        second = part(progress, mid, n_feasible, total)
        ir = individually_rational(u, r)
        n_ir += int(ir.sum())
        if ir.any():
            for p in range(k):
                column = u[ir, p]
                low[p], high[p] = min(low[p], column.min()), max(high[p], column.max())
        keep = pareto_mask(u, first)
        cand_idx = np.concatenate([front_idx, index[keep]])
        cand_u = np.vstack([front_u, u[keep]])
        keep = pareto_mask(cand_u, second)
        front_idx, front_u = cand_idx[keep], cand_u[keep]
        if max_frontier is not None and len(front_idx) > max_frontier:
            raise BudgetError(
                f"the enumerated Pareto frontier passed {max_frontier:,} outcomes, more than "
                "the memory budget holds; raise the budget (--memory)"
            )
    order = frontier_order(front_u)
    if n_ir == 0:
        low = np.full(k, np.nan)
        high = np.full(k, np.nan)
    return Scan(
        outcomes=domain.n_outcomes,
        feasible=n_feasible,
        individually_rational=n_ir,
        frontier_index=front_idx[order],
        frontier_utilities=front_u[order],
        ir_low=low,
        ir_high=high,
    )
