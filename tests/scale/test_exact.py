"""The exact (issue-by-issue) frontier against enumeration, on every domain small enough.

Duplicates: enumeration keeps every outcome of a frontier utility vector, the exact
method one outcome per distinct vector. So the two are compared on the set of
distinct frontier vectors (exactly: both sum in issue order, bit for bit), on the
exact method's outcomes being frontier outcomes of the enumeration, and on the
utilities of the four solutions.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build, scenario_dicts
from pactlab.analysis import analyze, analyze_domain
from pactlab.analysis.exact import exact_frontier, nd_unique, require_additive
from pactlab.analysis.methods import choose_method
from pactlab.analysis.scan import scan
from pactlab.errors import BudgetError, MethodError
from pactlab.kernel.bargaining import frontier_order, pareto_mask_bruteforce, pareto_sweep_2d
from pactlab.model.domain import Domain, Interaction
from pactlab.model.synthetic import random_domain


def vectors(points) -> set[tuple[float, ...]]:
    return {tuple(p.utilities.values()) for p in points}


def assert_same_analysis(enum, exact) -> None:
    assert exact.method == "exact" and enum.method == "enumerate"
    assert vectors(exact.pareto) == vectors(enum.pareto)
    assert len(exact.pareto) == len(vectors(exact.pareto))  # one outcome per vector
    enum_outcomes = [p.outcome for p in enum.pareto]
    assert all(p.outcome in enum_outcomes for p in exact.pareto)
    assert exact.feasible == enum.feasible and exact.outcomes == enum.outcomes
    assert exact.zopa.exists == enum.zopa.exists
    for name, sol in enum.solutions.items():
        other = exact.solutions[name]
        assert (sol is None) == (other is None), name
        if sol is not None:
            assert other.utilities == sol.utilities, name
    counted = len(enum.parties) == 2  # meet in the middle counts two parties exactly
    assert exact.individually_rational == (enum.individually_rational if counted or
                                           not enum.zopa.exists else None)
    for p, rng in enum.zopa.ranges.items():
        got = exact.zopa.ranges[p]
        assert (rng is None) == (got is None)
        if rng is not None:
            assert got[1] == rng[1] and got[0] == (rng[0] if counted else None)


@settings(max_examples=150, deadline=None)
@given(scenario_dicts(max_parties=4, max_issues=4, max_options=4))
def test_exact_equals_enumeration_on_random_scenarios(data):
    for party in data["parties"]:
        party["interactions"] = []
    sc = build(data)
    assert_same_analysis(analyze(sc, method="enumerate"), analyze(sc, method="exact"))


@st.composite
def numeric_domains(draw):
    """Domains with many ties (values on a coarse grid), limits and optional utility caps."""
    k = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=5))
    grid = st.integers(0, 4).map(lambda v: v / 8)
    values = tuple(np.array([[draw(grid) for _ in range(n)] for _ in range(k)]) for n in sizes)
    allowed = tuple(
        np.array([[draw(st.integers(0, 5)) > 0 for _ in range(n)] for _ in range(k)])
        for n in sizes
    )
    caps = None
    if draw(st.booleans()):
        caps = np.array([draw(st.sampled_from([np.inf, 0.5, 0.75, 1.0])) for _ in range(k)])
    return Domain(
        issue_ids=tuple(f"i{i}" for i in range(len(sizes))),
        labels=tuple(tuple(f"o{j}" for j in range(n)) for n in sizes),
        party_ids=tuple(f"p{p}" for p in range(k)),
        values=values,
        party_allowed=allowed,
        reservations=np.array([draw(grid) for _ in range(k)]),
        caps=caps,
    )


@settings(max_examples=200, deadline=None)
@given(numeric_domains())
def test_exact_frontier_equals_enumerated_frontier(domain):
    exact = exact_frontier(domain)
    enum = scan(domain)
    assert {tuple(u) for u in exact.utilities} == {tuple(u) for u in enum.frontier_utilities}
    assert len(exact.utilities) == len({tuple(u) for u in exact.utilities})
    if len(exact.rows):
        assert np.array_equal(domain.utilities_of_rows(exact.rows), exact.utilities)
    assert exact.feasible == enum.feasible
    assert_same_analysis(analyze_domain(domain, method="enumerate"),
                         analyze_domain(domain, method="exact"))


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2)),
                min_size=1, max_size=30))
def test_nd_unique_is_the_set_of_distinct_non_dominated_points(points):
    for k in (2, 3):
        u = np.array(points, dtype=float)[:, :k]
        got = {tuple(u[i]) for i in nd_unique(u)}
        assert len(got) == len(nd_unique(u))
        assert got == {tuple(x) for x in u[pareto_mask_bruteforce(u)]}


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=0, max_size=30))
def test_one_two_party_sweep_serves_pareto_mask_and_nd_unique(points):
    u = np.array(points, dtype=float).reshape(-1, 2)
    every = pareto_sweep_2d(u)
    assert set(every.tolist()) == set(np.flatnonzero(pareto_mask_bruteforce(u)).tolist())
    distinct = pareto_sweep_2d(u, distinct=True)
    assert np.array_equal(distinct, nd_unique(u))
    first = {}
    for i, p in enumerate(map(tuple, u)):
        first.setdefault(p, i)
    assert sorted(distinct.tolist()) == sorted({first[tuple(u[i])] for i in every})
    for idx in (every, distinct):  # both come out in frontier order
        assert np.array_equal(idx, idx[frontier_order(u[idx])])


@settings(max_examples=50, deadline=None)
@given(numeric_domains())
def test_exact_and_enumerated_frontiers_share_one_order(domain):
    for u in (exact_frontier(domain).utilities, scan(domain).frontier_utilities):
        assert np.array_equal(frontier_order(u), np.arange(len(u)))


def big_domain(issues: int = 12, options: int = 10) -> Domain:
    return random_domain(issues, options, reservation=0.3)


def test_auto_uses_the_exact_method_on_a_trillion_outcomes():
    domain = big_domain()
    assert domain.n_outcomes == 10**12
    assert choose_method(domain) == "exact"
    res = analyze_domain(domain)  # its speed is a benchmark figure (bench/), not a test
    assert res.method == "exact" and res.feasible == 10**12
    # the exact count against a uniform sample of 200,000 outcomes (5 standard errors)
    sample = np.random.default_rng(3).integers(0, 10, size=(200_000, 12))
    u = domain.utilities_of_rows(sample)
    rational = (u >= 0.3 - 1e-9).all(axis=1)
    share = res.individually_rational / 10**12
    assert abs(rational.mean() - share) < 5 * np.sqrt(share * (1 - share) / len(sample))
    for j, p in enumerate(res.parties):  # no sampled rational outcome lies below the lowest
        low = res.zopa.ranges[p][0]
        assert 0.3 - 1e-9 <= low <= u[rational, j].min()
    u = np.array([list(p.utilities.values()) for p in res.pareto])
    rows = np.array([[int(v) for v in p.outcome.values()] for p in res.pareto])
    assert np.array_equal(domain.utilities_of_rows(rows), u)
    assert pareto_mask_bruteforce(u).all()
    nash = res.solutions["nash"].utilities
    assert max(np.prod(u - 0.3, axis=1)) == pytest.approx((nash["p0"] - 0.3) * (nash["p1"] - 0.3))


def test_limits_filter_options_and_do_not_force_enumeration():
    domain = big_domain(issues=5, options=6)
    allowed = list(domain.party_allowed)
    allowed[2] = allowed[2].copy()
    allowed[2][0, :3] = False  # party p0 excludes the first three options of issue 2
    limited = Domain(domain.issue_ids, domain.labels, domain.party_ids, domain.values,
                     tuple(allowed), domain.reservations)
    assert choose_method(limited, "exact") == "exact"
    assert_same_analysis(analyze_domain(limited, method="enumerate"),
                         analyze_domain(limited, method="exact"))
    assert analyze_domain(limited, method="exact").feasible == 6**4 * 3


def with_interaction(domain: Domain) -> Domain:
    inter = Interaction(party=1, value=0.1, masks={0: np.arange(domain.sizes[0]) < 2,
                                                   3: np.arange(domain.sizes[3]) == 0})
    return Domain(domain.issue_ids, domain.labels, domain.party_ids, domain.values,
                  domain.party_allowed, domain.reservations, interactions=(inter,))


def test_interactions_force_enumeration():
    small = with_interaction(big_domain(issues=4, options=5))
    assert choose_method(small) == "enumerate"
    with pytest.raises(MethodError, match=r"interactions couple issues \(p1 on i0, i3\)"):
        analyze_domain(small, method="exact")


def test_one_refusal_message_for_the_exact_method():
    small = with_interaction(big_domain(issues=4, options=5))
    messages = []
    for refuse in (require_additive, exact_frontier, lambda d: choose_method(d, "exact")):
        with pytest.raises(MethodError) as err:
            refuse(small)
        messages.append(str(err.value))
    assert len(set(messages)) == 1 and messages[0].endswith("; use method 'enumerate'")
    require_additive(big_domain(issues=4, options=5))  # additive: no error


def test_too_large_without_exact_method_is_a_clear_error():
    huge = with_interaction(big_domain())
    with pytest.raises(BudgetError, match=r"1,000,000,000,000 feasible outcomes are too many "
                       r"to enumerate .*exact method does not apply: .*p1 on i0, i3"):
        analyze_domain(huge)
    with pytest.raises(BudgetError, match="domain is additive: use method 'exact'"):
        analyze_domain(big_domain(), method="enumerate")


def test_the_enumeration_limit_counts_feasible_outcomes_only():
    """Limits that leave few feasible outcomes of a huge space make it enumerable: only
    feasible outcomes are visited. The counts then agree with brute force over them."""
    huge = with_interaction(big_domain())  # 10^12 outcomes, interactions: enumeration only
    keep = [np.arange(n) < 3 for n in huge.sizes]  # p0 allows 3 options of each issue
    allowed = tuple(np.vstack([k, np.ones_like(k)]) for k in keep)
    small = Domain(huge.issue_ids, huge.labels, huge.party_ids, huge.values, allowed,
                   huge.reservations, interactions=huge.interactions)
    res = analyze_domain(small)
    assert res.method == "enumerate" and res.feasible == 3**12
    rows = np.stack(np.meshgrid(*[np.arange(3)] * 12, indexing="ij"), -1).reshape(-1, 12)
    u = small.utilities_of_rows(rows)
    assert res.individually_rational == int((u >= small.reservations - 1e-9).all(axis=1).sum())


# --- independent oracles on huge additive domains (nothing enumerated) ----------------
#
# With additive utilities the weighted sum λ·u is separable: its maximum over all
# outcomes is Σ_i max_o λ·v(i, o), reached by picking each issue's best option. Every
# such maximiser is Pareto optimal (λ > 0), so the exact frontier must reach it:
# λ = (1, 1) is the utilitarian maximum, λ = e_p each party's ideal. And no outcome,
# however it is drawn, may lie outside the frontier's dominated region.

HUGE = [(12, 10, 0, True), (20, 4, 5, True), (9, 12, 3, False)]  # 10^12, ~1.1·10^12, ~5·10^9


def separable_max(domain: Domain, weights: np.ndarray) -> tuple[float, np.ndarray]:
    """max over all outcomes of weights·u, in closed form, and one maximising outcome row."""
    best = [np.argmax(weights @ v) for v in domain.values]
    return sum(float(weights @ v[:, o]) for v, o in zip(domain.values, best, strict=True)), \
        np.array(best)


def undominated(front: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Which rows of two-party `pts` no row of `front` weakly dominates (a direct check)."""
    order = np.argsort(-front[:, 0], kind="stable")
    f0, best_f1 = front[order, 0], np.maximum.accumulate(front[order, 1])
    reach = np.searchsorted(-f0, -pts[:, 0], side="right")  # how many have f0 >= p0
    best = np.where(reach > 0, best_f1[np.maximum(reach - 1, 0)], -np.inf)
    return best < pts[:, 1]


