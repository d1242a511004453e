"""A scenario compiled once for many samples of its uncertain numbers, analysed as arrays.

`SampledDomain` keeps what priors cannot change (labels, outcome rows, interaction
conditions) and turns a block of sampled values into per-sample arrays: weighted values
(samples × parties × options per issue), limit masks, reservations, interaction values
and status quos. `analyze_block` then finds, for every sample at once, the ZOPA and the
four bargaining solutions over utilities of parties × samples × outcomes, with exactly
the objectives and tie-breaks of `pactlab.analysis` (tests check it sample by sample
against `analyze` on the scenario with the values applied). Domains too large for
samples × outcomes arrays fall back to one `analyze_domain` per sample.

Speed: with fixed limits only the feasible outcomes are evaluated; samples go through
in chunks of a few (`CHUNK_MEMORY`) so that the thirty-odd passes over each chunk's
utilities, gains and objectives stay in cache, in buffers reused from chunk to chunk;
each party's block is contiguous and the outcome grid is laid out with the last issue
slowest, so every numpy call runs over long rows. About 0.25 ms of CPU per sample of
sma-2019 (12,480 feasible outcomes), against 3 ms for samples × parties × outcomes
arrays in memory-sized blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from pactlab.errors import PactlabError
from pactlab.kernel.bargaining import SOLUTIONS, TIE_TOLERANCE, acceptance_threshold
from pactlab.model.domain import Domain, Interaction, compile_domain, value_of
from pactlab.model.labels import LABEL_TOLERANCE
from pactlab.model.priors import Prior
from pactlab.model.references import table_keys
from pactlab.model.schema import Scenario

BLOCK_MEMORY = 256 * 2**20  # more than this for one sample's outcomes: analyze one by one
CHUNK_MEMORY = 8 * 2**20  # working set of a chunk of samples (fits the caches)
SUB_BLOCK = 512  # samples compiled to per-sample arrays at once
_TINY_SPAN = 1e-200  # below it, a gain / span may overflow to inf (counted as 1, as analyze)
_DEGENERATE = 1e-12  # stands in for best − worst = 0 (a step at `best`)


@dataclass(frozen=True, eq=False)
class Arrays:
    """Per-sample numbers of a block of S samples (a leading 1 broadcasts over samples)."""

    values: tuple[np.ndarray, ...]  # per issue (S, parties, options): weight × value
    allowed: tuple[np.ndarray, ...]  # per issue (S|1, parties, options): limits
    reservations: np.ndarray  # (S, parties)
    interactions: np.ndarray  # (S, interactions) bonus values
    status_quo: np.ndarray | None  # (S, issues) option indices

    @property
    def size(self) -> int:
        return self.reservations.shape[0]


class SampledDomain:
    """A scenario and its priors, ready to compile blocks of samples to arrays."""

    def __init__(self, sc: Scenario, priors: Sequence[Prior]):
        self.scenario = sc
        self.priors = list(priors)
        self.base = compile_domain(sc)
        d = self.base
        self.issue_index = {iid: i for i, iid in enumerate(d.issue_ids)}
        self.weights = np.array([[p.weights.get(iid, 0.0) for iid in d.issue_ids]
                                 for p in sc.parties])
        self.raw = tuple(
            np.array([value_of(p.values[iss.id], d.labels[i]) if iss.id in p.values
                      else np.zeros(len(d.labels[i])) for p in sc.parties])
            for i, iss in enumerate(sc.issues))
        self.renormalise = np.array([p.utility is None or p.utility.weights != "as-written"
                                     for p in sc.parties])
        # With fixed limits, an option some party excludes is excluded in every sample: the
        # feasible outcomes are the grid of the other options, and only they are evaluated.
        fixed = not any(p.target.kind == "limit" for p in self.priors)
        self.fixed_limits = fixed
        self.options = tuple(np.flatnonzero(a) if fixed else np.arange(len(a))
                             for a in d.allowed)
        # The outcomes evaluated, in the order of the utility arrays: the LAST issue varies
        # slowest, so that each issue's values are added over long contiguous rows (see
        # `utilities`); `index` holds their mixed-radix numbers (first issue most
        # significant, analyze's order), which decide ties between identical outcomes.
        self.index: np.ndarray | None = None
        self.rows: np.ndarray | None = None  # ... and as rows of option indices
        if not self.too_large:
            shape = [len(o) for o in reversed(self.options)]
            grid = np.indices(shape).reshape(d.n_issues, -1).T[:, ::-1]
            rows = np.column_stack([o[grid[:, i]] for i, o in enumerate(self.options)]
                                   ) if len(grid) else np.empty((0, d.n_issues), np.int64)
            self.rows = rows.astype(np.int64)
            self.index = d.encode(self.rows)
        self.holds = [self._holds(x) for x in d.interactions] if self.rows is not None else []
        self.exact_ties = self._exact_ties()

    # --- outcomes with identical utilities ------------------------------------------
    def _exact_ties(self) -> bool:
        """Whether `analyze` uses the exact method with two parties on this domain.

        Its frontier keeps one outcome per utility vector, the one its issue-by-issue
        construction meets first (`canonical`); enumeration (and the exact method with more
        parties, whose partial frontiers stay in outcome order) keeps the earliest outcome.
        """
        from pactlab.analysis.methods import choose_method

        if self.base.n_parties != 2 or self.rows is None:
            return False
        try:
            return choose_method(self.base) == "exact"
        except PactlabError:
            return False

    def canonical(self, arrays: Arrays, k: int, columns: np.ndarray) -> int:
        """Of outcomes `columns` with identical utilities in sample k, the one analyze reports.

        Enumeration: the smallest mixed-radix index. The two-party exact method
        (`pactlab.analysis.exact`) builds the frontier issue by issue and, of equal partial
        sums, keeps the one met first: candidates are met ordered by their partial sum
        before the issue, then by the issue's option values (both in frontier order:
        party 0's descending, then party 1's), and of options with equal values the first
        one is kept. Comparing outcomes by that key, issue by issue from the last, gives
        its choice.
        """
        rows = self._rows()[columns]
        if not self.exact_ties:
            return int(columns[np.argmin(self.base.encode(rows))])
        keys = [self._met_first(arrays, k, row) for row in rows]
        return int(columns[min(range(len(keys)), key=keys.__getitem__)])

    def _met_first(self, arrays: Arrays, k: int, row: np.ndarray) -> tuple:
        total = np.zeros(self.base.n_parties)
        key: tuple = ()
        for i, option in enumerate(row):
            value = arrays.values[i][k, :, option]
            key = (int(option),) if i == 0 else (tuple(-total), tuple(-value), key, int(option))
            total = total + value  # the order of `utilities`: the same partial sums
        if self.base.caps is not None:  # capped last, then filtered in uncapped order
            key = (tuple(-total), key)
        return key

    # --- size -----------------------------------------------------------------
    @property
    def bytes_per_sample(self) -> int:
        """Working memory of one sample's utilities, gains, objectives and masks."""
        d = self.base
        rows = getattr(self, "rows", None)
        n = d.n_outcomes if rows is None else len(rows)
        return n * (d.n_parties * 8 * 2 + 8 * 2 + 2)

    @property
    def too_large(self) -> bool:
        return self.base.n_outcomes * (self.base.n_parties * 8 * 2 + 8 * 2 + 2) > BLOCK_MEMORY

    def _holds(self, inter: Interaction) -> np.ndarray:
        rows = self._rows()
        hold: np.ndarray = np.ones(len(rows), dtype=bool)
        for i, mask in inter.masks.items():
            hold &= mask[rows[:, i]]
        return hold

    def _rows(self) -> np.ndarray:
        """Every outcome as option-index rows (only for domains small enough to hold)."""
        if self.rows is None:
            raise ValueError("the domain is too large for samples × outcomes arrays")
        return self.rows

    # --- compile a block of samples --------------------------------------------
    def arrays(self, x: np.ndarray) -> Arrays:
        """Per-sample arrays for sampled values `x` (S × priors, clipped, in prior order)."""
        d, sc = self.base, self.scenario
        s = x.shape[0]
        weights = np.broadcast_to(self.weights, (s, *self.weights.shape)).copy()
        raw = [np.broadcast_to(v, (s, *v.shape)) for v in self.raw]
        reservations = np.broadcast_to(d.reservations, (s, d.n_parties)).copy()
        bonus = np.broadcast_to(np.array([it.value for it in d.interactions], dtype=float),
                                (s, len(d.interactions))).copy()
        allowed: list[np.ndarray] = [a[None] for a in d.party_allowed]
        status_quo = None if d.status_quo is None else np.broadcast_to(
            d.status_quo, (s, d.n_issues)).copy()
        by_function: dict[tuple[int, int], list[tuple[Prior, np.ndarray]]] = {}
        by_limit: dict[tuple[int, int], dict[int, dict[str, np.ndarray]]] = {}
        first_inter = np.cumsum([0] + [len(p.interactions) for p in sc.parties])
        touched = np.zeros(d.n_parties, dtype=bool)
        for j, prior in enumerate(self.priors):
            t, col = prior.target, x[:, j]
            if t.kind == "reservation":
                reservations[:, t.party] = col
            elif t.kind == "weight":
                weights[:, t.party, self.issue_index[t.key]] = col
                touched[t.party] = True
            elif t.kind in ("value", "table", "point"):
                by_function.setdefault((t.party, t.issue), []).append((prior, col))
            elif t.kind == "interaction":
                bonus[:, first_inter[t.party] + t.key] = col
            elif t.kind == "limit":
                bounds = by_limit.setdefault((t.party, t.issue), {})
                bounds.setdefault(t.key[0], {})[t.key[1]] = col
            elif t.kind == "status_quo" and status_quo is not None:
                status_quo[:, t.issue] = self._status_quo_index(t.issue, prior, col)
        for (p, i), items in by_function.items():
            raw[i] = raw[i].copy()
            raw[i][:, p, :] = self._values(p, i, items, s)
        for (p, i), bounds in by_limit.items():
            if allowed[i].shape[0] == 1:
                allowed[i] = np.broadcast_to(allowed[i], (s, *allowed[i].shape[1:])).copy()
            allowed[i][:, p, :] = self._limit_masks(p, i, bounds, s)
        renorm = touched & self.renormalise
        if renorm.any():
            total = weights[:, renorm, :].sum(axis=2, keepdims=True)
            weights[:, renorm, :] = np.divide(weights[:, renorm, :], total,
                                              out=weights[:, renorm, :].copy(),
                                              where=total > 0)
        values = tuple(weights[:, :, i, None] * raw[i] for i in range(d.n_issues))
        return Arrays(values, tuple(allowed), reservations, bonus, status_quo)

    def _status_quo_index(self, i: int, prior: Prior, col: np.ndarray) -> np.ndarray:
        if prior.categorical:
            options = list(self.base.labels[i])
            names = prior.entry.params[0]
            return np.array([options.index(names[int(k)]) for k in col], dtype=np.int64)
        grid = np.asarray(self.base.labels[i], dtype=float)
        return np.abs(grid[None, :] - col[:, None]).argmin(axis=1)

    def _values(self, p: int, i: int, items: list[tuple[Prior, np.ndarray]], s: int
                ) -> np.ndarray:
        """One party's value of one issue's options under sampled parameters, (S, options)."""
        fn = self.scenario.parties[p].values[self.base.issue_ids[i]]
        labels = self.base.labels[i]
        given = {prior.target.key: col for prior, col in items}
        if fn.kind == "table":
            keys = [str(k) for k in table_keys(fn.table, list(labels))]
            return np.stack([given.get(k, np.full(s, fn.table[k])) for k in keys], axis=1)
        x = np.asarray(labels, dtype=float)[None, :]
        if fn.kind == "piecewise":
            pts = np.array(fn.points, dtype=float)
            xs = np.broadcast_to(pts[:, 0], (s, len(pts))).copy()
            vs = np.broadcast_to(pts[:, 1], (s, len(pts))).copy()
            for (k, j), col in given.items():
                (xs if j == 0 else vs)[:, k] = col
            return _interp(x[0], xs, vs)
        if fn.kind == "affine":
            slope = given.get("slope", np.full(s, fn.slope))[:, None]
            intercept = given.get("intercept", np.full(s, fn.intercept))[:, None]
            return np.clip(slope * (x - fn.origin) + intercept, 0.0, 1.0)
        worst = given.get("worst", np.full(s, fn.worst))[:, None]
        best = given.get("best", np.full(s, fn.best))[:, None]
        span = best - worst
        span = np.where(span == 0, _DEGENERATE, span)
        return np.clip((x - worst) / span, 0.0, 1.0)

    def _limit_masks(self, p: int, i: int, bounds: dict[int, dict[str, np.ndarray]], s: int
                     ) -> np.ndarray:
        """Party p's allowed options on issue i with its limits' sampled bounds, (S, options).

        `bounds` maps a limit's position in the party's list to its sampled min/max.
        """
        sc = self.scenario
        x = np.asarray(self.base.labels[i], dtype=float)[None, :]
        ok = np.ones((s, x.shape[1]), dtype=bool)
        for n, limit in enumerate(sc.parties[p].limits):
            if limit.issue != sc.issue_ids[i]:
                continue
            if limit.allowed is not None:
                ok &= np.array([lab in limit.allowed for lab in self.base.labels[i]])[None]
                continue
            lo = np.full(s, np.nan if limit.min is None else limit.min)
            hi = np.full(s, np.nan if limit.max is None else limit.max)
            if n in bounds:
                lo = bounds[n].get("min", lo)
                hi = bounds[n].get("max", hi)
                lo = np.where(np.isnan(hi), lo, np.minimum(lo, hi))  # min clipped to <= max
            for bound, above in ((lo, True), (hi, False)):
                b = bound[:, None]
                tol = LABEL_TOLERANCE * np.maximum(1.0, np.abs(b))
                hit = x >= b - tol if above else x <= b + tol
                ok &= np.where(np.isnan(b), True, hit)
        return ok

    # --- one sample as a Domain ------------------------------------------------
    def domain(self, arrays: Arrays, k: int) -> Domain:
        """Sample k of a block as an ordinary `Domain` (for negotiation, linkage, fallback)."""
        d = self.base
        inter = tuple(Interaction(it.party, float(arrays.interactions[k, g]), it.masks)
                      for g, it in enumerate(d.interactions))
        return Domain(
            issue_ids=d.issue_ids, labels=d.labels, party_ids=d.party_ids,
            values=tuple(v[k] for v in arrays.values),
            party_allowed=tuple(a[k if a.shape[0] > 1 else 0] for a in arrays.allowed),
            reservations=arrays.reservations[k].copy(), interactions=inter,
            status_quo=None if arrays.status_quo is None else arrays.status_quo[k].copy(),
            caps=d.caps, grids=d.grids,
        )

    # --- utilities of every sample × outcome ---------------------------------------
    def utilities(self, arrays: Arrays, lo: int, hi: int, out: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray | None]:
        """Utilities (parties, S, outcomes) and feasibility (S|1, outcomes) of samples lo:hi.

        Party-major, so that each party's (S, outcomes) block is contiguous and the
        per-party work below runs over whole rows. Summed issue by issue, then
        interactions, then caps: the order of `Domain.utilities_of_rows`, so that the
        numbers are the same to the last bit. Feasibility is None when every outcome
        evaluated is feasible in every sample (fixed limits: only the options every
        party allows are enumerated). `out` is a reusable (parties, ≥S, outcomes) buffer.
        """
        d, rows = self.base, self._rows()
        s, n = hi - lo, len(rows)
        u = np.empty((d.n_parties, s, n)) if out is None else out[:, :s]
        for p in range(d.n_parties):
            # issue by issue, the next issue's options become the outer axis of the sums so
            # far (x + y = y + x exactly): each sample × outcome is written once, in runs as
            # long as the grid so far, and the last issue's sum lands in the buffer
            parts = [vals[lo:hi, p][:, keep] for vals, keep in zip(arrays.values, self.options,
                                                                   strict=True)]
            acc = np.zeros((s, 1))
            for part in parts[:-1]:
                acc = (part[:, :, None] + acc[:, None, :]).reshape(s, -1)
            last = parts[-1]
            np.add(last[:, :, None], acc[:, None, :],
                   out=u[p].reshape(s, last.shape[1], acc.shape[1]))
        for g, (it, hold) in enumerate(zip(d.interactions, self.holds, strict=True)):
            u[it.party] += arrays.interactions[lo:hi, g, None] * hold[None, :]
        if d.caps is not None:
            for p in range(d.n_parties):
                np.minimum(u[p], d.caps[p], out=u[p])
        if self.fixed_limits:
            return u, None
        feasible: np.ndarray = np.ones((1, n), dtype=bool)
        for i, a in enumerate(arrays.allowed):
            part = np.asarray((a[lo:hi] if a.shape[0] > 1 else a).all(axis=1))
            feasible = feasible & part[:, rows[:, i]]
        return u, feasible


