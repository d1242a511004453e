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

import contextlib
import signal
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pactlab.errors import ProtocolError, StrategyError
from pactlab.model.domain import Domain, compile_domain
from pactlab.model.loading import load_scenario
from pactlab.model.schema import Scenario
from pactlab.negotiation.base import CompleteInformation, PartyView, Response, State, Strategy
from pactlab.negotiation.registry import StrategyLike, make_strategy
from pactlab.negotiation.results import ACCEPT, OFFER, WALK, SessionResult, Trace, distance_to
from pactlab.negotiation.space import OfferSpace, space_of

DEFAULT_STRATEGY = "linear"
MAX_ROUNDS = 1_000_000  # turns per session: ~10 s of the per-session engine, 5 MB of trace
PROGRESS_EVERY = 1 << 15  # turns between progress calls in a session

# Offer spaces live as long as what they were built from: a domain keeps its space (see
# `space_of`), a scenario object its domain, and a file or built-in id its domain only while
# something (a session, a result's trace) still uses it. Nothing outlives its use.
_BY_SCENARIO: dict[int, Domain] = {}
_BY_NAME: weakref.WeakValueDictionary[Any, Domain] = weakref.WeakValueDictionary()
_NAMES: dict[int, str] = {}  # scenario id of each domain in _BY_NAME, while it lives

ScenarioLike = Scenario | Domain | OfferSpace | str | Path


