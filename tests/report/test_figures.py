"""Figures: the plotly objects hold exactly the result's data (points, hover text, lines)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

import pactlab as pl
from pactlab.backtest.run import backtest_case
from pactlab.forecast import load_stakeholders, run_forecast
from pactlab.model import compile_domain, load_scenario, parse_scenario
from pactlab.negotiation import run_session, tournament
from pactlab.report.space import CLOUD_POINTS, RASTER_BINS, cloud
from pactlab.report.style import SOLUTION_NAMES

DATA = Path(__file__).parents[1] / "data"
HOSTILE = '<img src=x onerror="alert(1)">'


def grid_scenario(n_issues: int, n_options: int, parties: int = 2) -> dict:
    """Numeric issues on [0, 1]; party k prefers high values on issues with k's parity."""
    issues = [{"id": f"i{i}", "values": [k / (n_options - 1) for k in range(n_options)],
               "status_quo": 0.0, "basis": {"assumption": "test"}} for i in range(n_issues)]
    out = []
    for p in range(parties):
        values = {f"i{i}": {"kind": "linear", "worst": float((i + p) % 2),
                            "best": float(1 - (i + p) % 2)} for i in range(n_issues)}
        out.append({"id": f"p{p}", "reservation": 0.3,
                    "weights": {f"i{i}": 1 / n_issues for i in range(n_issues)},
                    "values": values,
                    "limits": [{"issue": "i0", "max": 0.9}] if p == 0 else []})
    return {"id": "grid", "issues": issues, "parties": out}


def traces(fig, kind=None, name=None):
    return [t for t in fig.data if (kind is None or t.type == kind)
            and (name is None or (t.name or "").startswith(name))]


def test_two_party_space_holds_every_outcome_and_the_whole_frontier():
    res = pl.analyze(load_scenario(DATA / "cases" / "toy-2020.toml"))
    fig = res.plot()
    cloud_traces = traces(fig, "scattergl")
    assert sum(len(t.x) for t in cloud_traces) == res.outcomes
    ir = traces(fig, name="individually rational")[0]
    assert len(ir.x) == res.individually_rational
    infeasible = traces(fig, name="violates")
    assert sum(len(t.x) for t in infeasible) == res.outcomes - res.feasible
    front = traces(fig, name="Pareto frontier")[0]
    expected = res.frontier_utilities[np.argsort(res.frontier_utilities[:, 0], kind="stable")]
    np.testing.assert_allclose(np.column_stack([front.x, front.y]), expected)
    for name, sol in res.solutions.items():
        t = traces(fig, name=SOLUTION_NAMES[name])[0]
        assert (t.x[0], t.y[0]) == (sol.utilities["buyer"], sol.utilities["seller"])
    sq = traces(fig, name="status quo")[0]
    assert "price = 10" in sq.hovertext[0] and "scope = narrow" in sq.hovertext[0]
    lines = {(s.type, s.x0 if s.x0 == s.x1 else s.y0) for s in fig.layout.shapes}
    assert ("line", 0.2) in lines and len(fig.layout.shapes) == 2


def test_large_spaces_are_rasterised_with_exact_counts():
    data = grid_scenario(3, 31)  # 29,791 outcomes: past the points limit
    sc = parse_scenario(data)
    res = pl.analyze(sc)
    assert res.outcomes > CLOUD_POINTS
    fig = res.plot()
    heat = traces(fig, "heatmap")[0]
    counts = np.asarray(heat.customdata).sum(axis=(0, 1))
    ir = res.individually_rational
    assert counts.tolist() == [res.outcomes - res.feasible, res.feasible - ir, ir]
    assert len(traces(fig, name="Pareto frontier")[0].x) == len(res.pareto)


def test_a_million_outcomes_stay_a_small_figure():
    res = pl.analyze(parse_scenario(grid_scenario(6, 10)))
    assert res.outcomes == 10**6
    fig = res.plot()
    heat = traces(fig, "heatmap")[0]
    assert np.asarray(heat.z).shape == (RASTER_BINS, RASTER_BINS)
    assert len(go.Figure(heat).to_json()) < 1_000_000  # the cloud's cost is the grid's
    assert len(traces(fig, name="Pareto frontier")[0].x) == len(res.pareto)


def test_huge_spaces_are_sampled_uniformly():
    domain = compile_domain(parse_scenario(grid_scenario(4, 12)))
    data = cloud(domain, limit=5_000, seed=1)
    assert data.sampled and len(data.utilities) == 5_000 and data.total == 12**4
    again = cloud(domain, limit=5_000, seed=1)
    np.testing.assert_array_equal(data.utilities, again.utilities)
    # p0's limit i0 <= 0.9 excludes 10/11 and 1 of the 12 options: P(violation) = 1/6
    share, p = float((data.kind == 0).mean()), 1 / 6
    assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / 5_000)


def test_three_parties_draw_a_chosen_pair_and_parallel_coordinates():
    res = pl.analyze("sma-2019")
    fig = res.plot(pair=("rok", "dpk"))
    front = traces(fig, name="Pareto frontier")[0]
    k = {p: i for i, p in enumerate(res.parties)}
    order = np.argsort(res.frontier_utilities[:, k["rok"]], kind="stable")
    np.testing.assert_allclose(front.y, res.frontier_utilities[order, k["dpk"]])
    par = traces(fig, "parcoords")[0]
    assert [d.label for d in par.dimensions] == [f"utility of {p}" for p in res.parties]
    for d, p in zip(par.dimensions, res.parties, strict=True):
        np.testing.assert_allclose(d.values, res.frontier_utilities[:, k[p]])
    with pytest.raises(ValueError, match="two different parties"):
        res.plot(pair=("us", "us"))


