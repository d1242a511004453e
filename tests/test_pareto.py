"""Pareto frontiers against the O(n²) definition."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pactlab.kernel.bargaining import (
    SKYLINE_BLOCK,
    _block_skyline,
    pareto_distinct,
    pareto_mask,
    pareto_mask_bruteforce,
)


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


def _surface(n: int, seed: int) -> np.ndarray:
    """Three-party points near a plane, rounded: a large frontier with ties and copies."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 2))
    return np.round(np.column_stack([x, 1.5 - x.sum(axis=1) + 0.05 * rng.random(n)]), 2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_three_party_sweep_matches_the_block_skyline_on_a_large_frontier(seed):
    """The divide-and-conquer filter against the general block skyline (and, on a part
    small enough for it, the definition): thousands of frontier points, many of them
    tied in one party or copies of one another."""
    u = _surface(6000, seed)
    fast = pareto_mask(u)
    assert np.array_equal(fast, _block_skyline(u))
    assert 500 < fast.sum() < len(u)
    assert np.array_equal(pareto_mask(u[:800]), pareto_mask_bruteforce(u[:800]))


@given(utility_arrays(3, 4))
def test_distinct_frontier_keeps_the_first_row_of_each_vector(u):
    _, first = np.unique(u, axis=0, return_index=True)
    first = np.sort(first)
    expected = first[pareto_mask_bruteforce(u[first])]
    assert pareto_distinct(u).tolist() == expected.tolist()


@pytest.mark.parametrize("k", [3, 4])
def test_large_filters_report_progress_up_to_the_whole(k):
    rng = np.random.default_rng(k)
    u = np.round(rng.random((3 * SKYLINE_BLOCK, k)), 2)
    seen: list[tuple[int, int]] = []
    pareto_mask(u, lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))
