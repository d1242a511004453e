"""Commands that simulate negotiations: `negotiate` (one session) and `tournament`."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from pactlab.cli.app import JSON_OPTION, app, console, err_console, print_json
from pactlab.cli.progress import PROGRESS_OPTION, progress_bar
from pactlab.errors import PactlabError

if TYPE_CHECKING:
    from pactlab.negotiation import SessionResult
    from pactlab.negotiation.tournament import TournamentResult

SCENARIO_ARG = typer.Argument(..., help="Built-in scenario id (see `pactlab list`) or a TOML file.")
DEFAULT_STRATEGY = "linear"  # the protocol's default; a test checks they agree
DEFAULT_LINEUP = "boulware,linear,conceder,hardliner,tit-for-tat"
TRACE_HEAD, TRACE_TAIL = 8, 16
STRATEGY_HELP = (
    "A strategy is a built-in name (`pactlab strategies` lists them with their parameters) "
    "with optional ':key=value' parameters (e.g. 'time:e=0.5:ac=combi'), or "
    "'file.py:ClassName' for your own Strategy subclass."
)
TIME_LIMIT_OPTION = typer.Option(
    10.0, "--time-limit", metavar="SECONDS",
    help="Seconds each call into a user strategy (file.py:Class) may take; 0 for no limit.")


def _numbers(values: list[str], what: str) -> float | dict[str, Any] | None:
    """`0.99` for every party, or `party=0.99` per party."""
    if not values:
        return None
    if len(values) == 1 and "=" not in values[0]:
        try:
            return float(values[0])
        except ValueError:
            raise PactlabError(f"--{what} {values[0]!r}: expected a number or PARTY=NUMBER") \
                from None
    from pactlab.negotiation.registry import party_assignments

    return party_assignments(values, f"--{what}")


@app.command()
def negotiate(
    scenario: str = SCENARIO_ARG,
    strategy: list[str] = typer.Option(
        [], "--strategy", "-s", metavar="PARTY=SPEC",
        help=f"Repeatable; unlisted parties play {DEFAULT_STRATEGY!r} (see --others). "
        f"{STRATEGY_HELP}"),
    others: str = typer.Option(DEFAULT_STRATEGY, "--others", metavar="SPEC",
                               help="Strategy of unlisted parties."),
    rounds: int = typer.Option(100, "--rounds", "-r", help="Deadline in turns; in each turn one "
                               "party accepts, counters or walks away."),
    discount: list[str] = typer.Option(
        [], "--discount", metavar="NUMBER|PARTY=NUMBER",
        help="Discount factor per turn: one number for all, or PARTY=NUMBER "
        "(repeatable). Default 1 (no discounting)."),
    reservation: list[str] = typer.Option(
        [], "--reservation", metavar="PARTY=NUMBER",
        help="Override a reservation value: PARTY=NUMBER (repeatable)."),
    first: str | None = typer.Option(None, "--first", metavar="PARTY",
                                     help="Party that makes the opening offer."),
    complete: bool = typer.Option(False, "--complete-information",
                                  help="Let every strategy see everyone's utilities."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed replays the session."),
    time_limit: float = TIME_LIMIT_OPTION,
    full_trace: bool = typer.Option(False, "--full-trace", help="Print every turn."),
    show_progress: bool | None = PROGRESS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Simulate one negotiation by alternating offers and show its trace and outcome.

    Example: pactlab negotiate sma-2019 -s us=boulware -s rok=tit-for-tat --rounds 60
    """
    from pactlab.negotiation import run_session
    from pactlab.negotiation.protocol import resolve_scenario
    from pactlab.negotiation.registry import party_assignments

    name, space = resolve_scenario(scenario)
    chosen = party_assignments(strategy, "--strategy")
    specs = {p: chosen.get(p, others) for p in space.domain.party_ids} | chosen
    with contextlib.ExitStack() as stack:
        res = run_session(
            space, specs, rounds=rounds, discount=_numbers(discount, "discount"),
            reservations=_numbers(reservation, "reservation"), first=first,
            complete_information=complete, seed=seed, name=name, time_limit=time_limit,
            progress=_lazy_bar(stack, "turns", show_progress),
        )
    if as_json:
        print_json(res.to_dict())
        return
    _print_session(res, full_trace)


def _outcome_text(outcome: dict | None) -> str:
    from pactlab.model.labels import label_key

    if outcome is None:
        return "—"
    return ", ".join(f"{k}={label_key(v)}" for k, v in outcome.items())


def _compact(outcome: dict | None) -> str:
    from pactlab.model.labels import label_key

    return "" if outcome is None else "(" + ", ".join(label_key(v) for v in outcome.values()) + ")"


