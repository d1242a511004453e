"""The stacked alternating offers protocol (Aydoğan et al. 2014), bilateral as the n = 2 case.

Parties sit in a fixed order. The first makes an opening offer; then, one turn
at a time, the next party answers the standing offer: it accepts, walks away
(the negotiation breaks down for everyone), or rejects and makes a counter-offer
that becomes the standing offer. Agreement is reached when every other party
has accepted the standing offer in turn. With two parties this is Rubinstein's
alternating offers. A deadline of `rounds` turns bounds the session; on
breakdown the status quo holds. An agreement on the offer made in turn τ is
worth δ_i^τ·u_i to party i (per-turn discounting, as in Rubinstein 1982).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pactlab.model.domain import Domain, compile_domain
from pactlab.model.loading import load_scenario
from pactlab.model.schema import Scenario
from pactlab.negotiation.base import CompleteInformation, PartyView, Response, State, Strategy
from pactlab.negotiation.errors import ProtocolError, StrategyError
from pactlab.negotiation.registry import StrategyLike, make_strategy
from pactlab.negotiation.results import SessionResult, Step, distance_to
from pactlab.negotiation.space import OfferSpace, build_space

DEFAULT_STRATEGY = "linear"
OFFER, ACCEPT, WALK = 0, 1, 2
ACTIONS = ("offer", "accept", "walk_away")

_SPACES: dict[int, tuple[Domain, OfferSpace]] = {}


def space_of(domain: Domain) -> OfferSpace:
    """The offer space of a domain, built once per domain object and process."""
    hit = _SPACES.get(id(domain))
    if hit is None or hit[0] is not domain:
        hit = (domain, build_space(domain))
        _SPACES[id(domain)] = hit
    return hit[1]


ScenarioLike = Scenario | Domain | OfferSpace | str | Path


def resolve_scenario(scenario: ScenarioLike) -> tuple[str, OfferSpace]:
    """A name and an offer space from a scenario, a domain, a space, a built-in id or a path."""
    if isinstance(scenario, OfferSpace):
        return "", scenario
    if isinstance(scenario, Domain):
        return "", space_of(scenario)
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return sc.id, space_of(_domain_of(sc))


_DOMAINS: dict[int, tuple[Scenario, Domain]] = {}


def _domain_of(sc: Scenario) -> Domain:
    hit = _DOMAINS.get(id(sc))
    if hit is None or hit[0] is not sc:
        hit = (sc, compile_domain(sc))
        _DOMAINS[id(sc)] = hit
    return hit[1]


@dataclass(frozen=True)
class Settings:
    """Per-party protocol parameters, validated and in party order."""

    rounds: int
    discounts: np.ndarray
    reservations: np.ndarray
    seats: tuple[int, ...]  # party index of each seat in the turn order
    complete_information: bool


def per_party(name: str, value: float | Mapping[str, float] | None, parties: Sequence[str],
              default: np.ndarray, low: float, high: float) -> np.ndarray:
    """A per-party array from one number for everyone or a {party: number} mapping."""
    out = np.array(default, dtype=float)
    if value is None:
        return out
    items = value.items() if isinstance(value, Mapping) else ((p, value) for p in parties)
    for party, v in items:
        if party not in parties:
            raise ProtocolError(f"{name} given for unknown party {party!r}; "
                                f"the parties are {', '.join(parties)}")
        try:
            number = float(v)
        except (TypeError, ValueError):
            raise ProtocolError(f"{name} of {party!r} must be a number, got {v!r}") from None
        if not (low <= number <= high):
            raise ProtocolError(f"{name} of {party!r} must be in [{low:g}, {high:g}], got {v!r}")
        out[parties.index(party)] = number
    return out


class Session:
    """One negotiation: a scenario, a strategy per party and the protocol's settings.

    `strategies` maps party ids to specs (`"boulware"`, `"time:e=0.5"`,
    `"file.py:Class"`), classes or fresh instances; parties left out play
    `DEFAULT_STRATEGY`. `first` picks who opens (default: the scenario's
    first party). `discount` and `reservations` take one number or a
    {party: number} mapping. Strategies see only their own utilities unless
    `complete_information` (Nash-seeker and Rubinstein always get it).
    """

    def __init__(
        self,
        scenario: ScenarioLike,
        strategies: Mapping[str, StrategyLike] | Sequence[StrategyLike] | None = None,
        *,
        rounds: int = 100,
        discount: float | Mapping[str, float] | None = None,
        reservations: float | Mapping[str, float] | None = None,
        first: str | None = None,
        complete_information: bool = False,
        seed: int | None = None,
        trace: bool = True,
    ) -> None:
        self.name, self.space = resolve_scenario(scenario)
        domain = self.space.domain
        parties = list(domain.party_ids)
        self.parties = tuple(parties)
        self.specs = _strategy_specs(strategies, parties)
        if not isinstance(rounds, int | np.integer) or rounds < len(parties):
            raise ProtocolError(
                f"rounds must be an integer ≥ the number of parties ({len(parties)}), so that "
                f"an offer can be answered by everyone; got {rounds!r}"
            )
        if first is not None and first not in parties:
            raise ProtocolError(f"first party {first!r} is not one of {', '.join(parties)}")
        start = parties.index(first) if first else 0
        self.settings = Settings(
            rounds=int(rounds),
            discounts=per_party("discount", discount, parties, np.ones(len(parties)), 1e-9, 1.0),
            reservations=per_party("reservation", reservations, parties, domain.reservations,
                                   -np.inf, np.inf),
            seats=tuple((start + s) % len(parties) for s in range(len(parties))),
            complete_information=complete_information,
        )
        self.seed = int(np.random.SeedSequence(seed).entropy if seed is None else seed)
        self.keep_trace = trace

    def run(self) -> SessionResult:
        """Play the session to agreement, walk-away or deadline."""
        players = [make_strategy(self.specs[p]) for p in self.parties]
        labels = {p: (s if isinstance(s, str) else players[i].describe())
                  for i, (p, s) in enumerate(self.specs.items())}
        _setup(players, self.space, self.settings, self.seed, labels)
        return _play(self, players, labels)


def _strategy_specs(strategies: Mapping[str, StrategyLike] | Sequence[StrategyLike] | None,
                    parties: list[str]) -> dict[str, StrategyLike]:
    if strategies is None:
        strategies = {}
    if not isinstance(strategies, Mapping):
        if isinstance(strategies, str) or len(strategies) != len(parties):
            raise ProtocolError(f"give one strategy per party ({', '.join(parties)}) "
                                "or a {party: strategy} mapping")
        strategies = dict(zip(parties, strategies, strict=True))
    unknown = [p for p in strategies if p not in parties]
    if unknown:
        raise ProtocolError(f"strategy given for unknown party {unknown[0]!r}; "
                            f"the parties are {', '.join(parties)}")
    return {p: strategies.get(p, DEFAULT_STRATEGY) for p in parties}


def _setup(players: list[Strategy], space: OfferSpace, settings: Settings, seed: int,
           labels: dict[str, str]) -> None:
    parties = space.domain.party_ids
    complete = None
    if settings.complete_information or any(s.requires_complete_information for s in players):
        complete = CompleteInformation(
            utils=space.utils,
            reservations=settings.reservations,
            discounts=settings.discounts,
            frontier=space.frontier,
            nash=space.nash(settings.reservations),
        )
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(players))]
    for p, player in enumerate(players):
        if player.bilateral_only and len(parties) != 2:
            raise StrategyError(f"strategy {labels[parties[p]]!r} of {parties[p]!r} plays "
                                f"two-party negotiations only; this one has {len(parties)}")
        needs = settings.complete_information or player.requires_complete_information
        view = PartyView(
            party=p,
            parties=parties,
            seat=settings.seats.index(p),
            reservation=float(settings.reservations[p]),
            discount=float(settings.discounts[p]),
            rounds=settings.rounds,
            space=space,
            complete=complete if needs else None,
        )
        _guard(labels[parties[p]], parties[p], "setup", -1, player.setup, view, rngs[p])


def _guard(label: str, party: str, phase: str, turn: int, fn: Any, *args: Any) -> Any:
    """Call into a strategy; its bugs become a `StrategyError` naming who failed where."""
    try:
        return fn(*args)
    except StrategyError:
        raise
    except Exception as exc:
        where = f" in round {turn}" if turn >= 0 else ""
        raise StrategyError(
            f"strategy {label!r} of party {party!r} failed in {phase}{where}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _play(session: Session, players: list[Strategy], labels: dict[str, str]) -> SessionResult:
    space, settings = session.space, session.settings
    n_parties, n = len(players), space.size
    seats, rounds = settings.seats, settings.rounds
    state = State(rounds, n_parties)
    log_turn: list[int] = []
    log_party: list[int] = []
    log_action: list[int] = []
    log_offer: list[int] = []
    accepts = 0
    end, ended_by = "deadline", None
    turn = 0
    for turn in range(rounds):
        p = seats[turn % n_parties]
        player = players[p]
        label = labels[session.parties[p]]
        state.turn = turn
        state.t = state.relative_time(turn)
        if state.offer >= 0:
            answer = _guard(label, session.parties[p], "respond", turn,
                            player.respond, state, state.offer)
            answer = _as_response(answer, label, turn)
            if answer is Response.ACCEPT:
                accepts += 1
                log_turn.append(turn), log_party.append(p)
                log_action.append(ACCEPT), log_offer.append(state.offer)
                if accepts == n_parties - 1:
                    end = "agreement"
                    break
                continue
            if answer is Response.WALK_AWAY:
                log_turn.append(turn), log_party.append(p)
                log_action.append(WALK), log_offer.append(-1)
                end, ended_by = "walk_away", session.parties[p]
                break
        offer = _guard(label, session.parties[p], "propose", turn, player.propose, state)
        if not isinstance(offer, int | np.integer) or not 0 <= offer < n:
            raise StrategyError(
                f"strategy {label!r} proposed {offer!r} in round {turn}; an offer is a position "
                f"0..{n - 1} in the offer space (see PartyView.at_least)"
            )
        state.offer, state.offer_turn, state.proposer = int(offer), turn, p
        accepts = 0
        log_turn.append(turn), log_party.append(p)
        log_action.append(OFFER), log_offer.append(int(offer))
    return _result(session, labels, end, ended_by, state, turn + 1,
                   (log_turn, log_party, log_action, log_offer))


def _as_response(answer: Any, label: str, turn: int) -> Response:
    if isinstance(answer, Response):
        return answer
    if isinstance(answer, bool | np.bool_):
        return Response.ACCEPT if answer else Response.REJECT
    try:
        return Response(answer)
    except ValueError:
        raise StrategyError(
            f"strategy {label!r} answered {answer!r} in round {turn}; expected a Response "
            "(ACCEPT, REJECT, WALK_AWAY) or a bool"
        ) from None


def _result(session: Session, labels: dict[str, str], end: str, ended_by: str | None,
            state: State, used: int, log: tuple[list[int], ...]) -> SessionResult:
    space, settings, parties = session.space, session.settings, session.parties
    domain = space.domain
    agreed = end == "agreement"
    if agreed:
        outcome = space.outcome(state.offer)
        u = space.utilities_of(state.offer)
        discounted = u * settings.discounts ** state.offer_turn
    elif domain.status_quo is not None:
        outcome = domain.outcome_dict(domain.status_quo)
        u = domain.utilities_of_rows(domain.status_quo[None, :])[0]
        discounted = u
    else:
        outcome, u = None, settings.reservations.copy()
        discounted = u
    nash = space.nash(settings.reservations)
    trace = _trace(space, parties, log) if session.keep_trace else ()
    return SessionResult(
        scenario=session.name,
        parties=parties,
        strategies=labels,
        rounds=settings.rounds,
        seed=session.seed,
        agreement=agreed,
        end=end,
        ended_by=ended_by,
        outcome=outcome,
        agreement_round=state.offer_turn if agreed else None,
        rounds_used=used,
        utilities=_by_party(parties, u),
        discounted=_by_party(parties, discounted),
        reservations=_by_party(parties, settings.reservations),
        welfare=float(u.sum()),
        pareto_distance=distance_to(space.frontier_utils, u),
        nash_distance=None if nash is None else distance_to(space.utils[:, nash][None, :], u),
        trace=trace,
    )


def _by_party(parties: tuple[str, ...], values: np.ndarray) -> dict[str, float]:
    return {p: float(v) for p, v in zip(parties, values, strict=True)}


def _trace(space: OfferSpace, parties: tuple[str, ...], log: tuple[list[int], ...]
           ) -> tuple[Step, ...]:
    steps = []
    for turn, p, action, offer in zip(*log, strict=True):
        if offer < 0:
            steps.append(Step(turn, parties[p], ACTIONS[action], None, None))
        else:
            steps.append(Step(turn, parties[p], ACTIONS[action], space.outcome(offer),
                              _by_party(parties, space.utils[:, offer])))
    return tuple(steps)


def run_session(scenario: ScenarioLike,
                strategies: Mapping[str, StrategyLike] | Sequence[StrategyLike] | None = None,
                **settings: Any) -> SessionResult:
    """Run one negotiation; see `Session` for the settings."""
    return Session(scenario, strategies, **settings).run()
