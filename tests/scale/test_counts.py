"""Exact ZOPA counts without enumeration (meet in the middle) against a brute-force oracle.

The oracle is the definition, in plain Python: every outcome, its utilities summed
issue by issue from 0 (as `Domain.utilities_of_rows` sums them), capped, and the
rationality test u ≥ r − 1e-9·max(1, |r|). Values on a coarse decimal grid make
many utilities equal in real arithmetic but not in floating point (0.1 + 0.2 is
not 0.3), which is where a split sum a + b could disagree with the issue-by-issue
sum; the counts and lowest utilities must still agree exactly.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.analysis.counts import counts_problem, zopa_counts
from pactlab.analysis.wavelet import WaveletMatrix
from pactlab.model.domain import Domain, Interaction
from pactlab.model.synthetic import random_domain


def oracle(domain: Domain) -> tuple[int, list[float]]:
    """Rational outcomes and each party's lowest utility among them, by the definition."""
    k = domain.n_parties
    thr = [r - 1e-9 * max(1.0, abs(r)) for r in domain.reservations.tolist()]
    caps = [math.inf] * k if domain.caps is None else domain.caps.tolist()
    count, low = 0, [math.nan] * k
    for row in itertools.product(*(range(s) for s in domain.sizes)):
        if not all(domain.party_allowed[i][p, o] for i, o in enumerate(row) for p in range(k)):
            continue
        u = []
        for p in range(k):
            total = 0.0
            for i, o in enumerate(row):
                total += float(domain.values[i][p, o])
            u.append(min(caps[p], total))
        if all(x >= t for x, t in zip(u, thr, strict=True)):
            count += 1
            low = [x if math.isnan(m) else min(m, x) for m, x in zip(low, u, strict=True)]
    return count, low


@st.composite
def additive_domains(draw, parties: int = 2):
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=6))
    decimal = draw(st.booleans())
    weight = draw(st.sampled_from([1 / 3, 0.25, 0.1, 0.2, 1 / 7]))
    if decimal:  # real-arithmetic ties that floating point breaks
        value = st.integers(0, 10).map(lambda v: v / 10 * weight)
    else:
        value = st.floats(0, 0.4, allow_nan=False)
    values = tuple(np.array([[draw(value) for _ in range(n)] for _ in range(parties)])
                   for n in sizes)
    allowed = tuple(np.array([[draw(st.integers(0, 6)) > 0 for _ in range(n)]
                              for _ in range(parties)]) for n in sizes)
    r = np.array([draw(st.integers(0, 12)) / 10 * weight * len(sizes) / 2
                  for _ in range(parties)])
    caps = None
    if draw(st.booleans()):
        caps = np.array([draw(st.sampled_from([np.inf, 0.2, 0.5])) for _ in range(parties)])
    return Domain(
        issue_ids=tuple(f"i{i}" for i in range(len(sizes))),
        labels=tuple(tuple(f"o{j}" for j in range(n)) for n in sizes),
        party_ids=tuple(f"p{p}" for p in range(parties)),
        values=values,
        party_allowed=allowed,
        reservations=r,
        caps=caps,
    )


@settings(max_examples=300, deadline=None)
@given(additive_domains())
def test_counts_and_lowest_utilities_match_the_definition(domain):
    assert counts_problem(domain, 1 << 30) is None
    got = zopa_counts(domain)
    count, low = oracle(domain)
    assert got.individually_rational == count
    assert np.array_equal(got.lowest, np.array(low), equal_nan=True)  # bit for bit


def test_counts_match_enumeration_on_a_million_outcomes():
    domain = random_domain(6, 10, reservation=0.3)
    u = domain.utilities_of_rows(domain.decode(np.arange(domain.n_outcomes)))
    rational = (u >= 0.3 - 1e-9).all(axis=1)
    got = zopa_counts(domain)
    assert got.individually_rational == int(rational.sum())
    assert np.array_equal(got.lowest, u[rational].min(axis=0))


def test_what_is_not_counted_says_why():
    three = random_domain(3, 4, parties=3)
    assert "3 parties" in counts_problem(three, 1 << 30)
    two = random_domain(3, 4)
    linked = Domain(two.issue_ids, two.labels, two.party_ids, two.values, two.party_allowed,
                    two.reservations, interactions=(Interaction(0, 0.1, {0: np.ones(4, bool)}),))
    assert counts_problem(linked, 1 << 30) == "interactions couple issues"
    assert "over the memory budget" in counts_problem(random_domain(12, 10), 1 << 20)
    assert counts_problem(random_domain(12, 10), 1 << 30) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=60).map(lambda v: np.argsort(v)),
       st.data())
def test_wavelet_matrix_answers_like_sorting(values, data):
    tree = WaveletMatrix(values)
    n = len(values)
    e = np.array(data.draw(st.lists(st.integers(0, n), min_size=1, max_size=20)))
    t = np.array(data.draw(st.lists(st.integers(0, n), min_size=len(e), max_size=len(e))))
    expected = [int((values[:a] < b).sum()) for a, b in zip(e, t, strict=True)]
    assert tree.count_less(e, t).tolist() == expected
    e = np.maximum(e, 1)
    k = np.array([data.draw(st.integers(0, a - 1)) for a in e])
    expected = [int(np.sort(values[:a])[b]) for a, b in zip(e, k, strict=True)]
    assert tree.kth_smallest(e, k).tolist() == expected
