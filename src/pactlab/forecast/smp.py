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
down to total 1 (proportions kept) before the run; `detail["salience_scale"]` records it.

KTAB's win-probability history is the PCE over the distinct positions (within 10⁻³) with each
actor valuing positions by its own utility.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pactlab.errors import StakeholderError, UnknownNameError
from pactlab.forecast.baselines import weighted_mean
from pactlab.forecast.result import ForecastResult, Move
from pactlab.forecast.stakeholders import Stakeholders

MIN_COALITION = 1e-8      # Model::coalitions
MIN_CONTRIB = 1e-10       # probEduChlg
MIN_SIG_GAIN = 1e-5       # bestChallenge
MIN_BARGAIN_WEIGHT = 1e-6  # interpBrgnSnPm
POS_TOL = 1e-3            # equivalence of positions on [0, 1]
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
    chosen: list[tuple[int, int]]  # per actor: (initiator, receiver) of the adopted bargain


def bs_util(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB's scalar utility of a normalised distance d with risk attitude r."""
    return np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))


def weighted_distance(a: np.ndarray, b: np.ndarray, sal: np.ndarray) -> np.ndarray:
    """d[i, j] = salience-weighted Euclidean distance from a[i] to b[j] with i's saliences."""
    diff = (a[:, None, :] - b[None, :, :]) * sal[:, None, :]
    ss = np.maximum((sal * sal).sum(axis=1), 1e-300)
    return np.sqrt((diff * diff).sum(axis=2) / ss[:, None])


def coalition_pce(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Conditional probabilistic Condorcet election over options (columns of u[actor, opt])
    with proportional voting weights w and the linear victory model."""
    dv = u[:, :, None] - u[:, None, :]              # [k, i, j] = u_ki − u_kj
    c = MIN_COALITION + np.einsum("k,kij->ij", w, np.maximum(dv, 0.0))
    np.fill_diagonal(c, MIN_COALITION)
    pv = c / (c + c.T)
    np.fill_diagonal(pv, 0.5)
    p = np.prod(pv, axis=1)
    return p / p.sum()


def risk_attitudes(p: np.ndarray) -> np.ndarray:
    """BigRRange Mid: the most likely position gets R = 1, the least likely −1/2."""
    lo, hi = p.min(), p.max()
    if hi - lo <= 0:
        return np.zeros_like(p)
    return (3.0 * p - (hi + 2.0 * lo)) / (2.0 * (hi - lo))


def unique_positions(x: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Representatives of positions equal within POS_TOL (first actor of each class, in
    order), and each actor's class index."""
    close = np.linalg.norm(x[:, None, :] - x[None, :, :], axis=2) < POS_TOL
    reps: list[int] = []
    cls = np.empty(len(x), dtype=int)
    for i in range(len(x)):
        hit = np.flatnonzero(close[i, reps]) if reps else np.empty(0, dtype=int)
        if hit.size:
            cls[i] = int(hit[0])
        else:
            cls[i] = len(reps)
            reps.append(i)
    return reps, cls


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0).astype(np.int64) / 10000.0


