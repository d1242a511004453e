"""BDM expected-utility model: the Scholz, Calbert & Smith (2011) replication, asserted."""

from __future__ import annotations

import numpy as np
import pytest

from pactlab.forecast import condorcet_winner, forecast_eu, weighted_mean
from pactlab.forecast.bdm import bdm_round, risk_exponents, win_probability

ROUND1_RISK = [1.405653, 0.754196, 0.508864, 1.405653, 1.046524, 1.046524, 1.964898, 0.5, 2.0,
               1.112125]
MEANS = [7.461314378, 7.552500866, 7.590144997, 7.358130531, 7.349173990, 7.414877545,
         7.510457184, 7.572447098, 7.324989066, 7.242130958]


def test_initial_mean_and_condorcet_median(eu):
    assert eu.dimensions[0].width == 6.0  # Δ = 6
    assert weighted_mean(eu)[0] == pytest.approx(7.389955686853767, abs=1e-12)
    pos, is_condorcet, _ = condorcet_winner(eu)
    assert is_condorcet and pos[0] == 7.0


def test_round_one_moves(eu):
    res = forecast_eu(eu, rounds=1)
    x1 = dict(zip(eu.actors, res.path[1, :, 0], strict=True))
    assert x1["Belgium"] == pytest.approx(8.415932315426764, abs=1e-9)
    assert x1["Luxembourg"] == 7.0
    assert x1["Ireland"] == 4.0
    moved = {m.actor: (m.kind, m.counterpart) for m in res.moves}
    assert moved == {"Belgium": ("compromise", "France"),
                     "Luxembourg": ("confrontation", "Belgium"),
                     "Ireland": ("confrontation", "Luxembourg")}
    # nobody else moves in round 1
    others = [a for a in eu.actors if a not in moved]
    for a in others:
        k = eu.actors.index(a)
        assert res.path[1, k, 0] == res.path[0, k, 0]


def test_round_one_risk_exponents(eu):
    r = risk_exponents(eu.position[:, 0], eu.capability, eu.salience[:, 0], 6.0, 1.0, "scholz")
    np.testing.assert_allclose(r, ROUND1_RISK, atol=1e-6)
    res = forecast_eu(eu, rounds=1)
    np.testing.assert_allclose(res.detail.risk_exponents[0][0], ROUND1_RISK, atol=1e-6)


def test_weighted_means_rounds_1_to_10(eu):
    res = forecast_eu(eu, rounds=10)
    means = [m[0] for m in res.detail.weighted_mean]
    assert means[0] == pytest.approx(7.389955686853767, abs=1e-9)
    np.testing.assert_allclose(means[1:], MEANS, atol=1e-6)
    assert res.rounds == 10
    assert res.path.shape == (11, 10, 1)


def test_scholz_quirk_round4_belgium_swings_to_netherlands(eu):
    res = forecast_eu(eu, rounds=4)
    m = next(m for m in res.moves if m.round == 4 and m.actor == "Belgium")
    assert (m.kind, m.counterpart) == ("compromise", "Netherlands")
    assert m.after == pytest.approx(4.800881140632622, abs=1e-9)


def test_scholz_probabilities_are_tiny_clean_ones_sum_to_one(eu):
    x, w = eu.position[:, 0], eu.weights()[:, 0]
    r = np.ones(x.size)
    p_s = win_probability(x, w, r, 6.0, "scholz")
    p_c = win_probability(x, w, r, 6.0, "clean")
    assert p_s.max() < 0.2
    differ = x[:, None] != x[None, :]
    np.testing.assert_allclose((p_c + p_c.T)[differ], 1.0)


def test_clean_mode_runs_and_differs(eu):
    scholz = forecast_eu(eu, rounds=10, mode="scholz")
    clean = forecast_eu(eu, rounds=10, mode="clean")
    assert clean.detail.mode == "clean"
    assert not np.allclose(scholz.path, clean.path)
    assert np.all((clean.path >= 4.0) & (clean.path <= 10.0))


def test_positions_stay_inside_the_hull(eu):
    res = forecast_eu(eu, rounds=25)
    assert res.path.min() >= 4.0 and res.path.max() <= 10.0


def test_convergence_rule_stops_when_nobody_moves():
    from pactlab.forecast import Stakeholders

    sh = Stakeholders.build(["a", "b", "c"], [1, 1, 1], [[1.0], [1.0], [1.0]],
                            [[0.5], [0.5], [0.5]], ["x"])
    res = forecast_eu(sh, rounds=50, tol=1e-9)
    assert res.rounds == 1


def test_dimensions_run_independently(ktab3):
    res = forecast_eu(ktab3, rounds=5)
    for d in range(ktab3.n_dimensions):
        one = forecast_eu(ktab3.subset_dimension(d), rounds=5)
        np.testing.assert_array_equal(res.path[:, :, d], one.path[:, :, 0])


def test_round_function_is_pure(eu):
    x = eu.position[:, 0].copy()
    bdm_round(x, eu.capability, eu.salience[:, 0], 6.0)
    np.testing.assert_array_equal(x, eu.position[:, 0])


def test_detail_is_typed_and_its_json_names_the_offers(eu):
    res = forecast_eu(eu, rounds=2)
    assert res.detail.risk_exponents.shape == (2, 1, 10)
    assert res.detail.weighted_median.shape == (3, 1)
    out = res.to_dict()["detail"]
    assert list(out) == ["mode", "q", "delta", "weighted_mean", "weighted_median",
                         "risk_exponents", "offers"]
    k = eu.actors.index("Belgium")
    assert out["offers"][0][0][k] == "compromise"
    assert out["offers"][0][0][eu.actors.index("Netherlands")] == ""
