"""The backtest over cases: methods, pooling, the CLI and its bad input."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from pactlab.analysis.analyze import analyze
from pactlab.backtest import backtest, backtest_case
from pactlab.backtest.methods import (
    NEGOTIATION_SEEDS,
    forecast_predictions,
    load_case_stakeholders,
    negotiation_prediction,
    solution_predictions,
    strategy_profiles,
)
from pactlab.backtest.results import pool
from pactlab.cli import app
from pactlab.forecast import run_forecast
from pactlab.model import load_scenario, parse_scenario
from pactlab.negotiation import run_session

from .conftest import CASES, TOY

runner = CliRunner()


@pytest.fixture(scope="module")
def toy():
    return load_scenario(TOY)


@pytest.fixture(scope="module")
def toy_result(toy):
    return backtest_case(toy)


def test_solutions_are_the_analysis_solutions(toy, toy_result):
    res = analyze(toy)
    for name in ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian"):
        assert toy_result.methods[name].predicted == res.solutions[name].outcome
        assert toy_result.methods[name].predicted_agreement is True


def test_no_rational_outcome_predicts_no_deal_at_the_status_quo(toy_data):
    for party in toy_data["parties"]:
        party["reservation"] = 0.99
    sc = parse_scenario(toy_data)
    preds = solution_predictions(sc)
    assert all(p.agreement is False for p in preds.values())
    assert all(p.outcome == {"price": 10.0, "term": 1.0, "scope": "narrow"}
               for p in preds.values())
    assert backtest_case(sc).deal_possible is False


def test_negotiation_is_the_median_of_the_documented_sessions(toy):
    profiles = strategy_profiles(toy.party_ids)
    assert len(profiles) == 9  # 3 strategies, 2 parties
    sessions = [run_session(toy, p, seed=s, trace=False) for p in profiles
                for s in NEGOTIATION_SEEDS]
    prices = [s.outcome["price"] if s.agreement else 10.0 for s in sessions]
    pred = negotiation_prediction(toy)
    assert pred.outcome["price"] == pytest.approx(float(np.median(prices)))
    assert pred.agreement == (2 * sum(s.agreement for s in sessions) >= len(sessions))


def test_many_parties_play_one_strategy_each_profile():
    assert len(strategy_profiles(["a", "b", "c"])) == 27
    assert len(strategy_profiles(list("abcde"))) == 3


def test_forecasts_map_dimensions_onto_issues(toy):
    sh = load_case_stakeholders(toy)
    assert sh is not None
    preds = forecast_predictions(toy, sh, ("mean",))
    raw = run_forecast(sh, "mean").forecast
    assert preds["mean"].outcome["price"] == pytest.approx(raw[0])
    # the categorical scope takes the option whose mapped number is nearest
    nearest = ["narrow", "medium", "wide"][int(np.argmin(np.abs(np.array([0, 1, 2]) - raw[1])))]
    assert preds["mean"].outcome["scope"] == nearest
    assert "term" not in preds["mean"].outcome  # no dimension stands for it
    assert preds["mean"].agreement is None


def test_every_method_and_baseline_is_scored(toy_result):
    assert set(toy_result.methods) == {
        "nash", "kalai_smorodinsky", "utilitarian", "egalitarian", "negotiation",
        "bdm", "smp", "mean", "median", "condorcet", "status_quo", "split"}
    assert toy_result.methods["status_quo"].error == pytest.approx(
        (15 / 40 + 5 / 4 + 1.0) / 3)


def test_pooled_error_is_the_mean_of_case_errors(toy, toy_result, toy_data):
    toy_data["id"] = "toy-b"
    toy_data["outcome"]["values"] = {"price": 0.0}
    other = backtest_case(parse_scenario(toy_data))
    rows = pool([toy_result, other])
    for name in ("nash", "status_quo", "split"):
        expected = np.mean([toy_result.methods[name].error,
                            other.methods[name].error])
        assert rows[name].error == pytest.approx(expected)
        assert rows[name].cases == 2
    ranked = [r.error for r in pool([toy_result, other]).values() if r.error is not None]
    assert ranked == sorted(ranked)


def test_like_for_like_scores_every_method_on_the_forecast_issues(toy_result):
    rows = pool([toy_result], forecast_issues=True)
    sq = toy_result.methods["status_quo"].issues
    assert rows["status_quo"].error == pytest.approx((sq["price"] + sq["scope"]) / 2)


def test_cli_json_shape(tmp_path):
    res = runner.invoke(app, ["backtest", str(TOY), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    (case,) = out["cases"]
    assert {"id", "as_of", "outcome_date", "methods", "probabilistic"} <= set(case)
    assert case["id"] == "toy-2020" and case["outcome_date"] == "2020-06-30"
    assert set(case["methods"]["nash"]) >= {"error", "issues"}
    assert set(out["summary"]["split"]) >= {"error", "cases"}
    assert out["summary"]["split"]["cases"] == 1


def test_cli_folder_skips_cases_without_outcome(tmp_path):
    shutil.copy(TOY, tmp_path / "toy-2020.toml")
    shutil.copy(CASES / "toy-2020.stakeholders.toml", tmp_path / "toy-2020.stakeholders.toml")
    plain = TOY.read_text().split("[outcome]")[0].replace('id = "toy-2020"', 'id = "plain"')
    (tmp_path / "plain.toml").write_text(plain)
    res = runner.invoke(app, ["backtest", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    assert [c["id"] for c in json.loads(res.stdout)["cases"]] == ["toy-2020"]
    assert "plain.toml: no [outcome] block; skipped" in res.stderr
    # the stakeholder set was read with its case, not as a case of its own
    assert "bdm" in json.loads(res.stdout)["cases"][0]["methods"]


def test_cli_exit_2_when_no_case_has_an_outcome(tmp_path):
    (tmp_path / "plain.toml").write_text(TOY.read_text().split("[outcome]")[0])
    res = runner.invoke(app, ["backtest", str(tmp_path / "plain.toml")])
    assert res.exit_code == 2
    assert "no case with an [outcome] block" in res.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(app, ["backtest", str(empty)])
    assert res.exit_code == 2 and "holds no scenario file" in res.stderr


@pytest.mark.parametrize(("old", "new", "key"), [
    ('scope = "medium"', 'scope = "huge"', "outcome.values.scope"),
    ('date = "2020-06-30"\nagreement', 'date = "2019-06-30"\nagreement', "outcome.date"),
    ("price = 25.0,", "prize = 25.0,", "outcome.values.prize"),
])
def test_cli_bad_outcome_exits_2_naming_file_and_key(tmp_path, old, new, key):
    bad = tmp_path / "bad.toml"
    text = TOY.read_text()
    assert old in text
    bad.write_text(text.replace(old, new))
    res = runner.invoke(app, ["backtest", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}: {key}:" in res.stderr
    assert "Traceback" not in res.output


def test_unknown_case_name_suggests(tmp_path):
    res = runner.invoke(app, ["backtest", "sma-2091"])
    assert res.exit_code == 2 and "did you mean" in res.stderr


def test_python_api_takes_loaded_scenarios(toy):
    res = backtest([toy])
    assert [c.id for c in res.cases] == ["toy-2020"]
    assert res.ranking[0].error <= res.ranking[-1].error
    assert [r['method'] for r in res.records()] == list(res.summary)


def test_analyze_says_plainly_whether_a_deal_is_possible(toy_data, tmp_path):
    assert analyze(load_scenario(TOY)).to_dict()["deal_possible"] is True
    for party in toy_data["parties"]:
        party["reservation"] = 0.99
    assert analyze(parse_scenario(toy_data)).to_dict()["deal_possible"] is False
    path = tmp_path / "hard.toml"
    path.write_text(TOY.read_text().replace("reservation = 0.2", "reservation = 0.99"))
    res = runner.invoke(app, ["analyze", str(path)])
    assert res.exit_code == 0
    assert "No deal possible: no feasible outcome is at least as good as no deal" in res.stdout
    assert json.loads(runner.invoke(app, ["analyze", str(path), "--json"]).stdout)[
        "deal_possible"] is False
