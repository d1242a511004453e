"""Exact Pareto frontier of an additive domain, built issue by issue without enumeration.

With additive utilities u(x) = Σ_i v_i(x_i) the set of utility vectors is the
Minkowski sum V_1 ⊕ … ⊕ V_n of the issues' value sets, and a non-dominated
point of A ⊕ B is always a + b with a and b non-dominated in A and B (replace a
dominated part by its dominator and the sum dominates). So

    F_1 = ND(V_1),   F_i = ND(F_{i-1} ⊕ ND(V_i)),   frontier = F_n

(multi-objective dynamic programming; the "Pareto sum" of Hespe, Sanders,
Storandt and Truschel, ESA 2023; ND by the maxima algorithms of Kung, Luccio
and Preparata 1975: sort and running maximum for two parties, a divide and conquer for
three, a skyline for more).
Only frontier-sized sets are ever held: 10^12 outcomes need no enumeration.

Conventions, so that this method and enumeration agree exactly:

- Limits in pactlab are per-issue bounds, so they are applied first by dropping
  the options some party excludes; they never force enumeration. Interactions
  couple issues and do: `exact_frontier` refuses a domain with interactions.
- Sums are taken in issue order starting from 0, as `Domain.utilities_of_rows`
  does, so the floating-point utilities are bit-identical to the enumerated ones.
  Floating-point addition is monotone, so pruning a dominated partial sum never
  loses a frontier vector.
- A party's utility cap (GENIUS: min(1, Σ)) is monotone and applied at the end,
  followed by one more Pareto filter.
- The frontier holds ONE outcome per distinct utility vector (the first met),
  while enumeration keeps every outcome of a frontier vector. Compare the two on
  the set of distinct vectors and on the solutions' utilities.
- Reservations are applied afterwards: the individually rational frontier is
  the frontier ∩ {u ≥ r}, where the bargaining solutions are found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pactlab.analysis.clock import part
from pactlab.errors import BudgetError, MethodError
from pactlab.kernel.bargaining import Progress, frontier_order, pareto_distinct, pareto_sweep_2d
from pactlab.model.domain import Domain

DEFAULT_MEMORY = 1 << 30  # bytes
PERMILLE = 1000  # the exact frontier reports thousandths of its estimated work


@dataclass(frozen=True, eq=False)
class ExactFrontier:
    """The feasible Pareto frontier: one outcome row per distinct utility vector."""

    rows: np.ndarray  # (m, issues) option indices
    utilities: np.ndarray  # (m, parties), sorted by party 0 desc, then party 1 desc, ...
    feasible: int  # number of feasible outcomes (exact, may exceed int64)


def interaction_problem(domain: Domain) -> str | None:
    """Why the exact method does not apply to `domain`, or None when it does."""
    if domain.is_additive:
        return None
    parts = []
    for inter in domain.interactions:
        issues = ", ".join(domain.issue_ids[i] for i in sorted(inter.masks))
        parts.append(f"{domain.party_ids[inter.party]} on {issues}")
    return (
        "the exact frontier needs additive utilities, but interactions couple issues "
        f"({'; '.join(parts)}); such a domain can only be enumerated"
    )


def require_additive(domain: Domain) -> None:
    """Raise `MethodError` (with `interaction_problem`'s reason) unless the exact method applies."""
    problem = interaction_problem(domain)
    if problem is not None:
        raise MethodError(problem + "; use method 'enumerate'")


def nd_unique(u: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    """Indices of the distinct non-dominated rows of `u` (first row of each distinct vector).

    Two parties: the sweep of `pareto_sweep_2d`; more: `pareto_distinct`.
    """
    n, k = u.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if k == 2:
        return pareto_sweep_2d(u, distinct=True)
    return pareto_distinct(u, progress)


def _block_rows(front_size: int, options: int, parties: int, memory: int) -> int:
    """How many frontier points to combine with an issue's options at a time."""
    per_point = options * (parties * 8 * 4 + 16)  # sums, sort keys and temporaries
    return max(1, memory // max(1, per_point))


def _minkowski_step(front: np.ndarray, pts: np.ndarray, memory: int,
                    progress: Progress | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ND(front ⊕ pts): utilities, parent index into `front`, index into `pts`.

    `progress(done, total)` is told about the frontier points combined so far.
    """
    m, n_opt = len(front), len(pts)
    block = _block_rows(m, n_opt, front.shape[1], memory)
    best_u = np.empty((0, front.shape[1]))
    best_parent = np.empty(0, dtype=np.int64)
    best_opt = np.empty(0, dtype=np.int64)
    for start in range(0, m, block):
        stop = min(start + block, m)
        sums = (front[start:stop, None, :] + pts[None, :, :]).reshape(-1, front.shape[1])
        keep = nd_unique(sums, part(progress, start, (start + stop) // 2, m))
        parent = start + keep // n_opt
        opt = keep % n_opt
        if start == 0:
            best_u, best_parent, best_opt = sums[keep], parent, opt
        else:
            cand_u = np.vstack([best_u, sums[keep]])
            keep = nd_unique(cand_u, part(progress, (start + stop) // 2, stop, m))
            best_u = cand_u[keep]
            best_parent = np.concatenate([best_parent, parent])[keep]
            best_opt = np.concatenate([best_opt, opt])[keep]
        if progress is not None:
            progress(stop, m)
    return best_u, best_parent, best_opt


def exact_frontier(domain: Domain, memory: int | None = None,
                   progress: Progress | None = None) -> ExactFrontier:
    """The feasible Pareto frontier of an additive domain, issue by issue (see module doc).

    Raises `MethodError` if the domain has interactions, `BudgetError` if a
    partial frontier outgrows the memory budget (bytes, default 1 GiB).
    `progress(done, total)` reports thousandths of the estimated work (`_Pace`).
    """
    require_additive(domain)
    budget = DEFAULT_MEMORY if memory is None else int(memory)
    k = domain.n_parties
    options = [np.flatnonzero(a) for a in domain.allowed]
    feasible = math.prod(len(o) for o in options)
    if feasible == 0:
        return ExactFrontier(np.zeros((0, domain.n_issues), dtype=np.int64), np.zeros((0, k)), 0)
    points = [domain.values[i][:, opts].T for i, opts in enumerate(options)]
    # dominated options of one issue never reach the frontier
    owns = [nd_unique(pts) for pts in points]
    pace = _Pace(progress, [len(own) for own in owns])
    front = np.zeros((1, k))
    parents: list[np.ndarray] = []
    picks: list[np.ndarray] = []
    for i, (opts, own) in enumerate(zip(options, owns, strict=True)):
        front, parent, opt = _minkowski_step(front, points[i][own], budget, pace.at(i, len(front)))
        parents.append(parent)
        picks.append(opts[own][opt])
        held = sum(len(p) for p in parents) * 16 + front.nbytes
        if held > budget:
            raise BudgetError(
                f"the partial Pareto frontier after issue {domain.issue_ids[i]!r} has "
                f"{len(front):,} points and needs {held / 2**20:,.0f} MiB, over the memory "
                f"budget of {budget / 2**20:,.0f} MiB; raise the budget (--memory)"
            )
    rows = _trace_back(parents, picks)
    if domain.caps is not None:
        front = np.minimum(front, domain.caps)
        keep = nd_unique(front)
        front, rows = front[keep], rows[keep]
    order = frontier_order(front)
    return ExactFrontier(rows=rows[order], utilities=front[order], feasible=feasible)


class _Pace:
    """The exact frontier's progress: the share of its estimated work done, in thousandths.

    The work of issue i is its candidates, |F_{i-1}| × |ND(V_i)| (partial frontier times
    the issue's non-dominated options). The work left is priced with the partial frontier
    no larger than it is now: it rarely shrinks, usually grows, and a larger one costs
    more per candidate, so the share done is an upper bound and a time predicted from
    it (`pactlab.analysis.clock`) a lower bound. An issue with many options late in the
    order weighs as much as it costs, which counting issues would not say.
    """

    def __init__(self, progress: Progress | None, options: list[int]) -> None:
        self.progress = progress
        self.options = options
        self.done = 0.0  # candidates of the issues finished
        self.current = 0.0  # candidates of the issue under way
        self.shown = 0

    def at(self, issue: int, front: int) -> Progress | None:
        """The progress callback of issue `issue` combined with a partial frontier of `front`."""
        self.done += self.current
        self.current = work = float(front * self.options[issue])
        progress = self.progress
        if progress is None:
            return None
        before, rest = self.done, float(front * sum(self.options[issue + 1:]))

        def report(done: int, total: int) -> None:
            share = min(1.0, done / max(total, 1))
            now = before + share * work
            self.shown = max(self.shown, int(PERMILLE * now / max(now + work - share * work
                                                                  + rest, 1.0)))
            progress(self.shown, PERMILLE)

        return report


def _trace_back(parents: list[np.ndarray], picks: list[np.ndarray]) -> np.ndarray:
    """Outcome rows of the final frontier points, following the back-pointers."""
    m = len(parents[-1])
    rows = np.empty((m, len(parents)), dtype=np.int64)
    at = np.arange(m)
    for i in range(len(parents) - 1, -1, -1):
        rows[:, i] = picks[i][at]
        at = parents[i][at]
    return rows
