"""User strategies for the tests: one that works and several that are broken on purpose."""

from typing import ClassVar

from pactlab.negotiation import Param, Response, Strategy


class Stubborn(Strategy):
    """Offers its best outcome; accepts anything worth at least `accept_at`."""

    name = "stubborn"
    PARAMS: ClassVar[dict[str, Param]] = {"accept_at": Param(0.5, "utility it accepts", 0.0, 1.0)}

    def propose(self, state):
        return self.view.at_least(self.view.u_max)

    def respond(self, state, offer):
        ok = self.view.utility(offer) >= self.params["accept_at"]
        return Response.ACCEPT if ok else Response.REJECT


class RaisesInPropose(Strategy):
    name = "raises"

    def propose(self, state):
        raise RuntimeError("boom")

    def respond(self, state, offer):
        return False


class BadOffer(Strategy):
    name = "bad-offer"

    def propose(self, state):
        return "the best one"

    def respond(self, state, offer):
        return False


class NeedsArgument(Strategy):
    def __init__(self, level):
        super().__init__()
        self.level = level


class NotAStrategy:
    pass
