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
takes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pactlab.errors import ProtocolError
from pactlab.negotiation.base import EPS, State, Strategy
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
from pactlab.negotiation.results import ACCEPT, OFFER, SessionResult, Trace
from pactlab.negotiation.space import OfferSpace
from pactlab.negotiation.strategies import (
    AbsoluteTitForTat,
    Boulware,
    Conceder,
    Hardliner,
    Linear,
    RandomStrategy,
    TimeDependent,
    TitForTat,
)

TIME, HARD, TFT, RANDOM = 0, 1, 2, 3
KINDS: dict[type[Strategy], int] = {
    TimeDependent: TIME, Boulware: TIME, Linear: TIME, Conceder: TIME, Hardliner: HARD,
    TitForTat: TFT, AbsoluteTitForTat: TFT, RandomStrategy: RANDOM,
}
AC_CODES = {"next": 0, "const": 1, "time": 2, "combi": 3}
ENDS = ("agreement", "deadline", "walk_away")
TRACE_BUDGET = 1 << 30  # bytes of per-turn trace a batch may hold (5 bytes a turn)
RAW_BLOCK = 64  # 64-bit random words fetched per session at a time
M32 = np.uint64(0xFFFFFFFF)
WINDOW_BUDGET = 1 << 27  # bytes for each party's candidate windows (option slots by rank)

Lineup = Mapping[str, StrategyLike] | Sequence[StrategyLike]
Progress = Callable[[int, int], None]


def vectorised(strategy: Strategy) -> bool:
    """Whether the batched engine plays this strategy (exactly the built-in classes)."""
    return type(strategy) in KINDS


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
        final = settle(self.space, settings, int(self.offer[i]) if agreed else -1)
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
    out = _Outcomes(total, len(parties), settings.rounds if trace else 0)
    done = 0
    for i in np.flatnonzero(~fast):
        res = Session(space, dict(zip(parties, lineups[i], strict=True)), rounds=rounds,
                      discount=discount, reservations=reservations, first=first,
                      complete_information=complete_information, seed=int(seed_array[i]),
                      name=label, time_limit=time_limit).run()
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
        _Lockstep(space, settings, players, which[play], seed_array[play], play, out,
                  lambda k: progress(done + k, total) if progress else None).run()
        out.copy(fixed[first_of][copy_of.ravel()], fixed)
        if progress:
            progress(total, total)
    return out.finish(label, space, settings, labels, seed_array, fast)


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


class _Outcomes:
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
               fast: np.ndarray) -> BatchResult:
        """Metrics of the vectorised sessions, per distinct end rather than per session."""
        rows = np.flatnonzero(fast)
        keys = np.where(self.agreement, self.offer, -1)[rows]
        ends, inverse = np.unique(keys, return_inverse=True)
        for k, key in enumerate(ends):
            final = settle(space, settings, int(key))
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
        )


