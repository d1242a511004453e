"""Checks that need the whole scenario: unique ids, and every reference names something real.

Each check yields `(key_path, message)` so that the loader can say exactly
which key of which file is wrong.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from pactlab.errors import listing
from pactlab.model.basis import Basis
from pactlab.model.labels import LABEL_TOLERANCE, as_number, label_key, same_number
from pactlab.model.outcome import outcome_problems
from pactlab.model.problems import suggest
from pactlab.model.schema import (
    AffineValue,
    Issue,
    LinearValue,
    Party,
    PiecewiseValue,
    Scenario,
    TableValue,
)

Problem = tuple[str, str]
SCALE_TOLERANCE = 1e-9


def assumed_defaults(sc: Scenario) -> Iterator[Problem]:
    """Warnings: values the scenario leaves to a default that changes results (no reservation).

    A party without `reservation` gets 0, the documented default: it would accept
    any outcome rather than none, which is rarely what was meant.
    """
    for p, party in enumerate(sc.parties):
        if "reservation" not in party.model_fields_set:
            yield (f"parties[{p}].reservation",
                   f"not given; 0 is assumed ({party.id!r} accepts any outcome over no deal)")


def find_problems(sc: Scenario) -> Iterator[Problem]:
    """Every cross-reference problem of a scenario, in file order."""
    yield from _unique("sources", [s.id for s in sc.sources])
    yield from _unique("issues", sc.issue_ids)
    yield from _unique("parties", sc.party_ids)
    issues = {i.id: i for i in sc.issues}
    source_ids = {s.id for s in sc.sources}
    for i, issue in enumerate(sc.issues):
        yield from _basis(f"issues[{i}].basis", issue.basis, source_ids)
    for p, party in enumerate(sc.parties):
        yield from _party(f"parties[{p}]", party, issues, source_ids)
    yield from outcome_problems(sc)


def _unique(key: str, ids: list[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for n, ident in enumerate(ids):
        if ident in seen:
            yield f"{key}[{n}].id", f"duplicate id {ident!r}: ids must be unique"
        seen.add(ident)


def _basis(key: str, basis: Basis | None, source_ids: set[str]) -> Iterator[Problem]:
    if basis is not None and basis.source is not None and basis.source not in source_ids:
        yield (
            f"{key}.source",
            f"unknown source {basis.source!r}; expected one of {sorted(source_ids)} "
            "(declare it in [[sources]])",
        )


def _unknown_issue(key: str, issue_id: str, issues: dict[str, Issue]) -> Iterator[Problem]:
    if issue_id not in issues:
        yield key, f"unknown issue {issue_id!r}{suggest(issue_id, list(issues))}"


def _party(
    key: str, party: Party, issues: dict[str, Issue], source_ids: set[str]
) -> Iterator[Problem]:
    yield from _basis(f"{key}.basis", party.basis, source_ids)
    yield from _basis(f"{key}.weights_basis", party.weights_basis, source_ids)
    low, high = party.utility_scale()
    if not low - SCALE_TOLERANCE <= party.reservation <= high + SCALE_TOLERANCE:
        yield (f"{key}.reservation",
               f"{party.reservation:g} is off {party.id!r}'s utility scale [{low:g}, {high:g}] "
               "(utilities are Σ weight·value on [0, 1], plus interactions; a larger scale needs "
               "utility = { weights = \"as-written\" } with larger weights)")
    for issue_id in party.weights:
        yield from _unknown_issue(f"{key}.weights.{issue_id}", issue_id, issues)
    for issue_id, fn in party.values.items():
        here = f"{key}.values.{issue_id}"
        if issue_id not in issues:
            yield from _unknown_issue(here, issue_id, issues)
            continue
        yield from _basis(f"{here}.basis", fn.basis, source_ids)
        yield from _value_covers(here, fn, issues[issue_id])
    for issue_id, weight in party.weights.items():
        if weight > 0 and issue_id in issues and issue_id not in party.values:
            yield (
                f"{key}.values.{issue_id}",
                f"missing value function for issue {issue_id!r}, which has weight {weight:g}",
            )
    for n, limit in enumerate(party.limits):
        here = f"{key}.limits[{n}]"
        yield from _basis(f"{here}.basis", limit.basis, source_ids)
        if limit.issue not in issues:
            yield from _unknown_issue(f"{here}.issue", limit.issue, issues)
            continue
        issue = issues[limit.issue]
        if issue.is_numeric and limit.allowed is not None:
            yield f"{here}.allowed", f"issue {issue.id!r} is numeric: use 'min'/'max'"
        if not issue.is_numeric:
            if limit.allowed is None:
                yield f"{here}", f"issue {issue.id!r} is categorical: use 'allowed = [...]'"
            else:
                yield from _known_options(f"{here}.allowed", limit.allowed, issue)
    for n, inter in enumerate(party.interactions):
        here = f"{key}.interactions[{n}]"
        yield from _basis(f"{here}.basis", inter.basis, source_ids)
        for issue_id, cond in inter.when.items():
            where = f"{here}.when.{issue_id}"
            if issue_id not in issues:
                yield from _unknown_issue(where, issue_id, issues)
                continue
            yield from _condition(where, cond, issues[issue_id])


def _value_covers(key: str, fn: object, issue: Issue) -> Iterator[Problem]:
    if isinstance(fn, LinearValue | PiecewiseValue | AffineValue) and not issue.is_numeric:
        yield (
            f"{key}.kind",
            f"a {fn.kind!r} value needs a numeric issue; {issue.id!r} has options "
            f"{listing(issue.options or [])}: use kind = \"table\"",
        )
    if isinstance(fn, TableValue):
        labels = issue.labels()
        keys = table_keys(fn.table, labels)
        missing = [label_key(lab) for lab, k in zip(labels, keys, strict=True) if k is None]
        matched = set(keys)
        extra = [k for k in fn.table if k not in matched]
        if missing:
            yield (f"{key}.table",
                   f"no value for option(s) {listing(missing)} of issue {issue.id!r}")
        if extra:
            shown = listing(label_key(lab) for lab in labels)
            yield (f"{key}.table",
                   f"unknown option(s) {listing(extra)}; issue {issue.id!r} has {shown}")


def table_keys(table: dict[str, float], labels: list[float | str]) -> list[str | None]:
    """For each option, the table key naming it (None if none does).

    Categorical options are named as they are; a numeric option by any key that
    reads as the same number ("1", "1.0", "1e0"). Linear in the options and keys
    (a sort and a binary search), so that issues with a million options validate fast.
    """
    numbers = sorted((x, k) for k in table if (x := as_number(k)) is not None)
    xs = [x for x, _ in numbers]
    out: list[str | None] = []
    for lab in labels:
        if isinstance(lab, str):
            out.append(lab if lab in table else None)
            continue
        at = bisect.bisect_left(xs, lab - LABEL_TOLERANCE * max(1.0, abs(lab)))
        match = at < len(xs) and same_number(xs[at], lab)
        out.append(numbers[at][1] if match else None)
    return out


def _known_options(key: str, names: list[Any], issue: Issue) -> Iterator[Problem]:
    labels = issue.labels()
    known = set(labels)
    unknown = [n for n in names if n not in known]
    if unknown:
        yield key, (f"unknown option(s) {listing(unknown)} of issue {issue.id!r}; expected "
                    f"some of {listing(labels)}")


def _condition(key: str, cond: list[Any], issue: Issue) -> Iterator[Problem]:
    if issue.is_numeric:
        if len(cond) != 2 or not all(isinstance(c, int | float) for c in cond):
            yield key, f"numeric issue {issue.id!r}: expected an inclusive range [low, high]"
        elif cond[0] > cond[1]:
            yield key, f"range [{cond[0]}, {cond[1]}] has low above high"
        elif not any(cond[0] - 1e-9 <= x <= cond[1] + 1e-9 for x in issue.labels()):
            shown = listing(label_key(x) for x in issue.labels())
            yield key, (f"range [{cond[0]}, {cond[1]}] holds no option of issue {issue.id!r} "
                        f"({shown}): the condition can never hold")
    elif not all(isinstance(c, str) for c in cond):
        yield key, f"categorical issue {issue.id!r}: expected a list of option names"
    else:
        yield from _known_options(key, cond, issue)

