"""The scorer against hand-computed errors: numeric, categorical, off-grid, outside range."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactlab.backtest import Prediction, issue_error, score, split, status_quo
from pactlab.model import load_scenario, parse_scenario

from .conftest import TOY


@pytest.fixture(scope="module")
def toy():
    return load_scenario(TOY)


def test_numeric_error_is_distance_over_range(toy):
    price = toy.issue("price")  # options 0..40
    assert issue_error(price, 30.0, 30.0) == 0.0
    assert issue_error(price, 30.0, 25.0) == pytest.approx(5 / 40)  # actual off the grid
    assert issue_error(price, 0.0, 40.0) == pytest.approx(1.0)


def test_an_actual_outside_the_range_is_not_snapped(toy):
    term = toy.issue("term")  # options 1, 3, 5; actual 6
    assert issue_error(term, 5.0, 6.0) == pytest.approx(1 / 4)
    assert issue_error(term, 1.0, 6.0) == pytest.approx(5 / 4)  # above 1: outside the model


def test_categorical_error_is_hit_or_miss(toy):
    scope = toy.issue("scope")
    assert issue_error(scope, "medium", "medium") == 0.0
    assert issue_error(scope, "wide", "medium") == 1.0
    assert issue_error(scope, "narrow", "medium") == 1.0  # no order between options


def test_single_option_issue_is_hit_or_miss():
    data = {"id": "one", "issues": [{"id": "x", "values": [2.0]}],
            "parties": [{"id": f"p{k}", "weights": {"x": 1.0},
                         "values": {"x": {"kind": "table", "table": {"2": 1.0}}}}
                        for k in range(2)]}
    x = parse_scenario(data).issue("x")
    assert issue_error(x, 2.0, 2.0) == 0.0
    assert issue_error(x, 2.0, 3.0) == 1.0


def test_case_error_is_the_mean_over_recorded_and_predicted_issues(toy):
    pred = Prediction({"price": 20.0, "term": 3.0, "scope": "wide"}, agreement=False)
    s = score(toy, pred)
    assert s.issues == pytest.approx({"price": 5 / 40, "term": 3 / 4, "scope": 1.0})
    assert s.error == pytest.approx((5 / 40 + 3 / 4 + 1.0) / 3)
    assert s.agreement_error == 1.0  # predicted no deal; there was one
    partial = score(toy, Prediction({"price": 25.0}))
    assert partial.issues == {"price": 0.0} and partial.error == 0.0
    assert partial.agreement_error is None  # no notion of a deal
    assert score(toy, Prediction({})).error is None


def test_status_quo_baseline(toy):
    s = score(toy, status_quo(toy))
    # price 10 vs 25, term 1 vs 6, scope narrow vs medium
    assert s.issues == pytest.approx({"price": 15 / 40, "term": 5 / 4, "scope": 1.0})
    assert s.agreement_error == 1.0


def test_split_baseline_by_hand(toy):
    pred = split(toy)
    # price: buyer's favourite 0, seller's 40; term: 5 and 1; scope: sums narrow 1.0,
    # medium 0.6 + 0.5 = 1.1, wide 1.0
    assert pred.outcome == {"price": 20.0, "term": 3.0, "scope": "medium"}
    assert pred.agreement is True
    assert score(toy, pred).error == pytest.approx((5 / 40 + 3 / 4 + 0) / 3)


def _two_party(values_a: dict, values_b: dict, options: list, status_quo_: object) -> dict:
    numeric = all(isinstance(o, float) for o in options)
    issue = {"id": "x", ("values" if numeric else "options"): options,
             "status_quo": status_quo_}
    return {"id": "t", "issues": [issue], "parties": [
        {"id": "a", "weights": {"x": 1.0}, "values": {"x": values_a}},
        {"id": "b", "weights": {"x": 1.0}, "values": {"x": values_b}}]}


def test_split_ties_mean_of_tied_options_and_status_quo():
    # party a is indifferent between 1 and 3 (both best): its favourite counts as 2
    a = {"kind": "table", "table": {"1": 1.0, "3": 1.0, "9": 0.0}}
    b = {"kind": "table", "table": {"1": 0.0, "3": 0.0, "9": 1.0}}
    sc = parse_scenario(_two_party(a, b, [1.0, 3.0, 9.0], 1.0))
    assert split(sc).outcome["x"] == pytest.approx((2.0 + 9.0) / 2)
    # categorical tie between 'p' and 'q': the status quo 'q' wins; without it the first
    a = {"kind": "table", "table": {"p": 1.0, "q": 0.0, "r": 0.0}}
    b = {"kind": "table", "table": {"p": 0.0, "q": 1.0, "r": 0.5}}
    assert split(parse_scenario(_two_party(a, b, ["p", "q", "r"], "q"))).outcome["x"] == "q"
    assert split(parse_scenario(_two_party(a, b, ["p", "q", "r"], "r"))).outcome["x"] == "p"


@given(st.floats(-100, 100), st.floats(-100, 100))
def test_numeric_error_is_symmetric_and_scales_with_the_range(p, a):
    sc = load_scenario(TOY)
    price = sc.issue("price")
    e = issue_error(price, p, a)
    assert e == pytest.approx(issue_error(price, a, p))
    assert e == pytest.approx(abs(p - a) / 40)
