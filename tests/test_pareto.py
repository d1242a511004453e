"""Pareto frontiers against the O(n²) definition."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pactlab.kernel.bargaining import SKYLINE_BLOCK, pareto_mask, pareto_mask_bruteforce


def utility_arrays(k_min: int, k_max: int):
    # few distinct values so that ties and duplicates are common
    return st.integers(k_min, k_max).flatmap(
        lambda k: arrays(np.float64, st.tuples(st.integers(0, 60), st.just(k)),
                         elements=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]))
    )


@given(utility_arrays(2, 2))
def test_two_party_sweep_matches_definition(u):
    assert np.array_equal(pareto_mask(u), pareto_mask_bruteforce(u))


@given(utility_arrays(3, 5))
def test_skyline_matches_definition(u):
    assert np.array_equal(pareto_mask(u), pareto_mask_bruteforce(u))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(3, 4))
def test_skyline_across_blocks(seed, k):
    rng = np.random.default_rng(seed)
    u = np.round(rng.random((3 * SKYLINE_BLOCK + 17, k)), 2)
    assert np.array_equal(pareto_mask(u), pareto_mask_bruteforce(u))


def test_known_two_party_frontier():
    u = np.array([[1, 0], [0.5, 0.5], [0.4, 0.4], [0, 1], [0.5, 0.5], [0.5, 0.2]])
    assert pareto_mask(u).tolist() == [True, True, False, True, True, False]


def test_single_party_keeps_all_maxima():
    assert pareto_mask(np.array([[0.2], [0.7], [0.7]])).tolist() == [False, True, True]


def test_empty_input():
    assert pareto_mask(np.empty((0, 3))).shape == (0,)
