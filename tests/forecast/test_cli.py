"""`pactlab forecast`: JSON shape, tables, errors as exit code 2."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from pactlab.cli.app import PactlabGroup
from pactlab.cli.forecast import forecast

from .conftest import DATA


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    # a group with a callback, so that `forecast` is a subcommand as in the full app
    t = typer.Typer(cls=PactlabGroup)
    t.callback()(lambda: None)
    t.command()(forecast)
    return t


def run(cli, *args: str):
    return CliRunner().invoke(cli, ["forecast", *args])


def test_json_shape_bdm(cli):
    r = run(cli, str(DATA / "eu_emissions_bdm1994.csv"), "--json", "--rounds", "10")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["model"] == "bdm" and out["actors"][0] == "Netherlands"
    assert [d["id"] for d in out["dimensions"]] == ["position"]
    assert len(out["rounds"]) == 11 and out["rounds"][0]["round"] == 0
    assert out["rounds"][1]["positions"]["Belgium"][0] == pytest.approx(8.415932315426764)
    assert out["forecast"] == [out["detail"]["weighted_median"][-1][0]]
    assert out["detail"]["weighted_mean"][10][0] == pytest.approx(7.242130958, abs=1e-6)


@pytest.mark.parametrize("model", ["mean", "median", "condorcet", "bdm", "smp"])
@pytest.mark.parametrize("sid", ["sma-2019", "us-rok-2025"])
def test_builtin_scenarios_forecast(cli, sid, model):
    r = run(cli, sid, "--model", model, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["model"] == model and len(out["forecast"]) == len(out["dimensions"])
    r = run(cli, sid, "--model", model)
    assert r.exit_code == 0 and "Forecast" in r.stdout


def test_sensitivity(cli):
    r = run(cli, "sma-2019", "--sensitivity", "--json")
    out = json.loads(r.stdout)
    shifts = [row["shift"] for row in out["sensitivity"]]
    assert shifts == sorted(shifts, reverse=True)
    assert {row["parameter"] for row in out["sensitivity"]} >= {"capability", "salience.payment"}
    r = run(cli, "sma-2019", "--sensitivity", "--top", "3")
    assert "Sensitivity" in r.stdout


def test_errors_exit_2(cli, tmp_path):
    r = run(cli, "no-such-thing")
    assert r.exit_code == 2 and "built-in" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Actor,Capability,Position,Salience\nA,1,4,0.5\nB,-2,5,0.5\n")
    r = run(cli, str(bad))
    assert r.exit_code == 2 and "row 3 (B)" in r.output and "Traceback" not in r.output
    r = run(cli, "sma-2019", "--model", "magic")
    assert r.exit_code == 2


def test_tol_stops_bdm_early(cli, tmp_path):
    same = tmp_path / "same.csv"
    same.write_text("Actor,Capability,Position,Salience\nA,1,4,0.5\nB,1,4,0.5\nC,1,4,0.5\n")
    out = json.loads(run(cli, str(same), "--json", "--rounds", "30", "--tol", "1e-9").stdout)
    assert len(out["rounds"]) == 2


def test_result_renders_in_jupyter(eu):
    from pactlab.forecast import forecast_eu

    html = forecast_eu(eu, rounds=2)._repr_html_()
    assert "<table>" in html and "Belgium" in html and "forecast" in html


def test_who_moved_names_each_dimensions_own_counterpart():
    from pactlab.cli.forecast import _move_rows
    from pactlab.forecast import load_stakeholders, run_forecast

    res = run_forecast(load_stakeholders("us-rok-2025"), "bdm")
    why = {(m.round, m.actor, m.dimension): f"{m.kind} with {m.counterpart}" for m in res.moves}
    rows = _move_rows(res)
    assert any(r[:2] == ("3", "us_trade") and r[2].startswith("cost_share")
               and r[3] == "confrontation with us_president" for r in rows)
    for t, actor, moves, how in rows:
        for part in moves.split(", "):
            assert why[(int(t), actor, part.split()[0])] == how
