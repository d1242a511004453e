"""Many sessions in lockstep: one row per session, each turn a few array operations.

The per-session engine (`protocol.Session`) calls a strategy object per turn;
that costs microseconds of Python per offer. Here every session on one offer
space advances together: at turn τ the same seat acts in every live session, so
a turn is a handful of numpy operations over the rows, whatever their number.
The built-in strategies whose decisions are arithmetic on their own utilities
are vectorised: the time-dependent family (boulware, linear, conceder,
time:e=…), hardliner, tit-for-tat (relative and absolute) and random, with
every acceptance condition and both opponent models (frequency; the true
utilities under complete information).

Results are *identical* to the per-session engine for the same seeds, down to
the last bit and the random draws: the same float operations in the same
order, `t ** (1/e)` computed as Python floats, and the random strategy's
PCG64 draws replayed from each session's own generator (raw 64-bit words,
consumed exactly as numpy's `integers` (Lemire's method on buffered 32-bit
halves) and `random` consume them). Sessions whose strategies are not
vectorised (user strategies, Nash-seeker, rubinstein) run on the per-session
path inside the same call, so callers never need to care which path a lineup
takes. `run_each` plays one session per scenario instead: variants of one model
(a sweep's samples: other weights and reservations, the same outcomes), each row on its
own utilities, still in lockstep.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pactlab.errors import ProtocolError
from pactlab.negotiation.base import Strategy
from pactlab.negotiation.lockstep import Lockstep, SpaceTables, vectorised
from pactlab.negotiation.protocol import (
    ScenarioLike,
    Session,
    Settings,
    make_settings,
    resolve_scenario,
    settle,
    strategy_specs,
)
from pactlab.negotiation.registry import StrategyLike, make_strategy
from pactlab.negotiation.results import SessionResult, Trace
from pactlab.negotiation.space import OfferSpace
from pactlab.negotiation.strategies import RandomStrategy

ENDS = ("agreement", "deadline", "walk_away")
TRACE_BUDGET = 1 << 30  # bytes of per-turn trace a batch may hold (5 bytes a turn)

Lineup = Mapping[str, StrategyLike] | Sequence[StrategyLike]
Progress = Callable[[int, int], None]

__all__ = ["ENDS", "BatchResult", "EachResult", "run_batch", "run_each", "vectorised"]


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Every session's end as arrays, one row per session (`session(i)` gives the full result).

    `end` indexes `ENDS`; `agreement_round`, `offer` and `ended_by` are −1 where
    they do not apply; `nash_distance` is NaN where the scenario has no Nash
    point. `utilities` and `discounted` are (sessions, parties).
    """

    scenario: str
    space: OfferSpace
    settings: Settings
    strategies: tuple[tuple[str, ...], ...]  # per session: each party's strategy label
    seeds: np.ndarray
    agreement: np.ndarray
    end: np.ndarray
    ended_by: np.ndarray
    offer: np.ndarray
    agreement_round: np.ndarray
    rounds_used: np.ndarray
    utilities: np.ndarray
    discounted: np.ndarray
    welfare: np.ndarray
    pareto_distance: np.ndarray
    nash_distance: np.ndarray
    vectorised: np.ndarray  # which sessions ran on the batched engine
    trace_actions: np.ndarray | None  # (sessions, rounds) action per turn, −1 after the end
    trace_offers: np.ndarray | None  # (sessions, rounds) offer position per turn
    metrics: bool = True  # False: distances NaN, as `run_batch(metrics=False)` left them

    @property
    def parties(self) -> tuple[str, ...]:
        return self.space.domain.party_ids

    def __len__(self) -> int:
        return len(self.seeds)

    @property
    def turns(self) -> int:
        """Turns played over all sessions (each an offer or an answer to one)."""
        return int(self.rounds_used.sum())

    def session(self, i: int) -> SessionResult:
        """Session `i` as the per-session engine reports it (trace included if recorded)."""
        parties, settings = self.parties, self.settings
        agreed = bool(self.agreement[i])
        final = settle(self.space, settings, int(self.offer[i]) if agreed else -1,
                       self.metrics)
        trace = Trace(self.space, settings.seats)
        if self.trace_actions is not None and self.trace_offers is not None:
            used = int(self.rounds_used[i])
            trace = Trace(self.space, settings.seats, self.trace_actions[i, :used].tolist(),
                          self.trace_offers[i, :used].tolist())
        ended_by = int(self.ended_by[i])
        return SessionResult(
            scenario=self.scenario,
            parties=parties,
            strategies=dict(zip(parties, self.strategies[i], strict=True)),
            rounds=settings.rounds,
            seed=int(self.seeds[i]),
            agreement=agreed,
            end=ENDS[int(self.end[i])],
            ended_by=parties[ended_by] if ended_by >= 0 else None,
            outcome=final.outcome,
            agreement_round=int(self.agreement_round[i]) if agreed else None,
            rounds_used=int(self.rounds_used[i]),
            utilities=dict(zip(parties, self.utilities[i].tolist(), strict=True)),
            discounted=dict(zip(parties, self.discounted[i].tolist(), strict=True)),
            reservations=dict(zip(parties, settings.reservations.tolist(), strict=True)),
            welfare=float(self.welfare[i]),
            pareto_distance=float(self.pareto_distance[i]),
            nash_distance=None if np.isnan(self.nash_distance[i])
            else float(self.nash_distance[i]),
            trace=trace,
        )


