"""`analyze`: the frontier, the four bargaining solutions, the ZOPA and the status quo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import ClassVar

import numpy as np

from pactlab.analysis.clock import Clock
from pactlab.analysis.methods import (
    ExactScan,
    choose_method,
    enumerate_domain,
    exact_domain,
    parse_memory,
)
from pactlab.analysis.results import Point, point
from pactlab.analysis.scan import Scan
from pactlab.kernel.bargaining import individually_rational, solve
from pactlab.model.domain import Domain, scenario_and_domain
from pactlab.model.schema import Scenario
from pactlab.result import DETAIL, HIDDEN, Result

ASSUMPTIONS = (
    "Utilities are additive over issues plus the interaction bonuses whose conditions hold.",
    "Solutions are taken over feasible, individually rational outcomes; no lotteries.",
    "The disagreement point is each party's reservation value (its BATNA).",
    "Kalai–Smorodinsky ideals are each party's best feasible individually rational utility.",
    "Ties between maximisers go to the larger utility sum, then to the earlier outcome.",
)
EXACT_NOTE = (
    "Exact method: the frontier was built issue by issue without enumerating outcomes; it "
    "lists one outcome per distinct utility vector."
)
COUNTED_NOTE = (
    "Exact method: individually rational outcomes were counted and each party's lowest ZOPA "
    "utility found without enumerating outcomes (meet in the middle)."
)
UNCOUNTED_NOTE = (
    "Exact method: individually rational outcomes were not counted and each party's lowest "
    "ZOPA utility was not computed ({why}); they are reported as unknown."
)


@dataclass(frozen=True)
class Zopa(Result):
    """Zone of possible agreement: the feasible, individually rational outcomes."""

    exists: bool
    size: int | None  # None: not counted (exact method)
    # party -> (lowest, highest) utility in it; None if empty; lowest None if not computed
    ranges: dict[str, tuple[float | None, float] | None]


@dataclass(frozen=True)
class Analysis(Result):
    """Everything `pactlab analyze` reports on a scenario.

    `to_dict()` is the `analyze --json` object; `to_dict(full=True)` adds the
    reservations, the ZOPA, the assumptions and the method (the `--output` file).
    `records()` / `to_frame()` list the frontier, one row per point.
    """

    tabular = "pareto"
    derived: ClassVar = {"deal_possible": "status_quo"}

    scenario: str
    parties: tuple[str, ...]
    outcomes: int
    feasible: int
    individually_rational: int | None  # None: not counted (exact method)
    pareto: tuple[Point, ...]
    solutions: dict[str, Point | None]
    status_quo: Point | None
    reservations: dict[str, float] = field(metadata=DETAIL)
    zopa: Zopa = field(metadata=DETAIL)
    assumptions: tuple[str, ...] = field(default=ASSUMPTIONS, metadata=DETAIL)
    # how the outcomes were covered: "enumerate" or "exact"
    method: str = field(default="enumerate", metadata=DETAIL)
    # the analysed domain, kept for figures (every outcome's utilities); not part of the JSON
    domain: Domain | None = field(default=None, repr=False, compare=False, metadata=HIDDEN)

    @cached_property
    def frontier_utilities(self) -> np.ndarray:
        """The frontier's utilities as an array, one row per point, one column per party."""
        return np.array([[p.utilities[q] for q in self.parties] for p in self.pareto],
                        dtype=float).reshape(len(self.pareto), len(self.parties))

    @property
    def deal_possible(self) -> bool:
        """Whether some feasible outcome is at least as good as no deal for every party."""
        return self.zopa.exists

    def __repr__(self) -> str:
        lines = [
            f"Analysis({self.scenario!r}: {self.outcomes} outcomes, {self.feasible} feasible, "
            f"{_count(self.individually_rational)} individually rational, "
            f"{len(self.pareto)} on the frontier; deal "
            f"{'possible' if self.deal_possible else 'not possible'})"
        ]
        for name, sol in self.solutions.items():
            if sol is None:
                lines.append(f"  {name}: none (no individually rational outcome)")
            else:
                us = ", ".join(f"{p}={u:.3f}" for p, u in sol.utilities.items())
                lines.append(f"  {name}: {sol.outcome} -> {us}")
        return "\n".join(lines)


