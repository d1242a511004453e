"""Commands on scenarios: list, show, validate, analyze, evaluate, linkage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pactlab.cli.app import JSON_OPTION, app, console, err_console, escape, print_json
from pactlab.cli.progress import PROGRESS_OPTION, progress_bar
from pactlab.errors import PactlabError, ScenarioError, listing
from pactlab.fileio import atomic_write
from pactlab.model.labels import label_key
from pactlab.model.loading import load_scenario
from pactlab.model.provenance import missing_bases, unused_values
from pactlab.model.references import assumed_defaults

if TYPE_CHECKING:  # the analysis layer and rich are imported where used (fast start-up)
    from rich.table import Table

    from pactlab.analysis.analyze import Analysis
    from pactlab.analysis.results import Point
    from pactlab.model.claims import SourcesReport

MAX_SECONDS_OPTION = typer.Option(
    600.0, "--max-seconds", metavar="SECONDS", min=0,
    help="Time bound: stop, saying the predicted time, when the work runs past it or its "
    "pace predicts it will (0: no bound).")
SHORT_NAMES = {"nash": "Nash", "kalai_smorodinsky": "KS", "utilitarian": "utilit.",
               "egalitarian": "egalit."}
SCENARIO_ARG = typer.Argument(..., help="Built-in scenario id (see `pactlab list`) or a TOML file.")


def _fmt_outcome(outcome: dict) -> str:
    return ", ".join(f"{k}={label_key(v)}" for k, v in outcome.items())


@app.command()
def show(scenario: str = SCENARIO_ARG, as_json: bool = JSON_OPTION) -> None:
    """Show a scenario's issues, parties, limits, linkages and sources.

    Example: pactlab show sma-2019
    """
    sc = load_scenario(scenario)
    if as_json:
        print_json(sc.model_dump(mode="json") | {"outcomes": sc.outcome_count})
        return
    from rich.panel import Panel
    from rich.table import Table

    about = " ".join(sc.description.split())
    console.print(Panel(escape(f"{sc.title or sc.id}\n{about}".strip()),
                        title=f"{sc.id} (as of {sc.as_of or 'n/a'})"))
    issues = Table(title="Issues")
    for col in ("id", "name", "unit", "options", "status quo"):
        issues.add_column(col)
    for issue in sc.issues:
        opts = ", ".join(label_key(v) for v in issue.labels())
        sq = "" if issue.status_quo is None else label_key(issue.status_quo)
        issues.add_row(issue.id, issue.name, issue.unit, opts, sq)
    console.print(issues)
    parties = Table(title="Parties")
    for col in ("id", "name", "reservation", "weights", "limits", "linkages"):
        parties.add_column(col)
    for party in sc.parties:
        weights = ", ".join(f"{k} {w:g}" for k, w in party.weights.items() if w)
        if party.utility is not None:
            rules = party.utility
            weights += f" (weights {rules.weights}" + (
                f", utility capped at {rules.cap:g}" if rules.cap is not None else "") + ")"
        limits = "; ".join(_limit_text(lim) for lim in party.limits)
        links = "; ".join(
            f"+{x.value:g} if " + " & ".join(f"{k} in {v}" for k, v in x.when.items())
            for x in party.interactions
        )
        parties.add_row(party.id, party.name, f"{party.reservation:g}", weights, limits, links)
    console.print(parties)
    if sc.sources:
        sources = Table(title="Sources")
        for col in ("id", "title", "document"):
            sources.add_column(col)
        for s in sc.sources:
            sources.add_row(s.id, s.title, s.document or s.url or "")
        console.print(sources)
    console.print(f"{sc.outcome_count:,} possible outcomes.")


def _limit_text(limit) -> str:
    if limit.allowed is not None:
        return f"{limit.issue} in {limit.allowed}"
    lo = "" if limit.min is None else f"{limit.min:g} ≤ "
    hi = "" if limit.max is None else f" ≤ {limit.max:g}"
    return f"{lo}{limit.issue}{hi}"


@app.command()
def validate(
    files: list[str] = typer.Argument(..., help="Scenario files or built-in ids."),
    sources: bool = typer.Option(
        False, "--sources", help="Also check the sources: quotes against local copies of "
        "their documents (--docs), each copy's SHA-256, that every quote-only basis states "
        "the numbers it stands for, and dated claims against dated sources."
    ),
    docs: list[Path] = typer.Option(
        [], "--docs", metavar="DIR",
        help="Folder holding local copies of the source documents (repeatable)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check scenario files; exit code 2 if any is invalid or (with --sources) misquotes.

    Example: pactlab validate sma-2019 --sources --docs ../shared/seeds
    """
    # numpy loads only to compare reservations with a status quo that stays without a deal
    # (the domain is compiled); the evidence layer only with --sources, which reads quotes
    from pactlab.model.consistency import reservation_warnings

    reports = []
    for name in files:
        report: dict = {"file": name, "valid": True, "error": None, "warnings": []}
        try:
            sc = load_scenario(name)
        except ScenarioError as exc:
            report |= {"valid": False, "error": str(exc),
                       "problems": [{"key": k, "message": m} for k, m in exc.problems]}
            reports.append(report)
            continue
        report["warnings"] = [f"{key}: {message}" for key, message in assumed_defaults(sc)]
        report["warnings"] += [f"{key}: number without a basis" for key in missing_bases(sc)]
        report["warnings"] += [f"{key}: ignored, the issue has no weight for this party"
                               for key in unused_values(sc)]
        report["warnings"] += reservation_warnings(sc)
        if sources:
            from pactlab.model.claims import check_sources

            checked = check_sources(sc, docs)
            report |= checked.to_dict()
            report["valid"] = checked.ok
            if not checked.ok:
                report["error"] = _sources_error(name, checked)
        reports.append(report)
    failed = [r for r in reports if not r["valid"]]
    if as_json:
        print_json({"files": reports, "valid": not failed})
    else:
        _print_validation(reports)
    if failed:
        raise typer.Exit(2)


