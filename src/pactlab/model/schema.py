"""The scenario file format (TOML) as pydantic models.

The models check one file's shape and its internal references (ids, options,
weights); `pactlab.model.loading` turns their errors into messages that name
the file and the key path. Numbers are on the scale the user wrote them in; the
compilation to numbers on [0, 1] happens in `pactlab.model.domain`.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pactlab.model.basis import Basis, Strict
from pactlab.model.labels import Label, grid_labels, option_index
from pactlab.model.outcome import Outcome, parse_date
from pactlab.model.priors import Uncertain

WEIGHT_TOLERANCE = 1e-9
MAX_OPTIONS = 100_000  # options (or grid steps) per issue
INTERACTION_LIMIT = 1.0  # an interaction's bonus or penalty, on the [0, 1] utility scale



class Source(Strict):
    """A document the scenario's numbers are taken from.

    The document itself is not shipped (its licence is rarely ours to give):
    a source carries what finds it again (`title`, `publisher`, `date`, `url`)
    and the SHA-256 of the copy its quotes were checked against, so that
    `validate --sources --docs DIR` can verify a local copy is that document.
    `document` is the file name looked up in DIR.
    """

    id: str
    title: str = ""
    publisher: str = ""
    date: str | None = None
    document: str | None = None
    url: str | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            parse_date(value)
        return value

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if self.document is None and self.url is None:
            raise ValueError("a source needs a 'document' (file name) or a 'url'")
        return self


class Issue(Strict):
    """One negotiated issue: numeric values, categorical options, or a discretised range."""

    id: str
    name: str = ""
    unit: str = ""
    description: str = ""
    values: list[float] | None = Field(default=None, max_length=MAX_OPTIONS)
    options: list[str] | None = Field(default=None, max_length=MAX_OPTIONS)
    range: list[float] | None = None
    steps: int | None = Field(default=None, le=MAX_OPTIONS)
    status_quo: float | str | None = None
    basis: Basis | None = None

    @model_validator(mode="after")
    def _one_domain(self) -> Issue:
        given = [k for k in ("values", "options", "range") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "an issue needs exactly one of 'values', 'options' or 'range'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.range is not None:
            if len(self.range) != 2:
                raise ValueError(f"'range' must be [low, high], got {self.range}")
            lo, hi = self.range
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
                raise ValueError(f"'range' must be [low, high] with low < high, got {[lo, hi]}")
            if self.steps is None or self.steps < 2:
                raise ValueError("a 'range' issue needs 'steps' >= 2 (number of grid points)")
        elif self.steps is not None:
            raise ValueError("'steps' only goes with 'range'")
        labels = self.labels()
        if len(labels) < 1:
            raise ValueError("an issue needs at least one option")
        if len(set(labels)) != len(labels):
            raise ValueError("options of an issue must be distinct")
        if self.values is not None and not all(math.isfinite(v) for v in self.values):
            raise ValueError("'values' must be finite numbers")
        return self

    @field_validator("status_quo")
    @classmethod
    def _status_quo_is_an_option(cls, value: float | str | None, info: ValidationInfo
                                 ) -> float | str | None:
        d = info.data
        labels = grid_labels(d.get("values"), d.get("options"), d.get("range"), d.get("steps"))
        if value is not None and labels:
            if isinstance(value, str) and d.get("options") is None:
                raise ValueError(f"expected a number, got {value!r}")  # no "1.5" in TOML
            try:
                option_index(labels, value, grid=d.get("range") is not None)
            except ValueError as exc:
                raise ValueError(f"{exc}, got {value!r}") from None
        return value

    @property
    def is_numeric(self) -> bool:
        return self.options is None

    def labels(self) -> list[Label]:
        """The issue's options in order: numbers for numeric issues, names otherwise."""
        return grid_labels(self.values, self.options, self.range, self.steps)

    def index_of(self, label: Label) -> int:
        """Position of an option (`pactlab.model.labels.option_index`)."""
        return option_index(self.labels(), label, grid=self.range is not None)

    def status_quo_index(self) -> int | None:
        return None if self.status_quo is None else self.index_of(self.status_quo)


class LinearValue(Strict):
    """Linear value: `worst` maps to 0, `best` to 1, clipped outside."""

    kind: Literal["linear"]
    worst: float
    best: float
    basis: Basis | None = None

    @model_validator(mode="after")
    def _distinct(self) -> LinearValue:
        if self.worst == self.best:
            raise ValueError("'worst' and 'best' must differ")
        return self


class PiecewiseValue(Strict):
    """Piecewise-linear value through `points` [[x, v], ...], flat beyond the ends."""

    kind: Literal["piecewise"]
    points: list[list[float]]
    basis: Basis | None = None

    @model_validator(mode="after")
    def _sorted(self) -> PiecewiseValue:
        if any(len(p) != 2 for p in self.points):
            raise ValueError("each of 'points' must be a pair [x, value]")
        xs = [p[0] for p in self.points]
        if len(xs) < 2:
            raise ValueError("'points' needs at least two [x, value] pairs")
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("'points' must have strictly increasing x")
        if any(not 0.0 <= p[1] <= 1.0 for p in self.points):
            raise ValueError("values in 'points' must lie in [0, 1]")
        return self