def _print_session(res: SessionResult, full: bool) -> None:
    lineup = ", ".join(f"{p}: {s}" for p, s in res.strategies.items())
    console.print(Panel(escape(f"{lineup}\ndeadline {res.rounds} turns · seed {res.seed}"),
                        title=f"negotiation on {res.scenario}"))
    issues = list(res.outcome or (res.trace[0].outcome if len(res.trace) else {}) or {})
    table = Table(title="Trace: each turn's action and every party's utility of the offer",
                  caption=f"offer = ({', '.join(issues)})")
    for col in ("round", "party", "action"):
        table.add_column(col)
    for p in res.parties:
        table.add_column(p, justify="right")
    table.add_column("offer", overflow="fold")
    steps = list(range(len(res.trace)))
    if not full and len(steps) > TRACE_HEAD + TRACE_TAIL:
        steps = [*steps[:TRACE_HEAD], -1, *steps[-TRACE_TAIL:]]
    for i in steps:
        if i < 0:
            hidden = len(res.trace) - TRACE_HEAD - TRACE_TAIL
            table.add_row("…", "", "", *("" for _ in res.parties),
                          f"{hidden} more turns (--full-trace shows them)")
            continue
        s = res.trace[i]
        us = [f"{s.utilities[p]:.3f}" if s.utilities else "" for p in res.parties]
        shown = _compact(s.outcome) if s.action == "offer" else ""
        table.add_row(str(s.round), s.party, s.action, *us, escape(shown))
    console.print(table)
    if res.agreement:
        head = (f"[bold green]Agreement[/] on the offer of round {res.agreement_round} "
                f"({res.rounds_used} turns used)")
    else:
        by = f" by {res.ended_by}" if res.ended_by else ""
        sq = "the status quo holds" if res.outcome else "each party gets its reservation"
        head = f"[bold red]No agreement[/] ({res.end.replace('_', ' ')}{by}): {sq}"
    console.print(head)
    console.print(f"Outcome: {escape(_outcome_text(res.outcome))}", highlight=False)
    result = Table(title="Result")
    for col, just in (("party", "left"), ("strategy", "left"), ("utility", "right"),
                      ("discounted", "right"), ("reservation", "right"), ("surplus", "right")):
        result.add_column(col, justify=just)  # type: ignore[arg-type]
    for p in res.parties:
        result.add_row(p, escape(res.strategies[p]), f"{res.utilities[p]:.3f}",
                       f"{res.discounted[p]:.3f}", f"{res.reservations[p]:.3f}",
                       f"{res.surplus[p]:+.3f}")
    console.print(result)
    nash = "n/a" if res.nash_distance is None else f"{res.nash_distance:.3f}"
    console.print(f"Social welfare {res.welfare:.3f} · distance to the Pareto frontier "
                  f"{res.pareto_distance:.3f} · to the Nash point {nash}", highlight=False)


