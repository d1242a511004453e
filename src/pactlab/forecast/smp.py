"""KTAB's Spatial Model of Politics (SMP) with KTAB's default parameters, vectorised.

Reimplemented from the description and behaviour of KAPSARC's KTAB (MIT licence,
github.com/KAPSARC/KTAB, `examples/smp`), and checked against KTAB's own reference run of
`dummyData_3Dim.csv`. Positions are scaled to [0, 1] on each dimension's range. One step:

1. Utilities. d_ij = sqrt(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²) is i's salience-weighted
   distance to j's position; utility u(d, R) = (1 − d)(1 + d·R) with risk attitude R.
2. Risk attitudes (BigRRange Mid). With risk-neutral utilities, coalitions
   c(i, j) = 10⁻⁸ + Σ_k max(0, w_k (u_ki − u_kj)) with w = capability (proportional voting),
   P(i beats j) = c_ij/(c_ij + c_ji) (linear victory model), probability of each position
   p_i ∝ Π_j P(i beats j) (conditional PCE); R_i = (3p_i − p_max − 2p_min)/(2(p_max − p_min)).
   Actor h believes i's attitude is (2R_h + R_i)/3 (BigRAdjust OneThird).
3. Challenges. Actor i, from its own perspective, rates challenging each j: i and j
   contribute s·c·(u_·i − u_·j) to the two sides, each third party n joins the little
   contest (i:j) with semi-commitment (ThirdPartyCommit SemiCommit), giving P(i > j); the
   expected gain is (1 − S_j)·2u_ii + S_j·(P·2u_ii + (1 − P)·2u_ij) − (u_ii + u_ij), with S_j
   the sum of j's saliences. The best target is the one with the largest gain above 10⁻⁵.
4. Bargains (InterVecBrgn S2P2, BargnModel InitOnlyInterp). Per dimension, i proposes
   b = ((w_i + 10⁻⁶) t_i + w_j t_j)/(w_i + 10⁻⁶ + w_j) for itself and
   (w_i t_i + (w_j + 10⁻⁶) t_j)/(…) for j, with w = salience² · P², rounded to 4 decimals.
5. Resolution (StateTransitions Deterministic). Each actor's candidate bargains (status quo
   plus every bargain it initiated or received) are valued by every actor as the mean utility
   of the resulting positions; a conditional PCE over them with capability weights picks the
   most probable, and the actor adopts its side of it. All actors move at once.
6. Stop when Σ_i |Δx_i| falls below 2% of the first step (+10⁻⁴), after at least two steps,
   or after 100 steps.

KTAB requires each actor's saliences to total at most 1 (100%); pactlab tables give one
salience in [0, 1] per dimension, so an actor whose total exceeds 1 has its saliences scaled
down to total 1 (proportions kept) before the run; `detail.salience_scale` records it.

KTAB's win-probability history is the PCE over the distinct positions (within 10⁻³) with each
actor valuing positions by its own utility.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from pactlab.errors import StakeholderError, UnknownNameError
from pactlab.forecast.baselines import weighted_mean
from pactlab.forecast.result import Cycle, ForecastResult, Move, SMPDetail
from pactlab.forecast.stakeholders import Stakeholders

MIN_COALITION = 1e-8      # Model::coalitions
MIN_CONTRIB = 1e-10       # probEduChlg
MIN_SIG_GAIN = 1e-5       # bestChallenge
MIN_BARGAIN_WEIGHT = 1e-6  # interpBrgnSnPm
POS_TOL = 1e-3            # equivalence of positions on [0, 1]
CHUNK_FLOATS = 2**16      # floats per temporary array in the O(n³) sums
MIN_ITER, MIN_DELTA_RATIO, MIN_SIG_DELTA = 2, 0.02, 1e-4
# KTAB's defaults, the only parameter set implemented (names as in KTAB's XML schema)
KTAB_DEFAULTS = {
    "VictoryProbModel": "Linear", "PCEModel": "Conditional", "StateTransitions": "Deterministic",
    "VotingRule": "Proportional", "BigRAdjust": "OneThird", "BigRRange": "Mid",
    "ThirdPartyCommit": "SemiCommit", "InterVecBrgn": "S2P2", "BargnModel": "InitOnlyInterp",
}


@dataclass(frozen=True)
class SMPStep:
    """What one state looked like and what its actors did (normalised units)."""

    risk: np.ndarray          # inferred risk attitudes R_i
    win_prob: np.ndarray      # probability of each actor's position (KTAB's history)
    target: np.ndarray        # best challenge target of each actor (-1 none)
    target_prob: np.ndarray   # i's estimate that i beats its target
    target_gain: np.ndarray   # i's expected gain from the challenge
    chosen: np.ndarray        # [actor, 2]: (initiator, receiver) of the adopted bargain


def bs_util(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB's scalar utility of a normalised distance d with risk attitude r."""
    return np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))


