"""Probabilistic scores: how well the spread of a method's predictions under uncertainty
covers what happened.

The distribution of each bargaining solution comes from a sweep of the case
(`pactlab.sweep`, target `analyze`) over its `[[uncertain]]` priors and/or the
`--noise` priors. Scores, per case and method:

* interval coverage: whether the actual value of a numeric issue lies in the central
  50, 80 and 90% intervals of the sampled predictions;
* CRPS of a numeric issue, estimated from the samples (Gneiting and Raftery 2007,
  eq. 21: E|X − y| − ½ E|X − X'|) and divided by the issue's range, so that it is in
  the units of the point error and equals it for a point forecast;
* log score of a categorical issue: −ln p(actual), p being the share of samples
  predicting it with Jeffreys smoothing ((count + ½) / (n + K/2), K options), so that
  an outcome no sample predicted costs a finite penalty;
* Brier score of P(deal possible) (the share of samples whose individually rational
  set is not empty) against `outcome.agreement`.

A sample in which a solution does not exist predicts no deal: its numeric issues
stay at the status quo, its categorical ones too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from pactlab.backtest.methods import SOLUTIONS
from pactlab.model.schema import Scenario

COVERAGES = (50, 80, 90)


def crps(samples: np.ndarray, actual: float) -> float:
    """Continuous ranked probability score of an ensemble (unscaled, lower is better)."""
    x = np.sort(np.asarray(samples, dtype=float))
    n = len(x)
    # E|X − X'| from the sorted sample in O(n log n): Σ_i (2i − n − 1) x_(i) · 2 / n²
    spread = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * n)
    return float(np.mean(np.abs(x - actual)) - 0.5 * spread)


def covered(samples: np.ndarray, actual: float) -> dict[str, bool]:
    """Whether `actual` lies in each central interval (50, 80, 90%) of the samples."""
    out = {}
    for c in COVERAGES:
        lo, hi = np.quantile(samples, [0.5 - c / 200, 0.5 + c / 200])
        out[str(c)] = bool(lo - 1e-12 <= actual <= hi + 1e-12)
    return out


def log_score(labels: np.ndarray, options: list, actual: str) -> float:
    """−ln of the Jeffreys-smoothed share of samples predicting `actual`."""
    count = float(np.sum(labels == actual))
    return float(-np.log((count + 0.5) / (len(labels) + 0.5 * len(options))))


def brier(p: float, happened: bool) -> float:
    return float((p - float(happened)) ** 2)


def probabilistic_scores(sc: Scenario, *, samples: int, seed: int, noise: str | None,
                         progress: Callable[[int, int], None] | None = None
                         ) -> dict[str, Any] | None:
    """Sweep a case and score each solution's distribution; None when nothing is uncertain
    (no `[[uncertain]]` in the file and no `noise`)."""
    from pactlab.sweep import sweep

    if sc.outcome is None or sc.origin is None or (not sc.uncertain and not noise):
        return None
    res = sweep(sc.origin, "analyze", samples=samples, seed=seed, noise=noise, workers=1,
                progress=progress)
    out = res.to_dict()
    p_deal = float(out["p_deal_possible"])
    methods = {}
    for name in SOLUTIONS:
        issues: dict[str, dict[str, Any]] = {}
        labels = res.outcome_labels(name)
        for i, iid in enumerate(res.layout.issue_ids):
            if iid not in sc.outcome.values:
                continue
            issue = sc.issue(iid)
            actual = sc.outcome.values[iid]
            if issue.is_numeric:
                x = res.prediction(name, i)
                x = x[~np.isnan(x)]
                if len(x) == 0:
                    continue
                grid = [float(v) for v in issue.labels()]
                width = (max(grid) - min(grid)) or 1.0
                issues[iid] = {"crps": crps(x, float(actual)) / width,
                               "covered": covered(x, float(actual))}
            else:
                sq = np.array([issue.status_quo], dtype=object)
                drawn = np.where(labels[iid] == None, sq, labels[iid])  # noqa: E711
                issues[iid] = {"log_score": log_score(drawn, issue.labels(), str(actual))}
        methods[name] = {"issues": issues, **_means(issues)}
    return {"samples": res.samples, "noise": noise, "uncertain": len(sc.uncertain),
            "p_deal_possible": p_deal, "brier": brier(p_deal, sc.outcome.agreement),
            "methods": methods}


def _means(issues: dict[str, dict[str, Any]]) -> dict[str, Any]:
    numeric = [v for v in issues.values() if "crps" in v]
    categorical = [v["log_score"] for v in issues.values() if "log_score" in v]
    return {
        "crps": float(np.mean([v["crps"] for v in numeric])) if numeric else None,
        "coverage": ({str(c): float(np.mean([v["covered"][str(c)] for v in numeric]))
                      for c in COVERAGES} if numeric else None),
        "log_score": float(np.mean(categorical)) if categorical else None,
    }


def pool_probabilistic(cases: list) -> dict[str, Any] | None:
    """Per solution, the mean over cases of CRPS, interval coverage and log score, and the
    mean Brier score of P(deal possible); None when no case had a distribution."""
    scored = [c.probabilistic for c in cases if c.probabilistic is not None]
    if not scored:
        return None

    def mean(values: list) -> float | None:
        values = [v for v in values if v is not None]
        return float(np.mean(values)) if values else None

    methods = {}
    for name in SOLUTIONS:
        rows = [p["methods"][name] for p in scored]
        coverage = [r["coverage"] for r in rows if r["coverage"] is not None]
        methods[name] = {
            "crps": mean([r["crps"] for r in rows]),
            "coverage": ({str(c): mean([cv[str(c)] for cv in coverage]) for c in COVERAGES}
                         if coverage else None),
            "log_score": mean([r["log_score"] for r in rows]),
        }
    return {"cases": len(scored), "brier": mean([p["brier"] for p in scored]),
            "methods": methods}
