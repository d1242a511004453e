"""Subgame-perfect play of bilateral alternating offers with a deadline, by backward induction.

Rubinstein (1982) solved the infinite-horizon game: with discount factors
δ₁, δ₂ the first proposer gets (1−δ₂)/(1−δ₁δ₂) of the pie. Ståhl's finite
game converges to it as the deadline grows. Here the game is solved on the
actual (finite, discrete) outcome space: at the last turn whose offer can be
answered, the proposer takes its best outcome the responder prefers to
disagreement; one turn earlier, its best outcome the responder prefers to
that; and so on back to the opening offer. The strategy then plays its part
of that equilibrium. It needs complete information and two parties.
"""

from __future__ import annotations

import numpy as np

from pactlab.errors import StrategyError
from pactlab.negotiation.base import EPS, PartyView, Response, State, Strategy


class SubgamePerfect(Strategy):
    """Plays the subgame-perfect equilibrium of the finite alternating-offers game."""

    name = "rubinstein"
    requires_complete_information = True
    bilateral_only = True

    def setup(self, view: PartyView, rng: np.random.Generator) -> None:
        super().setup(view, rng)
        if view.n_parties != 2 or view.complete is None:
            raise StrategyError(
                "strategy 'rubinstein' solves two-party games with complete information; "
                f"this session has {view.n_parties} parties"
            )
        self.plan, self.after = equilibrium_plan(view)
        self.best = view.at_least(view.u_max)

    def propose(self, state: State) -> int:
        return self.plan.get(state.turn, self.best)

    def respond(self, state: State, offer: int) -> Response:
        view = self.view
        assert view is not None
        me, tau = view.party, state.offer_turn
        u = view.utility(offer)
        if u < view.reservation - EPS:
            return Response.REJECT
        worth = view.discount**tau * u
        alternative = self.after[tau, me] if tau < len(self.after) else view.reservation
        return Response.ACCEPT if worth >= alternative - EPS else Response.REJECT


def equilibrium_plan(view: PartyView) -> tuple[dict[int, int], np.ndarray]:
    """Each turn's equilibrium offer, and each party's (time-0) value of rejecting it."""
    info = view.complete
    assert info is not None
    front, r, d = info.frontier, info.reservations, info.discounts
    by_responder = {}
    for j in (0, 1):
        order = np.argsort(info.utils[j, front], kind="stable")
        # Along the frontier sorted by the responder's utility, the proposer's falls.
        by_responder[j] = (info.utils[j, front[order]], info.utils[1 - j, front[order]],
                           front[order])
    last = view.rounds - 2
    cont = r.astype(float).copy()  # disagreement: reservations, not discounted
    after = np.empty((max(last + 1, 0), 2))
    plan: dict[int, int] = {}
    for tau in range(last, -1, -1):
        after[tau] = cont
        i = view.party if (tau - view.seat) % 2 == 0 else 1 - view.party
        j = 1 - i
        di, dj = d[i] ** tau, d[j] ** tau
        need = max(cont[j] / dj if dj > 0 else np.inf, r[j])
        uj, ui, pos = by_responder[j]
        k = int(np.searchsorted(uj, need - EPS, side="left"))
        if k < len(uj) and di * ui[k] >= cont[i] - EPS and ui[k] >= r[i] - EPS:
            plan[tau] = int(pos[k])
            cont = cont.copy()
            cont[i], cont[j] = di * ui[k], dj * uj[k]
    return plan, after
