"""The typer application and what every command shares: JSON output and error handling.

Commands are loaded lazily: `COMMANDS` names each command's module and one-line help, so
`pactlab --help` and a command's own start-up import only what that command needs (numpy,
pydantic and the analysis layers are not imported to print the help).
"""

from __future__ import annotations

import functools
import importlib
import sys
from typing import Any

import typer
from typer import _click as click  # typer vendors click; its types are the ones it calls
from typer.core import TyperArgument, TyperGroup, TyperOption

from pactlab.errors import PactlabError
from pactlab.result import write_json


class _LazyConsole:
    """A rich `Console` made on first use: a command that prints only JSON never imports rich
    (about 50 ms of every such run)."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return getattr(self._console, name)


console: Any = _LazyConsole()
err_console: Any = _LazyConsole(stderr=True)


def escape(text: str) -> str:
    """`text` escaped for rich markup; only a text holding "[" can be read as markup, so no
    other text needs rich imported."""
    if "[" not in text:
        return text
    from rich.markup import escape as rich_escape

    return rich_escape(text)

COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("pactlab.cli.listing", "List the built-in scenarios and the case library."),
    "show": ("pactlab.cli.core",
             "Show a scenario's issues, parties, limits, linkages and sources."),
    "validate": ("pactlab.cli.core",
                 "Check scenario files; exit code 2 if any is invalid or (with --sources) "
                 "misquotes."),
    "analyze": ("pactlab.cli.core",
                "Pareto frontier, Nash / Kalai–Smorodinsky / utilitarian / egalitarian, ZOPA, "
                "status quo."),
    "evaluate": ("pactlab.cli.core",
                 "Evaluate an offer: feasible? rational for whom? Pareto-optimal? What beats "
                 "it?"),
    "linkage": ("pactlab.cli.core",
                "Value of linkage: settle issues track by track, or all in one package?"),
    "extract": ("pactlab.cli.evidence",
                "Every quantity (money, percent, ratio, count, date), actor and inconsistency "
                "in FILES."),
    "forecast": ("pactlab.cli.forecast",
                 "Forecast where a many-actor negotiation settles, who moves, and along which "
                 "path."),
    "import-genius": ("pactlab.cli.interop",
                      "Import a GENIUS domain and its profiles as a scenario file, with "
                      "GENIUS's semantics."),
    "export-genius": ("pactlab.cli.interop",
                      "Export a scenario as a GENIUS domain file and one profile per party."),
    "negotiate": ("pactlab.cli.negotiation",
                  "Simulate one negotiation by alternating offers and show its trace and "
                  "outcome."),
    "tournament": ("pactlab.cli.negotiation",
                   "Play every assignment of strategies to parties × scenarios × repetitions, "
                   "in parallel."),
    "sweep": ("pactlab.cli.sweep",
              "Sweep a scenario's uncertain numbers: P(deal), intervals, sensitivity, resumable "
              "runs."),
    "runs": ("pactlab.cli.sweep", "List, show, export or delete the sweeps in the run store."),
    "strategies": ("pactlab.cli.negotiation",
                   "List the built-in negotiation strategies with their parameters and "
                   "defaults."),
    "backtest": ("pactlab.cli.backtest",
                 "Score every method against what actually happened: per issue, per case, "
                 "pooled."),
    "report": ("pactlab.cli.report",
               "Write a self-contained HTML report: scenario and sources, analysis, ZOPA, "
               "linkage, one negotiation, the forecast, the sweep and the backtest where they "
               "apply."),
    "serve": ("pactlab.cli.serve",
              "Serve the web app on 127.0.0.1: scenarios, utility space, offers, negotiation, "
              "forecast, sweeps, backtests and a JSON API."),
}
"""Every command: name -> (module that registers it, one-line help shown by `--help`).

Add a command by registering it with ``@app.command(...)`` in its module and adding a row
here; a test checks that the two agree."""


def _metavar(param: TyperOption | TyperArgument) -> str:
    """A readable metavar (``N``, ``X``, ``PATH``, ``SCENARIO``...) for a parameter that
    typer would otherwise show as a Python type such as ``<bool>`` or ``<list[str]>``."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    descriptor = param.type_descriptor
    annotation: Any = descriptor.annotation
    if descriptor.is_list:
        annotation = next(iter(getattr(annotation, "__args__", ())), str)
    if isinstance(param, TyperArgument):
        name = (param.name or "value").upper()
    elif descriptor.is_choice:
        name = "|".join(str(c) for c in descriptor.choices or ())
    elif annotation is int:
        name = "N"
    elif annotation is float:
        name = "X"
    elif descriptor.is_path:
        name = "PATH"
    else:
        name = (param.name or "value").upper()
    return name + ("..." if param.nargs != 1 or descriptor.is_list else "")


def _no_type(ctx: click.Context) -> None:
    """Arguments show their name only, with no type column."""
    return None


