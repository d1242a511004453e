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
from pactlab.backtest.probabilistic import pool_probabilistic, probabilistic_scores
from pactlab.backtest.results import Backtest, CaseResult, MethodResult, pool
from pactlab.backtest.scoring import Prediction, score, split, status_quo
from pactlab.errors import BacktestError
from pactlab.model.schema import Scenario

Progress = Callable[[int, int], None]
BASELINES = ("status_quo", "split")
DEFAULT_SAMPLES = 100


def backtest_case(sc: Scenario, *, noise: str | None = None, samples: int = DEFAULT_SAMPLES,
                  seed: int = 0) -> CaseResult:
    """Score every applicable method and both baselines on one case; with uncertainty
    (the case's `[[uncertain]]` priors or `noise`), also the probabilistic scores."""
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
        probabilistic=probabilistic_scores(sc, samples=samples, seed=seed, noise=noise),
    )


def backtest(cases: Sequence[str | Path | Scenario] = (), *, noise: str | None = None,
             samples: int = DEFAULT_SAMPLES, seed: int = 0,
             progress: Progress | None = None) -> Backtest:
    """Backtest built-in ids, files, folders or loaded scenarios (default: the library).

    Cases without an `[outcome]` are skipped (listed in `Backtest.skipped`); a
    `BacktestError` is raised when none is left. `noise` (``weights=0.3,reservations=0.05``,
    as for `pactlab sweep`) and each case's `[[uncertain]]` priors give the distributions
    of the probabilistic scores (`samples` draws, `seed`).
    """
    from pactlab.backtest.cases import library

    loaded = [c for c in cases if isinstance(c, Scenario)]
    named = [c for c in cases if not isinstance(c, Scenario)]
    skipped: list[str] = []
    if named or not loaded:
        more, skipped = load_cases(named or library())
        loaded += more
    results = []
    if samples < 2:
        raise BacktestError(f"--samples must be at least 2, got {samples}")
    for n, sc in enumerate(loaded):
        results.append(backtest_case(sc, noise=noise, samples=samples, seed=seed))
        if progress is not None:
            progress(n + 1, len(loaded))
    return Backtest(
        cases=tuple(results),
        summary=pool(results),
        summary_forecast_issues=pool(results, forecast_issues=True),
        summary_probabilistic=pool_probabilistic(results),
        skipped=tuple(skipped),
        settings={
            "noise": noise, "samples": samples, "seed": seed,
            "negotiation": {"strategies": list(NEGOTIATION_STRATEGIES),
                            "seeds": list(NEGOTIATION_SEEDS), "rounds": NEGOTIATION_ROUNDS},
        },
    )
