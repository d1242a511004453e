"""The vectorised analysis against its oracle: the scenario with the values applied, analysed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import scenario_dicts

from pactlab.analysis.analyze import analyze
from pactlab.model import load_scenario, parse_scenario
from pactlab.model.priors import Uncertain, apply, resolve
from pactlab.sweep.vector import SampledDomain, analyze_block

SMA = load_scenario("sma-2019")
EVERY_KIND = [
    Uncertain(path="parties.us.reservation", dist="uniform", params=[0.2, 0.45]),
    Uncertain(path="parties.rok.reservation", dist="normal", params=[0.35, 0.08]),
    Uncertain(path="parties.us.weights.payment", dist="lognormal", params=[0.45, 0.4]),
    Uncertain(path="parties.dpk.weights.troops", dist="uniform", params=[0.0, 0.5]),
    Uncertain(path="parties.us.values.payment.points.1.1", dist="uniform", params=[0.3, 0.9]),
    Uncertain(path="parties.us.values.payment.points.2.0", dist="uniform", params=[1.2, 3.0]),
    Uncertain(path="parties.rok.values.payment.worst", dist="normal", params=[5.0, 1.0]),
    Uncertain(path="parties.rok.values.troops.table.minus_brigade", dist="beta", params=[2, 3]),
    Uncertain(path="parties.us.interactions.0.value", dist="triangular",
              params=[0.0, 0.05, 0.2]),
    Uncertain(path="parties.us.limits.0.min", dist="choice", params=[[0.92, 1.0, 1.2, 1.5]]),
    Uncertain(path="parties.dpk.limits.0.max", dist="uniform", params=[1.0, 3.0]),
    Uncertain(path="issues.payment.status_quo", dist="uniform", params=[0.9, 1.3]),
    Uncertain(path="issues.cleanup.status_quo", dist="choice", params=[["us_pays", "shared"]]),
]


def _check(sc, priors, x):
    """Every sample's ZOPA, solutions and utilities equal `analyze` of the applied scenario."""
    sd = SampledDomain(sc, priors)
    arrays = sd.arrays(x)
    res = analyze_block(sd, arrays)
    for k in range(len(x)):
        expected = analyze(apply(sc, priors, x[k]))
        assert bool(res.zopa[k]) == expected.zopa.exists
        assert res.feasible[k] == expected.feasible
        for name, sol in expected.solutions.items():
            if sol is None:
                assert res.picks[name][k] == -1
                continue
            row = sd.base.decode(np.array([res.picks[name][k]]))[0]
            assert sd.base.outcome_dict(row) == sol.outcome, (k, name)
            np.testing.assert_allclose(res.utilities[name][k], list(sol.utilities.values()),
                                       atol=1e-12)
        if arrays.status_quo is not None:
            dom = sd.domain(arrays, k)
            assert dom.outcome_dict(dom.status_quo) == expected.status_quo.outcome


def test_every_kind_of_path_matches_analyze_sample_by_sample():
    priors = resolve(SMA, EVERY_KIND)
    u = np.random.default_rng(7).random((40, len(priors)))
    x = np.column_stack([p.values(u[:, j]) for j, p in enumerate(priors)])
    _check(SMA, priors, x)


@settings(max_examples=25)
@given(data=scenario_dicts(), draw=st.data())
def test_random_scenarios_and_priors_match_analyze(data, draw):
    sc = parse_scenario(data)
    party = draw.draw(st.sampled_from(sc.parties))
    issue = draw.draw(st.sampled_from(sc.issues))
    option = draw.draw(st.sampled_from(issue.options))
    entries = [
        Uncertain(path=f"parties.{party.id}.reservation", dist="uniform", params=[0.0, 0.6]),
        Uncertain(path=f"parties.{party.id}.values.{issue.id}.table.{option}", dist="uniform",
                  params=[0.0, 1.0]),
    ]
    if party.weights.get(issue.id, 0) > 0:
        entries.append(Uncertain(path=f"parties.{party.id}.weights.{issue.id}",
                                 dist="lognormal", params=[party.weights[issue.id], 0.5]))
    if party.interactions:
        entries.append(Uncertain(path=f"parties.{party.id}.interactions.0.value",
                                 dist="uniform", params=[-0.3, 0.3]))
    priors = resolve(sc, entries)
    u = np.random.default_rng(draw.draw(st.integers(0, 2**16))).random((6, len(priors)))
    _check(sc, priors, np.column_stack([p.values(u[:, j]) for j, p in enumerate(priors)]))


@pytest.mark.parametrize(("interactions", "method", "pick"), [
    ([], "exact", 2),  # two parties, additive: the frontier's construction meets (o1, o0) first
    ([{"when": {"i0": ["o0"]}, "value": 0.0}], "enumerate", 1),  # the earliest: (o0, o1)
])
def test_identical_outcomes_tie_as_analyze_breaks_them(interactions, method, pick):
    """Two outcomes with the same utilities, apart in two issues: (o0, o1) and (o1, o0).

    They tie on every solution. Enumeration reports the earlier outcome; the two-party
    exact method the one its issue-by-issue construction keeps. The vectorised arrays
    hold outcomes in yet another order (last issue slowest), which must not decide.
    """
    half = {"i0": 0.5, "i1": 0.5}
    table = [{"kind": "table", "table": {"o0": 0.0, "o1": 1.0}},
             {"kind": "table", "table": {"o0": 1.0, "o1": 0.0}}]
    sc = parse_scenario({
        "id": "tie", "issues": [{"id": i, "options": ["o0", "o1"], "status_quo": "o0"}
                                for i in ("i0", "i1")],
        "parties": [{"id": f"p{k}", "reservation": 0.1, "weights": half,
                     "values": {"i0": table[k], "i1": table[k]},
                     "interactions": interactions} for k in (0, 1)]})
    assert analyze(sc).method == method
    priors = resolve(sc, [Uncertain(path="parties.p0.reservation", dist="uniform",
                                    params=[0.0, 0.3])])
    x = np.linspace(0.0, 0.3, 7)[:, None]
    _check(sc, priors, x)
    sd = SampledDomain(sc, priors)
    assert set(analyze_block(sd, sd.arrays(x)).picks["nash"]) == {pick}