def resolve_scenario(scenario: ScenarioLike) -> tuple[str, OfferSpace]:
    """A name and an offer space from a scenario, a domain, a space, a built-in id or a path.

    The enumeration happens once per domain: a `Scenario` object keeps its compiled
    domain while it lives, a file (by path, modification time and size) or a built-in
    id while a session or result still holds the domain.
    """
    if isinstance(scenario, OfferSpace):
        return "", scenario
    if isinstance(scenario, Domain):
        return "", space_of(scenario)
    if isinstance(scenario, Scenario):
        key = id(scenario)
        domain = _BY_SCENARIO.get(key)
        if domain is None:
            domain = _BY_SCENARIO[key] = compile_domain(scenario)
            weakref.finalize(scenario, _BY_SCENARIO.pop, key, None)
        return scenario.id, space_of(domain)
    text = str(scenario)
    path = Path(text)
    name_key: Any = ("name", text)
    if path.is_file():
        stat = path.stat()
        name_key = ("file", str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    domain = _BY_NAME.get(name_key)
    if domain is None:
        sc = load_scenario(scenario)
        domain = compile_domain(sc)
        _BY_NAME[name_key] = domain
        _NAMES[id(domain)] = sc.id
        weakref.finalize(domain, _NAMES.pop, id(domain), None)
    return _NAMES[id(domain)], space_of(domain)


class CallTimeout(BaseException):
    """Raised inside a user strategy's call that ran past its time limit.

    A BaseException, so that a strategy's own `except Exception` cannot swallow it.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def check_time_limit(seconds: float | None) -> float | None:
    """A per-call time limit in seconds (None or 0: no limit)."""
    if seconds is None or seconds == 0:
        return None
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        raise ProtocolError(f"the time limit must be a positive number of seconds (0 for none), "
                            f"got {seconds!r}")
    return value


def user_code(strategy: Strategy) -> bool:
    """Whether a strategy is the user's own code (not a class shipped with pactlab)."""
    return not type(strategy).__module__.startswith("pactlab.")


@contextlib.contextmanager
def _time_limits(players: list[Strategy], seconds: float | None) -> Iterator[None]:
    """Bound each call into a user strategy by `seconds` of wall time (SIGALRM).

    Signals reach only the main thread: elsewhere (a thread pool) calls run unbounded.
    """
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise CallTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        for player in players:
            if user_code(player):
                for method in ("setup", "propose", "respond"):
                    setattr(player, method, _bounded(getattr(player, method), seconds))
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bounded(call: Callable[..., Any], seconds: float) -> Callable[..., Any]:
    def bounded(*args: Any) -> Any:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return call(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return bounded


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
    """A per-party array from one finite number for everyone or a {party: number} mapping."""
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
        if not np.isfinite(number):
            raise ProtocolError(f"{name} of {party!r} must be a finite number, got {v!r}")
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
    `time_limit` bounds each call into a user strategy, in seconds (None: no
    bound; it needs the main thread). `rounds` is at most `MAX_ROUNDS`.
    `progress(turn, rounds)` is called every `PROGRESS_EVERY` turns. `metrics=False`
    leaves out the distances to the Pareto frontier and the Nash point (NaN and None),
    sparing the frontier's construction when only the outcome matters (sweeps).
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
        name: str | None = None,
        time_limit: float | None = None,
        progress: Callable[[int, int], None] | None = None,
        metrics: bool = True,
    ) -> None:
        self.name, self.space = resolve_scenario(scenario)
        if name is not None:
            self.name = name
        self.parties = self.space.domain.party_ids
        self.specs = strategy_specs(strategies, self.parties)
        self.settings = make_settings(self.space, rounds=rounds, discount=discount,
                                      reservations=reservations, first=first,
                                      complete_information=complete_information)
        entropy = np.random.SeedSequence(seed).entropy if seed is None else seed
        self.seed = int(entropy)  # type: ignore[arg-type]  # an int when seed is None
        self.keep_trace = trace
        self.time_limit = check_time_limit(time_limit)
        self.progress = progress
        self.metrics = metrics

    def run(self) -> SessionResult:
        """Play the session to agreement, walk-away or deadline.

        User strategies (any class not shipped with pactlab) print to stderr, not
        stdout, and each of their calls is bounded by `time_limit` seconds.
        """
        players = [make_strategy(self.specs[p]) for p in self.parties]
        labels = {p: (s if isinstance(s, str) else players[i].describe())
                  for i, (p, s) in enumerate(self.specs.items())}
        if not any(user_code(player) for player in players):
            _setup(players, self.space, self.settings, self.seed, labels)
            return _play(self, players, labels)
        with contextlib.redirect_stdout(sys.stderr), _time_limits(players, self.time_limit):
            _setup(players, self.space, self.settings, self.seed, labels)
            return _play(self, players, labels)


def make_settings(space: OfferSpace, *, rounds: int = 100,
                  discount: float | Mapping[str, float] | None = None,
                  reservations: float | Mapping[str, float] | None = None,
                  first: str | None = None, complete_information: bool = False) -> Settings:
    """Validated protocol settings for sessions on `space` (shared by the batched engine)."""
    domain = space.domain
    parties = list(domain.party_ids)
    if not isinstance(rounds, int | np.integer) or rounds < len(parties):
        raise ProtocolError(
            f"rounds must be an integer ≥ the number of parties ({len(parties)}), so that "
            f"an offer can be answered by everyone; got {rounds!r}"
        )
    if rounds > MAX_ROUNDS:
        raise ProtocolError(
            f"rounds {rounds:,} is above the limit of {MAX_ROUNDS:,} turns per session (a "
            "session plays every turn to its deadline unless agreed, and keeps its trace); "
            "a deadline that long changes nothing a shorter one would not show")
    if first is not None and first not in parties:
        raise ProtocolError(f"first party {first!r} is not one of {', '.join(parties)}")
    start = parties.index(first) if first else 0
    return Settings(
        rounds=int(rounds),
        discounts=per_party("discount", discount, parties, np.ones(len(parties)), 1e-9, 1.0),
        reservations=per_party("reservation", reservations, parties, domain.reservations,
                               -np.inf, np.inf),
        seats=tuple((start + s) % len(parties) for s in range(len(parties))),
        complete_information=complete_information,
    )


def strategy_specs(strategies: Mapping[str, StrategyLike] | Sequence[StrategyLike] | None,
                   parties: Sequence[str]) -> dict[str, StrategyLike]:
    """One strategy per party, in party order, from a mapping, a sequence or None."""
    parties = list(parties)
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
            space=space,
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
        view = PartyView.of(
            space, p,
            seat=settings.seats.index(p),
            reservation=float(settings.reservations[p]),
            discount=float(settings.discounts[p]),
            rounds=settings.rounds,
            complete=complete if needs else None,
        )
        _guard(labels[parties[p]], parties[p], "setup", -1, player.setup, view, rngs[p])


def _guard(label: str, party: str, phase: str, turn: int, fn: Any, *args: Any) -> Any:
    """Call into a strategy; its bugs become a `StrategyError` naming who failed where."""
    try:
        return fn(*args)
    except StrategyError:
        raise
    except (Exception, SystemExit, CallTimeout) as exc:
        raise _failure(label, party, phase, turn, exc) from None


def _failure(label: str, party: str, phase: str, turn: int,
             exc: BaseException) -> StrategyError:
    """The one-paragraph error for a strategy that raised, exited or ran out of time."""
    where = f" in round {turn}" if turn >= 0 else ""
    who = f"strategy {label!r} of party {party!r}"
    if isinstance(exc, CallTimeout):
        return StrategyError(
            f"{who} ran past its time limit of {exc.seconds:g} s per call in {phase}{where}; "
            "make the call faster or raise the limit (time_limit=…, --time-limit SECONDS)")
    if isinstance(exc, SystemExit):
        return StrategyError(f"{who} called sys.exit({exc.code!r}) in {phase}{where}; a "
                             "strategy must return an offer or an answer, never exit")
    return StrategyError(f"{who} failed in {phase}{where}: {type(exc).__name__}: {exc}")


def _play(session: Session, players: list[Strategy], labels: dict[str, str]) -> SessionResult:
    """The hot loop: one iteration per turn, strategy calls unguarded until one raises.

    The relative time is computed turn by turn and the trace kept in 5 bytes a turn,
    so memory does not grow with the deadline beyond the trace itself.
    """
    seats, n_parties = session.settings.seats, len(players)
    rounds = session.settings.rounds
    state = State(rounds, n_parties)
    trace = Trace(session.space, seats)
    log = trace.append
    accepts, turn, p, phase = 0, 0, seats[0], "propose"
    report = session.progress  # called every PROGRESS_EVERY turns: long sessions show a bar
    end, ended_by = "deadline", None
    try:
        for turn in range(rounds):
            if report is not None and not turn % PROGRESS_EVERY:
                report(turn, rounds)
            p = seats[turn % n_parties]
            player = players[p]
            state.turn = turn
            state.t = state.relative_time(turn)
            if state.offer >= 0:
                phase = "respond"
                answer = player.respond(state, state.offer)
                if answer is not Response.REJECT:
                    answer = _as_response(answer, labels[session.parties[p]], turn)
                if answer is Response.ACCEPT:
                    accepts += 1
                    log(ACCEPT, state.offer)
                    if accepts == n_parties - 1:
                        end = "agreement"
                        break
                    continue
                if answer is Response.WALK_AWAY:
                    log(WALK, -1)
                    end, ended_by = "walk_away", session.parties[p]
                    break
            phase = "propose"
            offer = player.propose(state)
            if offer.__class__ is not int or not 0 <= offer < session.space.size:
                offer = _as_offer(offer, labels[session.parties[p]], turn, session.space.size)
            state.offer, state.offer_turn, state.proposer = offer, turn, p
            accepts = 0
            log(OFFER, offer)
    except StrategyError:
        raise
    except (Exception, SystemExit, CallTimeout) as exc:
        raise _failure(labels[session.parties[p]], session.parties[p], phase, turn,
                       exc) from None
    if report is not None:
        report(rounds, rounds)
    return _result(session, labels, end, ended_by, state, turn + 1, trace)


def _as_offer(offer: Any, label: str, turn: int, size: int) -> int:
    """Accept numpy integers; anything else, or out of range, is the strategy's bug."""
    if isinstance(offer, int | np.integer) and not isinstance(offer, bool) and 0 <= offer < size:
        return int(offer)
    raise StrategyError(
        f"strategy {label!r} proposed {offer!r} in round {turn}; an offer is a position "
        f"0..{size - 1} in the offer space (see PartyView.at_least)"
    )


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
            state: State, used: int, trace: Trace) -> SessionResult:
    space, settings, parties = session.space, session.settings, session.parties
    agreed = end == "agreement"
    final = settle(space, settings, state.offer if agreed else -1, session.metrics)
    discounted = final.u * settings.discounts ** state.offer_turn if agreed else final.u
    return SessionResult(
        scenario=session.name,
        parties=parties,
        strategies=labels,
        rounds=settings.rounds,
        seed=session.seed,
        agreement=agreed,
        end=end,
        ended_by=ended_by,
        outcome=final.outcome,
        agreement_round=state.offer_turn if agreed else None,
        rounds_used=used,
        utilities=_by_party(parties, final.u),
        discounted=_by_party(parties, discounted),
        reservations=_by_party(parties, settings.reservations),
        welfare=final.welfare,
        pareto_distance=final.pareto_distance,
        nash_distance=final.nash_distance,
        trace=trace if session.keep_trace else Trace(space, settings.seats),
    )


