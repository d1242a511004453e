"""What a session produces: the trace, the agreement or breakdown, and the metrics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, overload

import numpy as np

from pactlab.model.domain import Label
from pactlab.result import Result

if TYPE_CHECKING:
    from pactlab.negotiation.space import OfferSpace

OFFER, ACCEPT, WALK = 0, 1, 2
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
    """The turns of a session, turned into `Step`s only when looked at (the log is ints)."""

    def __init__(self, space: OfferSpace, log: list[tuple[int, int, int]]) -> None:
        self._space = space
        self._log = log

    def __len__(self) -> int:
        return len(self._log)

    @overload
    def __getitem__(self, i: int) -> Step: ...
    @overload
    def __getitem__(self, i: slice) -> list[Step]: ...
    def __getitem__(self, i: int | slice) -> Step | list[Step]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        party, action, offer = self._log[i]
        parties = self._space.domain.party_ids
        if offer < 0:
            return Step(i, parties[party], ACTIONS[action], None, None)
        utilities = dict(zip(parties, self._space.utils[:, offer].tolist(), strict=True))
        return Step(i, parties[party], ACTIONS[action], self._space.outcome(offer), utilities)

    def __iter__(self) -> Iterator[Step]:
        return (self[i] for i in range(len(self)))

    def offers(self) -> np.ndarray:
        """(turn, party, offer position) of every offer made, as an int array."""
        rows = [(i, p, o) for i, (p, a, o) in enumerate(self._log) if a == OFFER]
        return np.array(rows, dtype=np.int64).reshape(-1, 3)

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
