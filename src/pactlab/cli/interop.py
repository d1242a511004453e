"""Commands for GENIUS interop: import-genius, export-genius."""

from __future__ import annotations

from pathlib import Path

import tomli_w
import typer

from pactlab.cli.app import JSON_OPTION, app, console, print_json
from pactlab.errors import InteropError
from pactlab.fileio import atomic_write
from pactlab.interop.genius import DEFAULT_REAL_STEPS, genius_scenario, genius_scenario_data
from pactlab.interop.genius_export import write_genius
from pactlab.model.loading import load_scenario


@app.command("import-genius")
def import_genius(
    domain: Path = typer.Argument(..., help="GENIUS domain file (XML).", metavar="DOMAIN"),
    profiles: list[Path] = typer.Argument(..., help="GENIUS profile files, one per party.",
                                          metavar="PROFILE..."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE",
                                help="Scenario TOML file to write (missing folders are "
                                "created)."),
    real_steps: int = typer.Option(
        DEFAULT_REAL_STEPS, "--real-steps", metavar="N",
        help="Grid points for each real-valued issue."
    ),
    scenario_id: str | None = typer.Option(
        None, "--id", metavar="NAME", help="Scenario id (default: from the domain file name)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a GENIUS domain and its profiles as a scenario file, with GENIUS's semantics.

    Utilities equal GENIUS's for every outcome: discrete evaluations divided by
    the issue's largest, linear evaluators clipped to [0, 1], weights as written,
    utility capped at 1, missing reservation 0, discount factor kept as metadata.
    The file is written only once the scenario it holds validates.

    Example: pactlab import-genius domain.xml buyer.xml seller.xml -o deal.toml
    """
    data = genius_scenario_data(domain, list(profiles), real_steps, scenario_id)
    sc = genius_scenario(data, domain)  # validates before anything is written
    if not output.parent.is_dir():
        try:
            output.parent.mkdir(parents=True)
        except OSError as exc:
            raise InteropError(f"cannot create {output.parent}: {exc.strerror}") from None
    atomic_write(output, tomli_w.dumps(data))
    summary = {"scenario": sc.id, "file": str(output), "issues": len(sc.issues),
               "parties": sc.party_ids, "outcomes": sc.outcome_count}
    if as_json:
        print_json(summary)
        return
    console.print(f"Wrote [bold]{output}[/]: scenario {sc.id!r}, {len(sc.issues)} issues, "
                  f"parties {', '.join(sc.party_ids)}, {sc.outcome_count:,} outcomes.",
                  highlight=False)


@app.command("export-genius")
def export_genius(
    scenario: str = typer.Argument(..., help="Built-in scenario id or a TOML file.",
                                   metavar="SCENARIO"),
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR",
                                help="Folder to write the XML files to (created if missing; "
                                "other files in it are kept)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Export a scenario as a GENIUS domain file and one profile per party.

    Issues become discrete GENIUS issues; importing the files back gives the same
    utility for every outcome. Limits and interactions cannot be exported. File names
    come from the scenario and party ids, slugged when they are not plain names, and
    all files appear together or none does.

    Example: pactlab export-genius deal.toml -o genius/
    """
    paths = write_genius(load_scenario(scenario), output)
    if as_json:
        print_json({"files": [str(p) for p in paths]})
        return
    for path in paths:
        console.print(f"Wrote [bold]{path}[/]", highlight=False)
