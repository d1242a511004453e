"""Figure of a sweep: distributions with their intervals, the chance of a deal, the drivers.

Distributions are drawn as boxes whose box is the central 50% interval and whose
whiskers are the central 90% interval (the sweep's own quantiles, not re-estimated),
with the median and the mean. Option shares of each issue are stacked bars. With
sensitivity indices, the drivers of one output are shown as a tornado (the output at
each driver's 5% and 95% quantile) beside Sobol' first- and total-order indices.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pactlab.report.figures import register
from pactlab.report.style import FRONTIER, RATIONAL, colour, esc, layout
from pactlab.sweep.result import SweepResult

TOP_DRIVERS = 10


def _distributions(summary: dict[str, Any], solution: str) -> tuple[str, dict[str, Any]]:
    """(what, {label: distribution}) of the target's main numbers."""
    target = summary["target"]
    if target == "analyze":
        return f"utility at the {solution} solution", summary["solutions"][solution]["utilities"]
    if target == "negotiate":
        return "utility of the negotiated outcome", summary["negotiation"]["utilities"]
    if target == "linkage":
        return "gain of linking, per party", summary["linkage"]["gain"]
    return "forecast per dimension", summary["forecast"]["dimensions"]


def _issues(summary: dict[str, Any], solution: str) -> dict[str, Any]:
    if summary["target"] == "analyze":
        return dict(summary["solutions"][solution]["issues"])
    if summary["target"] == "negotiate":
        return dict(summary["negotiation"]["issues"])
    return {}


def _box(label: str, dist: dict[str, Any], k: int) -> go.Box:
    iv, q = dist["intervals"], dist["quantiles"]
    return go.Box(name=esc(label), x=[esc(label)], q1=[iv["50"][0]], median=[q["50"]],
                  q3=[iv["50"][1]], lowerfence=[iv["90"][0]], upperfence=[iv["90"][1]],
                  mean=[dist["mean"]],
                  marker={"color": colour(k)}, boxpoints=False, showlegend=False,
                  hovertemplate=(f"{esc(label)}<br>median %{{median:.3f}}, mean %{{mean:.3f}}"
                                 "<br>50%: %{q1:.3f} – %{q3:.3f}<br>90%: %{lowerfence:.3f} – "
                                 "%{upperfence:.3f}<extra></extra>"))


def _driven_output(sens: dict[str, Any], output: str | None) -> str:
    if output is not None:
        if output not in sens["tornado"]:
            raise ValueError(f"no sensitivity for {output!r}; outputs: "
                             f"{', '.join(sens['tornado'])}")
        return output
    swings = {k: max((r["swing"] for r in rows), default=0.0)
              for k, rows in sens["tornado"].items()}
    return max(swings, key=lambda k: swings[k])


@register("SweepResult")
def sweep_figure(result: SweepResult, solution: str = "nash", output: str | None = None
                 ) -> go.Figure:
    """Distributions with 50%/90% intervals, option shares per issue, P(deal), and (with
    sensitivity) the tornado and Sobol' indices of `output` (default: the most swung)."""
    s = result.to_dict()
    what, dists = _distributions(s, solution)
    issues = _issues(s, solution)
    sens = s.get("sensitivity")
    rows = 1 + bool(issues) + bool(sens)
    titles = [what] + (["option shares per issue"] if issues else [])
    specs: list[list[dict[str, Any] | None]] = [[{"colspan": 2}, None]]
    if issues:
        specs.append([{"colspan": 2}, None])
    if sens:
        out = _driven_output(sens, output)
        titles += [f"tornado: {out}", f"Sobol' indices: {out}"]
        specs.append([{}, {}])
    fig = make_subplots(rows=rows, cols=2, specs=specs, subplot_titles=[esc(t) for t in titles],
                        vertical_spacing=0.16 if rows > 1 else 0.1)
    for k, (label, dist) in enumerate(dists.items()):
        if dist is not None:
            fig.add_trace(_box(label, dist, k), row=1, col=1)
    if issues:
        _shares(fig, issues, row=2)
    if sens:
        _sensitivity(fig, sens, out, row=rows)
    chance = [f"{label} {s[key]:.0%}" for key, label in
              (("p_deal_possible", "P(deal possible)"), ("p_agreement", "P(agreement)"))
              if s.get(key) is not None]
    head = f"{s['scenario'].rsplit('/', 1)[-1]}: {s['target']} sweep of {s['samples']:,} samples"
    return layout(fig, head + (" — " + ", ".join(chance) if chance else ""),
                  height=330 * rows + 80, barmode="stack")


def _shares(fig: go.Figure, issues: dict[str, Any], row: int) -> None:
    """One horizontal bar per issue, split by the share of each option."""
    for iid, entry in issues.items():
        for k, (option, share) in enumerate(entry["shares"].items()):
            if share <= 0:
                continue
            fig.add_trace(go.Bar(
                y=[esc(iid)], x=[share], orientation="h", name=esc(option), showlegend=False,
                marker={"color": colour(k), "line": {"width": 0.5, "color": "white"}},
                text=[esc(option)] if share >= 0.08 else None, textposition="inside",
                hovertemplate=f"{esc(iid)} = {esc(option)}: %{{x:.1%}}<extra></extra>"),
                row=row, col=1)
    fig.update_xaxes(range=[0, 1], tickformat=".0%", row=row, col=1)


def _sensitivity(fig: go.Figure, sens: dict[str, Any], out: str, row: int) -> None:
    rows = sorted(sens["tornado"][out], key=lambda r: r["swing"], reverse=True)[:TOP_DRIVERS]
    rows.reverse()  # the biggest swing on top
    names = [esc(r["path"]) for r in rows]
    base = [min(r["low"], r["high"]) for r in rows]
    fig.add_trace(go.Bar(
        y=names, x=[abs(r["high"] - r["low"]) for r in rows], base=base, orientation="h",
        marker={"color": FRONTIER}, showlegend=False, name="tornado",
        customdata=[[r["low"], r["high"]] for r in rows],
        hovertemplate="%{y}<br>at 5%: %{customdata[0]:.4g}, at 95%: %{customdata[1]:.4g}"
        "<extra></extra>"), row=row, col=1)
    sobol = sens["sobol"].get(out)
    if sobol:
        top = sorted(sobol["total"], key=lambda p: sobol["total"][p], reverse=True)[:TOP_DRIVERS]
        top.reverse()
        for key, shade in (("first", RATIONAL), ("total", FRONTIER)):
            fig.add_trace(go.Bar(
                y=[esc(p) for p in top], x=[max(0.0, sobol[key][p]) for p in top],
                orientation="h", name=f"{key}-order", marker={"color": shade}, offsetgroup=key,
                hovertemplate=f"%{{y}}: {key}-order %{{x:.3f}}<extra></extra>"),
                row=row, col=2)
