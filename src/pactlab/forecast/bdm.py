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
number of rounds. Everything is vectorised over actor pairs and dimensions (arrays of shape
(dimensions, actors, actors)), and no step builds the (voter, position, position) triples:
see `Voters`. Time per round O(d·n² log n), memory O(d·n²).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pactlab.errors import UnknownNameError
from pactlab.forecast.baselines import weighted_mean, weighted_median
from pactlab.forecast.result import OFFER_KINDS, BDMDetail, ForecastResult, Move
from pactlab.forecast.stakeholders import Stakeholders

Mode = Literal["scholz", "clean"]
MODES = ("scholz", "clean")
NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
PAIRS_PER_BATCH = 2**18


@dataclass(frozen=True)
class RoundDetail:
    """What happened in one round; arrays over actors, or (dimensions, actors) when the
    round ran every dimension at once."""

    risk: np.ndarray          # risk exponents used in the round
    new_position: np.ndarray  # positions after the round
    offer: np.ndarray         # offer type taken (0 none, 1 confrontation, 2 compromise, 3 cap.)
    counterpart: np.ndarray   # index of the actor whose offer was taken (-1 none)


def _pairwise(x: np.ndarray) -> np.ndarray:
    """x[..., i] − x[..., j] as [..., i, j]."""
    return x[..., :, None] - x[..., None, :]


class Voters:
    """Actors sorted by position, per dimension: the work shared by every vote of a round.

    In one dimension voter k prefers position a to b exactly when it is closer to a, so the
    voters who prefer the left one of two positions are a prefix of the sorted voters (those
    left of the midpoint) and the others the rest. Sums over voters then become differences
    of column-wise prefix sums, which keeps every vote O(n²) in time and memory instead of
    the O(n³) array of all (voter, position, position) triples. `x` has shape (n,) or
    (dimensions, n); `delta` is a number or one per dimension.
    """

    def __init__(self, x: np.ndarray, delta: float | np.ndarray):
        self.shape = x.shape
        xb = np.atleast_2d(x)
        nd, n = xb.shape
        delta_b = np.broadcast_to(np.asarray(delta, dtype=float), (nd,))
        self.order = np.argsort(xb, axis=1, kind="stable")
        xs = np.take_along_axis(xb, self.order, axis=1)
        self.dist = np.abs(_pairwise(xs)) / delta_b[:, None, None]    # sorted [dim, voter, pos]
        rank = np.argsort(self.order, axis=1)                         # sorted place of actor i
        # t[a, b]: the voters strictly left of the midpoint of sorted positions a and b, who
        # prefer the left one of the two (rows of midpoints are sorted: a fast search);
        # `at[i, j]` indexes row t, column j of the prefix sums in `prefer`
        t = np.stack([np.searchsorted(xs[k], 0.5 * (xs[k][:, None] + xs[k][None, :]),
                                      side="left") for k in range(nd)])
        t = t[np.arange(nd)[:, None, None], rank[:, :, None], rank[:, None, :]]
        self.at = (np.arange(nd)[:, None, None] * ((n + 1) * n) + t * n + rank[:, None, :])
        self.left = rank[:, :, None] < rank[:, None, :]               # i sorts before j
        self.same = _pairwise(xb) == 0
        self.scaled = (np.abs(_pairwise(xb)) / delta_b[:, None, None]).reshape(
            (*self.shape, n))                                        # |x_i − x_j|/Δ

    def prefer(self, w: np.ndarray, r: np.ndarray | None) -> np.ndarray:
        """pos[..., i, j] = Σ_k w_k max(0, D[k, j] − D[k, i]), D[k, m] = (|x_k − x_m|/Δ)^r_k
        (`w`, `r` shaped like `x`; `r` None: every exponent is 1).

        With g[i, j] = Σ_{k left of the midpoint} w_k D[k, j]: when i sorts left of j the
        voters preferring i are those left of the midpoint, pos = g[i, j] − g[j, i]; else
        they are the others, pos = (total_j − g[i, j]) − (total_i − g[j, i]).
        """
        nd, n = self.order.shape
        wb = np.take_along_axis(np.broadcast_to(w, (nd, n)), self.order, axis=1)
        dp = self.dist
        if r is not None:
            rb = np.take_along_axis(np.broadcast_to(r, (nd, n)), self.order, axis=1)
            dp = dp ** rb[:, :, None]
        cum = np.zeros((nd, n + 1, n))
        np.cumsum(wb[:, :, None] * dp, axis=1, out=cum[:, 1:])
        total = np.take_along_axis(cum[:, n], np.argsort(self.order, axis=1), axis=1)
        g = cum.ravel()[self.at]
        diff = g - np.swapaxes(g, -1, -2)
        pos = np.where(self.left, diff, total[:, None, :] - total[:, :, None] - diff)
        pos[self.same] = 0.0
        np.maximum(pos, 0.0, out=pos)
        return pos.reshape((*self.shape, n))


