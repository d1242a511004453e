"""The streamed O(n²)-memory models agree with the direct O(n³) transcription (naive.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.forecast import Stakeholders, forecast_eu
from pactlab.forecast.baselines import pairwise_votes
from pactlab.forecast.bdm import risk_exponents, win_probability
from pactlab.forecast.smp import _State, coalition_pce

from . import naive
from .conftest import examples


@st.composite
def tables(draw, max_actors: int = 12, max_dims: int = 3) -> Stakeholders:
    """Random tables; positions often on a coarse grid, so exact ties and coincident
    positions (the edge cases of the sorted-voter sums) are common."""
    n = draw(st.integers(2, max_actors))
    nd = draw(st.integers(1, max_dims))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    grid = draw(st.booleans())
    pos = rng.integers(0, 5, (n, nd)) * 25.0 if grid else rng.uniform(0, 100, (n, nd))
    pos[0], pos[-1] = 0.0, 100.0
    sal = rng.uniform(0.05, 1.0, (n, nd))
    sal = sal / sal.sum(axis=1, keepdims=True) * rng.uniform(0.5, 1.0, (n, 1))
    return Stakeholders.build([f"a{k}" for k in range(n)], rng.uniform(1, 100, n),
                              pos.tolist(), sal.tolist(), [f"d{k}" for k in range(nd)])


@settings(max_examples=examples(60), deadline=None)
@given(tables(), st.sampled_from(["scholz", "clean"]), st.floats(0.5, 2.0))
def test_win_probabilities_and_risk_match_the_cubic_sums(sh, mode, r0):
    for d in range(sh.n_dimensions):
        x, w, width = sh.position[:, d], sh.weights()[:, d], sh.dimensions[d].width
        r = np.linspace(r0, 2.5 - r0, sh.n_actors)
        np.testing.assert_allclose(win_probability(x, w, r, width, mode),
                                   naive.win_probability(x, w, r, width, mode),
                                   rtol=1e-9, atol=1e-12)
        s = sh.salience[:, d]
        np.testing.assert_allclose(risk_exponents(x, sh.capability, s, width, 1.0, mode),
                                   naive.risk_exponents(x, sh.capability, s, width, 1.0, mode),
                                   rtol=1e-9, atol=1e-12)


@settings(max_examples=examples(40), deadline=None)
@given(tables(), st.sampled_from(["scholz", "clean"]))
def test_bdm_path_matches_the_cubic_rounds(sh, mode):
    np.testing.assert_allclose(forecast_eu(sh, 6, mode=mode).path,
                               naive.bdm_path(sh, 6, mode), rtol=0, atol=1e-9)


@settings(max_examples=examples(40), deadline=None)
@given(tables(max_actors=10))
def test_smp_challenges_and_pce_match_the_cubic_arrays(sh):
    x = (sh.position - sh.position.min(axis=0)) / 100.0
    sal = sh.salience / np.maximum(1.0, sh.salience.sum(axis=1))[:, None]
    state = _State(x, sal, sh.capability)
    p, gain = state.challenges()
    p0, gain0 = naive.challenges(state.d, state.risk, sal, sh.capability)
    off = ~np.eye(sh.n_actors, dtype=bool)  # nobody challenges itself
    np.testing.assert_allclose(p[off], p0[off], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gain, gain0, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(coalition_pce(sh.capability, state.own),
                               naive.coalition_pce(sh.capability, state.own), rtol=1e-9)


def test_pce_of_many_options_does_not_underflow():
    """600 options each beaten by most others: the product of 600 factors below 1 underflows
    to 0 in plain floating point; computed from logs the probabilities still sum to 1."""
    rng = np.random.default_rng(0)
    u = rng.uniform(0, 1, (50, 600))
    p = coalition_pce(rng.uniform(1, 2, 50), u)
    assert np.isfinite(p).all() and abs(p.sum() - 1) < 1e-12 and p.max() > 0


def test_condorcet_votes_for_many_actors_stream_in_bounded_memory():
    """The pairwise vote never holds the (voter, position, position) triples: 400 actors
    in 3 dimensions would need 400³·3·8 B ≈ 1.5 GB; streamed it needs a few MB."""
    import tracemalloc

    rng = np.random.default_rng(1)
    n = 400
    sh = Stakeholders.build([f"a{k}" for k in range(n)], rng.uniform(1, 10, n),
                            rng.uniform(0, 1, (n, 3)).tolist(),
                            rng.uniform(0, 0.3, (n, 3)).tolist(), ["x", "y", "z"])
    tracemalloc.start()
    net = pairwise_votes(sh)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 2**20
    np.testing.assert_allclose(net, -net.T)


@settings(max_examples=examples(30), deadline=None)
@given(tables(max_actors=30), st.sampled_from(["scholz", "clean"]), st.integers(1, 40))
def test_bdm_row_blocks_of_any_size_give_identical_rounds(sh, mode, block):
    """The actor-pair arrays are streamed in row blocks of BLOCK_FLOATS floats; blocks of a
    few floats (one row each, many per table) must give bit-identical paths and offers."""
    from pactlab.forecast import bdm

    whole = forecast_eu(sh, 5, mode=mode)
    saved = bdm.BLOCK_FLOATS
    bdm.BLOCK_FLOATS = block
    try:
        rows = forecast_eu(sh, 5, mode=mode)
    finally:
        bdm.BLOCK_FLOATS = saved
    np.testing.assert_array_equal(rows.path, whole.path)
    np.testing.assert_array_equal(rows.detail.offer_codes, whole.detail.offer_codes)
    assert rows.moves == whole.moves
