"""`pactlab forecast`: actor-based forecasts over a stakeholder table."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import typer
from rich.table import Table

from pactlab.cli.app import JSON_OPTION, app, console, print_json
from pactlab.cli.progress import PROGRESS_OPTION, progress_bar
from pactlab.errors import PactlabError
from pactlab.forecast import load_stakeholders
from pactlab.forecast.models import MAX_ROUNDS, MODEL_CLASSES, make_model
from pactlab.forecast.result import ForecastResult, SMPDetail
from pactlab.model.stakeholders_schema import MAX_ACTORS

MAX_MOVE_ROWS = 40


def _decimals(width: float) -> int:
    """Decimals that show about three significant digits of a dimension's range."""
    return int(min(4, max(0, 3 - math.ceil(math.log10(width))))) if width > 0 else 2


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
        None, "--rounds", "-r", min=0, metavar="N",
        help="Rounds to run: BDM runs exactly this many (default 10); SMP stops earlier when "
        f"it converges or cycles (default cap 100). At most {MAX_ROUNDS:,}."),
    mode: str | None = typer.Option(
        None, "--mode",
        help="BDM only: 'scholz' (default) reproduces the published replication with its "
        "quirks, 'clean' fixes them."),
    tol: float | None = typer.Option(
        None, "--tol", min=0.0,
        help="BDM only: stop early once no actor moves more than TOL x the dimension's range "
        "in a round (default 0: always run --rounds rounds)."),
    sensitivity_: bool = typer.Option(
        False, "--sensitivity",
        help="Also rank which actor's capability or salience moves the forecast most: "
        "Sobol' indices (share of the forecast's variance) and a one-at-a-time tornado with "
        "every capability and salience uniform within ±10% (the sweep machinery)."),
    top: int = typer.Option(10, "--top", min=1, help="Rows of the sensitivity ranking shown."),
    max_actors: int | None = typer.Option(
        None, "--max-actors", min=2, metavar="N",
        help=f"Accept tables of up to N actors (default {MAX_ACTORS:,}; the SMP model "
        f"{MODEL_CLASSES['smp'].model_fields['max_actors'].default:,}): memory grows with "
        "actors², SMP time with actors³ per step."),
    progress: bool | None = PROGRESS_OPTION,
    json_: bool = JSON_OPTION,
) -> None:
    """Forecast where a many-actor negotiation settles, who moves, and along which path.

    Prints the per-round positions of every actor, the forecast per dimension and who moved;
    `--json` prints {"model", "dimensions", "actors", "rounds": [{"round", "positions"}],
    "forecast", ...} with model-specific detail.

    Example: pactlab forecast sma-2019 --model smp
    """
    given = {"rounds": rounds, "mode": mode, "tol": tol}
    options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    _check_applicable(model, options)
    if max_actors is not None and "max_actors" in MODEL_CLASSES[model].model_fields:
        options["max_actors"] = max_actors
    spec = make_model(model, **options)  # every option validated before the file is read
    sh = load_stakeholders(source, max_actors=max_actors or MAX_ACTORS)

    with progress_bar(f"{model} rounds", progress) as bar:
        result = spec.run(sh, bar)
    ranking = None
    if sensitivity_:
        from pactlab.sweep.run import sweep_stakeholders
        from pactlab.sweep.sensitivity import (
            FORECAST_BASE,
            forecast_ranking,
            stakeholder_priors,
        )

        with progress_bar("sensitivity runs", progress) as bar:
            ranking = forecast_ranking(sweep_stakeholders(
                sh, stakeholder_priors(sh), model=model, model_options=options,
                samples=FORECAST_BASE, sensitivity=True, progress=bar))
    if json_:
        out = result.to_dict()
        if ranking is not None:
            out["sensitivity"] = ranking
        print_json(out)
        return
    _print(result, ranking[:top] if ranking is not None else None)


