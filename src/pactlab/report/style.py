"""What every figure shares: colours, escaped labels and hover text, the base layout.

Plotly renders titles, legend entries and hover text as a small subset of HTML,
so every label that can come from a user's file goes through `esc` first.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import plotly.colors
import plotly.graph_objects as go

PALETTE = tuple(plotly.colors.qualitative.D3 + plotly.colors.qualitative.Dark24)
INFEASIBLE = "#b0b0b0"
FEASIBLE = "#9ecae1"
RATIONAL = "#74c476"
FRONTIER = "#08306b"
SOLUTION_SYMBOLS = {"nash": "star", "kalai_smorodinsky": "diamond", "utilitarian": "square",
                    "egalitarian": "triangle-up"}
SOLUTION_NAMES = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky",
                  "utilitarian": "utilitarian", "egalitarian": "egalitarian"}


def esc(value: object) -> str:
    """A label as plotly text: HTML-escaped (plotly shows the entities as the characters)."""
    return html.escape(str(value))


def colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def number(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def outcome_text(outcome: Mapping[str, object], utilities: Mapping[str, float] | None = None
                 ) -> str:
    """Hover text of one outcome: its options, then every party's utility."""
    lines = [f"{esc(k)} = {esc(number(v))}" for k, v in outcome.items()]
    if utilities:
        lines.append(", ".join(f"{esc(p)}: {u:.3f}" for p, u in utilities.items()))
    return "<br>".join(lines)


def layout(fig: go.Figure, title: str, **extra: Any) -> go.Figure:
    """The look every figure shares; `title` is escaped here."""
    fig.update_layout(
        title={"text": esc(title), "x": 0.01, "xanchor": "left"},
        template="plotly_white",
        font={"family": "DejaVu Sans, Liberation Sans, Arial, sans-serif", "size": 13},
        legend={"itemsizing": "constant"},
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        **extra,
    )
    return fig
