"""Figures of negotiations: one session's offers, and a tournament's results."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pactlab.negotiation.results import SessionResult, Trace
from pactlab.negotiation.tournament import TournamentResult
from pactlab.report.figures import register
from pactlab.report.space import _pair
from pactlab.report.style import FRONTIER, colour, esc, layout, outcome_text

HOVER_OFFERS = 2_000  # offers whose hover shows their options
DRAWN_OFFERS = 20_000  # offers drawn; beyond, every k-th


@register("SessionResult")
def session_figure(result: SessionResult, pair: Sequence[str] | None = None) -> go.Figure:
    """Each party's offers on the utility plane of two parties (frontier behind, agreement
    marked) and over time: the utility of its own offers to itself (solid) and of the
    others' offers to it (dotted). Past `HOVER_OFFERS` offers the hover shows utilities
    only, and past `DRAWN_OFFERS` every k-th offer is drawn (the first and last always)."""
    parties = list(result.parties)
    i, j = _pair(parties, pair)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.09,
                        subplot_titles=("offers on the utility plane", "offers over time"))
    trace = result.trace
    if isinstance(trace, Trace):
        space = trace.space
        front = space.frontier_utils[space.frontier_utils[:, i].argsort()]
        fig.add_trace(go.Scatter(
            x=front[:, i], y=front[:, j], mode="lines+markers" if len(parties) == 2
            else "markers", name="Pareto frontier", hoverinfo="x+y",
            line={"color": FRONTIER, "width": 1}, marker={"color": FRONTIER, "size": 4},
            opacity=0.5), row=1, col=1)
        offers = _thin(trace.offers())  # (turn, seat, position)
        utils = space.utils[:, offers[:, 2]].T  # (offers, parties)
        texts = ([f"round {t}<br>" + outcome_text(space.outcome(int(pos)))
                  for t, _, pos in offers] if len(offers) <= HOVER_OFFERS else None)
        for k, party in enumerate(parties):
            own = offers[:, 1] == k
            if not own.any():
                continue
            fig.add_trace(go.Scatter(
                x=utils[own, i], y=utils[own, j], mode="lines+markers",
                name=f"offers of {esc(party)}", legendgroup=party,
                line={"color": colour(k), "width": 1}, marker={"size": 6, "color": colour(k)},
                hovertext=None if texts is None else [t for t, o in zip(texts, own,
                                                                        strict=True) if o],
                hoverinfo="text+x+y"), row=1, col=1)
            fig.add_trace(go.Scatter(
                x=offers[own, 0], y=utils[own, k], mode="lines",
                name=f"{esc(party)}: own offers", legendgroup=party, showlegend=False,
                line={"color": colour(k)}), row=1, col=2)
            fig.add_trace(go.Scatter(
                x=offers[~own, 0], y=utils[~own, k], mode="lines",
                name=f"{esc(party)}: offers received", legendgroup=party, showlegend=False,
                line={"color": colour(k), "dash": "dot"}), row=1, col=2)
    for k, party in enumerate(parties):
        fig.add_hline(y=result.reservations[party], line={"color": colour(k), "dash": "dash",
                                                          "width": 1}, row=1, col=2)
    if result.agreement and result.outcome is not None:
        fig.add_trace(go.Scatter(
            x=[result.utilities[parties[i]]], y=[result.utilities[parties[j]]], mode="markers",
            name=f"agreement (round {result.agreement_round})",
            hovertext=[outcome_text(result.outcome, result.utilities)], hoverinfo="text",
            marker={"symbol": "star", "size": 17, "color": "gold",
                    "line": {"width": 1.5, "color": "black"}}), row=1, col=1)
    fig.update_xaxes(title_text=f"utility of {esc(parties[i])}", row=1, col=1)
    fig.update_yaxes(title_text=f"utility of {esc(parties[j])}", row=1, col=1)
    fig.update_xaxes(title_text="round", row=1, col=2)
    fig.update_yaxes(title_text="utility (dashed: reservation)", row=1, col=2)
    vs = " vs ".join(f"{p}={s}" for p, s in result.strategies.items())
    end = (f"agreement in round {result.agreement_round}" if result.agreement
           else f"no agreement ({result.end})")
    return layout(fig, f"{result.scenario}: {vs}: {end}", height=500)


def _thin(offers: np.ndarray) -> np.ndarray:
    """At most about `DRAWN_OFFERS` rows: every k-th offer, the last one always kept."""
    if len(offers) <= DRAWN_OFFERS:
        return offers
    step = -(-len(offers) // DRAWN_OFFERS)
    keep = np.zeros(len(offers), dtype=bool)
    keep[::step] = True
    keep[-1] = True
    return offers[keep]


@register("TournamentResult")
def tournament_figure(result: TournamentResult) -> go.Figure:
    """Agreement rate and mean utility per strategy, and the agreement rate per pairing."""
    summary = result.summary()
    pairings = result.pairings()
    fig = make_subplots(rows=2, cols=1, row_heights=[0.35, 0.65], vertical_spacing=0.16,
                        subplot_titles=("per strategy, over every role it played",
                                        "per pairing (colour: mean welfare)"))
    names = [esc(s["strategy"]) for s in summary]
    fig.add_trace(go.Bar(x=names, y=[s["agreement_rate"] for s in summary],
                         name="agreement rate", marker={"color": colour(0)}), row=1, col=1)
    fig.add_trace(go.Bar(x=names, y=[s["utility"] for s in summary], name="mean utility",
                         marker={"color": colour(2)}), row=1, col=1)
    fig.add_trace(go.Bar(
        y=[esc(f"{p['scenario']}: {p['pairing']}") for p in pairings],
        x=[p["agreement_rate"] for p in pairings], orientation="h", name="agreement rate "
        "per pairing", showlegend=False,
        marker={"color": [p["welfare"] for p in pairings], "colorscale": "Viridis",
                "showscale": True, "colorbar": {"title": {"text": "welfare"}, "len": 0.6,
                                                "y": 0.3}},
        hovertext=[f"utility {p['utility']:.3f}, welfare {p['welfare']:.3f}, "
                   f"rounds {p['rounds_used']:.1f}" for p in pairings], hoverinfo="text+x"),
        row=2, col=1)
    fig.update_xaxes(title_text="agreement rate", range=[0, 1], row=2, col=1)
    fig.update_yaxes(range=[0, 1.05], row=1, col=1)
    height = 420 + 22 * len(pairings)
    return layout(fig, f"Tournament: {result.sessions} sessions, {result.reps} repetitions",
                  barmode="group", height=height)
