"""The batched engine's turn loop: every session's strategies as arrays, one row a session.

At turn τ the same seat acts in every live session, so a turn is a handful of
numpy operations over the rows: targets, bisection into the sorted utilities,
the opponent model's scores of the candidates, the acceptance conditions.
Each step repeats the per-session strategies' float operations in the same
order (`t ** (1/e)` as Python floats per distinct exponent: numpy's vectorised
`power` may differ in the last bit), so the results are identical to theirs.
Finished rows are dropped every so often, so late turns cost what the
sessions still running need. Rows share one offer space, or (`SpaceTables`) each
has its own: the same outcomes with other utilities and reservations, where a
row's numbers are gathers from its space's and the bisection runs over all rows
at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from pactlab.negotiation.base import EPS, State, Strategy
from pactlab.negotiation.protocol import Settings
from pactlab.negotiation.replay import SessionDraws
from pactlab.negotiation.results import ACCEPT, OFFER
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

if TYPE_CHECKING:
    from pactlab.negotiation.batch import Ends

TIME, HARD, TFT, RANDOM = 0, 1, 2, 3
KINDS: dict[type[Strategy], int] = {
    TimeDependent: TIME, Boulware: TIME, Linear: TIME, Conceder: TIME, Hardliner: HARD,
    TitForTat: TFT, AbsoluteTitForTat: TFT, RandomStrategy: RANDOM,
}
AC_CODES = {"next": 0, "const": 1, "time": 2, "combi": 3}
WINDOW_BUDGET = 1 << 27  # bytes for each party's candidate windows (option slots by rank)


def vectorised(strategy: Strategy) -> bool:
    """Whether the batched engine plays this strategy (exactly the built-in classes)."""
    return type(strategy) in KINDS


@dataclass(frozen=True, eq=False)
class SpaceTables:
    """Rows that each play on their own offer space (same outcomes, own utilities).

    Each party's utilities, order and sorted utilities are stacked by space, `where` gives
    each row's space and `reservations` each space's (spaces × parties): every per-space
    number a row needs is then a gather, and a turn stays a few array operations.
    """

    where: np.ndarray  # (rows,) the space of each row
    own: tuple[np.ndarray, ...]  # per party: (spaces, n) utility of each position
    order: tuple[np.ndarray, ...]  # per party: (spaces, n) positions by utility, ascending
    sorted: tuple[np.ndarray, ...]  # per party: (spaces, n) the sorted utilities
    utils: np.ndarray  # (spaces, parties, n)
    reservations: np.ndarray  # (spaces, parties)

    @classmethod
    def of(cls, spaces: Sequence[OfferSpace], reservations: np.ndarray,
           where: np.ndarray) -> SpaceTables:
        parties = range(spaces[0].n_parties)
        return cls(
            where=np.asarray(where, dtype=np.int64),
            own=tuple(np.stack([s.private(p).utilities for s in spaces]) for p in parties),
            order=tuple(np.stack([s.order[p] for s in spaces]) for p in parties),
            sorted=tuple(np.stack([s.sorted_utils[p] for s in spaces]) for p in parties),
            utils=np.stack([s.utils for s in spaces]),
            reservations=np.asarray(reservations, dtype=float),
        )


def _search(sorted_rows: np.ndarray, where: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`np.searchsorted(sorted_rows[where[r]], values[r])` (side left) for every r at once:
    a bisection over all rows in lockstep, ⌈log2(n + 1)⌉ steps."""
    n = sorted_rows.shape[1]
    lo = np.zeros(len(values), dtype=np.int64)
    hi = np.full(len(values), n, dtype=np.int64)
    for _ in range(int(n).bit_length()):
        mid = (lo + hi) // 2
        open_ = mid < hi
        below = open_ & (sorted_rows[where, np.minimum(mid, n - 1)] < values)
        lo = np.where(below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)
    return lo


