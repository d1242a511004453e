"""Figures of the utility space: an analysis, an evaluated offer, the value of linkage.

Every outcome is drawn faintly behind the frontier, in three shades (violates a
limit / feasible / feasible and individually rational). Up to `CLOUD_POINTS`
outcomes are drawn as points whose hover shows their options; past that the
cloud is rasterised into a `RASTER_BINS`² grid whose cells carry the counts,
so a figure of 10^6 outcomes stays a few hundred kilobytes. Spaces beyond
`ENUMERATE_CLOUD` outcomes are drawn from a uniform random sample of that many
(seeded, so the figure is reproducible). The frontier is always drawn whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pactlab.analysis.analyze import Analysis
from pactlab.analysis.linkage import Linkage
from pactlab.analysis.offers import OfferEvaluation
from pactlab.analysis.results import Point
from pactlab.kernel.bargaining import individually_rational
from pactlab.model.domain import CHUNK, Domain
from pactlab.report.figures import register
from pactlab.report.style import (
    FEASIBLE,
    FRONTIER,
    INFEASIBLE,
    RATIONAL,
    SOLUTION_NAMES,
    SOLUTION_SYMBOLS,
    colour,
    esc,
    layout,
    outcome_text,
)

CLOUD_POINTS = 20_000  # drawn as points with the options in the hover up to this many
ENUMERATE_CLOUD = 2_000_000  # beyond this many outcomes, a random sample of this many
RASTER_BINS = 160
KINDS = ("violates a limit", "feasible", "individually rational")
SHADES = (INFEASIBLE, FEASIBLE, RATIONAL)


@dataclass(frozen=True)
class Cloud:
    """Utilities of every outcome (or of a uniform sample), and what kind each is.

    `kind` is 0 (violates a limit), 1 (feasible) or 2 (feasible and rational);
    `rows` are the outcomes' option indices, kept only for a cloud drawn as points.
    """

    utilities: np.ndarray  # (n, parties)
    kind: np.ndarray  # (n,) int8
    rows: np.ndarray | None
    total: int  # outcomes in the space
    sampled: bool


def cloud(domain: Domain, limit: int = ENUMERATE_CLOUD, seed: int = 0) -> Cloud:
    """Every outcome's utilities and kind, or those of `limit` uniformly sampled outcomes."""
    total = domain.n_outcomes
    sampled = total > limit
    if sampled:
        rng = np.random.default_rng(seed)
        sample = np.column_stack([rng.integers(0, s, limit) for s in domain.sizes])
        blocks = (sample[i:i + CHUNK] for i in range(0, limit, CHUNK))
    else:
        blocks = (domain.decode(index) for index in domain.chunks(CHUNK))
    keep_rows = min(total, limit) <= CLOUD_POINTS
    us, kinds, rows = [], [], []
    for block in blocks:
        u = domain.utilities_of_rows(block)
        feasible = domain.feasible_rows(block)
        rational = feasible & individually_rational(u, domain.reservations)
        us.append(u)
        kinds.append(feasible.astype(np.int8) + rational)
        if keep_rows:
            rows.append(block)
    return Cloud(np.concatenate(us), np.concatenate(kinds),
                 np.concatenate(rows) if keep_rows else None, total, sampled)


def cloud_traces(domain: Domain, pair: tuple[int, int], data: Cloud | None = None
                 ) -> list[go.BaseTraceType]:
    """The faint outcomes behind a utility-plane figure, as points or as a raster."""
    data = cloud(domain) if data is None else data
    x, y = data.utilities[:, pair[0]], data.utilities[:, pair[1]]
    if data.rows is None:
        return [_raster(x, y, data)]
    traces = []
    for k, (name, shade) in enumerate(zip(KINDS, SHADES, strict=True)):
        mask = data.kind == k
        if not mask.any():
            continue
        text = [outcome_text(domain.outcome_dict(r)) for r in data.rows[mask]]
        traces.append(go.Scattergl(
            x=x[mask], y=y[mask], mode="markers", name=f"{name} ({int(mask.sum()):,})",
            marker={"color": shade, "size": 5, "opacity": 0.45}, hovertext=text,
            hoverinfo="text+x+y", legendgroup="cloud"))
    return traces


