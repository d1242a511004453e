"""Exact ZOPA counts of a two-party additive domain without enumerating it: meet in the middle.

What is counted: the individually rational outcomes (feasible, and every party
accepts: `u ≥ r` within `IR_TOLERANCE`, the test enumeration uses) and each
party's lowest utility among them. The feasible count needs no work at all:
limits are per-issue masks, so it is the product of the allowed options.

How. Split the issues in two groups A and B of about √F partial outcomes each
(F feasible outcomes). With additive utilities an outcome is a pair (a, b) and
u = a + b, so (a, b) is rational iff b0 ≥ t0 = r0' − a0 and b1 ≥ t1 = r1' − a1:
a two-dimensional dominance query per a. B is sorted once by each party's
utility and put in a wavelet matrix (`pactlab.analysis.wavelet`) holding, in
order of decreasing b1, each b's rank by b0. Then for a whole chunk of a's at
once, in O(log |B|) vector steps:

- the rational partners of a are the first e = #{b1 ≥ t1} entries whose rank is
  at least lo = #{b0 < t0}: their number is e − (how many of the first e ranks
  are < lo), a rank query;
- a's best (lowest-b0) partner is the smallest such rank, a quantile query.

The same with the parties' roles swapped gives party 1's lowest utility. Time is
O(√F log F) and memory O(√F log F) bytes: 10^12 outcomes take two halves of 10^6.

Floating point. a + b is not the sum enumeration computes (issue by issue from
0), so the two can differ in the last bits. The tolerance of the rationality
test keeps the counts identical (an outcome would have to lie within rounding of
r − tolerance to be classified differently); the lowest utility is re-computed
issue by issue, as enumeration does, for every rational outcome within 1e-12 of
the least one found (at most `MAX_CANDIDATES` of them), so it is the very number
enumeration reports.

Three or more parties make this a k-dimensional dominance count, for which there
is no comparably cheap method; such domains are counted by enumeration when
they are small enough (`pactlab.analysis.methods`) and are otherwise not counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pactlab.analysis.wavelet import WaveletMatrix
from pactlab.kernel.bargaining import acceptance_threshold, individually_rational
from pactlab.model.domain import Domain

QUERY_CHUNK = 1 << 19  # a's handled at once: bounds the queries' working memory
MAX_CANDIDATES = 1 << 17  # near-lowest outcomes re-summed issue by issue
MAX_QUERIES = 10**8  # beyond this many a's (~2 minutes) the counts are not attempted
NEAR = 1e-12


@dataclass(frozen=True, eq=False)
class ZopaCounts:
    """How many feasible outcomes every party accepts, and each party's lowest utility then."""

    individually_rational: int
    lowest: np.ndarray  # (parties,), nan when no outcome is rational


def counts_problem(domain: Domain, memory: int) -> str | None:
    """Why `zopa_counts` cannot count `domain` within `memory` bytes, or None when it can."""
    if not domain.is_additive:
        return "interactions couple issues"
    if domain.n_parties != 2:
        return (f"{domain.n_parties} parties (counting without enumeration is implemented "
                "for two)")
    a, b = _split([int(m.sum()) for m in domain.allowed])
    n_a, n_b = _product(a), _product(b)
    if n_a > MAX_QUERIES:
        return (f"the halves hold {n_a:,} and {n_b:,} partial outcomes, over the limit of "
                f"{MAX_QUERIES:,}")
    need = memory_needed(n_a, n_b)
    if need > memory:
        return (f"counting needs about {need / 2**20:,.0f} MiB, over the memory budget of "
                f"{memory / 2**20:,.0f} MiB")
    return None


def memory_needed(n_a: int, n_b: int) -> int:
    """Bytes for A's sums, B's sums, orders, ranks and two wavelet matrices, and the queries."""
    bits = max(1, n_b.bit_length())
    return n_a * 16 + n_b * (8 * 14 + 2 * 4 * bits) + QUERY_CHUNK * 400


def zopa_counts(domain: Domain, progress: Callable[[int, int], None] | None = None
                ) -> ZopaCounts:
    """Count the rational outcomes of a two-party additive domain (see the module doc).

    Call `counts_problem` first: this function assumes it returned None.
    `progress(done, total)` is called after each chunk of partial outcomes.
    """
    k = domain.n_parties
    none = ZopaCounts(0, np.full(k, np.nan))
    options = [np.flatnonzero(m) for m in domain.allowed]
    if any(len(o) == 0 for o in options):
        return none
    thr = acceptance_threshold(domain.reservations)
    if domain.caps is not None and (domain.caps < thr).any():
        return none  # u = min(cap, Σ) never reaches the threshold
    group_a, group_b = _split([len(o) for o in options])
    half_b = _Half(domain, group_b, options)
    side = _Side(half_b.sums)
    half_a = _Half(domain, group_a, options)
    sums_a = half_a.sums
    total = 0
    best: list[list[np.ndarray]] = [[], []]  # per party: ids of a's near its lowest utility
    low = np.full(2, np.inf)
    for start in range(0, half_a.size, QUERY_CHUNK):
        ids = np.arange(start, min(start + QUERY_CHUNK, half_a.size), dtype=np.int64)
        a = sums_a[ids]
        count, partner = side.query(thr - a)
        total += int(count.sum())
        has = count > 0
        for p in range(2):
            if not has.any():
                continue
            value = a[has, p] + side.sums[partner[p][has], p]
            m = float(value.min())
            if not np.isfinite(low[p]) or m < low[p] - _near(low[p]):
                best[p] = []
            low[p] = min(low[p], m)
            near = value <= low[p] + _near(low[p])
            best[p].append(ids[has][near])
        if progress is not None:
            progress(min(start + QUERY_CHUNK, half_a.size), half_a.size)
    if total == 0:
        return none
    lowest = np.array([
        _resum_lowest(domain, (half_a, sums_a), half_b, side, thr, p, best[p], low[p])
        for p in range(2)
    ])
    return ZopaCounts(total, lowest)


def _resum_lowest(domain: Domain, a_side: tuple[_Half, np.ndarray], half_b: _Half, side: _Side,
                  thr: np.ndarray, p: int, best: list[np.ndarray], low: float
                  ) -> float:
    """Party p's lowest rational utility, summed issue by issue as enumeration sums it.

    The candidates are every rational pair whose split sum is within `NEAR` of the
    least one: for each a found near the least, all its partners b near the least.
    """
    half_a, sums_a = a_side
    a_ids = np.concatenate(best)
    a = sums_a[a_ids]
    cutoff = low + _near(low)
    pairs_a, pairs_b = side.partners_below(a_ids, thr - a, p, cutoff - a[:, p], MAX_CANDIDATES)
    rows = np.empty((len(pairs_a), domain.n_issues), dtype=np.int64)
    half_a.fill_rows(rows, pairs_a)
    half_b.fill_rows(rows, pairs_b)
    u = domain.utilities_of_rows(rows)
    ok = individually_rational(u, domain.reservations)
    if not ok.any():  # only at the rounding edge of the threshold: keep the split sum
        return float(low)
    return float(u[ok, p].min())


def _near(x: float) -> float:
    return NEAR * max(1.0, abs(x))


def _product(sizes: list[int]) -> int:
    return math.prod(sizes) if sizes else 1


def _split(sizes: list[int]) -> tuple[list[int], list[int]]:
    """Issue indices in two groups of nearly equal products (A the larger), each in order."""
    a: list[int] = []
    b: list[int] = []
    pa = pb = 1
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        if pb <= pa:
            b.append(i)
            pb *= sizes[i]
        else:
            a.append(i)
            pa *= sizes[i]
    if pb > pa:
        a, b = b, a
    return sorted(a), sorted(b)


class _Half:
    """The partial outcomes over a group of issues, by mixed-radix id over allowed options."""

    def __init__(self, domain: Domain, issues: list[int], options: list[np.ndarray]) -> None:
        self.issues = issues
        self.options = [options[i] for i in issues]
        self.values = [domain.values[i][:, options[i]].T for i in issues]  # (n_i, parties)
        self.radix = np.array([len(o) for o in self.options], dtype=np.int64)
        self.size = _product([len(o) for o in self.options])
        self.parties = domain.n_parties

    @property
    def sums(self) -> np.ndarray:
        """Every partial outcome's utilities, shape (size, parties)."""
        out = np.zeros((1, self.parties))
        for v in self.values:
            out = (out[:, None, :] + v[None, :, :]).reshape(-1, self.parties)
        return out

    def digits(self, ids: np.ndarray) -> np.ndarray:
        """Option positions (within the allowed options) of each id, shape (n, group issues)."""
        out = np.empty((len(ids), len(self.issues)), dtype=np.int64)
        rest = ids.copy()
        for j in range(len(self.issues) - 1, -1, -1):
            out[:, j] = rest % self.radix[j]
            rest //= self.radix[j]
        return out

    def fill_rows(self, rows: np.ndarray, ids: np.ndarray) -> None:
        """Write the group's option indices of partial outcomes `ids` into outcome `rows`."""
        d = self.digits(ids)
        for j, i in enumerate(self.issues):
            rows[:, i] = self.options[j][d[:, j]]


