"""The stakeholder file format (TOML) as pydantic models, beside `Scenario`.

A stakeholder set names the dimensions a forecast runs on and, for each actor, its
capability, its position on every dimension and how much each matters to it (salience).
Every number may carry a `basis` (the same `Basis` as a scenario's numbers): inline,
``capability = { value = 30, basis = { assumption = "..." } }``, or beside it,
``capability_basis = {...}`` / ``position_basis.<dim> = {...}``.

The CSV and KTAB readers (`pactlab.forecast.readers`) turn their rows into the same
document and validate it with these models, so every format gets the same checks; they
map key paths back to rows and columns for their messages. Limits are checked before
anything is allocated: `MAX_ACTORS` actors and `MAX_DIMENSIONS` dimensions by default
(each reader and `pactlab forecast --max-actors` can raise the first), numbers finite and
below `MAX_MAGNITUDE`, names without control characters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, model_validator

from pactlab.errors import StakeholderError
from pactlab.model.basis import Basis, Strict
from pactlab.model.priors import Uncertain
from pactlab.model.problems import pydantic_problems, suggest, summary
from pactlab.model.schema import Source

MAX_MAGNITUDE = 1e12
"""Largest |number| in a stakeholder table: keeps every model's powers, products of
capabilities and sums over actor pairs far from float overflow."""
MAX_ACTORS = 2000
"""Default largest number of actors: BDM's memory grows with actors² (about 0.5 GiB at
2,000 actors and 5 dimensions), SMP's time with actors³ per step."""
MAX_DIMENSIONS = 100
"""Largest number of dimensions (a KTAB title line may declare any number)."""
MAX_NAME = 200
"""Longest id or name, in characters."""


