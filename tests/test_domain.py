"""The numeric Domain: encoding, utilities, limits, interactions, chunking."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from conftest import brute_force, build, scenario_dicts
from pactlab.errors import OfferError
from pactlab.model import compile_domain, load_scenario
from pactlab.model.domain import value_of
from pactlab.model.schema import LinearValue, PiecewiseValue


@settings(max_examples=40, deadline=None)
@given(scenario_dicts())
def test_utilities_and_feasibility_match_the_definition(data):
    domain = compile_domain(build(data))
    oracle = brute_force(data)
    index = np.arange(domain.n_outcomes)
    u = domain.utilities(index, chunk=3)  # tiny chunks exercise the chunking
    rows = domain.decode(index)
    ok = domain.feasible_rows(rows)
    for n, (outcome, expected_u, feasible) in enumerate(oracle["outcomes"]):
        assert domain.outcome_dict(rows[n]) == outcome
        assert u[n] == pytest.approx(expected_u, abs=1e-12)
        assert ok[n] == feasible
    assert np.array_equal(domain.encode(rows), index)


def test_mixed_radix_order_is_first_issue_most_significant():
    domain = compile_domain(load_scenario("sma-2019"))
    rows = domain.decode(np.array([0, 1, domain.n_outcomes - 1]))
    assert rows[0].tolist() == [0] * domain.n_issues
    assert rows[1].tolist() == [0] * (domain.n_issues - 1) + [1]
    assert rows[2].tolist() == (domain.sizes - 1).tolist()


def test_linear_value_clips_and_piecewise_interpolates():
    lin = LinearValue(kind="linear", worst=5.0, best=1.0)
    assert value_of(lin, [0.0, 1.0, 3.0, 5.0, 9.0]).tolist() == [1.0, 1.0, 0.5, 0.0, 0.0]
    pw = PiecewiseValue(kind="piecewise", points=[[0.0, 0.0], [1.0, 0.8], [3.0, 1.0]])
    assert value_of(pw, [-1.0, 0.5, 2.0, 4.0]).tolist() == pytest.approx([0.0, 0.4, 0.9, 1.0])


def test_sma_status_quo_utilities_by_hand():
    domain = compile_domain(load_scenario("sma-2019"))
    u = dict(zip(domain.party_ids, domain.utilities_of_rows(domain.status_quo[None, :])[0],
                 strict=True))
    # us: troops keep (0.1·1) + indirect unchanged (0.05·1) + duration 1 year (0.1·1)
    assert u["us"] == pytest.approx(0.25)
    # rok: payment 0.92 (0.45) + weapons 0 (0.1) + us_pays (0.1) + keep (0.25)
    #      + unchanged (0.05) + 1 year (0)
    assert u["rok"] == pytest.approx(0.95)
    # dpk: payment (0.6) + keep (0.2) + unchanged (0.2·0.3)
    assert u["dpk"] == pytest.approx(0.86)


def test_status_quo_violating_a_limit_is_infeasible():
    domain = compile_domain(load_scenario("sma-2019"))
    assert domain.violations(domain.status_quo) == ["us"]  # the US will not sign for 0.92


def test_row_of_reports_unknown_options():
    domain = compile_domain(load_scenario("sma-2019"))
    with pytest.raises(OfferError, match=r"issue 'troops' has no option 'stay'; expected one of"):
        domain.row_of({"troops": "stay"}, fill=domain.status_quo)
    with pytest.raises(OfferError, match=r"unknown issue\(s\) \['pay'\]"):
        domain.row_of({"pay": 1.0}, fill=domain.status_quo)


def test_range_issue_is_discretised():
    sc = load_scenario("sma-2019")
    data = sc.model_dump()
    data["issues"][0] = {"id": "payment", "range": [1.0, 2.0], "steps": 5, "status_quo": 1.5,
                         "basis": {"assumption": "test"}}
    data["parties"][0]["limits"] = []
    data["parties"][2]["limits"] = []
    domain = compile_domain(build(data))
    assert domain.labels[0] == (1.0, 1.25, 1.5, 1.75, 2.0)
    assert domain.status_quo[0] == 2
