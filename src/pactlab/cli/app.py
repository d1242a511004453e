"""The typer application and what every command shares: JSON output and error handling."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from pactlab.errors import PactlabError

console = Console()
err_console = Console(stderr=True)


class PactlabGroup(TyperGroup):
    """Turns a `PactlabError` into a one-paragraph message and exit code 2, never a traceback."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PactlabError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False,
                              soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=PactlabGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="pactlab: analyse, simulate and forecast multi-issue, multi-party negotiations.\n\n"
    "A SCENARIO is a built-in id (see `pactlab list`) or a TOML file; every command "
    "takes --json for one machine-readable object.",
)


def _version(value: bool) -> None:
    if value:
        from pactlab import __version__

        console.print(f"pactlab {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Options that apply before any command."""

JSON_OPTION = typer.Option(False, "--json", help="Print one stable JSON object instead of tables.")


def to_json(obj: Any) -> str:
    """Strict, indented JSON text. JSON has no NaN or infinity: such values (an
    undefined quantity) are written as null."""
    return json.dumps(finite(obj), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def print_json(obj: Any) -> None:
    """Print a JSON object on stdout, unwrapped, so that it pipes into jq and friends."""
    sys.stdout.write(to_json(obj))


def finite(obj: Any) -> Any:
    """`obj` with every NaN or infinite float replaced by None, recursively."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [finite(v) for v in obj]
    return obj
