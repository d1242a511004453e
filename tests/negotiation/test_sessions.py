"""Protocol invariants (property tests), reproducibility, metrics and multilateral agreement."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from negotiation_helpers import PIE, TRIO

from conftest import build, scenario_dicts
from pactlab.errors import ProtocolError
from pactlab.model import compile_domain, load_scenario
from pactlab.negotiation import Session, run_session

BUILTINS = ["boulware", "linear", "conceder", "hardliner", "tit-for-tat",
            "tit-for-tat-absolute", "random:p=0.5", "nash", "time:e=0.5:ac=combi:at=0.5",
            "linear:ac=const:c=0.6", "conceder:ac=time:at=0.7"]


def _has_feasible(data: dict) -> bool:
    domain = compile_domain(build(data))
    rows = domain.decode(np.arange(domain.n_outcomes))
    return bool(domain.feasible_rows(rows).any())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(), picks=st.lists(st.sampled_from(BUILTINS), min_size=3, max_size=3),
       rounds=st.integers(3, 40), seed=st.integers(0, 2**32 - 1),
       complete=st.booleans())
def test_protocol_invariants(data, picks, rounds, seed, complete):
    if not _has_feasible(data):
        return
    domain = compile_domain(build(data))
    parties = domain.party_ids
    res = run_session(domain, dict(zip(parties, picks, strict=False)), rounds=rounds, seed=seed,
                      complete_information=complete)
    r = res.reservations
    assert 1 <= res.rounds_used <= rounds
    assert len(res.trace) == res.rounds_used
    standing = None
    for step in res.trace:
        if step.action == "offer":
            standing = step.outcome
        elif step.action == "accept":
            # An accepted offer is never below the acceptor's reservation.
            assert step.utilities[step.party] >= r[step.party] - 1e-9
            assert step.outcome == standing
        row = domain.row_of(step.outcome) if step.outcome else None
        if row is not None:
            assert domain.feasible_rows(row[None, :])[0]  # offers are feasible
    if res.agreement:
        tail = list(res.trace)[-(len(parties) - 1):]
        assert all(s.action == "accept" for s in tail)  # every other party accepted in turn
        assert {s.party for s in tail} == set(parties) - {list(res.trace)[-len(parties)].party}
        assert res.outcome == standing
        assert res.welfare == pytest.approx(sum(res.utilities.values()))
        assert res.pareto_distance >= 0
    else:
        assert res.end == "deadline"
        assert res.rounds_used == rounds


def test_same_seed_same_session():
    strategies = {"x": "random", "y": "random:p=0.3", "z": "tit-for-tat"}
    a = run_session(TRIO, strategies, rounds=60, seed=42)
    b = run_session(TRIO, strategies, rounds=60, seed=42)
    assert a.to_dict() == b.to_dict()
    others = [run_session(TRIO, strategies, rounds=60, seed=s).to_dict()["trace"]
              for s in range(5)]
    assert any(t != a.to_dict()["trace"] for t in others)


def test_seed_is_recorded_and_replays():
    first = run_session(TRIO, ["random", "random", "random"], rounds=30)
    again = run_session(TRIO, ["random", "random", "random"], rounds=30, seed=first.seed)
    assert first.to_dict() == again.to_dict()


def test_breakdown_gives_the_status_quo_and_its_utilities():
    res = run_session(TRIO, ["hardliner", "hardliner", "hardliner"], rounds=12)
    assert not res.agreement and res.end == "deadline"
    assert res.outcome == {"budget": 1.0, "site": "north", "years": 1.0}
    domain = compile_domain(load_scenario(TRIO))
    u = domain.utilities_of_rows(domain.status_quo[None, :])[0]
    assert list(res.utilities.values()) == pytest.approx(list(u))


def test_breakdown_without_status_quo_gives_reservations():
    res = run_session(PIE, ["hardliner", "hardliner"], rounds=10, reservations=0.2)
    assert not res.agreement and res.outcome is None
    assert res.utilities == {"a": 0.2, "b": 0.2}


def test_discounting_applies_to_the_round_of_the_accepted_offer():
    res = run_session(PIE, ["linear", "linear"], rounds=20, discount={"a": 0.9, "b": 0.8})
    assert res.agreement
    k = res.agreement_round
    assert res.discounted["a"] == pytest.approx(res.utilities["a"] * 0.9**k)
    assert res.discounted["b"] == pytest.approx(res.utilities["b"] * 0.8**k)


def test_multilateral_agreement_needs_everyone():
    res = run_session(TRIO, ["conceder", "conceder", "conceder"], rounds=60)
    assert res.agreement
    steps = list(res.trace)
    proposer = steps[-3]
    assert proposer.action == "offer"
    assert [s.action for s in steps[-2:]] == ["accept", "accept"]
    assert {s.party for s in steps[-2:]} == {"x", "y", "z"} - {proposer.party}


def test_first_party_opens():
    res = run_session(TRIO, None, rounds=10, first="z")
    assert res.trace[0].party == "z" and res.trace[1].party == "x"


def test_unlisted_parties_play_the_default():
    res = run_session(TRIO, {"x": "boulware"}, rounds=10)
    assert res.strategies == {"x": "boulware", "y": "linear", "z": "linear"}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rounds": 2}, "rounds must be an integer ≥ the number of parties (3)"),
    ({"discount": 1.5}, "discount of 'x' must be in [1e-09, 1]"),
    ({"discount": {"w": 0.9}}, "discount given for unknown party 'w'"),
    ({"reservations": {"x": "high"}}, "reservation of 'x' must be a number"),
    ({"reservations": {"x": float("inf")}}, "reservation of 'x' must be a finite number"),
    ({"reservations": "-inf"}, "reservation of 'x' must be a finite number"),
    ({"reservations": {"y": float("nan")}}, "reservation of 'y' must be a finite number"),
    ({"discount": float("nan")}, "discount of 'x' must be a finite number"),
    ({"first": "w"}, "first party 'w' is not one of x, y, z"),
])
def test_bad_settings_are_clear(kwargs, message):
    with pytest.raises(ProtocolError) as err:
        Session(TRIO, None, **kwargs)
    assert message in str(err.value)


def test_unknown_party_in_strategies():
    with pytest.raises(ProtocolError, match="strategy given for unknown party 'w'"):
        Session(TRIO, {"w": "linear"})
