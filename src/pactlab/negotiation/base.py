"""What a strategy sees and must do: the `Strategy` interface, its view of the domain, the clock.

Offers are positions into the shared `OfferSpace` (plain ints), never Python
outcome objects, so a negotiation step is a few array lookups. A strategy sees
its own utilities, its reservation and discount, and the offers it receives;
only with complete information does it also see everyone else's utilities and
the whole offer space.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

import numpy as np

from pactlab.errors import StrategyError
from pactlab.negotiation.space import OfferSpace, Outcomes

EPS = 1e-12


class Response(IntEnum):
    """A party's answer to the standing offer; on REJECT it makes a counter-offer."""

    REJECT = 0
    ACCEPT = 1
    WALK_AWAY = 2


class State:
    """The clock and the standing offer, updated in place each turn (copy what you keep).

    `turn` counts turns from 0 (the opening offer); in each later turn one party
    answers the standing offer. `last_offer_turn` is the last turn whose offer can
    still collect every other party's acceptance before the deadline, and
    `own_last[s]` the last such turn of seat s (negative if it has none). `t` is
    the acting party's relative time, Faratin's t on its own deadline: 0 at the
    opening offer and 1 at its own last offer that can still be accepted.
    """

    __slots__ = ("last_offer_turn", "n_parties", "offer", "offer_turn", "own_last", "proposer",
                 "rounds", "t", "turn")

    def __init__(self, rounds: int, n_parties: int) -> None:
        self.rounds = rounds
        self.n_parties = n_parties
        self.last_offer_turn = rounds - n_parties
        last = self.last_offer_turn
        self.own_last = tuple(last - (last - seat) % n_parties for seat in range(n_parties))
        self.turn = 0
        self.t = 0.0
        self.offer = -1  # standing offer position, -1 before the opening offer
        self.offer_turn = -1
        self.proposer = -1

    @property
    def can_counter(self) -> bool:
        """Whether an offer made now can still be accepted by everyone before the deadline."""
        return self.turn <= self.last_offer_turn

    @property
    def last_chance(self) -> bool:
        """Whether no other party can make another offer the acting party could still accept."""
        me = self.turn % self.n_parties
        return all(self.turn > last for s, last in enumerate(self.own_last) if s != me)

    def relative_time(self, turn: int) -> float:
        """Relative time at `turn` of the party that acts in it (seat `turn` mod parties)."""
        last = self.own_last[turn % self.n_parties]
        return 1.0 if last <= 0 else min(1.0, turn / last)


@dataclass(frozen=True, eq=False)
class CompleteInformation:
    """Everyone's utilities, reservations and discounts: given only when the session allows it."""

    space: OfferSpace  # the whole offer space, domain included
    utils: np.ndarray  # (parties, n)
    reservations: np.ndarray
    discounts: np.ndarray
    frontier: np.ndarray  # positions of the Pareto frontier
    nash: int | None  # position of the Nash bargaining solution


