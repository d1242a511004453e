"""The result every forecasting model returns: the path of positions and the forecast."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from pactlab.forecast.stakeholders import Stakeholders
from pactlab.result import HIDDEN, Result, renamed

OFFER_KINDS = ("", "confrontation", "compromise", "capitulation")  # BDM offer codes 0..3


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


@dataclass(frozen=True)
class Detail(Result):
    """What a model reports beyond the path and the forecast; `shown` names the fields the
    CLI prints under its tables. The baselines mean and median report nothing more."""

    shown: ClassVar[tuple[str, ...]] = ()

    def summary(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.shown}


@dataclass(frozen=True)
class CondorcetDetail(Detail):
    """Whether a Condorcet winner exists, whose position it is, and the fallback if not."""

    condorcet: bool
    winner: str
    fallback: str = ""
    shown: ClassVar[tuple[str, ...]] = ("condorcet", "winner", "fallback")


@dataclass(frozen=True, eq=False)
class BDMDetail(Detail):
    """Per round (round 0 = the input): weighted means and medians, shape (rounds + 1,
    dimensions); per round run: risk exponents and offer taken, shape (rounds, dimensions,
    actors) (offers as names in the JSON shape: confrontation, compromise, capitulation or
    "" for none)."""

    mode: str
    q: float
    delta: np.ndarray
    weighted_mean: np.ndarray
    weighted_median: np.ndarray
    risk_exponents: np.ndarray
    offer_codes: np.ndarray = field(metadata=HIDDEN)
    derived: ClassVar[dict[str, str]] = {"offers": "risk_exponents"}
    shown: ClassVar[tuple[str, ...]] = ("mode",)

    def offers(self) -> list[Any]:
        """The offer each actor took, by round and dimension, as names."""
        return np.array(OFFER_KINDS, dtype=object)[self.offer_codes].tolist()


@dataclass(frozen=True)
class Cycle(Result):
    """An SMP run that came back to state `start` after `length` steps."""

    start: int
    length: int


@dataclass(frozen=True, eq=False)
class SMPDetail(Detail):
    """Per step: risk attitudes (steps, actors) and best challenges; per state (steps + 1):
    win probabilities of each actor's position and weighted means. `salience_scale` is the
    factor applied to each actor's saliences (KTAB's total of at most 1), `most_likely` the
    single most probable final position, `cycle` set when the run stopped on a cycle."""

    iterations: int
    converged: bool
    cycle: Cycle | None
    final_change_ratio: float
    salience_scale: np.ndarray
    risk_attitudes: np.ndarray
    win_probability: np.ndarray
    best_challenge: tuple[tuple[dict[str, Any] | None, ...], ...]
    weighted_mean: np.ndarray
    most_likely: np.ndarray
    shown: ClassVar[tuple[str, ...]] = ("iterations", "converged")


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
    detail: Detail = field(default_factory=Detail)

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

