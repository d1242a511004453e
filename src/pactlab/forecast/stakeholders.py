"""Stakeholder tables: who takes part, how strong they are, where they stand, how much they care.

Every forecasting model in pactlab reads one `Stakeholders` object, so validation lives here,
once: capabilities must be non-negative and below `MAX_MAGNITUDE`, saliences in [0, 1],
positions and ranges below `MAX_MAGNITUDE` in absolute value and positions inside each
dimension's range. The bound keeps every model's arithmetic (powers, products of capabilities,
sums over actor pairs) far from float overflow, so results are always finite. Readers (TOML,
CSV, KTAB CSV/XML) only parse and then call `Stakeholders.build`, which raises
`StakeholderError` naming the row and column at fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from pactlab.errors import StakeholderError

MAX_MAGNITUDE = 1e12


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
    def build(
        cls,
        actors: Sequence[str],
        capability: Sequence[float],
        position: Sequence[Sequence[float]],
        salience: Sequence[Sequence[float]],
        dimensions: Sequence[Dimension | str] | None = None,
        *,
        names: Sequence[str] | None = None,
        where: str = "",
        rows: Sequence[str | int] | None = None,
        infer_range: bool = True,
        columns: dict[str, str] | None = None,
        **meta: Any,
    ) -> Stakeholders:
        """Validate and freeze a table; `rows` are the row labels used in error messages.

        Dimensions given as bare ids get their range from the data (min..max of positions;
        a zero-width range becomes ±0.5 so that distances stay defined). `columns` maps the
        logical column names (``capability``, ``position.<dim>``, ``salience.<dim>``) to the
        file's own headers, for error messages.
        """
        cols = columns or {}

        def colname(key: str) -> str:
            return cols.get(key, key)

        n = len(actors)
        rows = list(rows) if rows is not None else list(actors)
        if n == 0:
            raise StakeholderError("no actors: a forecast needs at least two", where=where)
        if n < 2:
            raise StakeholderError("only one actor: a forecast needs at least two", where=where)
        seen: dict[str, int] = {}
        for k, a in enumerate(actors):
            if not str(a).strip():
                raise StakeholderError("empty actor id", where=where, row=rows[k], column="actor")
            if a in seen:
                raise StakeholderError(
                    f"duplicate actor id {a!r} (also row {rows[seen[a]]})",
                    where=where,
                    row=rows[k],
                    column="actor",
                )
            seen[a] = k
        cap = cls._floats(capability, where, rows, colname("capability"))
        for k, c in enumerate(cap):
            if c < 0:
                raise StakeholderError(
                    f"capability is {c:g}; expected a non-negative number",
                    where=where,
                    row=rows[k],
                    column=colname("capability"),
                )
        if not np.any(cap > 0):
            raise StakeholderError("every capability is zero; at least one must be positive",
                                   where=where, column="capability")
        dims = list(dimensions) if dimensions is not None else ["position"]
        nd = len(dims)
        pos = np.empty((n, nd))
        sal = np.empty((n, nd))
        for k in range(n):
            prow, srow = position[k], salience[k]
            if len(prow) != nd or len(srow) != nd:
                raise StakeholderError(
                    f"has {len(prow)} positions and {len(srow)} saliences; expected {nd} of each "
                    f"(dimensions {', '.join(_dim_id(d) for d in dims)})",
                    where=where,
                    row=rows[k],
                )
            for d in range(nd):
                col = _dim_id(dims[d])
                pos[k, d] = cls._float(prow[d], where, rows[k], colname(f"position.{col}"))
                sv = cls._float(srow[d], where, rows[k], colname(f"salience.{col}"))
                if not 0.0 <= sv <= 1.0:
                    raise StakeholderError(
                        f"salience is {sv:g}; expected a number in [0, 1]",
                        where=where,
                        row=rows[k],
                        column=colname(f"salience.{col}"),
                    )
                sal[k, d] = sv
        out_dims: list[Dimension] = []
        for d, dim in enumerate(dims):
            if isinstance(dim, Dimension):
                for bound in (dim.low, dim.high):
                    cls._float(bound, where, dim.id, f"dimensions.{dim.id}.range")
                if not dim.high > dim.low:
                    raise StakeholderError(
                        f"range is [{dim.low:g}, {dim.high:g}]; expected low < high",
                        where=where, column=f"dimensions.{dim.id}.range",
                    )
                for k in range(n):
                    x = pos[k, d]
                    if not dim.low - 1e-12 <= x <= dim.high + 1e-12:
                        raise StakeholderError(
                            f"position is {x:g}; expected a value in the range "
                            f"[{dim.low:g}, {dim.high:g}] {dim.unit}".rstrip(),
                            where=where, row=rows[k], column=colname(f"position.{dim.id}"),
                        )
                out_dims.append(dim)
            else:
                lo, hi = float(pos[:, d].min()), float(pos[:, d].max())
                if hi <= lo:
                    lo, hi = lo - 0.5, hi + 0.5
                if not infer_range:
                    raise StakeholderError("dimension has no range", where=where, column=dim)
                out_dims.append(Dimension(id=str(dim), low=lo, high=hi))
        ids = [d.id for d in out_dims]
        if len(set(ids)) != len(ids):
            raise StakeholderError(f"duplicate dimension ids in {ids}", where=where)
        for arr in (cap, pos, sal):
            arr.setflags(write=False)
        return cls(
            actors=tuple(str(a) for a in actors),
            names=tuple(names) if names is not None else tuple(str(a) for a in actors),
            dimensions=tuple(out_dims),
            capability=cap,
            position=pos,
            salience=sal,
            origin=where,
            **meta,
        )

    @staticmethod
    def _float(value: Any, where: str, row: str | int, column: str) -> float:
        if isinstance(value, bool):
            raise StakeholderError(f"got {value!r}; expected a number", where=where, row=row,
                                   column=column)
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise StakeholderError(
                f"got {value!r}; expected a number", where=where, row=row, column=column
            ) from None
        if not np.isfinite(x):
            raise StakeholderError(f"got {x}; expected a finite number", where=where, row=row,
                                   column=column)
        if abs(x) >= MAX_MAGNITUDE:
            raise StakeholderError(
                f"got {x:g}; expected a magnitude below {MAX_MAGNITUDE:g} (rescale the "
                "column's unit)", where=where, row=row, column=column)
        return x

    @classmethod
    def _floats(cls, values: Sequence[Any], where: str, rows: Sequence[str | int],
                column: str) -> np.ndarray:
        return np.array([cls._float(v, where, rows[k], column) for k, v in enumerate(values)])

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
            names=self.names, where=self.origin,
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


def _dim_id(d: Dimension | str) -> str:
    return d.id if isinstance(d, Dimension) else str(d)
