"""Theory as oracle: Faratin's concession curve, hardliner vs conceder, Rubinstein's split."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from negotiation_helpers import PIE, pie_file

from pactlab.negotiation import TimeDependent, run_session
from pactlab.negotiation.base import PartyView
from pactlab.negotiation.protocol import resolve_scenario


def _view(party: int = 0, reservation: float = 0.0) -> PartyView:
    _, space = resolve_scenario(PIE)
    return PartyView(party=party, parties=("a", "b"), seat=party, reservation=reservation,
                     discount=1.0, rounds=100, space=space)


@settings(max_examples=200, deadline=None)
@given(e=st.floats(0.01, 50), t=st.floats(0, 1), reservation=st.floats(0, 0.9))
def test_time_dependent_target_is_faratins_formula(e: float, t: float, reservation: float):
    s = TimeDependent(e=e)
    s.setup(_view(reservation=reservation), np.random.default_rng(0))
    u_max, u_min = 1.0, reservation
    assert s.target_at(t) == pytest.approx(u_max - (u_max - u_min) * t ** (1 / e), abs=1e-12)


@pytest.mark.parametrize("spec", ["boulware", "linear", "conceder", "time:e=0.5"])
def test_offers_follow_the_target_curve(spec: str):
    """Against a hardliner nothing is accepted early, so every offer shows the curve:
    the offer is the worst outcome (for the offerer) at or above target(t)."""
    res = run_session(PIE, {"a": spec, "b": "hardliner"}, rounds=60, trace=True)
    e = {"boulware": 0.2, "linear": 1.0, "conceder": 2.0, "time:e=0.5": 0.5}[spec]
    last = res.rounds - 2
    grid = np.linspace(0, 1, 101)
    offers = [s for s in res.trace if s.party == "a" and s.action == "offer"]
    assert len(offers) >= 25
    for step in offers:
        t = min(1.0, step.round / last)
        target = 1.0 - t ** (1 / e)
        expected = grid[np.searchsorted(grid, target - 1e-12)]
        assert step.utilities["a"] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("r_b", [0.0, 0.3, 0.55, 0.72])
def test_hardliner_vs_conceder_ends_at_hardliners_best_acceptable(r_b: float):
    """The conceder concedes to its reservation by the deadline; the hardliner never moves,
    so the deal is the hardliner's best outcome the conceder can accept: a gets 1 − r_b."""
    res = run_session(PIE, {"a": "hardliner", "b": "conceder"}, rounds=101,
                      reservations={"b": r_b})
    assert res.agreement
    assert res.utilities["a"] == pytest.approx(1.0 - r_b, abs=1e-9)
    assert res.utilities["b"] >= r_b - 1e-9


def test_hardliner_vs_conceder_when_hardliners_best_is_acceptable_deal_is_its_best(tmp_path):
    """Multi-issue: b cares about both issues, a only about x; a's unique best is acceptable."""
    path = tmp_path / "two.toml"
    path.write_text("""
id = "two"
[[issues]]
id = "x"
values = [0.0, 1.0, 2.0, 3.0]
[[issues]]
id = "y"
values = [0.0, 1.0, 2.0]
[[parties]]
id = "a"
reservation = 0.1
weights = { x = 0.9, y = 0.1 }
values.x = { kind = "linear", worst = 0.0, best = 3.0 }
values.y = { kind = "linear", worst = 0.0, best = 2.0 }
[[parties]]
id = "b"
reservation = 0.2
weights = { x = 0.5, y = 0.5 }
values.x = { kind = "linear", worst = 3.0, best = 0.0 }
values.y = { kind = "linear", worst = 0.0, best = 2.0 }
""", encoding="utf-8")
    res = run_session(path, {"a": "hardliner", "b": "conceder"}, rounds=40)
    assert res.agreement
    assert res.outcome == {"x": 3.0, "y": 2.0}  # a's best; worth 0.5 ≥ 0.2 to b


@pytest.mark.parametrize("deltas", [(0.9, 0.8), (0.95, 0.95), (0.7, 0.9)])
def test_rubinstein_share_approached_as_grid_gets_finer(tmp_path, deltas):
    """The first proposer's share tends to (1−δ₂)/(1−δ₁δ₂) (Rubinstein 1982)."""
    d1, d2 = deltas
    theory = (1 - d2) / (1 - d1 * d2)
    errors = []
    for steps in (11, 101, 1001):
        res = run_session(pie_file(tmp_path, steps), ["rubinstein", "rubinstein"], rounds=400,
                          discount={"a": d1, "b": d2})
        assert res.agreement and res.agreement_round == 0  # equilibrium: immediate agreement
        error = abs(res.outcome["share"] - theory)
        # On a grid of spacing g the finite game's equilibrium is within g/(1 − δ₁δ₂).
        assert error <= (1.0 / (steps - 1)) / (1 - d1 * d2) + 1e-9
        errors.append(error)
    assert errors[2] < errors[0]
    assert errors[2] <= 0.01


def test_rubinstein_second_mover_gets_the_complement(tmp_path):
    d1, d2 = 0.9, 0.8
    res = run_session(pie_file(tmp_path, 1001), ["rubinstein", "rubinstein"], rounds=400,
                      discount={"a": d1, "b": d2}, first="b")
    share_b = 1 - res.outcome["share"]
    assert share_b == pytest.approx((1 - d1) / (1 - d1 * d2), abs=0.003)


def test_nash_seekers_agree_on_the_nash_point():
    res = run_session(PIE, ["nash", "nash"], rounds=10)
    assert res.agreement and res.agreement_round == 0
    assert res.outcome["share"] == pytest.approx(0.5)
    assert res.nash_distance == pytest.approx(0.0)
    assert res.pareto_distance == pytest.approx(0.0)
