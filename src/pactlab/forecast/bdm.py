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
PAIRS_PER_BATCH = 2**18   # actor pairs whose full (dimension, actor, actor) arrays coexist
BLOCK_FLOATS = 2**15      # floats per temporary array of a row block (stays in L2 cache)


@dataclass(frozen=True)
class RoundDetail:
    """What happened in one round; arrays over actors, or (dimensions, actors) when the
    round ran every dimension at once."""

    risk: np.ndarray          # risk exponents used in the round
    new_position: np.ndarray  # positions after the round
    offer: np.ndarray         # offer type taken (0 none, 1 confrontation, 2 compromise, 3 cap.)
    counterpart: np.ndarray   # index of the actor whose offer was taken (-1 none)


Block = tuple[slice, slice]


class Workspace:
    """Arrays kept from round to round: a fresh array of millions of floats costs a page
    fault per 4 KiB on first use, which for large tables is a third of a round."""

    def __init__(self) -> None:
        self._arrays: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type = float) -> np.ndarray:
        """The array `name` of this shape (contents left from its last use)."""
        a = self._arrays.get((name, shape))
        if a is None:
            a = self._arrays[name, shape] = np.empty(shape, dtype=dtype)
        return a


def _blocks(nd: int, n: int) -> list[Block]:
    """(dimensions, rows) slices covering (nd, n, n) arrays in pieces of about BLOCK_FLOATS
    floats: whole dimensions when they are small (few numpy calls), row chunks of one
    dimension when they are large (temporaries in cache, no page faults)."""
    if n * n <= BLOCK_FLOATS:
        step = BLOCK_FLOATS // (n * n)
        return [(slice(k, k + step), slice(0, n)) for k in range(0, nd, step)]
    rows = max(1, BLOCK_FLOATS // n)
    return [(slice(k, k + 1), slice(r, r + rows)) for k in range(nd) for r in range(0, n, rows)]


class Voters:
    """Actors sorted by position, per dimension: the work shared by every vote of a round.

    In one dimension voter k prefers position a to b exactly when it is closer to a, so the
    voters who prefer the left one of two positions are a prefix of the sorted voters (those
    left of the midpoint) and the others the rest. Sums over voters then become differences
    of prefix sums, which keeps every vote O(n²) in time and memory instead of the O(n³)
    array of all (voter, position, position) triples. Everything here is in sorted order
    (`order[k, a]` is the actor at sorted place a of dimension k), so "left of" is the upper
    triangle and each position's prefix sums are one contiguous row. `x` has shape (n,) or
    (dimensions, n); `delta` is a number or one per dimension.
    """

    def __init__(self, x: np.ndarray, delta: float | np.ndarray,
                 work: Workspace | None = None):
        self.work = work = work if work is not None else Workspace()
        self.shape = x.shape
        xb = np.atleast_2d(x)
        nd, n = xb.shape
        self.n = n
        self.order = np.argsort(xb, axis=1, kind="stable")
        self.rank = np.argsort(self.order, axis=1)                    # sorted place of actor i
        self.xs = xs = np.take_along_axis(xb, self.order, axis=1)
        self.delta = np.broadcast_to(np.asarray(delta, dtype=float), (nd,))
        self.blocks = _blocks(nd, n)
        self.dist = work.get("dist", (nd, n, n))     # |x_a − x_b|/Δ
        # at[k, b, a]: flat index of row b, column t into the (nd, n, n + 1) prefix sums, t
        # the number of voters strictly left of the midpoint of x_a and x_b (who prefer the
        # left one of the two); rows of midpoints are sorted, so the search is fast
        self.at = work.get("at", (nd, n, n), np.intp)
        row0 = (np.arange(nd)[:, None] * n + np.arange(n)) * (n + 1)
        for dd, rr in self.blocks:
            xa, xb_ = xs[dd, rr, None], xs[dd, None, :]
            dist = self.dist[dd, rr]
            np.subtract(xa, xb_, out=dist)
            np.abs(dist, out=dist)
            dist /= self.delta[dd, None, None]
            mid = 0.5 * (xa + xb_)
            for k in range(mid.shape[0]):
                self.at[dd.start + k, rr] = np.searchsorted(xs[dd.start + k], mid[k])
            self.at[dd, rr] += row0[dd, rr, None]
        self._cum = work.get("cum", (nd, n, n + 1))
        self._cum[..., 0] = 0.0
        self._g = work.get("g", (nd, n, n))

    def sort(self, v: np.ndarray) -> np.ndarray:
        """A per-actor array (shaped like `x`, or broadcastable) in sorted order."""
        return np.take_along_axis(np.broadcast_to(v, self.order.shape), self.order, axis=1)

    def unsort(self, v: np.ndarray) -> np.ndarray:
        """The inverse of `sort`, shaped like `x`."""
        return np.take_along_axis(v, self.rank, axis=1).reshape(self.shape)

    def prefer(self, ws: np.ndarray, rs: np.ndarray | None) -> np.ndarray:
        """pos[k, a, b] = Σ_v w_v max(0, D[v, b] − D[v, a]), D[v, m] = (|x_v − x_m|/Δ)^r_v,
        all in sorted order (`ws`, `rs` sorted; `rs` None: every exponent is 1).

        With cum[b, t] = Σ_{v < t} w_v D[v, b] and G[b, a] = cum[b, t_ab]: when a sorts left
        of b the voters preferring a are those left of the midpoint, pos = G[b, a] − G[a, b];
        else they are the others, pos = (total_b − G[b, a]) − (total_a − G[a, b]). Where
        x_a = x_b the two rows of prefix sums are equal, so pos is exactly 0.
        """
        n, cum = self.n, self._cum
        pos = self.work.get("pos", self._g.shape)
        for dd, rr in self.blocks:
            dp = self.dist[dd, rr]
            if rs is not None:
                dp = dp ** rs[dd, None, :]
            np.cumsum(dp * ws[dd, None, :], axis=-1, out=cum[dd, rr, 1:])
        np.take(cum.ravel(), self.at, out=self._g, mode="clip")  # indices are in range
        g, total = self._g, cum[..., n]
        cols = np.arange(n)
        for dd, rr in self.blocks:
            diff = np.swapaxes(g[dd, :, rr], -1, -2) - g[dd, rr]
            alt = total[dd, None, :] - total[dd, rr, None] - diff
            out = pos[dd, rr]
            np.copyto(out, np.where(cols > cols[rr, None], diff, alt))
            np.maximum(out, 0.0, out=out)
        return pos


def _probability(pos: np.ndarray, dd: slice, rr: slice, total: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """P(a beats b) and P(b beats a) for the rows `rr` of a block: over Scholz's `total`
    per dimension, or (None, clean) over the pair's own Σ|votes| = pos_ab + pos_ba."""
    p, pt = pos[dd, rr], np.swapaxes(pos[dd, :, rr], -1, -2)
    if total is not None:
        t = total[dd, None, None]
        if np.all(t > 0):
            return p / t, pt / t
        return (np.divide(p, t, out=np.zeros_like(p), where=t > 0),
                np.divide(pt, t, out=np.zeros_like(pt), where=t > 0))
    den = p + pt
    return (np.divide(p, den, out=np.zeros_like(p), where=den > 0),
            np.divide(pt, den, out=np.zeros_like(pt), where=den > 0))


def _scholz_total(pos: np.ndarray, mode: Mode) -> np.ndarray | None:
    """Scholz's normaliser, Σ|votes| over all pairs of positions (Σ_ab pos_ab + pos_ba)."""
    return 2.0 * pos.sum(axis=(-2, -1)) if mode == "scholz" else None


def win_probability(x: np.ndarray, w: np.ndarray, r: np.ndarray | None,
                    delta: float | np.ndarray, mode: Mode, voters: Voters | None = None
                    ) -> np.ndarray:
    """P[..., i, j]: probability that position x_i beats x_j; 0 where the positions coincide.

    `r` None means every exponent is 1; `voters` reuses the sorting of another call on the
    same positions.
    """
    v = voters if voters is not None else Voters(x, delta)
    pos = v.prefer(v.sort(w), None if r is None else v.sort(r))
    total = _scholz_total(pos, mode)
    p = np.empty_like(pos)
    for dd, rr in v.blocks:
        p[dd, rr] = _probability(pos, dd, rr, total)[0]
    ix = v.rank[:, :, None], v.rank[:, None, :]
    return p[np.arange(len(p))[:, None, None], ix[0], ix[1]].reshape((*v.shape, v.n))


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
    """Each actor's risk exponent (sorted order) from its danger, all with exponents 1."""
    pos = v.prefer(cs * ss, None)
    total = _scholz_total(pos, mode)
    danger = np.empty_like(ss)
    for dd, rr in v.blocks:
        # danger_a = Σ_b EU_b(b challenges a); d is symmetric, so row a of the stakes is
        # column a, and on the diagonal (d = 0) both stakes vanish. With exponent 1, U_sq = 0
        # and the stakes are `_stakes(d, 1.0, q)` without the powers
        pt = _probability(pos, dd, rr, total)[1]
        half = 0.5 * v.dist[dd, rr]
        us = 2.0 - 4.0 * (0.5 - half)
        spread = us - (2.0 - 4.0 * (0.5 + half))
        danger[dd, rr] = us.sum(axis=-1) - ss[dd, rr] * ((1.0 - pt) * spread).sum(axis=-1)
    hi, lo = danger.max(axis=-1, keepdims=True), danger.min(axis=-1, keepdims=True)
    flat = hi - lo <= 1e-15 * np.maximum(1.0, np.abs(hi))
    with np.errstate(divide="ignore", invalid="ignore"):
        big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return np.where(flat, 1.0, (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))


def risk_exponents(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float | np.ndarray,
                   q: float, mode: Mode, voters: Voters | None = None) -> np.ndarray:
    """Each actor's risk exponent from its danger, all computed with exponents 1."""
    v = voters if voters is not None else Voters(x, delta)
    return v.unsort(_risk_sorted(v, v.sort(c), v.sort(s), q, mode))


def _pick(mask: np.ndarray, key: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Per row, the column (in the actors' own order) of the least `key` where `mask`:
    ties go to the first actor, as in unsorted order."""
    k = np.where(mask, key, np.inf)
    return np.argmin(np.take_along_axis(k, rank, axis=1), axis=1)


def bdm_round(x: np.ndarray, c: np.ndarray, s: np.ndarray, delta: float | np.ndarray,
              q: float = 1.0, mode: Mode = "scholz", work: Workspace | None = None
              ) -> RoundDetail:
    """One simultaneous round: `x` and `s` are (actors,) for one dimension or (dimensions,
    actors) for all at once, `delta` a number or one per dimension.

    Runs in sorted order in row blocks: for a block of actors a and every b, from a's
    perspective eu_ab = EU_a(a challenges b) and eu_ba = EU_a(b challenges a), which use
    a's exponent at the same distance and so share the stakes. `work` keeps the large
    arrays for the next round.
    """
    v = Voters(x, delta, work)
    xo = np.broadcast_to(np.atleast_2d(x), v.order.shape)
    cs, ss = v.sort(c), v.sort(s)
    rs = _risk_sorted(v, cs, ss, q, mode)
    pos = v.prefer(cs * ss, rs)
    total = _scholz_total(pos, mode)
    new, offer, partner = v.xs.copy(), np.zeros(rs.shape, dtype=int), np.full(rs.shape, -1)
    for dd, rr in v.blocks:
        p, pt = _probability(pos, dd, rr, total)
        base, spread = _stakes(v.dist[dd, rr], rs[dd, rr, None], q)
        eu_ab = base - ss[dd, None, :] * (1.0 - p) * spread
        eu_ba = base - ss[dd, rr, None] * (1.0 - pt) * spread
        # where x_a = x_b the stakes' spread is 0, the two EUs are equal and no test fires
        conf = (eu_ba > eu_ab) & (eu_ab > 0)
        neg = (eu_ba > 0) & (eu_ab < 0)
        kd, kr, n = eu_ab.shape
        # rows of the block flattened: (dimension, sorted place) of each
        dim = np.repeat(np.arange(dd.start, dd.start + kd), kr)
        place = np.tile(np.arange(rr.start, rr.start + kr), kd)
        todo = np.ones(kd * kr, dtype=bool)
        masks = [(CONFRONTATION, conf)]
        masks.append((COMPROMISE, neg & (eu_ba > np.abs(eu_ab))))
        if mode == "clean":  # Scholz's capitulation test compares eu_ba with |eu_ba|: never
            masks.append((CAPITULATION, neg & (eu_ba < np.abs(eu_ab))))
        for kind, mask in masks:
            m = mask.reshape(kd * kr, n)
            rows = np.flatnonzero(todo & m.any(axis=1))
            if rows.size == 0:
                continue
            todo[rows] = False
            m, k, a = m[rows], dim[rows], place[rows]
            xi, xj = v.xs[k, a][:, None], v.xs[k]
            if kind == COMPROMISE:
                eab = eu_ab.reshape(kd * kr, n)[rows]
                eba = eu_ba.reshape(kd * kr, n)[rows]
                ratio = np.abs(eab / np.where(m, eba, 1.0))
                target = xi + (xj - xi) * ratio
                if mode == "scholz":
                    ea, eb = np.abs(eab), np.abs(eba)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        key = (ea * xi + eb * xj) / (ea + eb)
                else:
                    key = np.abs(target - xi)
                j = _pick(m, key, v.rank[k])
                reached = target[np.arange(rows.size), v.rank[k, j]]
            else:  # the target is x_b itself
                j = _pick(m, np.abs(xj - xi), v.rank[k])
                reached = xo[k, j]
            new[k, a], offer[k, a], partner[k, a] = reached, kind, j
    return RoundDetail(risk=v.unsort(rs), new_position=v.unsort(new),
                       offer=v.unsort(offer), counterpart=v.unsort(partner))


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
    work = Workspace()   # shared by the batches: one set of arrays per batch shape
    dims = [d.id for d in sh.dimensions]
    for t in range(1, rounds + 1):
        parts = [bdm_round(xt[b], cap, sal[b], deltas[b], q, mode, work) for b in batches]
        det = RoundDetail(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("risk", "new_position", "offer", "counterpart")))
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
