"""The random strategy's draws for many sessions, replayed exactly from each one's PCG64.

numpy's `Generator.integers(lo, hi)` (for hi − lo ≤ 2^32) takes 32-bit halves of
the generator's 64-bit words, the low half first and the high half kept for the
next call, and maps them to the range by Lemire's method (with rejection);
`random()` takes a whole word's top 53 bits. Fetching each session's raw words
(`bit_generator.random_raw`) and consuming them under the same rules, as
arrays over the sessions, gives exactly the numbers each session's own
generator would give, without a Python call per draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

RAW_BLOCK = 64  # 64-bit random words fetched per session at a time
M32 = np.uint64(0xFFFFFFFF)


class SessionDraws:
    """One party's draws in every session: the generator each session's strategy would
    get (`SeedSequence(seed).spawn(parties)[party]`), replayed from its raw words."""

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