def run_batch(
    scenario: ScenarioLike,
    strategies: Lineup | Sequence[Lineup],
    n_sessions: int | None = None,
    seeds: int | Sequence[int] | np.ndarray = 0,
    *,
    rounds: int = 100,
    discount: float | Mapping[str, float] | None = None,
    reservations: float | Mapping[str, float] | None = None,
    first: str | None = None,
    complete_information: bool = False,
    trace: bool = False,
    name: str | None = None,
    progress: Progress | None = None,
    time_limit: float | None = None,
    metrics: bool = True,
) -> BatchResult:
    """Run many sessions on one scenario, vectorised where the strategies allow.

    Parameters
    ----------
    scenario
        A scenario, domain, offer space, built-in id or TOML path (as for `Session`).
    strategies
        One lineup (a {party: spec} mapping or one spec per party) played by every
        session, or a sequence of lineups, one per session.
    n_sessions
        How many sessions; defaults to the number of lineups or of seeds given.
    seeds
        One seed per session, or an int from which the sessions' seeds are derived
        (`SeedSequence(seed).generate_state`), so batches are reproducible.
    rounds, discount, reservations, first, complete_information
        The protocol settings, shared by every session (see `Session`).
    trace
        Keep every session's turns (5 bytes per turn and session, bounded).
    progress
        Called with (finished sessions, total) as sessions end.
    time_limit
        Seconds each call into a user strategy may take (None: unbounded); user
        strategies play on the per-session path, in this process.
    metrics
        False: leave the distances to the frontier and the Nash point out (NaN), so
        that the frontier is never built (sweeps keep only the outcomes).

    Returns
    -------
    BatchResult
        Arrays of outcomes, identical to running each session alone.
    """
    label, space = resolve_scenario(scenario)
    label = name if name is not None else label
    parties = space.domain.party_ids
    lineups = _lineups(strategies, parties, n_sessions)
    seed_array = _seeds(seeds, n_sessions if n_sessions is not None else (
        len(lineups) if len(lineups) > 1 else None))
    total = len(seed_array)
    if len(lineups) == 1:
        lineups = lineups * total
    if len(lineups) != total:
        raise ProtocolError(f"{len(lineups)} lineups for {total} sessions; give one lineup for "
                            "all sessions or one per session")
    settings = make_settings(space, rounds=rounds, discount=discount, reservations=reservations,
                             first=first, complete_information=complete_information)
    if trace and total * settings.rounds * 5 > TRACE_BUDGET:
        raise ProtocolError(
            f"keeping the trace of {total:,} sessions of {settings.rounds:,} turns needs "
            f"{total * settings.rounds * 5 / 2**30:.1f} GiB (limit 1 GiB); run without trace "
            "or in smaller batches")
    distinct: dict[tuple[StrategyLike, ...], int] = {}
    which = np.array([distinct.setdefault(lineup, len(distinct)) for lineup in lineups])
    if total > 1 and any(isinstance(s, Strategy) for lineup in distinct for s in lineup):
        raise ProtocolError("a strategy instance plays one session; give a class or a spec "
                            "string to play many")
    built: dict[StrategyLike, Strategy] = {}  # specs recur across lineups: build each once
    players = [tuple(built[spec] if spec in built else built.setdefault(spec, make_strategy(spec))
                     for spec in lineup) for lineup in distinct]
    names = [tuple(spec if isinstance(spec, str) else player.describe()
                   for spec, player in zip(lineup, built, strict=True))
             for lineup, built in zip(distinct, players, strict=True)]
    labels = tuple(names[k] for k in which)
    fast = np.array([all(vectorised(s) for s in lineup) for lineup in players],
                    dtype=bool)[which]
    out = Ends(total, len(parties), settings.rounds if trace else 0)
    done = 0
    for i in np.flatnonzero(~fast):
        res = Session(space, dict(zip(parties, lineups[i], strict=True)), rounds=rounds,
                      discount=discount, reservations=reservations, first=first,
                      complete_information=complete_information, seed=int(seed_array[i]),
                      name=label, time_limit=time_limit, metrics=metrics).run()
        out.record_session(int(i), res)
        done += 1
        if progress:
            progress(done, total)
    rows = np.flatnonzero(fast)
    if len(rows):
        # Without random strategies a session does not depend on its seed: play each such
        # lineup once and copy its ends to its repetitions.
        chance = np.array([any(type(s) is RandomStrategy for s in lineup) for lineup in players])
        fixed = rows[~chance[which[rows]]]
        _, first_of, copy_of = np.unique(which[fixed], return_index=True, return_inverse=True)
        play = np.sort(np.concatenate([fixed[first_of], rows[chance[which[rows]]]]))
        Lockstep(space, settings, players, which[play], seed_array[play], play, out,
                  lambda k: progress(done + k, total) if progress else None).run()
        out.copy(fixed[first_of][copy_of.ravel()], fixed)
        if progress:
            progress(total, total)
    return out.finish(label, space, settings, labels, seed_array, fast, metrics)


