"""Negotiation speed against NegMAS, measured in the same run on the same 10^4-outcome domain.

Both engines play time-based concession (Boulware / linear / Conceder, the
Faratin family) bilateral alternating offers with the same deadline: NegMAS's
SAOMechanism with `n_steps` steps (each negotiator acts once per step) against
pactlab's protocol with twice as many turns. Speed is counted in offers per
second, each offer including its answer, over whole negotiations (set-up,
trace and result included). Targets (issue 4): ≥ 20× NegMAS; a 10,000-
negotiation tournament on 2 worker processes in under a minute.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from pactlab.model.domain import Domain
from pactlab.negotiation import Session, build_space, tournament

ISSUES, OPTIONS, STEPS = 4, 10, 100  # 10^4 outcomes; NegMAS steps = 2 × STEPS pactlab turns
PAIRS = (("boulware", "conceder"), ("linear", "linear"), ("conceder", "boulware"))
NEGMAS_RUNS, PACTLAB_RUNS = 12, 300


def opposed_values(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-issue option values of party a (b values them 1 − a) and both weight vectors."""
    rng = np.random.default_rng(seed)
    values = rng.random((ISSUES, OPTIONS))
    return values, rng.dirichlet(np.ones(ISSUES)), rng.dirichlet(np.ones(ISSUES))


def pactlab_domain(values: np.ndarray, wa: np.ndarray, wb: np.ndarray) -> Domain:
    return Domain(
        issue_ids=tuple(f"i{i}" for i in range(ISSUES)),
        labels=tuple(tuple(float(k) for k in range(OPTIONS)) for _ in range(ISSUES)),
        party_ids=("a", "b"),
        values=tuple(np.array([wa[i] * values[i], wb[i] * (1 - values[i])])
                     for i in range(ISSUES)),
        party_allowed=tuple(np.ones((2, OPTIONS), dtype=bool) for _ in range(ISSUES)),
        reservations=np.zeros(2),
    )


def run_pactlab(domain: Domain) -> dict[tuple[str, str], tuple[float, int, float]]:
    """(seconds, offers, agreement rate) per pairing."""
    space = build_space(domain)
    out = {}
    for a, b in PAIRS:
        Session(space, {"a": a, "b": b}, rounds=2 * STEPS).run()  # warm-up
        t0 = time.perf_counter()
        offers = agreed = 0
        for seed in range(PACTLAB_RUNS):
            res = Session(space, {"a": a, "b": b}, rounds=2 * STEPS, seed=seed).run()
            offers += len(res.trace.offers())
            agreed += res.agreement
        out[(a, b)] = (time.perf_counter() - t0, offers, agreed / PACTLAB_RUNS)
    return out


def run_negmas(values: np.ndarray, wa: np.ndarray, wb: np.ndarray
               ) -> dict[tuple[str, str], tuple[float, int, float]] | None:
    try:
        from negmas import SAOMechanism, make_issue
        from negmas.preferences import LinearAdditiveUtilityFunction
        from negmas.preferences.value_fun import TableFun
        from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator
    except ImportError:
        return None
    kinds = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator,
             "conceder": ConcederTBNegotiator}
    issues = [make_issue(OPTIONS, f"i{i}") for i in range(ISSUES)]

    def ufun(vals: np.ndarray, weights: np.ndarray) -> LinearAdditiveUtilityFunction:
        tables = [TableFun({k: float(v[k]) for k in range(OPTIONS)}) for v in vals]
        return LinearAdditiveUtilityFunction(values=tables, weights=list(weights),
                                             issues=issues, reserved_value=0.0)

    out = {}
    for a, b in PAIRS:
        t0 = time.perf_counter()
        offers = agreed = 0
        for _ in range(NEGMAS_RUNS):
            m = SAOMechanism(issues=issues, n_steps=STEPS)
            m.add(kinds[a](name="a"), ufun=ufun(values, wa))
            m.add(kinds[b](name="b"), ufun=ufun(1 - values, wb))
            state = m.run()
            offers += len(m.full_trace)
            agreed += state.agreement is not None
        out[(a, b)] = (time.perf_counter() - t0, offers, agreed / NEGMAS_RUNS)
    return out


def main() -> None:
    warnings.filterwarnings("ignore")
    values, wa, wb = opposed_values()
    domain = pactlab_domain(values, wa, wb)
    t0 = time.perf_counter()
    build_space(domain)
    print(f"domain: {domain.n_outcomes:,} outcomes, 2 parties; offer space built in "
          f"{time.perf_counter() - t0:.3f} s; deadline {STEPS} NegMAS steps = {2 * STEPS} turns")
    ours = run_pactlab(domain)
    theirs = run_negmas(values, wa, wb)
    print(f"{'pairing':<20} {'pactlab offers/s':>17} {'NegMAS offers/s':>16} {'ratio':>7} "
          f"{'agree p/N':>10}")
    ratios = []
    for pair in PAIRS:
        s, n, agree = ours[pair]
        rate = n / s
        if theirs is None:
            print(f"{'-'.join(pair):<20} {rate:>17,.0f} {'(no negmas)':>16}")
            continue
        ts, tn, tagree = theirs[pair]
        ratios.append(rate / (tn / ts))
        print(f"{'-'.join(pair):<20} {rate:>17,.0f} {tn / ts:>16,.0f} {ratios[-1]:>6.1f}× "
              f"{agree:>4.0%}/{tagree:<4.0%}")
    if ratios:
        print(f"geometric-mean speed-up {np.exp(np.mean(np.log(ratios))):.1f}× "
              "(target ≥ 20×)")
    strategies = ["boulware", "linear", "conceder", "hardliner", "tit-for-tat"]
    t0 = time.perf_counter()
    res = tournament(domain, strategies, reps=400, rounds=100, workers=2)
    seconds = time.perf_counter() - t0
    print(f"tournament: {res.sessions:,} negotiations (5 strategies, 25 pairings × 400 reps, "
          f"100 turns) on 2 workers in {seconds:.1f} s (target < 60 s)")


if __name__ == "__main__":
    main()
