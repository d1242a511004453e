"""Opponent model and reciprocity: what the strategies learn from the offers they receive."""

from __future__ import annotations

import numpy as np
import pytest
from negotiation_helpers import PIE, TRIO, brute_frontier, distance, feasible_utilities

from pactlab.model import builtin_ids
from pactlab.negotiation import FrequencyModel, TitForTat, run_session
from pactlab.negotiation.base import PartyView, State
from pactlab.negotiation.protocol import resolve_scenario


def test_frequency_model_learns_the_options_opponents_insist_on():
    _, space = resolve_scenario(TRIO)
    model = FrequencyModel(space.outcomes, space.n_parties, me=0)
    assert not model.informed
    site = space.domain.issue_ids.index("site")
    south = np.flatnonzero(space.rows[:, site] == 2)
    north = np.flatnonzero(space.rows[:, site] == 0)
    for k in range(6):  # y and z keep asking for "south" while varying the other issues
        model.update(1, int(south[(5 * k) % len(south)]))
        model.update(2, int(south[(7 * k + 1) % len(south)]))
    assert model.informed
    # the site issue never changed, so it weighs most; south beats north for both
    for p in (1, 2):
        assert model.unchanged[p][site] == max(model.unchanged[p])
    scores = model.scores(np.array([south[0], north[0]]))
    assert scores[0] > scores[1]


def _tft(mode: str) -> TitForTat:
    _, space = resolve_scenario(PIE)
    s = TitForTat(mode=mode)
    s.setup(PartyView.of(space, 0, seat=0, reservation=0.2, discount=1.0, rounds=50),
            np.random.default_rng(0))
    return s


def test_absolute_tit_for_tat_concedes_what_it_receives():
    s = _tft("absolute")
    state = State(50, 2)
    state.proposer = 1
    s.received(state, 0.1)
    s.received(state, 0.25)  # the opponent gave 0.15 more
    assert s.level == pytest.approx(1.0 - 0.15)
    s.received(state, 0.2)  # it took 0.05 back: harden
    assert s.level == pytest.approx(0.9)


def test_relative_tit_for_tat_shrinks_its_surplus_in_proportion():
    s = _tft("relative")
    state = State(50, 2)
    state.proposer = 1
    s.received(state, 0.2)
    s.received(state, 0.6)  # gap to my best 0.8 → 0.4: halved
    assert s.level == pytest.approx(0.2 + (1.0 - 0.2) * 0.5)


@pytest.mark.parametrize("scenario", builtin_ids())
def test_builtin_scenarios_negotiate(scenario):
    """Boulware us vs conceder rok (others linear) agree on a feasible, individually rational
    outcome; its utilities and distance to the frontier match a brute-force enumeration."""
    res = run_session(scenario, {"us": "boulware", "rok": "conceder"}, rounds=100)
    assert res.agreement and res.rounds_used <= 100
    domain, u = feasible_utilities(scenario)
    row = domain.row_of(res.outcome)
    assert domain.feasible_rows(row[None, :])[0]
    expected = domain.utilities_of_rows(row[None, :])[0]
    assert list(res.utilities.values()) == pytest.approx(expected.tolist(), abs=1e-12)
    assert all(res.utilities[p] >= res.reservations[p] - 1e-9 for p in res.parties)
    assert res.pareto_distance == pytest.approx(distance(brute_frontier(u), expected), abs=1e-9)


@pytest.mark.parametrize(("lineup", "seed"), [
    (("conceder", "conceder", "conceder"), 0),  # on the frontier
    (("boulware", "linear", "conceder"), 0),
    (("random:p=0.5",) * 3, 1),  # random deals off the frontier
    (("random:p=0.5",) * 3, 2),
    (("hardliner",) * 3, 0),  # breakdown: the status quo
])
def test_distances_to_frontier_and_nash_point_by_brute_force(lineup, seed):
    """Trio (45 outcomes): the Nash point is the individually rational outcome of largest
    Π(u − r); both distances are recomputed from every outcome."""
    res = run_session(TRIO, dict(zip("xyz", lineup, strict=True)), rounds=60, seed=seed)
    domain, u = feasible_utilities(TRIO)
    r = domain.reservations
    rational = u[(u >= r).all(axis=1)]
    product = np.prod(rational - r, axis=1)
    assert (product >= product.max() - 1e-12).sum() == 1  # a unique Nash point
    nash = rational[product.argmax()]
    got = np.array(list(res.utilities.values()))
    assert res.pareto_distance == pytest.approx(distance(brute_frontier(u), got), abs=1e-9)
    assert res.nash_distance == pytest.approx(distance(nash[None, :], got), abs=1e-9)
