"""Baselines every actor-based forecast should beat: weighted mean, weighted median, Condorcet.

The Condorcet baseline is a real pairwise majority vote among the actors' positions (see
`pairwise_votes`), not a sum of distances, so in several dimensions it may find no winner.
Weights are capability × salience, per dimension (Bueno de Mesquita 1994; Scholz et al. 2011
report the same weighted mean for the EU emissions case, 7.389955686853767).
"""

from __future__ import annotations

import numpy as np

from pactlab.forecast.result import CondorcetDetail, Detail, ForecastResult
from pactlab.forecast.stakeholders import Stakeholders


def weighted_mean(sh: Stakeholders, position: np.ndarray | None = None) -> np.ndarray:
    """Σ c·s·x / Σ c·s per dimension; a dimension nobody cares about gets the plain mean."""
    x = sh.position if position is None else position
    w = sh.weights()
    tot = w.sum(axis=0)
    safe = np.where(tot > 0, tot, 1.0)
    return np.where(tot > 0, (w * x).sum(axis=0) / safe, x.mean(axis=0))


def weighted_median(sh: Stakeholders, position: np.ndarray | None = None) -> np.ndarray:
    """Per dimension, the smallest actor position at which the cumulative c·s weight reaches
    half of the total (the lower median when the halves tie exactly)."""
    x = sh.position if position is None else position
    w = sh.weights()
    out = np.empty(x.shape[1])
    for d in range(x.shape[1]):
        order = np.argsort(x[:, d], kind="stable")
        xs, ws = x[order, d], w[order, d]
        tot = ws.sum()
        if tot <= 0:
            ws = np.ones_like(ws)
            tot = ws.sum()
        cum = np.cumsum(ws)
        k = int(np.searchsorted(cum, 0.5 * tot - 1e-12 * tot, side="left"))
        out[d] = xs[min(k, len(xs) - 1)]
    return out


ROW_FLOATS = 2**14  # floats per buffer of a block of candidate rows (stays in cache)
TIE = 1e-12         # distance gaps below this fraction of the distances abstain


def pairwise_votes(sh: Stakeholders, position: np.ndarray | None = None) -> np.ndarray:
    """net[a, b]: weight of the voters who prefer candidate a's position to b's minus the
    weight of those who prefer b's (> 0: a beats b by weighted majority).

    Every actor votes for the closer position by its squared salience-weighted distance
    dist_k(y) = Σ_d (s_kd (x_kd − y_d) / range_d)², with weight capability × total salience,
    so in one dimension the weight is c·s and the Condorcet winner is the weighted median
    voter's position. Distances are sums of squares on positions scaled to [0, 1] (no
    overflow, relative error ~10⁻¹⁶), so a gap below TIE × (dist_k(a) + dist_k(b)) is a
    tie and abstains. Voter by voter, in blocks of candidate rows with buffers reused
    (fresh ones would page-fault): memory O(n²), never the n³ triples.
    """
    x = sh.position if position is None else position
    lows = np.array([d.low for d in sh.dimensions])
    widths = np.array([d.width for d in sh.dimensions])
    z = (x - lows) / widths                              # positions on [0, 1]
    q = sh.salience ** 2
    weight = sh.capability * sh.salience.sum(axis=1)
    n = x.shape[0]
    prefer = np.zeros((n, n))                            # Σ weight of voters preferring a to b
    step = max(1, ROW_FLOATS // n)
    gap_b, tol_b = np.empty((step, n)), np.empty((step, n))
    closer_b = np.empty((step, n), dtype=bool)
    for k in range(n):
        dist = (q[k] * (z[k] - z) ** 2).sum(axis=1)     # dist_k of every candidate
        for a in range(0, n, step):
            da = dist[a:a + step, None]
            gap, tol, closer = gap_b[:len(da)], tol_b[:len(da)], closer_b[:len(da)]
            np.subtract(dist, da, out=gap)
            np.add(da, dist, out=tol)
            tol *= TIE
            np.greater(gap, tol, out=closer)
            np.multiply(closer, weight[k], out=gap)      # w_k where a is closer, else 0
            prefer[a:a + step] += gap
    return prefer - prefer.T


def condorcet_winner(sh: Stakeholders, position: np.ndarray | None = None
                     ) -> tuple[np.ndarray, bool, int]:
    """The actor position that no other position beats in a pairwise weighted majority vote.

    Returns (position, is_condorcet, actor index). In one dimension a winner always exists
    (the weighted median); in several, majorities can cycle and there may be none: then
    `is_condorcet` is False and the position returned is the Copeland winner (most pairwise
    wins minus losses). Ties go to the first actor.
    """
    x = sh.position if position is None else position
    net = pairwise_votes(sh, x)
    tol = 1e-9 * max(1.0, float(np.abs(net).max(initial=0.0)))
    unbeaten = np.all(net >= -tol, axis=1)
    if unbeaten.any():
        k = int(np.argmax(unbeaten))
        return x[k].copy(), True, k
    k = int(np.argmax(copeland_scores(net, tol)))
    return x[k].copy(), False, k


def copeland_scores(net: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Pairwise wins minus pairwise losses of each candidate."""
    return (net > tol).sum(axis=1) - (net < -tol).sum(axis=1)


def _static(sh: Stakeholders, model: str, forecast: np.ndarray,
            detail: Detail | None = None) -> ForecastResult:
    path = sh.position[None, :, :].copy()
    return ForecastResult(model=model, stakeholders=sh, path=path, forecast=forecast,
                          detail=detail or Detail())


def forecast_mean(sh: Stakeholders) -> ForecastResult:
    """The capability × salience weighted mean (no dynamics)."""
    return _static(sh, "mean", weighted_mean(sh))


def forecast_median(sh: Stakeholders) -> ForecastResult:
    """The capability × salience weighted median per dimension (no dynamics)."""
    return _static(sh, "median", weighted_median(sh))


def forecast_condorcet(sh: Stakeholders) -> ForecastResult:
    """The Condorcet (pairwise-majority) winner among the actors' positions; when there is
    none, `detail` says so and the forecast is the Copeland winner's position."""
    pos, ok, k = condorcet_winner(sh)
    if ok:
        return _static(sh, "condorcet", pos, CondorcetDetail(True, sh.actors[k]))
    return _static(sh, "condorcet", pos, CondorcetDetail(
        False, sh.actors[k], "copeland (no Condorcet winner exists: pairwise majorities cycle; "
        "this is the position with the most pairwise wins minus losses)"))
