"""Forecast models by name: declared parameters, validated before any work."""

from __future__ import annotations

import numpy as np
import pytest

from pactlab.errors import PactlabError, UnknownNameError
from pactlab.forecast import forecast_eu, make_model, run_forecast
from pactlab.forecast.models import BDM, MAX_ROUNDS, SMP


def test_options_are_the_models_fields(eu):
    model = make_model("bdm", rounds=4, mode="clean")
    assert isinstance(model, BDM) and (model.rounds, model.mode, model.tol) == (4, "clean", 0)
    np.testing.assert_array_equal(model.run(eu).path, forecast_eu(eu, 4, mode="clean").path)
    assert make_model("smp") == SMP(rounds=100)


@pytest.mark.parametrize(("name", "options", "message"), [
    ("bdm", {"modee": "clean"}, "bdm: unknown option 'modee'; did you mean 'mode'?"),
    ("mean", {"rounds": 3}, "mean: unknown option 'rounds' (it takes no options)"),
    ("smp", {"tol": 0.1}, "smp: unknown option 'tol'"),
    ("bdm", {"mode": "fast"}, "bdm: option 'mode': Input should be 'scholz' or 'clean'"),
    ("bdm", {"rounds": MAX_ROUNDS + 1}, "less than or equal to 10000"),
    ("smp", {"rounds": -1}, "greater than or equal to 0"),
    ("bdm", {"rounds": "5"}, "valid integer"),
])
def test_bad_options_are_refused_by_name(name, options, message):
    with pytest.raises(PactlabError) as err:
        make_model(name, **options)
    assert message in str(err.value)


def test_unknown_model_gets_a_did_you_mean(eu):
    with pytest.raises(UnknownNameError, match="did you mean 'bdm'"):
        run_forecast(eu, "bmd")


def test_progress_is_called_every_round(eu):
    seen: list[tuple[int, int]] = []
    run_forecast(eu, "bdm", 3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
