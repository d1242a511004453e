"""Forecast speed and memory: BDM, SMP and the Condorcet baseline on random tables.

The reference is the O(n³) transcription of the same rules that pactlab shipped before the
models were streamed (`tests/forecast/naive.py`: every sum over voters and third parties as
one (n, n, n) array), measured in the same run. Where it cannot run (1,000 actors would need
7.45 GiB per array) the row says so. SMP runs are forced to their full number of rounds (no
early stop), so that every row times exactly the rounds it names.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from table import Row, peak_since, print_table, reset_peak

from pactlab.forecast import Stakeholders, forecast_condorcet, forecast_eu, forecast_smp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "forecast"))
import naive  # the reference lives with the tests that check against it


def random_table(n: int, d: int, seed: int = 7) -> Stakeholders:
    rng = np.random.default_rng(seed)
    sal = rng.uniform(0.1, 1.0, (n, d))
    sal = sal / sal.sum(axis=1, keepdims=True) * rng.uniform(0.75, 0.99, (n, 1))
    return Stakeholders.build([f"a{k:04d}" for k in range(n)], rng.uniform(10, 200, n),
                              rng.uniform(0, 100, (n, d)).tolist(), sal.tolist(),
                              [f"d{k}" for k in range(d)])


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    base = reset_peak()
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0, peak_since(base)


def _naive_smp_steps(sh: Stakeholders, steps: int) -> None:
    """The O(n³) challenge sums of `steps` SMP steps (the dominant part of the old code)."""
    from pactlab.forecast.smp import _State

    state = _State(sh.position / 100.0, sh.salience, sh.capability)
    for _ in range(steps):
        naive.challenges(state.d, state.risk, sh.salience, sh.capability)


def rows() -> Iterator[Row]:
    sh = random_table(100, 3)
    size = "100 actors × 3 dims × 100 rounds"
    # the reference takes seconds per 10 rounds: 10 rounds of it, ×10
    ref, _ = _timed(lambda: naive.bdm_path(sh, 10))
    sec, peak = _timed(lambda: forecast_eu(sh, 100))
    yield Row("forecast bdm (scholz)", size, sec, "O(n³) code, 10 rounds ×10", 10 * ref, peak,
              "target ≤ 0.3 s")
    ref, _ = _timed(lambda: _naive_smp_steps(sh, 10))
    sec, peak = _timed(lambda: forecast_smp(sh, 100, min_delta_ratio=0.0, stop_on_cycle=False))
    yield Row("forecast smp", size, sec, "O(n³) challenges, 10 steps ×10", 10 * ref, peak,
              "target ≤ 1 s; reference times only its challenge sums")
    big = random_table(300, 3)
    sec, peak = _timed(lambda: forecast_smp(big, 10, min_delta_ratio=0.0, stop_on_cycle=False))
    yield Row("forecast smp", "300 actors × 3 dims × 10 rounds", sec, "", None, peak,
              "O(n³) per step: time grows 27× per 3× actors")
    big = random_table(1000, 5)
    sec, peak = _timed(lambda: forecast_condorcet(big))
    yield Row("forecast condorcet", "1,000 actors × 5 dims", sec, "", None, peak,
              "O(n³) code needs 37 GiB")
    sec, peak = _timed(lambda: forecast_eu(big, 10))  # rounds cost the same: 10 of them, ×10
    yield Row("forecast bdm (scholz)", "1,000 actors × 5 dims × 100 rounds", 10 * sec, "",
              None, peak, "10 rounds ×10; target < 30 s; O(n³) code needs 7.45 GiB per array")


if __name__ == "__main__":
    print_table(rows())