def analyze(scenario: Scenario | str | Path, method: str = "auto",
            memory: int | str | None = None,
            progress: Callable[[int, int], None] | None = None,
            max_seconds: float | None = None) -> Analysis:
    """Analyse a scenario (object, built-in id or path).

    `method`: "enumerate" visits every outcome in memory-bounded chunks, "exact"
    builds the frontier issue by issue without enumerating (additive domains only),
    "auto" picks one by outcome count and memory (`pactlab.analysis.methods`).
    `memory`: budget in bytes or as text like the command line's `--memory`
    ("512M", "2G"; default 1 GiB). `progress(done, total)` hears about long work.
    `max_seconds`: a time bound; work that passes it, or is predicted to from its
    pace, stops with a `BudgetError` (`pactlab.analysis.clock`; None: no bound).
    """
    sc, domain = scenario_and_domain(scenario)
    return analyze_domain(domain, sc.id, method=method, memory=memory, progress=progress,
                          max_seconds=max_seconds)


def analyze_domain(domain: Domain, name: str = "", method: str = "auto",
                   memory: int | str | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   max_seconds: float | None = None) -> Analysis:
    """`analyze` on a compiled domain."""
    budget = parse_memory(memory)
    k = domain.n_parties
    if choose_method(domain, method, budget) == "exact":
        clock = Clock(max_seconds, progress, f"The exact method ({k} parties)",
                      "Its frontier grows with every issue: fewer issues, options or grid "
                      "steps make it smaller." if k > 2 else "")
        return _analysis(domain, name, exact_domain(domain, budget, clock), "exact")
    clock = Clock(max_seconds, progress, f"Enumerating {domain.feasible_count:,} feasible outcomes",
                  "Fewer issues or options, or coarser grids, make the space smaller.")
    return _analysis(domain, name, enumerate_domain(domain, budget, clock), "enumerate")


def _count(n: int | None) -> str:
    return "an uncounted number of" if n is None else str(n)


def _range(lo: float, hi: float) -> tuple[float | None, float] | None:
    if np.isnan(hi):
        return None
    return (None if np.isnan(lo) else float(lo), float(hi))


def _cap_notes(domain: Domain) -> tuple[str, ...]:
    """Say which parties' utilities are capped (GENIUS profiles cap at 1)."""
    if domain.caps is None or not np.isfinite(domain.caps).any():
        return ()
    capped = ", ".join(f"{p} at {c:g}" for p, c in zip(domain.party_ids, domain.caps, strict=True)
                       if np.isfinite(c))
    return (f"Utilities are capped: {capped}.",)


def _method_notes(summary: Scan | ExactScan) -> tuple[str, ...]:
    if not isinstance(summary, ExactScan):
        return ()
    if summary.uncounted is not None:
        return (EXACT_NOTE, UNCOUNTED_NOTE.format(why=summary.uncounted))
    return (EXACT_NOTE, COUNTED_NOTE)


def _analysis(domain: Domain, name: str, summary: Scan | ExactScan, method: str) -> Analysis:
    rows = summary.frontier_rows(domain)
    pareto = tuple(
        point(domain, row, u) for row, u in zip(rows, summary.frontier_utilities, strict=True)
    )
    picks = solve(summary.frontier_utilities, domain.reservations)
    solutions = {k: (pareto[i] if i is not None else None) for k, i in picks.items()}
    status_quo = None if domain.status_quo is None else point(domain, domain.status_quo)
    ranges = {
        p: _range(lo, hi)
        for p, lo, hi in zip(domain.party_ids, summary.ir_low, summary.ir_high, strict=True)
    }
    ir_exists = bool(individually_rational(summary.frontier_utilities, domain.reservations).any())
    return Analysis(
        scenario=name,
        parties=domain.party_ids,
        reservations={p: float(r) for p, r in zip(domain.party_ids, domain.reservations,
                                                  strict=True)},
        outcomes=summary.outcomes,
        feasible=summary.feasible,
        individually_rational=summary.individually_rational,
        pareto=pareto,
        solutions=solutions,
        status_quo=status_quo,
        zopa=Zopa(exists=ir_exists, size=summary.individually_rational, ranges=ranges),
        assumptions=ASSUMPTIONS + _cap_notes(domain) + _method_notes(summary),
        method=method,
        domain=domain,
    )
