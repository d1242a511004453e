"""Progress bars for long commands, on stderr, driven by the library's progress callbacks.

Library functions take ``progress: Callable[[int, int], None] | None`` and call it with
``(done, total)``; they never print. The CLI turns that into a rich bar with an ETA on
stderr: on a terminal by default, and also when stderr is a file or pipe if the user asks
with ``--progress`` (a batch job's log then shows how far a sweep has come). Nothing is ever
written on stdout, so ``--json`` output stays clean.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import typer

ProgressCallback = Callable[[int, int], None]

PROGRESS_OPTION = typer.Option(
    None, "--progress/--no-progress",
    help="Show a progress bar on stderr (default: only when stderr is a terminal).",
)


def wanted(flag: bool | None) -> bool:
    """Whether to draw a bar: the user's explicit choice, else only on a terminal."""
    return sys.stderr.isatty() if flag is None else flag


@contextlib.contextmanager
def progress_bar(description: str, flag: bool | None = None,
                 total: int | None = None) -> Iterator[ProgressCallback | None]:
    """A ``(done, total)`` callback drawing a rich bar on stderr, or None when not wanted.

    Parameters
    ----------
    description
        What is being done ("sweep", "enumerating outcomes").
    flag
        ``--progress`` (True), ``--no-progress`` (False) or not given (None: a terminal only).
    total
        The amount of work if known now; the callback may also give it on each call.
    """
    if not wanted(flag):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True, force_terminal=sys.stderr.isatty() or None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False,
                  refresh_per_second=4 if console.is_terminal else 0.2) as bar:
        task = bar.add_task(description, total=total)

        def advance(done: int, total_now: int) -> None:
            bar.update(task, completed=done, total=total_now)

        yield advance
