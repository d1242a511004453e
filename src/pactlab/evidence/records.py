"""The immutable results of extraction; `to_dict()` is the stable `extract --json` shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["money", "percent", "ratio", "count", "date"]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Quantity:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "value": self.value,
            "value_high": self.value_high,
            "unit": self.unit,
            "currency": self.currency,
            "usd": self.usd,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A mention of a registered actor; `id` is canonical whatever spelling the text used."""

    text: str
    start: int
    end: int
    id: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "id": self.id,
                "name": self.name}


@dataclass(frozen=True, slots=True)
class Check:
    """A flagged inconsistency between quantities; `spans` point at the figures involved."""

    kind: str
    message: str
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message,
                "spans": [list(span) for span in self.spans]}


@dataclass(frozen=True, slots=True)
class FxYear:
    """The year whose FX rates (and GDP) a document's figures are read at, and why."""

    year: int
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "basis": self.basis}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything extracted from one document."""

    document: str
    quantities: tuple[Quantity, ...]
    actors: tuple[ActorMention, ...]
    checks: tuple[Check, ...]
    fx: FxYear
    text: str = field(default="", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The `pactlab extract --json` object for this document."""
        return {
            "document": self.document,
            "quantities": [q.to_dict() for q in self.quantities],
            "actors": [a.to_dict() for a in self.actors],
            "checks": [c.to_dict() for c in self.checks],
            "fx": self.fx.to_dict(),
        }

    def __repr__(self) -> str:
        return (f"Evidence({self.document!r}: {len(self.quantities)} quantities, "
                f"{len(self.actors)} actor mentions, {len(self.checks)} flagged checks, "
                f"FX year {self.fx.year})")
