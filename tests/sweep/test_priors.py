"""The `[[uncertain]]` block: validation, key paths, inverse CDFs, clipping, application."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pactlab.errors import PactlabError, ScenarioError
from pactlab.model import load_scenario
from pactlab.model.priors import (
    Uncertain,
    apply,
    merge,
    noise_priors,
    parse_noise,
    parse_vary,
    paths,
    resolve,
)

SMA = load_scenario("sma-2019")


def _file(scenario_file, entry: str):
    text = SMA.origin.read_text(encoding="utf-8")
    return scenario_file(text + "\n[[uncertain]]\n" + entry + "\n")


def test_a_file_with_priors_loads_and_keeps_them(scenario_file):
    path = _file(scenario_file, 'path = "parties.us.reservation"\ndist = "uniform"\n'
                 'params = [0.2, 0.45]\nbasis = { assumption = "analyst range" }')
    sc = load_scenario(path)
    assert [u.path for u in sc.uncertain] == ["parties.us.reservation"]
    assert sc.uncertain[0].params == [0.2, 0.45]


@pytest.mark.parametrize(("entry", "fragment"), [
    ('path = "parties.us.reservation"\ndist = "uniform"\nparams = [0.45, 0.2]',
     "lo <= hi"),
    ('path = "parties.us.reservation"\ndist = "normal"\nparams = [0.3, -0.1]', "sd >= 0"),
    ('path = "parties.us.reservation"\ndist = "beta"\nparams = [0.0, 2.0]', "a > 0"),
    ('path = "parties.us.reservation"\ndist = "choice"\nparams = [[]]', "at least one"),
    ('path = "parties.us.reservation"\ndist = "triangular"\nparams = [0.1, 0.5, 0.3]',
     "lo <= mode <= hi"),
    ('path = "parties.us.reservation"\ndist = "gamma"\nparams = [1, 2]', "dist"),
])
def test_bad_parameters_name_the_file_and_the_entry(scenario_file, entry, fragment):
    path = _file(scenario_file, entry)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert str(path) in text and "uncertain[0]" in text and fragment in text


def test_a_path_that_names_nothing_gets_a_did_you_mean(scenario_file):
    path = _file(scenario_file, 'path = "parties.us.weights.paymnt"\ndist = "uniform"\n'
                 'params = [0.3, 0.5]')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "uncertain[0].path" in str(err.value)
    assert "did you mean 'parties.us.weights.payment'" in str(err.value)


def test_every_documented_path_form_resolves():
    known = {t.path for t in paths(SMA)}
    for path in ["parties.us.reservation", "parties.us.weights.payment",
                 "parties.rok.values.payment.worst", "parties.us.values.cleanup.table.shared",
                 "parties.us.values.payment.points.1.0", "parties.us.values.payment.points.1.1",
                 "parties.us.interactions.0.value", "parties.us.limits.0.min",
                 "parties.dpk.limits.0.max", "issues.payment.status_quo",
                 "issues.troops.status_quo"]:
        assert path in known
    # a limit without that bound, or a categorical option with a numeric prior, is refused
    for entry in [Uncertain(path="parties.us.limits.0.max", dist="uniform", params=[1, 2]),
                  Uncertain(path="issues.troops.status_quo", dist="uniform", params=[0, 1])]:
        with pytest.raises(ScenarioError):
            resolve(SMA, [entry])


def test_inverse_cdfs_match_scipy_and_clip_to_the_valid_range():
    u = np.linspace(0.01, 0.99, 7)
    cases = [
        ("uniform", [0.2, 0.45], 0.2 + u * 0.25),
        ("normal", [0.3, 0.1], stats.norm.ppf(u, 0.3, 0.1)),
        ("beta", [2.0, 3.0], stats.beta.ppf(u, 2, 3)),
        ("triangular", [0.1, 0.2, 0.6], stats.triang.ppf(u, 0.2, loc=0.1, scale=0.5)),
    ]
    for dist, params, expected in cases:
        (prior,) = resolve(SMA, [Uncertain(path="parties.us.reservation", dist=dist,
                                           params=params)])
        assert np.allclose(prior.values(u), np.clip(expected, 0, 1))
    # a normal far outside [0, 1] is clipped to the reservation's range
    (wide,) = resolve(SMA, [Uncertain(path="parties.us.reservation", dist="normal",
                                      params=[0.5, 10.0])])
    x = wide.values(np.array([0.001, 0.5, 0.999]))
    assert x[0] == 0.0 and x[2] == 1.0 and x[1] == pytest.approx(0.5)


def test_choice_draws_each_value_with_equal_probability():
    (prior,) = resolve(SMA, [Uncertain(path="issues.troops.status_quo", dist="choice",
                                       params=[["keep", "major_cut"]])])
    x = prior.values(np.array([0.1, 0.49, 0.51, 0.99]))
    assert [prior.label(v) for v in x] == ["keep", "keep", "major_cut", "major_cut"]


def test_apply_renormalises_weights_and_snaps_the_status_quo():
    priors = resolve(SMA, [
        Uncertain(path="parties.us.weights.payment", dist="uniform", params=[0.9, 0.9]),
        Uncertain(path="issues.payment.status_quo", dist="uniform", params=[1.05, 1.05]),
    ])
    sc = apply(SMA, priors, [0.9, 1.05])
    w = sc.parties[0].weights
    assert sum(w.values()) == pytest.approx(1.0)
    assert w["payment"] == pytest.approx(0.9 / 1.5)  # the other weights sum to 0.6
    assert w["weapons"] / w["troops"] == pytest.approx(2.0)
    assert sc.issues[0].status_quo == 1.04  # 1.05 snaps to the nearest grid point


def test_vary_and_noise_parse_and_refuse_nonsense():
    entry = parse_vary("parties.us.reservation=uniform(0.2, 0.45)")
    assert (entry.path, entry.dist, entry.params) == ("parties.us.reservation", "uniform",
                                                      [0.2, 0.45])
    assert parse_vary("issues.troops.status_quo=choice(keep,major_cut)").params == [
        ["keep", "major_cut"]]
    for bad in ["parties.us.reservation", "x=uniform(1)", "x=gamma(1,2)", "x=normal(0,-1)"]:
        with pytest.raises(PactlabError):
            parse_vary(bad)
    assert parse_noise("weights=0.3,reservations=0.05") == {"weights": 0.3,
                                                            "reservations": 0.05}
    for bad in ["weigths=0.3", "weights=-1", "weights=abc", ""]:
        with pytest.raises(PactlabError):
            parse_noise(bad)


def test_noise_covers_every_positive_weight_and_every_reservation():
    entries = noise_priors(SMA, {"weights": 0.3, "reservations": 0.05})
    weights = [e for e in entries if ".weights." in e.path]
    assert len(weights) == sum(1 for p in SMA.parties for w in p.weights.values() if w > 0)
    res = {e.path: e.params for e in entries if e.path.endswith("reservation")}
    assert res["parties.us.reservation"] == pytest.approx([0.25, 0.35])
    # the command line overrides a file prior on the same path
    cli = parse_vary("parties.us.reservation=uniform(0.1,0.2)")
    merged = merge(entries, [cli])
    assert [e.params for e in merged if e.path == "parties.us.reservation"] == [[0.1, 0.2]]
