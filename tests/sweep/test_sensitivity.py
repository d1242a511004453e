"""Sobol' indices and the tornado against closed forms; the CLI's top drivers."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.forecast import Stakeholders
from pactlab.model.priors import Uncertain
from pactlab.sweep.run import sweep_stakeholders
from pactlab.sweep.sensitivity import forecast_ranking, stakeholder_priors

runner = CliRunner()


def _linear_table() -> Stakeholders:
    # the weighted mean of positions is linear in them: weights c·s / Σ c·s = 0.75, 0.25
    return Stakeholders.build(["a", "b"], [3.0, 1.0], [[0.5], [0.5]], [[1.0], [1.0]],
                              ["x"])


def test_sobol_indices_of_a_linear_forecast_match_the_closed_form():
    sh = _linear_table()
    entries = [Uncertain(path=f"actors.{k}.position.x", dist="uniform", params=[0.0, 1.0])
               for k in ("a", "b")]
    res = sweep_stakeholders(sh, entries, model="mean", samples=1024, sensitivity=True, seed=3,
                             workers=1)
    sobol = res.sensitivity["sobol"]["forecast.x"]
    # Var(f) = (w_a² + w_b²)/12, each input alone explains its own w²: 0.9 and 0.1
    for path, share in (("actors.a.position.x", 0.9), ("actors.b.position.x", 0.1)):
        assert sobol["first"][path] == pytest.approx(share, abs=0.06)
        assert sobol["total"][path] == pytest.approx(share, abs=0.06)
    tornado = {r["path"]: r for r in res.sensitivity["tornado"]["forecast.x"]}
    # one at a time from the 5% to the 95% quantile (0.05 → 0.95), the other at 0.5
    assert tornado["actors.a.position.x"]["swing"] == pytest.approx(0.75 * 0.9)
    assert tornado["actors.b.position.x"]["swing"] == pytest.approx(0.25 * 0.9)
    assert res.samples == 1024 * 4  # Saltelli: N·(D + 2)


def test_the_decisive_actor_ranks_first():
    # a heavy actor far away moves the weighted mean most
    sh = Stakeholders.build(["a", "b", "c"], [1, 1, 8], [[0.0], [1.0], [10.0]],
                            [[0.5], [0.5], [0.5]], ["x"])
    rows = forecast_ranking(sweep_stakeholders(sh, stakeholder_priors(sh), model="mean",
                                               samples=64, sensitivity=True, workers=1))
    assert rows[0]["actor"] == "c"
    assert [r["swing"] for r in rows] == sorted((r["swing"] for r in rows), reverse=True)
    assert rows[-1]["swing"] >= 0 and all(0 <= r["total"] <= 1 for r in rows)


def test_sweep_sensitivity_prints_top_drivers(tmp_path):
    args = ["sweep", "sma-2019", "--vary", "parties.us.reservation=uniform(0.7,1.0)",
            "--vary", "parties.rok.values.payment.worst=uniform(3,6)",
            "--vary", "parties.dpk.values.troops.table.minus_brigade=uniform(0.3,0.5)",
            "--sensitivity", "-n", "64", "--store", str(tmp_path / "r.sqlite")]
    out = runner.invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["samples"] == 64 * 5 and d["design"] == "saltelli"
    sobol = d["sensitivity"]["sobol"]
    assert {"nash.payment", "p_deal_possible"} <= set(sobol)
    # above about 0.91 the US reservation leaves no outcome rational for everyone: it
    # decides whether a deal is possible, the other two numbers hardly do
    total = sobol["p_deal_possible"]["total"]
    assert 0.4 < d["p_deal_possible"] < 0.9
    assert total["parties.us.reservation"] > 0.5
    assert total["parties.us.reservation"] == max(total.values())
    table = runner.invoke(app, args, terminal_width=160)
    assert table.exit_code == 0 and "Top drivers of p_deal_possible" in table.stdout
    assert np.isfinite(d["p_deal_possible"])