@dataclass(frozen=True, eq=False)
class EachResult:
    """The ends of sessions that each play on their own scenario (`run_each`), by session.

    `offer` is the agreed position in the session's space (−1: none), `agreement_round`
    −1 without agreement; `utilities` (sessions, parties) what each party gets, the
    agreement or the breakdown, as the per-session engine reports it.
    """

    spaces: tuple[OfferSpace, ...]
    agreement: np.ndarray
    offer: np.ndarray
    agreement_round: np.ndarray
    rounds_used: np.ndarray
    utilities: np.ndarray
    vectorised: np.ndarray


def run_each(scenarios: Sequence[ScenarioLike], strategies: Lineup,
             seeds: Sequence[int] | np.ndarray, *, rounds: int = 100,
             complete_information: bool = False, time_limit: float | None = None,
             metrics: bool = True) -> EachResult:
    """One session per scenario, all in lockstep: the same lineup on variants of one model.

    The scenarios (a sweep's samples: other weights, values, reservations) must have the
    same issues and parties. Sessions whose spaces hold the same outcomes (the same
    limits) play together on the batched engine, each row on its own utilities and
    reservation (`SpaceTables`); user strategies (bounded by `time_limit` per call) play
    on the per-session path. Each session's end is identical to
    `run_session(scenarios[i], strategies, seed=seeds[i], rounds=rounds,
    complete_information=complete_information)`. `metrics` as for `run_batch`.
    """
    spaces = tuple(resolve_scenario(sc)[1] for sc in scenarios)
    seed_array = _seeds(np.asarray(seeds), len(spaces))
    parties = spaces[0].domain.party_ids
    lineup = _lineups(strategies, parties, None)[0]
    players = tuple(make_strategy(spec) for spec in lineup)
    settings = [make_settings(space, rounds=rounds, complete_information=complete_information)
                for space in spaces]
    total = len(spaces)
    if any(sp.domain.party_ids != parties for sp in spaces):
        raise ProtocolError("run_each plays variants of one model: every scenario needs the "
                            f"parties {', '.join(parties)}")
    # sessions on the same outcomes (the same limits) play together, a group per outcome set
    groups: dict[tuple[tuple[int, ...], bytes], int] = {}
    group = np.array([groups.setdefault((sp.rows.shape, sp.rows.tobytes()), len(groups))
                      for sp in spaces])
    lockstep = all(vectorised(s) for s in players)
    out = Ends(total, len(parties), 0)
    for i in range(0 if lockstep else total):
        res = Session(spaces[i], dict(zip(parties, lineup, strict=True)), rounds=rounds,
                      complete_information=complete_information, seed=int(seed_array[i]),
                      time_limit=time_limit, metrics=metrics).run()
        out.record_session(i, res)
    for g in range(len(groups) if lockstep else 0):
        play = np.flatnonzero(group == g)
        tables = SpaceTables.of([spaces[i] for i in play],
                                np.stack([settings[i].reservations for i in play]),
                                np.arange(len(play)))
        Lockstep(spaces[play[0]], settings[play[0]], [players],
                 np.zeros(len(play), dtype=np.int64), seed_array[play], play, out,
                 lambda k: None, tables).run()
        for k in play.tolist():
            agreed = bool(out.agreement[k])
            out.utilities[k] = settle(spaces[k], settings[k], int(out.offer[k]) if agreed
                                      else -1, metrics).u
    return EachResult(spaces, out.agreement, np.where(out.agreement, out.offer, -1),
                      np.where(out.agreement, out.offer_turn, -1), out.rounds_used,
                      out.utilities, np.full(total, lockstep))


