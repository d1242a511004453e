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
number of rounds. Everything is vectorised over actor pairs, one dimension at a time, and
no step builds the (voter, position, position) triples: see `Voters`. With u distinct
positions (u falls fast: confrontations move actors onto each other), time per round and
dimension is O(u·n + u² log n + n²) and memory O(n²), the actor-pair arrays streamed in
row blocks.
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
BLOCK_FLOATS = 2**14      # floats per temporary of a row block: in cache, and below the
                          # size from which malloc maps (and page-faults) fresh memory


@dataclass(frozen=True)
class RoundDetail:
    """What happened in one round; arrays over actors, or (dimensions, actors) when the
    round ran every dimension at once."""

    risk: np.ndarray          # risk exponents used in the round
    new_position: np.ndarray  # positions after the round
    offer: np.ndarray         # offer type taken (0 none, 1 confrontation, 2 compromise, 3 cap.)
    counterpart: np.ndarray   # index of the actor whose offer was taken (-1 none)


def _rows(m: int, width: int) -> list[slice]:
    """Row chunks of an (m, width) array of about BLOCK_FLOATS floats each: temporaries of
    that size stay in cache and are recycled by the allocator instead of page-faulting."""
    step = max(1, BLOCK_FLOATS // max(1, width))
    return [slice(r, r + step) for r in range(0, m, step)]


class Voters:
    """One dimension's actors sorted by position, and the work shared by every vote.

    In one dimension voter v prefers position a to b exactly when it is closer to a, so the
    voters who prefer the left one of two positions are a prefix of the sorted voters (those
    left of the midpoint) and the others the rest. Sums over voters then become differences
    of prefix sums: O(n²) instead of the O(n³) (voter, position, position) triples.

    Every vote depends on the two positions only, and actors soon share positions
    (confrontations and capitulations move an actor onto another's), so the pair tables
    are kept over the u distinct positions (`xu`, in sorted order; `g[a]` is the distinct
    position of sorted actor a, `cnt` how many actors hold each): prefix sums O(u·n),
    probabilities O(u²). `order[a]` is the actor at sorted place a, `rank` its inverse.
    """

    def __init__(self, x: np.ndarray, delta: float):
        n = self.n = x.size
        self.delta = delta
        self.order = np.argsort(x, kind="stable")
        self.rank = np.argsort(self.order)
        self.xs = xs = x[self.order]
        start = np.ones(n, dtype=bool)
        np.not_equal(xs[1:], xs[:-1], out=start[1:])
        self.first = np.flatnonzero(start)
        self.g = np.cumsum(start) - 1
        self.xu = xu = xs[self.first]
        u = self.u = xu.size
        self.cnt = np.diff(np.append(self.first, n)).astype(float)
        self.dist = np.abs(xu[:, None] - xu[None, :]) / delta           # |x_α − x_β|/Δ
        # at[β, α]: flat index of row β, column t into the (u, n + 1) prefix sums, t the
        # number of voters strictly left of the midpoint of x_α and x_β (who prefer the left
        # one of the two); rows of midpoints are sorted, so the search is fast
        self.at = np.searchsorted(xs, 0.5 * (xu[:, None] + xu[None, :]))
        self.at += (np.arange(u) * (n + 1))[:, None]

    def prefer(self, ws: np.ndarray, rs: np.ndarray | None) -> np.ndarray:
        """pos[α, β] = Σ_v w_v max(0, D[v, β] − D[v, α]), D[v, m] = (|x_v − x_m|/Δ)^r_v,
        (`ws`, `rs` over sorted voters; `rs` None: every exponent is 1).

        With cum[β, t] = Σ_{v < t} w_v D[v, β] and G[β, α] = cum[β, t_αβ]: when α is left of
        β the voters preferring α are those left of the midpoint, pos = G[β, α] − G[α, β];
        else they are the others, pos = (total_β − G[β, α]) − (total_α − G[α, β]).
        """
        n, u, xs, xu = self.n, self.u, self.xs, self.xu
        cum = np.zeros((u, n + 1))
        for rr in _rows(u, n):
            dp = np.abs(xu[rr, None] - xs[None, :])
            dp /= self.delta
            if rs is not None:
                dp **= rs
            dp *= ws
            np.cumsum(dp, axis=1, out=cum[rr, 1:])
        g = np.take(cum.ravel(), self.at, mode="clip")        # indices are in range
        total = cum[:, n]
        pos = np.empty((u, u))
        cols = np.arange(u)
        for rr in _rows(u, u):
            diff = g[:, rr].T - g[rr]
            alt = total[None, :] - total[rr, None] - diff
            out = pos[rr]
            np.copyto(out, np.where(cols > cols[rr, None], diff, alt))
            np.maximum(out, 0.0, out=out)
        return pos

    def probability(self, pos: np.ndarray, mode: Mode) -> np.ndarray:
        """P[α, β] that x_α beats x_β: over Scholz's Σ|votes| of all actor pairs, or over
        the pair's own Σ|votes| = pos_αβ + pos_βα (clean)."""
        den = pos + pos.T
        if mode == "scholz":
            total = np.einsum("i,ij,j->", self.cnt, den, self.cnt)
            return pos / total if total > 0 else np.zeros_like(pos)
        return np.divide(pos, den, out=np.zeros_like(pos), where=den > 0)


def _stakes(d: np.ndarray, r: np.ndarray | float, q: float) -> tuple[np.ndarray, np.ndarray]:
    """(U_s − Q·U_sq, U_s − U_f) at distances d (/Δ) for exponents r.

    EU = s_t (P U_s + (1 − P) U_f) + (1 − s_t) U_s − Q U_sq rearranges to
    (U_s − Q U_sq) − s_t (1 − P)(U_s − U_f): two arrays per perspective serve every EU.
    """
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    return us - q * usq, us - uf


def _risk_sorted(v: Voters, cs: np.ndarray, ss: np.ndarray, q: float, mode: Mode
                 ) -> np.ndarray:
    """Each actor's risk exponent (sorted order) from its danger, all with exponents 1.

    danger_a = Σ_b EU_b(b challenges a) = Σ_b U_s(d_ab) − s_a Σ_b (1 − P_ba)(U_s − U_f)(d_ab)
    (with exponent 1, U_sq = 0 and the stakes need no powers; on the diagonal both vanish):
    sums over the distinct positions, weighted by how many actors hold each.
    """
    p = v.probability(v.prefer(cs * ss, None), mode)
    half = 0.5 * v.dist
    us = 2.0 - 4.0 * (0.5 - half)
    spread = us - (2.0 - 4.0 * (0.5 + half))
    spread *= 1.0 - p.T
    # einsum, not BLAS: on a shared machine OpenBLAS threads spin around a matrix-vector
    # product of this size and cost more CPU than the product
    danger = (np.einsum("ab,b->a", us, v.cnt)[v.g]
              - ss * np.einsum("ab,b->a", spread, v.cnt)[v.g])
    hi, lo = danger.max(), danger.min()
    if hi - lo <= 1e-15 * max(1.0, abs(hi)):
        return np.ones_like(danger)
    big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def _per_dimension(x: np.ndarray, delta: float | np.ndarray) -> list[tuple[int, Voters]]:
    """(k, sorted voters) for each dimension k of `x` ((actors,) or (dimensions, actors)):
    the model is one-dimensional, and its dimensions run one after the other."""
    xb = np.atleast_2d(x)
    deltas = np.broadcast_to(np.asarray(delta, dtype=float), (len(xb),))
    return [(k, Voters(xb[k], float(deltas[k]))) for k in range(len(xb))]


def win_probability(x: np.ndarray, w: np.ndarray, r: np.ndarray | None,
                    delta: float | np.ndarray, mode: Mode) -> np.ndarray:
    """P[..., i, j]: probability that position x_i beats x_j; 0 where the positions coincide
    (`r` None: every exponent is 1)."""
    wb = np.broadcast_to(w, np.shape(np.atleast_2d(x)))
    rb = None if r is None else np.broadcast_to(r, wb.shape)
    out = []
    for k, v in _per_dimension(x, delta):
        pu = v.probability(v.prefer(wb[k][v.order], None if rb is None else rb[k][v.order]),
                           mode)
        gi = v.g[v.rank]                                  # distinct position of actor i
        out.append(pu[gi[:, None], gi[None, :]])
    return np.array(out).reshape((*np.shape(x), np.shape(x)[-1]))


def risk_exponents(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float | np.ndarray,
                   q: float, mode: Mode) -> np.ndarray:
    """Each actor's risk exponent from its danger, all computed with exponents 1."""
    sb = np.broadcast_to(s, np.shape(np.atleast_2d(x)))
    return np.array([_risk_sorted(v, c[v.order], sb[k][v.order], q, mode)[v.rank]
                     for k, v in _per_dimension(x, delta)]).reshape(np.shape(x))


def _pick(mask: np.ndarray, key: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Per row, the column (in the actors' own order) of the least `key` where `mask`:
    ties go to the first actor, as in unsorted order."""
    k = np.where(mask, key, np.inf)
    return np.argmin(k[:, rank], axis=1)


def _round_1d(v: Voters, x: np.ndarray, c: np.ndarray, s: np.ndarray, q: float, mode: Mode
              ) -> tuple[np.ndarray, ...]:
    """One dimension's round, in sorted order: (risk, new position, offer, counterpart).

    From a's perspective eu_ab = EU_a(a challenges b) = base − s_b (1 − P_ab)·spread and
    eu_ba = EU_a(b challenges a) = base − s_a (1 − P_ba)·spread, with a's exponent at
    distance d_ab: the stakes and eu_ba depend on b only through its position (an
    (actors, distinct positions) table); eu_ab also through s_b, so it is (actors, actors).
    """
    cs, ss = c[v.order], s[v.order]
    rs = _risk_sorted(v, cs, ss, q, mode)
    p = v.probability(v.prefer(cs * ss, rs), mode)
    n, g, xs = v.n, v.g, v.xs
    base, spread = _stakes(v.dist[g], rs[:, None], q)                 # [a, β]
    eu_ba = base - ss[:, None] * (1.0 - p.T[g]) * spread              # [a, β]
    risk_of_b = ss[None, :] * (1.0 - p[:, g])                         # [α, b]
    new, offer, partner = xs.copy(), np.zeros(n, dtype=int), np.full(n, -1)
    for rr in _rows(n, n):
        # where x_a = x_b the spread is 0, the two EUs are equal and no test fires
        sp = spread[rr][:, g]
        eab = base[rr][:, g] - risk_of_b[g[rr]] * sp
        eba = eu_ba[rr][:, g]
        neg = (eba > 0) & (eab < 0)
        masks = [(CONFRONTATION, (eba > eab) & (eab > 0)),
                 (COMPROMISE, neg & (eba > np.abs(eab)))]
        if mode == "clean":  # Scholz's capitulation test compares eu_ba with |eu_ba|: never
            masks.append((CAPITULATION, neg & (eba < np.abs(eab))))
        todo = np.ones(eab.shape[0], dtype=bool)
        for kind, m in masks:
            rows = np.flatnonzero(todo & m.any(axis=1))
            if rows.size == 0:
                continue
            todo[rows] = False
            m, a = m[rows], rows + rr.start
            xi = xs[a, None]
            if kind == COMPROMISE:
                e1, e2 = eab[rows], eba[rows]
                ratio = np.abs(e1 / np.where(m, e2, 1.0))
                target = xi + (xs - xi) * ratio
                if mode == "scholz":
                    a1, a2 = np.abs(e1), np.abs(e2)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        key = (a1 * xi + a2 * xs) / (a1 + a2)
                else:
                    key = np.abs(target - xi)
                j = _pick(m, key, v.rank)
                reached = target[np.arange(rows.size), v.rank[j]]
            else:  # the target is x_b itself
                j = _pick(m, np.abs(xs - xi), v.rank)
                reached = x[j]
            new[a], offer[a], partner[a] = reached, kind, j
    return rs, new, offer, partner


def bdm_round(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float | np.ndarray,
              q: float = 1.0, mode: Mode = "scholz") -> RoundDetail:
    """One simultaneous round: `x` and `s` are (actors,) for one dimension or (dimensions,
    actors) for all at once, `delta` a number or one per dimension."""
    xb = np.atleast_2d(x)
    sb = np.broadcast_to(s, xb.shape)
    fields: list[list[np.ndarray]] = [[], [], [], []]
    for k, v in _per_dimension(x, delta):
        for f, a in zip(fields, _round_1d(v, xb[k], c, sb[k], q, mode), strict=True):
            f.append(a[v.rank])
    return RoundDetail(*(np.array(f).reshape(np.shape(x)) for f in fields))


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
    dims = [d.id for d in sh.dimensions]
    for t in range(1, rounds + 1):
        det = bdm_round(xt, cap, sal, deltas, q, mode)
        new = det.new_position
        risks.append(det.risk)
        offers.append(det.offer.astype(np.int8))
        at = np.nonzero(det.offer)
        moves.extend(Move(t, sh.actors[k], dims[d], before, after, OFFER_KINDS[kind],
                          sh.actors[j])
                     for d, k, before, after, kind, j in zip(
                         *(a.tolist() for a in (*at, xt[at], new[at], det.offer[at],
                                                det.counterpart[at])), strict=True))
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