class TableValue(Strict):
    """Value of each option, given one by one."""

    kind: Literal["table"]
    table: dict[str, float]
    basis: Basis | None = None

    @model_validator(mode="after")
    def _unit(self) -> TableValue:
        bad = {k: v for k, v in self.table.items() if not 0.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"table values must lie in [0, 1], got {bad}")
        return self


class AffineValue(Strict):
    """Affine value `clip(slope·(x − origin) + intercept, 0, 1)`.

    This is GENIUS's linear evaluator written as is: an integer issue's is
    `slope·(x − lowerbound) + offset`, a real issue's `parameter1·x + parameter0`.
    """

    kind: Literal["affine"]
    slope: float
    intercept: float
    origin: float = 0.0
    basis: Basis | None = None


ValueFunction = Annotated[
    LinearValue | PiecewiseValue | TableValue | AffineValue, Field(discriminator="kind")
]


class Limit(Strict):
    """A hard limit: outcomes outside it are unacceptable to the party."""

    issue: str
    min: float | None = None
    max: float | None = None
    allowed: list[str] | None = Field(default=None, min_length=1)
    basis: Basis | None = None

    @model_validator(mode="after")
    def _something(self) -> Limit:
        if self.min is None and self.max is None and self.allowed is None:
            raise ValueError("a limit needs 'min', 'max' or 'allowed'")
        if self.allowed is not None and (self.min is not None or self.max is not None):
            raise ValueError("'allowed' is for categorical issues, 'min'/'max' for numeric ones")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min}) is above 'max' ({self.max})")
        return self


class Interaction(Strict):
    """Linkage: `value` is added to the party's utility when every condition holds."""

    when: dict[str, list[float] | list[str]]
    value: float = Field(ge=-INTERACTION_LIMIT, le=INTERACTION_LIMIT)  # on the [0, 1] scale
    basis: Basis | None = None

    @model_validator(mode="after")
    def _nonempty(self) -> Interaction:
        if not self.when:
            raise ValueError("'when' needs at least one condition")
        return self


class UtilityRules(Strict):
    """Optional rules for how a party's utility is put together (GENIUS profiles need them).

    `weights = "as-written"` uses the weights as given, without requiring them to
    sum to 1 (GENIUS does not renormalise); `cap` makes the utility
    `min(cap, Σ weight·value + interactions)` (GENIUS caps at 1); `discount` is
    GENIUS's discount factor, kept as metadata and used by no analysis.
    Without this table a party's weights must sum to 1 and nothing is capped.
    """

    weights: Literal["normalised", "as-written"] = "normalised"
    cap: float | None = Field(default=None, gt=0.0)
    discount: float | None = Field(default=None, gt=0.0, le=1.0)


class Party(Strict):
    """A negotiating party: its preferences, BATNA and hard limits."""

    id: str
    name: str = ""
    reservation: float = 0.0
    basis: Basis | None = None
    utility: UtilityRules | None = None  # before `weights`: its validator reads it
    weights: dict[str, float]
    weights_basis: Basis | None = None
    values: dict[str, ValueFunction]
    limits: list[Limit] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)

    def utility_scale(self) -> tuple[float, float]:
        """The lowest and highest utility this party's terms can add up to.

        Weighted values lie in [0, Σ weights] (Σ = 1 unless the weights are used as
        written), interactions add their negative and positive values at most, and a
        cap bounds the top. A reservation must lie on this scale (`references`).
        """
        bonus = [x.value for x in self.interactions]
        low = min(0.0, sum(v for v in bonus if v < 0))
        high = max(1.0, sum(self.weights.values())) + sum(v for v in bonus if v > 0)
        if self.utility is not None and self.utility.cap is not None:
            high = min(high, self.utility.cap)
        return low, high

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        negative = {k: w for k, w in weights.items() if w < 0}
        if negative:
            raise ValueError(f"weights must be >= 0, got {negative}")
        rules = info.data.get("utility")
        if rules is not None and rules.weights == "as-written":
            return weights
        total = sum(weights.values())
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise ValueError(
                f"weights must sum to 1 (±{WEIGHT_TOLERANCE:g}), they sum to {total:.12g}"
            )
        return weights


class Scenario(Strict):
    """A whole negotiation: issues, parties, sources."""

    id: str
    title: str = ""
    description: str = ""
    as_of: str | None = None  # YYYY-MM-DD: what was public then is all the model may use
    # what no agreement leaves: the status quo (reservations should be its utilities), or
    # what the reservations price (the status quo lapses); see pactlab.model.consistency
    no_deal: Literal["status_quo", "reservations"] = "status_quo"
    sources: list[Source] = Field(default_factory=list)
    issues: list[Issue] = Field(min_length=1)
    parties: list[Party] = Field(min_length=2)
    outcome: Outcome | None = None  # read only by pactlab.backtest
    uncertain: list[Uncertain] = Field(default_factory=list)  # priors, read by pactlab.sweep
    _origin: Path | None = PrivateAttr(default=None)

    @field_validator("as_of")
    @classmethod
    def _iso_as_of(cls, value: str | None) -> str | None:
        if value is not None:
            parse_date(value)
        return value

    @property
    def origin(self) -> Path | None:
        """The file the scenario was loaded from (None when built in code)."""
        return self._origin

    @property
    def issue_ids(self) -> list[str]:
        return [i.id for i in self.issues]

    @property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.parties]

    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    @property
    def outcome_count(self) -> int:
        return math.prod(len(i.labels()) for i in self.issues)
