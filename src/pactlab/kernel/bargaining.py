"""Pareto frontiers, individual rationality and the bargaining solutions: one shared kernel.

Analysis and negotiation both import this module, so that "on the frontier",
"individually rational", "the Nash product" and the four solutions mean the same
thing everywhere.

Pareto. A point is on the frontier when no other point is at least as good for
every party and strictly better for one. Points with identical utility vectors do
not dominate each other, so all of them stay. Two parties: sort and running
maximum, O(n log n). Three parties: after sorting the distinct vectors
lexicographically, a point is dominated exactly when an earlier one is at least as
good for parties 1 and 2, a two-dimensional dominance query over a prefix, answered
for all points at once by divide and conquer (`_dominated_3d`, O(n log² n) in
vector steps; Kung, Luccio and Preparata 1975 give the sequential O(n log n)
sweep). More parties: a block skyline over points sorted by their utility sum (a
point can only be dominated by one with a larger sum), so memory is bounded by the
block size times the frontier size, and time by their product.

Long filters report `progress(done, total)` in points, so that a caller can draw a
bar or stop work that runs past its time bound (the callback may raise).

Individual rationality. A party accepts an outcome when its utility is at least
its reservation, `u ≥ r − IR_TOLERANCE·max(1, |r|)`. The tolerance makes the
test independent of the order in which a utility's terms were added (0.1 + 0.2
and 0.3 + 0.0 are both 0.3 here): enumeration, the exact method and the
meet-in-the-middle counts add the same numbers in different orders and must
agree on every outcome.

Bargaining solutions, over a finite set of points (no lotteries). All four take
the reservations `r` as the disagreement point and look only at individually
rational points:

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

import math
from collections.abc import Callable

import numpy as np

Progress = Callable[[int, int], None]

SKYLINE_BLOCK = 512
SOLUTIONS = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")
TIE_TOLERANCE = 1e-12
IR_TOLERANCE = 1e-9


def acceptance_threshold(r: np.ndarray) -> np.ndarray:
    """The lowest utility each party accepts: its reservation less the IR tolerance."""
    r = np.asarray(r, dtype=float)
    return np.asarray(r - IR_TOLERANCE * np.maximum(1.0, np.abs(r)))


def individually_rational(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Which rows of `u` (points × parties) every party accepts (see the module doc)."""
    u = np.asarray(u, dtype=float)
    thr = acceptance_threshold(r)
    if u.ndim != 2 or thr.ndim != 1:
        return np.asarray((u >= thr).all(axis=-1))
    ok = u[:, 0] >= thr[0]  # party by party: a reduction over a tiny axis is slow
    for p in range(1, u.shape[1]):
        ok &= u[:, p] >= thr[p]
    return np.asarray(ok)


