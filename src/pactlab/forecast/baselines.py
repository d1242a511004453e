"""Baselines every actor-based forecast should beat: weighted mean, weighted median, Condorcet.

Weights are capability × salience, per dimension (Bueno de Mesquita 1994; Scholz et al. 2011
report the same weighted mean for the EU emissions case, 7.389955686853767).
"""

from __future__ import annotations

import numpy as np

from pactlab.forecast.result import ForecastResult
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


def pairwise_votes(sh: Stakeholders, position: np.ndarray | None = None) -> np.ndarray:
    """net[a, b] = Σ_k c_k (dist_k(b) − dist_k(a)) > 0 when the weighted majority prefers a's
    position to b's; dist_k is the salience-weighted city-block distance from actor k.

    In one dimension this is Scholz's `compare` with risk exponent 1, so the Condorcet winner
    is the weighted median voter's position.
    """
    x = sh.position if position is None else position
    # dist[k, a] = Σ_d s_kd |x_kd − x_ad|
    dist = np.einsum("kd,kad->ka", sh.salience, np.abs(x[:, None, :] - x[None, :, :]))
    c = sh.capability
    # net[a, b] = Σ_k c_k (dist[k, b] − dist[k, a])
    score = c @ dist
    return score[None, :] - score[:, None]


def condorcet_winner(sh: Stakeholders, position: np.ndarray | None = None
                     ) -> tuple[np.ndarray, bool, int]:
    """The actor position that no other position beats in a pairwise weighted vote.

    Returns (position, is_condorcet, actor index). With linear losses the votes are additive,
    so a winner always exists (it minimises Σ_k c_k dist_k); ties go to the first actor.
    """
    x = sh.position if position is None else position
    net = pairwise_votes(sh, x)
    tol = 1e-12 * max(1.0, float(np.abs(net).max(initial=0.0)))
    unbeaten = np.all(net >= -tol, axis=1)
    if unbeaten.any():
        k = int(np.argmax(unbeaten))
        return x[k].copy(), True, k
    wins = (net > tol).sum(axis=1)
    k = int(np.argmax(wins))
    return x[k].copy(), False, k


def _static(sh: Stakeholders, model: str, forecast: np.ndarray, **detail: object
            ) -> ForecastResult:
    path = sh.position[None, :, :].copy()
    return ForecastResult(model=model, stakeholders=sh, path=path, forecast=forecast,
                          detail=dict(detail))


def forecast_mean(sh: Stakeholders) -> ForecastResult:
    """The capability × salience weighted mean (no dynamics)."""
    return _static(sh, "mean", weighted_mean(sh))


def forecast_median(sh: Stakeholders) -> ForecastResult:
    """The capability × salience weighted median per dimension (no dynamics)."""
    return _static(sh, "median", weighted_median(sh))


def forecast_condorcet(sh: Stakeholders) -> ForecastResult:
    """The Condorcet (pairwise-majority) winner among the actors' positions."""
    pos, ok, k = condorcet_winner(sh)
    return _static(sh, "condorcet", pos, condorcet=ok, winner=sh.actors[k])