def win_probability(x: np.ndarray, w: np.ndarray, r: np.ndarray | None,
                    delta: float | np.ndarray, mode: Mode, voters: Voters | None = None
                    ) -> np.ndarray:
    """P[..., i, j]: probability that position x_i beats x_j; 0 where the positions coincide.

    `r` None means every exponent is 1; `voters` reuses the sorting of another call on the
    same positions.
    """
    v = voters if voters is not None else Voters(x, delta)
    pos = v.prefer(w, r)
    # Σ_k |V[k, i, j]| = pos[i, j] + pos[j, i]: the clean normaliser of a pair, and summed
    # over all pairs Scholz's normaliser
    den = pos + np.swapaxes(pos, -1, -2)
    if mode == "scholz":
        total = den.sum(axis=(-2, -1), keepdims=True)
        p = np.divide(pos, total, out=np.zeros_like(pos), where=total > 0)
    else:
        p = np.divide(pos, den, out=np.zeros_like(pos), where=den > 0)
    p[_pairwise(x) == 0] = 0.0
    return p


def _stakes(d: np.ndarray, r: np.ndarray | float, q: float) -> tuple[np.ndarray, np.ndarray]:
    """(U_s − Q·U_sq, U_s − U_f) at distances d (/Δ) for exponents r.

    EU = s_t (P U_s + (1 − P) U_f) + (1 − s_t) U_s − Q U_sq rearranges to
    (U_s − Q U_sq) − s_t (1 − P)(U_s − U_f): two arrays per perspective serve every EU.
    """
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    return us - q * usq, us - uf


def risk_exponents(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float | np.ndarray,
                   q: float, mode: Mode, voters: Voters | None = None) -> np.ndarray:
    """Each actor's risk exponent from its danger, all computed with exponents 1."""
    v = voters if voters is not None else Voters(x, delta)
    p = win_probability(x, c * s, None, delta, mode, v)
    # danger_i = Σ_{j≠i} EU_j(j challenges i); on the diagonal d = 0 and with exponent 1
    # both stakes vanish, so the full column sums are the sums over j ≠ i
    base, spread = _stakes(v.scaled, 1.0, q)
    danger = base.sum(axis=-2) - s * ((1.0 - p) * spread).sum(axis=-2)
    hi, lo = danger.max(axis=-1, keepdims=True), danger.min(axis=-1, keepdims=True)
    flat = hi - lo <= 1e-15 * np.maximum(1.0, np.abs(hi))
    with np.errstate(divide="ignore", invalid="ignore"):
        big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return np.where(flat, 1.0, (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))


