"""A time bound for long analyses: progress, a prediction from the pace so far, a refusal.

Every long loop of the analysis layer reports `progress(done, total)` (the kernel's
filters too). `Clock` wraps the caller's callback: it forwards each report and, given
a bound in seconds, predicts the time of the whole run from the pace so far: the time
of the phases already finished plus the current phase's elapsed time scaled by
`total / done`. When the prediction or the elapsed time passes the bound it raises
`BudgetError` with the prediction and how to raise the bound, so a run never goes on
more than about one report past its bound, and one that cannot finish in time is
refused after `SETTLE` seconds instead of at the bound.

A phase is a run of reports with one total (enumeration: outcomes; the exact frontier:
thousandths of its estimated work; the exact counts: partial outcomes); a new total, or
`done` going back, starts the next phase. Enumeration costs about the same per outcome,
so its prediction is close. The exact frontier's estimate of the work left takes the
partial frontier as no larger than it is now, so its prediction is a lower bound; the
message says "or more" for both.
"""

from __future__ import annotations

import time

from pactlab.errors import BudgetError
from pactlab.kernel.bargaining import Progress

SETTLE = 1.0  # seconds of a phase before its pace is trusted for a prediction


def duration(seconds: float) -> str:
    """Seconds as a short readable duration: 2.5 s, 450 s, 12.5 min, 3.2 h."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 600:
        return f"{seconds:,.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:,.1f} min"
    return f"{seconds / 3600:,.1f} h"


class Clock:
    """A progress callback that forwards reports and enforces a time bound.

    Parameters
    ----------
    max_seconds
        The bound in seconds of wall time (the user waits on the wall clock); None or
        0 for no bound.
    progress
        The caller's callback, called first with every report.
    what
        What is being timed, for the message ("the exact frontier of 3 parties").
    hint
        A sentence appended to the refusal: how to make the work smaller.
    """

    def __init__(self, max_seconds: float | None, progress: Progress | None = None,
                 what: str = "The analysis", hint: str = "") -> None:
        self.limit = max_seconds or None
        self.progress = progress
        self.what = what
        self.hint = hint
        self.start = self.phase_start = time.perf_counter()
        self.total = self.done = -1

    def __call__(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)
        if self.limit is None:
            return
        now = time.perf_counter()
        if total != self.total or done < self.done:  # a new phase (the first from the start)
            self.phase_start = self.start if self.total < 0 else now
            self.total = total
        self.done = done
        elapsed, in_phase = now - self.start, now - self.phase_start
        predicted = elapsed
        if done > 0 and in_phase >= SETTLE:
            predicted = (self.phase_start - self.start) + in_phase * max(total, done) / done
        if predicted > self.limit or elapsed > self.limit:
            raise BudgetError(
                f"{self.what} was stopped after {duration(elapsed)}: at the pace so far it "
                f"would take about {duration(predicted)} or more, past the time bound of "
                f"{duration(self.limit)}. Raise the bound with --max-seconds SECONDS "
                f"(max_seconds= in Python; 0 for none).{' ' + self.hint if self.hint else ''}"
            )


def part(progress: Progress | None, start: int, end: int, total: int) -> Progress | None:
    """A callback reporting a sub-task's `(done, of)` as the span `[start, end]` of `total`."""
    if progress is None:
        return None

    def report(done: int, of: int) -> None:
        progress(start + (end - start) * done // max(of, 1), total)

    return report
