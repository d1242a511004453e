"""A scenario as a briefing reads it: every number with the basis it rests on.

`number_rows` walks the same places `pactlab.model.provenance.bases` checks
(issues, reservations, weights, value functions, limits, interactions) and
pairs each with the numbers it justifies, so the report can show a number,
its quote and its assumption side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pactlab.model.basis import Basis
from pactlab.model.schema import (
    Issue,
    LinearValue,
    Party,
    PiecewiseValue,
    Scenario,
    TableValue,
    ValueFunction,
)


@dataclass(frozen=True)
class NumberRow:
    """One place in the scenario, the numbers written there and where they come from."""

    key: str  # the key path, as error messages name it
    what: str
    numbers: str
    source: str  # the source's title (or id), empty for a pure assumption
    quote: str
    assumption: str

    @property
    def kind(self) -> str:
        if self.quote and self.assumption:
            return "quote + assumption"
        return "quote" if self.quote else "assumption" if self.assumption else "none"


def _fmt(x: object) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def issue_numbers(issue: Issue) -> str:
    """An issue's options (or grid) and status quo as one line."""
    unit = f" {issue.unit}" if issue.unit else ""
    if issue.range is not None:
        opts = f"{_fmt(issue.range[0])}–{_fmt(issue.range[1])}{unit} in {issue.steps} steps"
    else:
        opts = ", ".join(_fmt(v) for v in issue.labels()) + unit
    sq = "" if issue.status_quo is None else f"; status quo {_fmt(issue.status_quo)}"
    return opts + sq


def _value_numbers(fn: ValueFunction) -> str:
    if isinstance(fn, LinearValue):
        return f"linear: worst {_fmt(fn.worst)}, best {_fmt(fn.best)}"
    if isinstance(fn, TableValue):
        return "table: " + ", ".join(f"{k} {_fmt(v)}" for k, v in fn.table.items())
    if isinstance(fn, PiecewiseValue):
        return "piecewise: " + ", ".join(f"({_fmt(a)}, {_fmt(b)})" for a, b in fn.points)
    return (f"affine: slope {_fmt(fn.slope)}, intercept {_fmt(fn.intercept)}, "
            f"origin {_fmt(fn.origin)}")


def _party_rows(p: int, party: Party) -> Iterator[tuple[str, str, str, Basis | None]]:
    here = f"parties[{p}]"
    yield f"{here}.basis", f"{party.id} reservation", _fmt(party.reservation), party.basis
    yield (f"{here}.weights_basis", f"{party.id} weights",
           ", ".join(f"{k} {_fmt(w)}" for k, w in party.weights.items()), party.weights_basis)
    for iid, fn in party.values.items():
        yield f"{here}.values.{iid}.basis", f"{party.id} values of {iid}", _value_numbers(fn), \
            fn.basis
    for n, lim in enumerate(party.limits):
        bound = (f"allowed {', '.join(lim.allowed)}" if lim.allowed is not None else
                 " ".join(f"{k} {_fmt(v)}" for k, v in (("min", lim.min), ("max", lim.max))
                          if v is not None))
        yield f"{here}.limits[{n}].basis", f"{party.id} limit on {lim.issue}", bound, lim.basis
    for n, inter in enumerate(party.interactions):
        when = "; ".join(f"{k} in {', '.join(_fmt(v) for v in vs)}"
                         for k, vs in inter.when.items())
        yield (f"{here}.interactions[{n}].basis", f"{party.id} interaction",
               f"{_fmt(inter.value)} when {when}", inter.basis)


def number_rows(sc: Scenario) -> list[NumberRow]:
    """Every number of the scenario with its basis, in file order."""
    titles = {s.id: s.title or s.id for s in sc.sources}
    places: list[tuple[str, str, str, Basis | None]] = [
        (f"issues[{i}].basis", f"issue {issue.id}", issue_numbers(issue), issue.basis)
        for i, issue in enumerate(sc.issues)]
    for p, party in enumerate(sc.parties):
        places.extend(_party_rows(p, party))
    return [NumberRow(key, what, numbers,
                      titles.get(b.source, b.source or "") if b and b.source else "",
                      (b.quote or "") if b else "", (b.assumption or "") if b else "")
            for key, what, numbers, b in places]
