"""pactlab against NegMAS (the `bench` extra) on the five GENIUS-format test domains.

Semantics made equal before comparing:

- NegMAS 0.16's GENIUS loader keeps raw discrete evaluations (the Festival artist
  gets 21.9 for one outcome); GENIUS divides each by the largest evaluation of
  its issue. The NegMAS value tables are normalised per issue that way here.
- NegMAS 0.16 reads an integer issue's linear evaluator as slope·x + offset; GENIUS
  as slope·(x − lowerbound) + offset. The NegMAS functions are shifted to GENIUS's.
- GENIUS caps a utility at 1 and NegMAS does not; the Lease tenant's weights sum to
  1.00004, so its best outcome differs. The NegMAS utilities are capped too.
- One definition of the frontier and the Nash point for both: with
  d_i = max(reservation_i, lowest utility of i over all outcomes), which is the
  disagreement value NegMAS's `nash_points` uses, the frontier is the Pareto
  frontier of the outcomes with u ≥ d (NegMAS's `pareto_frontier` drops the
  others) and Nash maximises Π(u_i − d_i) over it. pactlab gets d as its
  reservations, so its individually rational frontier and its Nash point are
  exactly these.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pactlab.analysis import analyze_domain
from pactlab.interop import read_genius
from pactlab.model import compile_domain
from scale.genius_data import DOMAINS, files

negmas = pytest.importorskip(
    "negmas", reason="NegMAS is not installed: the cross-check needs the bench extra "
    "(pip install -e '.[dev,bench]'; `make test` installs it)")
from negmas.inout import Scenario as NegmasScenario  # noqa: E402
from negmas.preferences import (  # noqa: E402
    LinearAdditiveUtilityFunction,
    nash_points,
    pareto_frontier,
)
from negmas.preferences.value_fun import AffineFun, TableFun  # noqa: E402

TOL = 1e-9


class CappedUfun(LinearAdditiveUtilityFunction):
    """NegMAS's linear additive utility with GENIUS's min(1, ·)."""

    def eval(self, offer):
        value = super().eval(offer)
        return value if value is None else min(1.0, value)


def negmas_ufuns(name: str):
    domain, profiles = files(name)
    scenario = NegmasScenario.from_genius_files(domain=domain, ufuns=profiles,
                                                ignore_discount=True)
    issues = scenario.outcome_space.issues
    ufuns = []
    for ufun in scenario.ufuns:
        values = [_as_genius(f, issue) for f, issue in zip(ufun.values, issues, strict=True)]
        ufuns.append(CappedUfun(
            values=values, weights=list(ufun.weights), outcome_space=scenario.outcome_space,
            reserved_value=ufun.reserved_value))
    return scenario.outcome_space, ufuns


def _as_genius(f, issue):
    """A NegMAS value function with GENIUS's semantics (see the module docstring)."""
    if isinstance(f, TableFun):
        return TableFun({k: v / max(f.mapping.values()) for k, v in f.mapping.items()})
    assert isinstance(f, AffineFun), type(f)
    return AffineFun(slope=f.slope, bias=f.bias - f.slope * issue.min_value)


def same_vectors(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal as sets of vectors, to TOL."""
    def distinct(x: np.ndarray) -> np.ndarray:
        x = x[np.lexsort(x.T[::-1])]
        keep = np.ones(len(x), dtype=bool)
        keep[1:] = np.abs(np.diff(x, axis=0)).max(axis=1) > TOL
        return x[keep]
    a, b = distinct(a), distinct(b)
    return a.shape == b.shape and bool(np.abs(a - b).max(initial=0.0) <= TOL)


@pytest.mark.parametrize("name", list(DOMAINS))
def test_frontier_and_nash_equal_negmas(name):
    space, ufuns = negmas_ufuns(name)
    outcomes = list(space.enumerate_or_sample())
    domain = compile_domain(read_genius(*files(name)))
    assert domain.n_outcomes == len(outcomes)
    every = domain.utilities(np.arange(domain.n_outcomes))
    theirs = np.array([[float(u(o)) for u in ufuns] for o in outcomes])
    rows = np.array([[domain.option_index(i, v) for i, v in enumerate(o)] for o in outcomes])
    np.testing.assert_allclose(domain.utilities_of_rows(rows), theirs, rtol=0, atol=TOL)

    d = np.maximum(domain.reservations, every.min(axis=0))
    for ufun, di in zip(ufuns, d, strict=True):
        ufun.reserved_value = float(di)
    front, _ = pareto_frontier(ufuns, outcomes=outcomes)
    nash = nash_points(ufuns, front, outcome_space=space)

    for method in ("enumerate", "exact"):
        res = analyze_domain(replace(domain, reservations=d), method=method)
        ours = np.array([list(p.utilities.values()) for p in res.pareto])
        ours = ours[(ours >= d).all(axis=1)]
        assert same_vectors(ours, np.array(front)), (name, method)
        mine = np.array(list(res.solutions["nash"].utilities.values()))
        assert any(np.abs(mine - np.array(pt)).max() <= TOL for pt, _ in nash), (name, method)
