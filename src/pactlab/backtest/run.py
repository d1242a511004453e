"""Run a backtest: every method's prediction for every case, scored against its outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pactlab.analysis.analyze import analyze
from pactlab.backtest.cases import load_cases
from pactlab.backtest.methods import (
    FORECASTS,
    NEGOTIATION_ROUNDS,
    NEGOTIATION_SEEDS,
    NEGOTIATION_STRATEGIES,
    forecast_predictions,
    load_case_stakeholders,
    negotiation_prediction,
    solution_predictions,
)
from pactlab.backtest.results import Backtest, CaseResult, MethodResult, pool
from pactlab.backtest.scoring import Prediction, score, split, status_quo
from pactlab.model.schema import Scenario

Progress = Callable[[int, int], None]
BASELINES = ("status_quo", "split")


def backtest_case(sc: Scenario) -> CaseResult:
    """Score every applicable method and both baselines on one case."""
    if sc.outcome is None:
        raise ValueError(f"scenario {sc.id!r} has no [outcome]")
    analysis = analyze(sc)
    predictions: dict[str, Prediction] = dict(solution_predictions(sc, analysis))
    predictions["negotiation"] = negotiation_prediction(sc)
    sh = load_case_stakeholders(sc)
    if sh is not None:
        predictions |= forecast_predictions(sc, sh, FORECASTS)
    predictions["status_quo"] = status_quo(sc)
    predictions["split"] = split(sc)
    return CaseResult(
        id=sc.id,
        title=sc.title,
        as_of=sc.as_of,
        outcome_date=sc.outcome.date,
        agreement=sc.outcome.agreement,
        actual=dict(sc.outcome.values),
        deal_possible=analysis.zopa.exists,
        methods={name: MethodResult.of(p, score(sc, p)) for name, p in predictions.items()},
    )


def backtest(cases: Sequence[str | Path | Scenario] = (), *,
             progress: Progress | None = None) -> Backtest:
    """Backtest built-in ids, files, folders or loaded scenarios (default: the library).

    Cases without an `[outcome]` are skipped (listed in `Backtest.skipped`); a
    `BacktestError` is raised when none is left.
    """
    from pactlab.backtest.cases import library

    loaded = [c for c in cases if isinstance(c, Scenario)]
    named = [c for c in cases if not isinstance(c, Scenario)]
    skipped: list[str] = []
    if named or not loaded:
        more, skipped = load_cases(named or library())
        loaded += more
    results = []
    for n, sc in enumerate(loaded):
        results.append(backtest_case(sc))
        if progress is not None:
            progress(n + 1, len(loaded))
    return Backtest(
        cases=tuple(results),
        summary=pool(results),
        summary_forecast_issues=pool(results, forecast_issues=True),
        skipped=tuple(skipped),
        settings={
            "negotiation": {"strategies": list(NEGOTIATION_STRATEGIES),
                            "seeds": list(NEGOTIATION_SEEDS), "rounds": NEGOTIATION_ROUNDS},
        },
    )
