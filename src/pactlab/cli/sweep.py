"""`pactlab sweep` and `pactlab runs`: uncertainty sweeps and the run store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from pactlab.cli.app import JSON_OPTION, NOISE_OPTION, app, console, err_console, print_json
from pactlab.cli.negotiation import TIME_LIMIT_OPTION
from pactlab.cli.progress import PROGRESS_OPTION, progress_bar
from pactlab.errors import SweepError

SWEEP_HELP = """Sweep a scenario's uncertain numbers: P(deal), intervals, sensitivity, resumable
runs.

Priors come from the scenario's [[uncertain]] block, from --vary (repeatable) and from
--noise; each sample draws every uncertain number, runs the target and is stored in the
run store batch by batch, so that a killed run finishes with --resume RUN_ID.

Examples:

  pactlab sweep sma-2019 --noise weights=0.3,reservations=0.05 -n 10000

  pactlab sweep sma-2019 --vary 'parties.us.reservation=uniform(0.2,0.45)' --sensitivity

  pactlab sweep sma-2019 --target negotiate -s us=boulware -n 500 --json

  pactlab sweep --resume 3f2a9c1d7e4b
"""


@app.command(help=SWEEP_HELP)
def sweep(
    scenario: str | None = typer.Argument(
        None, metavar="SCENARIO", help="Built-in scenario id or TOML file (for --target "
        "forecast: a stakeholder source). Not given with --resume."),
    target: str = typer.Option("analyze", "--target", "-t", metavar="NAME",
                               help="What runs per sample: analyze, negotiate, linkage or "
                               "forecast."),
    samples: int = typer.Option(1000, "--samples", "-n", metavar="N",
                                help="Samples (with --sensitivity: base samples N; N·(D+2) "
                                "run for D uncertain numbers)."),
    design: str = typer.Option("mc", "--design", metavar="NAME",
                               help="mc (Monte Carlo), sobol or lhs (Latin hypercube)."),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Seed of the design; the same "
                             "seed gives the same samples and results on any engine."),
    vary: list[str] = typer.Option(
        [], "--vary", metavar="PATH=DIST(…)", help="A prior, repeatable, e.g. "
        "'parties.us.reservation=uniform(0.2,0.45)'; dists: uniform(lo,hi), "
        "triangular(lo,mode,hi), normal(mean,sd), beta(a,b), choice(v1,v2,…), "
        "lognormal(median,sigma). Overrides a file prior on the same path."),
    noise: str | None = NOISE_OPTION,
    sensitivity: bool = typer.Option(False, "--sensitivity",
                                     help="Sobol' first/total-order indices (Saltelli design) "
                                     "and a one-at-a-time tornado; prints the top drivers."),
    engine: str = typer.Option("local", "--engine", metavar="NAME",
                               help="local (process pool) or ray."),
    workers: int | None = typer.Option(None, "--workers", "-j", metavar="N",
                                       help="Worker processes (default: the CPUs available)."),
    address: str | None = typer.Option(None, "--address", metavar="ADDR",
                                       help="Ray cluster to join: ray://HOST:PORT or auto "
                                       "(default: start a local Ray)."),
    store: str | None = typer.Option(None, "--store", metavar="PATH|URL",
                                     help="Run store: a SQLite file or a SQLAlchemy URL "
                                     "(default: $PACTLAB_STORE or the user data folder)."),
    resume_id: str | None = typer.Option(None, "--resume", metavar="RUN_ID",
                                         help="Finish a stored run that was interrupted."),
    strategy: list[str] = typer.Option([], "--strategy", "-s", metavar="PARTY=SPEC",
                                       help="negotiate: a party's strategy (repeatable)."),
    rounds: int | None = typer.Option(None, "--rounds", "-r", metavar="N",
                                      help="negotiate: deadline in turns (100); forecast: "
                                      "model rounds."),
    time_limit: float = TIME_LIMIT_OPTION,
    tracks: str | None = typer.Option(None, "--tracks", metavar="TRACKS",
                                      help="linkage: issues per track, e.g. "
                                      "payment,weapons|troops (default: each issue alone)."),
    model: str = typer.Option("bdm", "--model", "-m", metavar="NAME",
                              help="forecast: mean, median, condorcet, bdm or smp."),
    batch: int = typer.Option(0, "--batch", metavar="N",
                              help="Samples per batch (default: from the sample count)."),
    memory: str | None = typer.Option(None, "--memory", metavar="SIZE",
                                      help="Memory budget for the design and results "
                                      "(default 1G)."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                       help="Write the per-sample table (.parquet or .csv)."),
    top: int = typer.Option(5, "--top", metavar="N", help="Sensitivity drivers shown."),
    progress: bool | None = PROGRESS_OPTION,
    json_: bool = JSON_OPTION,
) -> None:
    from pactlab.analysis.methods import parse_memory
    from pactlab.negotiation.registry import party_assignments
    from pactlab.sweep import resume
    from pactlab.sweep import sweep as run_sweep

    started: list[str] = []
    try:
        with progress_bar("sweep", progress) as bar:
            if resume_id is not None:
                if scenario is not None:
                    raise SweepError("--resume takes the run's own scenario and parameters; "
                                     "give no SCENARIO with it")
                started.append(resume_id)
                res = resume(resume_id, store, engine=engine, workers=workers, address=address,
                             progress=bar)
            else:
                if scenario is None:
                    raise SweepError("give a SCENARIO to sweep, or --resume RUN_ID")
                options: dict[str, Any] = {}
                if target == "negotiate":
                    options = {"strategies": party_assignments(strategy, "--strategy") or None,
                               "rounds": rounds or 100, "time_limit": time_limit or None}
                elif strategy:
                    raise SweepError("--strategy goes with --target negotiate")
                if target == "linkage" and tracks:
                    from pactlab.analysis.linkage import parse_tracks

                    options["tracks"] = parse_tracks(tracks)
                if target == "forecast":
                    options = {"model": model,
                               "model_options": {} if rounds is None else {"rounds": rounds}}
                res = run_sweep(scenario, target, samples=samples, design=design, seed=seed,
                                vary=vary, noise=noise, sensitivity=sensitivity,
                                engine=engine, workers=workers, address=address,
                                store=store or _default_store(), batch=batch,
                                memory=parse_memory(memory), progress=bar,
                                command=["pactlab", *sys.argv[1:]],
                                on_start=started.append, **options)
    except KeyboardInterrupt:
        run = f" {started[0]}" if started else ""
        err_console.print(f"interrupted; the samples committed so far are kept. Resume with: "
                          f"pactlab sweep --resume{run or ' RUN_ID'}"
                          + (f" --store {store}" if store else ""), highlight=False)
        raise typer.Exit(130) from None
    if output is not None:
        res.write(output)
    if json_:
        print_json(res.to_dict())
        return
    _print(res, top)
    if output is not None:
        console.print(f"per-sample table written to {output}")


def _default_store() -> str:
    from pactlab.sweep.store import default_location

    return default_location()


def _fmt(x: Any) -> str:
    return "—" if x is None else f"{x:.4g}" if isinstance(x, float) else str(x)


def _print(res: Any, top: int) -> None:
    d = res.to_dict()
    console.print(f"[bold]sweep[/] of [bold]{d['scenario']}[/] ({d['target']}): "
                  f"{d['samples']:,} samples, design {d['design']}, seed {d['seed']}, "
                  f"engine {d['engine']}, run [bold]{d['run_id']}[/]", highlight=False)
    if d.get("p_deal_possible") is not None:
        console.print(f"P(deal possible) = {d['p_deal_possible']:.3f}", highlight=False)
    if d.get("p_agreement") is not None:
        console.print(f"P(agreement) = {d['p_agreement']:.3f}", highlight=False)
    blocks = ({"nash": d["solutions"]["nash"]} if d["target"] == "analyze"
              else {"negotiation": d["negotiation"]} if d["target"] == "negotiate" else {})
    for name, block in blocks.items():
        table = Table(title=f"{name}: predicted value per issue (samples with a deal)",
                      title_justify="left")
        for col in ("issue", "median", "50%", "90%", "most common"):
            table.add_column(col, justify="left" if col == "issue" else "right")
        for iid, e in block["issues"].items():
            mode = max(e["shares"].items(), key=lambda kv: kv[1]) if e["shares"] else None
            common = f"{mode[0]} ({mode[1]:.0%})" if mode and mode[1] > 0 else "—"
            if e.get("quantiles"):
                table.add_row(iid, _fmt(e["quantiles"]["50"]),
                              "–".join(map(_fmt, e["intervals"]["50"])),
                              "–".join(map(_fmt, e["intervals"]["90"])), common)
            else:
                table.add_row(iid, "", "", "", common)
        console.print(table)
    if d["target"] == "linkage":
        link = d["linkage"]
        console.print(f"P(package deal) = {link['p_package']:.3f}; P(separate settlements "
                      f"feasible together) = {link['p_separate_feasible']:.3f}")
        _print_distributions("value of linkage per party", link["gain"])
    if d["target"] == "forecast":
        _print_distributions("forecast per dimension", d["forecast"]["dimensions"])
    if d.get("sensitivity"):
        _print_sensitivity(d["sensitivity"], top)


def _print_distributions(title: str, dists: dict[str, Any]) -> None:
    table = Table(title=title, title_justify="left")
    for col in ("", "median", "50%", "90%", "mean"):
        table.add_column(col, justify="left" if not col else "right")
    for name, e in dists.items():
        if e is None:
            table.add_row(name, "—", "—", "—", "—")
            continue
        table.add_row(name, _fmt(e["quantiles"]["50"]), "–".join(map(_fmt, e["intervals"]["50"])),
                      "–".join(map(_fmt, e["intervals"]["90"])), _fmt(e["mean"]))
    console.print(table)


def _print_sensitivity(sens: dict[str, Any], top: int) -> None:
    from pactlab.sweep.sensitivity import top_drivers

    for output, entry in sens["sobol"].items():
        if entry.get("note"):
            console.print(f"{output}: {entry['note']}")
            continue
        table = Table(title=f"Top drivers of {output} (Sobol' total order)", title_justify="left")
        for col in ("uncertain number", "total", "first", "tornado 5%→95%"):
            table.add_column(col, justify="left" if col == "uncertain number" else "right")
        swings = {r["path"]: r for r in sens["tornado"].get(output, [])}
        for path, total in top_drivers(sens, output, top):
            t = swings.get(path)
            first = entry["first"][path]
            table.add_row(path, f"{total:.3f}", "—" if first is None else f"{first:.3f}",
                          f"{t['low']:.4g} → {t['high']:.4g}" if t else "")
        console.print(table)


# --- runs ---------------------------------------------------------------------------------

RUN_ACTIONS = ("list", "show", "export", "delete")


@app.command("runs")
def runs(
    action: str = typer.Argument(..., metavar="ACTION",
                                 help="list, show RUN_ID, export RUN_ID -o FILE or delete RUN_ID."),
    run_id: str | None = typer.Argument(None, metavar="RUN_ID", help="A run's id."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                       help="export: a .parquet or .csv file."),
    store: str | None = typer.Option(None, "--store", metavar="PATH|URL",
                                     help="Run store (default: $PACTLAB_STORE or the user data "
                                     "folder)."),
    json_: bool = JSON_OPTION,
) -> None:
    """List, show, export or delete the sweeps in the run store.

    Examples: pactlab runs list; pactlab runs show 3f2a9c1d7e4b --json;
    pactlab runs export 3f2a9c1d7e4b -o samples.parquet; pactlab runs delete 3f2a9c1d7e4b
    """
    from pactlab.sweep import RunStore, stored_result

    if action not in RUN_ACTIONS:
        raise SweepError(f"unknown action {action!r}; expected one of {', '.join(RUN_ACTIONS)}")
    if (action == "list") != (run_id is None):
        raise SweepError("`runs list` takes no RUN_ID" if action == "list"
                         else f"`runs {action}` needs a RUN_ID (see `pactlab runs list`)")
    if (action == "export") != (output is not None):
        raise SweepError("`runs export RUN_ID` needs -o FILE (.parquet or .csv)"
                         if action == "export" else "-o/--output goes with `runs export`")
    st = RunStore(store)
    if action == "list" or run_id is None:
        _list_runs(st.list(), json_)
    elif action == "show":
        run = st.get(run_id)
        res = stored_result(run_id, st) if run.status == "finished" else None
        if json_:
            print_json({"run": run.to_dict(), "result": None if res is None else res.to_dict()})
            return
        for key, value in run.to_dict().items():
            if key != "params":
                console.print(f"[bold]{key}[/]: {value}", highlight=False)
        if res is not None:
            _print(res, 5)
        else:
            console.print(f"resume with: pactlab sweep --resume {run_id}"
                          + (f" --store {store}" if store else ""), highlight=False)
    elif action == "export" and output is not None:
        stored_result(run_id, st).write(output)
        console.print(f"written to {output}")
    else:
        st.delete(run_id)
        console.print(f"deleted run {run_id}")


def _list_runs(runs: list[Any], json_: bool) -> None:
    if json_:
        print_json([{k: v for k, v in r.to_dict().items() if k != "params"} for r in runs])
        return
    table = Table(title="Runs", title_justify="left")
    for col in ("run", "status", "scenario", "target", "done", "samples", "started"):
        table.add_column(col, justify="right" if col in ("done", "samples") else "left",
                         no_wrap=col in ("run", "started"))
    for r in runs:
        table.add_row(r.id, r.status, Path(r.scenario).name, r.target, f"{r.done:,}",
                      f"{r.samples:,}", r.started.strftime("%Y-%m-%d %H:%M:%S"))
    console.print(table)
