"""`pactlab forecast`: actor-based forecasts over a stakeholder table."""

from __future__ import annotations

from typing import Any

import numpy as np
import typer
from rich.table import Table

from pactlab.cli.app import JSON_OPTION, app, console, print_json
from pactlab.errors import UnknownNameError
from pactlab.forecast import MODELS, load_stakeholders, run_forecast, sensitivity
from pactlab.forecast.result import ForecastResult

MAX_COLUMNS = 12


@app.command()
def forecast(
    source: str = typer.Argument(
        ..., help="A built-in scenario id (sma-2019, us-rok-2025) or a stakeholder file: "
        "pactlab .toml or .csv, KTAB .csv or .xml."),
    model: str = typer.Option(
        "bdm", "--model", "-m",
        help="mean | median | condorcet (baselines), bdm (Bueno de Mesquita expected utility, "
        "Scholz et al. 2011) or smp (KTAB Spatial Model of Politics)."),
    rounds: int | None = typer.Option(
        None, "--rounds", "-r", min=0,
        help="Rounds to run: BDM runs exactly this many (default 10); SMP stops earlier when "
        "it converges (default cap 100)."),
    mode: str = typer.Option(
        "scholz", "--mode",
        help="BDM only: 'scholz' reproduces the published replication with its quirks, "
        "'clean' fixes them."),
    sensitivity_: bool = typer.Option(
        False, "--sensitivity", "-s",
        help="Also rank which actor's capability or salience moves the forecast most "
        "(each raised by 10%, model re-run)."),
    top: int = typer.Option(10, "--top", min=1, help="Rows of the sensitivity ranking shown."),
    json_: bool = JSON_OPTION,
) -> None:
    """Forecast where a many-actor negotiation settles, who moves, and along which path.

    Prints the per-round positions of every actor, the forecast per dimension and who moved;
    `--json` prints {"model", "dimensions", "actors", "rounds": [{"round", "positions"}],
    "forecast", ...} with model-specific detail.
    """
    if model not in MODELS:
        raise UnknownNameError(f"unknown model {model!r}; expected one of {', '.join(MODELS)}")
    if mode not in ("scholz", "clean"):
        raise UnknownNameError(f"unknown BDM mode {mode!r}; expected scholz or clean")
    sh = load_stakeholders(source)
    options: dict[str, Any] = {"mode": mode} if model == "bdm" else {}

    def run(table: Any) -> ForecastResult:
        return run_forecast(table, model, rounds, **options)

    result = run(sh)
    ranking = sensitivity(sh, run) if sensitivity_ else None
    if json_:
        out = result.to_dict()
        if ranking is not None:
            out["sensitivity"] = [r.to_dict() for r in ranking]
        print_json(out)
        return
    _print(result, ranking[:top] if ranking is not None else None)


def _columns(n_rounds: int) -> list[int]:
    if n_rounds + 1 <= MAX_COLUMNS:
        return list(range(n_rounds + 1))
    picks = np.unique(np.linspace(0, n_rounds, MAX_COLUMNS).round().astype(int))
    return [int(t) for t in picks]


def _print(result: ForecastResult, ranking: list[Any] | None) -> None:
    sh = result.stakeholders
    title = sh.title or sh.id or sh.origin
    console.print(f"[bold]{result.model}[/] forecast for [bold]{sh.id or sh.origin}[/]"
                  + (f" — {title}" if title and title != sh.id else ""))
    cols = _columns(result.rounds)
    for d, dim in enumerate(sh.dimensions):
        unit = f" ({dim.unit})" if dim.unit else ""
        table = Table(title=f"{dim.name or dim.id}{unit}: positions by round", title_justify="left")
        table.add_column("actor")
        for t in cols:
            table.add_column(str(t), justify="right")
        for k, a in enumerate(sh.actors):
            cells = []
            for t in cols:
                x = result.path[t, k, d]
                moved = t > 0 and abs(x - result.path[t - 1, k, d]) > 1e-9 * dim.width
                cells.append(f"[yellow]{x:.4g}[/]" if moved else f"{x:.4g}")
            table.add_row(a, *cells)
        console.print(table)
    fc = Table(title="Forecast", title_justify="left")
    fc.add_column("dimension")
    fc.add_column("forecast", justify="right")
    fc.add_column("unit")
    fc.add_column("initial weighted mean", justify="right")
    from pactlab.forecast.baselines import weighted_mean

    mean0 = weighted_mean(sh)
    for d, dim in enumerate(sh.dimensions):
        fc.add_row(dim.id, f"{result.forecast[d]:.4g}", dim.unit, f"{mean0[d]:.4g}")
    console.print(fc)
    if result.rounds > 0:
        console.print(_moves_table(result))
    extra = {k: v for k, v in result.detail.items()
             if k in ("mode", "iterations", "converged", "winner", "condorcet")}
    if extra:
        console.print(", ".join(f"{k}: {v}" for k, v in extra.items()), highlight=False)
    if ranking is not None:
        st = Table(title="Sensitivity: inputs raised by 10%, forecast shift in fractions of "
                   "each range (summed)", title_justify="left")
        for c in ("actor", "input", "from", "to", "shift"):
            st.add_column(c, justify="right" if c in ("from", "to", "shift") else "left")
        for r in ranking:
            st.add_row(r.actor, r.parameter, f"{r.before:.4g}", f"{r.after:.4g}", f"{r.shift:.4f}")
        console.print(st)


def _moves_table(result: ForecastResult) -> Table:
    sh = result.stakeholders
    table = Table(title="Who moved", title_justify="left")
    for c in ("round", "actor", "dimension", "from", "to", "how"):
        table.add_column(c, justify="right" if c in ("round", "from", "to") else "left")
    if result.moves:
        rows = [(m.round, m.actor, m.dimension, m.before, m.after,
                 f"{m.kind} with {m.counterpart}" if m.counterpart else m.kind)
                for m in result.moves]
    else:
        rows = []
        for t in range(1, result.rounds + 1):
            for k, a in enumerate(sh.actors):
                for d, dim in enumerate(sh.dimensions):
                    x0, x1 = result.path[t - 1, k, d], result.path[t, k, d]
                    if abs(x1 - x0) > 1e-9 * dim.width:
                        rows.append((t, a, dim.id, x0, x1, ""))
    limit = 60
    for r in rows[:limit]:
        table.add_row(str(r[0]), r[1], r[2], f"{r[3]:.4g}", f"{r[4]:.4g}", r[5])
    if len(rows) > limit:
        table.add_row("…", f"{len(rows) - limit} more moves (see --json)", "", "", "", "")
    if not rows:
        table.add_row("", "nobody moved", "", "", "", "")
    return table
