"""`pactlab forecast`: JSON shape, tables, errors as exit code 2."""

from __future__ import annotations

import itertools
import json

import numpy as np
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
    swings = [row["swing"] for row in out["sensitivity"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert {row["parameter"] for row in out["sensitivity"]} >= {"capability", "salience.payment"}
    assert all(0 <= row["total"] <= 1 for row in out["sensitivity"])


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
    # one actor, one round, two dimensions with two different counterparts: two rows
    assert any(a[:2] == b[:2] and a[3] != b[3] for a, b in itertools.pairwise(rows))
    assert any(", " in r[2] for r in rows)  # and dimensions sharing a counterpart share a row
    for t, actor, moves, how in rows:
        for part in moves.split(", "):
            assert why[(int(t), actor, part.split()[0])] == how


@pytest.mark.parametrize("model", ["mean", "median", "condorcet", "bdm", "smp"])
def test_largest_allowed_inputs_give_finite_json(cli, tmp_path, model):
    import warnings

    from pactlab.forecast import load_stakeholders, run_forecast

    big = tmp_path / "big.csv"
    big.write_text("actor,capability,position.x,salience.x,position.y,salience.y\n"
                   "A,9.9e11,1,0.5,9.9e11,0.3\nB,1,-9.9e11,0.5,2,1\nC,3,5,1,-9.9e11,0.2\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = run_forecast(load_stakeholders(big), model)
    assert np.all(np.isfinite(res.path)) and np.all(np.isfinite(res.forecast))

    def no_constant(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    r = run(cli, str(big), "--model", model, "--json", "--sensitivity")
    assert r.exit_code == 0, r.output
    json.loads(r.stdout, parse_constant=no_constant)


def test_sensitivity_says_what_it_does_to_saliences_at_one(cli, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("Actor,Capability,Position,Salience\nA,1,4,1\nB,2,5,0.5\nC,1,9,0.95\n")
    out = json.loads(run(cli, str(f), "--sensitivity", "--json").stdout)
    ends = {r["actor"]: (r["low"], r["high"]) for r in out["sensitivity"]
            if r["parameter"] == "salience.position"}
    # uniform within ±10%, clipped to [0, 1]: the 5% and 95% quantiles
    assert ends["A"] == (pytest.approx(0.91), 1.0)
    assert ends["B"] == (pytest.approx(0.455), pytest.approx(0.545))
    assert ends["C"] == (pytest.approx(0.8645), 1.0)
    r = CliRunner().invoke(cli, ["forecast", str(f), "--sensitivity", "--top", "3"],
                           terminal_width=200)
    assert "clipped to [0, 1]" in r.stdout and "Sensitivity" in r.stdout


def test_json_prints_nan_as_null():
    """The result protocol's one NaN policy: a non-finite forecast is JSON null."""
    from pactlab.forecast import forecast_mean, load_stakeholders

    res = forecast_mean(load_stakeholders("sma-2019"))
    nan = type(res)(model="mean", stakeholders=res.stakeholders, path=res.path,
                    forecast=np.full_like(res.forecast, np.nan))
    text = nan.to_json()
    assert "NaN" not in text and json.loads(text)["forecast"] == [None, None, None]


@pytest.mark.parametrize(("flag", "value", "model"), [
    ("--rounds", "5", "mean"), ("--rounds", "5", "condorcet"), ("--mode", "clean", "smp"),
    ("--tol", "0.1", "median"), ("--tol", "0.1", "smp")])
def test_options_that_do_not_apply_are_errors(cli, flag, value, model):
    r = run(cli, "sma-2019", "--model", model, flag, value)
    assert r.exit_code == 2 and flag in r.output and "does not apply" in r.output


def test_round_chunks_cover_every_round():
    from pactlab.cli.forecast import _round_chunks

    for n in range(0, 30):
        for fit in range(0, 14):
            chunks = _round_chunks(n, fit)
            assert [t for c in chunks for t in c] == list(range(n + 1))
            assert all(len(c) <= max(1, fit) for c in chunks)


def test_path_table_at_80_columns_keeps_every_round(cli):
    r = CliRunner().invoke(cli, ["forecast", "us-rok-2025"], terminal_width=80)
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    shown = [int(c) for ln in lines if ln.startswith("┃ actor") for c in ln.split("┃")[2:-1]]
    assert sorted(shown) == sorted(list(range(11)) * 3)  # every round of all three dimensions


def test_smp_cycle_is_reported_not_printed_to_the_cap(cli, tmp_path):
    from .test_properties import _table

    sh = _table(8, 3, 1)
    rows = [f"{a},{float(c)!r},{float(x)!r},{float(s)!r}" for a, c, x, s in zip(
        sh.actors, sh.capability, sh.position[:, 0], sh.salience[:, 0], strict=True)]
    p = tmp_path / "cycle.csv"
    p.write_text("actor,capability,position,salience\n" + "\n".join(rows) + "\n")
    r = run(cli, str(p), "--model", "smp", "--rounds", "200")
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "cycle: state 35 repeats state 33" in text and "stopped at step 35" in text
    out = json.loads(run(cli, str(p), "--model", "smp", "--rounds", "200", "--json").stdout)
    assert out["detail"]["cycle"] == {"start": 33, "length": 2} and len(out["rounds"]) == 36