class _Party:
    """One party's strategy state in every live session: parameters and memory as arrays."""

    ROW_FIELDS = ("kind", "power", "absolute", "ac", "alpha", "beta", "c", "at", "k", "p",
                  "best", "level", "informed")

    def __init__(self, space: OfferSpace, settings: Settings, party: int,
                 strategies: list[Strategy], which: np.ndarray, seeds: np.ndarray,
                 exponents: np.ndarray) -> None:
        own = space.private(party)
        self.party = party
        self.own, self.order, self.sorted = own.utilities, own.order, own.sorted_utilities
        self.n = len(self.order)
        self.floor = float(settings.reservations[party])
        self.u_max = float(self.sorted[-1])
        self.u_min = float(min(max(self.floor, self.sorted[0]), self.u_max))
        self.span = self.u_max - self.u_min
        self.first = min(int(np.searchsorted(self.sorted, self.u_min - EPS, side="left")),
                         self.n - 1)
        rows = len(which)
        params = [s.params for s in strategies]  # per distinct strategy; `which` picks

        def column(values: list[Any], dtype: type) -> np.ndarray:
            out: np.ndarray = np.array(values, dtype=dtype)[which]
            return out

        self.kind = column([KINDS[type(s)] for s in strategies], np.int8)
        # index into `exponents` (the 1/e of the time-dependent rows); −1 (a power of 0:
        # target u_max) for the others, whose target is not a power of time
        index = {x: j for j, x in enumerate(exponents.tolist())}
        self.power = column([index[1.0 / q["e"]] if "e" in q else -1 for q in params], np.int64)
        self.absolute = column([q.get("mode") == "absolute" for q in params], bool)
        self.ac = column([AC_CODES[q.get("ac", "next")] for q in params], np.int8)

        def number(key: str, default: float) -> np.ndarray:
            return column([float(q.get(key, default)) for q in params], float)

        self.alpha, self.beta, self.c = number("alpha", 1.0), number("beta", 0.0), number("c", 0.8)
        self.at, self.p = number("at", 0.99), number("p", 0.0)  # AC_time; random's acceptance
        self.k = column([int(q.get("candidates", 1)) for q in params], np.int64)
        self.best = np.full(rows, -np.inf)
        self.level = np.full(rows, self.u_max)
        self.informed = np.zeros(rows, dtype=bool)
        self.any_tft = bool((self.kind == TFT).any())
        self.any_hard = bool((self.kind == HARD).any())
        self.only_next = bool((self.ac == AC_CODES["next"]).all())
        self.any_random = bool((self.kind == RANDOM).any())
        self.all_random = bool((self.kind == RANDOM).all())
        self.opponents = [q for q in range(space.n_parties) if q != party]
        self.complete = settings.complete_information
        self.model: _Model = (_TrueModel(space, party) if self.complete else _FrequencyModel(
            space, self.opponents, rows, self.order, int(min(self.k.max(initial=1), self.n))))
        self.tft = _Memory(self.opponents, rows) if self.any_tft else None
        self.rng = _Draws(seeds, party, space.n_parties, self.kind == RANDOM) \
            if self.any_random else None

    def compact(self, keep: np.ndarray) -> None:
        for name in self.ROW_FIELDS:
            setattr(self, name, getattr(self, name)[keep])
        self.model.compact(keep)
        if self.tft is not None:
            self.tft.compact(keep)
        if self.rng is not None:
            self.rng.compact(keep)

    # --- targets and offers ---------------------------------------------------
    def target(self, powers: np.ndarray) -> np.ndarray:
        """Each row's target utility now; `powers[j]` is t ** exponents[j] (−1: 0.0)."""
        pw = powers[self.power]
        target = self.u_max - self.span * pw
        if self.any_tft:
            target = np.where(self.kind == TFT, self.level, target)
        return np.asarray(target)

    def propose(self, idx: np.ndarray | slice, powers: np.ndarray) -> np.ndarray:
        """Offers of rows `idx`, each as its strategy would choose it."""
        target = self.target(powers)[idx]
        rank = np.minimum(self.sorted.searchsorted(target - EPS), self.n - 1)
        pos = self.order[rank]
        k = self.k[idx]
        informed = self.informed[idx] if not self.complete else np.ones(len(rank), dtype=bool)
        pick = np.flatnonzero(informed & (k > 1) & (rank < self.n - 1))
        if len(pick):
            width = int(min(k[pick].max(), self.n))
            start = rank[pick]
            window = np.minimum(start[:, None] + np.arange(width), self.n - 1)
            rows = pick if isinstance(idx, slice) else idx[pick]
            scores = self.model.scores(rows, self.order, window, start)
            # Past a row's own `candidates`, or past the best outcome, nothing is a candidate.
            scores[(np.arange(width) >= k[pick, None]) | (start[:, None] + np.arange(width)
                                                          >= self.n)] = -np.inf
            pos[pick] = self.order[window[np.arange(len(pick)), scores.argmax(axis=1)]]
        if self.any_random:
            rnd = np.flatnonzero(self.kind[idx] == RANDOM)
            if len(rnd):
                rows = rnd if isinstance(idx, slice) else idx[rnd]
                assert self.rng is not None
                pos[rnd] = self.order[self.first + self.rng.bounded(rows, self.n - 1 - self.first)]
        return pos

    # --- answers --------------------------------------------------------------
    def respond(self, offer: np.ndarray, proposer: np.ndarray, state: State, t: float,
                powers: np.ndarray) -> np.ndarray:
        """Accept (True) or reject each row's standing offer, updating what the party learnt."""
        u = self.own[offer]
        if not self.all_random:
            self.model.update(offer, proposer)
            self.informed[:] = True
            if self.tft is not None:
                self.level = self.tft.received(u, proposer, self.level, self.absolute,
                                               self.kind == TFT, self.u_min, self.u_max)
        best, self.best = self.best, np.maximum(self.best, u)
        upcoming = self.target(powers) if state.can_counter else np.full(len(u), self.floor)
        if self.any_hard and state.last_chance:
            upcoming = np.where(self.kind == HARD, self.floor, upcoming)
        nxt = self.alpha * u + self.beta >= upcoming - EPS
        if self.only_next:  # the default condition everywhere: skip the others
            ok = nxt
        else:
            late = t >= self.at
            ok = np.select([self.ac == 0, self.ac == 1, self.ac == 2],
                           [nxt, u >= self.c - EPS, late], nxt | (late & (u >= best - EPS)))
        accept = ~(u < self.floor - EPS) & ok
        if self.any_random:
            rnd = np.flatnonzero(self.kind == RANDOM)
            above = rnd[u[rnd] >= self.floor - EPS]
            accept[rnd] = False
            if len(above):
                assert self.rng is not None
                accept[above] = self.rng.uniform(above) < self.p[above]
        return np.asarray(accept)