def _lineups(strategies: Lineup | Sequence[Lineup], parties: tuple[str, ...],
             n_sessions: int | None) -> list[tuple[StrategyLike, ...]]:
    """Each lineup as one spec per party, in party order."""
    one = isinstance(strategies, Mapping) or (
        isinstance(strategies, Sequence) and not isinstance(strategies, str)
        and all(isinstance(s, str | Strategy | type) for s in strategies))
    items = [strategies] if one else list(strategies)
    if not items:
        raise ProtocolError("no lineup given: pass one strategy per party, or one lineup per "
                            "session")
    if n_sessions is not None and len(items) not in (1, n_sessions):
        raise ProtocolError(f"{len(items)} lineups for {n_sessions} sessions; give one lineup "
                            "for all sessions or one per session")
    out = []
    for lineup in items:
        specs = strategy_specs(lineup, parties)  # type: ignore[arg-type]
        out.append(tuple(specs[p] for p in parties))
    return out


def _seeds(seeds: int | Sequence[int] | np.ndarray, n_sessions: int | None) -> np.ndarray:
    if isinstance(seeds, int | np.integer):
        if n_sessions is None:
            raise ProtocolError("give n_sessions, one seed per session, or one lineup per "
                                "session")
        if n_sessions < 1:
            raise ProtocolError(f"n_sessions must be a positive integer, got {n_sessions!r}")
        words = np.random.SeedSequence(int(seeds)).generate_state(n_sessions, np.uint64)
        return (words >> np.uint64(1)).astype(np.int64)
    array = np.asarray(seeds)
    if array.ndim != 1 or len(array) == 0 or not np.issubdtype(array.dtype, np.integer) or (
            array < 0).any():
        raise ProtocolError("seeds must be a non-empty sequence of non-negative integers")
    if n_sessions is not None and len(array) != n_sessions:
        raise ProtocolError(f"{len(array)} seeds for {n_sessions} sessions")
    return array.astype(np.int64)


