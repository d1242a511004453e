"""`pactlab report`: one self-contained HTML briefing on a scenario."""

from __future__ import annotations

from pathlib import Path

import typer

from pactlab.cli.app import JSON_OPTION, NOISE_OPTION, app, console, print_json
from pactlab.cli.progress import PROGRESS_OPTION, progress_bar


@app.command("report")
def report_cmd(
    scenario: str = typer.Argument(..., metavar="SCENARIO",
                                   help="Built-in scenario id (see `pactlab list`) or a TOML "
                                   "file."),
    output: Path = typer.Option(None, "--output", "-o", metavar="FILE",
                                help="The HTML file to write (default: SCENARIO-ID.html in "
                                "the current folder)."),
    strategy: list[str] = typer.Option(
        [], "--strategy", metavar="PARTY=NAME",
        help="Strategy of a party in the simulated negotiation, repeatable (see `pactlab "
        "negotiate --help`)."),
    others: str = typer.Option("linear", "--others", metavar="NAME",
                               help="Strategy of the parties not given by --strategy."),
    rounds: int = typer.Option(100, "--rounds", min=1, metavar="N",
                               help="Deadline of the simulated negotiation, in turns."),
    seed: int = typer.Option(0, "--seed", metavar="N",
                             help="Random seed of the negotiation and the sweep."),
    samples: int | None = typer.Option(
        None, "--samples", "-n", metavar="N", min=1,
        help="Add a sweep of N samples (default: 500 when the scenario has priors, none "
        "otherwise; with --samples and no priors, --noise defaults to "
        "weights=0.3,reservations=0.05)."),
    noise: str | None = NOISE_OPTION,
    as_json: bool = JSON_OPTION,
    progress: bool | None = PROGRESS_OPTION,
) -> None:
    """Write a self-contained HTML report: scenario and sources, analysis, ZOPA, linkage,
    one negotiation, the forecast, the sweep and the backtest where they apply.

    The file needs no network to open (plotly.js is inside) and prints cleanly.

    Example: pactlab report us-rok-2025 -o out/us-rok-2025.html --strategy us=boulware
    """
    from pactlab.errors import PactlabError
    from pactlab.fileio import atomic_write
    from pactlab.model.loading import load_scenario
    from pactlab.negotiation.registry import party_assignments
    from pactlab.report.document import build_report

    sc = load_scenario(scenario)
    path = output if output is not None else Path(f"{sc.id}.html")
    with progress_bar("report", progress) as bar:
        text = build_report(sc, strategies=party_assignments(strategy, "--strategy"), others=others,
                            rounds=rounds, seed=seed, samples=samples, noise=noise,
                            progress=bar)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PactlabError(f"{path}: cannot write: {exc.strerror}.") from None
    atomic_write(path, text)
    if as_json:
        print_json({"scenario": sc.id, "output": str(path), "bytes": len(text.encode())})
        return
    console.print(f"Report written to [bold]{path}[/] ({len(text.encode()) / 1e6:.1f} MB); "
                  "open it in a browser.")
