"""Quotes must support their numbers; dated claims must not contradict dated sources.

A basis with a quote and no assumption claims that the quote *states* the numbers
it stands for: an issue's options and status quo, a reservation, a party's
weights, a value function's breakpoints, a limit, an interaction's bonus, an
outcome's actual values. `number_problems` reports each number the quote does
not contain. A number derived from a quote (converted, rounded, interpolated)
needs an `assumption` saying how, and is then not checked here.

A number occurs in a quote when the evidence layer reads a quantity there equal
to it, allowing the scale words a unit implies ("$5 billion" is 5 in "USD bn",
"14 trillion won" is 14 in "KRW trillion"), percentages, number words ("five"),
and, for money in another currency than the issue's unit names, conversion at
the yearly FX rate of the scenario's `as_of` year (within `FX_TOLERANCE`).

`dated_contradictions` pairs each figure with the deadline year the same
sentence gives it ("3.5% of GDP by 2032") in the bases' quotes and assumptions
and in any local copy of a source, and reports a basis whose claim gives the
same figure another year than a dated source does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pactlab.evidence import extract, find_quantities
from pactlab.evidence.fx import CURRENCIES, convert
from pactlab.evidence.numbers import NUMBER, parse_number
from pactlab.fileio import read_text
from pactlab.model.basis import Basis
from pactlab.model.provenance import (
    DOCUMENT_LIMIT,
    QuoteCheck,
    SourceCheck,
    all_bases,
    bases,
    check_quotes,
)
from pactlab.model.schema import Issue, Scenario
from pactlab.result import Result

SCALES = (1.0, 1e3, 1e6, 1e9, 1e12)
EXACT_TOLERANCE = 1e-9
FX_TOLERANCE = 0.02  # yearly average rates differ from the day's rate by a few percent
_NUMBER = re.compile(NUMBER)


@dataclass(frozen=True)
class NumberProblem(Result):
    """A quote-only basis whose quote does not contain a number it stands for."""

    key: str
    number: float
    quote: str
    message: str


@dataclass(frozen=True)
class Contradiction(Result):
    """A basis giving a figure another deadline year than a dated source does."""

    key: str
    figure: str
    claimed_year: int
    source: str
    source_date: str | None
    source_year: int
    message: str


def _currencies(unit: str) -> tuple[str, ...]:
    words = set(re.findall(r"[A-Za-z]+", unit.upper()))
    return tuple(c for c in CURRENCIES if c in words)


def _numeric(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _issue_numbers(issue: Issue) -> list[float]:
    out = list(issue.values or issue.range or [])
    if _numeric(issue.status_quo):
        out.append(float(issue.status_quo))  # type: ignore[arg-type]
    return out


def stated_numbers(sc: Scenario) -> Iterator[tuple[str, Basis | None, list[float], str]]:
    """(key, basis, the numbers the basis stands for, the unit they are in)."""
    issues = {i.id: i for i in sc.issues}
    for (key, basis), (numbers, unit) in zip(all_bases(sc), _numbers_in_order(sc, issues),
                                             strict=True):
        yield key, basis, numbers, unit


def _numbers_in_order(sc: Scenario, issues: Mapping[str, Issue]
                      ) -> Iterator[tuple[list[float], str]]:
    """The numbers of each basis, in the order `provenance.all_bases` yields the bases."""
    for issue in sc.issues:
        yield _issue_numbers(issue), issue.unit
    for party in sc.parties:
        yield [party.reservation], ""
        yield list(party.weights.values()), ""
        for iid, fn in party.values.items():
            unit = issues[iid].unit if iid in issues else ""
            if fn.kind == "linear":
                yield [fn.worst, fn.best], unit
            elif fn.kind == "piecewise":
                yield [x for point in fn.points for x in point], unit
            elif fn.kind == "table":
                yield list(fn.table.values()), unit
            else:
                yield [fn.slope, fn.intercept, fn.origin], unit
        for limit in party.limits:
            unit = issues[limit.issue].unit if limit.issue in issues else ""
            yield [x for x in (limit.min, limit.max) if x is not None], unit
        for inter in party.interactions:
            bounds = [float(x) for cond in inter.when.values() for x in cond if _numeric(x)]
            yield [inter.value, *bounds], ""
    if sc.outcome is not None:
        own = sc.outcome.bases
        yield [float(v) for iid, v in sc.outcome.values.items()
               if _numeric(v) and iid not in own], _common_unit(sc, sc.outcome.values)
        for iid in own:
            value = sc.outcome.values.get(iid)
            yield ([float(value)] if isinstance(value, int | float) else []), (
                issues[iid].unit if iid in issues else "")


def _common_unit(sc: Scenario, values: Mapping[str, object]) -> str:
    units = {sc.issue(iid).unit for iid in values if iid in sc.issue_ids}
    return " ".join(sorted(units))


def quote_values(quote: str, currencies: Sequence[str], year: int | None
                 ) -> list[tuple[float, float]]:
    """Numbers the quote states, each with the tolerance it is matched with."""
    out: list[tuple[float, float]] = []
    for q in find_quantities(quote):
        for value in (q.value, q.value_high):
            if isinstance(value, str):
                value = int(value) if value.isdigit() else None
            if value is None:
                continue
            out.append((float(value), EXACT_TOLERANCE))
            if q.kind == "percent":
                out.append((float(value) / 100.0, EXACT_TOLERANCE))
            if q.kind == "money" and q.currency and year is not None:
                for target in currencies:
                    if target != q.currency:
                        out.append((convert(float(value), q.currency, target, year),
                                    FX_TOLERANCE))
    for match in _NUMBER.finditer(quote):
        out.append((float(parse_number(match.group(0))), EXACT_TOLERANCE))
    return out


def contains_number(number: float, values: Sequence[tuple[float, float]]) -> bool:
    """Whether `number` equals a stated value, at some scale (thousand … trillion)."""
    n = abs(float(number))
    for value, tol in values:
        v = abs(value)
        for scale in SCALES:
            if abs(v - n * scale) <= tol * max(n * scale, 1e-12) + (0 if n else 1e-12):
                return True
    return False


def _year(sc: Scenario) -> int | None:
    try:
        return dt.date.fromisoformat(sc.as_of).year if sc.as_of else None
    except ValueError:
        return None


def number_problems(sc: Scenario) -> list[NumberProblem]:
    """Every number a quote-only basis stands for that its quote does not contain."""
    year = _year(sc)
    problems = []
    for key, basis, numbers, unit in stated_numbers(sc):
        if basis is None or basis.quote is None or basis.assumption:
            continue
        values = quote_values(basis.quote, _currencies(unit), year)
        for n in dict.fromkeys(numbers):
            if not contains_number(n, values):
                problems.append(NumberProblem(
                    key, n, basis.quote,
                    f"quote does not contain {n:g}; quote the figure, or say in "
                    "'assumption' how it was derived"))
    return problems


# --- dated claims ------------------------------------------------------------------------


def deadline_claims(text: str) -> list[tuple[str, int]]:
    """(figure, year) for every figure a sentence of `text` gives a deadline year to."""
    ev = extract(text)
    by_sentence: dict[str, list[Any]] = {}
    for q in ev.quantities:
        by_sentence.setdefault(q.sentence, []).append(q)
    claims = []
    for quantities in by_sentence.values():
        years = [int(q.value) for q in quantities
                 if q.kind == "date" and q.unit == "deadline" and str(q.value).isdigit()]
        figures = [f"{q.value:g}{q.unit}" if q.kind == "percent" else q.text
                   for q in quantities if q.kind in ("percent", "money")]
        if len(set(years)) == 1:
            claims += [(figure, years[0]) for figure in figures]
    return claims


def dated_contradictions(sc: Scenario, documents: Mapping[str, str] | None = None
                         ) -> list[Contradiction]:
    """Claims in bases that a dated source known at the time contradicts.

    Facts come from the quotes of dated sources and from `documents` (source id ->
    text of its local copy), only from sources dated no later than `as_of`. A
    claim in an assumption (the analyst's own, undated) is checked against all of
    them; a claim in a quote against the facts of other sources dated no later
    than the quote's own source, since a source cannot be faulted for what was
    published after it.
    """
    dated = {s.id: s.date for s in sc.sources if s.date and (not sc.as_of or s.date <= sc.as_of)}
    facts: list[tuple[str, int, str]] = []  # (figure, year, source id)
    for _key, basis in bases(sc):
        if basis is not None and basis.quote and basis.source in dated:
            facts += [(f, y, basis.source) for f, y in deadline_claims(basis.quote)]
    for sid, text in (documents or {}).items():
        if sid in dated:
            facts += [(f, y, sid) for f, y in deadline_claims(text)]
    found: dict[tuple[str, str, int, str], Contradiction] = {}
    for key, basis in bases(sc):
        if basis is None:
            continue
        claims: list[tuple[tuple[str, int], str | None]] = [
            (c, None) for c in deadline_claims(basis.assumption or "")]
        if basis.quote:
            claims += [(c, basis.source) for c in deadline_claims(basis.quote)]
        for (figure, year), own in claims:
            limit = dated.get(own) if own else None
            for fig, fact_year, sid in facts:
                if fig != figure or fact_year == year or sid == own:
                    continue
                if own is not None and (limit is None or dated[sid] > limit):
                    continue
                found.setdefault((key, figure, year, sid), Contradiction(
                    key, figure, year, sid, dated[sid], fact_year,
                    f"says {figure} by {year}; source {sid!r} ({dated[sid]}) says {figure} "
                    f"by {fact_year}"))
    return list(found.values())


# --- everything `validate --sources` checks ----------------------------------------------


@dataclass(frozen=True)
class SourcesReport(Result):
    """A scenario's sources, quotes, quoted numbers and dated claims, checked.

    `ok` is False when a quote is missing from its local copy, a copy is not the
    document the quotes were checked against (SHA-256), a quote-only basis lacks a
    number it stands for, or a claim contradicts a dated source. Sources without a
    local copy are listed in `unchecked`; they do not fail the check.
    """

    derived: ClassVar = {"unchecked": "contradictions", "ok": "contradictions"}

    sources: tuple[SourceCheck, ...]
    quotes: tuple[QuoteCheck, ...]
    numbers: tuple[NumberProblem, ...]
    contradictions: tuple[Contradiction, ...]

    @property
    def unchecked(self) -> list[str]:
        return [s.source for s in self.sources if s.status == "not checked"]

    @property
    def ok(self) -> bool:
        return not (any(q.found is False for q in self.quotes)
                    or any(s.status == "sha256 mismatch" for s in self.sources)
                    or self.numbers or self.contradictions)


def check_sources(sc: Scenario, docs: Sequence[Path | str] = ()) -> SourcesReport:
    """Check a scenario's sources against local copies in `docs`, its quotes, the numbers
    its quote-only bases stand for, and its dated claims."""
    sources, quotes = check_quotes(sc, docs)
    texts = {}
    for s in sources:
        if s.status == "checked" and s.path is not None:
            texts[s.source] = read_text(s.path, what="source document", limit=DOCUMENT_LIMIT)
    return SourcesReport(tuple(sources), tuple(quotes), tuple(number_problems(sc)),
                         tuple(dated_contradictions(sc, texts)))