class _State:
    """One SMP state: positions plus everything derived from them (KTAB's setAllAUtil)."""

    def __init__(self, x: np.ndarray, sal: np.ndarray, cap: np.ndarray):
        self.x, self.sal, self.cap = x, sal, cap
        n = len(cap)
        self.n = n
        self.d = weighted_distance(x, x, sal)                # ideals = positions
        rn_util = bs_util(self.d, np.zeros((n, 1)))
        self.risk = risk_attitudes(coalition_pce(cap, rn_util))
        # A[h, a, b]: h's estimate of a's utility for b's position
        r_est = (2.0 * self.risk[:, None] + self.risk[None, :]) / 3.0   # [h, a]
        self.A = bs_util(self.d[None, :, :], r_est[:, :, None])
        self.own = bs_util(self.d, self.risk[:, None])                   # A[a, a, b]

    def outcome_distribution(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """KTAB's `pDist(-1)`: the PCE over distinct positions, each actor valuing positions by
        its own utility. Returns representatives, their probabilities, each actor's class."""
        reps, cls = unique_positions(self.x)
        return reps, coalition_pce(self.cap, self.own[:, reps]), cls

    def win_prob(self) -> np.ndarray:
        """Probability of each actor's position (KTAB's win-probability history)."""
        _, p, cls = self.outcome_distribution()
        return p[cls]

    def challenges(self) -> tuple[np.ndarray, np.ndarray]:
        """prob[i, j], gain[i, j]: i's own estimate for i challenging j."""
        n, A = self.n, self.A
        ssum = self.sal.sum(axis=1)
        w = ssum * self.cap
        idx = np.arange(n)
        Ai = A  # perspective h = i on axis 0
        uii = Ai[idx, idx, idx]                       # [i]
        uij = Ai[idx, idx, :]                         # [i, j]  = A[i, i, j]
        uji = Ai[idx, :, idx]                         # [i, j]  = A[i, j, i]
        ujj = np.einsum("ijj->ij", Ai)                # [i, j]  = A[i, j, j]
        ci = w[:, None] * (uii[:, None] - uij)
        cj = w[None, :] * (uji - ujj)
        chij0 = MIN_CONTRIB + np.maximum(ci, 0) + np.maximum(cj, 0)
        chji0 = MIN_CONTRIB + np.maximum(-ci, 0) + np.maximum(-cj, 0)
        uni = uji[:, None, :]                         # A[i, n, i] -> [i, 1, n]
        unj = np.transpose(Ai, (0, 2, 1))             # A[i, n, j] -> [i, j, n]
        unn = ujj[:, None, :]                         # A[i, n, n] -> [i, 1, n]
        cn = w[None, None, :] * (uni - unj)
        cni = chij0[:, :, None] + np.maximum(cn, 0)
        cnj = chji0[:, :, None] + np.maximum(-cn, 0)
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        u_ik_j = pin * (uni + uni + unn) + pjn * (unj + unj + unj)
        u_i_jk = pin * (uni + uni + uni) + pjn * (unj + unj + unn)
        vk = w[None, None, :] * (u_ik_j - u_i_jk)
        vk[idx, :, idx] = 0.0  # only third parties n ∉ {i, j} join
        vk[:, idx, idx] = 0.0
        chij = chij0 + np.maximum(vk, 0).sum(axis=2)
        chji = chji0 + np.maximum(-vk, 0).sum(axis=2)
        p = chij / (chij + chji)
        vict = uii[:, None] + uii[:, None]
        contest = p * vict + (1.0 - p) * (uij + uij)
        gain = (1.0 - ssum[None, :]) * vict + ssum[None, :] * contest - (uii[:, None] + uij)
        np.fill_diagonal(gain, -np.inf)
        return p, gain

    def step(self) -> tuple[np.ndarray, SMPStep]:
        n = self.n
        prob, gain = self.challenges()
        target = np.full(n, -1)
        tprob = np.zeros(n)
        tgain = np.zeros(n)
        bargains: list[tuple[int, int, np.ndarray, np.ndarray]] = []
        for i in range(n):
            g = np.where(gain[i] > MIN_SIG_GAIN, gain[i], -np.inf)
            j = int(np.argmax(g))
            if not np.isfinite(g[j]):
                continue
            target[i], tprob[i], tgain[i] = j, prob[i, j], gain[i, j]
            bi, bj = self._interpolate(i, j, prob[i, j])
            bargains.append((i, j, bi, bj))
        new = self.x.copy()
        chosen: list[tuple[int, int]] = []
        base = self.own.sum(axis=1)                             # Σ_n u_a(x_n)
        # every actor's utility for every bargain: [a, b]
        if bargains:
            init = np.array([b[0] for b in bargains])
            rcvr = np.array([b[1] for b in bargains])
            pi = np.array([b[2] for b in bargains])
            pr = np.array([b[3] for b in bargains])
            ui = bs_util(weighted_distance(self.x, pi, self.sal), self.risk[:, None])
            ur = bs_util(weighted_distance(self.x, pr, self.sal), self.risk[:, None])
            ub = (base[:, None] - self.own[:, init] - self.own[:, rcvr] + ui + ur) / n
        involved: list[list[int]] = [[] for _ in range(n)]
        for b, (i, j, _, _) in enumerate(bargains):
            involved[i].append(b)
            involved[j].append(b)
        for k in range(n):
            cols = involved[k]
            if not cols:
                chosen.append((k, k))
                continue
            u = np.column_stack([base / n] + [ub[:, b] for b in cols])
            p = coalition_pce(self.cap, u)
            m = int(np.argmax(np.abs(p)))
            if m == 0:
                chosen.append((k, k))
                continue
            i, j, bi, bj = bargains[cols[m - 1]]
            new[k] = bi if k == i else bj
            chosen.append((i, j))
        info = SMPStep(self.risk, self.win_prob(), target, tprob, tgain, chosen)
        return new, info

    def _interpolate(self, i: int, j: int, p: float) -> tuple[np.ndarray, np.ndarray]:
        """S2P2 bargain between i and j from i's perspective (InitOnlyInterp)."""
        ti, tj = self.x[i], self.x[j]
        wi = self.sal[i] ** 2 * p**2
        wj = self.sal[j] ** 2 * (1.0 - p) ** 2
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
) -> ForecastResult:
    """Run the SMP from the stakeholders' positions until KTAB's stopping rule fires.

    The forecast is the expected outcome of the final state's probabilistic Condorcet
    election: the distinct final positions weighted by their win probabilities (KTAB reports
    positions and these probabilities; `detail["most_likely"]` is the single most probable
    position). `detail` carries per-state risk attitudes, win probabilities, best challenges
    and the iteration count.
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
        if it >= min_iter and ratio < min_delta_ratio:
            converged = True
            break
    last = state.win_prob()
    reps, p_final, cls = state.outcome_distribution()
    # class means rather than representatives, so that relabelling actors cannot matter
    centres = np.stack([state.x[cls == m].mean(axis=0) for m in range(len(reps))])
    expected = (p_final @ centres) * width + low
    most_likely = centres[int(np.argmax(p_final))] * width + low
    path = np.stack(history) * width + low
    moves = []
    for t, info in enumerate(steps, start=1):
        for k, (i, j) in enumerate(info.chosen):
            if (i, j) == (k, k):
                continue
            for d, dim in enumerate(sh.dimensions):
                if abs(path[t, k, d] - path[t - 1, k, d]) > 1e-12 * width[d]:
                    other = sh.actors[j] if k == i else sh.actors[i]
                    moves.append(Move(t, sh.actors[k], dim.id, float(path[t - 1, k, d]),
                                      float(path[t, k, d]), "bargain", other))
    detail = {
        "iterations": len(steps),
        "salience_scale": scale,
        "converged": converged,
        "final_change_ratio": ratio,
        "risk_attitudes": [s.risk for s in steps],
        "win_probability": [s.win_prob for s in steps] + [last],
        "best_challenge": [
            [
                {"target": sh.actors[int(s.target[i])], "prob": float(s.target_prob[i]),
                 "gain": float(s.target_gain[i])} if s.target[i] >= 0 else None
                for i in range(sh.n_actors)
            ]
            for s in steps
        ],
        "weighted_mean": [weighted_mean(sh, p) for p in path],
        "most_likely": most_likely,
    }
    return ForecastResult(model="smp", stakeholders=sh, path=path, forecast=expected,
                          moves=tuple(moves), detail=detail)