def _sources_error(name: str, checked: SourcesReport) -> str:
    parts = []
    missing = sum(q.found is False for q in checked.quotes)
    if missing:
        parts.append(f"{missing} quote(s) not found in their documents")
    mismatched = sum(s.status == "sha256 mismatch" for s in checked.sources)
    if mismatched:
        parts.append(f"{mismatched} document(s) with another SHA-256 than recorded")
    if checked.numbers:
        parts.append(f"{len(checked.numbers)} number(s) their quote does not contain")
    if checked.contradictions:
        parts.append(f"{len(checked.contradictions)} claim(s) contradicting a dated source")
    return f"{name}: " + "; ".join(parts)


def _print_validation(reports: list[dict]) -> None:
    """Verdicts: "ok" on stdout; refusals and misquotes on stderr, like every error."""
    for r in reports:
        quotes = r.get("quotes", [])
        if r["valid"]:
            n = sum(q["found"] is True for q in quotes)
            unchecked = sum(q["found"] is None for q in quotes)
            extra = f", {n} quote(s) found in their documents" if n else ""
            extra += f", {unchecked} quote(s) not checked" if unchecked else ""
            console.print(f"[green]ok[/] {escape(r['file'])}{extra}", highlight=False)
        else:
            err_console.print(f"[bold red]invalid[/] {escape(r['error'])}", highlight=False,
                              soft_wrap=True)
        problems = [f"{s['source']}: {s['problem']}" for s in r.get("sources", [])
                    if s["status"] == "sha256 mismatch"]
        problems += [f"{q['key']}: {q['problem']}: “{q['quote']}”" for q in quotes
                     if q["found"] is False]
        problems += [f"{p['key']}: {p['message']}: “{p['quote']}”" for p in r.get("numbers", [])]
        problems += [f"{c['key']}: {c['message']}" for c in r.get("contradictions", [])]
        for text in problems:
            err_console.print(f"  [red]✗[/] {escape(text)}", highlight=False, soft_wrap=True)
        if r.get("unchecked"):
            console.print(f"  [yellow]not checked[/] (no local copy; give --docs DIR): "
                          f"{escape(listing(r['unchecked']))}", highlight=False, soft_wrap=True)
        for w in r["warnings"]:
            console.print(f"  [yellow]warning[/] {escape(w)}", highlight=False, soft_wrap=True)


