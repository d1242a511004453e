"""Forecast speed: a 100-actor, 3-dimension BDM and SMP run of 100 rounds.

Run: `python bench/forecast_bench.py [--actors N] [--dims D] [--rounds R]`. Prints one line per
model with the wall time; the SMP is forced to run all rounds (no early stop) so that the
timing is for exactly R rounds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from pactlab.forecast import Stakeholders, forecast_eu, forecast_smp


def random_table(n: int, d: int, seed: int = 7) -> Stakeholders:
    rng = np.random.default_rng(seed)
    sal = rng.uniform(0.1, 1.0, (n, d))
    sal = sal / sal.sum(axis=1, keepdims=True) * rng.uniform(0.75, 0.99, (n, 1))
    return Stakeholders.build(
        [f"a{k:03d}" for k in range(n)],
        rng.uniform(10, 200, n),
        rng.uniform(0, 100, (n, d)).tolist(),
        sal.tolist(),
        [f"d{k}" for k in range(d)],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--actors", type=int, default=100)
    ap.add_argument("--dims", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args()
    sh = random_table(args.actors, args.dims)
    label = f"{args.actors} actors x {args.dims} dims x {args.rounds} rounds"
    for name, run in (
        ("bdm (scholz)", lambda: forecast_eu(sh, args.rounds)),
        ("bdm (clean)", lambda: forecast_eu(sh, args.rounds, mode="clean")),
        ("smp", lambda: forecast_smp(sh, args.rounds, min_delta_ratio=0.0)),
    ):
        t0 = time.perf_counter()
        res = run()
        dt = time.perf_counter() - t0
        print(f"{name:13s} {label}: {dt:6.2f} s  ({res.rounds} rounds run, "
              f"{1000 * dt / max(res.rounds, 1):.1f} ms/round)")


if __name__ == "__main__":
    main()