@pytest.mark.parametrize(("issues", "options", "seed", "opposed"), HUGE)
def test_frontier_reaches_every_separable_maximum(issues, options, seed, opposed):
    domain = random_domain(issues, options, seed=seed, opposed=opposed)
    front = exact_frontier(domain).utilities
    lambdas = [np.array([1.0, 1.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    lambdas += list(np.random.default_rng(seed).random((40, 2)))
    for lam in lambdas:
        top, row = separable_max(domain, lam)
        assert (front @ lam).max() == pytest.approx(top, rel=1e-12, abs=1e-12), lam
        reached = float(lam @ domain.utilities_of_rows(row[None, :])[0])
        assert reached == pytest.approx(top, rel=1e-12, abs=1e-12)  # the oracle's own check
    for p in range(2):  # each party's ideal, exactly (same summation order)
        ideal = sum(float(v[p].max()) for v in domain.values)
        assert front[:, p].max() == ideal


@pytest.mark.parametrize(("issues", "options", "seed", "opposed"), HUGE)
def test_sampled_outcomes_are_weakly_dominated_by_the_frontier(issues, options, seed, opposed):
    domain = random_domain(issues, options, seed=seed, opposed=opposed)
    exact = exact_frontier(domain)
    rng = np.random.default_rng(seed + 100)
    n, rows = 20_000, exact.rows
    uniform = rng.integers(0, options, size=(n, issues))
    near = rows[rng.integers(0, len(rows), size=n)].copy()  # one issue changed
    near[np.arange(n), rng.integers(0, issues, size=n)] = rng.integers(0, options, size=n)
    pair = rng.integers(0, len(rows) - 1, size=n)  # mixes of neighbouring frontier outcomes
    mixed = np.where(rng.random((n, issues)) < 0.5, rows[pair], rows[pair + 1])
    for sample in (uniform, near, mixed):
        assert not undominated(exact.utilities, domain.utilities_of_rows(sample)).any()
    # the check can fail: drop the utilitarian maximum and its outcome is undominated
    _, row = separable_max(domain, np.array([1.0, 1.0]))
    u = domain.utilities_of_rows(row[None, :])
    keep = ~(exact.utilities == u).all(axis=1)
    assert undominated(exact.utilities[keep], u).all()
