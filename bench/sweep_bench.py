"""Sweeps of sma-2019's analysis (solutions + ZOPA per sample) on the local pool and on Ray.

sma-2019 has 74,160 outcomes, 12,480 of them feasible; `--noise weights=0.3,
reservations=0.05` puts 21 priors on it. The reference is what a sweep would cost
without vectorisation: one `analyze` call of the same scenario, timed in this run (best
of several), times the number of samples; the ratio is that estimate over the sweep's
time, and the note gives the per-sample cost against one `analyze` call. CPU is the
parent's and its workers' (user + system), which a loaded machine does not inflate the
way it does wall time: on 2 idle cores the wall time is about CPU / 2.

Memory: "peak MiB" is the parent's resident-set growth. The parent holds the design and
the per-sample results (56 numbers a sample here), so it grows by about half a kilobyte
a sample, against the 300 KB a sample that samples × outcomes utilities would take; the
10^5 row's note gives that growth per sample. Workers compile and analyse a bounded
number of samples at a time; their resident set (the note's "worker RSS", which also
counts the parent's pages they share after the fork) stays near flat.

The negotiation target (US boulware, ROK conceder, DPK linear; 100 turns) is set against
one `run_session` call of the same scenario (a fresh load each time, so that its offer
space is built as a sample's is), times the number of samples.

Ray is measured on a warm local instance (its workers already started and their imports
done, as on a running cluster) against the local pool measured right after it, with the
same workers; its ratio is local seconds / Ray seconds (≥ 0.8 means an overhead within
25%).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from table import Row, peak_since, print_table, reset_peak

from pactlab.analysis.analyze import analyze
from pactlab.model import load_scenario
from pactlab.negotiation import run_session
from pactlab.sweep import RayEngine, RunStore, sweep

NOISE = "weights=0.3,reservations=0.05"
SCENARIO = "sma-2019"
LINEUP = {"us": "boulware", "rok": "conceder"}


def _analyze_seconds() -> float:
    """One `analyze` call of the scenario (best of 5, after a warm-up)."""
    sc = load_scenario(SCENARIO)
    analyze(sc)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        analyze(sc)
        best = min(best, time.perf_counter() - t0)
    return best


def _session_seconds() -> float:
    """One `run_session` of the scenario with the lineup (best of 3, after a warm-up)."""
    sc = load_scenario(SCENARIO)
    run_session(sc, LINEUP, seed=0, trace=False)
    best = float("inf")
    for seed in range(3):
        t0 = time.perf_counter()
        run_session(load_scenario(SCENARIO), LINEUP, seed=seed, trace=False)
        best = min(best, time.perf_counter() - t0)
    return best


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _worker_peak_mib() -> float:
    """The largest resident set of any worker process that has ended (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _timed(n: int, **kwargs: Any) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (parent and workers) and the parent's peak growth."""
    base = reset_peak()
    c0, t0 = _cpu(), time.perf_counter()
    sweep(SCENARIO, samples=n, noise=NOISE, seed=1, **kwargs)
    return time.perf_counter() - t0, _cpu() - c0, peak_since(base)


def rows() -> Iterator[Row]:
    one = _analyze_seconds()
    workers = min(2, len(os.sched_getaffinity(0)))
    local: dict[int, float] = {}
    worker_peak: dict[int, float] = {}
    parent_peak: dict[int, float] = {}
    for n, target in ((10**4, 10), (10**5, 60)):
        seconds, cpu, parent_peak[n] = _timed(n, workers=workers)
        local[n] = seconds
        worker_peak[n] = _worker_peak_mib()
        memory = f"worker RSS ≤ {worker_peak[n]:,.0f} MiB"
        if n > 10**4:
            growth = (parent_peak[n] - parent_peak[10**4]) * 2**20 / (n - 10**4)
            memory += (f" ({worker_peak[10**4]:,.0f} at 10,000); parent +{growth / 1e3:.2f} "
                       "KB/sample")
        yield Row(f"sweep analyze sma-2019, local ×{workers}", f"{n:,} samples", seconds,
                  f"analyze×{n:,}", one * n, parent_peak[n],
                  f"target ≤ {target} s wall on 2 cores; CPU {cpu:.1f} s = "
                  f"{1e3 * cpu / n:.3f} ms/sample vs {1e3 * one:.0f} ms per analyze call "
                  f"({one * n / cpu:,.0f}× less); {memory}")
    session = _session_seconds()
    seconds, cpu, peak = _timed(1000, target="negotiate", strategies=LINEUP, workers=workers)
    yield Row(f"sweep negotiate sma-2019, local ×{workers}", "1,000 samples", seconds,
              "run_session×1,000", session * 1000, peak,
              f"CPU {cpu:.1f} s = {cpu:.2f} ms/sample vs {1e3 * session:.0f} ms per "
              "run_session call (sessions in lockstep, one space per sample, no metrics)")
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(os.path.join(tmp, "runs.sqlite"))
        seconds, cpu, peak = _timed(10**4, workers=workers, store=store)
        yield Row("  … with the SQLite run store", "10,000 samples", seconds,
                  "local, no store", local[10**4], peak,
                  f"CPU {cpu:.1f} s; batches committed in transactions")
    try:
        import ray
    except ImportError:
        yield Row("sweep analyze sma-2019, Ray", "10,000 samples", float("nan"),
                  note="ray not installed")
        return
    engine = RayEngine(workers=workers)
    engine.connect()
    try:
        _timed(4000, engine=engine)  # warm the workers: imports, the plan's compilation
        pairs = [(_timed(10**4, engine=engine)[0], _timed(10**4, workers=workers)[0])
                 for _ in range(3)]  # interleaved, so that both see the same load
        ray_s, ref = min(p[0] for p in pairs), min(p[1] for p in pairs)
        yield Row(f"sweep analyze sma-2019, Ray ×{workers} (warm)", "10,000 samples", ray_s,
                  "local pool", ref, None,
                  f"Ray overhead {100 * (ray_s / ref - 1):+.0f}% (target ≤ +25%); best of 3 "
                  "interleaved runs each")
    finally:
        ray.shutdown()


if __name__ == "__main__":
    print_table(rows())
