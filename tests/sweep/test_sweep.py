"""Sweeps end to end: determinism, designs, the JSON shape, the per-sample table, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pactlab.analysis.analyze import analyze
from pactlab.cli import app
from pactlab.model import load_scenario
from pactlab.model.priors import apply, noise_priors, resolve
from pactlab.model.references import label_key
from pactlab.sweep import sweep

from .conftest import NOISE, same_columns

runner = CliRunner()


def test_same_seed_same_results_for_any_worker_count_and_batch_size():
    one = sweep("sma-2019", samples=120, noise=NOISE, seed=3, workers=1, batch=120)
    two = sweep("sma-2019", samples=120, noise=NOISE, seed=3, workers=2, batch=32)
    same_columns(one, two)
    other = sweep("sma-2019", samples=120, noise=NOISE, seed=4, workers=1)
    assert not np.array_equal(one.columns["x0"], other.columns["x0"])


@pytest.mark.parametrize("design", ["sobol", "lhs"])
def test_quasi_random_designs_are_seeded_and_stratified(design):
    a = sweep("sma-2019", samples=64, noise=NOISE, seed=1, design=design, workers=1)
    b = sweep("sma-2019", samples=64, noise=NOISE, seed=1, design=design, workers=1)
    same_columns(a, b)
    # Latin hypercube and Sobol' points put one sample in each 1/64 slice of every margin
    j = a.layout.prior_paths.index("parties.us.reservation")
    x = a.columns[f"x{j}"]
    lo, hi = 0.25, 0.35  # --noise reservations=0.05 around 0.30
    slices = np.floor((x - lo) / (hi - lo) * 64).astype(int)
    assert sorted(slices) == list(range(64))


def test_summary_matches_the_per_sample_analyses():
    res = sweep("sma-2019", samples=40, noise=NOISE, seed=5, workers=1)
    sc = load_scenario("sma-2019")
    priors = resolve(sc, noise_priors(sc, {"weights": 0.3, "reservations": 0.05}))
    x = np.column_stack([res.columns[f"x{j}"] for j in range(len(priors))])
    payments = [analyze(apply(sc, priors, row)).solutions["nash"] for row in x]
    expected = np.array([p.outcome["payment"] for p in payments if p is not None])
    d = res.to_dict()
    issue = d["solutions"]["nash"]["issues"]["payment"]
    assert issue["quantiles"]["50"] == pytest.approx(np.quantile(expected, 0.5))
    assert issue["intervals"]["90"] == pytest.approx(list(np.quantile(expected, [0.05, 0.95])))
    assert sum(issue["shares"].values()) == pytest.approx(1.0)
    for label, share in issue["shares"].items():
        assert share == pytest.approx(np.mean(np.isclose(expected, float(label))))
    assert d["p_deal_possible"] == pytest.approx(np.mean([p is not None for p in payments]))


def test_json_shape_is_stable(tmp_path):
    store = str(tmp_path / "runs.sqlite")
    out = runner.invoke(app, ["sweep", "sma-2019", "--noise", NOISE, "-n", "50", "--seed", "2",
                              "--store", store, "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert {"scenario", "target", "samples", "seed", "engine", "run_id", "p_deal_possible",
            "solutions", "sensitivity"} <= set(d)
    assert (d["scenario"], d["target"], d["samples"], d["seed"]) == ("sma-2019", "analyze",
                                                                     50, 2)
    assert set(d["solutions"]) == {"nash", "kalai_smorodinsky", "utilitarian", "egalitarian"}
    payment = d["solutions"]["nash"]["issues"]["payment"]
    assert set(payment["quantiles"]) == {"5", "50", "95"}
    assert set(payment["intervals"]) == {"50", "80", "90"}
    grid = {label_key(x) for x in load_scenario("sma-2019").issue("payment").labels()}
    assert set(payment["shares"]) <= grid and sum(payment["shares"].values()) == pytest.approx(1)
    troops = d["solutions"]["nash"]["issues"]["troops"]
    assert set(troops["shares"]) == {"keep", "minus_brigade", "major_cut"}
    assert "quantiles" not in troops


def test_per_sample_table_as_parquet_and_csv(tmp_path):
    res = sweep("sma-2019", samples=30, noise=NOISE, seed=1, workers=1)
    table = pq.read_table(res.write(tmp_path / "s.parquet"))
    assert table.num_rows == 30
    assert {"sample", "parties.us.reservation", "zopa", "nash.payment", "nash.troops",
            "nash.u.us"} <= set(table.column_names)
    frame = res.to_pandas()
    assert list(frame["sample"]) == list(range(30))
    csv = (res.write(tmp_path / "s.csv")).read_text().splitlines()
    assert len(csv) == 31 and csv[0].startswith('"sample"')


@pytest.mark.parametrize(("args", "fragment"), [
    (["--vary", "parties.usa.reservation=uniform(0.2,0.4)"], "did you mean"),
    (["--vary", "parties.us.reservation=uniform(0.4,0.2)"], "lo <= hi"),
    (["--noise", "weigths=0.3"], "did you mean 'weights'"),
    (["--noise", NOISE, "-n", "0"], "--samples must be positive"),
    (["--noise", NOISE, "-n", "2000000000"], "fit"),
    (["--noise", NOISE, "--design", "grid"], "unknown design"),
    (["--noise", NOISE, "--engine", "spark"], "unknown engine"),
    (["--noise", NOISE, "--target", "dance"], "unknown target"),
    ([], "nothing is uncertain"),
    (["--noise", NOISE, "--batch", "-3"], "--batch must be a positive number of samples"),
    (["--noise", NOISE, "--target", "negotiate", "--time-limit", "-1"], "time limit must be"),
])
def test_bad_input_exits_2_with_one_paragraph(tmp_path, args, fragment):
    out = runner.invoke(app, ["sweep", "sma-2019", "--store", str(tmp_path / "r.sqlite"),
                              *args])
    assert out.exit_code == 2, out.output
    assert fragment in " ".join(out.output.split())
    assert "Traceback" not in out.output
