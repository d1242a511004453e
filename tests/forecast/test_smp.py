"""KTAB Spatial Model of Politics: KTAB's reference run on dummyData_3Dim, to printed precision."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pactlab.forecast import Stakeholders, forecast_smp, read_ktab_xml
from pactlab.forecast.result import Cycle
from pactlab.forecast.smp import _State, bs_util, coalition_pce, risk_attitudes, weighted_distance

from .conftest import DATA, examples

REF = (DATA / "ref_20170530_dummyData_3Dim_tail.txt").read_text()


def _ref_positions() -> np.ndarray:
    """[state, actor, dimension] on KTAB's 0-100 scale, as printed (one decimal)."""
    rows = re.findall(r"^SActor-(\d\d), Pstn(\d):\s+(.*)$", REF, flags=re.M)
    out = np.zeros((11, 7, 3))
    for a, d, vals in rows:
        out[:, int(a), int(d) - 1] = [float(v) for v in vals.split()]
    return out


def _ref_probs() -> np.ndarray:
    rows = re.findall(r"^SActor-(\d\d), prob :\s+(.*)$", REF, flags=re.M)
    out = np.zeros((11, 7))
    for a, vals in rows:
        out[:, int(a)] = [float(v) for v in vals.split()]
    return out


@pytest.fixture(scope="module")
def run(ktab3: Stakeholders):
    return forecast_smp(ktab3)


def test_iteration_count_and_stopping_ratio(run):
    assert "There were 11 states, with 10 steps between them" in REF
    assert run.detail.iterations == 10 and run.path.shape == (11, 7, 3)
    assert run.detail.converged is True
    assert f"{run.detail.final_change_ratio:.4f}" == "0.0045"


def test_every_position_of_every_state(run):
    ref = _ref_positions()
    got = np.array([[[f"{x:5.1f}" for x in row] for row in state] for state in run.path])
    want = np.array([[[f"{x:5.1f}" for x in row] for row in state] for state in ref])
    assert (got == want).all(), np.argwhere(got != want)[:5]


def test_win_probabilities_of_every_state(run):
    ref = _ref_probs()
    got = np.array([[float(f"{p:.4f}") for p in ps] for ps in run.detail.win_probability])
    np.testing.assert_array_equal(got, ref)


def test_turn0_risk_attitudes_and_best_challenges(run, ktab3):
    m = re.search(r"inferred risk attitudes (.*?);", REF)
    want = [float(v) for v in m.group(1).split()]
    got = [float(f"{r:+.3f}") for r in run.detail.risk_attitudes[0]]
    assert got == want
    pairs = re.findall(r"(\d)>(\d) (0\.\d{4}) ([+-]0\.\d{4})", REF)
    assert len(pairs) == 7
    best = run.detail.best_challenge[0]
    for i, j, p, g in pairs:
        b = best[int(i)]
        assert b["target"] == ktab3.actors[int(j)]
        assert f"{b['prob']:.4f}" == p and f"{b['gain']:+.4f}" == g


def test_turn0_risk_neutral_values():
    # first row of KTAB's "Raw actor-pos value matrix (risk neutral)"
    sh = read_ktab_xml(DATA / "dummyData_3Dim.xml")
    st = _State(sh.position / 100.0, sh.salience, sh.capability)
    row0 = [float(f"{u:+.3f}") for u in (1.0 - st.d[0])]
    assert row0 == [1.0, 0.903, 0.639, 0.87, 0.929, 0.882, 0.89]


def test_xml_gives_the_same_run(run):
    other = forecast_smp(read_ktab_xml(DATA / "dummyData_3Dim.xml"))
    np.testing.assert_array_equal(other.path, run.path)


def test_building_blocks():
    assert bs_util(np.array([0.0, 1.0, 0.5]), np.array([0.3, 0.3, 0.0])).tolist() == [1, 0, 0.5]
    r = risk_attitudes(np.array([0.1, 0.2, 0.7]))
    assert r[2] == pytest.approx(1.0) and r[0] == pytest.approx(-0.5)
    p = coalition_pce(np.array([1.0, 1.0, 1.0]), np.eye(3))
    np.testing.assert_allclose(p, [1 / 3] * 3)


