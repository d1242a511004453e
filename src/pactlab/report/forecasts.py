"""Figure of a stakeholder forecast: every actor's position per round, per dimension."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pactlab.forecast.result import ForecastResult
from pactlab.report.figures import register
from pactlab.report.style import colour, esc, layout


@register("ForecastResult")
def forecast_figure(result: ForecastResult) -> go.Figure:
    """One panel per dimension: each actor's position over the rounds (line width by
    capability) and the forecast as a dashed line."""
    sh = result.stakeholders
    dims = sh.dimensions
    fig = make_subplots(rows=len(dims), cols=1, vertical_spacing=0.22 / max(1, len(dims)),
                        subplot_titles=[esc(f"{d.name or d.id}" + (f" ({d.unit})" if d.unit
                                                                  else "")) for d in dims])
    rounds = list(range(result.path.shape[0]))
    cap = sh.capability / sh.capability.max() if sh.capability.max() > 0 else sh.capability
    for d, dim in enumerate(dims):
        for k, actor in enumerate(sh.actors):
            fig.add_trace(go.Scatter(
                x=rounds, y=result.path[:, k, d], mode="lines+markers",
                name=esc(sh.names[k] or actor), legendgroup=actor, showlegend=d == 0,
                line={"color": colour(k), "width": 1 + 3 * float(cap[k])},
                marker={"size": 4},
                hovertemplate=f"{esc(actor)}<br>round %{{x}}: %{{y:.4g}}<extra></extra>"),
                row=d + 1, col=1)
        fig.add_hline(y=float(result.forecast[d]), line={"dash": "dash", "color": "black"},
                      annotation_text=f"forecast {result.forecast[d]:.4g}", row=d + 1, col=1)
        pad = 0.04 * (dim.high - dim.low)
        fig.update_yaxes(range=[dim.low - pad, dim.high + pad], title_text="position",
                         row=d + 1, col=1)
    fig.update_xaxes(title_text="round", row=len(dims), col=1)
    return layout(fig, f"{result.model} forecast for {sh.id or sh.origin}: "
                  f"{result.rounds} rounds", height=260 * len(dims) + 120)
