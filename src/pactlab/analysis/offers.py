"""Evaluating one offer: feasible? rational for whom? Pareto-optimal? What beats it?"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pactlab.analysis.clock import Clock
from pactlab.analysis.exact import exact_frontier
from pactlab.analysis.methods import budget_of, check_enumerable
from pactlab.analysis.results import Point, point
from pactlab.errors import OfferError
from pactlab.kernel.bargaining import (
    Progress,
    acceptance_threshold,
    individually_rational,
    nash_objective,
    nash_product,
)
from pactlab.model.domain import Domain, scenario_and_domain
from pactlab.model.schema import Scenario
from pactlab.result import HIDDEN, Result

DEFAULT_TOP = 5
ENUMERATE_OFFERS_MAX = 10**7  # outcomes; beyond this, additive spaces use the exact frontier


@dataclass(frozen=True)
class OfferEvaluation(Result):
    """An offer's standing against every party's limits, reservation and the frontier."""

    offer: Point
    filled_from_status_quo: tuple[str, ...]
    feasible: bool
    violates_limits_of: tuple[str, ...]
    individually_rational: dict[str, bool]
    pareto_optimal: bool
    nash_product: float | None  # Π(u − r); None unless the offer is rational for every party
    dominated_by: tuple[Point, ...]  # best dominating feasible outcomes, by Nash product
    # numbers a discretised range moved to its nearest grid point: issue -> given, used
    snapped: dict[str, dict[str, object]] = field(default_factory=dict)
    # the domain, kept for figures (every outcome's utilities); not part of the JSON
    domain: Domain | None = field(default=None, repr=False, compare=False, metadata=HIDDEN)


def parse_offer(text: str) -> dict[str, str]:
    """Parse ``"payment=1.2,troops=keep"`` into {issue: label text}."""
    offer: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise OfferError(f"bad offer part {part!r}: expected issue=value, e.g. payment=1.2")
        if key.strip() in offer:
            raise OfferError(f"issue {key.strip()!r} is given twice in the offer")
        offer[key.strip()] = value.strip()
    if not offer:
        raise OfferError("empty offer: expected issue=value pairs separated by commas")
    return offer


def evaluate_offer(
    scenario: Scenario | str | Path,
    offer: dict[str, object] | str,
    top: int = DEFAULT_TOP,
    progress: Progress | None = None,
    max_seconds: float | None = None,
) -> OfferEvaluation:
    """Evaluate an offer; issues it leaves out are taken at their status quo.

    Finding what dominates it covers the space (enumeration, or the exact frontier of a
    large additive space): `progress(done, total)` hears about that work, and
    `max_seconds` bounds it as in `analyze` (`pactlab.analysis.clock`; None: no bound).
    """
    _, domain = scenario_and_domain(scenario)
    return evaluate_offer_domain(domain, offer, top, progress, max_seconds)


def evaluate_offer_domain(
    domain: Domain, offer: dict[str, object] | str, top: int = DEFAULT_TOP,
    progress: Progress | None = None, max_seconds: float | None = None,
) -> OfferEvaluation:
    if top < 1:
        raise OfferError(f"top must be at least 1, got {top}")
    if isinstance(offer, str):
        offer = dict(parse_offer(offer))
    row = domain.row_of(offer, fill=domain.status_quo)
    filled = tuple(i for i in domain.issue_ids if i not in offer)
    u = domain.utilities_of_rows(row[None, :])[0]
    r = domain.reservations
    better = _best_dominating(domain, u, top,
                              Clock(max_seconds, progress, "Searching what dominates the offer"))
    violators = tuple(domain.violations(row))
    return OfferEvaluation(
        offer=point(domain, row, u),
        filled_from_status_quo=filled,
        feasible=not violators,
        violates_limits_of=violators,
        individually_rational={
            p: bool(ok) for p, ok in zip(domain.party_ids, u >= acceptance_threshold(r),
                                         strict=True)
        },
        pareto_optimal=not better and not violators,
        nash_product=float(nash_product(u, r)) if individually_rational(u, r) else None,
        dominated_by=tuple(point(domain, row) for row in better),
        snapped={iid: {"given": given, "used": used}
                 for iid, (given, used) in domain.snapped(offer).items()},
        domain=domain,
    )


def _best_dominating(domain: Domain, u: np.ndarray, top: int, clock: Clock
                     ) -> list[np.ndarray]:
    """Up to `top` feasible outcomes (rows) dominating `u`, best Nash product first (then Σu).

    Spaces too large to enumerate are searched on their exact frontier instead
    (additive domains): an offer is dominated iff a frontier point dominates it,
    and the best dominating outcome by Nash product is always on the frontier.
    """
    if domain.n_outcomes > ENUMERATE_OFFERS_MAX and domain.is_additive:
        front = exact_frontier(domain, progress=clock)
        return list(_top_dominating(front.rows, front.utilities, u, domain.reservations, top)[0])
    check_enumerable(domain, budget_of(None))
    best_rows = np.empty((0, domain.n_issues), dtype=np.int64)
    best_u = np.empty((0, domain.n_parties))
    for _, rows, w in domain.feasible_outcomes(progress=clock):
        best_rows, best_u = _top_dominating(np.vstack([best_rows, rows]), np.vstack([best_u, w]),
                                            u, domain.reservations, top)
    return list(best_rows)


def _top_dominating(rows: np.ndarray, w: np.ndarray, u: np.ndarray, r: np.ndarray, top: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The `top` rows whose utilities `w` dominate `u`, by Nash product, then Σw, then order."""
    dom = (w >= u).all(axis=1) & (w > u).any(axis=1)
    rows, w = rows[dom], w[dom]
    nash = nash_objective(w, r)
    order = np.lexsort((np.arange(len(w)), -w.sum(axis=1), -nash))[:top]
    return rows[order], w[order]
