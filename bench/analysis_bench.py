"""Enumeration at the numpy limit: frontier + the four solutions on 10^6 outcomes with
interactions (which rule out the exact method), against a plain numpy sketch of the
same work measured in the same run (issue 13 item 3).

The sketch is what one would write by hand: every outcome's option indices from
`np.indices`, the utilities as gathers and sums, the interaction bonuses, one
argsort by party 0 and a running maximum for the two-party frontier, and the
solutions by `argmax` over it. It checks nothing and keeps no memory bound.
pactlab's `analyze` (method enumerate) adds the limits, the ZOPA, exact
tie-breaking, the frontier of three parties (a skyline; the sketch's sweep is
not one) and chunks bounded by the memory budget. Each side is timed three
times, interleaved, and the fastest run counts (the machine is shared).
Targets: ratio ≥ 0.67 (within 1.5×) for two parties, ≥ 0.33 (within 3×) for three; each
row's note says whether it is met, or by how much it is missed.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

import numpy as np
from table import Row, print_table

from pactlab.analysis import analyze_domain
from pactlab.model.domain import Domain, Interaction
from pactlab.model.synthetic import random_domain


def with_interactions(d: Domain) -> Domain:
    """The random domain with two interactions, each coupling two issues."""
    inters = (Interaction(1, 0.05, {0: np.arange(d.sizes[0]) < 3, 2: np.arange(d.sizes[2]) == 1}),
              Interaction(0, -0.03, {1: np.arange(d.sizes[1]) < 5, 3: np.arange(d.sizes[3]) > 6}))
    return Domain(d.issue_ids, d.labels, d.party_ids, d.values, d.party_allowed, d.reservations,
                  interactions=inters)


def sketch(d: Domain) -> list[int]:
    rows = np.indices(tuple(int(n) for n in d.sizes)).reshape(d.n_issues, -1)
    u = np.zeros((rows.shape[1], d.n_parties))
    for i, v in enumerate(d.values):
        u += v[:, rows[i]].T
    for x in d.interactions:
        hold = np.ones(rows.shape[1], bool)
        for i, m in x.masks.items():
            hold &= m[rows[i]]
        u[:, x.party] += x.value * hold
    o = np.argsort(-u[:, 0])
    b = u[o, 1]
    front = o[b > np.maximum.accumulate(np.concatenate(([-np.inf], b[:-1])))]
    fu, r = u[front], d.reservations
    g = fu - r
    return [int(front[np.argmax(np.prod(g, 1))]), int(front[np.argmax(g.min(1))]),
            int(front[np.argmax(fu.sum(1))]), int(front[np.argmax((g / (fu.max(0) - r)).min(1))])]


def rows() -> Iterator[Row]:
    for parties in (2, 3):
        domain = with_interactions(random_domain(6, 10, parties))
        ours, theirs = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            sketch(domain)
            theirs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            res = analyze_domain(domain, method="enumerate")
            ours.append(time.perf_counter() - t0)
        tracemalloc.start()
        analyze_domain(domain, method="enumerate")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        target = 1 / 1.5 if parties == 2 else 1 / 3
        ratio = min(theirs) / min(ours)
        verdict = (f"target ratio ≥ {target:.2f} met" if ratio >= target else
                   f"target ratio ≥ {target:.2f} MISSED by {target / ratio:.2f}×: the chunks, "
                   "limits, ZOPA counts and exact ties the sketch skips")
        yield Row(f"enumerate + frontier + 4 solutions, {parties} parties",
                  f"{domain.n_outcomes:,} outcomes", min(ours), "numpy sketch", min(theirs),
                  peak, f"interactions; frontier {len(res.pareto):,}; {verdict}")


if __name__ == "__main__":
    print_table(rows())
