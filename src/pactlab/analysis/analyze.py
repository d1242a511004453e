"""`analyze`: the frontier, the four bargaining solutions, the ZOPA and the status quo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pactlab.analysis.results import Point, html_table, point, scenario_and_domain
from pactlab.analysis.scan import Scan, scan
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


@dataclass(frozen=True)
class Zopa:
    """Zone of possible agreement: the feasible, individually rational outcomes."""

    exists: bool
    size: int
    ranges: dict[str, tuple[float, float] | None]  # party -> (lowest, highest) utility in it

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
    individually_rational: int
    pareto: tuple[Point, ...]
    solutions: dict[str, Point | None]
    status_quo: Point | None
    zopa: Zopa
    assumptions: tuple[str, ...] = ASSUMPTIONS

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
        return out

    def __repr__(self) -> str:
        lines = [
            f"Analysis({self.scenario!r}: {self.outcomes} outcomes, {self.feasible} feasible, "
            f"{self.individually_rational} individually rational, "
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


def analyze(scenario: Scenario | str | Path) -> Analysis:
    """Analyse a scenario (object, built-in id or path) by enumerating its outcomes."""
    sc, domain = scenario_and_domain(scenario)
    return analyze_domain(domain, sc.id)


def analyze_domain(domain: Domain, name: str = "") -> Analysis:
    summary = scan(domain)
    return _analysis(domain, name, summary)


def _analysis(domain: Domain, name: str, summary: Scan) -> Analysis:
    rows = domain.decode(summary.frontier_index)
    pareto = tuple(
        point(domain, row, u) for row, u in zip(rows, summary.frontier_utilities, strict=True)
    )
    picks = solve(summary.frontier_utilities, domain.reservations)
    solutions = {k: (pareto[i] if i is not None else None) for k, i in picks.items()}
    status_quo = None if domain.status_quo is None else point(domain, domain.status_quo)
    ranges = {
        p: (None if np.isnan(lo) else (float(lo), float(hi)))
        for p, lo, hi in zip(domain.party_ids, summary.ir_low, summary.ir_high, strict=True)
    }
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
        zopa=Zopa(
            exists=summary.individually_rational > 0,
            size=summary.individually_rational,
            ranges=ranges,
        ),
    )
