"""The result every forecasting model returns: the path of positions and the forecast."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pactlab.forecast.stakeholders import Stakeholders
from pactlab.result import Result, renamed


@dataclass(frozen=True)
class Move(Result):
    """One actor's change of position in one round, with why (offer type, counterpart)."""

    round: int
    actor: str
    dimension: str
    before: float = field(metadata=renamed("from"))
    after: float = field(metadata=renamed("to"))
    kind: str = ""
    counterpart: str = ""


@dataclass(frozen=True, eq=False)
class ForecastResult(Result):
    """Positions per round (round 0 = the input), the forecast, and model-specific detail.

    `path` has shape (rounds + 1, actors, dimensions), in the dimensions' own units.
    `to_dict()` is the `--json` shape of `pactlab forecast`; `records()` / `to_frame()`
    give the path in long form, one row per round, actor and dimension.
    """

    model: str
    stakeholders: Stakeholders
    path: np.ndarray
    forecast: np.ndarray
    moves: tuple[Move, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def rounds(self) -> int:
        return self.path.shape[0] - 1

    @property
    def final(self) -> np.ndarray:
        return self.path[-1]

    def _json_items(self, full: bool) -> Iterator[tuple[str, Any]]:
        sh = self.stakeholders
        yield "model", self.model
        yield "source", sh.id or sh.origin
        yield "dimensions", [d.to_dict() for d in sh.dimensions]
        yield "actors", sh.actors
        yield "rounds", [
            {"round": t, "positions": dict(zip(sh.actors, self.path[t], strict=True))}
            for t in range(self.path.shape[0])
        ]
        yield "forecast", self.forecast
        yield "moves", self.moves
        yield "detail", self.detail

    def records(self) -> list[dict[str, Any]]:
        sh = self.stakeholders
        return [
            {"round": t, "actor": a, "dimension": d.id, "position": float(self.path[t, k, j])}
            for t in range(self.path.shape[0])
            for k, a in enumerate(sh.actors)
            for j, d in enumerate(sh.dimensions)
        ]

    def __repr__(self) -> str:
        sh = self.stakeholders
        fc = ", ".join(f"{d.id}={x:.4g}" for d, x in zip(sh.dimensions, self.forecast,
                                                        strict=True))
        return f"ForecastResult({self.model}: {self.rounds} rounds; forecast {fc})"

