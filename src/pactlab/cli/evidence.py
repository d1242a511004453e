"""`pactlab extract`: quantities, actors and flagged inconsistencies in local text files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from pactlab.cli.app import JSON_OPTION, app, console, print_json
from pactlab.evidence import Evidence, Quantity, extract_files
from pactlab.evidence.extract import MAX_CHARS
from pactlab.evidence.money import format_money


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Local UTF-8 text files (no URLs, no network).",
                                       metavar="FILE..."),
    json: bool = JSON_OPTION,
    year: int | None = typer.Option(
        None, "--year", metavar="YEAR",
        help="Read money at this year's FX rates instead of the text's dates."
    ),
    max_mb: int = typer.Option(
        MAX_CHARS // 2**20, "--max-mb", metavar="N", min=1,
        help="Refuse files larger than N MiB (extraction needs a few times the text's size "
        "in memory)."
    ),
) -> None:
    """Every quantity (money, percent, ratio, count, date), actor and inconsistency in FILES.

    Spans are character offsets into each file's decoded text. With --json, one file
    prints one object {"document", "quantities", "actors", "checks", "fx"}; several
    files print a JSON list of such objects, in the order given.

    Example: pactlab extract report.txt --json
    """
    results = extract_files(files, year=year, max_chars=max_mb * 2**20)
    if json:
        dicts = [r.to_dict() for r in results]
        print_json(dicts[0] if len(dicts) == 1 else dicts)
        return
    for result in results:
        _show(result)


def _value(q: Quantity) -> str:
    """The normalised value as a reader checks it against the text."""
    if q.kind == "money":
        text = format_money(float(q.value), q.currency or "", digits=9)
        if q.value_high is not None:
            text += f" – {format_money(float(q.value_high), q.currency or '', digits=9)}"
        return text
    if q.kind == "date":
        span = f"{q.value}–{q.value_high}" if q.value_high is not None else str(q.value)
        return f"{span}{' (deadline)' if q.unit == 'deadline' else ''}"
    high = f"–{q.value_high:,}" if q.value_high is not None else ""
    number = f"{q.value:,}" if isinstance(q.value, int) else f"{q.value:g}"
    return f"{number}{high}{'' if q.unit.startswith('%') else ' '}{q.unit}"


def _show(result: Evidence) -> None:
    console.rule(f"[bold]{escape(result.document)}")
    console.print(f"FX year {result.fx.year}: {escape(result.fx.basis)}", highlight=False)
    flagged = {span for check in result.checks for span in check.spans}
    table = Table(title="Quantities", title_justify="left")
    for column in ("#", "kind", "text", "value", "USD", "span", "check"):
        table.add_column(column, justify="right" if column in ("#", "USD") else "left")
    for i, q in enumerate(result.quantities, 1):
        usd = format_money(q.usd, "USD") if q.usd is not None else ""
        is_flagged = (q.start, q.end) in flagged
        table.add_row(str(i), q.kind, escape(q.text), escape(_value(q)), usd,
                      f"{q.start}-{q.end}", "FLAGGED" if is_flagged else "",
                      style="bold red" if is_flagged else None)
    console.print(table)
    actors = Table(title="Actors", title_justify="left")
    for column in ("id", "name", "mentions", "as written"):
        actors.add_column(column)
    by_id: dict[str, list] = {}
    for mention in result.actors:
        by_id.setdefault(mention.id, []).append(mention)
    for actor_id, mentions in by_id.items():
        spellings = sorted({m.text for m in mentions})
        actors.add_row(actor_id, mentions[0].name, str(len(mentions)),
                       escape(", ".join(spellings)))
    console.print(actors)
    if not result.checks:
        console.print("[green]No inconsistencies flagged.[/]")
    for check in result.checks:
        spans = ", ".join(f"{s}-{e}" for s, e in check.spans)
        console.print(Panel(escape(check.message), title=f"[bold red]{check.kind}[/] ({spans})",
                            border_style="red"))
