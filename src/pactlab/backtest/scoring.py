"""Point errors against what happened, and the two naive baselines every method must beat.

The error of a point forecast on one case (DESIGN.md, "What happened, and what
is uncertain") is the mean over scored issues of

* |predicted − actual| / (hi − lo) for a numeric issue, where lo and hi are the
  issue's smallest and largest option — an actual between options or outside
  the range is scored as it is, so an error above 1 means the outcome fell
  outside what the model thought possible;
* 0 (hit) or 1 (miss) for a categorical issue.

An issue is scored when the outcome records it and the method predicts it (a
stakeholder forecast predicts only the issues its dimensions stand for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from pactlab.model.domain import value_of
from pactlab.model.labels import Label
from pactlab.model.schema import Issue, Scenario

# numbers closer than this (relative) count as equal: grids print with 12 digits
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Prediction:
    """What one method predicts for a case: a value per issue, and whether a deal happens.

    `agreement` is None for methods with no notion of a deal (stakeholder forecasts).
    """

    outcome: Mapping[str, Label]
    agreement: bool | None = None


@dataclass(frozen=True)
class Score:
    """A prediction scored against an outcome: the case error and its per-issue parts."""

    error: float | None  # None when no recorded issue is predicted
    issues: dict[str, float]
    agreement_error: float | None  # |predicted − actual| of the deal, 0 or 1


def issue_error(issue: Issue, predicted: Label, actual: Label) -> float:
    """The error of one predicted value: range-scaled distance, or 0/1 for categories.

    An issue with a single numeric option has no range to scale by and is scored
    as hit or miss.
    """
    if not issue.is_numeric:
        return 0.0 if predicted == actual else 1.0
    p, a = float(predicted), float(actual)
    labels = [float(x) for x in issue.labels()]
    width = max(labels) - min(labels)
    if width <= 0.0:
        return 0.0 if abs(p - a) <= TOLERANCE * max(1.0, abs(a)) else 1.0
    return abs(p - a) / width


def score(sc: Scenario, prediction: Prediction, actual: Mapping[str, Label] | None = None,
          agreement: bool | None = None) -> Score:
    """Score a prediction against the scenario's `[outcome]` (or the `actual` given)."""
    if actual is None or agreement is None:
        if sc.outcome is None:
            raise ValueError(f"scenario {sc.id!r} has no [outcome] to score against")
        actual = sc.outcome.values if actual is None else actual
        agreement = sc.outcome.agreement if agreement is None else agreement
    issues = {
        iid: issue_error(sc.issue(iid), prediction.outcome[iid], value)
        for iid, value in actual.items()
        if iid in prediction.outcome
    }
    error = float(np.mean(list(issues.values()))) if issues else None
    deal = None if prediction.agreement is None else float(prediction.agreement != agreement)
    return Score(error=error, issues=issues, agreement_error=deal)


# --- baselines -------------------------------------------------------------------------


def status_quo(sc: Scenario) -> Prediction:
    """Nothing changes: every issue stays at its status quo, and no new deal is made."""
    return Prediction({i.id: i.status_quo for i in sc.issues if i.status_quo is not None},
                      agreement=False)


def split(sc: Scenario) -> Prediction:
    """Split the difference between the parties' favourite options, issue by issue.

    Numeric issue: the mean over the parties that value the issue (a value
    function and a positive weight) of each party's most preferred value, a tie
    counting as the mean of the tied options (an issue nobody values: the mean
    of all options). Categorical issue: the option with the largest unweighted
    sum of the parties' values, ties going to the status quo, then to the first
    option. Predicts a deal.
    """
    return Prediction({issue.id: _split_issue(sc, issue) for issue in sc.issues},
                      agreement=True)


def _split_issue(sc: Scenario, issue: Issue) -> Label:
    labels = issue.labels()
    tables = [
        value_of(party.values[issue.id], labels)
        for party in sc.parties
        if issue.id in party.values and party.weights.get(issue.id, 0.0) > 0.0
    ]
    if issue.is_numeric:
        x = np.asarray(labels, dtype=float)
        if not tables:
            return float(x.mean())
        favourites = [float(x[np.isclose(v, v.max(), rtol=0.0, atol=1e-12)].mean())
                      for v in tables]
        return float(np.mean(favourites))
    total = np.sum(tables, axis=0) if tables else np.zeros(len(labels))
    best = np.flatnonzero(np.isclose(total, total.max(), rtol=0.0, atol=1e-12))
    if issue.status_quo is not None and labels.index(issue.status_quo) in best:
        return issue.status_quo
    return labels[int(best[0])]
