"""Bueno de Mesquita's expected-utility model as replicated by Scholz, Calbert & Smith (2011).

Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011), "Unravelling Bueno De Mesquita's group
decision model", Journal of Theoretical Politics 23(4):510-531. The rules, per round:

1. Risk exponents. With every exponent set to 1, actor i's *danger* is Σ_{j≠i} EU_j(challenge
   i); its risk acceptance R_i = (2·danger_i − max − min)/(max − min) and its exponent
   r_i = (1 − R_i/3)/(1 + R_i/3), in [0.5, 2].
2. Votes. Voter k's vote between positions a and b is c_k s_k ((|x_k−b|/Δ)^r_k −
   (|x_k−a|/Δ)^r_k); the probability that i beats j is the sum of the positive votes for x_i
   over a normaliser (see the modes below).
3. Utilities, from the perspective of actor p (with p's exponent r): success
   U_s = 2 − 4(0.5 − 0.5·d/Δ)^r, failure U_f = 2 − 4(0.5 + 0.5·d/Δ)^r, status quo
   U_sq = 2 − 4·0.5^r, d = |x_i − x_j|; EU(i challenges j) = s_j (P U_s + (1 − P) U_f)
   + (1 − s_j) U_s − Q·U_sq.
4. Offers to actor i from j (as i sees them: eu_ij = EU_i(i→j), eu_ji = EU_i(j→i)):
   confrontation when eu_ji > eu_ij > 0 (i moves to x_j); compromise when eu_ji > 0 > eu_ij
   and eu_ji > |eu_ij| (i moves by |eu_ij/eu_ji| of the way to x_j); capitulation when
   eu_ji > 0 > eu_ij and eu_ji < |eu_ij| (i moves to x_j). An actor takes a confrontation
   if it has one, else a compromise, else a capitulation; all actors move at once.

Two modes, side by side:

* ``"scholz"`` reproduces the published replication numbers, keeping its quirks: (a) the
  probability's denominator sums |votes| over *all* pairs of positions, not just the pair in
  question, so probabilities are tiny; (b) the capitulation test compares eu_ji with |eu_ji|
  and so never fires; (c) among compromises the actor takes the one minimising the
  EU-weighted average of the two positions (not the least move), which is why Belgium swings
  to the Netherlands in round 4. Δ is the dimension's range (for a CSV, the initial spread).
* ``"clean"`` fixes the three: P(i beats j) = Σ_k max(0, v_k) / Σ_k |v_k| over the pair,
  capitulation tests |eu_ij|, and every offer type is chosen by least movement.

Several dimensions are run one at a time (the model is one-dimensional), all for the same
number of rounds. Everything is vectorised over actor pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pactlab.errors import UnknownNameError
from pactlab.forecast.baselines import weighted_mean, weighted_median
from pactlab.forecast.result import ForecastResult, Move
from pactlab.forecast.stakeholders import Stakeholders

Mode = Literal["scholz", "clean"]
MODES = ("scholz", "clean")
NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
OFFER_NAMES = {CONFRONTATION: "confrontation", COMPROMISE: "compromise",
               CAPITULATION: "capitulation"}


@dataclass(frozen=True)
class RoundDetail:
    """What happened on one dimension in one round (arrays over actors)."""

    risk: np.ndarray          # risk exponents used in the round
    new_position: np.ndarray  # positions after the round
    offer: np.ndarray         # offer type taken (0 none, 1 confrontation, 2 compromise, 3 cap.)
    counterpart: np.ndarray   # index of the actor whose offer was taken (-1 none)


def _dist_pow(x: np.ndarray, delta: float, r: np.ndarray) -> np.ndarray:
    """D[k, m] = (|x_k − x_m|/Δ)^r_k."""
    return (np.abs(x[:, None] - x[None, :]) / delta) ** r[:, None]


def win_probability(x: np.ndarray, w: np.ndarray, r: np.ndarray, delta: float, mode: Mode
                    ) -> np.ndarray:
    """P[i, j]: probability that position x_i beats x_j; 0 where the positions coincide."""
    dp = _dist_pow(x, delta, r)
    # votes V[k, i, j] = w_k (D[k, j] − D[k, i])
    votes = w[:, None, None] * (dp[:, None, :] - dp[:, :, None])
    pos = np.maximum(votes, 0.0).sum(axis=0)
    if mode == "scholz":
        # Σ_{k,a,b} |V[k,a,b]|, by sorting each voter's distances: Σ_{a,b}|D_b − D_a| =
        # 2 Σ_m D_(m) (2m − n + 1) for the sorted row.
        n = x.size
        srt = np.sort(dp, axis=1)
        coef = 2.0 * np.arange(n) - n + 1.0
        total = float((w * 2.0 * (srt @ coef)).sum())
        p = pos / total if total > 0 else np.zeros_like(pos)
    else:
        den = np.abs(votes).sum(axis=0)
        p = np.divide(pos, den, out=np.zeros_like(pos), where=den > 0)
    p[x[:, None] == x[None, :]] = 0.0
    return p


def _eu(p: np.ndarray, d: np.ndarray, s_target: np.ndarray, r: np.ndarray, q: float
        ) -> np.ndarray:
    """EU of challenges with win probabilities p, distances d (/Δ), target saliences, from the
    perspective whose exponents are r (all arrays broadcast)."""
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    return s_target * (p * us + (1.0 - p) * uf) + (1.0 - s_target) * us - q * usq


def risk_exponents(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float, q: float,
                   mode: Mode) -> np.ndarray:
    """Each actor's risk exponent from its danger, all computed with exponents 1."""
    n = x.size
    ones = np.ones(n)
    p = win_probability(x, c * s, ones, delta, mode)
    d = np.abs(x[:, None] - x[None, :]) / delta
    eu = _eu(p, d, s[None, :], 1.0, q)  # eu[j, i]: EU of j challenging i
    np.fill_diagonal(eu, 0.0)
    danger = eu.sum(axis=0)
    hi, lo = danger.max(), danger.min()
    if hi - lo <= 1e-15 * max(1.0, abs(hi)):
        return ones
    big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def bdm_round(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float, q: float = 1.0,
              mode: Mode = "scholz") -> RoundDetail:
    """One simultaneous round on one dimension."""
    r = risk_exponents(x, c, s, delta, q, mode)
    p = win_probability(x, c * s, r, delta, mode)
    d = np.abs(x[:, None] - x[None, :]) / delta
    ri = r[:, None]
    # from i's perspective: eu_ij = EU_i(i challenges j), eu_ji = EU_i(j challenges i)
    eu_ij = _eu(p, d, s[None, :], ri, q)
    eu_ji = _eu(p.T, d, s[:, None], ri, q)
    differs = x[:, None] != x[None, :]
    conf = differs & (eu_ji > eu_ij) & (eu_ij > 0)
    neg = differs & (eu_ji > 0) & (eu_ij < 0)
    comp = neg & (eu_ji > np.abs(eu_ij))
    capit = neg & (eu_ji < (np.abs(eu_ji) if mode == "scholz" else np.abs(eu_ij)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(comp, np.abs(eu_ij / np.where(eu_ji != 0, eu_ji, 1.0)), 0.0)
    target = np.where(comp, x[:, None] + (x[None, :] - x[:, None]) * ratio, x[None, :])
    move = np.abs(target - x[:, None])
    if mode == "scholz":
        a, b = np.abs(eu_ij), np.abs(eu_ji)
        with np.errstate(divide="ignore", invalid="ignore"):
            comp_key = (a * x[:, None] + b * x[None, :]) / (a + b)
    else:
        comp_key = move
    n = x.size
    new = x.copy()
    offer = np.zeros(n, dtype=int)
    partner = np.full(n, -1)
    for kind, mask, key in ((CONFRONTATION, conf, move), (COMPROMISE, comp, comp_key),
                            (CAPITULATION, capit, move)):
        todo = (offer == NO_OFFER) & mask.any(axis=1)
        if not todo.any():
            continue
        keyed = np.where(mask, key, np.inf)
        j = np.argmin(keyed, axis=1)
        rows = np.nonzero(todo)[0]
        new[rows] = target[rows, j[rows]]
        offer[rows] = kind
        partner[rows] = j[rows]
    return RoundDetail(risk=r, new_position=new, offer=offer, counterpart=partner)


def forecast_eu(
    sh: Stakeholders,
    rounds: int = 10,
    *,
    mode: Mode = "scholz",
    q: float = 1.0,
    tol: float = 0.0,
) -> ForecastResult:
    """Run the expected-utility model for `rounds` rounds (or until no actor moves more than
    `tol` × Δ on any dimension). The forecast is the weighted median of the final positions,
    which in one dimension is the Condorcet winner BDM reports.

    `detail` holds per-round weighted means and medians, risk exponents and offers.
    """
    if mode not in MODES:
        raise UnknownNameError(f"unknown BDM mode {mode!r}; expected one of {', '.join(MODES)}")
    if rounds < 0:
        raise UnknownNameError(f"rounds is {rounds}; expected a non-negative number")
    _n, nd = sh.n_actors, sh.n_dimensions
    path = [sh.position.copy()]
    moves: list[Move] = []
    risks: list[list[list[float]]] = []
    offers: list[list[list[str]]] = []
    x = sh.position.copy()
    deltas = np.array([d.width for d in sh.dimensions])
    for t in range(1, rounds + 1):
        new = x.copy()
        rr, oo = [], []
        for d in range(nd):
            det = bdm_round(x[:, d], sh.capability, sh.salience[:, d], float(deltas[d]), q, mode)
            new[:, d] = det.new_position
            rr.append(det.risk.tolist())
            oo.append([OFFER_NAMES.get(int(o), "") for o in det.offer])
            for k in np.nonzero(det.offer)[0]:
                moves.append(Move(t, sh.actors[k], sh.dimensions[d].id, float(x[k, d]),
                                  float(new[k, d]), OFFER_NAMES[int(det.offer[k])],
                                  sh.actors[int(det.counterpart[k])]))
        risks.append(rr)
        offers.append(oo)
        step = np.abs(new - x).max(axis=0) / deltas
        x = new
        path.append(x.copy())
        if tol > 0 and np.all(step <= tol):
            break
    arr = np.stack(path)
    means = [weighted_mean(sh, p).tolist() for p in arr]
    medians = [weighted_median(sh, p).tolist() for p in arr]
    detail = {
        "mode": mode,
        "q": q,
        "delta": deltas.tolist(),
        "weighted_mean": means,
        "weighted_median": medians,
        "risk_exponents": risks,
        "offers": offers,
    }
    return ForecastResult(model="bdm", stakeholders=sh, path=arr,
                          forecast=np.array(medians[-1]), moves=tuple(moves), detail=detail)
