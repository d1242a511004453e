"""Negotiation simulation: alternating-offers protocols, strategies, sessions and tournaments."""

from pactlab.errors import ProtocolError, StrategyError
from pactlab.negotiation.acceptance import (
    ACBest,
    Acceptance,
    ACConst,
    ACNext,
    ACTime,
    ac_combi,
)
from pactlab.negotiation.base import (
    CompleteInformation,
    Param,
    PartyView,
    Response,
    State,
    Strategy,
)
from pactlab.negotiation.batch import BatchResult, EachResult, run_batch, run_each
from pactlab.negotiation.equilibrium import SubgamePerfect
from pactlab.negotiation.opponent import FrequencyModel, TrueModel
from pactlab.negotiation.protocol import Session, run_session
from pactlab.negotiation.registry import make_strategy, strategy_names
from pactlab.negotiation.results import SessionResult, Step
from pactlab.negotiation.space import OfferSpace, build_space
from pactlab.negotiation.strategies import (
    AbsoluteTitForTat,
    Boulware,
    Conceder,
    ConcessionStrategy,
    Hardliner,
    Linear,
    NashSeeker,
    RandomStrategy,
    TimeDependent,
    TitForTat,
)
from pactlab.negotiation.tournament import TournamentResult, tournament

__all__ = [
    "ACBest",
    "ACConst",
    "ACNext",
    "ACTime",
    "AbsoluteTitForTat",
    "Acceptance",
    "BatchResult",
    "Boulware",
    "CompleteInformation",
    "Conceder",
    "ConcessionStrategy",
    "EachResult",
    "FrequencyModel",
    "Hardliner",
    "Linear",
    "NashSeeker",
    "OfferSpace",
    "Param",
    "PartyView",
    "ProtocolError",
    "RandomStrategy",
    "Response",
    "Session",
    "SessionResult",
    "State",
    "Step",
    "Strategy",
    "StrategyError",
    "SubgamePerfect",
    "TimeDependent",
    "TitForTat",
    "TournamentResult",
    "TrueModel",
    "ac_combi",
    "build_space",
    "make_strategy",
    "run_batch",
    "run_each",
    "run_session",
    "strategy_names",
    "tournament",
]
