"""Pareto frontiers of utility points.

A point is on the frontier when no other point is at least as good for every
party and strictly better for one. Points with identical utility vectors do not
dominate each other, so all of them stay. Two parties: sort and running
maximum, O(n log n). More parties: a block skyline over points sorted by their
utility sum (a point can only be dominated by one with a larger sum), so memory
is bounded by the block size times the frontier size.
"""

from __future__ import annotations

import numpy as np

SKYLINE_BLOCK = 512


def pareto_mask(u: np.ndarray) -> np.ndarray:
    """Boolean mask of the non-dominated rows of `u` (n points × k parties)."""
    u = np.asarray(u, dtype=float)
    if u.ndim != 2:
        raise ValueError("expected a 2-d array of utilities (points × parties)")
    n, k = u.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if k == 1:
        return u[:, 0] == u[:, 0].max()
    if k == 2:
        return _pareto_mask_2d(u)
    return _skyline(u)


def frontier_order(u: np.ndarray) -> np.ndarray:
    """Stable order of the rows by party 0 descending, then party 1 descending, and so on."""
    return np.lexsort(tuple(-u[:, j] for j in range(u.shape[1] - 1, -1, -1)))


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
        return order[b > np.maximum.accumulate(np.concatenate(([-np.inf], b[:-1])))]
    new_group = np.ones(len(a), dtype=bool)
    new_group[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(a)), 0))
    running = np.maximum.accumulate(b)
    before = np.concatenate(([-np.inf], running))[group_start]  # best b among earlier groups
    return order[b > before]


def _pareto_mask_2d(u: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(u), dtype=bool)
    mask[pareto_sweep_2d(u)] = True
    return mask


def _dominated_by(front: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """For each row of `pts`, whether some row of `front` strictly dominates it."""
    if len(front) == 0:
        return np.zeros(len(pts), dtype=bool)
    ge = (front[None, :, :] >= pts[:, None, :]).all(axis=2)
    gt = (front[None, :, :] > pts[:, None, :]).any(axis=2)
    return (ge & gt).any(axis=1)


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


def _skyline(u: np.ndarray) -> np.ndarray:
    screened = np.flatnonzero(_screen(u))
    mask = np.zeros(len(u), dtype=bool)
    mask[screened] = _block_skyline(u[screened])
    return mask


def _block_skyline(u: np.ndarray) -> np.ndarray:
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
    mask = np.zeros(len(u), dtype=bool)
    if kept:
        mask[np.concatenate(kept)] = True
    return mask


def pareto_mask_bruteforce(u: np.ndarray) -> np.ndarray:
    """O(n²) reference: the definition, checked pair by pair (for tests and tiny inputs)."""
    u = np.asarray(u, dtype=float)
    return ~_dominated_by(u, u)