class _Model:
    """What a party believes its opponents want (see `opponent.py`), for many sessions."""

    def update(self, offer: np.ndarray, proposer: np.ndarray) -> None:
        """Nothing to learn."""

    def compact(self, keep: np.ndarray) -> None:
        """No per-session state."""

    def scores(self, rows: np.ndarray | slice, order: np.ndarray, window: np.ndarray,
               start: np.ndarray) -> np.ndarray:
        """(rows, candidates) predicted utility of the candidates `order[window]`, where
        `window[r]` runs from rank `start[r]` up (clipped at the best outcome)."""
        raise NotImplementedError


class _TrueModel(_Model):
    """Complete information: the least satisfied opponent's real utility of each candidate."""

    def __init__(self, space: OfferSpace, me: int) -> None:
        self.utils = np.delete(space.utils, me, axis=0)

    def scores(self, rows: np.ndarray | slice, order: np.ndarray, window: np.ndarray,
               start: np.ndarray) -> np.ndarray:
        return np.asarray(self.utils[:, order[window]].min(axis=0))


class _FrequencyModel(_Model):
    """`FrequencyModel` for every row: option counts and unchanged-issue counts per opponent.

    Kept incrementally so a turn touches only the offered options: each issue's
    highest count and the total of the unchanged counts (small integers, so
    every sum is exact in any order). A candidate's score is Σ_i count·weight_i
    over its options, the same products and sums as `FrequencyModel.scores`.
    """

    def __init__(self, space: OfferSpace, opponents: list[int], rows: int, order: np.ndarray,
                 width: int) -> None:
        sizes = space.domain.sizes
        self.rows = space.rows
        self.start = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        self.issue_of = np.repeat(np.arange(len(sizes)), sizes)
        self.slots, issues = int(sizes.sum()), len(sizes)
        self.opponents = opponents
        self.counts = {q: np.zeros((rows, self.slots)) for q in opponents}
        self.top = {q: np.zeros((rows, issues)) for q in opponents}
        self.unchanged = {q: np.ones((rows, issues)) for q in opponents}
        self.total = {q: np.full(rows, float(issues)) for q in opponents}
        self.last = {q: np.zeros((rows, issues), dtype=self.rows.dtype) for q in opponents}
        self.seen = {q: np.zeros(rows, dtype=bool) for q in opponents}
        # Candidates are consecutive in the party's order: keep each one's option slots in
        # that order, so a window of candidates is one contiguous block (if it fits).
        self.windows = None
        if len(order) * issues * 4 <= WINDOW_BUDGET:
            ranked = (self.start + self.rows[order]).astype(np.int32)
            padded = np.concatenate([ranked, np.repeat(ranked[-1:], width, axis=0)])
            self.windows = sliding_window_view(padded, (width, issues))[:, 0]

    def compact(self, keep: np.ndarray) -> None:
        for table in (self.counts, self.top, self.unchanged, self.total, self.last, self.seen):
            for q in self.opponents:
                table[q] = table[q][keep]

    def update(self, offer: np.ndarray, proposer: np.ndarray) -> None:
        for q in self.opponents:
            if len(self.opponents) == 1:
                mine: np.ndarray | slice = slice(None)
                n = len(offer)
                at = np.arange(n)
            else:
                mine = np.flatnonzero(proposer == q)
                n = len(mine)
                if n == 0:
                    continue
                at = mine
            row = self.rows[offer[mine]]
            flat = (at * self.slots)[:, None] + (self.start + row)
            counts = self.counts[q].reshape(-1)
            counts[flat] += 1.0
            self.top[q][mine] = np.maximum(self.top[q][mine], counts[flat])
            same = (row == self.last[q][mine]) & self.seen[q][mine][:, None]
            self.unchanged[q][mine] += same
            self.total[q][mine] += same.sum(axis=1)
            self.last[q][mine] = row
            self.seen[q][mine] = True

    def scores(self, rows: np.ndarray | slice, order: np.ndarray, window: np.ndarray,
               start: np.ndarray) -> np.ndarray:
        n, width = window.shape
        if self.windows is not None and self.windows.shape[1] >= width:
            slots = self.windows[start, :width]
        else:
            slots = self.start + self.rows[order[window]]  # (r, k, issues)
        local = slots + (np.arange(n) * self.slots)[:, None, None]
        best = None
        for q in self.opponents:
            unchanged, top = self.unchanged[q][rows], self.top[q][rows]
            weights = unchanged / (self.total[q][rows][:, None] * np.maximum(top, 1.0))
            table = self.counts[q][rows] * weights[:, self.issue_of]
            score = table.reshape(-1)[local].sum(axis=2)
            best = score if best is None else np.minimum(best, score)
        assert best is not None
        return np.asarray(best)