@dataclass(frozen=True, eq=False)
class PartyView:
    """One party's private view: its own utilities (and the offer space sorted by them), its
    reservation and discount, the outcomes without anyone's utilities, and the deadline.
    Everyone else's utilities are in `complete`, given only with complete information."""

    party: int
    parties: tuple[str, ...]
    seat: int  # place in the turn order: turn τ is played by seat τ mod n_parties
    reservation: float
    discount: float
    rounds: int
    utilities: np.ndarray  # own utility of every position (read-only)
    order: np.ndarray  # positions sorted by own utility, ascending
    sorted_utilities: np.ndarray  # utilities[order]
    outcomes: Outcomes  # issues, options and each position's option row
    complete: CompleteInformation | None = None

    @classmethod
    def of(cls, space: OfferSpace, party: int, *, seat: int, reservation: float,
           discount: float, rounds: int, complete: CompleteInformation | None = None
           ) -> PartyView:
        """The view of `party` on `space`: only its own slice unless `complete` is given."""
        own = space.private(party)
        return cls(party=party, parties=space.domain.party_ids, seat=seat,
                   reservation=reservation, discount=discount, rounds=rounds,
                   utilities=own.utilities, order=own.order,
                   sorted_utilities=own.sorted_utilities, outcomes=space.outcomes,
                   complete=complete)

    @property
    def party_id(self) -> str:
        return self.parties[self.party]

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def u_max(self) -> float:
        return float(self.sorted_utilities[-1])

    @property
    def u_min(self) -> float:
        """The lowest utility worth conceding to: the reservation, within the feasible range."""
        return float(min(max(self.reservation, self.sorted_utilities[0]), self.u_max))

    def utility(self, offer: int) -> float:
        return float(self.utilities[offer])

    def rank_at_least(self, target: float) -> int:
        """Rank (index into `order`) of the worst outcome worth at least `target`, by bisection."""
        rank = int(np.searchsorted(self.sorted_utilities, target - EPS, side="left"))
        return min(rank, len(self.order) - 1)

    def at_least(self, target: float) -> int:
        """Position of the worst outcome worth at least `target` to me (my best if none is)."""
        return int(self.order[self.rank_at_least(target)])

    def outcome(self, offer: int) -> dict[str, Any]:
        """The offer as {issue: option}, for display and logging (slow path)."""
        return self.outcomes.outcome(offer)


@dataclass(frozen=True)
class Param:
    """A declared strategy parameter: type, default, allowed range or choices, and why it exists."""

    default: float | str
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def convert(self, strategy: str, name: str, raw: Any) -> float | str:
        if self.choices:
            value = str(raw)
            if value not in self.choices:
                raise StrategyError(
                    f"strategy {strategy!r}: parameter {name}={raw!r} is not one of "
                    f"{', '.join(self.choices)}"
                )
            return value
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise StrategyError(
                f"strategy {strategy!r}: parameter {name}={raw!r} is not a number"
            ) from None
        if not np.isfinite(number) or (self.low is not None and number < self.low) or (
            self.high is not None and number > self.high
        ):
            raise StrategyError(
                f"strategy {strategy!r}: parameter {name}={raw!r} is out of range; "
                f"expected {_range_text(self.low, self.high)} ({self.help})"
            )
        return number


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"a number in [{low:g}, {high:g}]"
    if low is not None:
        return f"a number ≥ {low:g}"
    if high is not None:
        return f"a number ≤ {high:g}"
    return "a finite number"


class Strategy:
    """Base class of negotiation strategies, built-in and user-written.

    Subclass it, declare parameters in `PARAMS`, and implement `propose` and
    `respond`. A fresh instance plays one session: `setup` is called once with
    the party's view and a seeded random generator, then `respond` on every
    offer the party receives and `propose` whenever it must make an offer.
    """

    name: ClassVar[str] = "strategy"
    PARAMS: ClassVar[Mapping[str, Param]] = {}
    requires_complete_information: ClassVar[bool] = False
    bilateral_only: ClassVar[bool] = False

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.PARAMS))
        if unknown:
            known = ", ".join(sorted(self.PARAMS)) or "none"
            raise StrategyError(
                f"strategy {self.name!r} has no parameter(s) {', '.join(unknown)}; "
                f"its parameters are: {known}"
            )
        self.params: dict[str, Any] = {
            key: spec.convert(self.name, key, params.get(key, spec.default))
            for key, spec in self.PARAMS.items()
        }
        self.view: PartyView | None = None
        self.rng: np.random.Generator = np.random.default_rng(0)

    def setup(self, view: PartyView, rng: np.random.Generator) -> None:
        """Called once before the session starts."""
        self.view = view
        self.rng = rng

    def propose(self, state: State) -> int:
        """Position of the offer to make now."""
        raise NotImplementedError

    def respond(self, state: State, offer: int) -> Response | bool:
        """Answer the standing `offer` (made by party `state.proposer`)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The spec string that rebuilds this strategy (`name:key=value:...`)."""
        changed = [
            f"{k}={_fmt(v)}" for k, v in self.params.items() if v != self.PARAMS[k].default
        ]
        return ":".join([self.name, *changed])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
