"""Negotiation speed against NegMAS, measured in the same run on the same 10^4-outcome domain.

Both engines play time-based concession (the Faratin family) bilateral
alternating offers with the same deadline (single-process rows are timed in CPU
seconds of this process, `time.process_time`, so that "offers per second on one
core" holds on a shared machine; the tournament rows, which use two worker
processes, in wall-clock seconds): NegMAS's SAOMechanism with `STEPS`
steps (each negotiator acts once per step) against pactlab with twice as many
turns. Speed is offers per second over whole negotiations (set-up and results
included), each offer with its answer. pactlab's batched engine plays sessions
in lockstep; so that no two of its sessions are the same game (sessions without
random strategies that share a lineup are played once and copied), every
session gets its own pair of concession exponents. Targets (issue 13.4):
≥ 10^6 offers/s on one core and ≥ 200× NegMAS; a 10,000-negotiation tournament
in under 5 s on 2 workers.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator

import numpy as np
from table import Row, peak_since, print_table, reset_peak

from pactlab.model.domain import Domain
from pactlab.negotiation import Session, build_space, run_batch, tournament

ISSUES, OPTIONS, STEPS = 4, 10, 100  # 10^4 outcomes; NegMAS steps = 2 × STEPS pactlab turns
PAIRS = (("boulware", "conceder"), ("linear", "linear"), ("conceder", "boulware"))
NEGMAS_RUNS, SESSION_RUNS, BATCH = 12, 100, 4000
SIZE = f"10^4 outcomes, {2 * STEPS} turns"


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


def negmas_rate(values: np.ndarray, wa: np.ndarray, wb: np.ndarray) -> float | None:
    """NegMAS offers per second over the same pairings (None without NegMAS)."""
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

    t0 = time.process_time()
    offers = 0
    for a, b in PAIRS:
        for _ in range(NEGMAS_RUNS // len(PAIRS)):
            m = SAOMechanism(issues=issues, n_steps=STEPS)
            m.add(kinds[a](name="a"), ufun=ufun(values, wa))
            m.add(kinds[b](name="b"), ufun=ufun(1 - values, wb))
            m.run()
            offers += len(m.full_trace)
    return offers / (time.process_time() - t0)


def session_run(domain: Domain) -> tuple[float, int]:
    """Seconds and offers of the per-session engine (one strategy call per turn)."""
    space = build_space(domain)
    t0 = time.process_time()
    offers = 0
    for k in range(SESSION_RUNS):
        a, b = PAIRS[k % len(PAIRS)]
        res = Session(space, {"a": a, "b": b}, rounds=2 * STEPS, seed=k).run()
        offers += len(res.trace.offers())
    return time.process_time() - t0, offers


def batch_run(domain: Domain, lineups: list[tuple[str, str]]) -> tuple[float, int, float]:
    """Seconds, offers and peak MiB of one batch of these lineups.

    Offers are counted once per distinct game: sessions without random strategies that
    share a lineup are played once and copied, so their copies are not counted.
    """
    space = build_space(domain)
    run_batch(space, lineups[:50], seeds=0, rounds=2 * STEPS)  # warm-up
    base = reset_peak()
    t0 = time.process_time()
    res = run_batch(space, lineups, seeds=0, rounds=2 * STEPS)
    seconds = time.process_time() - t0
    first = {lineup: i for i, lineup in reversed(list(enumerate(lineups)))}
    games = [i for i, lineup in enumerate(lineups)
             if any(s.startswith("random") for s in lineup) or first[lineup] == i]
    offers = int(res.rounds_used[games].sum() - res.agreement[games].sum())  # no accepts
    return seconds, offers, peak_since(base)


def rows() -> Iterator[Row]:
    warnings.filterwarnings("ignore")
    values, wa, wb = opposed_values()
    domain = pactlab_domain(values, wa, wb)
    reference = negmas_rate(values, wa, wb)
    ref_name = "NegMAS SAOMechanism" if reference else ""
    note = "" if reference else "NegMAS not installed (pip install '.[bench]')"

    def row(operation: str, size: str, seconds: float, offers: int, peak: float | None,
            target: str) -> Row:
        rate = offers / seconds
        return Row(operation, size, seconds, ref_name,
                   offers / reference if reference else None, peak,
                   note or f"{rate:,.0f} offers/s; {target}")

    seconds, offers = session_run(domain)
    yield row(f"negotiation, per-session engine ({SESSION_RUNS} sessions)", SIZE, seconds,
              offers, None, "user strategies' path")
    rng = np.random.default_rng(1)
    grid = np.geomspace(0.1, 10, 64)  # 64 exponents a side: ~2,500 distinct pairs of 4,000
    exponents = grid[rng.integers(0, len(grid), (BATCH, 2))]
    lineups = [(f"time:e={a:.6g}", f"time:e={b:.6g}") for a, b in exponents]
    seconds, offers, peak = batch_run(domain, lineups)
    yield row(f"negotiation, batched, time-based ({BATCH:,} sessions)", SIZE, seconds, offers,
              peak, "target ≥ 10^6 offers/s, ≥ 200×")
    mixed = [("tit-for-tat", "random:p=0.05"), ("random:p=0.05", "boulware"),
             ("tit-for-tat-absolute", "conceder")] * (BATCH // 6)
    seconds, offers, peak = batch_run(domain, mixed)
    yield row(f"negotiation, batched, tit-for-tat/random ({len(mixed):,})", SIZE, seconds,
              offers, peak, "random draws replayed per session")
    strategies = ["boulware", "linear", "conceder", "hardliner", "tit-for-tat"]
    t0 = time.perf_counter()
    res = tournament(domain, strategies, reps=400, rounds=100, workers=2)
    seconds = time.perf_counter() - t0
    yield Row("tournament on 2 workers (5 strategies × 400 reps)",
              f"{res.sessions:,} negotiations, 100 turns", seconds,
              note="target < 5 s (deterministic repetitions are played once)")
    lineups = [(f"time:e={a:.6g}", f"random:p={b / 20:.6g}") for a, b in exponents[:2500]]
    t0 = time.perf_counter()
    res = tournament(domain, [s for pair in lineups[:100] for s in pair], reps=1,
                     rounds=100, workers=2)
    seconds = time.perf_counter() - t0
    yield Row("tournament on 2 workers, every session distinct", f"{res.sessions:,} "
              "negotiations, 100 turns", seconds,
              note=f"{len(res.strategies)} strategies (time-based and random), all pairings")


if __name__ == "__main__":
    print_table(rows())
