"""`pactlab list`: the shipped scenarios and cases, from `pactlab.model.catalog`.

A module of its own so that `list` imports neither the scenario schema (pydantic models)
nor numpy: it reads the shipped files' ids, titles and sizes straight from their TOML.
"""

from __future__ import annotations

from dataclasses import asdict

import typer

from pactlab.cli.app import JSON_OPTION, app, console, print_json
from pactlab.model.catalog import catalog


@app.command("list")
def list_scenarios(
    cases: bool = typer.Option(False, "--cases",
                               help="Only the case library (scenarios with a recorded outcome)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the built-in scenarios and the case library.

    A case is a scenario modelled as of a date before a known outcome; `pactlab backtest`
    scores every method on the cases.

    Example: pactlab list --cases
    """
    entries = catalog(cases_only=cases)
    if as_json:
        print_json({"scenarios": [asdict(e) for e in entries]})
        return
    from rich.table import Table  # not for --json: rich costs about 50 ms to import

    table = Table(title="Case library" if cases else "Built-in scenarios and cases")
    for col in ("id", "kind", "as of", "outcome", "size"):
        table.add_column(col, no_wrap=True)
    table.add_column("title")
    for e in entries:
        table.add_row(e.id, e.kind, e.as_of or "", e.outcome_date or "",
                      f"{e.issues}×{len(e.parties)}", e.title)
    console.print(table)
