"""The forecasting models as first written: every sum over voters and third parties as one
(n, n, n) numpy array. Slow and memory-hungry (O(n³)), but a direct transcription of the
published rules, so the streamed implementations are checked against it (and `bench/`
measures the speed-up against it)."""

from __future__ import annotations

import numpy as np

from pactlab.forecast.smp import MIN_COALITION, MIN_CONTRIB, bs_util


def win_probability(x, w, r, delta, mode):
    """P[i, j] with votes V[k, i, j] = w_k (D[k, j] − D[k, i]), D[k, m] = (|x_k − x_m|/Δ)^r_k."""
    dp = (np.abs(x[:, None] - x[None, :]) / delta) ** r[:, None]
    votes = w[:, None, None] * (dp[:, None, :] - dp[:, :, None])
    pos = np.maximum(votes, 0.0).sum(axis=0)
    if mode == "scholz":
        total = np.abs(votes).sum()
        p = pos / total if total > 0 else np.zeros_like(pos)
    else:
        den = np.abs(votes).sum(axis=0)
        p = np.divide(pos, den, out=np.zeros_like(pos), where=den > 0)
    p[x[:, None] == x[None, :]] = 0.0
    return p


def _eu(p, d, s_target, r, q):
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    usq = 2.0 - 4.0 * 0.5**r
    return s_target * (p * us + (1.0 - p) * uf) + (1.0 - s_target) * us - q * usq


def risk_exponents(x, c, s, delta, q, mode):
    ones = np.ones(x.size)
    p = win_probability(x, c * s, ones, delta, mode)
    d = np.abs(x[:, None] - x[None, :]) / delta
    eu = _eu(p, d, s[None, :], 1.0, q)
    np.fill_diagonal(eu, 0.0)
    danger = eu.sum(axis=0)
    hi, lo = danger.max(), danger.min()
    if hi - lo <= 1e-15 * max(1.0, abs(hi)):
        return ones
    big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def bdm_positions(x, c, s, delta, q=1.0, mode="scholz"):
    """One BDM round on one dimension: the new positions."""
    r = risk_exponents(x, c, s, delta, q, mode)
    p = win_probability(x, c * s, r, delta, mode)
    d = np.abs(x[:, None] - x[None, :]) / delta
    ri = r[:, None]
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
    new, done = x.copy(), np.zeros(x.size, bool)
    for mask, key in ((conf, move), (comp, comp_key), (capit, move)):
        todo = ~done & mask.any(axis=1)
        j = np.argmin(np.where(mask, key, np.inf), axis=1)
        new[todo] = target[todo, j[todo]]
        done |= todo
    return new


def bdm_path(sh, rounds, mode="scholz"):
    x = sh.position.copy()
    deltas = [d.width for d in sh.dimensions]
    path = [x.copy()]
    for _ in range(rounds):
        x = np.stack([bdm_positions(x[:, d], sh.capability, sh.salience[:, d], deltas[d],
                                    1.0, mode) for d in range(x.shape[1])], axis=1)
        path.append(x.copy())
    return np.stack(path)


def coalition_pce(w, u):
    dv = u[:, :, None] - u[:, None, :]
    c = MIN_COALITION + np.einsum("k,kij->ij", w, np.maximum(dv, 0.0))
    np.fill_diagonal(c, MIN_COALITION)
    pv = c / (c + c.T)
    np.fill_diagonal(pv, 0.5)
    p = np.prod(pv, axis=1)
    return p / p.sum()


def challenges(d, risk, sal, cap):
    """SMP prob[i, j], gain[i, j] from the full A[h, a, b] = bs_util(d_ab, (2R_h + R_a)/3)."""
    n = len(cap)
    r_est = (2.0 * risk[:, None] + risk[None, :]) / 3.0
    big_a = bs_util(d[None, :, :], r_est[:, :, None])
    ssum = sal.sum(axis=1)
    w = ssum * cap
    idx = np.arange(n)
    uii = big_a[idx, idx, idx]
    uij = big_a[idx, idx, :]
    uji = big_a[idx, :, idx]
    ujj = np.einsum("ijj->ij", big_a)
    ci = w[:, None] * (uii[:, None] - uij)
    cj = w[None, :] * (uji - ujj)
    chij0 = MIN_CONTRIB + np.maximum(ci, 0) + np.maximum(cj, 0)
    chji0 = MIN_CONTRIB + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    uni = uji[:, None, :]
    unj = np.transpose(big_a, (0, 2, 1))
    unn = ujj[:, None, :]
    cn = w[None, None, :] * (uni - unj)
    cni = chij0[:, :, None] + np.maximum(cn, 0)
    cnj = chji0[:, :, None] + np.maximum(-cn, 0)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    vk = w[None, None, :] * (pin * (unn - uni) + pjn * (unj - unn))
    vk[idx, :, idx] = 0.0
    vk[:, idx, idx] = 0.0
    chij = chij0 + np.maximum(vk, 0).sum(axis=2)
    chji = chji0 + np.maximum(-vk, 0).sum(axis=2)
    p = chij / (chij + chji)
    contest = p * (uii[:, None] + uii[:, None]) + (1.0 - p) * (uij + uij)
    gain = ((1.0 - ssum[None, :]) * (uii[:, None] + uii[:, None]) + ssum[None, :] * contest
            - (uii[:, None] + uij))
    np.fill_diagonal(gain, -np.inf)
    return p, gain
