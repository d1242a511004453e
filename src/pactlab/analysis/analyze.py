"""`analyze`: the frontier, the four bargaining solutions, the ZOPA and the status quo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pactlab.analysis.methods import ExactScan, choose_method, enumerate_domain, exact_domain
from pactlab.analysis.results import Point, html_table, point, scenario_and_domain
from pactlab.analysis.scan import Scan
from pactlab.analysis.solutions import solve
from pactlab.model.domain import Domain
from pactlab.model.schema import Scenario

ASSUMPTIONS = (
    "Utilities are additive over issues plus the interaction bonuses whose conditions hold.",
    "Solutions are taken over feasible, individually rational outcomes; no lotteries.",
    "The disagreement point is each party's reservation value (its BATNA).",
    "Kalai–Smorodinsky ideals are each party's best feasible individually rational utility.",
    "Ties between maximisers go to the larger utility sum, then to the earlier outcome.",
)
EXACT_NOTES = (
    "Exact method: the frontier was built issue by issue without enumerating outcomes; it "
    "lists one outcome per distinct utility vector.",
    "Exact method: individually rational outcomes were not counted and each party's lowest "
    "ZOPA utility was not computed (both need enumeration); they are reported as unknown.",
)


@dataclass(frozen=True)
class Zopa:
    """Zone of possible agreement: the feasible, individually rational outcomes."""

    exists: bool
    size: int | None  # None: not counted (exact method)
    # party -> (lowest, highest) utility in it; None if empty; lowest None if not computed
    ranges: dict[str, tuple[float | None, float] | None]

    def to_dict(self) -> dict:
        return {
            "exists": self.exists,
            "size": self.size,
            "ranges": {p: (list(r) if r else None) for p, r in self.ranges.items()},
        }


@dataclass(frozen=True)
class Analysis:
    """Everything `pactlab analyze` reports on a scenario."""

    scenario: str
    parties: tuple[str, ...]
    reservations: dict[str, float]
    outcomes: int
    feasible: int
    individually_rational: int | None  # None: not counted (exact method)
    pareto: tuple[Point, ...]
    solutions: dict[str, Point | None]
    status_quo: Point | None
    zopa: Zopa
    assumptions: tuple[str, ...] = ASSUMPTIONS
    method: str = "enumerate"  # how the outcomes were covered: "enumerate" or "exact"

    def to_dict(self, full: bool = False) -> dict:
        """The `analyze --json` object; `full` adds the ZOPA, reservations and assumptions."""
        out = {
            "scenario": self.scenario,
            "parties": list(self.parties),
            "outcomes": self.outcomes,
            "feasible": self.feasible,
            "individually_rational": self.individually_rational,
            "pareto": [p.to_dict() for p in self.pareto],
            "solutions": {k: (v.to_dict() if v else None) for k, v in self.solutions.items()},
            "status_quo": self.status_quo.to_dict() if self.status_quo else None,
        }
        if full:
            out["reservations"] = dict(self.reservations)
            out["zopa"] = self.zopa.to_dict()
            out["assumptions"] = list(self.assumptions)
            out["method"] = self.method
        return out

    def __repr__(self) -> str:
        lines = [
            f"Analysis({self.scenario!r}: {self.outcomes} outcomes, {self.feasible} feasible, "
            f"{_count(self.individually_rational)} individually rational, "
            f"{len(self.pareto)} on the frontier)"
        ]
        for name, sol in self.solutions.items():
            if sol is None:
                lines.append(f"  {name}: none (no individually rational outcome)")
            else:
                us = ", ".join(f"{p}={u:.3f}" for p, u in sol.utilities.items())
                lines.append(f"  {name}: {sol.outcome} -> {us}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [
            [name, *(sol.utilities[p] for p in self.parties), sol.outcome]
            for name, sol in self.solutions.items()
            if sol is not None
        ]
        return html_table(["solution", *self.parties, "outcome"], rows)


def analyze(scenario: Scenario | str | Path, method: str = "auto", memory: int | None = None
            ) -> Analysis:
    """Analyse a scenario (object, built-in id or path).

    `method`: "enumerate" visits every outcome in memory-bounded chunks, "exact"
    builds the frontier issue by issue without enumerating (additive domains only),
    "auto" picks one by outcome count and memory (`pactlab.analysis.methods`).
    `memory`: budget in bytes (default 1 GiB).
    """
    sc, domain = scenario_and_domain(scenario)
    return analyze_domain(domain, sc.id, method=method, memory=memory)


def analyze_domain(domain: Domain, name: str = "", method: str = "auto",
                   memory: int | None = None) -> Analysis:
    """`analyze` on a compiled domain."""
    if choose_method(domain, method, memory) == "exact":
        return _analysis(domain, name, exact_domain(domain, memory), "exact")
    return _analysis(domain, name, enumerate_domain(domain, memory), "enumerate")


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
    ir_exists = bool((summary.frontier_utilities >= domain.reservations).all(axis=1).any())
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
        assumptions=ASSUMPTIONS + _cap_notes(domain) + (EXACT_NOTES if method == "exact" else ()),
        method=method,
    )
