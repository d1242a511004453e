"""Which uncertain numbers drive the answer: Sobol' indices and a one-at-a-time tornado.

Variance-based indices (Sobol' 2001, estimated by Saltelli's scheme with SALib): the
first-order index of a number is the share of an output's variance it explains alone,
the total-order index the share it explains with all its interactions. They need the
Saltelli design (`pactlab.sweep.design.saltelli_design`). The tornado moves one number
at a time to its prior's 5% and 95% quantiles, the others held at their medians, and
reports the output at each end and the swing between them.

Outputs: each numeric issue's predicted value (the Nash solution for the analysis target,
the agreement for negotiations; the status quo where there is none), the indicator of a
possible deal or an agreement (its mean is the probability), the value of linkage per
party, each forecast dimension.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from pactlab.sweep.result import SweepResult

TORNADO_LOW, TORNADO_HIGH = 0.05, 0.95


def outputs(result: SweepResult) -> dict[str, np.ndarray]:
    """The scalar outputs sensitivity is measured on, one value per sample."""
    lay, cols = result.layout, result.columns
    out: dict[str, np.ndarray] = {}
    if lay.target in ("analyze", "negotiate"):
        prefix = "nash" if lay.target == "analyze" else "negotiation"
        for i, iid in enumerate(lay.issue_ids):
            if lay.numeric[i]:
                y = result.prediction(prefix, i)
                if not np.isnan(y).any():
                    out[f"{prefix}.{iid}"] = y
        if lay.target == "analyze":
            out["p_deal_possible"] = cols["zopa"].astype(float)
        else:
            out["p_agreement"] = cols["agreement"].astype(float)
    elif lay.target == "linkage":
        for p in lay.party_ids:
            out[f"gain.{p}"] = np.nan_to_num(cols[f"gain.{p}"], nan=0.0)
    else:
        for d in lay.dimensions:
            out[f"forecast.{d}"] = cols[f"forecast.{d}"]
    return out


def sobol_indices(result: SweepResult, seed: int) -> dict[str, Any]:
    """First- and total-order indices of each prior on each output (SALib, Saltelli design)."""
    from SALib.analyze import sobol

    paths = list(result.layout.prior_paths)
    problem = {"num_vars": len(paths), "names": paths, "bounds": [[0, 1]] * len(paths)}
    out: dict[str, Any] = {}
    for name, y in outputs(result).items():
        if np.ptp(y) == 0:
            out[name] = {"first": dict.fromkeys(paths), "total": dict.fromkeys(paths),
                         "note": "constant output: no variance to apportion"}
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            si = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        out[name] = {
            "first": dict(zip(paths, map(_clean, si["S1"]), strict=True)),
            "total": dict(zip(paths, map(_clean, si["ST"]), strict=True)),
            "first_conf": dict(zip(paths, map(_clean, si["S1_conf"]), strict=True)),
            "total_conf": dict(zip(paths, map(_clean, si["ST_conf"]), strict=True)),
        }
    return out


def _clean(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def tornado_design(d: int) -> np.ndarray:
    """2·d unit rows: prior j at its 5% then 95% quantile, the others at their medians."""
    u = np.full((2 * d, d), 0.5)
    for j in range(d):
        u[2 * j, j], u[2 * j + 1, j] = TORNADO_LOW, TORNADO_HIGH
    return u


def tornado(result: SweepResult, evaluate: Callable[[np.ndarray], SweepResult]
            ) -> dict[str, list[dict[str, Any]]]:
    """Per output, the priors ranked by the swing of the one-at-a-time runs.

    `evaluate` runs the target on unit rows and returns a result of the same layout.
    """
    paths = list(result.layout.prior_paths)
    oat = evaluate(tornado_design(len(paths)))
    out: dict[str, list[dict[str, Any]]] = {}
    for name, y in outputs(oat).items():
        rows = [{"path": p, "low": float(y[2 * j]), "high": float(y[2 * j + 1]),
                 "swing": float(abs(y[2 * j + 1] - y[2 * j]))} for j, p in enumerate(paths)]
        out[name] = sorted(rows, key=lambda r: -r["swing"])
    return out


def top_drivers(sensitivity: dict[str, Any], output: str, n: int = 5) -> list[tuple[str, float]]:
    """The `n` priors with the largest total-order index on one output."""
    total = sensitivity.get("sobol", {}).get(output, {}).get("total", {})
    ranked = sorted(((p, v) for p, v in total.items() if v is not None), key=lambda t: -t[1])
    return ranked[:n]


# --- forecasts: which actor's capability or salience decides ---------------------------

FORECAST_STEP = 0.10
FORECAST_BASE = 32  # Saltelli base samples: N·(D + 2) model runs for D inputs


def describe_forecast(step: float = FORECAST_STEP) -> str:
    """What `forecast --sensitivity` does to each input, in words (for table titles)."""
    pct = f"{100 * step:g}%"
    return (f"every capability and salience uniform within ±{pct} (saliences clipped to "
            "[0, 1]; an input at 0 up to "
            f"{pct} of the mean capability or a salience of {step:g})")


def stakeholder_priors(sh: Any, step: float = FORECAST_STEP) -> list[Any]:
    """Uniform ±`step` (relative) priors on every capability and salience of a table."""
    from pactlab.model.basis import Basis
    from pactlab.model.priors import Uncertain

    basis = Basis(assumption=f"forecast --sensitivity: ±{100 * step:g}% around the table")
    mean_cap = float(np.mean(sh.capability))
    out = []
    for k, actor in enumerate(sh.actors):
        cap = float(sh.capability[k])
        lo, hi = (cap * (1 - step), cap * (1 + step)) if cap > 0 else (0.0, step * mean_cap)
        out.append(Uncertain(path=f"actors.{actor}.capability", dist="uniform",
                             params=[lo, hi], basis=basis))
        for d, dim in enumerate(sh.dimensions):
            s = float(sh.salience[k, d])
            lo, hi = (s * (1 - step), s * (1 + step)) if s > 0 else (0.0, step)
            out.append(Uncertain(path=f"actors.{actor}.salience.{dim.id}", dist="uniform",
                                 params=[lo, hi], basis=basis))
    return out


def forecast_ranking(result: SweepResult) -> list[dict[str, Any]]:
    """Each input's tornado swing and share of the forecast's variance, largest swing first.

    `swing` sums over dimensions the tornado's |forecast at 95% − forecast at 5%| in
    fractions of each dimension's range (deterministic, so it ranks); `total` and `first`
    are the Sobol' indices averaged over the dimensions, clipped to [0, 1], and
    `total_conf` their mean 95% confidence half-width: with the small default design and
    a forecast that jumps between positions they are rough, and say so. `low` and `high`
    are the input's 5% and 95% quantiles.
    """
    sens = result.sensitivity or {}
    sobol, torn = sens.get("sobol", {}), sens.get("tornado", {})
    sh_widths = result.meta.get("widths", {})
    rows = []
    for j, path in enumerate(result.layout.prior_paths):
        _, actor, parameter = path.split(".", 2)
        totals = [e["total"][path] for e in sobol.values() if e["total"][path] is not None]
        firsts = [e["first"][path] for e in sobol.values() if e["first"][path] is not None]
        confs = [e["total_conf"][path] for e in sobol.values()
                 if e.get("total_conf", {}).get(path) is not None]
        swing = sum(next(r["swing"] for r in rows_ if r["path"] == path)
                    / sh_widths.get(out, 1.0) for out, rows_ in torn.items())
        low, high = result.meta["priors"][j]["quantiles"]
        rows.append({"actor": actor, "parameter": parameter, "low": low, "high": high,
                     "swing": swing,
                     "total": float(np.clip(np.mean(totals), 0, 1)) if totals else 0.0,
                     "total_conf": float(np.mean(confs)) if confs else None,
                     "first": float(np.clip(np.mean(firsts), 0, 1)) if firsts else 0.0})
    return sorted(rows, key=lambda r: (-r["swing"], -r["total"]))