def _finite(value: Any) -> Any:
    """Numbers as floats, refused when not finite or beyond MAX_MAGNITUDE (`10**400` is an
    int that no float can hold: refused here, never an OverflowError later)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value  # pydantic reports the type
    if isinstance(value, int) and abs(value) >= MAX_MAGNITUDE:
        raise ValueError(f"expected a magnitude below {MAX_MAGNITUDE:g} (got an integer of "
                         f"{len(str(abs(value)))} digits); rescale the column's unit")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError("expected a finite number")
    if abs(x) >= MAX_MAGNITUDE:
        raise ValueError(f"expected a magnitude below {MAX_MAGNITUDE:g} (got {x:g}); rescale "
                         "the column's unit")
    return x


def _clean_name(value: str) -> str:
    """Ids and names are printed in tables and written into JSON: no control characters
    (a NUL, an escape sequence or a newline would corrupt what is shown)."""
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")),
               None)
    if bad is not None:
        raise ValueError(f"contains the control character U+{ord(bad):04X} at position "
                         f"{value.index(bad) + 1}; names must be printable text")
    if len(value) > MAX_NAME:
        raise ValueError(f"is {len(value):,} characters long; at most {MAX_NAME} are allowed")
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty; expected a name")
    return value


Number = Annotated[float, BeforeValidator(_finite)]
Name = Annotated[str, AfterValidator(_clean_name)]
Id = Annotated[str, AfterValidator(_clean_name), AfterValidator(_nonblank)]


class Valued(Strict):
    """A number written with its basis inline: ``{ value = 30, basis = {...} }``."""

    value: Number
    basis: Basis | None = None


NumberOrValued = Number | Valued


class DimensionSpec(Strict):
    """One numeric dimension: an id, a unit and the range positions live in."""

    id: Id
    name: Name = ""
    unit: Name = ""
    range: list[Number] = Field(min_length=2, max_length=2)  # [low, high]
    issue: Name = ""
    mapping: dict[Name, Number] = Field(default_factory=dict)
    basis: Basis | None = None

    @model_validator(mode="after")
    def _ordered(self) -> DimensionSpec:
        if not self.range[0] < self.range[1]:
            raise ValueError(f"range is [{self.range[0]:g}, {self.range[1]:g}]; expected "
                             "low < high")
        return self


class ActorSpec(Strict):
    """One actor: capability (≥ 0), a position and a salience (in [0, 1]) per dimension."""

    id: Id
    name: Name = ""
    capability: NumberOrValued
    capability_basis: Basis | None = None
    position: dict[str, NumberOrValued]
    position_basis: Basis | dict[str, Basis] | None = None
    salience: dict[str, NumberOrValued]
    salience_basis: Basis | dict[str, Basis] | None = None


class StakeholderSet(Strict):
    """A whole stakeholder file: dimensions, actors, sources, and priors for sweeps."""

    id: Name = ""
    title: Name = ""
    description: str = ""
    scenario: Name = ""
    as_of: str | None = None
    sources: list[Source] = Field(default_factory=list)
    dimensions: list[DimensionSpec] = Field(min_length=1, max_length=MAX_DIMENSIONS)
    actors: list[ActorSpec] = Field(min_length=2)
    # `[[uncertain]]` priors of a sweep, paths `actors.<id>.capability|salience.<dim>|
    # position.<dim>`; resolved against the table by the sweep layer
    uncertain: list[Uncertain] = Field(default_factory=list)


def value_of(raw: NumberOrValued) -> float:
    return raw.value if isinstance(raw, Valued) else raw


def basis_of(raw: NumberOrValued, beside: Basis | dict[str, Basis] | None,
             dim: str | None = None) -> Basis | None:
    """A number's basis: inline first, else the `*_basis` beside it (one for all
    dimensions, or one per dimension)."""
    if isinstance(raw, Valued) and raw.basis is not None:
        return raw.basis
    if isinstance(beside, dict):
        return beside.get(dim) if dim is not None else None
    return beside


def problems(doc: StakeholderSet) -> Iterator[tuple[str, str]]:
    """(key path, message) for what the models alone cannot check: references between
    dimensions and actors, duplicate ids, numbers outside their ranges."""
    ids = [d.id for d in doc.dimensions]
    seen: dict[str, int] = {}
    for k, d in enumerate(doc.dimensions):
        if d.id in seen:
            yield (f"dimensions[{k}].id",
                   f"duplicate dimension id {d.id!r} (also dimensions[{seen[d.id]}])")
        seen[d.id] = k
    actors: dict[str, int] = {}
    for k, a in enumerate(doc.actors):
        key = f"actors[{k}]"
        if a.id in actors:
            yield f"{key}.id", f"duplicate actor id {a.id!r} (also actors[{actors[a.id]}])"
        actors[a.id] = k
        if value_of(a.capability) < 0:
            yield f"{key}.capability", (f"capability is {value_of(a.capability):g}; expected "
                                        "a non-negative number")
        for field in ("position", "salience"):
            table = getattr(a, field)
            for name in table:
                if name not in ids:
                    yield f"{key}.{field}.{name}", f"unknown dimension {name!r}{suggest(name, ids)}"
            basis = getattr(a, f"{field}_basis")
            if isinstance(basis, dict):
                for name in basis:
                    if name not in ids:
                        yield (f"{key}.{field}_basis.{name}",
                               f"unknown dimension {name!r}{suggest(name, ids)}")
            for d in doc.dimensions:
                if d.id not in table:
                    yield (f"{key}.{field}.{d.id}", f"missing: every actor needs a {field} on "
                           f"every dimension ({', '.join(ids)})")
                    continue
                x = value_of(table[d.id])
                if field == "salience" and not 0.0 <= x <= 1.0:
                    yield (f"{key}.salience.{d.id}",
                           f"salience is {x:g}; expected a number in [0, 1]")
                lo, hi = d.range
                if field == "position" and not lo - 1e-12 <= x <= hi + 1e-12:
                    unit = f" {d.unit}" if d.unit else ""
                    yield (f"{key}.position.{d.id}", f"position is {x:g}; expected a value in "
                           f"the range [{lo:g}, {hi:g}]{unit}")
    if not any(value_of(a.capability) > 0 for a in doc.actors):
        yield "actors", "every capability is zero; at least one must be positive"


def check_actor_count(n: int, limit: int, where: str | None) -> None:
    """Refuse a table with more than `limit` actors before it is read further."""
    if n > limit:
        raise StakeholderError(
            f"has {n:,} actors; pactlab forecasts at most {limit:,} by default (BDM's memory "
            "grows with actors², SMP's time with actors³ per step). Raise the limit with "
            f"`pactlab forecast --max-actors {n}` (max_actors={n} in Python) if the machine "
            "has the memory and time", where=where, column="actors")


def validate_set(data: dict[str, Any], *, where: str | None = None,
                 max_actors: int = MAX_ACTORS,
                 locate: Any = None) -> StakeholderSet:
    """Validate a parsed document into a `StakeholderSet`, or raise `StakeholderError`.

    `locate(key_path) -> (row, column)` lets a CSV or KTAB reader name its own rows and
    columns; without it the message names the key path (``actors[3].salience.payment``).
    """
    actors = data.get("actors")
    if isinstance(actors, list):
        check_actor_count(len(actors), max_actors, where)
    try:
        doc = StakeholderSet.model_validate(data)
    except ValidationError as exc:
        key, message = summary(pydantic_problems(exc, clean=_clean_loc, keys_at=_keys_at))
        raise _located(message, key, where, locate, data) from None
    found = list(problems(doc))
    if found:
        key, message = summary(found)
        raise _located(message, key, where, locate, data)
    return doc


def _located(message: str, key: str, where: str | None, locate: Any,
             data: dict[str, Any]) -> StakeholderError:
    if locate is not None:
        row, column = locate(key)
        return StakeholderError(message, where=where, row=row, column=column)
    match = re.match(r"(actors|dimensions)\[(\d+)\]", key)
    if match:  # name the entry too: `actors[1] (actor 'b').position.x`
        entries = data.get(match.group(1))
        entry = entries[int(match.group(2))] if isinstance(entries, list) and int(
            match.group(2)) < len(entries) else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            kind = match.group(1)[:-1]
            message = f"{kind} {entry['id'][:40]!r}: {message}"
    return StakeholderError(message, where=where, key=key or None)


_TYPE_TAGS = ("float", "int", "str", "Valued", "Basis")  # union members pydantic names in locs
_MODEL_AT: dict[str, type[Strict]] = {"dimensions": DimensionSpec, "actors": ActorSpec,
                                      "sources": Source}


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the union members and validator names pydantic puts in locations."""
    return tuple(p for p in loc if not (isinstance(p, str) and (
        p.startswith(("function-", "tuple[", "dict[", "list[")) or p in _TYPE_TAGS)))


def _keys_at(loc: tuple[str | int, ...]) -> list[str]:
    """The keys a stakeholder document may have where the last part of `loc` stands."""
    named = [p for p in loc[:-1] if isinstance(p, str)]
    parent, grand = (named[-1:] or [""])[0], (named[-2:-1] or [""])[0]
    if parent.endswith("basis") or grand.endswith("basis"):
        return list(Basis.model_fields)
    if parent == "capability" or grand in ("position", "salience"):
        return list(Valued.model_fields)
    return list(_MODEL_AT.get(parent, StakeholderSet).model_fields)
