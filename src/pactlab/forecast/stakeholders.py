"""Stakeholder tables: who takes part, how strong they are, where they stand, how much they care.

Every forecasting model in pactlab reads one `Stakeholders` object: the arrays of a
validated stakeholder set. Validation lives in the model layer
(`pactlab.model.stakeholders_schema`, the same pydantic machinery as scenarios): every
reader (TOML, CSV, KTAB CSV/XML) and `Stakeholders.build` produce a document of that
schema and validate it, so capabilities are non-negative, saliences in [0, 1], positions
inside their dimension's range and every number finite and below `MAX_MAGNITUDE`
whatever the format. The bound keeps every model's arithmetic (powers, products of
capabilities, sums over actor pairs) far from float overflow, so results are finite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from pactlab.model.stakeholders_schema import (
    MAX_ACTORS,
    MAX_MAGNITUDE,
    StakeholderSet,
    basis_of,
    validate_set,
    value_of,
)

__all__ = ["MAX_ACTORS", "MAX_MAGNITUDE", "Dimension", "Stakeholders"]


@dataclass(frozen=True)
class Dimension:
    """One numeric issue dimension: an id, a unit and the range positions live in."""

    id: str
    name: str = ""
    unit: str = ""
    low: float = 0.0
    high: float = 1.0
    issue: str = ""  # the scenario issue this dimension stands for, when its id differs
    mapping: tuple[tuple[str, float], ...] = ()  # option -> number, for a categorical issue

    @property
    def width(self) -> float:
        """Range width; the BDM model's Δ and the SMP model's normalisation."""
        return self.high - self.low

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name or self.id,
            "unit": self.unit,
            "range": [self.low, self.high],
        }

    def to_spec(self) -> dict[str, Any]:
        """The dimension as a stakeholder-file entry (`[[dimensions]]`)."""
        return {"id": self.id, "name": self.name, "unit": self.unit,
                "range": [self.low, self.high], "issue": self.issue,
                "mapping": dict(self.mapping)}


@dataclass(frozen=True, eq=False)
class Stakeholders:
    """A validated stakeholder table.

    `capability[i]` is actor i's power, `position[i, d]` its position on dimension d (in the
    dimension's unit), `salience[i, d]` how much the dimension matters to it, in [0, 1].
    `bases` keeps each number's provenance (key path -> basis table) for built-in sets.
    """

    actors: tuple[str, ...]
    names: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    id: str = ""
    title: str = ""
    scenario: str = ""
    origin: str = ""
    bases: dict[str, Any] = field(default_factory=dict)
    sources: tuple[dict[str, Any], ...] = ()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_set(cls, doc: StakeholderSet, *, where: str = "", **meta: Any) -> Stakeholders:
        """The arrays of a validated stakeholder set; `meta` overrides its id or title."""
        dims = tuple(Dimension(id=d.id, name=d.name, unit=d.unit, low=d.range[0],
                               high=d.range[1], issue=d.issue,
                               mapping=tuple(d.mapping.items())) for d in doc.dimensions)
        ids = [d.id for d in dims]
        n = len(doc.actors)
        cap = np.empty(n)
        pos = np.empty((n, len(ids)))
        sal = np.empty((n, len(ids)))
        bases: dict[str, Any] = {}
        for d in doc.dimensions:
            if d.basis is not None:
                bases[f"dimensions.{d.id}.range"] = d.basis.model_dump(exclude_none=True)
        for k, a in enumerate(doc.actors):
            cap[k] = value_of(a.capability)
            _keep(bases, f"actors.{a.id}.capability", basis_of(a.capability, a.capability_basis))
            for j, dim in enumerate(ids):
                pos[k, j] = value_of(a.position[dim])
                sal[k, j] = value_of(a.salience[dim])
                _keep(bases, f"actors.{a.id}.position.{dim}",
                      basis_of(a.position[dim], a.position_basis, dim))
                _keep(bases, f"actors.{a.id}.salience.{dim}",
                      basis_of(a.salience[dim], a.salience_basis, dim))
        for arr in (cap, pos, sal):
            arr.setflags(write=False)
        fields: dict[str, Any] = {
            "id": doc.id, "title": doc.title, "scenario": doc.scenario, "bases": bases,
            "sources": tuple(s.model_dump(exclude_none=True) for s in doc.sources)}
        fields.update(meta)
        return cls(actors=tuple(a.id for a in doc.actors),
                   names=tuple(a.name or a.id for a in doc.actors), dimensions=dims,
                   capability=cap, position=pos, salience=sal, origin=where, **fields)

    @classmethod
    def build(
        cls,
        actors: Sequence[str],
        capability: Sequence[float] | np.ndarray,
        position: Sequence[Sequence[float]] | np.ndarray,
        salience: Sequence[Sequence[float]] | np.ndarray,
        dimensions: Sequence[Dimension | str] | None = None,
        *,
        names: Sequence[str] | None = None,
        where: str = "",
        max_actors: int = MAX_ACTORS,
        **meta: Any,
    ) -> Stakeholders:
        """Validate and freeze a table given as arrays, through the stakeholder schema.

        Dimensions given as bare ids get their range from the data (min..max of positions;
        a zero-width range becomes ±0.5 so that distances stay defined), as in the BDM
        literature where Δ is the spread of the initial positions.
        """
        ids = [d.id if isinstance(d, Dimension) else str(d)
               for d in (dimensions if dimensions is not None else ["position"])]
        pos_rows = [list(map(_number, row)) for row in position]
        specs = []
        for j, d in enumerate(dimensions if dimensions is not None else ["position"]):
            if isinstance(d, Dimension):
                specs.append(d.to_spec())
                continue
            column = [row[j] for row in pos_rows if j < len(row)
                      and isinstance(row[j], float)]
            lo, hi = (min(column), max(column)) if column else (0.0, 1.0)
            if hi <= lo:
                lo, hi = lo - 0.5, hi + 0.5
            specs.append({"id": ids[j], "range": [lo, hi]})
        doc = {
            "dimensions": specs,
            "actors": [
                {"id": str(a), "name": str(names[k]) if names is not None else "",
                 "capability": _number(capability[k]),
                 "position": dict(zip(ids, pos_rows[k], strict=False)),
                 "salience": dict(zip(ids, map(_number, salience[k]), strict=False))}
                for k, a in enumerate(actors)],
        }
        return cls.from_set(validate_set(doc, where=where or None, max_actors=max_actors),
                            where=where, **meta)

    # ------------------------------------------------------------------ views
    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_dimensions(self) -> int:
        return len(self.dimensions)

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    def weights(self) -> np.ndarray:
        """capability × salience, shape (actors, dimensions): the weight of a vote."""
        return self.capability[:, None] * self.salience

    def with_values(
        self,
        *,
        capability: np.ndarray | None = None,
        position: np.ndarray | None = None,
        salience: np.ndarray | None = None,
    ) -> Stakeholders:
        """A copy with some arrays replaced (validated again), e.g. for sensitivity runs."""
        cap = self.capability if capability is None else np.asarray(capability, float)
        pos = self.position if position is None else np.asarray(position, float)
        sal = self.salience if salience is None else np.asarray(salience, float)
        new = Stakeholders.build(
            self.actors, cap, pos.tolist(), sal.tolist(), list(self.dimensions),
            names=self.names, where=self.origin, max_actors=self.n_actors,
        )
        return replace(new, id=self.id, title=self.title, scenario=self.scenario,
                       bases=self.bases, sources=self.sources)

    def subset_dimension(self, d: int) -> Stakeholders:
        """The one-dimensional table of dimension `d` (BDM runs dimension by dimension)."""
        return replace(
            self,
            dimensions=(self.dimensions[d],),
            position=self.position[:, d : d + 1],
            salience=self.salience[:, d : d + 1],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "dimensions": [d.to_dict() for d in self.dimensions],
            "actors": [
                {
                    "id": a,
                    "name": self.names[k],
                    "capability": float(self.capability[k]),
                    "position": [float(x) for x in self.position[k]],
                    "salience": [float(x) for x in self.salience[k]],
                }
                for k, a in enumerate(self.actors)
            ],
        }

    def __repr__(self) -> str:
        dims = ", ".join(self.dimension_ids)
        return f"Stakeholders({self.id or self.origin!r}: {self.n_actors} actors; dims {dims})"


def _number(value: Any) -> Any:
    """numpy scalars as Python floats (the schema is strict about types); others unchanged."""
    return float(value) if isinstance(value, np.floating | np.integer) else value


def _keep(bases: dict[str, Any], key: str, basis: Any) -> None:
    if basis is not None:
        bases[key] = basis.model_dump(exclude_none=True)