def test_offer_figure_shows_the_offer_and_what_beats_it():
    ev = pl.evaluate_offer("sma-2019", {"payment": 1.2, "troops": "keep"})
    fig = ev.plot()
    better = traces(fig, name="better")[0]
    assert [(x, y) for x, y in zip(better.x, better.y, strict=True)] == [
        (p.utilities["us"], p.utilities["rok"]) for p in ev.dominated_by]
    offer = traces(fig, name="the offer")[0]
    assert (offer.x[0], offer.y[0]) == (ev.offer.utilities["us"], ev.offer.utilities["rok"])
    assert len(fig.layout.annotations) >= len(ev.dominated_by)


def test_linkage_bars_are_the_utilities():
    lk = pl.linkage_value("sma-2019")
    fig = lk.plot()
    sep, pkg = fig.data
    assert list(sep.y) == list(lk.separate.utilities.values())
    assert list(pkg.y) == list(lk.package.utilities.values())


def test_session_figure_traces_every_offer():
    res = run_session("sma-2019", {"us": "boulware", "rok": "conceder", "dpk": "linear"},
                      seed=4)
    fig = res.plot()
    for party in res.parties:
        own = [s for s in res.trace if s.action == "offer" and s.party == party]
        t = traces(fig, name=f"offers of {party}")[0]
        assert list(t.x) == [s.utilities["us"] for s in own]
        over_time = traces(fig, name=f"{party}: own offers")[0]
        assert list(over_time.x) == [s.round for s in own]
        assert list(over_time.y) == [s.utilities[party] for s in own]
    if res.agreement:
        star = traces(fig, name="agreement")[0]
        assert (star.x[0], star.y[0]) == (res.utilities["us"], res.utilities["rok"])


def test_forecast_figure_draws_every_actor_on_every_dimension():
    fc = run_forecast(load_stakeholders("sma-2019"), "bdm")
    fig = fc.plot()
    sh = fc.stakeholders
    assert len(fig.data) == sh.n_actors * sh.n_dimensions
    for d in range(sh.n_dimensions):
        for k in range(sh.n_actors):
            np.testing.assert_allclose(fig.data[d * sh.n_actors + k].y, fc.path[:, k, d])
    forecast_lines = sorted(s.y0 for s in fig.layout.shapes)
    np.testing.assert_allclose(forecast_lines, sorted(fc.forecast))


def test_tournament_figure_has_every_strategy_and_pairing():
    res = tournament("sma-2019", ["boulware", "conceder"], reps=1, rounds=40, workers=1)
    fig = res.plot()
    rate, _utility, pairings = fig.data
    assert list(rate.y) == [s["agreement_rate"] for s in res.summary()]
    assert len(pairings.y) == len(res.pairings()) == 8


def test_backtest_case_figure_ranks_methods_by_error():
    case = backtest_case(load_scenario(DATA / "cases" / "toy-2020.toml"))
    from pactlab.report.figures import figure

    bars = figure(case).data[0]
    errors = {m: r.error for m, r in case.methods.items() if r.error is not None}
    assert list(bars.y) == sorted(errors.values())
    assert {"status_quo", "split"} <= set(bars.x)


def test_user_labels_in_figures_are_escaped():
    data = grid_scenario(1, 2)
    data["issues"] = [{"id": "deal", "options": [HOSTILE, "no"], "status_quo": "no",
                       "basis": {"assumption": "t"}}]
    for p in data["parties"]:
        p["values"] = {"deal": {"kind": "table", "table": {HOSTILE: 1.0, "no": 0.0}}}
        p["weights"] = {"deal": 1.0}
        p["limits"] = []
    text = json.dumps(pl.analyze(parse_scenario(data)).plot().to_plotly_json(),
                      default=str)
    assert "<img" not in text and "&lt;img" in text


def test_backtest_figure_pools_and_lists_every_case():
    from pactlab.backtest import backtest

    res = backtest([DATA / "cases" / "toy-2020.toml", "sma-2019"])
    fig = res.plot()
    pooled, grid = fig.data  # no distributions drawn: no coverage panel
    ranked = [r for r in res.ranking if r.error is not None]
    assert list(pooled.y) == [r.error for r in ranked]
    assert list(grid.y) == [c.id for c in res.cases]
    for i, case in enumerate(res.cases):
        for j, m in enumerate(grid.x):
            got, want = grid.z[i][j], case.methods.get(m)
            assert (np.isnan(got) if want is None or want.error is None else got == want.error)


def test_backtest_figure_draws_each_solutions_interval_coverage_against_the_diagonal():
    from pactlab.backtest import backtest

    res = backtest([DATA / "cases" / "toy-2020.toml"], noise="weights=0.3,reservations=0.05",
                   samples=40, seed=3)
    pooled = res.summary_probabilistic
    assert pooled is not None
    lines = res.plot().data[2:]
    diagonal, *solutions = lines
    assert list(diagonal.x) == [0, 1] and list(diagonal.y) == [0, 1]
    drawn = {t.name: list(t.y) for t in solutions}
    want = {name: [s["coverage"][c] for c in ("50", "80", "90")]
            for name, s in pooled["methods"].items() if s["coverage"]}
    assert want, "the toy case has a numeric issue, so some solution has coverage"
    from pactlab.report.style import SOLUTION_NAMES
    assert drawn == {SOLUTION_NAMES[n]: v for n, v in want.items()}
    for t in solutions:
        assert list(t.x) == [0.5, 0.8, 0.9]
        assert all(0.0 <= y <= 1.0 for y in t.y)
