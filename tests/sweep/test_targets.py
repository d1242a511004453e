"""The negotiate, linkage and forecast targets against the plain one-sample computations."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pactlab.analysis.linkage import linkage_value
from pactlab.cli import app
from pactlab.forecast import load_stakeholders, run_forecast
from pactlab.forecast.readers import builtin_path
from pactlab.model import load_scenario
from pactlab.model.domain import compile_domain
from pactlab.model.priors import apply, noise_priors, parse_vary, resolve
from pactlab.negotiation import run_session
from pactlab.sweep import sweep
from pactlab.sweep.stakeholders import apply_stakeholders, read_uncertain, resolve_stakeholders
from pactlab.sweep.targets import session_seed

NOISE = {"weights": 0.3, "reservations": 0.05}
SMA = load_scenario("sma-2019")
runner = CliRunner()


def _x(res, n_priors):
    return np.column_stack([res.columns[f"x{j}"] for j in range(n_priors)])


LIMIT = "parties.us.limits.0.min=choice(0.92,1.2,1.6)"  # other feasible outcomes per sample


@pytest.mark.parametrize(("strategies", "vary"), [
    ({"us": "boulware", "rok": "conceder"}, []),
    ({"us": "random", "rok": "tit-for-tat", "dpk": "linear:candidates=3"}, []),
    ({"us": "boulware", "rok": "random:p=0.3"}, [LIMIT]),
])
def test_negotiate_matches_one_session_per_sample(strategies, vary):
    """Sessions played in lockstep, each on its own sample's space, are exactly those of
    `run_session` on the scenario with the sample's values (outcome, round, utilities)."""
    res = sweep("sma-2019", "negotiate", samples=8, noise="weights=0.3,reservations=0.05",
                vary=vary, seed=4, workers=2, batch=3, strategies=strategies, rounds=60)
    priors = resolve(SMA, noise_priors(SMA, NOISE))
    priors = [p for p in priors if p.path not in {v.split("=")[0] for v in vary}] + resolve(
        SMA, [parse_vary(v) for v in vary])
    x = _x(res, len(priors))
    for k in range(8):
        sc = apply(SMA, priors, x[k])
        one = run_session(sc, strategies, rounds=60, seed=session_seed(4, k), trace=False)
        assert bool(res.columns["agreement"][k]) == one.agreement
        got = {p: res.columns[f"negotiation.u.{p}"][k] for p in SMA.party_ids}
        assert got == one.utilities
        if one.agreement:
            assert res.columns["agreement_round"][k] == one.agreement_round
            domain = compile_domain(sc)
            assert res.columns["negotiation.outcome"][k] == domain.encode(
                domain.row_of(one.outcome))
    d = res.to_dict()
    assert d["p_agreement"] == pytest.approx(np.mean(res.columns["agreement"]))
    assert set(d["negotiation"]["issues"]["troops"]["shares"]) == {"keep", "minus_brigade",
                                                                  "major_cut"}


def test_linkage_matches_linkage_value_per_sample():
    res = sweep("sma-2019", "linkage", samples=5, noise="weights=0.3,reservations=0.05",
                seed=2, workers=1, tracks=[["payment", "weapons"], ["cleanup", "troops"],
                                           ["indirect", "duration"]])
    priors = resolve(SMA, noise_priors(SMA, NOISE))
    x = _x(res, len(priors))
    for k in range(5):
        one = linkage_value(apply(SMA, priors, x[k]), "payment,weapons|cleanup,troops|"
                            "indirect,duration")
        assert bool(res.columns["separate_feasible"][k]) == one.separate.feasible
        for p in SMA.party_ids:
            assert res.columns[f"gain.{p}"][k] == pytest.approx(one.gain[p])
    assert set(res.to_dict()["linkage"]["gain"]) == set(SMA.party_ids)


