"""What a backtest reports: per case and method the prediction and its errors, and the
pooled, ranked summary. Every type follows the `pactlab.result` protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pactlab.backtest.scoring import Prediction, Score
from pactlab.model.labels import Label
from pactlab.result import Result


@dataclass(frozen=True)
class MethodResult(Result):
    """One method on one case: what it predicted and how far that was from the outcome.

    `error` is the mean of `issues` (per-issue errors); `agreement_error` is 0 when the
    method called deal or no deal right, 1 when wrong, None when it makes no such call.
    """

    error: float | None
    issues: dict[str, float]
    agreement_error: float | None
    predicted: dict[str, Label]
    predicted_agreement: bool | None

    @classmethod
    def of(cls, prediction: Prediction, score: Score) -> MethodResult:
        return cls(error=score.error, issues=dict(score.issues),
                   agreement_error=score.agreement_error, predicted=dict(prediction.outcome),
                   predicted_agreement=prediction.agreement)


@dataclass(frozen=True)
class CaseResult(Result):
    """Every method scored on one case."""

    id: str
    title: str
    as_of: str | None
    outcome_date: str
    agreement: bool  # what happened
    actual: dict[str, Label]
    deal_possible: bool  # the model's individually rational set is not empty
    methods: dict[str, MethodResult]
    probabilistic: dict[str, Any] | None = None


@dataclass(frozen=True)
class SummaryRow(Result):
    """A method pooled over cases: the mean of its case errors."""

    method: str
    error: float | None
    cases: int
    agreement_error: float | None
    agreement_cases: int


@dataclass(frozen=True)
class Backtest(Result):
    """A backtest over cases.

    `summary` maps each method to its pooled row, ranked (lowest error first);
    `summary_forecast_issues` scores every method on the issues the stakeholder
    forecasts cover, in the cases that have a stakeholder set (like for like).
    `records()` / `to_frame()` give the ranked summary, one row per method.
    """

    tabular = "ranking"

    cases: tuple[CaseResult, ...]
    summary: dict[str, SummaryRow]
    summary_forecast_issues: dict[str, SummaryRow] = field(default_factory=dict)
    # per solution: mean CRPS, coverage, log score over the cases with a distribution
    summary_probabilistic: dict[str, Any] | None = None
    skipped: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def ranking(self) -> list[SummaryRow]:
        return list(self.summary.values())


def pool(cases: tuple[CaseResult, ...] | list[CaseResult], *, forecast_issues: bool = False
         ) -> dict[str, SummaryRow]:
    """Mean case error per method over the cases it was scored on, ranked (lowest first,
    methods without any score last).

    With `forecast_issues`, only cases with a stakeholder forecast count, and every method
    is scored there on the issues that forecast covers: the like-for-like comparison of
    the stakeholder models with the bargaining solutions and the baselines.
    """
    names = list(dict.fromkeys(name for c in cases for name in c.methods))
    rows = []
    for name in names:
        errors, deals = [], []
        for case in cases:
            method = case.methods.get(name)
            if method is None:
                continue
            subset = _forecast_issues(case) if forecast_issues else None
            if forecast_issues and not subset:
                continue
            parts = [e for iid, e in method.issues.items() if subset is None or iid in subset]
            if parts:
                errors.append(float(np.mean(parts)))
            if method.agreement_error is not None:
                deals.append(method.agreement_error)
        rows.append(SummaryRow(
            method=name,
            error=float(np.mean(errors)) if errors else None,
            cases=len(errors),
            agreement_error=float(np.mean(deals)) if deals else None,
            agreement_cases=len(deals),
        ))
    rows.sort(key=lambda r: (r.error is None, r.error or 0.0))
    return {r.method: r for r in rows}


def _forecast_issues(case: CaseResult) -> set[str]:
    """The issues a case's stakeholder forecasts were scored on (empty without a set)."""
    from pactlab.backtest.methods import FORECASTS

    scored = [set(case.methods[m].issues) for m in FORECASTS if m in case.methods]
    return set.union(*scored) if scored else set()
