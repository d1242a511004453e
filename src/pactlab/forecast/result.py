"""The result every forecasting model returns: the path of positions and the forecast."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pactlab.forecast.stakeholders import Stakeholders


@dataclass(frozen=True)
class Move:
    """One actor's change of position in one round, with why (offer type, counterpart)."""

    round: int
    actor: str
    dimension: str
    before: float
    after: float
    kind: str = ""
    counterpart: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "actor": self.actor,
            "dimension": self.dimension,
            "from": self.before,
            "to": self.after,
            "kind": self.kind,
            "counterpart": self.counterpart,
        }


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """Positions per round (round 0 = the input), the forecast, and model-specific detail.

    `path` has shape (rounds + 1, actors, dimensions), in the dimensions' own units.
    `to_dict()` is the `--json` shape of `pactlab forecast`.
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

    def to_dict(self) -> dict[str, Any]:
        sh = self.stakeholders
        return {
            "model": self.model,
            "source": sh.id or sh.origin,
            "dimensions": [d.to_dict() for d in sh.dimensions],
            "actors": list(sh.actors),
            "rounds": [
                {
                    "round": t,
                    "positions": {
                        a: [float(x) for x in self.path[t, k]] for k, a in enumerate(sh.actors)
                    },
                }
                for t in range(self.path.shape[0])
            ],
            "forecast": [float(x) for x in self.forecast],
            "moves": [m.to_dict() for m in self.moves],
            "detail": _jsonable(self.detail),
        }

    def _repr_html_(self) -> str:
        """Jupyter: the forecast and the first and last positions as one table."""
        sh = self.stakeholders
        head = "".join(f"<th>{d.id} (0 → {self.rounds})</th>" for d in sh.dimensions)
        rows = "".join(
            f"<tr><td>{a}</td>" + "".join(
                f"<td>{self.path[0, k, d]:.4g} → {self.path[-1, k, d]:.4g}</td>"
                for d in range(sh.n_dimensions)) + "</tr>"
            for k, a in enumerate(sh.actors))
        fc = "".join(f"<td><b>{x:.4g}</b></td>" for x in self.forecast)
        return (f"<p>{self.model} forecast for {sh.id or sh.origin}, {self.rounds} rounds</p>"
                f"<table><tr><th>actor</th>{head}</tr>{rows}"
                f"<tr><td><b>forecast</b></td>{fc}</tr></table>")

    def __repr__(self) -> str:
        sh = self.stakeholders
        fc = ", ".join(f"{d.id}={x:.4g}" for d, x in zip(sh.dimensions, self.forecast,
                                                        strict=True))
        return f"ForecastResult({self.model}: {self.rounds} rounds; forecast {fc})"


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj
