"""The batched engine against its oracle, the per-session engine: identical traces and outcomes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from negotiation_helpers import AGENTS, PIE, TRIO

from conftest import build, scenario_dicts
from pactlab.model import compile_domain
from pactlab.negotiation import ProtocolError, run_session
from pactlab.negotiation.batch import run_batch, run_each, vectorised
from pactlab.negotiation.registry import make_strategy
from pactlab.negotiation.space import build_space

VECTORISED = ["boulware", "linear", "conceder", "time:e=0.5", "time:e=3:candidates=1",
              "hardliner", "tit-for-tat", "tit-for-tat-absolute", "random", "random:p=0.9",
              "linear:ac=combi:at=0.4", "boulware:ac=const:c=0.5", "conceder:ac=time:at=0.6",
              "linear:alpha=0.9:beta=0.05", "hardliner:ac=combi:at=0.2",
              "tit-for-tat:ac=const:c=0.3:candidates=3"]


def _space(data: dict):
    domain = compile_domain(build(data))
    rows = domain.decode(np.arange(domain.n_outcomes))
    if not domain.feasible_rows(rows).any():
        return None
    return build_space(domain)


def _same_as_sessions(batch, lineups, **kw) -> None:
    """Every session of the batch equals the session run alone, trace included."""
    for i in range(len(batch)):
        alone = run_session(batch.space, list(lineups[i % len(lineups)]),
                            seed=int(batch.seeds[i]), name=batch.scenario, **kw)
        assert batch.session(i).to_dict() == alone.to_dict(), (i, lineups[i % len(lineups)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(), picks=st.lists(st.sampled_from(VECTORISED), min_size=6, max_size=6),
       rounds=st.integers(3, 30), seed=st.integers(0, 2**31), complete=st.booleans(),
       discount=st.sampled_from([None, 0.9]), reservation=st.sampled_from([None, 0.3]),
       first=st.booleans())
def test_batch_matches_the_session_engine(data, picks, rounds, seed, complete, discount,
                                         reservation, first):
    space = _space(data)
    if space is None:
        return
    n = space.n_parties
    lineups = [tuple(picks[k:k + n]) for k in range(0, 6 - n + 1, 2)]
    kw = {"rounds": rounds, "complete_information": complete, "discount": discount,
          "reservations": reservation, "first": space.domain.party_ids[-1] if first else None}
    batch = run_batch(space, lineups * 3, seeds=seed, n_sessions=3 * len(lineups), trace=True,
                      **kw)
    assert batch.vectorised.all()
    _same_as_sessions(batch, lineups, **kw)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(max_parties=4, max_issues=4, max_options=6),
       picks=st.lists(st.sampled_from(VECTORISED), min_size=4, max_size=4),
       seed=st.integers(0, 2**31))
def test_batch_matches_on_larger_domains(data, picks, seed):
    """Up to four parties (proposers differ between rows once some have accepted) and wider
    candidate windows."""
    space = _space(data)
    if space is None:
        return
    lineup = tuple(picks[:space.n_parties])
    batch = run_batch(space, lineup, seeds=seed, n_sessions=8, trace=True, rounds=50)
    _same_as_sessions(batch, [lineup], rounds=50)


def test_batch_mixes_vectorised_and_per_session_lineups():
    """User strategies and Nash-seekers keep the per-session path inside the same batch."""
    lineups = [("boulware", "conceder"), (f"{AGENTS}:Stubborn", "linear"), ("nash", "random"),
               ("tit-for-tat", "random:p=0.5")]
    batch = run_batch(PIE, lineups, seeds=list(range(10, 14)), rounds=30, trace=True)
    assert batch.vectorised.tolist() == [True, False, False, True]
    _same_as_sessions(batch, lineups, rounds=30)


def test_batch_without_trace_has_the_same_outcomes():
    lineups = [("random", "tit-for-tat", "boulware"), ("conceder", "linear", "random:p=0.4")]
    with_trace = run_batch(TRIO, lineups * 50, seeds=1, rounds=60, trace=True)
    without = run_batch(TRIO, lineups * 50, seeds=1, rounds=60)
    assert without.trace_actions is None
    for field in ("agreement", "offer", "rounds_used", "utilities", "discounted", "welfare",
                  "pareto_distance"):
        assert np.array_equal(getattr(with_trace, field), getattr(without, field))
    assert 0 < with_trace.agreement.mean() < 1  # the fixture tells agreement from breakdown
    assert without.turns == int(without.rounds_used.sum()) > len(without)


def test_random_draws_replay_each_sessions_generator():
    """Many random sessions, long enough that the raw-word buffers refill several times."""
    batch = run_batch(PIE, ("random:p=0.01", "random:p=0.01"), n_sessions=40, seeds=5,
                      rounds=400, trace=True)
    assert (batch.rounds_used > 130).sum() > 10
    _same_as_sessions(batch, [("random:p=0.01", "random:p=0.01")], rounds=400)


def test_which_strategies_are_vectorised():
    assert all(vectorised(make_strategy(s)) for s in VECTORISED)
    assert not vectorised(make_strategy("nash"))
    assert not vectorised(make_strategy(f"{AGENTS}:Stubborn"))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"strategies": ["linear"] * 2, "seeds": 0}, "give n_sessions"),
    ({"strategies": [("linear", "linear")] * 3, "n_sessions": 2}, "3 lineups for 2 sessions"),
    ({"strategies": ["linear"] * 2, "seeds": [1, -2]}, "non-negative integers"),
    ({"strategies": ["linear"] * 2, "seeds": [1, 2], "n_sessions": 3}, "2 seeds for 3 sessions"),
    ({"strategies": ["linear"] * 2, "n_sessions": 10**5, "rounds": 10**4, "trace": True},
     "run without trace or in smaller batches"),
    ({"strategies": ["linear"], "n_sessions": 2}, "give one strategy per party"),
])
def test_batch_arguments_are_checked(kwargs, message):
    with pytest.raises(ProtocolError, match=message):
        run_batch(PIE, **kwargs)


def test_candidate_windows_beyond_their_memory_budget(monkeypatch):
    """Large spaces score candidates from their rows instead of precomputed windows."""
    from pactlab.negotiation import lockstep

    monkeypatch.setattr(lockstep, "WINDOW_BUDGET", 0)
    lineups = [("tit-for-tat", "boulware", "random"), ("linear:candidates=40", "conceder",
                                                       "hardliner")]
    result = run_batch(TRIO, lineups * 3, seeds=4, rounds=40, trace=True)
    _same_as_sessions(result, lineups, rounds=40)


@pytest.mark.parametrize("lineup", [("boulware", "conceder", "random"),
                                    ("nash-seeker", "linear", "tit-for-tat")])
def test_without_metrics_the_ends_are_the_same_and_no_frontier_is_built(lineup):
    """`metrics=False` (sweeps) only leaves the distances out: same agreements, offers and
    utilities, the session path (nash-seeker) included; the space's frontier is never built
    unless a strategy needs it."""
    with_metrics = run_batch(TRIO, lineup, n_sessions=6, seeds=3, rounds=40)
    fresh = build_space(with_metrics.space.domain)
    without = run_batch(fresh, lineup, n_sessions=6, seeds=3, rounds=40, metrics=False)
    for key in ("agreement", "offer", "agreement_round", "utilities", "discounted", "welfare"):
        np.testing.assert_array_equal(getattr(without, key), getattr(with_metrics, key), key)
    assert np.isnan(without.pareto_distance).all() and np.isnan(without.nash_distance).all()
    assert not np.isnan(with_metrics.pareto_distance).any()
    one = without.session(0)
    assert np.isnan(one.pareto_distance) and one.nash_distance is None
    built = bool(fresh.__dict__.get("_frontier"))
    assert built == any(make_strategy(s).requires_complete_information for s in lineup)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(), picks=st.lists(st.sampled_from(VECTORISED), min_size=3, max_size=3),
       rounds=st.integers(3, 30), seed=st.integers(0, 2**31), complete=st.booleans(),
       draws=st.integers(0, 2**31))
def test_each_session_on_its_own_utilities_matches_the_session_engine(data, picks, rounds, seed,
                                                                     complete, draws):
    """`run_each` (a sweep's samples: same outcomes, other utilities and reservations, one
    space per row in lockstep) against `run_session` on each variant alone."""
    space = _space(data)
    if space is None:
        return
    base = space.domain
    rng = np.random.default_rng(draws)
    variants = [dataclasses.replace(
        base, values=tuple(v * rng.uniform(0.2, 1.5, (base.n_parties, 1)) for v in base.values),
        reservations=rng.uniform(0.0, 0.6, base.n_parties)) for _ in range(5)]
    lineup = picks[:base.n_parties]
    seeds = np.arange(seed, seed + 5) % 2**31
    each = run_each(variants, lineup, seeds, rounds=rounds, complete_information=complete)
    assert each.vectorised.all()
    for k, domain in enumerate(variants):
        alone = run_session(domain, list(lineup), rounds=rounds, seed=int(seeds[k]),
                            complete_information=complete, trace=False)
        assert bool(each.agreement[k]) == alone.agreement, k
        assert each.agreement_round[k] == (alone.agreement_round
                                           if alone.agreement else -1), k
        assert each.utilities[k].tolist() == list(alone.utilities.values()), k
        if alone.agreement:
            assert each.spaces[k].outcome(int(each.offer[k])) == alone.outcome, k