def nash_product(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Π_i (u_i − r_i) along the last axis; negative or misleading unless `u` is rational."""
    return np.asarray(np.prod(np.asarray(u, dtype=float) - r, axis=-1))


def pareto_mask(u: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    """Boolean mask of the non-dominated rows of `u` (n points × k parties).

    `progress(done, total)` hears about the work of three or more parties, in points.
    """
    u = np.asarray(u, dtype=float)
    if u.ndim != 2:
        raise ValueError("expected a 2-d array of utilities (points × parties)")
    n, k = u.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if k == 1:
        return np.asarray(u[:, 0] == u[:, 0].max())
    if k == 2:
        return _pareto_mask_2d(u)
    return _skyline(u, progress)


def frontier_order(u: np.ndarray) -> np.ndarray:
    """Stable order of the rows by party 0 descending, then party 1 descending, and so on.

    One sort on party 0 and a pass over its ties (which only the tied rows pay for)
    instead of a lexicographic sort on every key: the same order, about 3× faster on a
    million distinct points. Rows equal in every utility keep their index order.
    """
    n, k = u.shape
    order = np.argsort(-u[:, 0])
    if n < 2:
        return order
    first = u[order, 0]
    tie = first[1:] == first[:-1]
    if not tie.any():
        return order
    tied = np.concatenate(([False], tie)) | np.concatenate((tie, [False]))
    at = np.flatnonzero(tied)
    sub = order[at]
    group = np.cumsum(np.concatenate(([True], ~tie)))[at]  # tie groups stay where they are
    keys = (sub, *(-u[sub, j] for j in range(k - 1, 0, -1)), group)
    order[at] = sub[np.lexsort(keys)]
    return order


def pareto_sweep_2d(u: np.ndarray, distinct: bool = False) -> np.ndarray:
    """Indices of the non-dominated rows of two-party `u`, in `frontier_order`.

    Sort and running maximum (Kung, Luccio and Preparata 1975): a point is kept
    when its party-1 utility beats every point sorted before it, or, with
    `distinct=False`, ties the best one with an identical vector. `distinct=True`
    keeps only the first row of each distinct vector.
    """
    order = frontier_order(u)
    a, b = u[order, 0], u[order, 1]
    if distinct:
        return np.asarray(order[b > np.maximum.accumulate(np.concatenate(([-np.inf], b[:-1])))])
    new_group = np.ones(len(a), dtype=bool)
    new_group[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(a)), 0))
    running = np.maximum.accumulate(b)
    before = np.concatenate(([-np.inf], running))[group_start]  # best b among earlier groups
    return np.asarray(order[b > before])


def _pareto_mask_2d(u: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(u), dtype=bool)
    mask[pareto_sweep_2d(u)] = True
    return mask


def _dominated_by(front: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """For each row of `pts`, whether some row of `front` strictly dominates it.

    Party by party on (pts × front) tables: reducing a (pts × front × parties) table over
    its short last axis is several times slower, and needs `parties` times the memory.
    """
    if len(front) == 0:
        return np.zeros(len(pts), dtype=bool)
    ge = front[None, :, 0] >= pts[:, None, 0]
    gt = front[None, :, 0] > pts[:, None, 0]
    for j in range(1, pts.shape[1]):
        ge &= front[None, :, j] >= pts[:, None, j]
        gt |= front[None, :, j] > pts[:, None, j]
    return np.asarray((ge & gt).any(axis=1))


def _screen(u: np.ndarray, n_probes: int = 32) -> np.ndarray:
    """Cheap first pass: drop points dominated by one of the best-sum points.

    Dominance is transitive, so any dominating point will do, frontier or not;
    the best-sum points dominate most of a typical outcome space. One vector
    operation per probe and party keeps this linear in the number of points.
    """
    alive = np.ones(len(u), dtype=bool)
    for probe in u[np.argsort(-u.sum(axis=1))[:n_probes]]:
        ge = np.ones(len(u), dtype=bool)
        gt = np.zeros(len(u), dtype=bool)
        for j, x in enumerate(probe):
            ge &= u[:, j] <= x
            gt |= u[:, j] < x
        alive &= ~(ge & gt)
    return alive


def _skyline(u: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    screened = np.flatnonzero(_screen(u))
    mask = np.zeros(len(u), dtype=bool)
    filter_ = _skyline_3d if u.shape[1] == 3 else _block_skyline
    mask[screened] = filter_(u[screened], progress)
    return mask


def dense_rank(x: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values of `x` (0 = smallest; equal values tie)."""
    return np.asarray(np.unique(x, return_inverse=True)[1]).reshape(-1)


def lex_groups(u: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The rows of `u` in decreasing lexicographic order, grouped into distinct rows.

    Returns `order` (row indices; equal rows in index order), `group` (0, 1, ... along
    `order`, one number per distinct row) and each column's `dense_rank`.
    """
    ranks = [dense_rank(u[:, j]) for j in range(u.shape[1])]
    sizes = [int(r.max()) + 1 if len(r) else 1 for r in ranks]
    if math.prod(sizes) < 2**62:  # one integer key: one sort instead of a lexsort
        key = np.zeros(len(u), dtype=np.int64)
        for r, m in zip(ranks, sizes, strict=True):
            key = key * m + r
        order = np.argsort(-key, kind="stable")
        sorted_key = key[order]
        new = np.concatenate(([True], sorted_key[1:] != sorted_key[:-1]))
    else:
        order = np.lexsort(tuple(-r for r in reversed(ranks)))
        new = np.zeros(len(u), dtype=bool)
        new[:1] = True
        for r in ranks:
            col = r[order]
            new[1:] |= col[1:] != col[:-1]
    return order, np.cumsum(new) - 1, ranks


def _skyline_3d(u: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    """Non-dominated rows of three-party `u`.

    Sorted lexicographically in decreasing order, every dominator of a vector comes
    before it (it is at least as good everywhere and differs), and every earlier vector
    is at least as good for party 0. So a distinct vector is dominated exactly when an
    earlier one is at least as good for parties 1 and 2 (`_dominated_3d`); copies of a
    vector share its verdict.
    """
    mask = np.zeros(len(u), dtype=bool)
    if len(u) == 0:
        return mask
    order, group, ranks = lex_groups(u)
    rows = order[np.flatnonzero(np.diff(group, prepend=-1))]  # one row per distinct vector
    dominated = _dominated_3d(ranks[1][rows], ranks[2][rows], progress)
    mask[order] = ~dominated[group]
    return mask


def pareto_distinct(u: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    """Indices, ascending, of the first row of each distinct non-dominated vector of `u`.

    For three or more parties (two have `pareto_sweep_2d(u, distinct=True)`).
    """
    if len(u) == 0:
        return np.zeros(0, dtype=np.int64)
    # screening drops dominated rows only: every copy of a non-dominated vector stays
    screened = np.flatnonzero(_screen(u))
    order, group, ranks = lex_groups(u[screened])
    rows = order[np.flatnonzero(np.diff(group, prepend=-1))]  # the first of each vector
    if u.shape[1] == 3:
        dominated = _dominated_3d(ranks[1][rows], ranks[2][rows], progress)
        return np.asarray(screened[np.sort(rows[~dominated])])
    first = screened[np.sort(rows)]
    return np.asarray(first[_block_skyline(u[first], progress)])


def _dominated_3d(a: np.ndarray, b: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    """For each position i: is there j < i with a[j] ≥ a[i] and b[j] ≥ b[i]? (ranks ≥ 0)

    Divide and conquer, bottom-up and vectorised over all blocks of a level: at the
    level of width w every pair j < i that falls in the two halves of one block of 2w
    positions is examined once, with the block ordered by decreasing a (left half
    first on ties) and a running maximum of the left half's b. The running maximum
    runs over the whole array; offsetting b by the block number keeps blocks apart.
    Each level keeps the previous level's order, whose blocks are already sorted
    runs, so its stable sort only merges them; points found dominated leave the order.
    """
    n = len(a)
    a = a.astype(np.int64)
    b = b.astype(np.int64)
    dominated = np.zeros(n, dtype=bool)
    span = n + 1
    order = np.arange(n, dtype=np.int64)
    width = 1
    levels = max(1, (n - 1).bit_length())
    level = 0
    while width < n:
        block = order // (2 * width)
        right = (order // width) % 2 == 1
        order = order[np.argsort((block * span + (n - a[order])) * 2 + right, kind="stable")]
        block = order // (2 * width)
        right = (order // width) % 2 == 1
        floor = block * span + b[order] + 1  # a left point's value; a right point's need
        best = np.maximum.accumulate(np.where(right, -1, floor))
        hit = right & (best >= floor)
        dominated[order[hit]] = True
        # a dominated point is answered, and whatever it dominates its own dominator
        # (earlier, so in the same or an earlier block) dominates too: drop it
        order = order[~hit]
        width *= 2
        level += 1
        if progress is not None:
            progress(n * level // levels, n)
    return dominated


def _block_skyline(u: np.ndarray, progress: Progress | None = None) -> np.ndarray:
    order = np.argsort(-u.sum(axis=1), kind="stable")
    kept: list[np.ndarray] = []
    front = np.empty((0, u.shape[1]))
    for start in range(0, len(order), SKYLINE_BLOCK):
        idx = order[start : start + SKYLINE_BLOCK]
        pts = u[idx]
        alive = ~_dominated_by(front, pts)
        idx, pts = idx[alive], pts[alive]
        alive = ~_dominated_by(pts, pts)
        if alive.any():
            kept.append(idx[alive])
            front = np.vstack([front, pts[alive]])
        if progress is not None:
            progress(min(start + SKYLINE_BLOCK, len(order)), len(order))
    mask = np.zeros(len(u), dtype=bool)
    if kept:
        mask[np.concatenate(kept)] = True
    return mask


def pareto_mask_bruteforce(u: np.ndarray) -> np.ndarray:
    """O(n²) reference: the definition, checked pair by pair (for tests and tiny inputs).

    Written as the definition over a (points × points × parties) table, independently of
    the filters it checks.
    """
    u = np.asarray(u, dtype=float)
    at_least = np.all(u[None, :, :] >= u[:, None, :], axis=2)  # [i, j]: j ≥ i everywhere
    better = np.any(u[None, :, :] > u[:, None, :], axis=2)  # [i, j]: j > i somewhere
    return np.asarray(~np.any(at_least & better, axis=1))


# --- bargaining solutions ---------------------------------------------------------


def nash_objective(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The Nash product with gains floored at 0 (rational points within tolerance of r)."""
    return nash_product(np.maximum(u, r), r)


def utilitarian_objective(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    return np.asarray(u.sum(axis=1))


def egalitarian_objective(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    return np.asarray((u - r).min(axis=1))


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
    ir = np.flatnonzero(individually_rational(u, r))
    if len(ir) == 0:
        return dict.fromkeys(SOLUTIONS)
    pts = u[ir]
    return {
        name: int(ir[best_index(fn(pts, r), pts)]) for name, fn in OBJECTIVES.items()
    }
