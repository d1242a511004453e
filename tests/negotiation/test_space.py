"""The offer space: exactly the feasible outcomes, counted before any work, and cached for as
long as what it was built from lives, and no longer."""

from __future__ import annotations

import gc
import time
import weakref

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from negotiation_helpers import PIE, pie_file

from conftest import build, scenario_dicts
from pactlab.errors import ProtocolError
from pactlab.model import compile_domain, load_scenario
from pactlab.model.domain import Domain
from pactlab.negotiation import run_session
from pactlab.negotiation.protocol import resolve_scenario
from pactlab.negotiation.space import build_space


def _freed(probe: weakref.ref) -> bool:
    gc.collect()
    return probe() is None


def test_a_domain_keeps_its_space_and_frees_it_with_itself():
    domain = compile_domain(load_scenario(PIE))
    first = resolve_scenario(domain)[1]
    run_session(domain, ["linear", "conceder"], rounds=20)
    assert resolve_scenario(domain)[1].utils is first.utils  # enumerated once
    probe = weakref.ref(first.utils)
    del first
    assert not _freed(probe)  # the domain still lives: so does its space
    del domain
    assert _freed(probe)


def test_a_scenario_object_keeps_its_space_while_it_lives():
    scenario = load_scenario(PIE)
    name, space = resolve_scenario(scenario)
    assert name == "pie" and resolve_scenario(scenario)[1].utils is space.utils
    probe = weakref.ref(space.utils)
    del space
    assert not _freed(probe)
    del scenario
    assert _freed(probe)


def test_a_file_is_enumerated_once_while_its_results_are_in_use(tmp_path):
    path = pie_file(tmp_path, 11)  # a file of its own: no other test holds its domain
    res = run_session(path, ["linear", "conceder"], rounds=20)
    _, space = resolve_scenario(path)
    probe = weakref.ref(space.utils)
    assert resolve_scenario(str(path))[1].utils is space.utils
    del space
    assert not _freed(probe)  # the result's trace still uses the space
    del res
    assert _freed(probe)  # nothing is kept for the life of the process


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenario_dicts(max_parties=3, max_issues=4, max_options=5))
def test_the_space_is_every_feasible_outcome_in_order(data):
    """Oracle: decode every outcome, keep the feasible ones, in index order."""
    domain = compile_domain(build(data))
    rows = domain.decode(np.arange(domain.n_outcomes))
    feasible = rows[domain.feasible_rows(rows)]
    if len(feasible) == 0:
        with pytest.raises(ProtocolError, match="no feasible outcome"):
            build_space(domain)
        return
    space = build_space(domain)
    assert np.array_equal(space.rows, feasible)
    assert np.array_equal(space.utils, domain.utilities_of_rows(feasible).T)


def _wide(issues: int, options: int, allowed: int) -> Domain:
    """`options`^`issues` outcomes; party a's limits allow `allowed` options per issue."""
    mask = np.zeros((2, options), dtype=bool)
    mask[1] = True
    mask[0, :allowed] = True
    rng = np.random.default_rng(0)
    return Domain(
        issue_ids=tuple(f"i{i}" for i in range(issues)),
        labels=tuple(tuple(float(k) for k in range(options)) for _ in range(issues)),
        party_ids=("a", "b"),
        values=tuple(rng.random((2, options)) / issues for _ in range(issues)),
        party_allowed=tuple(mask.copy() for _ in range(issues)),
        reservations=np.zeros(2),
    )


def test_limits_are_applied_before_enumerating():
    """10^15 outcomes, 2^15 feasible: only the feasible ones are visited."""
    t0 = time.perf_counter()
    space = build_space(_wide(15, 10, 2))
    assert space.size == 2**15 and time.perf_counter() - t0 < 10
    assert int(space.rows.max()) == 1


def test_too_many_feasible_outcomes_are_refused_before_any_work():
    t0 = time.perf_counter()
    with pytest.raises(ProtocolError, match=r"has 1,000,000,000,000,000 feasible outcomes"):
        build_space(_wide(15, 10, 10))
    assert time.perf_counter() - t0 < 1
