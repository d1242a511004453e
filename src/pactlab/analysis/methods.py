"""How `analyze` covers a domain: streaming enumeration or the exact additive frontier.

- `enumerate` visits every outcome in chunks sized to the memory budget
  (`pactlab.analysis.scan`), with a progress bar on a terminal for long runs.
  It works for every domain and counts individually rational outcomes exactly.
- `exact` builds the frontier issue by issue (`pactlab.analysis.exact`) and never
  enumerates; it needs additive utilities (no interactions). It does not count
  individually rational outcomes nor find each party's lowest ZOPA utility:
  both would need enumeration, so they are reported as unknown (None).
- `auto` enumerates small spaces (at most `AUTO_ENUMERATE_MAX` outcomes that fit
  the budget in one chunk) so their counts are exact, and uses the exact method
  for larger additive spaces. Larger spaces with interactions are enumerated if
  they are within `ENUMERATION_LIMIT`; otherwise a `BudgetError` says why.

  The threshold stays at 10^6 although the exact method is far faster from 10^5
  on (bench/frontier_bench.py): enumerating 10^6 outcomes takes about half a
  second and keeps the counts exact, which the default should not give up;
  callers who do not need counts pass `exact`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from pactlab.analysis.exact import (
    DEFAULT_MEMORY,
    exact_frontier,
    interaction_problem,
    require_additive,
)
from pactlab.analysis.scan import Scan, scan
from pactlab.errors import BudgetError, UnknownNameError
from pactlab.model.domain import Domain

METHODS = ("auto", "enumerate", "exact")
AUTO_ENUMERATE_MAX = 1_000_000
ENUMERATION_LIMIT = 10**10  # about half an hour at ~5 million outcomes per second
MIN_CHUNK = 1024
MAX_CHUNK = 1 << 20
PROGRESS_MIN = 10**7  # outcomes; smaller runs finish in a couple of seconds
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_memory(text: str | int | None) -> int | None:
    """A memory budget such as `512M`, `2G`, `1.5GiB` or a number of bytes, in bytes."""
    if text is None or isinstance(text, int):
        return text
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]?)(I?B)?\s*", text.upper())
    if not match or float(match.group(1)) <= 0:
        raise BudgetError(f"memory budget {text!r}: expected a size such as 512M, 2G or 1.5GiB")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def budget_of(memory: int | None) -> int:
    budget = DEFAULT_MEMORY if memory is None else int(memory)
    if budget <= 0:
        raise BudgetError(f"memory budget must be positive, got {budget} bytes")
    return budget


def bytes_per_outcome(domain: Domain) -> int:
    """Working memory per outcome of a chunk: index, rows, utilities and temporaries."""
    return 8 * (3 * domain.n_issues + 4 * domain.n_parties + 4)


def choose_method(domain: Domain, method: str = "auto", memory: int | None = None) -> str:
    """`enumerate` or `exact` for this domain, or an error saying why neither will do."""
    if method not in METHODS:
        raise UnknownNameError(f"unknown method {method!r}; expected one of {list(METHODS)}")
    budget = budget_of(memory)
    if method == "exact":
        require_additive(domain)
        return "exact"
    if method == "enumerate":
        check_enumerable(domain, budget)
        return "enumerate"
    n = domain.n_outcomes
    fits = n * bytes_per_outcome(domain) <= budget
    if domain.is_additive and not (n <= AUTO_ENUMERATE_MAX and fits):
        return "exact"
    check_enumerable(domain, budget)
    return "enumerate"


def check_enumerable(domain: Domain, budget: int) -> None:
    """Raise `BudgetError` when enumeration cannot run within the limit and the budget."""
    n = domain.n_outcomes
    hint = ("the domain is additive: use method 'exact'" if domain.is_additive
            else f"and the exact method does not apply: {interaction_problem(domain)}")
    if n > ENUMERATION_LIMIT:
        raise BudgetError(
            f"{n:,} outcomes are too many to enumerate (limit {ENUMERATION_LIMIT:,}); {hint}"
        )
    if MIN_CHUNK * bytes_per_outcome(domain) * 4 > budget:
        raise BudgetError(
            f"a memory budget of {budget:,} bytes cannot hold even {MIN_CHUNK} outcomes at a "
            f"time (needs {4 * MIN_CHUNK * bytes_per_outcome(domain):,} bytes); raise it"
        )


def enumerate_domain(domain: Domain, memory: int | None = None,
                     progress: bool | None = None) -> Scan:
    """Streaming enumeration within the budget (chunks of about a quarter of it).

    `progress`: show a rich progress bar on stderr; None = only for long runs on a terminal.
    """
    budget = budget_of(memory)
    check_enumerable(domain, budget)
    chunk = int(min(MAX_CHUNK, max(MIN_CHUNK, budget // (4 * bytes_per_outcome(domain)))))
    max_frontier = max(1, budget // (64 * (domain.n_parties + 1)))
    if progress is None:
        progress = domain.n_outcomes >= PROGRESS_MIN and sys.stderr.isatty()
    with _progress_bar(domain.n_outcomes, progress) as advance:
        return scan(domain, chunk=chunk, progress=advance, max_frontier=max_frontier)


@contextmanager
def _progress_bar(total: int, show: bool) -> Iterator[Callable[[int], None] | None]:
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("enumerating"), BarColumn(), TextColumn("{task.percentage:>5.1f}%"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("enumerate", total=total)
        yield lambda n: bar.advance(task, n)


@dataclass(frozen=True, eq=False)
class ExactScan:
    """What the exact method knows, shaped like `Scan`; unknown counts are None."""

    outcomes: int
    feasible: int
    individually_rational: int | None
    frontier_utilities: np.ndarray
    rows: np.ndarray
    ir_low: np.ndarray  # nan: unknown without enumeration
    ir_high: np.ndarray

    def frontier_rows(self, domain: Domain) -> np.ndarray:
        return self.rows


def exact_domain(domain: Domain, memory: int | None = None) -> ExactScan:
    """The exact frontier, with the counts and ZOPA bounds it can give without enumerating."""
    front = exact_frontier(domain, budget_of(memory))
    k = domain.n_parties
    ir = (front.utilities >= domain.reservations).all(axis=1)
    # each party's best IR utility is reached on the frontier; its lowest is not
    high = front.utilities[ir].max(axis=0) if ir.any() else np.full(k, np.nan)
    return ExactScan(
        outcomes=domain.n_outcomes,
        feasible=front.feasible,
        individually_rational=None if ir.any() else 0,
        frontier_utilities=front.utilities,
        rows=front.rows,
        ir_low=np.full(k, np.nan),
        ir_high=high,
    )
