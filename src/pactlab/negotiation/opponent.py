"""Opponent models: what a strategy believes the others want, to pick among equally good offers.

`FrequencyModel` is the classic frequency heuristic (as in HardHeaded, van
Krimpen et al. 2013): options an opponent offers often are valued by it, and
issues on which it rarely changes its offer weigh more. `TrueModel` is the
complete-information stand-in that reads the real utilities.
"""

from __future__ import annotations

import numpy as np

from pactlab.negotiation.space import Outcomes


class FrequencyModel:
    """Per opponent, counts of each option offered and of unchanged issues between offers.

    An opponent's predicted utility of an outcome is Σ_i w_i·count(option_i)/max count
    on issue i, with w_i proportional to 1 + the times it kept issue i unchanged.
    The per-option table is rebuilt lazily, so a step costs a few small array ops.
    """

    def __init__(self, outcomes: Outcomes, n_parties: int, me: int) -> None:
        sizes = outcomes.sizes
        self.rows = outcomes.rows
        self.start = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        self.issue_of = np.repeat(np.arange(len(sizes)), sizes)
        self.opponents = [p for p in range(n_parties) if p != me]
        slots = int(sizes.sum())
        self.counts = {p: np.zeros(slots) for p in self.opponents}
        self.unchanged = {p: np.ones(len(sizes)) for p in self.opponents}  # Laplace prior
        self.last: dict[int, np.ndarray] = {}
        self.table: dict[int, np.ndarray] = {p: np.zeros(slots) for p in self.opponents}
        self.stale: set[int] = set()
        self.informed = False

    def update(self, proposer: int, offer: int) -> None:
        row = self.rows[offer]
        self.counts[proposer][self.start + row] += 1.0
        last = self.last.get(proposer)
        if last is not None:
            self.unchanged[proposer] += row == last
        self.last[proposer] = row
        self.stale.add(proposer)
        self.informed = True

    def _refresh(self, p: int) -> None:
        counts = self.counts[p]
        top = np.maximum.reduceat(counts, self.start)
        weights = self.unchanged[p] / (self.unchanged[p].sum() * np.maximum(top, 1.0))
        self.table[p] = counts * weights[self.issue_of]

    def scores(self, candidates: np.ndarray) -> np.ndarray:
        """Predicted utility of each candidate for the least satisfied opponent."""
        for p in self.stale:
            self._refresh(p)
        self.stale.clear()
        slots = self.start + self.rows[candidates]  # (k, issues)
        best = self.table[self.opponents[0]][slots].sum(axis=1)
        for p in self.opponents[1:]:
            best = np.minimum(best, self.table[p][slots].sum(axis=1))
        return np.asarray(best)


class TrueModel:
    """Complete information: the opponents' real utilities, least satisfied opponent first."""

    def __init__(self, utils: np.ndarray, me: int) -> None:
        self.utils = np.delete(utils, me, axis=0)
        self.informed = True

    def update(self, proposer: int, offer: int) -> None:
        """Nothing to learn."""

    def scores(self, candidates: np.ndarray) -> np.ndarray:
        return np.asarray(self.utils[:, candidates].min(axis=0))