class _Side:
    """The B half, sorted by each party's utility, with one wavelet matrix per party."""

    def __init__(self, sums: np.ndarray) -> None:
        self.sums = sums
        n = self.n = len(sums)
        self.order = [np.argsort(sums[:, p]) for p in range(2)]
        self.sorted = [sums[o, p] for p, o in enumerate(self.order)]
        rank = []
        for o in self.order:
            r = np.empty(n, dtype=np.int64)
            r[o] = np.arange(n)
            rank.append(r)
        # for party p: B in decreasing utility of the other party q, holding ranks by p
        self.seq_rank = [rank[p][self.order[1 - p][::-1]] for p in range(2)]
        self.tree = [WaveletMatrix(s) for s in self.seq_rank]
        self.prefix_min = [np.minimum.accumulate(s) for s in self.seq_rank]

    def query(self, t: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """For thresholds t (n, 2): how many b have b ≥ t, and each party's lowest such b.

        The partner arrays hold B ids (valid where the count is positive).
        """
        n = self.n
        below = [np.searchsorted(self.sorted[p], t[:, p], side="left") for p in range(2)]
        partner = []
        count = np.zeros(0, dtype=np.int64)
        for p in range(2):
            q = 1 - p
            lo, e = below[p], n - below[q]  # ranks ≥ lo wanted, among the first e
            if p == 0:
                count = e - self._count_less(p, e, lo)  # the same for both parties
            less = e - count
            rank = self._smallest_from(p, e, lo, less, count > 0)
            partner.append(self.order[p][np.minimum(rank, n - 1)])
        return count, partner

    def _count_less(self, p: int, e: np.ndarray, lo: np.ndarray) -> np.ndarray:
        """How many of the first e ranks (party p's wavelet) are below lo; trivial cases direct."""
        out = np.where(e >= self.n, lo, 0)
        out = np.where(lo >= self.n, e, out)
        hard = (lo > 0) & (lo < self.n) & (e > 0) & (e < self.n)
        if hard.any():
            out[hard] = self.tree[p].count_less(e[hard], lo[hard])
        return out

    def _smallest_from(self, p: int, e: np.ndarray, lo: np.ndarray, less: np.ndarray,
                       want: np.ndarray) -> np.ndarray:
        """The smallest rank ≥ lo among the first e (where `want`): the less-th smallest."""
        out = np.zeros(len(e), dtype=np.int64)
        full = want & (e >= self.n)
        out[full] = lo[full]
        free = want & ~full & (lo <= 0)
        out[free] = self.prefix_min[p][e[free] - 1]
        hard = want & ~full & ~free
        if hard.any():
            out[hard] = self.tree[p].kth_smallest(e[hard], less[hard])
        return out

    def partners_below(self, a_ids: np.ndarray, t: np.ndarray, p: int, cap: np.ndarray,
                       limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (a id, B id) with b ≥ t and b_p ≤ cap, up to `limit` of them (smallest first)."""
        n = self.n
        lo = np.searchsorted(self.sorted[p], t[:, p], side="left")
        hi = np.searchsorted(self.sorted[p], cap, side="right")
        e = n - np.searchsorted(self.sorted[1 - p], t[:, 1 - p], side="left")
        first = self._count_less(p, e, lo)
        upto = self._count_less(p, e, np.maximum(hi, lo))
        many = np.maximum(upto - first, 0)
        if many.sum() > limit:  # pathological ties: keep each a's best partner only
            many = np.minimum(many, 1)
        which = np.repeat(np.arange(len(a_ids)), many)
        offset = np.arange(len(which)) - np.repeat(np.cumsum(many) - many, many)
        ranks = self.tree[p].kth_smallest(e[which], first[which] + offset)
        return a_ids[which], self.order[p][ranks]
