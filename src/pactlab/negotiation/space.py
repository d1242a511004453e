"""The offer space all sessions share: feasible outcomes, sorted by each party's utility.

Strategies never scan the outcome space while negotiating. Once per domain we
keep the feasible outcomes (as positions 0..n-1), each party's utility of
them, and for each party the positions sorted by its own utility, so that "the
outcome nearest above my target" is one `np.searchsorted`. The Pareto frontier
and the bargaining solutions come from the same arrays, for the metrics, when
first asked for.

A strategy gets only its own slice (`private`): standalone read-only arrays and
the outcomes as option rows (`Outcomes`), none of which leads back to the
space, the domain or another party's utilities.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from pactlab.errors import ProtocolError
from pactlab.kernel.bargaining import pareto_mask, solve
from pactlab.model.domain import CHUNK, Domain
from pactlab.model.labels import Label

MAX_FEASIBLE = 5_000_000  # ~100 bytes per outcome and party: keeps a space under ~1.5 GiB


@dataclass(frozen=True, eq=False)
class Outcomes:
    """The feasible outcomes without anyone's utilities: issues, option labels and rows."""

    issue_ids: tuple[str, ...]
    labels: tuple[tuple[Label, ...], ...]
    sizes: np.ndarray  # (issues,) options per issue
    rows: np.ndarray  # (n, issues) option index of each position, read-only

    def outcome(self, pos: int) -> dict[str, Label]:
        """The outcome at a position as {issue: option label}."""
        row = self.rows[pos]
        return {iid: self.labels[i][int(row[i])] for i, iid in enumerate(self.issue_ids)}


@dataclass(frozen=True, eq=False)
class Private:
    """One party's own utilities, positions sorted by them (ascending) and the sorted values."""

    utilities: np.ndarray
    order: np.ndarray
    sorted_utilities: np.ndarray


@dataclass(frozen=True, eq=False)
class OfferSpace:
    """Feasible outcomes of a domain as positions, with per-party sorted utilities."""

    domain: Domain
    rows: np.ndarray  # (n, issues) option indices in the domain's mixed-radix order (int8/int32)
    utils: np.ndarray  # (parties, n) utility of each position for each party
    order: tuple[np.ndarray, ...]  # per party: positions sorted by its utility, ascending
    sorted_utils: tuple[np.ndarray, ...]  # per party: utils[p][order[p]]

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def frontier(self) -> np.ndarray:
        """Positions of the Pareto-optimal feasible outcomes, found on first use.

        Only the metrics (distance to the frontier, the Nash point) and complete-information
        strategies need it; with three parties it costs more than the rest of the space
        (a sweep's sessions, which keep no metrics, never build it).
        """
        cache: list[np.ndarray] = self.__dict__.setdefault("_frontier", [])
        if not cache:
            cache.append(np.flatnonzero(pareto_mask(self.utils.T)))
        return cache[0]

    @property
    def n_parties(self) -> int:
        return self.domain.n_parties

    @cached_property
    def frontier_utils(self) -> np.ndarray:
        """(frontier size, parties) utilities of the frontier."""
        return self.utils[:, self.frontier].T.copy()

    def nash(self, reservations: np.ndarray) -> int | None:
        """Position of the Nash solution for these reservations (None if no IR outcome)."""
        cache = self.__dict__.setdefault("_nash", {})  # every session asks; solve once
        key = tuple(np.asarray(reservations, dtype=float).tolist())
        if key not in cache:
            pick = solve(self.frontier_utils, np.asarray(key))["nash"]
            cache[key] = None if pick is None else int(self.frontier[pick])
        nash: int | None = cache[key]
        return nash

    @cached_property
    def outcomes(self) -> Outcomes:
        """The outcomes as every strategy may see them, shared by all views."""
        return Outcomes(self.domain.issue_ids, self.domain.labels,
                        _read_only(self.domain.sizes.copy()), _read_only(self.rows.view()))

    def private(self, party: int) -> Private:
        """A party's own arrays, none a view into the others' (its utilities copied once)."""
        cache = self.__dict__.setdefault("_private", {})
        if party not in cache:
            own = _read_only(self.utils[party].copy())
            cache[party] = Private(own, self.order[party], self.sorted_utils[party])
        private: Private = cache[party]
        return private

    def outcome(self, pos: int) -> dict[str, Label]:
        return self.domain.outcome_dict(self.rows[pos])

    def utilities_of(self, pos: int) -> np.ndarray:
        return self.utils[:, pos].copy()


_SHARED: weakref.WeakKeyDictionary[Domain, dict[str, object]] = weakref.WeakKeyDictionary()


def space_of(domain: Domain) -> OfferSpace:
    """The domain's offer space, built on first use and freed with the domain.

    The cache is keyed weakly on the domain and holds the space's arrays and
    caches without the domain itself (a space refers to its domain, which would
    keep the key alive for ever); each call wraps them with the domain again.
    """
    shared = _SHARED.get(domain)
    if shared is None:
        space = build_space(domain)
        space.__dict__.setdefault("_nash", {})
        space.__dict__.setdefault("_private", {})
        space.__dict__.setdefault("_frontier", [])
        _SHARED[domain] = {k: v for k, v in vars(space).items() if k != "domain"}
        return space
    space = object.__new__(OfferSpace)
    space.__dict__.update(shared, domain=domain)
    return space


def build_space(domain: Domain) -> OfferSpace:
    """Enumerate the feasible outcomes once and sort them per party.

    Hard limits are per-issue masks, so the feasible outcomes are the product of the
    options each issue allows: they are counted exactly (and refused past
    `MAX_FEASIBLE`) before any work, and enumerated directly, in the domain's
    mixed-radix order, without visiting the infeasible ones.
    """
    dtype = _row_dtype(domain)
    allowed: list[np.ndarray] = [np.flatnonzero(mask).astype(dtype) for mask in domain.allowed]
    counts = [len(a) for a in allowed]
    count = math.prod(counts)
    if count == 0:
        raise ProtocolError("no feasible outcome: the parties' hard limits exclude every outcome, "
                            "so there is nothing to negotiate over")
    if count > MAX_FEASIBLE:
        raise ProtocolError(
            f"the scenario has {count:,} feasible outcomes (the options each issue allows, "
            f"multiplied); simulations precompute every feasible outcome and take at most "
            f"{MAX_FEASIBLE:,}, so coarsen the issues (fewer options or steps) or tighten limits"
        )
    rows: np.ndarray = np.empty((count, len(allowed)), dtype=dtype)
    inner = count
    for i, options in enumerate(allowed):  # first issue most significant, as in the domain
        inner //= counts[i]
        rows[:, i] = np.tile(np.repeat(options, inner), count // (inner * counts[i]))
    utils = np.empty((domain.n_parties, count))
    for start in range(0, count, CHUNK):
        chunk = rows[start : start + CHUNK].astype(np.int64)
        utils[:, start : start + CHUNK] = domain.utilities_of_rows(chunk).T
    order = tuple(_read_only(np.argsort(u, kind="stable")) for u in utils)
    sorted_utils = tuple(_read_only(u[o]) for u, o in zip(utils, order, strict=True))
    return OfferSpace(
        domain=domain,
        rows=rows,
        utils=utils,
        order=order,
        sorted_utils=sorted_utils,
    )


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _row_dtype(domain: Domain) -> type[np.signedinteger]:
    return np.int8 if int(domain.sizes.max()) <= 127 else np.int32