class Ends:
    """Where the sessions' ends are collected, by session index."""

    def __init__(self, total: int, n_parties: int, trace_turns: int) -> None:
        self.agreement = np.zeros(total, dtype=bool)
        self.end = np.ones(total, dtype=np.int8)  # deadline unless told otherwise
        self.ended_by = np.full(total, -1, dtype=np.int64)
        self.offer = np.full(total, -1, dtype=np.int64)
        self.offer_turn = np.full(total, -1, dtype=np.int64)
        self.rounds_used = np.zeros(total, dtype=np.int64)
        self.utilities = np.empty((total, n_parties))
        self.discounted = np.empty((total, n_parties))
        self.welfare, self.pareto = np.empty(total), np.empty(total)
        self.nash = np.full(total, np.nan)
        self.actions: np.ndarray | None = None
        self.offers: np.ndarray | None = None
        if trace_turns:
            self.actions = np.full((total, trace_turns), -1, dtype=np.int8)
            self.offers = np.full((total, trace_turns), -1, dtype=np.int32)

    def record_session(self, i: int, res: SessionResult) -> None:
        """A session the per-session engine played (with its trace, to find the offer)."""
        assert isinstance(res.trace, Trace)
        actions, offers = res.trace.actions(), res.trace.positions()
        self.agreement[i] = res.agreement
        self.end[i] = ENDS.index(res.end)
        self.ended_by[i] = res.parties.index(res.ended_by) if res.ended_by else -1
        self.rounds_used[i] = res.rounds_used
        if res.agreement_round is not None:
            self.offer_turn[i] = res.agreement_round
            self.offer[i] = offers[res.agreement_round]
        self.utilities[i] = list(res.utilities.values())
        self.discounted[i] = list(res.discounted.values())
        self.welfare[i], self.pareto[i] = res.welfare, res.pareto_distance
        self.nash[i] = np.nan if res.nash_distance is None else res.nash_distance
        if self.actions is not None and self.offers is not None:
            self.actions[i, :len(actions)] = actions
            self.offers[i, :len(offers)] = offers

    def copy(self, source: np.ndarray, target: np.ndarray) -> None:
        """Session `source[j]`'s end is also session `target[j]`'s."""
        for array in (self.agreement, self.end, self.ended_by, self.offer, self.offer_turn,
                      self.rounds_used, self.actions, self.offers):
            if array is not None:
                array[target] = array[source]

    def finish(self, label: str, space: OfferSpace, settings: Settings,
               labels: tuple[tuple[str, ...], ...], seeds: np.ndarray,
               fast: np.ndarray, metrics: bool = True) -> BatchResult:
        """Metrics of the vectorised sessions, per distinct end rather than per session."""
        rows = np.flatnonzero(fast)
        keys = np.where(self.agreement, self.offer, -1)[rows]
        ends, inverse = np.unique(keys, return_inverse=True)
        for k, key in enumerate(ends):
            final = settle(space, settings, int(key), metrics)
            mine = rows[inverse == k]
            self.utilities[mine] = final.u
            self.welfare[mine], self.pareto[mine] = final.welfare, final.pareto_distance
            self.nash[mine] = np.nan if final.nash_distance is None else final.nash_distance
        self.discounted[rows] = self.utilities[rows]
        agreed = rows[self.agreement[rows]]
        turns, where = np.unique(self.offer_turn[agreed], return_inverse=True)
        for k, turn in enumerate(turns):  # δ^τ per distinct τ, exactly as a session computes it
            mine = agreed[where == k]
            self.discounted[mine] = self.utilities[mine] * settings.discounts ** int(turn)
        return BatchResult(
            scenario=label, space=space, settings=settings, strategies=labels, seeds=seeds,
            agreement=self.agreement, end=self.end, ended_by=self.ended_by, offer=self.offer,
            agreement_round=np.where(self.agreement, self.offer_turn, -1),
            rounds_used=self.rounds_used, utilities=self.utilities, discounted=self.discounted,
            welfare=self.welfare, pareto_distance=self.pareto, nash_distance=self.nash,
            vectorised=fast, trace_actions=self.actions, trace_offers=self.offers,
            metrics=metrics,
        )
