"""Commands for GENIUS interop: import-genius, export-genius."""

from __future__ import annotations

from pathlib import Path

import typer

from pactlab.cli.app import JSON_OPTION, app, console, print_json
from pactlab.errors import InteropError
from pactlab.interop.genius import DEFAULT_REAL_STEPS, genius_scenario_data, read_genius
from pactlab.interop.genius_export import write_genius
from pactlab.interop.toml_out import dumps
from pactlab.model.loading import load_scenario


@app.command("import-genius")
def import_genius(
    domain: Path = typer.Argument(..., help="GENIUS domain file (XML)."),
    profiles: list[Path] = typer.Argument(..., help="GENIUS profile files, one per party."),
    output: Path = typer.Option(..., "--output", "-o", help="Scenario TOML file to write."),
    real_steps: int = typer.Option(
        DEFAULT_REAL_STEPS, "--real-steps", help="Grid points for each real-valued issue."
    ),
    scenario_id: str | None = typer.Option(
        None, "--id", help="Scenario id (default: from the domain file name)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import a GENIUS domain and its profiles as a scenario file, with GENIUS's semantics.

    Utilities equal GENIUS's for every outcome: discrete evaluations divided by
    the issue's largest, linear evaluators clipped to [0, 1], weights as written,
    utility capped at 1, missing reservation 0, discount factor kept as metadata.
    """
    data = genius_scenario_data(domain, list(profiles), real_steps, scenario_id)
    sc = read_genius(domain, list(profiles), real_steps, scenario_id)  # validates
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(dumps(data), encoding="utf-8")
    except OSError as exc:
        raise InteropError(f"cannot write {output}: {exc.strerror}") from None
    load_scenario(output)  # the file reads back
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
    scenario: str = typer.Argument(..., help="Built-in scenario id or a TOML file."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write the XML files to."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Export a scenario as a GENIUS domain file and one profile per party.

    Issues become discrete GENIUS issues; importing the files back gives the same
    utility for every outcome. Limits and interactions cannot be exported.
    """
    paths = write_genius(load_scenario(scenario), output)
    if as_json:
        print_json({"files": [str(p) for p in paths]})
        return
    for path in paths:
        console.print(f"Wrote [bold]{path}[/]", highlight=False)
