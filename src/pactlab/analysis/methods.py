"""How `analyze` covers a domain: streaming enumeration or the exact additive frontier.

- `enumerate` visits every outcome in chunks sized to the memory budget
  (`pactlab.analysis.scan`). It works for every domain and counts individually
  rational outcomes exactly.
- `exact` builds the frontier issue by issue (`pactlab.analysis.exact`) and never
  enumerates; it needs additive utilities (no interactions). With two parties it
  also counts the individually rational outcomes and finds each party's lowest
  ZOPA utility exactly, by meeting in the middle (`pactlab.analysis.counts`);
  with more parties, or past that method's limits, both are reported as unknown
  (None) with the reason in the assumptions.
- `auto` uses the exact method for every two-party additive space (exact
  frontier, exact counts, no enumeration) and for larger additive spaces with
  more parties; it enumerates small spaces of three or more parties (at most
  `AUTO_ENUMERATE_MAX` outcomes that fit the budget), so that their counts are
  exact, and every space with interactions within `ENUMERATION_LIMIT`; beyond
  that a `BudgetError` says why.

Progress: long work reports `(done, total)` to an optional callback; the
command line turns it into a bar on stderr. No library module draws anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pactlab.analysis.counts import counts_problem, zopa_counts
from pactlab.analysis.exact import (
    DEFAULT_MEMORY,
    exact_frontier,
    interaction_problem,
    require_additive,
)
from pactlab.analysis.scan import Scan, scan
from pactlab.errors import BudgetError, UnknownNameError
from pactlab.kernel.bargaining import individually_rational
from pactlab.model.domain import Domain

METHODS = ("auto", "enumerate", "exact")
AUTO_ENUMERATE_MAX = 1_000_000
ENUMERATION_LIMIT = 10**10  # about half an hour at ~5 million outcomes per second
MIN_CHUNK = 1024
MAX_CHUNK = 1 << 20
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
    if domain.is_additive and (domain.n_parties == 2 or not (n <= AUTO_ENUMERATE_MAX and fits)):
        return "exact"
    check_enumerable(domain, budget)
    return "enumerate"


def check_enumerable(domain: Domain, budget: int) -> None:
    """Raise `BudgetError` when enumeration cannot run within the limit and the budget.

    The limit is on the feasible outcomes, the ones enumeration visits; every outcome
    still needs a 64-bit index.
    """
    n = domain.feasible_count  # what enumeration visits: limits drop the rest unvisited
    hint = ("the domain is additive: use method 'exact'" if domain.is_additive
            else f"and the exact method does not apply: {interaction_problem(domain)}")
    if n > ENUMERATION_LIMIT:
        raise BudgetError(
            f"{n:,} feasible outcomes are too many to enumerate (limit "
            f"{ENUMERATION_LIMIT:,}); {hint}"
        )
    if not domain.indexable:
        raise BudgetError(
            f"{domain.n_outcomes:,} outcomes are more than 64-bit indices can number (2**63), "
            f"so they cannot be enumerated, even the {n:,} feasible ones; {hint}"
        )
    if MIN_CHUNK * bytes_per_outcome(domain) * 4 > budget:
        raise BudgetError(
            f"a memory budget of {budget:,} bytes cannot hold even {MIN_CHUNK} outcomes at a "
            f"time (needs {4 * MIN_CHUNK * bytes_per_outcome(domain):,} bytes); raise it"
        )


def enumerate_domain(domain: Domain, memory: int | None = None,
                     progress: Callable[[int, int], None] | None = None) -> Scan:
    """Streaming enumeration within the budget (chunks of about a quarter of it).

    `progress(done, total)` is called with the outcomes visited so far.
    """
    budget = budget_of(memory)
    check_enumerable(domain, budget)
    chunk = int(min(MAX_CHUNK, max(MIN_CHUNK, budget // (4 * bytes_per_outcome(domain)))))
    max_frontier = max(1, budget // (64 * (domain.n_parties + 1)))
    return scan(domain, chunk=chunk, progress=progress, max_frontier=max_frontier)


@dataclass(frozen=True, eq=False)
class ExactScan:
    """What the exact method knows, shaped like `Scan`; unknown counts are None."""

    outcomes: int
    feasible: int
    individually_rational: int | None
    frontier_utilities: np.ndarray
    rows: np.ndarray
    ir_low: np.ndarray  # nan: empty ZOPA, or unknown (then `uncounted` says why)
    ir_high: np.ndarray
    uncounted: str | None = None  # why the rational outcomes were not counted

    def frontier_rows(self, domain: Domain) -> np.ndarray:
        return self.rows


def exact_domain(domain: Domain, memory: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ExactScan:
    """The exact frontier, with exact counts and ZOPA lows where they can be had.

    Two parties: counted by meeting in the middle (`pactlab.analysis.counts`);
    otherwise, or past its limits, the counts and lows are None and `uncounted`
    says why. `progress(done, total)` hears about the frontier (in issues), then
    about the counts (in partial outcomes).
    """
    budget = budget_of(memory)
    front = exact_frontier(domain, budget, progress)
    k = domain.n_parties
    ir = individually_rational(front.utilities, domain.reservations)
    # each party's best IR utility is reached on the frontier; its lowest is not
    high = front.utilities[ir].max(axis=0) if ir.any() else np.full(k, np.nan)
    count: int | None = 0
    low = np.full(k, np.nan)
    problem = None
    if ir.any():
        problem = counts_problem(domain, budget)
        if problem is None:
            counts = zopa_counts(domain, progress)
            count, low = counts.individually_rational, counts.lowest
        else:
            count = None
    return ExactScan(
        outcomes=domain.n_outcomes,
        feasible=front.feasible,
        individually_rational=count,
        frontier_utilities=front.utilities,
        rows=front.rows,
        ir_low=low,
        ir_high=high,
        uncounted=problem,
    )