def bdm_round(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float | np.ndarray,
              q: float = 1.0, mode: Mode = "scholz") -> RoundDetail:
    """One simultaneous round: `x` and `s` are (actors,) for one dimension or (dimensions,
    actors) for all at once, `delta` a number or one per dimension."""
    voters = Voters(x, delta)
    r = risk_exponents(x, c, s, delta, q, mode, voters)
    p = win_probability(x, c * s, r, delta, mode, voters)
    xi, xj = x[..., :, None], x[..., None, :]
    # from i's perspective: eu_ij = EU_i(i challenges j), eu_ji = EU_i(j challenges i); both
    # use i's exponent at the same distance, so they share the stakes
    base, spread = _stakes(voters.scaled, r[..., :, None], q)
    eu_ij = base - s[..., None, :] * (1.0 - p) * spread
    eu_ji = base - s[..., :, None] * (1.0 - np.swapaxes(p, -1, -2)) * spread
    differs = xi != xj
    conf = differs & (eu_ji > eu_ij) & (eu_ij > 0)
    neg = differs & (eu_ji > 0) & (eu_ij < 0)
    comp = neg & (eu_ji > np.abs(eu_ij))
    capit = neg & (eu_ji < (np.abs(eu_ji) if mode == "scholz" else np.abs(eu_ij)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(comp, np.abs(eu_ij / np.where(eu_ji != 0, eu_ji, 1.0)), 0.0)
    target = np.where(comp, xi + (xj - xi) * ratio, xj)
    move = np.abs(target - xi)
    if mode == "scholz":
        a, b = np.abs(eu_ij), np.abs(eu_ji)
        with np.errstate(divide="ignore", invalid="ignore"):
            comp_key = (a * xi + b * xj) / (a + b)
    else:
        comp_key = move
    new = x.copy()
    offer = np.zeros(x.shape, dtype=int)
    partner = np.full(x.shape, -1)
    for kind, mask, key in ((CONFRONTATION, conf, move), (COMPROMISE, comp, comp_key),
                            (CAPITULATION, capit, move)):
        todo = (offer == NO_OFFER) & mask.any(axis=-1)
        if not todo.any():
            continue
        j = np.argmin(np.where(mask, key, np.inf), axis=-1)
        reached = np.take_along_axis(target, j[..., None], axis=-1)[..., 0]
        new = np.where(todo, reached, new)
        offer = np.where(todo, kind, offer)
        partner = np.where(todo, j, partner)
    return RoundDetail(risk=r, new_position=new, offer=offer, counterpart=partner)


def forecast_eu(
    sh: Stakeholders,
    rounds: int = 10,
    *,
    mode: Mode = "scholz",
    q: float = 1.0,
    tol: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
) -> ForecastResult:
    """Run the expected-utility model for `rounds` rounds (or until no actor moves more than
    `tol` × Δ on any dimension). The forecast is the weighted median of the final positions,
    which in one dimension is the Condorcet winner BDM reports.

    `detail` holds per-round weighted means and medians, risk exponents and offers;
    `progress(done, total)` is called after every round.
    """
    if mode not in MODES:
        raise UnknownNameError(f"unknown BDM mode {mode!r}; expected one of {', '.join(MODES)}")
    if rounds < 0:
        raise UnknownNameError(f"rounds is {rounds}; expected a non-negative number")
    path = [sh.position.copy()]
    moves: list[Move] = []
    risks: list[np.ndarray] = []
    offers: list[np.ndarray] = []
    xt = sh.position.T.copy()                      # (dimensions, actors)
    deltas = np.array([d.width for d in sh.dimensions])
    cap, sal = sh.capability, sh.salience.T
    # dimensions in batches of about 2^20 actor pairs: big enough to amortise numpy's
    # per-call cost for small tables, small enough to stay in cache for large ones
    size = max(1, PAIRS_PER_BATCH // sh.n_actors**2)
    batches = [slice(b, b + size) for b in range(0, len(deltas), size)]
    for t in range(1, rounds + 1):
        parts = [bdm_round(xt[b], cap, sal[b], deltas[b], q, mode) for b in batches]
        det = RoundDetail(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("risk", "new_position", "offer", "counterpart")))
        new = det.new_position
        risks.append(det.risk)
        offers.append(det.offer.astype(np.int8))
        for d, k in zip(*np.nonzero(det.offer), strict=True):
            moves.append(Move(t, sh.actors[k], sh.dimensions[d].id, float(xt[d, k]),
                              float(new[d, k]), OFFER_KINDS[int(det.offer[d, k])],
                              sh.actors[int(det.counterpart[d, k])]))
        step = np.abs(new - xt).max(axis=1) / deltas
        xt = new
        path.append(xt.T.copy())
        if progress is not None:
            progress(t, rounds)
        if tol > 0 and np.all(step <= tol):
            break
    arr = np.stack(path)
    n, nd = sh.n_actors, sh.n_dimensions
    medians = np.array([weighted_median(sh, p) for p in arr])
    detail = BDMDetail(
        mode=mode, q=q, delta=deltas,
        weighted_mean=np.array([weighted_mean(sh, p) for p in arr]),
        weighted_median=medians,
        risk_exponents=np.array(risks).reshape(len(risks), nd, n),
        offer_codes=np.array(offers, dtype=np.int8).reshape(len(offers), nd, n))
    return ForecastResult(model="bdm", stakeholders=sh, path=arr, forecast=medians[-1].copy(),
                          moves=tuple(moves), detail=detail)