def test_forecast_reads_priors_from_the_stakeholder_file(tmp_path):
    path = tmp_path / "sh.toml"
    path.write_text(builtin_path("sma-2019").read_text() + """
[[uncertain]]
path = "actors.us_president.capability"
dist = "uniform"
params = [20, 60]
basis = { assumption = "how much the president's word counts is disputed" }

[[uncertain]]
path = "actors.public.salience.payment"
dist = "beta"
params = [2, 2]
""")
    res = sweep(path, "forecast", samples=12, seed=1, workers=2, model="bdm")
    sh = load_stakeholders(path)
    priors = resolve_stakeholders(sh, read_uncertain(path))
    x = _x(res, 2)
    assert x[:, 0].min() >= 20 and x[:, 0].max() <= 60
    for k in range(12):
        fc = run_forecast(apply_stakeholders(sh, priors, x[k]), "bdm").forecast
        got = [res.columns[f"forecast.{d.id}"][k] for d in sh.dimensions]
        np.testing.assert_allclose(got, fc)
    dims = res.to_dict()["forecast"]["dimensions"]
    assert set(dims) == {d.id for d in sh.dimensions}


def test_forecast_priors_with_bad_paths_exit_2(tmp_path):
    path = tmp_path / "sh.toml"
    path.write_text(builtin_path("sma-2019").read_text() + """
[[uncertain]]
path = "actors.us_presidnt.capability"
dist = "uniform"
params = [20, 60]
""")
    out = runner.invoke(app, ["sweep", str(path), "--target", "forecast", "-n", "4",
                              "--store", str(tmp_path / "r.sqlite")])
    assert out.exit_code == 2, out.output
    text = " ".join(out.output.split())
    assert "uncertain[0].path" in text and "did you mean 'actors.us_president.capability'" in text


def test_negotiate_cli_prints_p_agreement(tmp_path):
    out = runner.invoke(app, ["sweep", "sma-2019", "--target", "negotiate", "--noise",
                              "weights=0.3", "-n", "4", "-s", "us=boulware", "--rounds", "40",
                              "--store", str(tmp_path / "r.sqlite"), "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert 0 <= d["p_agreement"] <= 1 and d["target"] == "negotiate"
    bad = runner.invoke(app, ["sweep", "sma-2019", "--target", "negotiate", "--noise",
                              "weights=0.3", "-n", "4", "-s", "us=nosuch", "--store",
                              str(tmp_path / "r.sqlite")])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


HOSTILE = Path(__file__).parents[1] / "data" / "negotiation" / "hostile.py"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_negotiate_bounds_each_user_strategy_call(tmp_path, workers):
    """`--time-limit` (the tournament's flag) bounds user strategies in sweeps too."""
    exe = str(Path(sys.executable).parent / "pactlab")
    t0 = time.monotonic()
    out = subprocess.run([exe, "sweep", "sma-2019", "--target", "negotiate", "-s",
                          f"us={HOSTILE}:Forever", "--time-limit", "0.5", "--noise",
                          "reservations=0.05", "-n", "4", "-j", workers, "--store",
                          str(tmp_path / "runs.sqlite")], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 2, out.stderr
    err = " ".join(out.stderr.split())
    assert "Traceback" not in err and out.stdout == ""
    assert (f"strategy '{HOSTILE}:Forever' of party 'us' ran past its time limit of 0.5 s "
            "per call in propose") in err
    assert time.monotonic() - t0 < 60


def test_a_user_strategy_that_kills_its_worker_is_reported(tmp_path):
    """The strategy's os._exit ends a worker, never the sweep itself: exit 2, one paragraph,
    and the run can be resumed."""
    exe = str(Path(sys.executable).parent / "pactlab")
    out = subprocess.run([exe, "sweep", "sma-2019", "--target", "negotiate", "-s",
                          f"us={HOSTILE}:KillsWorker", "--noise", "reservations=0.05", "-n", "4",
                          "--batch", "2", "-j", "2", "--store", str(tmp_path / "runs.sqlite")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    err = " ".join(out.stderr.split())
    assert "worker process died" in err and "Traceback" not in err
