"""The immutable results of extraction; `to_dict()` is the stable `extract --json` shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pactlab.result import HIDDEN, Result

Kind = Literal["money", "percent", "ratio", "count", "date"]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Quantity(Result):
    """A number found in a text: `text == document[start:end]`, `value` normalised.

    `value` is a number in `unit` (money: in `currency`, scale words applied), or for
    dates an ISO 8601 string: ``2019-12-18``, ``2019-12``, ``2032`` or, when the text
    gives no year, ``--09-23``.
    """

    text: str
    start: int
    end: int
    kind: Kind
    value: float | int | str
    value_high: float | int | str | None
    unit: str
    currency: str | None = None
    usd: float | None = None
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class ActorMention(Result):
    """A mention of a registered actor; `id` is canonical whatever spelling the text used."""

    text: str
    start: int
    end: int
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Check(Result):
    """A flagged inconsistency between quantities; `spans` point at the figures involved."""

    kind: str
    message: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class FxYear(Result):
    """The year whose FX rates (and GDP) a document's figures are read at, and why."""

    year: int
    basis: str


@dataclass(frozen=True, slots=True)
class Evidence(Result):
    """Everything extracted from one document; `records()` / `to_frame()` list the quantities."""

    tabular = "quantities"

    document: str
    quantities: tuple[Quantity, ...]
    actors: tuple[ActorMention, ...]
    checks: tuple[Check, ...]
    fx: FxYear
    text: str = field(default="", repr=False, compare=False, metadata=HIDDEN)

    def __repr__(self) -> str:
        return (f"Evidence({self.document!r}: {len(self.quantities)} quantities, "
                f"{len(self.actors)} actor mentions, {len(self.checks)} flagged checks, "
                f"FX year {self.fx.year})")
