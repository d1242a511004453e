"""Figures of backtests: each method's error against the naive baselines."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pactlab.backtest.results import Backtest, CaseResult
from pactlab.backtest.run import BASELINES
from pactlab.report.figures import register
from pactlab.report.style import FRONTIER, INFEASIBLE, esc, layout


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
    """Pooled error per method against the baselines, and every case's error per method."""
    rows = [r for r in result.ranking if r.error is not None]
    methods = [r.method for r in rows]
    cases = [c.id for c in result.cases]
    grid = np.full((len(cases), len(methods)), np.nan)
    for i, case in enumerate(result.cases):
        for j, m in enumerate(methods):
            mr = case.methods.get(m)
            if mr is not None and mr.error is not None:
                grid[i, j] = mr.error
    fig = make_subplots(rows=2, cols=1, row_heights=[0.4, 0.6], vertical_spacing=0.14,
                        subplot_titles=("mean error over cases (grey: baselines)",
                                        "error per case"))
    fig.add_trace(go.Bar(x=[esc(m) for m in methods], y=[r.error for r in rows],
                         marker={"color": _shades(methods)}, name="pooled error",
                         hovertext=[f"{r.cases} cases" for r in rows], hoverinfo="text+y"),
                  row=1, col=1)
    fig.add_trace(go.Heatmap(z=grid, x=[esc(m) for m in methods], y=[esc(c) for c in cases],
                             colorscale="Reds", zmin=0, zmax=1, name="error",
                             colorbar={"title": {"text": "error"}, "len": 0.55, "y": 0.28}),
                  row=2, col=1)
    return layout(fig, f"Backtest over {len(cases)} cases", height=460 + 24 * len(cases))
