"""Baselines: reference values and invariants (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.forecast import (
    Dimension,
    Stakeholders,
    condorcet_winner,
    forecast_condorcet,
    forecast_mean,
    forecast_median,
    weighted_mean,
    weighted_median,
)
from pactlab.forecast.baselines import copeland_scores, pairwise_votes

from .conftest import examples


@st.composite
def tables(draw, max_actors: int = 12, max_dims: int = 3, grid: bool = False
           ) -> Stakeholders:
    """Random tables; `grid` puts positions on a 10⁻⁴ grid (no gaps of 10⁻³⁰⁰, whose squares
    underflow and make a voter indifferent)."""
    n = draw(st.integers(2, max_actors))
    nd = draw(st.integers(1, max_dims))
    num = (st.integers(0, 10**6).map(lambda v: v / 10**4) if grid
           else st.floats(0, 100, allow_nan=False, allow_infinity=False))
    cap = draw(st.lists(st.floats(0.01, 10), min_size=n, max_size=n))
    pos = [draw(st.lists(num, min_size=nd, max_size=nd)) for _ in range(n)]
    sal = [draw(st.lists(st.floats(0.01, 1), min_size=nd, max_size=nd)) for _ in range(n)]
    return Stakeholders.build([f"a{k}" for k in range(n)], cap, pos, sal,
                              [f"d{d}" for d in range(nd)])


def _permuted(sh: Stakeholders, perm: np.ndarray) -> Stakeholders:
    return Stakeholders.build([sh.actors[k] for k in perm], sh.capability[perm],
                              sh.position[perm].tolist(), sh.salience[perm].tolist(),
                              list(sh.dimensions))


def test_eu_baselines(eu):
    assert abs(forecast_mean(eu).forecast[0] - 7.389955686853767) < 1e-12
    assert forecast_median(eu).forecast[0] == 7.0
    res = forecast_condorcet(eu)
    assert res.forecast[0] == 7.0 and res.detail.condorcet is True


@settings(max_examples=examples(60), deadline=None)
@given(tables())
def test_mean_and_median_lie_within_the_positions(sh):
    lo, hi = sh.position.min(axis=0), sh.position.max(axis=0)
    for f in (weighted_mean(sh), weighted_median(sh), condorcet_winner(sh)[0]):
        assert np.all(f >= lo - 1e-9) and np.all(f <= hi + 1e-9)


@settings(max_examples=examples(60), deadline=None)
@given(tables())
def test_median_splits_the_weight(sh):
    med = weighted_median(sh)
    w = sh.weights()
    for d in range(sh.n_dimensions):
        x, tot = sh.position[:, d], w[:, d].sum()
        assert med[d] in x
        assert w[x < med[d], d].sum() <= tot / 2 + 1e-9
        assert w[x > med[d], d].sum() <= tot / 2 + 1e-9


@settings(max_examples=examples(60), deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_permutation_invariance(sh, rnd):
    perm = np.array(rnd.sample(range(sh.n_actors), sh.n_actors))
    other = _permuted(sh, perm)
    np.testing.assert_allclose(weighted_mean(other), weighted_mean(sh), rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(weighted_median(other), weighted_median(sh))
    # the winner's position is unique up to ties (Condorcet) or equal scores (Copeland)
    (a, ok_a, ka), (b, ok_b, kb) = condorcet_winner(sh), condorcet_winner(other)
    assert ok_a == ok_b
    if not np.array_equal(a, b):
        net = pairwise_votes(sh)
        kb = int(perm[kb])
        if ok_a:
            assert abs(net[ka, kb]) <= 1e-9 * max(1.0, np.abs(net).max())
        else:
            assert copeland_scores(net)[ka] == copeland_scores(net)[kb]


@settings(max_examples=examples(40), deadline=None)
@given(tables(), st.floats(0.1, 10))
def test_scaling_capabilities_changes_nothing(sh, k):
    scaled = sh.with_values(capability=sh.capability * k)
    np.testing.assert_allclose(weighted_mean(scaled), weighted_mean(sh), rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(weighted_median(scaled), weighted_median(sh))


@settings(max_examples=examples(40), deadline=None)
@given(tables(), st.floats(-50, 50), st.floats(0.5, 3))
def test_mean_is_affine_equivariant(sh, shift, scale):
    moved = Stakeholders.build(list(sh.actors), sh.capability,
                               (sh.position * scale + shift).tolist(), sh.salience.tolist(),
                               sh.dimension_ids)
    np.testing.assert_allclose(weighted_mean(moved), weighted_mean(sh) * scale + shift,
                               rtol=1e-9, atol=1e-7)
    np.testing.assert_allclose(weighted_median(moved), weighted_median(sh) * scale + shift,
                               rtol=1e-9, atol=1e-7)


@st.composite
def small_tables(draw, max_dims: int = 3) -> Stakeholders:
    """Few actors on a coarse grid, so that distance ties and majority cycles both occur."""
    n = draw(st.integers(2, 6))
    nd = draw(st.integers(1, max_dims))
    cap = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    pos = [draw(st.lists(st.integers(0, 4), min_size=nd, max_size=nd)) for _ in range(n)]
    sal = [draw(st.lists(st.sampled_from([0.25, 0.5, 1.0]), min_size=nd, max_size=nd))
           for _ in range(n)]
    dims = [Dimension(f"d{d}", low=0, high=4) for d in range(nd)]
    return Stakeholders.build([f"a{k}" for k in range(n)], cap, pos, sal, dims)


def brute_force_net(sh: Stakeholders) -> list[list[float]]:
    """net[a][b] by counting each voter's preference between a and b, one by one."""
    n, nd = sh.n_actors, sh.n_dimensions

    def dist(k: int, a: int) -> float:
        return sum(((sh.position[k, d] - sh.position[a, d]) / sh.dimensions[d].width
                    * sh.salience[k, d]) ** 2 for d in range(nd))

    net = [[0.0] * n for _ in range(n)]
    for a in range(n):
        for b in range(n):
            for k in range(n):
                weight = sh.capability[k] * sh.salience[k].sum()
                da, db = dist(k, a), dist(k, b)
                if abs(da - db) > 1e-9:
                    net[a][b] += weight if da < db else -weight
    return net


