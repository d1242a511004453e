"""A scenario compiled to numbers: the form every analysis and simulation works on.

An outcome is a row of option indices, one per issue, or equivalently a
mixed-radix integer (first issue most significant). A party's utility is the
sum over issues of its weighted value of the chosen option, plus the
interaction bonuses whose conditions hold, capped at the party's `cap` if it has
one (GENIUS profiles: min(1, Σ)). Everything is numpy: utilities of
any batch of outcomes are a gather and a sum, chunked to bound memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from pactlab.errors import BudgetError, OfferError
from pactlab.model.labels import LABEL_TOLERANCE, Label, option_index, snapped
from pactlab.model.loading import as_scenario
from pactlab.model.references import table_keys
from pactlab.model.schema import (
    AffineValue,
    Issue,
    LinearValue,
    Party,
    PiecewiseValue,
    Scenario,
    TableValue,
)

CHUNK = 1 << 18
INDEX_LIMIT = 2**63  # outcomes numbered by int64 mixed-radix indices


@dataclass(frozen=True, eq=False)
class Interaction:
    """A bonus `value` for `party` when, on every listed issue, the chosen option is in the mask."""

    party: int
    value: float
    masks: Mapping[int, np.ndarray]  # issue index -> bool mask over that issue's options


@dataclass(frozen=True, eq=False)
class Domain:
    """Issues, per-party value arrays, limits as masks, interactions, reservations."""

    issue_ids: tuple[str, ...]
    labels: tuple[tuple[Label, ...], ...]
    party_ids: tuple[str, ...]
    values: tuple[np.ndarray, ...]  # per issue: (parties, options) weighted values
    party_allowed: tuple[np.ndarray, ...]  # per issue: (parties, options) bool, limits
    reservations: np.ndarray  # (parties,)
    interactions: tuple[Interaction, ...] = ()
    status_quo: np.ndarray | None = None  # option index per issue
    caps: np.ndarray | None = None  # (parties,) utility = min(cap, sum); inf = no cap
    grids: tuple[bool, ...] | None = None  # per issue: a discretised range (numbers snap)
    sizes: np.ndarray = field(init=False)
    strides: np.ndarray = field(init=False)
    _tables: tuple[np.ndarray, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        sizes = np.array([len(lab) for lab in self.labels], dtype=np.int64)
        object.__setattr__(self, "sizes", sizes)
        # per issue, (options, parties): one contiguous row per option, for fast gathers
        object.__setattr__(self, "_tables", tuple(np.ascontiguousarray(v.T) for v in self.values))
        object.__setattr__(self, "strides", _strides(sizes) if self.indexable else
                           np.zeros(len(sizes), dtype=np.int64))

    # --- shape ---------------------------------------------------------------
    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @property
    def n_outcomes(self) -> int:
        return math.prod(int(n) for n in self.sizes)

    @property
    def indexable(self) -> bool:
        """Whether every outcome has a 64-bit mixed-radix index (fewer than 2**63 outcomes).

        Larger spaces have no indices: only the exact method, which works on option
        rows, applies to them.
        """
        return self.n_outcomes < INDEX_LIMIT

    @property
    def feasible_count(self) -> int:
        """How many outcomes break no party's limit, exactly and without enumerating.

        Limits are per-issue masks, so this is the product of the allowed options per
        issue (interactions change utilities, never feasibility). Size guards call it
        before any work.
        """
        return math.prod(int(a.sum()) for a in self.allowed)

    @property
    def is_additive(self) -> bool:
        """True when no interaction couples issues: utilities are sums over issues."""
        return not self.interactions

    @property
    def allowed(self) -> tuple[np.ndarray, ...]:
        """Per issue, the options no party's limits exclude."""
        return tuple(np.asarray(a.all(axis=0)) for a in self.party_allowed)

    # --- outcome encoding -----------------------------------------------------
    def decode(self, index: np.ndarray) -> np.ndarray:
        """Mixed-radix outcome indices -> rows of option indices, shape (n, issues)."""
        self._require_index()
        index = np.asarray(index, dtype=np.int64)
        return np.asarray((index[:, None] // self.strides[None, :]) % self.sizes[None, :])

    def encode(self, rows: np.ndarray) -> np.ndarray:
        self._require_index()
        return np.asarray(np.asarray(rows, dtype=np.int64) @ self.strides)

    def _require_index(self) -> None:
        if not self.indexable:
            raise BudgetError(
                f"{self.n_outcomes:,} outcomes are more than 64-bit indices can number "
                f"(2**63); such a space cannot be enumerated, only analysed by the exact "
                "method (additive scenarios)"
            )

    def chunks(self, size: int = CHUNK) -> Iterator[np.ndarray]:
        """All outcome indices, `size` at a time."""
        self._require_index()
        total = self.n_outcomes
        for start in range(0, total, size):
            yield np.arange(start, min(start + size, total), dtype=np.int64)

    def feasible_outcomes(self, chunk: int = CHUNK,
                          progress: Callable[[int, int], None] | None = None
                          ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every feasible outcome once, in index order, at most `chunk` at a time.

        Yields `(index, rows, utilities)`: mixed-radix indices, option-index rows and
        utilities (n × parties). Only feasible outcomes are generated (counted over
        the allowed options of each issue), so limits make enumeration cheaper, never
        dearer. `progress(done, total)` is called after each chunk, in feasible
        outcomes. This is the one enumeration loop every analysis and simulation uses.
        """
        self._require_index()
        options = [np.flatnonzero(a) for a in self.allowed]
        total = self.feasible_count
        if total == 0:
            return
        # the last issues whose options fit in a chunk form a block enumerated once; a
        # chunk is that block under a run of settings of the first issues (repeat/tile)
        split = self.n_issues
        block = 1
        while split > 0 and block * len(options[split - 1]) <= max(chunk, 1):
            split -= 1
            block *= len(options[split])
        tail = _product_rows(options[split:])
        tail_index = tail @ self.strides[split:]
        radix = np.array([len(o) for o in options[:split]], dtype=np.int64)
        inner = _strides(radix)
        heads, per_chunk = total // block, max(1, chunk // block)
        for start in range(0, heads, per_chunk):
            ids = np.arange(start, min(start + per_chunk, heads), dtype=np.int64)
            g = len(ids)
            head = np.empty((g, split), dtype=np.int64)
            for i in range(split):
                head[:, i] = options[i][(ids // inner[i]) % radix[i]]
            rows = np.empty((g * block, self.n_issues), dtype=np.int64)
            rows[:, :split] = np.repeat(head, block, axis=0)
            rows[:, split:] = np.tile(tail, (g, 1))
            index = np.repeat(head @ self.strides[:split], block) + np.tile(tail_index, g)
            yield index, rows, self.utilities_of_rows(rows)
            if progress is not None:
                progress((start + g) * block, total)

    # --- evaluation -----------------------------------------------------------
    def utilities_of_rows(self, rows: np.ndarray) -> np.ndarray:
        """Utilities of outcomes given as option-index rows, shape (n, parties)."""
        rows = np.asarray(rows)
        u = np.zeros((rows.shape[0], self.n_parties))
        for i, table in enumerate(self._tables):  # issue by issue from 0: the summation order
            u += np.take(table, rows[:, i], axis=0)
        for inter in self.interactions:
            hold = np.ones(rows.shape[0], dtype=bool)
            for i, mask in inter.masks.items():
                hold &= mask[rows[:, i]]
            u[:, inter.party] += inter.value * hold
        if self.caps is not None:
            np.minimum(u, self.caps, out=u)
        return u

    def utilities(self, index: np.ndarray, chunk: int = CHUNK) -> np.ndarray:
        """Utilities of mixed-radix outcomes, computed `chunk` outcomes at a time."""
        index = np.asarray(index, dtype=np.int64)
        out = np.empty((index.shape[0], self.n_parties))
        for start in range(0, index.shape[0], chunk):
            part = index[start : start + chunk]
            out[start : start + chunk] = self.utilities_of_rows(self.decode(part))
        return out

    def feasible_rows(self, rows: np.ndarray) -> np.ndarray:
        """True where no party's hard limit is violated."""
        ok = np.ones(rows.shape[0], dtype=bool)
        for i, mask in enumerate(self.allowed):
            ok &= mask[rows[:, i]]
        return ok

    def violations(self, row: np.ndarray) -> list[str]:
        """Ids of the parties whose limits one outcome violates."""
        return [
            pid
            for p, pid in enumerate(self.party_ids)
            if not all(self.party_allowed[i][p, row[i]] for i in range(self.n_issues))
        ]

    # --- outcomes as users see them ------------------------------------------
    def outcome_dict(self, row: Sequence[int]) -> dict[str, Label]:
        return {iid: self.labels[i][int(row[i])] for i, iid in enumerate(self.issue_ids)}

    def row_of(self, outcome: Mapping[str, object], fill: np.ndarray | None = None) -> np.ndarray:
        """Option-index row of an outcome given as {issue: label}; missing issues from `fill`."""
        unknown = [k for k in outcome if k not in self.issue_ids]
        if unknown:
            raise OfferError(f"unknown issue(s) {unknown}; the issues are {list(self.issue_ids)}")
        row = np.empty(self.n_issues, dtype=np.int64)
        for i, iid in enumerate(self.issue_ids):
            if iid in outcome:
                row[i] = self.option_index(i, outcome[iid])
            elif fill is not None:
                row[i] = fill[i]
            else:
                raise OfferError(f"no value for issue {iid!r} and no status quo to fill it from")
        return row

    def option_index(self, issue: int, label: object) -> int:
        """Index of an option by label (`pactlab.model.labels.option_index`); `OfferError`
        names the issue and what it expected."""
        grid = self.grids is not None and self.grids[issue]
        try:
            return option_index(self.labels[issue], label, grid=grid)
        except ValueError as exc:
            raise OfferError(f"issue {self.issue_ids[issue]!r} has no option {label!r}; {exc}"
                             ) from None

    def snapped(self, outcome: Mapping[str, object]) -> dict[str, tuple[object, Label]]:
        """The values of `outcome` that a grid moved: {issue: (value given, grid point used)}."""
        out: dict[str, tuple[object, Label]] = {}
        for i, iid in enumerate(self.issue_ids):
            if iid in outcome:
                k = self.option_index(i, outcome[iid])
                if snapped(self.labels[i], outcome[iid], k):
                    out[iid] = (outcome[iid], self.labels[i][k])
        return out

    # --- sub-domains ------------------------------------------------------------
    def with_limits_lifted(self, issues: Sequence[int]) -> Domain:
        """The same domain with no party's limits on the given issues."""
        allowed = tuple(
            np.ones_like(a) if i in issues else a for i, a in enumerate(self.party_allowed)
        )
        return replace(self, party_allowed=allowed)

    def restrict(self, keep: Mapping[int, np.ndarray]) -> Domain:
        """The domain with only the options `keep[i]` (indices) left on issue i."""
        def take(i: int) -> np.ndarray:
            return np.asarray(keep.get(i, np.arange(self.sizes[i])), dtype=np.int64)

        picks = [take(i) for i in range(self.n_issues)]
        sq = None
        if self.status_quo is not None:
            sq_in = [np.flatnonzero(picks[i] == self.status_quo[i]) for i in range(self.n_issues)]
            if all(len(s) for s in sq_in):
                sq = np.array([s[0] for s in sq_in], dtype=np.int64)
        return Domain(
            issue_ids=self.issue_ids,
            labels=tuple(tuple(self.labels[i][k] for k in picks[i]) for i in range(self.n_issues)),
            party_ids=self.party_ids,
            values=tuple(v[:, picks[i]] for i, v in enumerate(self.values)),
            party_allowed=tuple(a[:, picks[i]] for i, a in enumerate(self.party_allowed)),
            reservations=self.reservations,
            interactions=tuple(
                Interaction(x.party, x.value, {i: m[picks[i]] for i, m in x.masks.items()})
                for x in self.interactions
            ),
            status_quo=sq,
            caps=self.caps,
            grids=self.grids,
        )


def _product_rows(options: Sequence[np.ndarray]) -> np.ndarray:
    """Every combination of the given options, first one most significant: (Π n_i, len)."""
    count = math.prod(len(o) for o in options)
    rows = np.empty((count, len(options)), dtype=np.int64)
    inner = count
    for i, opts in enumerate(options):
        inner //= len(opts)
        rows[:, i] = np.tile(np.repeat(opts, inner), count // (inner * len(opts)))
    return rows


def _strides(sizes: np.ndarray) -> np.ndarray:
    """Mixed-radix place values, first issue most significant (the caller checks int64 fits)."""
    strides = np.ones(len(sizes), dtype=np.int64)
    for i in range(len(sizes) - 2, -1, -1):
        strides[i] = strides[i + 1] * sizes[i + 1]
    return strides


# --- compilation ----------------------------------------------------------------


def scenario_and_domain(scenario: Scenario | str | Path) -> tuple[Scenario, Domain]:
    """A scenario (object, built-in id or path) and its compiled domain."""
    sc = as_scenario(scenario)
    return sc, compile_domain(sc)


def compile_domain(sc: Scenario) -> Domain:
    """Compile a validated scenario to a numeric `Domain`."""
    labels = tuple(tuple(issue.labels()) for issue in sc.issues)
    values = tuple(
        np.array([_weighted_values(p, issue) for p in sc.parties]) for issue in sc.issues
    )
    allowed = tuple(
        np.array([_allowed(p, issue) for p in sc.parties]) for issue in sc.issues
    )
    index = {iid: i for i, iid in enumerate(sc.issue_ids)}
    interactions = tuple(
        Interaction(
            party=p,
            value=inter.value,
            masks={index[iid]: _condition_mask(cond, sc.issues[index[iid]])
                   for iid, cond in inter.when.items()},
        )
        for p, party in enumerate(sc.parties)
        for inter in party.interactions
    )
    caps = np.array([_cap(p) for p in sc.parties], dtype=float)
    sq_idx = [issue.status_quo_index() for issue in sc.issues]
    status_quo = None if any(s is None for s in sq_idx) else np.array(sq_idx, dtype=np.int64)
    return Domain(
        issue_ids=tuple(sc.issue_ids),
        labels=labels,
        party_ids=tuple(sc.party_ids),
        values=values,
        party_allowed=allowed,
        reservations=np.array([p.reservation for p in sc.parties], dtype=float),
        interactions=interactions,
        status_quo=status_quo,
        caps=None if np.isinf(caps).all() else caps,
        grids=tuple(issue.range is not None for issue in sc.issues),
    )


def _cap(party: Party) -> float:
    rules = party.utility
    return np.inf if rules is None or rules.cap is None else float(rules.cap)


def value_of(fn: LinearValue | PiecewiseValue | TableValue | AffineValue,
             labels: Sequence[Label]) -> np.ndarray:
    """A value function evaluated on an issue's options, onto [0, 1]."""
    if isinstance(fn, TableValue):
        keys = table_keys(fn.table, list(labels))
        return np.array([np.nan if k is None else fn.table[k] for k in keys], dtype=float)
    x = np.asarray(labels, dtype=float)
    if isinstance(fn, AffineValue):
        return np.clip(fn.slope * (x - fn.origin) + fn.intercept, 0.0, 1.0)
    if isinstance(fn, LinearValue):
        return np.clip((x - fn.worst) / (fn.best - fn.worst), 0.0, 1.0)
    xs, vs = zip(*fn.points, strict=True)
    return np.asarray(np.interp(x, xs, vs))


def _weighted_values(party: Party, issue: Issue) -> np.ndarray:
    weight = party.weights.get(issue.id, 0.0)
    fn = party.values.get(issue.id)
    if fn is None or weight == 0.0:
        return np.zeros(len(issue.labels()))
    return weight * value_of(fn, issue.labels())


def _allowed(party: Party, issue: Issue) -> np.ndarray:
    labels = issue.labels()
    ok = np.ones(len(labels), dtype=bool)
    for limit in party.limits:
        if limit.issue != issue.id:
            continue
        if limit.allowed is not None:
            ok &= np.array([lab in limit.allowed for lab in labels])
            continue
        x = np.asarray(labels, dtype=float)
        if limit.min is not None:
            ok &= x >= limit.min - LABEL_TOLERANCE * max(1.0, abs(limit.min))
        if limit.max is not None:
            ok &= x <= limit.max + LABEL_TOLERANCE * max(1.0, abs(limit.max))
    return ok


def _condition_mask(cond: list[float] | list[str], issue: Issue) -> np.ndarray:
    labels = issue.labels()
    if issue.is_numeric:
        lo, hi = float(cond[0]), float(cond[1])
        x = np.asarray(labels, dtype=float)
        tol = LABEL_TOLERANCE * max(1.0, abs(lo), abs(hi))
        return (x >= lo - tol) & (x <= hi + tol)
    return np.array([lab in cond for lab in labels])
