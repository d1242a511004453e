"""Figures of backtests: each method's error against the naive baselines and, when the
cases carried priors, how often each solution's intervals held the recorded outcome."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pactlab.backtest.probabilistic import COVERAGES
from pactlab.backtest.results import Backtest, CaseResult
from pactlab.backtest.run import BASELINES
from pactlab.report.figures import register
from pactlab.report.style import FRONTIER, INFEASIBLE, SOLUTION_NAMES, colour, esc, layout


def _shades(methods: list[str]) -> list[str]:
    return [INFEASIBLE if m in BASELINES else FRONTIER for m in methods]


@register("CaseResult")
def case_figure(result: CaseResult) -> go.Figure:
    """Each method's error on one case, best first; the baselines in grey."""
    scored = sorted(((m, r.error) for m, r in result.methods.items() if r.error is not None),
                    key=lambda mr: mr[1])
    names = [m for m, _ in scored]
    fig = go.Figure(go.Bar(
        x=[esc(m) for m in names], y=[e for _, e in scored], marker={"color": _shades(names)},
        hovertext=[esc(", ".join(f"{k}: {v:.3f}" for k, v in result.methods[m].issues.items()))
                   for m in names], hoverinfo="text+y",
        name="error"))
    fig.update_yaxes(title_text="error (0 = exact; 1 = a whole range or a miss)")
    return layout(fig, f"{result.id}: error per method (grey: baselines)", height=420)


@register("Backtest")
def backtest_figure(result: Backtest) -> go.Figure:
    """Pooled error per method against the baselines, every case's error per method and,
    when the backtest scored distributions, each solution's interval coverage.

    The coverage panel is a calibration plot: a solution whose 80% intervals hold the
    recorded outcome in 80% of the numeric issues lies on the diagonal; below it, its
    intervals are too narrow (overconfident), above it too wide.
    """
    rows = [r for r in result.ranking if r.error is not None]
    methods = [r.method for r in rows]
    cases = [c.id for c in result.cases]
    grid = np.full((len(cases), len(methods)), np.nan)
    for i, case in enumerate(result.cases):
        for j, m in enumerate(methods):
            mr = case.methods.get(m)
            if mr is not None and mr.error is not None:
                grid[i, j] = mr.error
    coverage = _coverage(result)
    titles = ["mean error over cases (grey: baselines)", "error per case"]
    heights = [0.4, 0.6]
    if coverage:
        titles.append("interval coverage: share of recorded outcomes inside the interval")
        heights = [0.27, 0.43, 0.3]
    fig = make_subplots(rows=len(titles), cols=1, row_heights=heights, vertical_spacing=0.1,
                        subplot_titles=titles)
    fig.add_trace(go.Bar(x=[esc(m) for m in methods], y=[r.error for r in rows],
                         marker={"color": _shades(methods)}, name="pooled error",
                         hovertext=[f"{r.cases} cases" for r in rows], hoverinfo="text+y"),
                  row=1, col=1)
    fig.add_trace(go.Heatmap(z=grid, x=[esc(m) for m in methods], y=[esc(c) for c in cases],
                             colorscale="Reds", zmin=0, zmax=1, name="error",
                             colorbar={"title": {"text": "error"}, "len": 0.4, "y": 0.5}),
                  row=2, col=1)
    if coverage:
        _add_coverage(fig, coverage, row=3)
    height = 460 + 24 * len(cases) + (320 if coverage else 0)
    return layout(fig, f"Backtest over {len(cases)} cases", height=height)


def _coverage(result: Backtest) -> dict[str, tuple[list[float], float | None]]:
    """Per solution with numeric issues scored: observed coverage at each nominal level
    (in `COVERAGES` order) and its mean range-scaled CRPS."""
    pooled = result.summary_probabilistic or {}
    out = {}
    for name, scores in pooled.get("methods", {}).items():
        if scores.get("coverage"):
            out[name] = ([scores["coverage"][str(c)] for c in COVERAGES], scores.get("crps"))
    return out


def _add_coverage(fig: go.Figure, coverage: dict[str, tuple[list[float], float | None]],
                  *, row: int) -> None:
    nominal = [c / 100 for c in COVERAGES]
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="calibrated",
                             line={"color": INFEASIBLE, "dash": "dot"}, hoverinfo="skip"),
                  row=row, col=1)
    for k, (name, (observed, crps)) in enumerate(coverage.items()):
        label = SOLUTION_NAMES.get(name, name)
        note = f"mean CRPS / range {crps:.3f}" if crps is not None else "no CRPS"
        fig.add_trace(go.Scatter(
            x=nominal, y=observed, mode="lines+markers", name=esc(label),
            line={"color": colour(k)},
            hovertext=[f"{esc(label)}: {c}% intervals held {o:.0%} of outcomes; {note}"
                       for c, o in zip(COVERAGES, observed, strict=True)],
            hoverinfo="text"), row=row, col=1)
    fig.update_xaxes(title_text="nominal coverage", range=[0, 1], tickformat=".0%",
                     row=row, col=1)
    fig.update_yaxes(title_text="observed", range=[0, 1.02], tickformat=".0%", row=row, col=1)