@settings(max_examples=examples(150), deadline=None)
@given(small_tables())
def test_condorcet_matches_brute_force_pairwise_votes(sh):
    net = np.array(brute_force_net(sh))
    np.testing.assert_allclose(pairwise_votes(sh), net, atol=1e-9)
    unbeaten = [a for a in range(sh.n_actors) if all(net[a] >= -1e-9)]
    pos, ok, k = condorcet_winner(sh)
    assert ok == bool(unbeaten)
    assert np.array_equal(pos, sh.position[k])
    if ok:
        assert k in unbeaten
    else:
        score = copeland_scores(net, 1e-9)
        assert score[k] == score.max()


@settings(max_examples=examples(100), deadline=None)
@given(tables(max_dims=1, grid=True))
def test_condorcet_winner_in_one_dimension_is_the_weighted_median(sh):
    _, ok, _ = condorcet_winner(sh)
    net = pairwise_votes(sh)
    m = int(np.flatnonzero(sh.position[:, 0] == weighted_median(sh)[0])[0])
    assert ok and np.all(net[m] >= -1e-9 * max(1.0, np.abs(net).max()))


def test_cyclic_majorities_have_no_condorcet_winner():
    """Five equal actors in 2-D: a0 beats a4, a4 beats a3, a3 beats a0 (each 3 votes to 2)."""
    dims = [Dimension("x", low=0, high=10), Dimension("y", low=0, high=10)]
    pos = [[5, 2], [2, 9], [6, 1], [9, 10], [10, 6]]
    sh = Stakeholders.build([f"a{k}" for k in range(5)], [1] * 5, pos, [[1, 1]] * 5, dims)
    net = np.array(brute_force_net(sh))
    assert net[0, 4] > 0 and net[4, 3] > 0 and net[3, 0] > 0
    assert all((net[a] < 0).any() for a in range(5))  # everyone is beaten by someone
    res = forecast_condorcet(sh)
    assert res.detail.condorcet is False and "copeland" in res.detail.fallback
    assert res.detail.winner == "a0" and res.forecast.tolist() == [5.0, 2.0]


@settings(max_examples=examples(40), deadline=None)
@given(tables(max_actors=30, grid=True), st.integers(1, 60))
def test_pairwise_votes_in_row_blocks_of_any_size_are_identical(sh, block):
    """Candidates are streamed in blocks of ROW_FLOATS floats; blocks of one row or a few
    must give bit-identical votes (each pair still adds its voters in the same order)."""
    from pactlab.forecast import baselines

    whole = pairwise_votes(sh)
    saved = baselines.ROW_FLOATS
    baselines.ROW_FLOATS = block
    try:
        rows = pairwise_votes(sh)
    finally:
        baselines.ROW_FLOATS = saved
    np.testing.assert_array_equal(rows, whole)