@app.command("tournament")
def tournament_cmd(
    scenarios: list[str] = typer.Argument(..., help="Built-in scenario ids or TOML files."),
    strategies: list[str] = typer.Option(
        [DEFAULT_LINEUP], "--strategies", metavar="SPECS",
        help=f"Comma-separated strategy specs (repeatable). {STRATEGY_HELP}"),
    reps: int = typer.Option(20, "--reps", metavar="N", help="Repetitions of every pairing, "
                             "each with its own seed."),
    rounds: int = typer.Option(100, "--rounds", "-r", metavar="N", help="Deadline in turns."),
    discount: list[str] = typer.Option([], "--discount", metavar="NUMBER|PARTY=NUMBER",
                                       help="Discount factor per turn (one number, or "
                                       "PARTY=NUMBER)."),
    complete: bool = typer.Option(False, "--complete-information",
                                  help="Let every strategy see everyone's utilities."),
    seed: int = typer.Option(0, "--seed", help="Tournament seed; each session's seed derives "
                             "from it."),
    workers: int = typer.Option(2, "--workers", "-j", metavar="N",
                                help="Local worker processes."),
    time_limit: float = TIME_LIMIT_OPTION,
    output: list[Path] = typer.Option(
        [], "--output", "-o", metavar="FILE", help="Write every session's results (one row "
        "per party) to a .parquet or .csv file (repeatable)."),
    show_progress: bool | None = PROGRESS_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Play every assignment of strategies to parties × scenarios × repetitions, in parallel.

    Example: pactlab tournament sma-2019 --strategies boulware,conceder,tit-for-tat --reps 50
    """
    from pactlab.negotiation.tournament import check_output, tournament

    for path in output:
        check_output(path)  # before the tournament runs, not after
    specs = [s for item in strategies for s in item.split(",") if s.strip()]
    with contextlib.ExitStack() as stack:
        try:
            res = tournament(
                scenarios, specs, reps=reps, rounds=rounds, seed=seed, workers=workers,
                discount=_numbers(discount, "discount"), complete_information=complete,
                progress=_lazy_bar(stack, "sessions", show_progress), time_limit=time_limit,
            )
        except KeyboardInterrupt:
            stack.close()
            err_console.print("interrupted: the tournament stopped and its worker processes "
                              "were ended; nothing was written", highlight=False,
                              soft_wrap=True)
            raise typer.Exit(130) from None
    written = tuple(str(res.write(path)) for path in output)
    res = dataclasses.replace(res, outputs=written)
    if as_json:
        print_json(res.to_dict())
        return
    _print_tournament(res)


def _lazy_bar(stack: contextlib.ExitStack, description: str, flag: bool | None
              ) -> Callable[[int, int], None]:
    """A progress callback whose bar appears at its first call: the library calls it only
    once its arguments are checked, so an argument error is never preceded by a bar."""
    bar: list[Callable[[int, int], None] | None] = []

    def advance(done: int, total: int) -> None:
        if not bar:
            bar.append(stack.enter_context(progress_bar(description, flag, total)))
        if bar[0] is not None:
            bar[0](done, total)

    return advance


PAIRINGS_PER_SCENARIO = 10


def _print_tournament(res: TournamentResult) -> None:
    table = Table(title=f"Tournament: {res.sessions:,} sessions on {', '.join(res.scenarios)} "
                  f"({res.reps} reps, deadline {res.rounds})")
    for col in ("strategy", "agreement", "utility", "surplus", "rounds", "to Pareto",
                "to Nash"):
        table.add_column(col, justify="left" if col == "strategy" else "right")
    for s in res.summary():
        table.add_row(escape(s["strategy"]), f"{s['agreement_rate']:.0%}", f"{s['utility']:.3f}",
                      f"{s['surplus']:+.3f}", f"{s['rounds_used']:.1f}",
                      f"{s['pareto_distance']:.3f}", _opt(s["nash_distance"]))
    console.print(table)
    pairs = res.pairings()
    shown = [r for name in res.scenarios for r in sorted(
        (r for r in pairs if r["scenario"] == name), key=lambda r: -r["welfare"]
    )[:PAIRINGS_PER_SCENARIO]]
    ptable = Table(title="Pairings by social welfare" + (
        f" (best {PAIRINGS_PER_SCENARIO} per scenario of {len(pairs)})"
        if len(pairs) > len(shown) else ""))
    for col in ("scenario", "pairing", "agreement", "welfare", "rounds", "to Pareto"):
        ptable.add_column(col, justify="left" if col in ("scenario", "pairing") else "right")
    for r in shown:
        ptable.add_row(r["scenario"], escape(r["pairing"]), f"{r['agreement_rate']:.0%}",
                       f"{r['welfare']:.3f}", f"{r['rounds_used']:.1f}",
                       f"{r['pareto_distance']:.3f}")
    console.print(ptable)
    console.print("Utility and surplus are per party and session, averaged over every role a "
                  "strategy played; surplus is utility minus reservation.", highlight=False)
    for path in res.outputs:
        console.print(f"Results written to [bold]{escape(path)}[/].")


def _opt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


@app.command("strategies")
def strategies_cmd(as_json: bool = JSON_OPTION) -> None:
    """List the built-in negotiation strategies with their parameters and defaults.

    Example: pactlab strategies --json
    """
    from pactlab.negotiation.registry import strategy_catalogue

    catalogue = strategy_catalogue()
    if as_json:
        print_json(catalogue)
        return
    table = Table(title="Negotiation strategies (spec: name:key=value:…)", show_lines=True)
    for col in ("strategy", "what it does", "parameters (default; allowed)"):
        table.add_column(col, overflow="fold")
    for s in catalogue:
        name = s["name"] + (f"\n({', '.join(s['aliases'])})" if s["aliases"] else "")
        params = "\n".join(
            f"{p['name']}={_plain(p['default'])}; "
            f"{'|'.join(p['allowed']) if isinstance(p['allowed'], list) else p['allowed']}: "
            f"{p['help']}" for p in s["parameters"]) or "none"
        notes = [note for flag, note in (("complete_information", "sees everyone's utilities"),
                                         ("two_parties_only", "two parties only")) if s[flag]]
        what = s["description"] + (f" ({'; '.join(notes)})" if notes else "")
        table.add_row(escape(name), escape(what), escape(params))
    console.print(table)
    console.print("Your own: 'file.py:ClassName' for a subclass of pactlab.negotiation."
                  "Strategy.", highlight=False)


def _plain(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