def readable_help(command: click.Command) -> click.Command:
    """Give every parameter of `command` a readable metavar, and show its help texts
    literally.

    Typer would show Python types (``<bool>``, ``<list[str]>``, ``<str>``) and wrap required
    arguments in braces; the help shows ``N``, ``PATH``, ``SCENARIO`` instead, and nothing
    for flags. Typer also reads help as rich markup, which would swallow the scenario
    format's table names (``[outcome]``, ``[[uncertain]]``); no help text here uses markup,
    so every one is escaped.
    """
    if command.help:
        command.help = escape(command.help)
    for param in command.params:
        if not isinstance(param, TyperOption | TyperArgument):
            continue
        if param.help:
            param.help = escape(param.help)
        if param.metavar is None:
            param.metavar = _metavar(param)
        if isinstance(param, TyperArgument):
            shown = param.metavar
            usage = shown if param.required else f"[{shown}]"
            # Instance attributes shadow typer's methods of the same name: arguments show
            # their name once (no type column, no braces in the usage line).
            param.display_type_rich = _no_type  # type: ignore[method-assign]
            param._usage_display_name = functools.partial(str, usage)  # type: ignore[method-assign]
    return command


def plain_help(option: TyperOption | None) -> TyperOption | None:
    """The ``--help`` flag without a ``<bool>`` type, and False (not None) when not given.

    Typer coerces every parameter value that is not already a bool through a pydantic
    TypeAdapter; the help flag's default of None made every command import pydantic and
    build that adapter (about 0.07 s of CPU) before running. A False default is passed
    through as it is, and means the same to the flag's callback.
    """
    if option is not None:
        option.metavar = ""
        option.default = False
    return option


class PactlabCommand(typer.core.TyperCommand):
    """A command whose ``--help`` flag shows no ``<bool>`` type."""

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        return plain_help(super().get_help_option(ctx))


class _LazyCommand(typer.core.TyperCommand):
    """Stands for a command whose module is not imported yet; loads it when it runs."""

    def __init__(self, group: PactlabGroup, name: str, short_help: str):
        super().__init__(name, short_help=short_help, help=short_help)
        self._group = group

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        real = self._group.load(self.name or "")
        return real.make_context(info_name, args, parent=parent, **extra)


class PactlabGroup(TyperGroup):
    """The `pactlab` command group.

    Turns a `PactlabError` into a one-paragraph message on stderr and exit code 2, never a
    traceback, and imports each command's module only when that command runs.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Every command goes through `load`, even one whose module is already imported, so
        # that all of them get the same readable help.
        for name, (_module, short_help) in COMMANDS.items():
            self.commands[name] = _LazyCommand(self, name, short_help)
        for param in self.params:
            if isinstance(param, TyperOption) and param.metavar is None:
                param.metavar = _metavar(param)

    def load(self, name: str) -> click.Command:
        """The real command `name`, importing the module that registers it."""
        current = self.commands.get(name)
        if current is not None and not isinstance(current, _LazyCommand):
            return current
        importlib.import_module(COMMANDS[name][0])
        for info in app.registered_commands:
            if info.callback is not None and (
                info.name or info.callback.__name__.replace("_", "-")
            ) == name:
                if not (isinstance(info.cls, type) and issubclass(info.cls, PactlabCommand)):
                    info.cls = PactlabCommand
                command = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode)
                self.commands[name] = readable_help(command)
                return self.commands[name]
        raise LookupError(f"{COMMANDS[name][0]} registers no command {name!r}")

    def get_help_option(self, ctx: click.Context) -> TyperOption | None:
        return plain_help(super().get_help_option(ctx))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PactlabError as exc:
            err_console.print(f"[bold red]error:[/] {escape(bounded(str(exc)))}",
                              highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err_console.print("interrupted (Ctrl-C); nothing more was written.",
                              highlight=False)
            raise typer.Exit(130) from None


MAX_MESSAGE = 4000
"""Longest error message printed, in characters: a refusal is one readable paragraph."""


def bounded(message: str, limit: int = MAX_MESSAGE) -> str:
    """`message` cut to `limit` characters, saying how much was left out.

    Messages list what is wrong, and a list can be huge (100,000 missing options); the
    library bounds its lists with `pactlab.errors.listing`, and this is the last guard.
    """
    if len(message) <= limit:
        return message
    return f"{message[:limit]} … ({len(message) - limit:,} more characters)"


app = typer.Typer(
    cls=PactlabGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="pactlab: analyse, simulate and forecast multi-issue, multi-party negotiations.\n\n"
    "A SCENARIO is a built-in id (see `pactlab list`) or a TOML file; every command "
    "takes --json for one machine-readable object.\n\n"
    "Start with: pactlab list; pactlab analyze sma-2019; pactlab COMMAND --help.",
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
# The one spelling of the noise shorthand, shared by every command that draws samples.
NOISE_OPTION = typer.Option(
    None, "--noise", metavar="SPEC", help="Priors on every weight and reservation: "
    "weights=SIGMA (log-normal factor exp(N(0,SIGMA)), renormalised) and/or "
    "reservations=A (uniform ±A), e.g. weights=0.3,reservations=0.05; the file's own "
    "[[uncertain]] priors apply too.")


def print_json(obj: Any) -> None:
    """Print a JSON object on stdout, unwrapped, so that it pipes into jq and friends
    (streamed: a large frontier's text is never held whole)."""
    write_json(obj, sys.stdout)
