"""Frontier + all four solutions by enumeration, in process, on random additive domains.

Peak MiB is numpy's and Python's allocations during the call as seen by tracemalloc.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

from table import Row, print_table

from pactlab.analysis import analyze_domain
from pactlab.model.synthetic import random_domain


def rows() -> Iterator[Row]:
    for issues, options, parties in ((4, 10, 2), (5, 10, 2), (6, 10, 2), (6, 10, 3)):
        domain = random_domain(issues, options, parties)
        tracemalloc.start()
        t0 = time.perf_counter()
        res = analyze_domain(domain, method="enumerate")
        seconds = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        yield Row(f"analyze (enumerate), {parties} parties", f"{domain.n_outcomes:,} outcomes",
                  seconds, peak_mib=peak / 2**20, note=f"frontier {len(res.pareto):,}")


if __name__ == "__main__":
    print_table(rows())
