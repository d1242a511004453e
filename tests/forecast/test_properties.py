"""Invariants of the dynamic models (hypothesis): relabelling actors changes nothing,
positions never leave the range of the inputs, probabilities are probabilities."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.forecast import Stakeholders, forecast_eu, forecast_smp

from .conftest import examples


def _table(seed: int, n: int, d: int) -> Stakeholders:
    # continuous random inputs: exact ties (which models break by actor order) have
    # probability zero, so relabelling must not change anything
    rng = np.random.default_rng(seed)
    sal = rng.uniform(0.05, 1.0, (n, d))
    sal = sal / sal.sum(axis=1, keepdims=True) * rng.uniform(0.5, 1.0, (n, 1))
    return Stakeholders.build([f"a{k}" for k in range(n)], rng.uniform(1, 100, n),
                              rng.uniform(0, 100, (n, d)).tolist(), sal.tolist(),
                              [f"d{k}" for k in range(d)])


def _permute(sh: Stakeholders, perm: np.ndarray) -> Stakeholders:
    return Stakeholders.build([sh.actors[k] for k in perm], sh.capability[perm],
                              sh.position[perm].tolist(), sh.salience[perm].tolist(),
                              list(sh.dimensions))


tables = st.builds(_table, st.integers(0, 2**32 - 1), st.integers(3, 9), st.integers(1, 3))


@settings(max_examples=examples(25), deadline=None)
@given(tables, st.sampled_from(["scholz", "clean"]), st.integers(0, 2**32 - 1))
def test_bdm_relabelling_and_hull(sh, mode, seed):
    res = forecast_eu(sh, rounds=6, mode=mode)
    lo, hi = sh.position.min(axis=0), sh.position.max(axis=0)
    assert np.all(res.path >= lo - 1e-9) and np.all(res.path <= hi + 1e-9)
    perm = np.random.default_rng(seed).permutation(sh.n_actors)
    other = forecast_eu(_permute(sh, perm), rounds=6, mode=mode)
    np.testing.assert_allclose(other.path, res.path[:, perm, :], rtol=0, atol=1e-9)
    np.testing.assert_allclose(other.forecast, res.forecast, atol=1e-9)
    for r in res.detail.risk_exponents:
        assert np.all((np.array(r) >= 0.5 - 1e-12) & (np.array(r) <= 2.0 + 1e-12))


@settings(max_examples=examples(20), deadline=None)
@given(tables, st.integers(0, 2**32 - 1))
def test_smp_relabelling_and_bounds(sh, seed):
    res = forecast_smp(sh, max_iter=5)
    lo, hi = sh.position.min(axis=0), sh.position.max(axis=0)
    # bargains are convex combinations, rounded to 1e-4 of the range
    assert np.all(res.path >= lo - 0.01) and np.all(res.path <= hi + 0.01)
    for r in res.detail.risk_attitudes:
        assert np.all((r >= -0.5 - 1e-9) & (r <= 1.0 + 1e-9))
    for p in res.detail.win_probability:
        assert np.all((p >= 0) & (p <= 1 + 1e-12))
    perm = np.random.default_rng(seed).permutation(sh.n_actors)
    other = forecast_smp(_permute(sh, perm), max_iter=5)
    np.testing.assert_allclose(other.path, res.path[:, perm, :], rtol=0, atol=1e-9)
    # positions within KTAB's tolerance (1e-3 of the range) count as one outcome, grouped
    # and represented whatever the actors' order
    np.testing.assert_allclose(other.forecast, res.forecast, rtol=0, atol=1e-9)


@settings(max_examples=examples(20), deadline=None)
@given(tables, st.floats(0.1, 10))
def test_bdm_ignores_the_capability_scale(sh, k):
    a = forecast_eu(sh, rounds=4)
    b = forecast_eu(sh.with_values(capability=sh.capability * k), rounds=4)
    np.testing.assert_allclose(a.path, b.path, atol=1e-9)