class _Party:
    """One party's strategy state in every live session: parameters and memory as arrays."""

    ROW_FIELDS = ("kind", "power", "absolute", "ac", "alpha", "beta", "c", "at", "k", "p",
                  "best", "level", "informed")
    SPACE_FIELDS = ("where", "floor", "u_max", "u_min", "span", "first")  # a space per row

    def __init__(self, space: OfferSpace, settings: Settings, party: int,
                 strategies: list[Strategy], which: np.ndarray, seeds: np.ndarray,
                 exponents: np.ndarray, tables: SpaceTables | None = None) -> None:
        self.party = party
        self.tables = tables
        if tables is None:  # one space for every row
            own = space.private(party)
            self.own, self.order, self.sorted = own.utilities, own.order, own.sorted_utilities
            self.n = len(self.order)
            self.floor = float(settings.reservations[party])
            self.u_max = float(self.sorted[-1])
            self.u_min = float(min(max(self.floor, self.sorted[0]), self.u_max))
            self.span = self.u_max - self.u_min
            self.first = min(int(np.searchsorted(self.sorted, self.u_min - EPS, side="left")),
                             self.n - 1)
        else:  # a space per row: the same numbers per row, from that row's space
            self.where = tables.where
            self.own, self.order, self.sorted = (tables.own[party], tables.order[party],
                                                 tables.sorted[party])
            self.n = self.order.shape[1]
            floor = tables.reservations[:, party]
            u_max = self.sorted[:, -1]
            u_min = np.minimum(np.maximum(floor, self.sorted[:, 0]), u_max)
            first = np.array([min(int(np.searchsorted(row, low - EPS, side="left")), self.n - 1)
                              for row, low in zip(self.sorted, u_min, strict=True)])
            self.floor, self.u_max, self.u_min = (floor[self.where], u_max[self.where],
                                                  u_min[self.where])
            self.span = self.u_max - self.u_min
            self.first = first[self.where]
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
        self.model: _Model = (_TrueModel(space, party, tables) if self.complete else
                              _FrequencyModel(space, self.opponents, rows,
                                              self.order if tables is None else None,
                                              int(min(self.k.max(initial=1), self.n))))
        self.tft = _Memory(self.opponents, rows) if self.any_tft else None
        self.rng = SessionDraws(seeds, party, space.n_parties, self.kind == RANDOM) \
            if self.any_random else None

    def compact(self, keep: np.ndarray) -> None:
        per_row = self.ROW_FIELDS if self.tables is None else self.ROW_FIELDS + self.SPACE_FIELDS
        for name in per_row:
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
        if self.tables is None:
            rank = np.minimum(self.sorted.searchsorted(target - EPS), self.n - 1)
        else:
            rank = np.minimum(_search(self.sorted, self.where[idx], target - EPS), self.n - 1)
        pos = self._positions(idx, rank)
        k = self.k[idx]
        informed = self.informed[idx] if not self.complete else np.ones(len(rank), dtype=bool)
        pick = np.flatnonzero(informed & (k > 1) & (rank < self.n - 1))
        if len(pick):
            width = int(min(k[pick].max(), self.n))
            start = rank[pick]
            window = np.minimum(start[:, None] + np.arange(width), self.n - 1)
            rows = pick if isinstance(idx, slice) else idx[pick]
            candidates = self._positions(rows, window)
            scores = self.model.scores(rows, candidates, start,
                                       None if self.tables is None else self.where[rows])
            # Past a row's own `candidates`, or past the best outcome, nothing is a candidate.
            scores[(np.arange(width) >= k[pick, None]) | (start[:, None] + np.arange(width)
                                                          >= self.n)] = -np.inf
            pos[pick] = candidates[np.arange(len(pick)), scores.argmax(axis=1)]
        if self.any_random:
            rnd = np.flatnonzero(self.kind[idx] == RANDOM)
            if len(rnd):
                rows = rnd if isinstance(idx, slice) else idx[rnd]
                assert self.rng is not None
                if self.tables is None:
                    pos[rnd] = self.order[self.first + self.rng.bounded(rows,
                                                                        self.n - 1 - self.first)]
                else:  # one bound per row: draw per distinct bound (each row its own stream)
                    first = np.asarray(self.first)[rows]
                    draw = np.empty(len(rows), dtype=np.int64)
                    for bound in np.unique(self.n - 1 - first):
                        mine = np.flatnonzero(self.n - 1 - first == bound)
                        draw[mine] = self.rng.bounded(rows[mine], int(bound))
                    pos[rnd] = self._positions(rows, first + draw)
        return pos

    def _positions(self, rows: np.ndarray | slice, rank: np.ndarray) -> np.ndarray:
        """Offer positions at ranks `rank` (one per row, or a window per row) of the rows'
        own utility order."""
        if self.tables is None:
            return np.asarray(self.order[rank])
        where = self.where[rows]
        return np.asarray(self.order[where if rank.ndim == 1 else where[:, None], rank])

    # --- answers --------------------------------------------------------------
    def respond(self, offer: np.ndarray, proposer: np.ndarray, state: State, t: float,
                powers: np.ndarray) -> np.ndarray:
        """Accept (True) or reject each row's standing offer, updating what the party learnt."""
        u = self.own[offer] if self.tables is None else self.own[self.where, offer]
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
            floor = self.floor if self.tables is None else np.asarray(self.floor)[rnd]
            above = rnd[u[rnd] >= floor - EPS]
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

    def scores(self, rows: np.ndarray | slice, candidates: np.ndarray, start: np.ndarray,
               where: np.ndarray | None) -> np.ndarray:
        """(rows, candidates) predicted utility of the offer positions `candidates`, the
        party's outcomes from rank `start[r]` up (clipped at the best outcome); `where`:
        each row's space, when rows have their own (None: one space)."""
        raise NotImplementedError


