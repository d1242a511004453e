"""Offer spaces are cached for as long as what they were built from lives, and no longer."""

from __future__ import annotations

import gc
import weakref

from negotiation_helpers import PIE, pie_file

from pactlab.model import compile_domain, load_scenario
from pactlab.negotiation import run_session
from pactlab.negotiation.protocol import resolve_scenario


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