def _util_terms(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`bs_util` is affine in the risk attitude: bs_util(d, r) = base + r · slope."""
    base = 1.0 - d
    return base, base * np.minimum(d, 1.0)


def _sum_of_squares(terms: Iterator[np.ndarray]) -> np.ndarray:
    """Σ_k t_k² over the dimensions, one (n, m) plane at a time: (n, m, dims) arrays with a
    short last axis cost numpy a loop call per element; in dimension order, as numpy sums a
    last axis shorter than 8."""
    acc = next(terms)
    acc *= acc
    for t in terms:
        t *= t
        acc += t
    return acc


def weighted_distance(a: np.ndarray, b: np.ndarray, sal: np.ndarray) -> np.ndarray:
    """d[i, j] = salience-weighted Euclidean distance from a[i] to b[j] with i's saliences."""
    ss = np.maximum((sal * sal).sum(axis=1), 1e-300)
    sq = _sum_of_squares((a[:, k, None] - b[None, :, k]) * sal[:, k, None]
                         for k in range(a.shape[1]))
    sq /= ss[:, None]
    return np.sqrt(sq, out=sq)


def _chunk(per_item: int) -> int:
    """How many items of `per_item` floats to process at once: about CHUNK_FLOATS floats,
    which keeps the temporary arrays in cache and the memory O(n²) whatever n is."""
    return max(1, CHUNK_FLOATS // max(1, per_item))


def coalition_pce(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Conditional probabilistic Condorcet election over options (columns of u[..., actor,
    opt]) with proportional voting weights w and the linear victory model.

    c[i, j] = 10⁻⁸ + Σ_k w_k max(0, u_ki − u_kj) is summed over voters in chunks (never the
    whole voter × option × option array); p_i ∝ Π_j c_ij/(c_ij + c_ji) is formed from logs,
    so that hundreds of factors below 1 cannot underflow to 0/0.
    """
    *batch, nv, m = u.shape
    c = np.zeros((*batch, m, m))
    step = _chunk(math.prod(batch) * m * m)
    for k0 in range(0, nv, step):
        uk = u[..., k0:k0 + step, :]
        dv = np.maximum(uk[..., :, :, None] - uk[..., :, None, :], 0.0)
        c += np.einsum("k,...kij->...ij", w[k0:k0 + step], dv)
    c += MIN_COALITION
    diag = np.arange(m)
    c[..., diag, diag] = MIN_COALITION
    pv = c / (c + np.swapaxes(c, -1, -2))
    pv[..., diag, diag] = 0.5
    logp = np.log(pv).sum(axis=-1)
    p = np.exp(logp - logp.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


def risk_attitudes(p: np.ndarray) -> np.ndarray:
    """BigRRange Mid: the most likely position gets R = 1, the least likely −1/2."""
    lo, hi = p.min(), p.max()
    if hi - lo <= 0:
        return np.zeros_like(p)
    return (3.0 * p - (hi + 2.0 * lo)) / (2.0 * (hi - lo))


def unique_positions(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Classes of positions within POS_TOL of each other (chained: the connected components
    of the "close" graph), whatever the actors' order. Returns each class's representative
    (its lexicographically smallest member, an actual position) and each actor's class;
    classes are numbered in the representatives' lexicographic order."""
    n = len(x)
    close = np.sqrt(_sum_of_squares(x[:, k, None] - x[None, :, k] for k in range(x.shape[1]))
                    ) < POS_TOL
    rank = np.empty(n, dtype=np.int64)
    lex = np.lexsort(x.T[::-1])
    rank[lex] = np.arange(n)
    label = rank.copy()
    while True:  # smallest rank in each component: propagate and jump
        new = np.where(close, label[None, :], n).min(axis=1)
        new = new[lex[new]]
        if np.array_equal(new, label):
            break
        label = new
    reps_rank, cls = np.unique(label, return_inverse=True)
    return lex[reps_rank], cls


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0).astype(np.int64) / 10000.0


class _State:
    """One SMP state: positions plus everything derived from them (KTAB's setAllAUtil).

    Actor h's estimate of actor a's utility for b's position is A[h, a, b] =
    bs_util(d_ab, (2R_h + R_a)/3), affine in the attitude, so it is kept as two (n, n)
    arrays, A[h] = `b_est` + (2R_h/3)·`slope`, never as the (n, n, n) whole.
    """

    def __init__(self, x: np.ndarray, sal: np.ndarray, cap: np.ndarray):
        self.x, self.sal, self.cap = x, sal, cap
        n = len(cap)
        self.n = n
        self.d = weighted_distance(x, x, sal)                # ideals = positions
        base, self.slope = _util_terms(self.d)
        self.risk = risk_attitudes(coalition_pce(cap, base))  # risk-neutral utilities
        self.b_est = base + (self.risk / 3.0)[:, None] * self.slope   # A[h, a, b] − (2R_h/3)·slope
        self.own = bs_util(self.d, self.risk[:, None])                # A[a, a, b]

    def outcome_distribution(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """KTAB's `pDist(-1)`: the PCE over distinct positions, each actor valuing positions by
        its own utility. Returns representatives, their probabilities, each actor's class."""
        reps, cls = unique_positions(self.x)
        return reps, coalition_pce(self.cap, self.own[:, reps]), cls

    def win_prob(self) -> np.ndarray:
        """Probability of each actor's position (KTAB's win-probability history)."""
        _, p, cls = self.outcome_distribution()
        return p[cls]

    def challenges(self) -> tuple[np.ndarray, np.ndarray]:
        """prob[i, j], gain[i, j]: i's own estimate for i challenging j.

        Actor i's view of the contest (i:j) with third party m: m's utilities u_mi, u_mj for
        the two positions (u_mm = u_ii = u_jj = 1, at distance 0). Third parties are
        streamed in chunks of challengers i, so memory stays O(n²).
        """
        n = self.n
        ssum = self.sal.sum(axis=1)
        w = ssum * self.cap
        rho = 2.0 * self.risk / 3.0
        # U[i, m] = A[i, m, i]: m's utility for i's position, as i estimates it
        bt, st = self.b_est.T, self.slope.T
        big_u = bt + rho[:, None] * st
        uij = self.own                                  # A[i, i, j]
        ci = w[:, None] * (1.0 - uij)
        cj = w[None, :] * (big_u - 1.0)
        chij0 = MIN_CONTRIB + np.maximum(ci, 0) + np.maximum(cj, 0)
        chji0 = MIN_CONTRIB + np.maximum(-ci, 0) + np.maximum(-cj, 0)
        both0 = chij0 + chji0
        pro = np.zeros((n, n))
        con = np.zeros((n, n))
        a_all = 1.0 - big_u                             # u_mm − u_mi: [i, m]
        step = _chunk(n * n)
        for i0 in range(0, n, step):
            rows = slice(i0, min(n, i0 + step))
            # unj[i, j, m] = u_mj as i estimates it (computed as U is, so that coincident
            # positions give exactly equal utilities)
            unj = rho[rows, None, None] * st[None, :, :]
            unj += bt[None, :, :]
            h = unj - big_u[rows, None, :]
            h *= w                                       # −w_m (u_mi − u_mj)
            cni = np.minimum(h, 0.0)
            np.subtract(chij0[rows, :, None], cni, out=cni)   # i's side with m's help
            np.abs(h, out=h)
            h += both0[rows, :, None]                    # both sides
            cni /= h                                     # P(m sides with i)
            unj -= 1.0                                   # u_mj − u_mm
            a = a_all[rows, None, :] - unj
            a *= cni
            a += unj                                     # m's net vote, before its weight
            np.einsum("iji->ij", a[:, :, rows])[...] = 0.0   # only third parties m ∉ {i, j}
            np.einsum("ijj->ij", a)[...] = 0.0
            pro[rows] = np.maximum(a, 0.0) @ w
            con[rows] = -(np.minimum(a, 0.0) @ w)
        chij = chij0 + pro
        chji = chji0 + con
        p = chij / (chij + chji)
        contest = p * 2.0 + (1.0 - p) * (uij + uij)
        gain = (1.0 - ssum[None, :]) * 2.0 + ssum[None, :] * contest - (1.0 + uij)
        np.fill_diagonal(gain, -np.inf)
        return p, gain

    def step(self) -> tuple[np.ndarray, SMPStep]:
        n = self.n
        prob, gain = self.challenges()
        sig = np.where(gain > MIN_SIG_GAIN, gain, -np.inf)
        best = np.argmax(sig, axis=1)
        has = np.isfinite(sig[np.arange(n), best])
        target = np.where(has, best, -1)
        tprob = np.where(has, prob[np.arange(n), best], 0.0)
        tgain = np.where(has, gain[np.arange(n), best], 0.0)
        init = np.flatnonzero(has)
        rcvr = best[init]
        bi, bj = self._interpolate(init, rcvr, prob[init, rcvr])
        new = self.x.copy()
        chosen = np.repeat(np.arange(n)[:, None], 2, axis=1)
        base = self.own.sum(axis=1)                             # Σ_n u_a(x_n)
        if init.size:
            # every actor's utility for every bargain: ub[a, b]
            ui = bs_util(weighted_distance(self.x, bi, self.sal), self.risk[:, None])
            ur = bs_util(weighted_distance(self.x, bj, self.sal), self.risk[:, None])
            ub = (base[:, None] - self.own[:, init] - self.own[:, rcvr] + ui + ur) / n
            self._resolve(init, rcvr, bi, bj, ub, base / n, new, chosen)
        info = SMPStep(self.risk, self.win_prob(), target, tprob, tgain, chosen)
        return new, info

    def _resolve(self, init: np.ndarray, rcvr: np.ndarray, bi: np.ndarray, bj: np.ndarray,
                 ub: np.ndarray, sq: np.ndarray, new: np.ndarray,
                 chosen: np.ndarray) -> None:
        """Each actor's candidates are the status quo and, in bargain order, every bargain it
        initiated or received; a PCE with capability weights picks one. Actors with the
        same number of candidates are decided together."""
        nb = init.size
        who = np.concatenate([init, rcvr])
        which = np.concatenate([np.arange(nb), np.arange(nb)])
        order = np.lexsort((which, who))
        who, which = who[order], which[order]
        actors, start, counts = np.unique(who, return_index=True, return_counts=True)
        for m in np.unique(counts):
            group = np.flatnonzero(counts == m)
            cols = which[start[group][:, None] + np.arange(m)]           # [g, m] bargains
            u = np.empty((group.size, self.n, 1 + m))                    # [g, voter, 1 + m]
            u[:, :, 0] = sq
            u[:, :, 1:] = np.moveaxis(ub[:, cols], 0, 1)
            pick = np.argmax(coalition_pce(self.cap, u), axis=1)
            took = pick > 0                                             # 0: status quo
            k = actors[group][took]
            bargain = cols[took, pick[took] - 1]
            i, j = init[bargain], rcvr[bargain]
            new[k] = np.where((k == i)[:, None], bi[bargain], bj[bargain])
            chosen[k, 0], chosen[k, 1] = i, j

    def _interpolate(self, i: np.ndarray, j: np.ndarray, p: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        """S2P2 bargains between each i and its j from i's perspective (InitOnlyInterp)."""
        ti, tj = self.x[i], self.x[j]
        wi = self.sal[i] ** 2 * (p**2)[:, None]
        wj = self.sal[j] ** 2 * ((1.0 - p) ** 2)[:, None]
        den = wi + MIN_BARGAIN_WEIGHT + wj
        bi = _round4(((wi + MIN_BARGAIN_WEIGHT) * ti + wj * tj) / den)
        bj = _round4((wi * ti + (MIN_BARGAIN_WEIGHT + wj) * tj) / den)
        return bi, bj


def state_distance(a: np.ndarray, b: np.ndarray) -> float:
    """KTAB's stateDist: Σ_i ‖a_i − b_i‖ on the normalised scale."""
    return float(np.linalg.norm(a - b, axis=1).sum())


def forecast_smp(
    sh: Stakeholders,
    max_iter: int = 100,
    *,
    min_iter: int = MIN_ITER,
    min_delta_ratio: float = MIN_DELTA_RATIO,
    stop_on_cycle: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ForecastResult:
    """Run the SMP from the stakeholders' positions until KTAB's stopping rule fires.

    The forecast is the expected outcome of the final state's probabilistic Condorcet
    election: the distinct final positions weighted by their win probabilities (KTAB reports
    positions and these probabilities; `detail.most_likely` is the single most probable
    position). `detail` carries per-state risk attitudes, win probabilities, best challenges
    and the iteration count.

    A run that returns to an earlier state would cycle until `max_iter`; with `stop_on_cycle`
    it stops at the first repeat and `detail.cycle` says where the cycle starts and how
    many steps it takes (None when the run did not cycle). `progress(done, total)` is called
    after every step.
    """
    if max_iter < 0:
        raise UnknownNameError(f"max_iter is {max_iter}; expected a non-negative number")
    asked = sh.bases.get("ktab_parameters") or {}
    other = {k: v for k, v in asked.items() if k in KTAB_DEFAULTS and v != KTAB_DEFAULTS[k]}
    if other:
        k, v = next(iter(other.items()))
        raise StakeholderError(
            f"asks for {k} = {v}; pactlab's SMP implements KTAB's default parameters only "
            f"({k} = {KTAB_DEFAULTS[k]}); remove <ModelParameters> or set the defaults",
            where=sh.origin, column=f"ModelParameters/{k}")
    low = np.array([d.low for d in sh.dimensions])
    width = np.array([d.width for d in sh.dimensions])
    sal, cap = sh.salience, sh.capability
    if np.any(cap <= 0):
        raise StakeholderError("capability is 0; the smp model needs a positive capability "
                               "for every actor (KTAB's voting weights)", where=sh.origin,
                               row=sh.actors[int(np.argmin(cap))], column="capability")
    if np.any(sal.sum(axis=1) <= 0):
        raise StakeholderError("every salience is 0; the smp model needs some salience for "
                               "every actor", where=sh.origin,
                               row=sh.actors[int(np.argmin(sal.sum(axis=1)))], column="salience")
    # KTAB lets an actor spend at most 100% of its attention over all dimensions (its total
    # salience is the probability that a target resists); pactlab's saliences are per
    # dimension in [0, 1], so totals above 1 are scaled down to 1, keeping their proportions.
    totals = sal.sum(axis=1)
    scale = 1.0 / np.maximum(1.0, totals)
    sal = sal * scale[:, None]
    x = (sh.position - low) / width
    history = [x]
    steps: list[SMPStep] = []
    state = _State(x, sal, cap)
    converged = False
    cycle: Cycle | None = None
    seen = {x.tobytes(): 0}
    it = 0
    ratio = float("nan")
    while it < max_iter:
        it += 1
        new, info = state.step()
        steps.append(info)
        history.append(new)
        state = _State(new, sal, cap)
        d01 = state_distance(history[0], history[1]) + MIN_SIG_DELTA
        ratio = state_distance(history[-1], history[-2]) / d01
        if progress is not None:
            progress(it, max_iter)
        if it >= min_iter and ratio < min_delta_ratio:
            converged = True
            break
        # the step is deterministic: a state seen before (other than the last one, which
        # is a fixed point and ends the run by the rule above) repeats forever
        start = seen.setdefault(new.tobytes(), it)
        if stop_on_cycle and it - start >= 2:
            cycle = Cycle(start, it - start)
            break
    last = state.win_prob()
    reps, p_final, cls = state.outcome_distribution()
    # class means rather than representatives, so that relabelling actors cannot matter
    centres = np.stack([state.x[cls == m].mean(axis=0) for m in range(len(reps))])
    expected = (p_final @ centres) * width + low
    most_likely = centres[int(np.argmax(p_final))] * width + low
    path = np.stack(history) * width + low
    moves: list[Move] = []
    dims, own = [d.id for d in sh.dimensions], np.arange(sh.n_actors)
    for t, info in enumerate(steps, start=1):
        i, j = info.chosen.T
        bargained = (i != own) | (j != own)
        k, d = np.nonzero(bargained[:, None]
                          & (np.abs(path[t] - path[t - 1]) > 1e-12 * width))
        partner = np.where(k == i[k], j[k], i[k])
        moves.extend(Move(t, sh.actors[a], dims[b], before, after, "bargain", sh.actors[c])
                     for a, b, before, after, c in zip(
                         k.tolist(), d.tolist(), path[t - 1, k, d].tolist(),
                         path[t, k, d].tolist(), partner.tolist(), strict=True))
    detail = SMPDetail(
        iterations=len(steps), converged=converged, cycle=cycle, final_change_ratio=ratio,
        salience_scale=scale,
        risk_attitudes=np.array([s.risk for s in steps]).reshape(len(steps), sh.n_actors),
        win_probability=np.array([s.win_prob for s in steps] + [last]),
        best_challenge=tuple(
            tuple({"target": sh.actors[t], "prob": p, "gain": g} if t >= 0 else None
                  for t, p, g in zip(s.target.tolist(), s.target_prob.tolist(),
                                     s.target_gain.tolist(), strict=True))
            for s in steps),
        weighted_mean=np.array([weighted_mean(sh, p) for p in path]),
        most_likely=most_likely)
    return ForecastResult(model="smp", stakeholders=sh, path=path, forecast=expected,
                          moves=tuple(moves), detail=detail)
