"""Progress bars for long commands, on stderr, driven by the library's progress callbacks.

Library functions take ``progress: Callable[[int, int], None] | None`` and call it with
``(done, total)``; they never print. The CLI turns that into a rich bar with an ETA on
stderr: on a terminal by default once the work has run `QUIET_FOR` seconds (long work shows
a bar, short work no flicker), and also when stderr is a file or pipe if the user asks with
``--progress`` (a batch job's log then shows how far a sweep has come). A file or pipe
gets plain lines instead of a redrawn bar, one every `LOG_EVERY` seconds and one at the end
(a rich bar is only drawn there when it finishes). Nothing is ever written on stdout, so
``--json`` output stays clean.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import typer

ProgressCallback = Callable[[int, int], None]
LOG_EVERY = 5.0  # seconds between two plain progress lines when stderr is not a terminal
QUIET_FOR = 2.0  # seconds of work before a bar appears on a terminal unless --progress asks

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
    if not sys.stderr.isatty():
        lines = _LogLines(description, total)
        try:
            yield lines
        finally:
            lines.log()
        return
    bar = _TerminalBar(description, total, 0.0 if flag else QUIET_FOR)
    try:
        yield bar
    finally:
        bar.close()


class _TerminalBar:
    """A rich bar on a terminal, drawn once the work has run `quiet_for` seconds (work that
    ends sooner leaves no trace)."""

    def __init__(self, description: str, total: int | None, quiet_for: float) -> None:
        self.description, self.total = description, total
        self.done = 0
        self.start = time.monotonic()
        self.quiet_for = quiet_for
        self.bar: Any = None
        self.task: Any = None
        if quiet_for <= 0:
            self._draw()

    def _draw(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
        self.bar = Progress(*columns, console=Console(stderr=True), transient=False,
                            refresh_per_second=4)
        self.bar.start()
        self.task = self.bar.add_task(self.description, total=self.total,
                                      completed=self.done)

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.bar is None and time.monotonic() - self.start >= self.quiet_for:
            self._draw()
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class _LogLines:
    """Plain progress lines on stderr (a log file or a pipe): every `LOG_EVERY` s, and last."""

    def __init__(self, description: str, total: int | None) -> None:
        self.description, self.total = description, total
        self.done = 0
        self.start = self.logged = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.logged >= LOG_EVERY:
            self.logged = now
            self.log()

    def log(self) -> None:
        elapsed = time.monotonic() - self.start
        if not self.total:
            text = f"{self.description} {self.done} {_clock(elapsed)}"
        else:
            eta = _clock(elapsed * (self.total - self.done) / self.done) if self.done else "-"
            text = (f"{self.description} {self.done}/{self.total} "
                    f"{100 * self.done / self.total:.0f}% {_clock(elapsed)} eta {eta}")
        print(text, file=sys.stderr, flush=True)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