class _TrueModel(_Model):
    """Complete information: the least satisfied opponent's real utility of each candidate."""

    def __init__(self, space: OfferSpace, me: int, tables: SpaceTables | None = None) -> None:
        self.utils = np.delete(space.utils if tables is None else tables.utils, me,
                               axis=0 if tables is None else 1)

    def scores(self, rows: np.ndarray | slice, candidates: np.ndarray, start: np.ndarray,
               where: np.ndarray | None) -> np.ndarray:
        if where is None:
            return np.asarray(self.utils[:, candidates].min(axis=0))
        others = np.arange(self.utils.shape[1])[None, :, None]
        return np.asarray(self.utils[where[:, None, None], others, candidates[:, None, :]]
                          .min(axis=1))


class _FrequencyModel(_Model):
    """`FrequencyModel` for every row: option counts and unchanged-issue counts per opponent.

    Kept incrementally so a turn touches only the offered options: each issue's
    highest count and the total of the unchanged counts (small integers, so
    every sum is exact in any order). A candidate's score is Σ_i count·weight_i
    over its options, the same products and sums as `FrequencyModel.scores`.
    """

    def __init__(self, space: OfferSpace, opponents: list[int], rows: int,
                 order: np.ndarray | None, width: int) -> None:
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
        if order is not None and len(order) * issues * 4 <= WINDOW_BUDGET:
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

    def scores(self, rows: np.ndarray | slice, candidates: np.ndarray, start: np.ndarray,
               where: np.ndarray | None) -> np.ndarray:
        n, width = candidates.shape
        if self.windows is not None and self.windows.shape[1] >= width:
            slots = self.windows[start, :width]
        else:
            slots = self.start + self.rows[candidates]  # (r, k, issues)
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


class Lockstep:
    """The turn loop over all rows; finished rows are dropped every so often."""

    def __init__(self, space: OfferSpace, settings: Settings,
                 players: list[tuple[Strategy, ...]], which: np.ndarray, seeds: np.ndarray,
                 ids: np.ndarray, out: Ends, progress: Callable[[int], None],
                 tables: SpaceTables | None = None) -> None:
        self.space, self.settings, self.out, self.progress = space, settings, out, progress
        used = set(which.tolist())  # lineups played here; the others get a stand-in
        lineups = [lineup if k in used else (Linear(),) * space.n_parties
                   for k, lineup in enumerate(players)]
        self.exponents = np.unique([1.0 / s.params["e"] for lineup in lineups for s in lineup
                                    if "e" in s.params])
        self.parties = [
            _Party(space, settings, p, [lineup[p] for lineup in lineups], which, seeds,
                   self.exponents, tables)
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
