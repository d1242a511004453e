"""Opponent models: what a strategy believes the others want, to pick among equally good offers.

`FrequencyModel` is the classic frequency heuristic (as in HardHeaded, van
Krimpen et al. 2013): options an opponent offers often are valued by it, and
issues on which it rarely changes its offer weigh more. `TrueModel` is the
complete-information stand-in that reads the real utilities.
"""

from __future__ import annotations

import numpy as np

from pactlab.negotiation.space import OfferSpace


class FrequencyModel:
    """Per opponent, counts of each option offered and of unchanged issues between offers."""

    def __init__(self, space: OfferSpace, me: int) -> None:
        sizes = space.domain.sizes
        self.rows = space.rows
        self.start = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        n_opp = space.n_parties
        self.counts = np.zeros((n_opp, int(sizes.sum())))
        self.unchanged = np.ones((n_opp, len(sizes)))  # Laplace prior: equal issue weights
        self.last: list[np.ndarray | None] = [None] * n_opp
        self.opponents = [p for p in range(n_opp) if p != me]
        self.seen = 0

    def update(self, proposer: int, offer: int) -> None:
        row = self.rows[offer]
        self.counts[proposer, self.start + row] += 1.0
        last = self.last[proposer]
        if last is not None:
            self.unchanged[proposer] += row == last
        self.last[proposer] = row
        self.seen += 1

    def scores(self, candidates: np.ndarray) -> np.ndarray:
        """Predicted utility of each candidate for the least satisfied opponent."""
        slots = self.start + self.rows[candidates]  # (k, issues)
        best = None
        for p in self.opponents:
            counts = self.counts[p]
            top = np.maximum.reduceat(counts, self.start)
            top[top == 0] = 1.0
            weights = self.unchanged[p] / self.unchanged[p].sum()
            pred = (counts[slots] / top) @ weights
            best = pred if best is None else np.minimum(best, pred)
        return best

    @property
    def informed(self) -> bool:
        return self.seen > 0


class TrueModel:
    """Complete information: the opponents' real utilities, least satisfied opponent first."""

    def __init__(self, utils: np.ndarray, me: int) -> None:
        self.utils = np.delete(utils, me, axis=0)
        self.informed = True

    def update(self, proposer: int, offer: int) -> None:
        """Nothing to learn."""

    def scores(self, candidates: np.ndarray) -> np.ndarray:
        return self.utils[:, candidates].min(axis=0)