class _Memory:
    """Tit-for-tat's memory: the utility of each opponent's previous offer, per row."""

    def __init__(self, opponents: list[int], rows: int) -> None:
        self.opponents = opponents
        self.previous = {q: np.zeros(rows) for q in opponents}
        self.seen = {q: np.zeros(rows, dtype=bool) for q in opponents}

    def compact(self, keep: np.ndarray) -> None:
        for q in self.opponents:
            self.previous[q] = self.previous[q][keep]
            self.seen[q] = self.seen[q][keep]

    def received(self, u: np.ndarray, proposer: np.ndarray, level: np.ndarray,
                 absolute: np.ndarray, tft: np.ndarray, u_min: float, u_max: float
                 ) -> np.ndarray:
        level = level.copy()
        for q in self.opponents:
            mine = tft & (proposer == q)
            move = mine & self.seen[q]
            before = self.previous[q]
            self.previous[q] = np.where(mine, u, before)
            self.seen[q] = self.seen[q] | mine
            if not move.any():
                continue
            gap = u_max - before
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(gap > EPS, (u_max - u) / gap, 1.0)
            new = np.where(absolute, level - (u - before), u_min + (level - u_min) * ratio)
            level = np.where(move, np.clip(new, u_min, u_max), level)
        return level


class _Draws:
    """The random strategy's draws, replayed exactly from each session's own PCG64 stream.

    numpy's `Generator.integers(lo, hi)` (for hi − lo ≤ 2^32) takes 32-bit halves of
    the 64-bit words, low half first and the high half kept for the next call
    (Lemire's method, with rejection); `random()` takes a whole word's top 53
    bits. Replaying the raw words under the same rules gives the same numbers.
    """

    def __init__(self, seeds: np.ndarray, party: int, n_parties: int, mask: np.ndarray) -> None:
        gens: list[Any] = [
            np.random.default_rng(np.random.SeedSequence(int(s)).spawn(n_parties)[party])
            .bit_generator if m else None for s, m in zip(seeds, mask, strict=True)]
        self.gens_arr = np.empty(len(gens), dtype=object)
        self.gens_arr[:] = gens
        rows = len(seeds)
        self.raw = np.zeros((rows, RAW_BLOCK), dtype=np.uint64)
        self.ptr = np.full(rows, RAW_BLOCK, dtype=np.int64)
        self.has32 = np.zeros(rows, dtype=bool)
        self.buf32 = np.zeros(rows, dtype=np.uint64)

    def compact(self, keep: np.ndarray) -> None:
        self.gens_arr = self.gens_arr[keep]
        for name in ("raw", "ptr", "has32", "buf32"):
            setattr(self, name, getattr(self, name)[keep])

    def _words(self, rows: np.ndarray) -> np.ndarray:
        empty = rows[self.ptr[rows] >= RAW_BLOCK]
        for r in empty:  # one generator call per session every RAW_BLOCK draws
            self.raw[r] = self.gens_arr[r].random_raw(RAW_BLOCK)
        self.ptr[empty] = 0
        words = self.raw[rows, self.ptr[rows]]
        self.ptr[rows] += 1
        return np.asarray(words)

    def _uint32(self, rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), dtype=np.uint64)
        held = self.has32[rows]
        out[held] = self.buf32[rows[held]]
        self.has32[rows[held]] = False
        fresh = rows[~held]
        words = self._words(fresh)
        self.buf32[fresh] = words >> np.uint64(32)
        self.has32[fresh] = True
        out[~held] = words & M32
        return out

    def bounded(self, rows: np.ndarray, span: int) -> np.ndarray:
        """`integers(0, span + 1)` for each row (no draw when span is 0)."""
        if span == 0:
            return np.zeros(len(rows), dtype=np.int64)
        width = np.uint64(span + 1)
        threshold = np.uint64((0xFFFFFFFF - span) % (span + 1))
        m = self._uint32(rows) * width
        again = np.flatnonzero((m & M32) < threshold)
        while len(again):
            m[again] = self._uint32(rows[again]) * width
            again = again[(m[again] & M32) < threshold]
        return (m >> np.uint64(32)).astype(np.int64)

    def uniform(self, rows: np.ndarray) -> np.ndarray:
        """`random()` for each row."""
        return (self._words(rows) >> np.uint64(11)).astype(np.float64) * (
            1.0 / 9007199254740992.0)


