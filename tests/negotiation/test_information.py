"""Information hiding: without complete information a strategy can reach only its own utilities."""

from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any, ClassVar

import numpy as np
import pytest
from negotiation_helpers import PIE, TRIO

from pactlab.model.domain import Domain
from pactlab.negotiation import Response, State, Strategy, run_session
from pactlab.negotiation.protocol import resolve_scenario
from pactlab.negotiation.space import OfferSpace

OPAQUE = (type, ModuleType, FunctionType, BuiltinFunctionType, str, bytes, int, float)


def _children(obj: Any) -> list[Any]:
    """Everything one attribute, item or array base away from `obj`."""
    if isinstance(obj, np.ndarray):
        return [] if obj.base is None else [obj.base]
    if isinstance(obj, dict):
        return [*obj.keys(), *obj.values()]
    if isinstance(obj, list | tuple | set | frozenset):
        return list(obj)
    if isinstance(obj, MethodType):
        return [obj.__self__]
    slots = [s for cls in type(obj).__mro__ for s in getattr(cls, "__slots__", ())]
    return [*getattr(obj, "__dict__", {}).values(),
            *(getattr(obj, s) for s in slots if hasattr(obj, s))]


def reachable(*roots: Any) -> list[Any]:
    """Every object a strategy can get to from `roots` by attributes and items (not modules)."""
    seen: dict[int, Any] = {}
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, OPAQUE) or obj is None:
            continue
        seen[id(obj)] = obj
        todo += _children(obj)
    return list(seen.values())


def exposes(objects: list[Any], utils: np.ndarray) -> bool:
    """Whether any object is the space or domain, or holds a copy or view of these utilities."""
    for obj in objects:
        if isinstance(obj, OfferSpace | Domain):
            return True
        if isinstance(obj, np.ndarray) and obj.dtype.kind == "f" and (
            np.shares_memory(obj, utils)
            or any(np.array_equal(row, utils) for row in np.atleast_2d(obj))
        ):
            return True
    return False


class Probe(Strategy):
    """A user strategy that collects everything it can reach from its view and the clock."""

    found: ClassVar[list[Any]] = []

    def setup(self, view, rng) -> None:
        super().setup(view, rng)
        Probe.found[:] = reachable(self)

    def propose(self, state: State) -> int:
        Probe.found += reachable(state)
        return self.view.at_least(self.view.u_max)

    def respond(self, state: State, offer: int) -> Response:
        Probe.found += reachable(state, offer)
        return Response.REJECT


@pytest.mark.parametrize("scenario", [PIE, TRIO])
def test_a_strategy_cannot_reach_the_opponents_utilities(scenario):
    _, space = resolve_scenario(scenario)
    probes = {p: Probe if p == space.domain.party_ids[0] else "linear"
              for p in space.domain.party_ids}
    run_session(scenario, probes, rounds=8)
    assert exposes(Probe.found, space.utils[0])  # its own utilities: yes
    for other in range(1, space.n_parties):
        assert not exposes(Probe.found, space.utils[other])


def test_complete_information_shows_everyone():
    _, space = resolve_scenario(PIE)
    run_session(PIE, {"a": Probe, "b": "linear"}, rounds=8, complete_information=True)
    assert exposes(Probe.found, space.utils[1])
    view = next(o for o in Probe.found if type(o).__name__ == "PartyView")
    assert view.complete is not None and view.complete.space.utils is space.utils
