"""Sweeps of sma-2019's analysis (solutions + ZOPA per sample) on the local pool and on Ray.

The reference is what a sweep would cost without vectorisation: one `analyze` call of the
same scenario, timed in this run (best of several), times the number of samples. The
ratio is that estimate over the sweep's time. Ray is measured on a warm local instance
(its workers already started, as on a cluster) against the local pool in the same run;
its ratio is local seconds / Ray seconds (≥ 0.8 means Ray's overhead is within 25%).
Peak MiB is the parent process's resident-set growth: it holds the design and the
per-sample results, so it grows with the samples but not with samples × outcomes.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator

from table import Row, peak_since, print_table, reset_peak

from pactlab.analysis.analyze import analyze
from pactlab.model import load_scenario
from pactlab.sweep import RayEngine, RunStore, sweep

NOISE = "weights=0.3,reservations=0.05"
SCENARIO = "sma-2019"


def _analyze_seconds() -> float:
    sc = load_scenario(SCENARIO)
    analyze(sc)
    best = float("inf")
    for _ in range(20):
        t0 = time.perf_counter()
        analyze(sc)
        best = min(best, time.perf_counter() - t0)
    return best


def _timed(n: int, **kwargs: object) -> tuple[float, float]:
    base = reset_peak()
    t0 = time.perf_counter()
    sweep(SCENARIO, samples=n, noise=NOISE, seed=1, **kwargs)
    return time.perf_counter() - t0, peak_since(base)


def rows() -> Iterator[Row]:
    one = _analyze_seconds()
    workers = min(2, len(os.sched_getaffinity(0)))
    local: dict[int, float] = {}
    for n, target in ((10**4, 10), (10**5, 60)):
        seconds, peak = _timed(n, workers=workers)
        local[n] = seconds
        yield Row(f"sweep analyze sma-2019, local ×{workers}", f"{n:,} samples", seconds,
                  f"analyze×{n:,}", one * n, peak,
                  f"target ≤ {target} s; {1e3 * seconds / n:.3f} ms/sample vs "
                  f"{1e3 * one:.2f} ms per analyze call")
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(os.path.join(tmp, "runs.sqlite"))
        seconds, peak = _timed(10**4, workers=workers, store=store)
        yield Row("  … with the SQLite run store", "10,000 samples", seconds,
                  "local, no store", local[10**4], peak, "batches committed in transactions")
    try:
        import ray
    except ImportError:
        yield Row("sweep analyze sma-2019, Ray", "10,000 samples", float("nan"),
                  note="ray not installed")
        return
    engine = RayEngine(workers=workers)
    engine.connect()
    try:
        _timed(2000, engine=engine)  # warm the workers: imports and the plan's compilation
        seconds, peak = _timed(10**4, engine=engine)
        ref, _ = _timed(10**4, workers=workers)
        yield Row(f"sweep analyze sma-2019, Ray ×{workers} (warm)", "10,000 samples", seconds,
                  "local pool", ref, peak,
                  f"Ray overhead {100 * (seconds / ref - 1):+.0f}% (target ≤ +25%)")
    finally:
        ray.shutdown()


if __name__ == "__main__":
    print_table(rows())