class _Lockstep:
    """The turn loop over all rows; finished rows are dropped every so often."""

    def __init__(self, space: OfferSpace, settings: Settings,
                 players: list[tuple[Strategy, ...]], which: np.ndarray, seeds: np.ndarray,
                 ids: np.ndarray, out: _Outcomes, progress: Callable[[int], None]) -> None:
        self.space, self.settings, self.out, self.progress = space, settings, out, progress
        used = set(which.tolist())  # lineups played here; the others get a stand-in
        lineups = [lineup if k in used else (Linear(),) * space.n_parties
                   for k, lineup in enumerate(players)]
        self.exponents = np.unique([1.0 / s.params["e"] for lineup in lineups for s in lineup
                                    if "e" in s.params])
        self.parties = [
            _Party(space, settings, p, [lineup[p] for lineup in lineups], which, seeds,
                   self.exponents)
            for p in range(space.n_parties)]
        self.ids = ids

    def run(self) -> None:
        settings, out = self.settings, self.out
        n_parties, rounds, seats = len(self.parties), settings.rounds, settings.seats
        state = State(rounds, n_parties)
        ids = self.ids
        live = len(ids)
        offer = np.full(live, -1, dtype=np.int64)
        offer_turn = np.full(live, -1, dtype=np.int64)
        proposer = np.full(live, -1, dtype=np.int64)
        accepts = np.zeros(live, dtype=np.int64)
        alive = np.ones(live, dtype=bool)
        finished = 0
        for turn in range(rounds):
            p = seats[turn % n_parties]
            party = self.parties[p]
            state.turn = turn
            t = state.t = state.relative_time(turn)
            powers = np.array([*(t ** float(x) for x in self.exponents), 0.0])
            if turn == 0:
                new = party.propose(slice(None), powers)
                offer[:], offer_turn[:], proposer[:] = new, 0, p
                self._log(ids, turn, OFFER, new)
                continue
            accept = party.respond(offer, proposer, state, t, powers)
            accept &= alive
            accepts = np.where(accept, accepts + 1, accepts)
            if accept.any():
                self._log(ids[accept], turn, ACCEPT, offer[accept])
                agreed = accept & (accepts == n_parties - 1)
                if agreed.any():
                    rows = ids[agreed]
                    out.agreement[rows] = True
                    out.end[rows] = 0
                    out.offer[rows] = offer[agreed]
                    out.offer_turn[rows] = offer_turn[agreed]
                    out.rounds_used[rows] = turn + 1
                    alive &= ~agreed
                    finished += int(agreed.sum())
                    self.progress(finished)
            counter = np.flatnonzero(alive & ~accept)
            if len(counter):
                idx: np.ndarray | slice = slice(None) if len(counter) == live else counter
                new = party.propose(idx, powers)
                offer[idx], offer_turn[idx], proposer[idx], accepts[idx] = new, turn, p, 0
                self._log(ids[idx], turn, OFFER, new)
            if finished and (live - int(alive.sum())) * 4 >= live:
                if not alive.any():
                    return
                keep = np.flatnonzero(alive)
                for party_state in self.parties:
                    party_state.compact(keep)
                ids, offer, offer_turn = ids[keep], offer[keep], offer_turn[keep]
                proposer, accepts, alive = proposer[keep], accepts[keep], alive[keep]
                live = len(ids)
        rows = ids[alive]
        out.rounds_used[rows] = rounds
        self.progress(finished + len(rows))

    def _log(self, rows: np.ndarray, turn: int, action: int, offers: np.ndarray) -> None:
        if self.out.actions is not None and self.out.offers is not None:
            self.out.actions[rows, turn] = action
            self.out.offers[rows, turn] = offers
