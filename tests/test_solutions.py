"""Bargaining solutions: brute force on random domains, and textbook cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from conftest import DATA, brute_force, build, scenario_dicts
from pactlab.analysis import analyze
from pactlab.kernel.bargaining import pareto_mask_bruteforce
from pactlab.model.loading import parse_scenario

TOL = 1e-9


def rational(u, r) -> bool:
    """The definition of individual rationality: u ≥ r, within 1e-9 (relative above 1)."""
    return all(x >= y - 1e-9 * max(1.0, abs(y)) for x, y in zip(u, r, strict=True))


def objectives(u, r, ideal):
    gains = [x - y for x, y in zip(u, r, strict=True)]
    rel = [g / (i - y) for g, i, y in zip(gains, ideal, r, strict=True) if i - y > 0]
    return {
        "nash": math.prod(gains),
        "kalai_smorodinsky": min(rel) if rel else 1.0,
        "utilitarian": sum(u),
        "egalitarian": min(gains),
    }


@settings(max_examples=60, deadline=None)
@given(scenario_dicts())
def test_analysis_matches_brute_force(data):
    sc = build(data)
    res = analyze(sc, method="enumerate")  # every outcome of a frontier vector
    auto = analyze(sc)  # additive two-party spaces: exact frontier and counts
    oracle = brute_force(data)
    r = oracle["reservations"]
    feasible = [(o, u) for o, u, ok in oracle["outcomes"] if ok]
    ir = [(o, u) for o, u in feasible if rational(u, r)]
    assert res.outcomes == len(oracle["outcomes"])
    assert res.feasible == len(feasible)
    assert res.individually_rational == len(ir)
    # frontier: same set of (outcome) points as the definition
    if feasible:
        fu = np.array([u for _, u in feasible])
        mask = pareto_mask_bruteforce(fu)
        expected = sorted(tuple(sorted(o.items())) for (o, _), m in zip(feasible, mask,
                                                                          strict=True) if m)
        got = sorted(tuple(sorted(p.outcome.items())) for p in res.pareto)
        assert got == expected
    assert auto.feasible == res.feasible
    assert auto.individually_rational == res.individually_rational
    assert auto.zopa.to_dict() == res.zopa.to_dict()
    assert {tuple(p.utilities.values()) for p in auto.pareto} == \
        {tuple(p.utilities.values()) for p in res.pareto}
    for name, sol in auto.solutions.items():
        assert (sol and sol.utilities) == (res.solutions[name] and res.solutions[name].utilities)
    if not ir:
        assert all(s is None for s in res.solutions.values())
        assert not res.zopa.exists
        return
    ideal = [max(u[j] for _, u in ir) for j in range(len(r))]
    best = {k: max(objectives(u, r, ideal)[k] for _, u in ir) for k in res.solutions}
    for name, sol in res.solutions.items():
        u = list(sol.utilities.values())
        assert all(x >= y - 1e-12 for x, y in zip(u, r, strict=True))
        assert objectives(u, r, ideal)[name] == pytest.approx(best[name], abs=TOL)
    for j, p in enumerate(res.parties):
        lo, hi = res.zopa.ranges[p]
        assert lo == pytest.approx(min(u[j] for _, u in ir), abs=TOL)
        assert hi == pytest.approx(max(u[j] for _, u in ir), abs=TOL)


def test_symmetric_split_gives_equal_split():
    res = analyze(DATA / "split.toml")
    for name in ("nash", "kalai_smorodinsky", "egalitarian"):
        assert res.solutions[name].outcome == {"share": 5.0}
        assert res.solutions[name].utilities == pytest.approx({"a": 0.5, "b": 0.5})


def _table_scenario(points, reservations=(0.0, 0.0)):
    names = [f"x{k}" for k in range(len(points))]
    return parse_scenario({
        "id": "table",
        "issues": [{"id": "deal", "options": names}],
        "parties": [
            {"id": pid, "reservation": res, "weights": {"deal": 1.0},
             "values": {"deal": {"kind": "table",
                                 "table": {n: pt[j] for n, pt in zip(names, points, strict=True)}}}}
            for j, (pid, res) in enumerate(zip(("a", "b"), reservations, strict=True))
        ],
    })


def test_kalai_smorodinsky_with_asymmetric_ideals():
    # ideal point (1, 0.5): KS equalises relative gains and picks (0.65, 0.33),
    # while Nash's product prefers (0.5, 0.45) and the utilitarian sum (1, 0).
    pts = [(0.0, 0.5), (0.5, 0.45), (0.65, 0.33), (1.0, 0.0)]
    res = analyze(_table_scenario(pts))
    assert res.solutions["kalai_smorodinsky"].outcome == {"deal": "x2"}
    assert res.solutions["nash"].outcome == {"deal": "x1"}
    assert res.solutions["utilitarian"].outcome == {"deal": "x3"}
    assert res.solutions["egalitarian"].outcome == {"deal": "x1"}


def test_reservations_shift_the_nash_point():
    # linear frontier u_b = 1 - u_a with d = (0.2, 0): Nash at the midpoint u_a = 0.6
    pts = [(k / 10, 1 - k / 10) for k in range(11)]
    res = analyze(_table_scenario(pts, reservations=(0.2, 0.0)))
    assert res.solutions["nash"].utilities["a"] == pytest.approx(0.6)
    assert res.solutions["kalai_smorodinsky"].utilities["a"] == pytest.approx(0.6)


def test_no_zopa_means_no_solution():
    res = analyze(_table_scenario([(0.2, 0.2), (0.3, 0.1)], reservations=(0.5, 0.5)))
    assert res.individually_rational == 0
    assert res.solutions == dict.fromkeys(res.solutions)
    assert res.to_dict()["solutions"]["nash"] is None