def test_max_iter_caps_the_run(ktab3):
    res = forecast_smp(ktab3, max_iter=3)
    assert res.rounds == 3 and res.detail.converged is False


def test_positions_stay_in_range(run):
    assert run.path.min() >= 0.0 and run.path.max() <= 100.0


def _with_params(tmp_path, **changes):
    from pactlab.forecast.smp import KTAB_DEFAULTS

    params = {**KTAB_DEFAULTS, **changes}
    block = "<ModelParameters>" + "".join(f"<{k}>{v}</{k}>" for k, v in params.items()) + \
        "</ModelParameters>"
    text = (DATA / "dummyData_3Dim.xml").read_text().replace("<Dimensions>",
                                                             block + "<Dimensions>", 1)
    p = tmp_path / "p.xml"
    p.write_text(text)
    return read_ktab_xml(p)


def test_xml_model_parameters(tmp_path, run):
    from pactlab.forecast import StakeholderError

    np.testing.assert_array_equal(forecast_smp(_with_params(tmp_path)).path, run.path)
    with pytest.raises(StakeholderError, match=r"VictoryProbModel = Square"):
        forecast_smp(_with_params(tmp_path, VictoryProbModel="Square"))


def test_hundred_actors_run_and_stay_in_range():
    """A 100-actor, 3-dimension run works end to end (its speed is measured in bench/)."""
    rng = np.random.default_rng(3)
    n, d = 100, 3
    sal = rng.uniform(0.1, 1.0, (n, d))
    sal = sal / sal.sum(axis=1, keepdims=True) * 0.9
    sh = Stakeholders.build([f"a{k}" for k in range(n)], rng.uniform(10, 200, n),
                            rng.uniform(0, 100, (n, d)).tolist(), sal.tolist(),
                            [f"d{k}" for k in range(d)])
    from pactlab.forecast import forecast_eu

    smp = forecast_smp(sh, max_iter=5, min_delta_ratio=0.0)
    bdm = forecast_eu(sh, rounds=5)
    for res in (smp, bdm):
        assert res.path.shape[1:] == (n, d)
        assert np.all((res.path >= 0) & (res.path <= 100))


def test_relabelling_actors_does_not_move_the_forecast():
    """A draw on which grouping near-equal positions by "first actor of the class" made the
    forecast depend on the actors' order (32.59 against 34.14 after 5 steps)."""
    from .test_properties import _permute, _table

    sh = _table(9349, 9, 1)
    perm = np.random.default_rng(1).permutation(sh.n_actors)
    a, b = forecast_smp(sh, max_iter=5), forecast_smp(_permute(sh, perm), max_iter=5)
    np.testing.assert_allclose(b.path, a.path[:, perm, :], rtol=0, atol=1e-12)
    np.testing.assert_allclose(b.forecast, a.forecast, rtol=0, atol=1e-9)


def test_a_run_that_cycles_stops_and_says_so():
    """Three actors whose bargains alternate between two states from step 33 on: without
    the check the run goes to its cap of 200 steps."""
    from .test_properties import _table

    res = forecast_smp(_table(8, 3, 1), max_iter=200)
    assert res.detail.cycle == Cycle(start=33, length=2)
    assert res.rounds == 35 and res.detail.converged is False
    np.testing.assert_array_equal(res.path[35], res.path[33])
    assert not np.array_equal(res.path[34], res.path[33])
    full = forecast_smp(_table(8, 3, 1), max_iter=60, stop_on_cycle=False)
    assert full.rounds == 60 and full.detail.cycle is None
    np.testing.assert_array_equal(full.path[59], full.path[35])


@settings(max_examples=examples(50), deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_weighted_distance_plane_by_plane_matches_the_3d_formula(n, m, d, seed):
    """Distances are summed one dimension at a time; the (n, m, d) formula is the oracle
    (bit-identical below 8 dimensions, where numpy sums a short axis in order)."""
    rng = np.random.default_rng(seed)
    a, b, sal = rng.random((n, d)), rng.random((m, d)), rng.random((n, d))
    diff = (a[:, None, :] - b[None, :, :]) * sal[:, None, :]
    want = np.sqrt((diff * diff).sum(axis=2) / np.maximum((sal * sal).sum(axis=1), 1e-300)[:, None])
    got = weighted_distance(a, b, sal)
    if d < 8:
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)
