"""Built-in strategies: time-dependent concession, hardliner, tit-for-tat, random, Nash-seeker.

Most are `ConcessionStrategy`s: each turn they compute a target utility, offer
an outcome at or just above it (bisection into their sorted utilities, then the
candidate the opponent model likes best among the next few), and accept by an
acceptance condition. They never accept an offer below their reservation.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from pactlab.negotiation.acceptance import ACCEPTANCE_NAMES, Acceptance, make_acceptance
from pactlab.negotiation.base import EPS, Param, PartyView, Response, State, Strategy
from pactlab.negotiation.opponent import FrequencyModel, TrueModel

ACCEPTANCE_PARAMS: dict[str, Param] = {
    "ac": Param("next", "acceptance condition", choices=ACCEPTANCE_NAMES),
    "alpha": Param(1.0, "AC_next: scale of the offer's utility", low=0.0),
    "beta": Param(0.0, "AC_next: margin added to the offer's utility", low=-1.0, high=1.0),
    "c": Param(0.8, "AC_const: utility always accepted"),
    "at": Param(0.99, "AC_time / AC_combi: relative time after which to accept", 0.0, 1.0),
    "candidates": Param(16, "how many outcomes just above the target the opponent model "
                        "chooses among", low=1, high=4096),
}


class ConcessionStrategy(Strategy):
    """Target-utility strategies: subclasses only say how the target moves (`target`)."""

    PARAMS: ClassVar[dict[str, Param]] = ACCEPTANCE_PARAMS

    def setup(self, view: PartyView, rng: np.random.Generator) -> None:
        super().setup(view, rng)
        p = self.params
        self.acceptance: Acceptance = make_acceptance(
            p["ac"], alpha=p["alpha"], beta=p["beta"], c=p["c"], at=p["at"]
        )
        self.k = int(p["candidates"])
        self.own = view.utilities
        self.order = view.order
        self.sorted = view.sorted_utilities
        self.floor = view.reservation
        self.u_max, self.u_min = view.u_max, view.u_min
        self.best_received = -np.inf
        self.last_rank = len(self.order) - 1
        self.model = (
            TrueModel(view.complete.utils, view.party)
            if view.complete is not None
            else FrequencyModel(view.outcomes, view.n_parties, view.party)
        )

    def target(self, state: State) -> float:
        """Utility to aim for now."""
        raise NotImplementedError

    def received(self, state: State, u: float) -> None:
        """Hook called with the utility of every offer received, before answering it."""

    def propose(self, state: State) -> int:
        return self.choose(self.target(state))

    def respond(self, state: State, offer: int) -> Response:
        u = float(self.own[offer])
        self.model.update(state.proposer, offer)
        self.received(state, u)
        best, self.best_received = self.best_received, max(self.best_received, u)
        if u < self.floor - EPS:
            return Response.REJECT
        upcoming = self.alternative(state)
        return Response.ACCEPT if self.acceptance(u, upcoming, state.t, best) else Response.REJECT

    def alternative(self, state: State) -> float:
        """What rejecting is worth: my counter-offer's target, or my floor if none can be
        accepted any more."""
        return self.target(state) if state.can_counter else self.floor

    def choose(self, target: float) -> int:
        """Of the `k` outcomes just at or above `target`, the one the opponent model likes best.

        Ties go to the outcome closest to the target, as in Faratin et al.
        """
        rank = int(self.sorted.searchsorted(target - EPS))
        if rank >= self.last_rank:
            rank = self.last_rank
        candidates = self.order[rank : rank + self.k]
        if len(candidates) == 1 or not self.model.informed:
            return int(candidates[0])
        return int(candidates[self.model.scores(candidates).argmax()])


class TimeDependent(ConcessionStrategy):
    """Faratin, Sierra & Jennings (1998): target(t) = u_max − (u_max − u_min)·t^(1/e).

    e < 1 is Boulware (holds out, concedes late), e = 1 linear, e > 1 Conceder;
    u_min is the reservation (or the worst feasible utility, if higher).
    """

    name = "time"
    PARAMS: ClassVar[dict[str, Param]] = {
        "e": Param(1.0, "concession exponent: <1 Boulware, 1 linear, >1 Conceder",
                   low=1e-3, high=1e3),
        **ACCEPTANCE_PARAMS,
    }

    def target(self, state: State) -> float:
        return self.target_at(state.t)

    def target_at(self, t: float) -> float:
        target: float = self.u_max - (self.u_max - self.u_min) * t ** (1.0 / self.params["e"])
        return target


def _preset(name: str, e: float, doc: str) -> type[TimeDependent]:
    """A named `TimeDependent` with its own default exponent (GENIUS's classic values)."""
    params = dict(TimeDependent.PARAMS)
    params["e"] = Param(e, params["e"].help, params["e"].low, params["e"].high)
    return type(name.capitalize(), (TimeDependent,), {"name": name, "PARAMS": params,
                                                      "__doc__": doc})


Boulware = _preset("boulware", 0.2, "Time-dependent with e = 0.2: concedes late.")
Linear = _preset("linear", 1.0, "Time-dependent with e = 1: concedes at a constant rate.")
Conceder = _preset("conceder", 2.0, "Time-dependent with e = 2: concedes early.")


class Hardliner(ConcessionStrategy):
    """Always demands its best outcome; at its last chance (no other party can make another
    offer it could accept) it takes anything above its floor."""

    name = "hardliner"

    def target(self, state: State) -> float:
        return self.u_max

    def alternative(self, state: State) -> float:
        return self.floor if state.last_chance else super().alternative(state)


class TitForTat(ConcessionStrategy):
    """Imitative tactics (Faratin et al. 1998), measured in the party's own utility.

    absolute: concede by as much utility as the opponent's last move gave me.
    relative: shrink my surplus above u_min by the ratio the opponent shrank the
    gap between my best and what it offers me. Both start at u_max.
    """

    name = "tit-for-tat"
    PARAMS: ClassVar[dict[str, Param]] = {
        "mode": Param("relative", "relative or absolute reciprocity",
                      choices=("relative", "absolute")),
        **ACCEPTANCE_PARAMS,
    }

    def setup(self, view: PartyView, rng: np.random.Generator) -> None:
        super().setup(view, rng)
        self.level = self.u_max
        self.previous: dict[int, float] = {}

    def received(self, state: State, u: float) -> None:
        before = self.previous.get(state.proposer)
        self.previous[state.proposer] = u
        if before is None:
            return
        if self.params["mode"] == "absolute":
            level = self.level - (u - before)
        else:
            gap = self.u_max - before
            ratio = (self.u_max - u) / gap if gap > EPS else 1.0
            level = self.u_min + (self.level - self.u_min) * ratio
        self.level = float(np.clip(level, self.u_min, self.u_max))

    def target(self, state: State) -> float:
        return self.level


class AbsoluteTitForTat(TitForTat):
    """Tit-for-tat with absolute reciprocity."""

    name = "tit-for-tat-absolute"
    PARAMS: ClassVar[dict[str, Param]] = {
        **TitForTat.PARAMS,
        "mode": Param("absolute", "relative or absolute reciprocity",
                      choices=("relative", "absolute")),
    }


class NashSeeker(ConcessionStrategy):
    """Complete information: offers the Nash bargaining outcome and accepts anything as good."""

    name = "nash"
    requires_complete_information = True

    def setup(self, view: PartyView, rng: np.random.Generator) -> None:
        super().setup(view, rng)
        nash = view.complete.nash if view.complete is not None else None
        self.nash = view.at_least(self.u_max) if nash is None else nash

    def target(self, state: State) -> float:
        return float(self.own[self.nash])

    def propose(self, state: State) -> int:
        return self.nash


class RandomStrategy(Strategy):
    """Offers a uniformly random outcome above its reservation; accepts those with probability p."""

    name = "random"
    PARAMS: ClassVar[dict[str, Param]] = {
        "p": Param(0.1, "probability of accepting an offer above the reservation", 0.0, 1.0),
    }

    def setup(self, view: PartyView, rng: np.random.Generator) -> None:
        super().setup(view, rng)
        self.own = view.utilities
        self.order = view.order
        self.first = view.rank_at_least(view.u_min)

    def propose(self, state: State) -> int:
        return int(self.order[self.rng.integers(self.first, len(self.order))])

    def respond(self, state: State, offer: int) -> Response:
        ok = self.own[offer] >= self.view.reservation - EPS  # type: ignore[union-attr]
        return Response.ACCEPT if ok and self.rng.random() < self.params["p"] else Response.REJECT

