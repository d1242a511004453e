"""What a backtest reports: per case and method the prediction and its errors, and the
pooled, ranked summary."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pactlab.backtest.scoring import Prediction, Score


@dataclass(frozen=True)
class MethodResult:
    """One method on one case: what it predicted and how far that was from the outcome."""

    prediction: Prediction
    score: Score

    def to_dict(self) -> dict:
        return {
            "error": self.score.error,
            "issues": dict(self.score.issues),
            "agreement_error": self.score.agreement_error,
            "predicted": dict(self.prediction.outcome),
            "predicted_agreement": self.prediction.agreement,
        }


@dataclass(frozen=True)
class CaseResult:
    """Every method scored on one case."""

    id: str
    title: str
    as_of: str | None
    outcome_date: str
    agreement: bool  # what happened
    actual: dict[str, float | str]
    deal_possible: bool  # the model's individually rational set is not empty
    methods: dict[str, MethodResult]
    probabilistic: dict | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "as_of": self.as_of,
            "outcome_date": self.outcome_date,
            "agreement": self.agreement,
            "actual": dict(self.actual),
            "deal_possible": self.deal_possible,
            "methods": {name: m.to_dict() for name, m in self.methods.items()},
            "probabilistic": self.probabilistic,
        }


@dataclass(frozen=True)
class SummaryRow:
    """A method pooled over cases: the mean of its case errors."""

    method: str
    error: float | None
    cases: int
    agreement_error: float | None
    agreement_cases: int

    def to_dict(self) -> dict:
        return {"error": self.error, "cases": self.cases,
                "agreement_error": self.agreement_error,
                "agreement_cases": self.agreement_cases}


@dataclass(frozen=True)
class Backtest:
    """A backtest over cases; `summary` is ranked, lowest pooled error first."""

    cases: tuple[CaseResult, ...]
    summary: tuple[SummaryRow, ...]
    # every method on the issues the stakeholder forecasts cover (cases with a stakeholder set)
    summary_forecast_issues: tuple[SummaryRow, ...] = ()
    skipped: tuple[str, ...] = ()
    settings: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The `backtest --json` object."""
        return {
            "cases": [c.to_dict() for c in self.cases],
            "summary": {row.method: row.to_dict() for row in self.summary},
            "summary_forecast_issues": {row.method: row.to_dict()
                                        for row in self.summary_forecast_issues},
            "skipped": list(self.skipped),
            "settings": dict(self.settings),
        }


def pool(cases: tuple[CaseResult, ...] | list[CaseResult], *, forecast_issues: bool = False
         ) -> tuple[SummaryRow, ...]:
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
            parts = [e for iid, e in method.score.issues.items()
                     if subset is None or iid in subset]
            if parts:
                errors.append(float(np.mean(parts)))
            if method.score.agreement_error is not None:
                deals.append(method.score.agreement_error)
        rows.append(SummaryRow(
            method=name,
            error=float(np.mean(errors)) if errors else None,
            cases=len(errors),
            agreement_error=float(np.mean(deals)) if deals else None,
            agreement_cases=len(deals),
        ))
    return tuple(sorted(rows, key=lambda r: (r.error is None, r.error or 0.0)))


def _forecast_issues(case: CaseResult) -> set[str]:
    """The issues a case's stakeholder forecasts were scored on (empty without a set)."""
    from pactlab.backtest.methods import FORECASTS

    scored = [set(case.methods[m].score.issues) for m in FORECASTS if m in case.methods]
    return set.union(*scored) if scored else set()