def _interp(x: np.ndarray, xs: np.ndarray, vs: np.ndarray) -> np.ndarray:
    """`np.interp(x, xs[s], vs[s])` for every row s at once, flat beyond the ends."""
    k = (xs[:, None, :] <= x[None, :, None]).sum(axis=2)
    lo = np.clip(k - 1, 0, xs.shape[1] - 2)
    x0 = np.take_along_axis(xs, lo, axis=1)
    x1 = np.take_along_axis(xs, lo + 1, axis=1)
    v0 = np.take_along_axis(vs, lo, axis=1)
    v1 = np.take_along_axis(vs, lo + 1, axis=1)
    t = np.clip((x[None, :] - x0) / (x1 - x0), 0.0, 1.0)
    return v0 + t * (v1 - v0)


@dataclass(frozen=True, eq=False)
class BlockAnalysis:
    """Per-sample answers of `analyze`: ZOPA, counts and each solution's outcome."""

    zopa: np.ndarray  # (S,) bool
    feasible: np.ndarray  # (S,) int
    individually_rational: np.ndarray  # (S,) int
    picks: dict[str, np.ndarray]  # solution -> (S,) mixed-radix outcome index, -1: none
    utilities: dict[str, np.ndarray]  # solution -> (S, parties), nan: none


def analyze_block(sd: SampledDomain, arrays: Arrays) -> BlockAnalysis:
    """`analyze`'s ZOPA and solutions for every sample of a block, in cache-sized chunks.

    A chunk holds a few samples' utilities, gains and objectives (about `CHUNK_MEMORY`
    bytes): the dozens of passes over samples × outcomes then run in cache rather than
    in main memory, and the buffers are reused from chunk to chunk.
    """
    s = arrays.size
    if sd.too_large:
        return _analyze_each(sd, arrays)
    step = int(max(1, min(s, CHUNK_MEMORY // max(1, sd.bytes_per_sample))))
    buffers = _Buffers(sd.base.n_parties, step, len(sd._rows()))
    return _joined([_analyze_chunk(sd, arrays, lo, min(lo + step, s), buffers)
                    for lo in range(0, s, step)])


def analyze_values(sd: SampledDomain, x: np.ndarray) -> BlockAnalysis:
    """`analyze_block` of sampled values `x` (samples × priors), `SUB_BLOCK` at a time.

    A batch's per-sample arrays (values of every option, for every party) are compiled a
    sub-block at a time, so that a worker's memory does not grow with its batch size.
    """
    return _joined([analyze_block(sd, sd.arrays(x[lo:lo + SUB_BLOCK]))
                    for lo in range(0, len(x), SUB_BLOCK)])


def _joined(parts: list[BlockAnalysis]) -> BlockAnalysis:
    return BlockAnalysis(
        zopa=np.concatenate([p.zopa for p in parts]),
        feasible=np.concatenate([p.feasible for p in parts]),
        individually_rational=np.concatenate([p.individually_rational for p in parts]),
        picks={k: np.concatenate([p.picks[k] for p in parts]) for k in SOLUTIONS},
        utilities={k: np.concatenate([p.utilities[k] for p in parts]) for k in SOLUTIONS},
    )


class _Buffers:
    """The working arrays of one chunk, allocated once per block and reused."""

    def __init__(self, parties: int, samples: int, outcomes: int):
        self.u = np.empty((parties, samples, outcomes))
        self.gain = np.empty((parties, samples, outcomes))
        self.objective = np.empty((samples, outcomes))
        self.other = np.empty((samples, outcomes))
        self.rational = np.empty((samples, outcomes), dtype=bool)
        self.test = np.empty((samples, outcomes), dtype=bool)


def _analyze_chunk(sd: SampledDomain, arrays: Arrays, lo: int, hi: int, buf: _Buffers
                   ) -> BlockAnalysis:
    """The chunk's ZOPA and solutions with `analyze`'s objectives, party by party.

    Every objective is computed with the operations, in the order, of
    `pactlab.kernel.bargaining` (so the numbers agree to the last bit), but over each
    party's contiguous (S, outcomes) block: reductions over the tiny parties axis are
    written as running elementwise maxima, minima, sums and products.
    """
    u, feasible = sd.utilities(arrays, lo, hi, buf.u)
    n, parties, m = hi - lo, u.shape[0], u.shape[2]
    if m == 0:  # no feasible outcome at all
        none = np.zeros(n, dtype=np.int64)
        return BlockAnalysis(np.zeros(n, dtype=bool), none, none,
                             dict.fromkeys(SOLUTIONS, np.full(n, -1, dtype=np.int64)),
                             dict.fromkeys(SOLUTIONS, np.full((n, parties), np.nan)))
    r = arrays.reservations[lo:hi]
    thr = acceptance_threshold(r)
    rational, test = buf.rational[:n], buf.test[:n]
    np.greater_equal(u[0], thr[:, 0, None], out=rational)
    for p in range(1, parties):
        np.greater_equal(u[p], thr[:, p, None], out=test)
        rational &= test
    if feasible is not None:
        rational &= feasible
    count = np.count_nonzero(rational, axis=1)
    exists = count > 0
    outside = np.logical_not(rational, out=test)  # reused below: where objectives are -inf
    ideal = np.column_stack([np.max(u[p], axis=1, where=rational, initial=-np.inf)
                             for p in range(parties)])
    span = ideal - r
    gain = buf.gain[:, :n]
    for p in range(parties):
        np.subtract(u[p], r[:, p, None], out=gain[p])
    objective, other = buf.objective[:n], buf.other[:n]
    picks, utils = {}, {}
    index = sd.index if sd.index is not None else np.arange(m)

    def identical(row: int, columns: np.ndarray) -> int:
        return sd.canonical(arrays, lo + row, columns)

    for name in SOLUTIONS:
        _objective(name, u, gain, span, objective, other)
        idx = _best(objective, outside, exists, u, rational, identical)
        picks[name] = np.where(exists, index[idx], -1)
        chosen = u[:, np.arange(n), idx].T
        utils[name] = np.where(exists[:, None], chosen, np.nan)
    return BlockAnalysis(
        zopa=exists,
        feasible=np.full(n, m, dtype=np.int64) if feasible is None else np.broadcast_to(
            feasible, rational.shape).sum(axis=1),
        individually_rational=count.astype(np.int64),
        picks=picks,
        utilities=utils,
    )


def _objective(name: str, u: np.ndarray, gain: np.ndarray, span: np.ndarray,
               out: np.ndarray, tmp: np.ndarray) -> None:
    """Write one solution's objective (S, outcomes) into `out`, as the kernel computes it.

    nash: Π max(gain, 0) (the kernel's max(u, r) − r is the same number); Kalai–
    Smorodinsky: min over parties of gain / (ideal − r), a party with no room (span ≤ 0)
    left out and 1 where every party is left out; utilitarian: Σ u; egalitarian: min gain.
    Products and sums run party 0, 1, … like numpy's reduction over that axis.
    """
    parties = u.shape[0]
    if name == "nash":
        np.maximum(gain[0], 0.0, out=out)
        for p in range(1, parties):
            np.maximum(gain[p], 0.0, out=tmp)
            out *= tmp
    elif name == "utilitarian":
        np.copyto(out, u[0])
        for p in range(1, parties):
            out += u[p]
    elif name == "egalitarian":
        np.copyto(out, gain[0])
        for p in range(1, parties):
            np.minimum(out, gain[p], out=out)
    else:  # kalai_smorodinsky
        room = span > 0
        divisor = np.where(room, span, 1.0)
        out.fill(np.inf)
        for p in range(parties):
            np.divide(gain[p], divisor[:, p, None], out=tmp)
            tmp[~room[:, p]] = np.inf
            np.minimum(out, tmp, out=out)
        # inf (every party left out, or a gain over a vanishing span) counts as 1
        if not room.any(axis=1).all() or (span[room] < _TINY_SPAN).any():
            np.copyto(out, 1.0, where=np.isinf(out))


def _best(objective: np.ndarray, outside: np.ndarray, exists: np.ndarray, u: np.ndarray,
          rational: np.ndarray, identical: Callable[[int, np.ndarray], int]) -> np.ndarray:
    """Per sample, the maximiser among rational outcomes with `best_index`'s tie-breaks.

    Within the tolerance of the top, ties go to the larger Σu, then to the earlier point
    of the frontier order (party 0's utility descending, then party 1's, …); of outcomes
    with identical utilities, `identical(row, columns)` picks the one analyze reports.
    A tie is detected without another pass over the whole chunk: the top is knocked out
    and the runner-up compared with the tolerance. `objective` is overwritten.
    """
    n = objective.shape[0]
    np.copyto(objective, -np.inf, where=outside)
    best = objective.argmax(axis=1).astype(np.int64)
    at = np.arange(n)
    top = objective[at, best]
    with np.errstate(invalid="ignore"):
        floor = top - TIE_TOLERANCE * np.maximum(1.0, np.abs(top))
    objective[at, best] = -np.inf
    many = np.flatnonzero(exists & (objective.max(axis=1) >= floor))
    if len(many):  # ties are rare: break them on those samples only
        objective[many, best[many]] = top[many]
        tied = rational[many] & (objective[many] >= floor[many, None])
        sub = u[:, many, :]
        total = sub[0].copy()
        for p in range(1, sub.shape[0]):
            total += sub[p]
        for key in [total, *sub]:
            masked = np.where(tied, key, -np.inf)
            tied &= masked == masked.max(axis=1, keepdims=True)
        best[many] = tied.argmax(axis=1)
        for j in np.flatnonzero(tied.sum(axis=1) > 1):  # identical utilities
            best[many[j]] = identical(int(many[j]), np.flatnonzero(tied[j]))
    return best


def _analyze_each(sd: SampledDomain, arrays: Arrays) -> BlockAnalysis:
    """One `analyze_domain` per sample, for domains too large for outcome arrays."""
    from pactlab.analysis.analyze import analyze_domain

    s, d = arrays.size, sd.base
    zopa = np.zeros(s, dtype=bool)
    feasible = np.zeros(s, dtype=np.int64)
    rational = np.full(s, -1, dtype=np.int64)
    picks = {k: np.full(s, -1, dtype=np.int64) for k in SOLUTIONS}
    utils = {k: np.full((s, d.n_parties), np.nan) for k in SOLUTIONS}
    for k in range(s):
        domain = sd.domain(arrays, k)
        res = analyze_domain(domain)
        zopa[k] = res.zopa.exists
        feasible[k] = res.feasible
        rational[k] = -1 if res.individually_rational is None else res.individually_rational
        for name, sol in res.solutions.items():
            if sol is not None:
                picks[name][k] = int(domain.encode(domain.row_of(sol.outcome)))
                utils[name][k] = [sol.utilities[p] for p in d.party_ids]
    return BlockAnalysis(zopa, feasible, rational, picks, utils)
