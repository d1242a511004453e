"""Baselines: reference values and invariants (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.forecast import (
    Stakeholders,
    condorcet_winner,
    forecast_condorcet,
    forecast_mean,
    forecast_median,
    weighted_mean,
    weighted_median,
)


@st.composite
def tables(draw, max_actors: int = 12, max_dims: int = 3) -> Stakeholders:
    n = draw(st.integers(2, max_actors))
    nd = draw(st.integers(1, max_dims))
    num = st.floats(0, 100, allow_nan=False, allow_infinity=False)
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
    assert res.forecast[0] == 7.0 and res.detail["condorcet"] is True


@settings(max_examples=60, deadline=None)
@given(tables())
def test_mean_and_median_lie_within_the_positions(sh):
    lo, hi = sh.position.min(axis=0), sh.position.max(axis=0)
    for f in (weighted_mean(sh), weighted_median(sh), condorcet_winner(sh)[0]):
        assert np.all(f >= lo - 1e-9) and np.all(f <= hi + 1e-9)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_median_splits_the_weight(sh):
    med = weighted_median(sh)
    w = sh.weights()
    for d in range(sh.n_dimensions):
        x, tot = sh.position[:, d], w[:, d].sum()
        assert med[d] in x
        assert w[x < med[d], d].sum() <= tot / 2 + 1e-9
        assert w[x > med[d], d].sum() <= tot / 2 + 1e-9


@settings(max_examples=60, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_permutation_invariance(sh, rnd):
    perm = np.array(rnd.sample(range(sh.n_actors), sh.n_actors))
    other = _permuted(sh, perm)
    np.testing.assert_allclose(weighted_mean(other), weighted_mean(sh), rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(weighted_median(other), weighted_median(sh))
    # the Condorcet winner's position is unique up to ties of total loss
    a, b = condorcet_winner(sh)[0], condorcet_winner(other)[0]
    from pactlab.forecast.baselines import pairwise_votes

    net = pairwise_votes(sh)
    if not np.array_equal(a, b):  # only possible when both tie exactly
        ka = int(np.flatnonzero((sh.position == a).all(axis=1))[0])
        kb = int(np.flatnonzero((sh.position == b).all(axis=1))[0])
        assert abs(net[ka, kb]) <= 1e-9 * max(1.0, np.abs(net).max())


@settings(max_examples=40, deadline=None)
@given(tables(), st.floats(0.1, 10))
def test_scaling_capabilities_changes_nothing(sh, k):
    scaled = sh.with_values(capability=sh.capability * k)
    np.testing.assert_allclose(weighted_mean(scaled), weighted_mean(sh), rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(weighted_median(scaled), weighted_median(sh))


@settings(max_examples=40, deadline=None)
@given(tables(), st.floats(-50, 50), st.floats(0.5, 3))
def test_mean_is_affine_equivariant(sh, shift, scale):
    moved = Stakeholders.build(list(sh.actors), sh.capability,
                               (sh.position * scale + shift).tolist(), sh.salience.tolist(),
                               sh.dimension_ids)
    np.testing.assert_allclose(weighted_mean(moved), weighted_mean(sh) * scale + shift,
                               rtol=1e-9, atol=1e-7)
    np.testing.assert_allclose(weighted_median(moved), weighted_median(sh) * scale + shift,
                               rtol=1e-9, atol=1e-7)


def test_sensitivity_ranks_the_decisive_actor_first():
    from pactlab.forecast import sensitivity

    # a heavy actor far away moves the weighted mean most when its capability rises
    sh = Stakeholders.build(["a", "b", "c"], [1, 1, 8], [[0.0], [1.0], [10.0]],
                            [[0.5], [0.5], [0.5]], ["x"])
    rows = sensitivity(sh, forecast_mean)
    assert (rows[0].actor, rows[0].parameter) in {("c", "capability"), ("c", "salience.x")}
    assert rows[0].shift > 0 and rows[-1].shift >= 0
    assert [r.shift for r in rows] == sorted((r.shift for r in rows), reverse=True)