def _raster(x: np.ndarray, y: np.ndarray, data: Cloud) -> go.Heatmap:
    """One heatmap cell per bin, shaded by the best kind of outcome in it, counts on hover."""
    xe = np.linspace(x.min(), x.max() + 1e-12, RASTER_BINS + 1)
    ye = np.linspace(y.min(), y.max() + 1e-12, RASTER_BINS + 1)
    counts = np.stack([np.histogram2d(y[data.kind == k], x[data.kind == k], bins=(ye, xe))[0]
                       for k in range(3)], axis=-1)  # (ny, nx, kind)
    best = np.where(counts > 0, np.arange(1, 4), 0).max(axis=-1).astype(float)
    best[best == 0] = np.nan
    what = "a uniform sample of" if data.sampled else "all"
    scale = [[0.0, SHADES[0]], [0.333, SHADES[0]], [0.334, SHADES[1]], [0.666, SHADES[1]],
             [0.667, SHADES[2]], [1.0, SHADES[2]]]
    return go.Heatmap(
        x=(xe[:-1] + xe[1:]) / 2, y=(ye[:-1] + ye[1:]) / 2, z=best, zmin=1, zmax=3,
        colorscale=scale, showscale=False, opacity=0.6, customdata=counts.astype(np.int64),
        name=f"outcomes ({what} {data.total:,}, rasterised)",
        hovertemplate=("violate a limit: %{customdata[0]}<br>feasible: %{customdata[1]}<br>"
                       "individually rational: %{customdata[2]}<extra></extra>"),
        showlegend=True)


def _pair(parties: Sequence[str], pair: Sequence[str] | None) -> tuple[int, int]:
    chosen = tuple(pair) if pair is not None else tuple(parties[:2])
    if len(chosen) != 2 or any(p not in parties for p in chosen) or chosen[0] == chosen[1]:
        raise ValueError(f"pair must name two different parties of {list(parties)}, "
                         f"got {list(chosen)}")
    return parties.index(chosen[0]), parties.index(chosen[1])


def _reservation_lines(fig: go.Figure, parties: Sequence[str], pair: tuple[int, int],
                       reservations: Sequence[float], **where: int) -> None:
    i, j = pair
    fig.add_vline(x=reservations[i], line={"dash": "dot", "color": colour(i)},
                  annotation_text=f"{esc(parties[i])} reservation", **where)
    fig.add_hline(y=reservations[j], line={"dash": "dot", "color": colour(j)},
                  annotation_text=f"{esc(parties[j])} reservation", **where)


def _points(points: Sequence[Point], parties: Sequence[str], pair: tuple[int, int],
            ) -> tuple[list[float], list[float], list[str]]:
    x = [p.utilities[parties[pair[0]]] for p in points]
    y = [p.utilities[parties[pair[1]]] for p in points]
    return x, y, [outcome_text(p.outcome, p.utilities) for p in points]


@register("Analysis")
def analysis_figure(result: Analysis, pair: Sequence[str] | None = None,
                    domain: Domain | None = None) -> go.Figure:
    """The utility plane of two parties (default: the first two) with every outcome faint,
    the frontier, the four solutions, the status quo and the reservations; with three or
    more parties, a parallel-coordinates view of the whole frontier below it."""
    parties = list(result.parties)
    ij = _pair(parties, pair)
    domain = domain if domain is not None else result.domain
    many = len(parties) > 2
    fig = (make_subplots(rows=2, cols=1, specs=[[{"type": "xy"}], [{"type": "domain"}]],
                         row_heights=[0.62, 0.38], vertical_spacing=0.12)
           if many else go.Figure())
    where = {"row": 1, "col": 1} if many else {}
    if domain is not None:
        for trace in cloud_traces(domain, ij):
            fig.add_trace(trace, **where)
    order = sorted(result.pareto, key=lambda p: p.utilities[parties[ij[0]]])
    x, y, text = _points(order, parties, ij)
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="markers" if many else "lines+markers", hovertext=text,
        hoverinfo="text", name=f"Pareto frontier ({len(order)})"
        + (" projected" if many else ""),
        line={"color": FRONTIER, "width": 2}, marker={"color": FRONTIER, "size": 6}), **where)
    for name, sol in result.solutions.items():
        if sol is None:
            continue
        sx, sy, st = _points([sol], parties, ij)
        fig.add_trace(go.Scatter(
            x=sx, y=sy, mode="markers", hovertext=st, hoverinfo="text",
            name=SOLUTION_NAMES.get(name, esc(name)),
            marker={"symbol": SOLUTION_SYMBOLS.get(name, "circle"), "size": 15,
                    "line": {"width": 1.5, "color": "black"}}), **where)
    if result.status_quo is not None:
        qx, qy, qt = _points([result.status_quo], parties, ij)
        fig.add_trace(go.Scatter(x=qx, y=qy, mode="markers", hovertext=qt, hoverinfo="text",
                                 name="status quo",
                                 marker={"symbol": "x", "size": 13, "color": "black"}),
                      **where)
    _reservation_lines(fig, parties, ij, [result.reservations[p] for p in parties], **where)
    if many:
        fig.add_trace(_frontier_coordinates(result), row=2, col=1)
    fig.update_xaxes(title_text=f"utility of {esc(parties[ij[0]])}", **where)
    fig.update_yaxes(title_text=f"utility of {esc(parties[ij[1]])}", **where)
    return layout(fig, f"{result.scenario}: utility space ({result.outcomes:,} outcomes, "
                  f"{len(result.pareto):,} on the frontier)", height=820 if many else 560)


