"""Frontier + the four bargaining solutions on a 2-party additive domain of 10^6 outcomes.

Target (issue 3): under 2 s and under 1 GiB on a 2-core machine, by enumeration.
Peak memory is numpy's and Python's allocations as seen by tracemalloc.
"""

from __future__ import annotations

import time
import tracemalloc

from pactlab.analysis import analyze_domain
from pactlab.model.domain import Domain
from pactlab.model.synthetic import random_domain


def measure(domain: Domain) -> tuple[float, float, int]:
    tracemalloc.start()
    t0 = time.perf_counter()
    res = analyze_domain(domain)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, len(res.pareto)


def main() -> None:
    print(f"{'outcomes':>10} {'parties':>7} {'seconds':>8} {'peak MiB':>9} {'frontier':>9}")
    for issues, options, parties in ((4, 10, 2), (5, 10, 2), (6, 10, 2), (6, 10, 3)):
        domain = random_domain(issues, options, parties)
        seconds, mib, front = measure(domain)
        print(f"{domain.n_outcomes:>10,} {parties:>7} {seconds:>8.3f} {mib:>9.1f} {front:>9,}")
    print("target: 10^6 outcomes, 2 parties, < 2 s and < 1024 MiB")


if __name__ == "__main__":
    main()
