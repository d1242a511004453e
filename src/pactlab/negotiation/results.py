"""What a session produces: the trace, the agreement or breakdown, and the metrics."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, overload

import numpy as np

from pactlab.model.labels import Label
from pactlab.result import Result

if TYPE_CHECKING:
    from pactlab.negotiation.space import OfferSpace

OFFER, ACCEPT, WALK = 0, 1, 2
TRACE_LIMIT = 20_000  # turns in the JSON shape: longer traces give their first and last 10,000
ACTIONS = ("offer", "accept", "walk_away")


@dataclass(frozen=True)
class Step(Result):
    """One turn of the trace: who acted, how, on which outcome, and what it is worth to all."""

    round: int
    party: str
    action: str  # "offer", "accept" or "walk_away"
    outcome: dict[str, Label] | None
    utilities: dict[str, float] | None


class Trace(Sequence[Step]):
    """The turns of a session, turned into `Step`s only when looked at.

    Stored compactly, 5 bytes a turn: each turn's action and offer position (the
    acting party is the seat whose turn it is), so a session of a million turns
    keeps 5 MB, not a million Python objects.
    """

    def __init__(self, space: OfferSpace, seats: Sequence[int],
                 actions: Iterable[int] = (), offers: Iterable[int] = ()) -> None:
        self._space = space
        self._seats = tuple(seats)
        self._actions = array("b", actions)
        self._offers = array("i", offers)

    def append(self, action: int, offer: int) -> None:
        """Record the next turn."""
        self._actions.append(action)
        self._offers.append(offer)

    def __len__(self) -> int:
        return len(self._actions)

    @overload
    def __getitem__(self, i: int) -> Step: ...
    @overload
    def __getitem__(self, i: slice) -> list[Step]: ...
    def __getitem__(self, i: int | slice) -> Step | list[Step]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        action, offer = self._actions[i], self._offers[i]
        parties = self._space.domain.party_ids
        party = parties[self._seats[i % len(self._seats)]]
        if offer < 0:
            return Step(i, party, ACTIONS[action], None, None)
        utilities = dict(zip(parties, self._space.utils[:, offer].tolist(), strict=True))
        return Step(i, party, ACTIONS[action], self._space.outcome(offer), utilities)

    def __iter__(self) -> Iterator[Step]:
        return (self[i] for i in range(len(self)))

    def actions(self) -> np.ndarray:
        """Each turn's action (0 offer, 1 accept, 2 walk away)."""
        return np.frombuffer(self._actions, dtype=np.int8).copy()

    def positions(self) -> np.ndarray:
        """Each turn's offer position (the standing offer when accepting; −1 walking away)."""
        return np.frombuffer(self._offers, dtype=np.int32).astype(np.int64)

    @property
    def space(self) -> OfferSpace:
        """The offer space the session was played on (its frontier is drawn behind figures)."""
        return self._space

    def offers(self) -> np.ndarray:
        """(turn, party, offer position) of every offer made, as an int array."""
        turns = np.flatnonzero(self.actions() == OFFER)
        seats = np.array(self._seats, dtype=np.int64)[turns % len(self._seats)]
        return np.stack([turns, seats, self.positions()[turns]], axis=1)

    def head_and_tail(self, limit: int) -> list[Step]:
        """Every step, or beyond `limit` turns only the first and the last `limit` / 2."""
        n = len(self)
        if n <= limit:
            return list(self)
        return [self[i] for i in (*range(limit // 2), *range(n - limit // 2, n))]

    def __repr__(self) -> str:
        return f"Trace({len(self)} turns)"


@dataclass(frozen=True)
class SessionResult(Result):
    """A finished negotiation. `utilities` are those of the agreement, or of the status quo
    (else the reservations) on breakdown; `discounted` applies δ^round of the accepted offer.

    `to_dict()` is the `negotiate --json` object; `records()` / `to_frame()` list the trace.
    """

    derived: ClassVar = {"surplus": "reservations"}
    tabular = "trace"

    scenario: str
    parties: tuple[str, ...]
    strategies: dict[str, str]
    rounds: int
    seed: int
    agreement: bool
    end: str  # "agreement", "deadline" or "walk_away"
    ended_by: str | None  # the party that walked away
    outcome: dict[str, Label] | None
    agreement_round: int | None
    rounds_used: int
    utilities: dict[str, float]
    discounted: dict[str, float]
    reservations: dict[str, float]
    welfare: float
    pareto_distance: float
    nash_distance: float | None
    trace: Sequence[Step] = field(repr=False, default=())

    @property
    def surplus(self) -> dict[str, float]:
        """Utility minus reservation: negative means worse than the party's BATNA."""
        return {p: self.utilities[p] - self.reservations[p] for p in self.parties}

    def _json_items(self, full: bool) -> Iterator[tuple[str, Any]]:
        """The fields, with a bounded trace: a long session's JSON keeps its first and last
        `TRACE_LIMIT` / 2 turns and says how many it left out (`trace_omitted`)."""
        for key, value in super()._json_items(full):
            if key == "trace" and isinstance(value, Trace):
                shown = value.head_and_tail(TRACE_LIMIT)
                yield key, shown
                yield "trace_omitted", len(value) - len(shown)
            else:
                yield key, value

    def __repr__(self) -> str:
        vs = " vs ".join(f"{p}={s}" for p, s in self.strategies.items())
        if self.agreement:
            head = f"agreement in round {self.agreement_round}"
        else:
            head = f"no agreement ({self.end}{' by ' + self.ended_by if self.ended_by else ''})"
        us = ", ".join(f"{p}={u:.3f}" for p, u in self.utilities.items())
        return (f"SessionResult({self.scenario!r}: {vs}: {head} after {self.rounds_used} "
                f"rounds; {us}; Pareto distance {self.pareto_distance:.3f})")


def distance_to(points: np.ndarray, u: np.ndarray) -> float:
    """Euclidean distance in utility space from `u` to the nearest of `points`."""
    if len(points) == 0:
        return float("nan")
    return float(np.sqrt(((points - u) ** 2).sum(axis=1).min()))