@app.command("analyze")
def analyze_cmd(
    scenario: str = SCENARIO_ARG,
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Also write the full result (with ZOPA "
        "and assumptions) as JSON to this file (missing folders are created, and said so)."
    ),
    method: str = typer.Option(
        "auto", "--method", metavar="NAME", help="How to cover the outcomes: enumerate "
        "(every outcome, in chunks), exact (frontier built issue by issue; additive scenarios "
        "only) or auto."
    ),
    memory: str | None = typer.Option(
        None, "--memory", metavar="SIZE",
        help="Memory budget for the analysis, e.g. 512M or 2G (default 1G)."
    ),
    max_seconds: float = MAX_SECONDS_OPTION,
    progress: bool | None = PROGRESS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Pareto frontier, Nash / Kalai–Smorodinsky / utilitarian / egalitarian, ZOPA, status quo.

    Example: pactlab analyze us-rok-2025 --json
    """
    from pactlab.analysis.analyze import analyze
    from pactlab.analysis.methods import parse_memory
    from pactlab.result import to_json

    budget = parse_memory(memory)
    sc = load_scenario(scenario)
    with progress_bar("analysing", progress) as advance:
        result = analyze(sc, method=method, memory=budget, progress=advance,
                         max_seconds=max_seconds)
    if output is not None:
        _make_folder(output)
        atomic_write(output, to_json(result.to_dict(full=True)))
    if as_json:
        print_json(result)  # a Result is made plain once (its to_dict() would be twice)
        return
    _print_analysis(result)
    if output is not None:
        console.print(f"Full result written to [bold]{escape(str(output))}[/].")


def _make_folder(path: Path) -> None:
    """Create the missing folders of an output file, and say so on stderr (a mistyped
    folder name then shows at once instead of silently becoming a new folder)."""
    folder = path.parent
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise PactlabError(f"{path}: cannot create the folder {folder}: {exc.strerror}.") \
            from None
    err_console.print(f"Created the folder {escape(str(folder))} for {escape(path.name)}.",
                      highlight=False, soft_wrap=True)


def _utilities_table(title: str, parties: tuple[str, ...] | list[str],
                     rows: list[tuple[str, Point | None]]) -> Table:
    """One row per outcome, one column per party's utility."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("")
    for p in parties:
        table.add_column(p, justify="right")
    for name, pt in rows:
        if pt is None:
            table.add_row(SHORT_NAMES.get(name, name), *("—" for _ in parties))
        else:
            table.add_row(SHORT_NAMES.get(name, name),
                          *(f"{pt.utilities[p]:.3f}" for p in parties))
    return table


def _outcomes_table(title: str, columns: list[tuple[str, Point | None]]) -> Table:
    """One row per issue, one column per outcome: readable however many issues there are."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("issue")
    shown = [(SHORT_NAMES.get(name, name), pt) for name, pt in columns if pt is not None]
    for name, _ in shown:
        table.add_column(name, overflow="fold")
    if not shown:
        return table
    for issue in shown[0][1].outcome:
        table.add_row(issue, *(label_key(pt.outcome[issue]) for _, pt in shown))
    return table


def _nash(product: float | None) -> str:
    return "— (not rational for every party)" if product is None else f"{product:.4f}"


def _count(n: int | None, what: str) -> str:
    return f"{what}: not counted" if n is None else f"{n:,} {what}"


def _utility(u: float | None) -> str:
    return "not computed" if u is None else f"{u:.3f}"


def _print_analysis(res: Analysis) -> None:
    from rich.panel import Panel
    from rich.table import Table

    console.print(Panel(
        f"{res.outcomes:,} outcomes · {res.feasible:,} feasible · "
        f"{_count(res.individually_rational, 'individually rational')} · "
        f"{len(res.pareto):,} on the Pareto frontier · method: {res.method}",
        title=f"analysis of {res.scenario}",
    ))
    if res.feasible == 0:
        console.print("[bold yellow]No deal possible:[/] the parties' hard limits leave no "
                      "feasible outcome.")
    elif not res.deal_possible:
        console.print("[bold yellow]No deal possible:[/] no feasible outcome is at least as "
                      "good as no deal for every party.")
    else:
        many = ("some" if res.individually_rational is None
                else f"{res.individually_rational:,}")
        console.print(f"[bold green]Deal possible:[/] {many} feasible outcome(s) at least as "
                      "good as no deal for every party.")
    rows: list[tuple[str, Point | None]] = list(res.solutions.items())
    rows.append(("status quo", res.status_quo))
    console.print(_utilities_table("Utilities", res.parties, rows))
    console.print(_outcomes_table("Outcomes", rows))
    zopa = Table(title="Zone of possible agreement" if res.zopa.exists
                 else "No zone of possible agreement")
    for col in ("party", "reservation", "lowest in ZOPA", "highest in ZOPA"):
        zopa.add_column(col, justify="right" if col != "party" else "left")
    for p in res.parties:
        rng = res.zopa.ranges[p]
        lo, hi = ("—", "—") if rng is None else (_utility(rng[0]), _utility(rng[1]))
        zopa.add_row(p, f"{res.reservations[p]:.3f}", lo, hi)
    console.print(zopa)
    console.print("[dim]Assumptions: " + " ".join(res.assumptions) + "[/]")


@app.command()
def evaluate(
    scenario: str = SCENARIO_ARG,
    offer: str = typer.Option(..., "--offer", help='Offer as issue=value pairs, e.g. '
                              '"payment=1.2,troops=keep"; issues left out stay at status quo.'),
    top: int = typer.Option(5, "--top", help="How many dominating outcomes to list."),
    max_seconds: float = MAX_SECONDS_OPTION,
    progress: bool | None = PROGRESS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Evaluate an offer: feasible? rational for whom? Pareto-optimal? What beats it?

    Example: pactlab evaluate sma-2019 --offer "payment=1.2,troops=keep"
    """
    from pactlab.analysis.offers import evaluate_offer

    sc = load_scenario(scenario)
    with progress_bar("searching", progress) as advance:
        ev = evaluate_offer(sc, offer, top=top, progress=advance, max_seconds=max_seconds)
    if as_json:
        print_json(ev)
        return
    parties = list(ev.offer.utilities)
    rows: list[tuple[str, Point | None]] = [("offer", ev.offer)]
    rows += [(f"better #{n + 1}", p) for n, p in enumerate(ev.dominated_by)]
    console.print(_utilities_table("Offer and the best outcomes that dominate it", parties, rows))
    console.print(_outcomes_table("Outcomes", rows))
    if ev.snapped:
        moved = ", ".join(f"{k} {v['given']} → {label_key(v['used'])}"  # type: ignore[arg-type]
                          for k, v in ev.snapped.items())
        console.print(f"Snapped to the nearest grid point: {escape(moved)}.", highlight=False)
    if ev.filled_from_status_quo:
        console.print(f"Taken at status quo: {', '.join(ev.filled_from_status_quo)}.")
    feas = "yes" if ev.feasible else f"no (violates limits of {', '.join(ev.violates_limits_of)})"
    ir = ", ".join(f"{p}: {'yes' if ok else 'no'}" for p, ok in ev.individually_rational.items())
    console.print(f"Feasible: {feas}\nIndividually rational: {ir}\n"
                  f"Pareto-optimal: {'yes' if ev.pareto_optimal else 'no'}\n"
                  f"Nash product: {_nash(ev.nash_product)}")


@app.command()
def linkage(
    scenario: str = SCENARIO_ARG,
    tracks: str | None = typer.Option(
        None, "--tracks", help='Issue tracks, e.g. "payment,weapons|troops" '
        "(default: every issue on its own)."
    ),
    max_seconds: float = MAX_SECONDS_OPTION,
    progress: bool | None = PROGRESS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Value of linkage: settle issues track by track, or all in one package?

    Example: pactlab linkage us-rok-2025 --json
    """
    from pactlab.analysis.linkage import linkage_value

    sc = load_scenario(scenario)
    with progress_bar("analysing the package", progress) as advance:
        res = linkage_value(sc, tracks, progress=advance, max_seconds=max_seconds)
    if as_json:
        print_json(res)
        return
    from rich.table import Table

    table = Table(title="Tracks settled separately (others at status quo)")
    table.add_column("track")
    table.add_column("agreed")
    table.add_column("settlement")
    for t in res.tracks:
        table.add_row(", ".join(t.issues), "yes" if t.agreed else "no (stays at status quo)",
                      _fmt_outcome(t.settlement))
    console.print(table)
    parties = list(res.separate.utilities)
    rows: list[tuple[str, Point | None]] = [
        ("separate", res.separate), ("package (Nash)", res.package)
    ]
    console.print(_utilities_table("Separate tracks vs one package", parties, rows))
    console.print(_outcomes_table("Outcomes", rows))
    if not res.separate.feasible:
        console.print("[yellow]The separate settlements put together break a party's hard "
                      "limits: that combined outcome is not a feasible agreement.[/]")
    if res.gain is not None:
        gains = ", ".join(f"{p} {g:+.3f}" for p, g in res.gain.items())
        console.print(f"Gain of linking: {gains}")
    console.print("[dim]Assumptions: " + " ".join(res.assumptions) + "[/]")
