"""The `[outcome]` block: what actually happened, for backtests.

A scenario is a model *as of* a date; its optional `[outcome]` records what was
settled (or that nothing was) by a later date, with its own basis. Only
`pactlab.backtest` reads it: analyses, negotiations, forecasts and sweeps of a
scenario never do, so a model cannot be fitted to its outcome by accident.

A numeric actual is kept as it was recorded, even between the issue's options
or outside its range (a backtest scores it, it is not snapped); a categorical
actual must be one of the issue's options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from pactlab.model.basis import Basis, Strict
from pactlab.model.problems import suggest

if TYPE_CHECKING:
    from pactlab.model.schema import Scenario

Problem = tuple[str, str]


def parse_date(text: str) -> dt.date:
    """A `YYYY-MM-DD` date, or ValueError saying what was expected."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date 'YYYY-MM-DD', got {text!r}") from None


class Outcome(Strict):
    """What happened: the settlement date, whether a deal was reached, the actual values.

    `values` may leave issues out (they are not scored). `bases` optionally gives
    a basis per issue on top of the block's `basis`.
    """

    date: str
    agreement: bool
    values: dict[str, float | str] = Field(default_factory=dict)
    basis: Basis
    bases: dict[str, Basis] = Field(default_factory=dict)

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        parse_date(value)
        return value

    @property
    def settled(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


def outcome_problems(sc: Scenario) -> Iterator[Problem]:
    """Cross-checks of a scenario's `[outcome]` against the rest of the file.

    The date must come after `as_of` (a backtest of something known at the time
    tests nothing); every valued issue must exist; a categorical actual must be
    one of its issue's options, a numeric one a number; every source must be
    declared.
    """
    out = sc.outcome
    if out is None:
        return
    if sc.as_of is None:
        yield "as_of", "a scenario with an [outcome] needs 'as_of' (the date it is modelled at)"
    else:
        try:
            as_of = parse_date(sc.as_of)
        except ValueError as exc:
            yield "as_of", str(exc)
        else:
            if out.settled <= as_of:
                yield "outcome.date", (f"the outcome date {out.date} must come after as_of "
                                       f"{sc.as_of}: the model must predate what it predicts")
    issues = {i.id: i for i in sc.issues}
    for iid, actual in out.values.items():
        key = f"outcome.values.{iid}"
        issue = issues.get(iid)
        if issue is None:
            yield key, f"unknown issue {iid!r}{suggest(iid, list(issues))}"
        elif issue.is_numeric and isinstance(actual, str):
            yield key, f"issue {iid!r} is numeric: expected a number, got {actual!r}"
        elif not issue.is_numeric and actual not in issue.labels():
            yield key, (f"{actual!r} is not an option of issue {iid!r}; expected one of "
                        f"{issue.labels()}")
    for iid in out.bases:
        if iid not in issues:
            yield f"outcome.bases.{iid}", f"unknown issue {iid!r}{suggest(iid, list(issues))}"
    source_ids = {s.id for s in sc.sources}
    named = [("outcome.basis", out.basis)]
    named += [(f"outcome.bases.{iid}", b) for iid, b in out.bases.items()]
    for key, basis in named:
        if basis.source is not None and basis.source not in source_ids:
            yield f"{key}.source", (f"unknown source {basis.source!r}; expected one of "
                                    f"{sorted(source_ids)} (declare it in [[sources]])")