def _check_applicable(model: str, options: dict[str, object]) -> None:
    """Refuse options that the chosen model would ignore."""
    cls = MODEL_CLASSES.get(model)
    if cls is None:
        return  # make_model names the unknown model
    for key in options:
        if key not in cls.model_fields:
            users = [m for m, c in MODEL_CLASSES.items() if key in c.model_fields]
            raise PactlabError(
                f"--{key} does not apply to --model {model}; it is used only by "
                f"{' and '.join(users)}")


def _round_chunks(n_rounds: int, fit: int) -> list[list[int]]:
    """Rounds 0..n_rounds cut into consecutive runs of at most `fit` (≥ 1) columns, so that a
    narrow terminal folds the path table instead of dropping rounds."""
    total = n_rounds + 1
    size = math.ceil(total / math.ceil(total / max(1, fit)))  # balanced runs
    return [list(range(t, min(t + size, total))) for t in range(0, total, size)]


def _print(result: ForecastResult, ranking: list[Any] | None) -> None:
    sh = result.stakeholders
    title = sh.title or sh.id or sh.origin
    console.print(f"[bold]{result.model}[/] forecast for [bold]{sh.id or sh.origin}[/]"
                  + (f" — {title}" if title and title != sh.id else ""))
    name_width = max(len(a) for a in sh.actors) + 3
    for d, dim in enumerate(sh.dimensions):
        dec = _decimals(dim.width)
        cell = len(f"{np.abs(result.path[:, :, d]).max():.{dec}f}") + 3  # padding, border
        chunks = _round_chunks(result.rounds, (console.width - name_width - 1) // cell)
        for cols in chunks:
            console.print(_path_table(result, d, cols, folded=len(chunks) > 1))
    fc = Table(title="Forecast", title_justify="left")
    fc.add_column("dimension")
    fc.add_column("forecast", justify="right")
    fc.add_column("unit")
    fc.add_column("initial weighted mean", justify="right")
    from pactlab.forecast.baselines import weighted_mean

    mean0 = weighted_mean(sh)
    for d, dim in enumerate(sh.dimensions):
        dec = _decimals(dim.width) + 1
        fc.add_row(dim.id, f"{result.forecast[d]:.{dec}f}", dim.unit, f"{mean0[d]:.{dec}f}")
    console.print(fc)
    if result.model == "smp":
        console.print(_smp_outcomes(result))
    if result.rounds > 0:
        console.print(_moves_table(result))
    extra = {k: v for k, v in result.detail.summary().items() if v != ""}
    if extra:
        console.print(", ".join(f"{k}: {v}" for k, v in extra.items()), highlight=False)
    cycle = getattr(result.detail, "cycle", None)
    if cycle is not None:
        end = cycle.start + cycle.length
        console.print(
            f"[yellow]cycle:[/] state {end} repeats state {cycle.start}, so the run would "
            f"repeat these {cycle.length} steps until its cap; stopped at step {end}. The "
            "forecast is that of the last state; the cycle's states are in the path above.")
    if ranking is not None:
        from pactlab.sweep.sensitivity import describe_forecast

        st = Table(title=f"Sensitivity: {describe_forecast()}. swing: forecast shift from the "
                   "input's 5% to its 95% quantile, others at their medians, in fractions of "
                   "each range (summed); total: Sobol' total-order index, the share of the "
                   "forecast's variance (mean over dimensions, ± 95% confidence)",
                   title_justify="left")
        for c in ("actor", "input", "5%", "95%", "swing", "total"):
            st.add_column(c, justify="left" if c in ("actor", "input") else "right")
        for r in ranking:
            conf = "" if r["total_conf"] is None else f" ± {r['total_conf']:.2f}"
            st.add_row(r["actor"], r["parameter"], f"{r['low']:.4g}", f"{r['high']:.4g}",
                       f"{r['swing']:.4f}", f"{r['total']:.2f}{conf}")
        console.print(st)


def _path_table(result: ForecastResult, d: int, cols: list[int], folded: bool) -> Table:
    """Dimension `d`'s positions for the consecutive rounds `cols`, one row per actor."""
    sh = result.stakeholders
    dim = sh.dimensions[d]
    dec = _decimals(dim.width)
    unit = f" ({dim.unit})" if dim.unit else ""
    span = f", rounds {cols[0]}–{cols[-1]} of {result.rounds}" if folded else ""
    table = Table(title=f"{dim.name or dim.id}{unit}: positions by round{span}"
                  + (" (yellow: moved since the round before)" if result.rounds else ""),
                  title_justify="left")
    table.add_column("actor", no_wrap=True)
    for t in cols:
        table.add_column(str(t), justify="right", no_wrap=True)
    for k, a in enumerate(sh.actors):
        cells = []
        for t in cols:
            x = result.path[t, k, d]
            moved = t > 0 and round(x, dec) != round(result.path[t - 1, k, d], dec)
            cells.append(f"[yellow]{x:.{dec}f}[/]" if moved else f"{x:.{dec}f}")
        table.add_row(a, *cells)
    return table


def _smp_outcomes(result: ForecastResult) -> Table:
    """The final state's distinct positions and their win probabilities (KTAB's PCE)."""
    sh = result.stakeholders
    assert isinstance(result.detail, SMPDetail)
    prob = result.detail.win_probability[-1]
    table = Table(title="Final positions and their probability of winning (probabilistic "
                  "Condorcet election)", title_justify="left")
    table.add_column("probability", justify="right")
    for dim in sh.dimensions:
        table.add_column(dim.id, justify="right")
    table.add_column("held by")
    seen: dict[tuple[float, ...], list[str]] = {}
    decs = [_decimals(d.width) for d in sh.dimensions]
    order: list[tuple[float, tuple[float, ...]]] = []
    for k, a in enumerate(sh.actors):
        key = tuple(round(float(x), decs[d]) for d, x in enumerate(result.path[-1, k]))
        if key not in seen:
            seen[key] = []
            order.append((float(prob[k]), key))
        seen[key].append(a)
    for p, key in sorted(order, key=lambda t: -t[0]):
        table.add_row(f"{p:.4f}", *[f"{x:.{decs[d]}f}" for d, x in enumerate(key)],
                      ", ".join(seen[key]))
    return table


def _moves_table(result: ForecastResult) -> Table:
    """One row per round, actor and reason (offer kind and counterpart) with every visible
    change (at the tables' precision); a row groups only the moves that share both."""
    table = Table(title="Who moved", title_justify="left")
    for c in ("round", "actor", "moves", "how"):
        table.add_column(c, justify="right" if c == "round" else "left")
    rows = _move_rows(result)
    for r in rows[:MAX_MOVE_ROWS]:
        table.add_row(*r)
    if len(rows) > MAX_MOVE_ROWS:
        table.add_row("…", f"{len(rows) - MAX_MOVE_ROWS} more", "(see --json)", "")
    if not rows:
        table.add_row("", "nobody moved", "", "")
    return table


def _move_rows(result: ForecastResult) -> list[tuple[str, str, str, str]]:
    """(round, actor, moves, how) rows; each dimension's move keeps its own kind and
    counterpart, and moves are grouped only when both agree."""
    sh = result.stakeholders
    how: dict[tuple[int, str, str], str] = {
        (m.round, m.actor, m.dimension):
            f"{m.kind} with {m.counterpart}" if m.counterpart else m.kind
        for m in result.moves}
    decs = [_decimals(d.width) for d in sh.dimensions]
    rows: list[tuple[str, str, str, str]] = []
    for t in range(1, result.rounds + 1):
        for k, a in enumerate(sh.actors):
            groups: dict[str, list[str]] = {}
            for d, dim in enumerate(sh.dimensions):
                x0, x1 = result.path[t - 1, k, d], result.path[t, k, d]
                if round(x0, decs[d]) != round(x1, decs[d]):
                    groups.setdefault(how.get((t, a, dim.id), ""), []).append(
                        f"{dim.id} {x0:.{decs[d]}f} → {x1:.{decs[d]}f}")
            rows.extend((str(t), a, ", ".join(parts), reason)
                        for reason, parts in groups.items())
    return rows