@dataclass(frozen=True)
class Settlement:
    """What a session's end is worth: the outcome and its utilities and distances."""

    outcome: dict[str, Any] | None
    u: np.ndarray
    welfare: float
    pareto_distance: float
    nash_distance: float | None


def settle(space: OfferSpace, settings: Settings, offer: int, metrics: bool = True
           ) -> Settlement:
    """The agreement on position `offer`, or (offer < 0) the breakdown: the status quo if the
    scenario has one, else everyone's reservation. Without `metrics`, the distances are
    NaN and None and the frontier is not built."""
    domain = space.domain
    if offer >= 0:
        outcome = space.outcome(offer)
        u = space.utilities_of(offer)
    elif domain.status_quo is not None:
        outcome = domain.outcome_dict(domain.status_quo.tolist())
        u = domain.utilities_of_rows(domain.status_quo[None, :])[0]
    else:
        outcome, u = None, settings.reservations.copy()
    if not metrics:
        return Settlement(outcome=outcome, u=u, welfare=float(u.sum()),
                          pareto_distance=float("nan"), nash_distance=None)
    nash = space.nash(settings.reservations)
    return Settlement(
        outcome=outcome, u=u, welfare=float(u.sum()),
        pareto_distance=distance_to(space.frontier_utils, u),
        nash_distance=None if nash is None else distance_to(space.utils[:, nash][None, :], u),
    )


def _by_party(parties: tuple[str, ...], values: np.ndarray) -> dict[str, float]:
    return {p: float(v) for p, v in zip(parties, values, strict=True)}


def run_session(scenario: ScenarioLike,
                strategies: Mapping[str, StrategyLike] | Sequence[StrategyLike] | None = None,
                **settings: Any) -> SessionResult:
    """Run one negotiation; see `Session` for the settings."""
    return Session(scenario, strategies, **settings).run()
