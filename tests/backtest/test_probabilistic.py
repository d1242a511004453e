"""Probabilistic scores: CRPS, coverage, log and Brier scores by hand and by brute force,
and the backtest's use of the sweep layer."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from pactlab.backtest import backtest
from pactlab.backtest.probabilistic import brier, covered, crps, log_score
from pactlab.cli import app
from pactlab.model import load_scenario
from pactlab.sweep import sweep

from .conftest import TOY
from .test_outcome_unread import _without_outcome

NOISE = "weights=0.3,reservations=0.05"


def test_crps_of_a_point_is_the_absolute_error():
    assert crps(np.array([3.0]), 5.0) == pytest.approx(2.0)
    assert crps(np.full(10, 3.0), 1.0) == pytest.approx(2.0)


def test_crps_by_hand():
    # samples {0, 1}, y = 0: E|X − y| = 0.5, E|X − X'| over all 4 pairs = 0.5 → 0.5 − 0.25
    assert crps(np.array([0.0, 1.0]), 0.0) == pytest.approx(0.25)


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=30), st.floats(-60, 60))
def test_crps_matches_the_double_sum(xs, y):
    x = np.array(xs)
    brute = np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert crps(x, y) == pytest.approx(brute, abs=1e-9)
    assert crps(x, y) >= -1e-12


def test_coverage_by_hand():
    x = np.arange(101, dtype=float)  # quantiles are exact: the 50% interval is [25, 75]
    assert covered(x, 50.0) == {"50": True, "80": True, "90": True}
    assert covered(x, 80.0) == {"50": False, "80": True, "90": True}
    assert covered(x, 94.0) == {"50": False, "80": False, "90": True}
    assert covered(x, 99.0) == {"50": False, "80": False, "90": False}
    assert covered(x, 200.0)["90"] is False  # outside the range: never covered


def test_log_score_is_jeffreys_smoothed():
    labels = np.array(["a"] * 3 + ["b"])
    assert log_score(labels, ["a", "b", "c"], "a") == pytest.approx(-np.log(3.5 / 5.5))
    assert log_score(labels, ["a", "b", "c"], "c") == pytest.approx(-np.log(0.5 / 5.5))


def test_brier():
    assert brier(0.8, True) == pytest.approx(0.04)
    assert brier(0.8, False) == pytest.approx(0.64)


def test_backtest_scores_the_sweep_distribution():
    res = backtest([TOY], noise=NOISE, samples=60, seed=3)
    (case,) = res.cases
    prob = case.probabilistic
    sw = sweep(TOY, "analyze", samples=60, seed=3, noise=NOISE, workers=1)
    assert prob["p_deal_possible"] == pytest.approx(sw.to_dict()["p_deal_possible"])
    assert prob["brier"] == pytest.approx((prob["p_deal_possible"] - 1.0) ** 2)
    price = sw.prediction("nash", 0)
    assert prob["methods"]["nash"]["issues"]["price"]["crps"] == pytest.approx(
        crps(price, 25.0) / 40.0)
    assert set(prob["methods"]["nash"]["issues"]) == {"price", "term", "scope"}
    assert res.summary_probabilistic["methods"]["nash"]["crps"] == pytest.approx(
        prob["methods"]["nash"]["crps"])
    # no uncertainty given and none in the file: no probabilistic scores
    assert backtest([TOY]).cases[0].probabilistic is None


def test_cli_noise_samples_seed(tmp_path):
    out = CliRunner().invoke(app, ["backtest", str(TOY), "--noise", "weights=0.3", "-n", "20",
                                   "--seed", "1", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["cases"][0]["probabilistic"]["samples"] == 20
    assert d["settings"]["noise"] == "weights=0.3"
    bad = CliRunner().invoke(app, ["backtest", str(TOY), "--noise", "wieghts=0.3"])
    assert bad.exit_code == 2 and "did you mean 'weights'" in bad.stderr


def test_sweeps_never_read_the_outcome(tmp_path):
    a = sweep(TOY, "analyze", samples=30, seed=2, noise=NOISE, workers=1).to_dict()
    b = sweep(_without_outcome(TOY, tmp_path), "analyze", samples=30, seed=2, noise=NOISE,
              workers=1).to_dict()
    for d in (a, b):
        d.pop("scenario"), d.pop("run_id")
    assert a == b and a["p_deal_possible"] is not None
    assert load_scenario(TOY).outcome is not None
