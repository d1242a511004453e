"""Theory as oracle: Faratin's concession curve, hardliner vs conceder, Rubinstein's split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from negotiation_helpers import PIE, feasible_utilities, pie_file

from pactlab.negotiation import TimeDependent, run_session
from pactlab.negotiation.base import PartyView, State
from pactlab.negotiation.protocol import resolve_scenario


def _view(party: int = 0, reservation: float = 0.0) -> PartyView:
    _, space = resolve_scenario(PIE)
    return PartyView.of(space, party, seat=party, reservation=reservation, discount=1.0,
                        rounds=100)


@settings(max_examples=200, deadline=None)
@given(e=st.floats(0.01, 50), t=st.floats(0, 1), reservation=st.floats(0, 0.9))
def test_time_dependent_target_is_faratins_formula(e: float, t: float, reservation: float):
    s = TimeDependent(e=e)
    s.setup(_view(reservation=reservation), np.random.default_rng(0))
    u_max, u_min = 1.0, reservation
    assert s.target_at(t) == pytest.approx(u_max - (u_max - u_min) * t ** (1 / e), abs=1e-12)


@pytest.mark.parametrize("rounds", [60, 61])
@pytest.mark.parametrize("spec", ["boulware", "linear", "conceder", "time:e=0.5"])
def test_offers_follow_the_target_curve(spec: str, rounds: int):
    """Against a hardliner nothing is accepted early, so every offer shows the curve:
    the offer is the worst outcome (for the offerer) at or above target(t). The opener a's
    t reaches 1 at its own last offer b can answer: the last even turn before rounds − 1."""
    res = run_session(PIE, {"a": spec, "b": "hardliner"}, rounds=rounds, trace=True)
    e = {"boulware": 0.2, "linear": 1.0, "conceder": 2.0, "time:e=0.5": 0.5}[spec]
    last = (rounds - 2) // 2 * 2
    grid = np.linspace(0, 1, 101)
    offers = [s for s in res.trace if s.party == "a" and s.action == "offer"]
    assert len(offers) >= 25
    for step in offers:
        t = min(1.0, step.round / last)
        target = 1.0 - t ** (1 / e)
        expected = grid[np.searchsorted(grid, target - 1e-12)]
        assert step.utilities["a"] == pytest.approx(expected, abs=1e-9)


TWO_ISSUES = """
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
weights = { x = 0.7, y = 0.3 }
values.x = { kind = "linear", worst = 0.0, best = 3.0 }
values.y = { kind = "linear", worst = 0.0, best = 2.0 }
[[parties]]
id = "b"
reservation = 0.2
weights = { x = %s, y = %s }
values.x = { kind = "linear", worst = 3.0, best = 0.0 }
values.y = { kind = "linear", worst = %s, best = %s }
"""


@pytest.fixture(scope="module")
def two_issues(tmp_path_factory) -> dict[str, Path]:
    """Two multi-issue scenarios. "opposed": b's utility is 1 − a's. "shared": b weighs the
    issues equally and also wants y high, so a's best (3, 2) is worth 0.5 to b: acceptable
    at b's reservation 0.2, not at 0.6."""
    folder = tmp_path_factory.mktemp("theory")
    texts = {"opposed": TWO_ISSUES % (0.7, 0.3, 2.0, 0.0),
             "shared": TWO_ISSUES % (0.5, 0.5, 0.0, 2.0)}
    paths = {name: folder / f"{name}.toml" for name in texts}
    for name, path in paths.items():
        path.write_text(texts[name], encoding="utf-8")
    return paths


def hardliners_best_acceptable(scenario: Path, r_b: float) -> float:
    """Brute force over every outcome: a's best utility among those b values at ≥ r_b."""
    _, u = feasible_utilities(scenario)
    return float(u[u[:, 1] >= r_b - 1e-9, 0].max())


CASES = [("pie", 0.0, 2), ("pie", 0.3, 2), ("pie", 0.55, 2), ("pie", 0.72, 2),
         ("opposed", 0.0, 2), ("opposed", 0.45, 2), ("opposed", 0.8, 2),
         ("shared", 0.2, 4), ("shared", 0.6, 4)]


@settings(max_examples=300, deadline=None)
@given(rounds=st.integers(2, 121), first=st.sampled_from(["a", "b"]),
       case=st.sampled_from(CASES))
def test_hardliner_vs_conceder_ends_at_hardliners_best_acceptable(two_issues, rounds, first,
                                                                  case):
    """The conceder (b) concedes to its reservation by its own last offer a can answer, whatever
    the deadline's parity and whoever opens; the hardliner (a) never moves but takes that
    final offer. So the deal is a's best outcome that b can accept.

    Two deadlines are too short for any pair of strategies: at deadline 2 with a opening,
    a's opening demand is the only offer anyone can answer. And where the utilities are not
    opposed ("shared"), b's final offer is a's best acceptable outcome only once b has seen
    a's demand, which takes a deadline of 4 (at 2 or 3 with b opening, b's only offer that a
    can answer is its uninformed opening).
    """
    name, r_b, shortest = case
    scenario = PIE if name == "pie" else two_issues[name]
    rounds = max(rounds, shortest)
    expected = hardliners_best_acceptable(scenario, r_b)
    res = run_session(scenario, {"a": "hardliner", "b": "conceder"}, rounds=rounds,
                      reservations={"b": r_b}, first=first)
    if rounds == 2 and first == "a" and expected < hardliners_best_acceptable(scenario, -1):
        assert not res.agreement
        return
    assert res.agreement, (rounds, first, case)
    assert res.utilities["a"] == pytest.approx(expected, abs=1e-9)
    assert res.utilities["b"] >= r_b - 1e-9


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


def test_each_party_has_its_own_clock():
    """Three parties, deadline 10: offers up to turn 7 can collect both acceptances; seat s
    offers in turns ≡ s (mod 3), so its last answerable offers are 6, 7 and 5."""
    state = State(10, 3)
    assert state.own_last == (6, 7, 5)
    assert [state.relative_time(turn) for turn in (0, 3, 6, 9)] == [0.0, 0.5, 1.0, 1.0]
    assert state.relative_time(4) == pytest.approx(4 / 7)
    assert state.relative_time(5) == 1.0 and state.relative_time(2) == pytest.approx(2 / 5)