def _frontier_coordinates(result: Analysis) -> go.Parcoords:
    """Every frontier point as a line across the parties' utility axes."""
    u = result.frontier_utilities
    dims = [{"label": f"utility of {esc(p)}", "values": u[:, k],
             "range": [float(min(u[:, k].min(), result.reservations[p])), float(u[:, k].max())]}
            for k, p in enumerate(result.parties)]
    return go.Parcoords(dimensions=dims, line={"color": u.sum(axis=1), "colorscale": "Viridis",
                                               "showscale": True,
                                               "colorbar": {"title": {"text": "Σ utility"},
                                                            "len": 0.34, "y": 0.17}},
                        name="frontier")


@register("OfferEvaluation")
def offer_figure(result: OfferEvaluation, pair: Sequence[str] | None = None,
                 domain: Domain | None = None) -> go.Figure:
    """The offer on the utility plane of two parties, with the outcomes that beat it."""
    parties = list(result.offer.utilities)
    ij = _pair(parties, pair)
    domain = domain if domain is not None else result.domain
    fig = go.Figure()
    if domain is not None:
        fig.add_traces(cloud_traces(domain, ij))
        _reservation_lines(fig, parties, ij, [float(r) for r in domain.reservations])
    ox, oy, ot = _points([result.offer], parties, ij)
    if result.dominated_by:
        bx, by, bt = _points(result.dominated_by, parties, ij)
        for x, y in zip(bx, by, strict=True):
            fig.add_annotation(x=x, y=y, ax=ox[0], ay=oy[0], xref="x", yref="y", axref="x",
                               ayref="y", showarrow=True, arrowhead=2, arrowcolor=RATIONAL,
                               opacity=0.7)
        fig.add_trace(go.Scatter(x=bx, y=by, mode="markers", hovertext=bt, hoverinfo="text",
                                 name=f"better for every party ({len(bx)})",
                                 marker={"color": RATIONAL, "size": 11, "symbol": "circle",
                                         "line": {"width": 1, "color": "black"}}))
    verdict = ("Pareto-optimal" if result.pareto_optimal
               else "dominated" if result.dominated_by else "infeasible")
    fig.add_trace(go.Scatter(x=ox, y=oy, mode="markers", hovertext=ot, hoverinfo="text",
                             name=f"the offer ({verdict})",
                             marker={"color": "black", "size": 15, "symbol": "star"}))
    fig.update_xaxes(title_text=f"utility of {esc(parties[ij[0]])}")
    fig.update_yaxes(title_text=f"utility of {esc(parties[ij[1]])}")
    return layout(fig, f"Offer: {verdict}", height=520)


@register("Linkage")
def linkage_figure(result: Linkage) -> go.Figure:
    """Each party's utility with issues settled track by track versus as one package."""
    parties = list(result.separate.utilities)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=[esc(p) for p in parties], y=[result.separate.utilities[p] for p in parties],
        name="separate tracks" + ("" if result.separate.feasible else " (breaks a limit)"),
        marker={"color": FEASIBLE}, hovertext=outcome_text(result.separate.outcome),
        hoverinfo="text+y"))
    if result.package is not None:
        fig.add_trace(go.Bar(
            x=[esc(p) for p in parties], y=[result.package.utilities[p] for p in parties],
            name="one package (Nash)", marker={"color": FRONTIER},
            hovertext=outcome_text(result.package.outcome), hoverinfo="text+y"))
    gain = "" if result.gain is None else "; gain of linking: " + ", ".join(
        f"{p} {g:+.3f}" for p, g in result.gain.items())
    fig.update_yaxes(title_text="utility")
    return layout(fig, f"{result.scenario}: value of linkage{gain}", barmode="group",
                  height=420)
