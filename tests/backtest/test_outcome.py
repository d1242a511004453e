"""The `[outcome]` block: what it accepts, what it refuses and with which key path."""

from __future__ import annotations

import pytest

from pactlab.errors import ScenarioError
from pactlab.model import load_scenario, parse_scenario

from .conftest import TOY


def test_toy_outcome_keeps_off_grid_and_out_of_range_actuals():
    sc = load_scenario(TOY)
    assert sc.outcome is not None
    assert sc.outcome.agreement is True
    # 25 lies between options, 6 beyond the largest: kept as recorded, not snapped
    assert sc.outcome.values == {"price": 25.0, "term": 6.0, "scope": "medium"}
    assert str(sc.outcome.settled) == "2020-06-30"


def test_a_scenario_without_outcome_is_unchanged(toy_data):
    del toy_data["outcome"]
    assert parse_scenario(toy_data).outcome is None


@pytest.mark.parametrize(("change", "key", "words"), [
    (lambda d: d["outcome"].update(date="2019-12-31"), "outcome.date", "must come after as_of"),
    (lambda d: d["outcome"].update(date="2020-01-15"), "outcome.date", "must come after as_of"),
    (lambda d: d["outcome"].update(date="30/06/2020"), "outcome.date", "YYYY-MM-DD"),
    (lambda d: d["outcome"]["values"].update(prize=3.0), "outcome.values.prize",
     "did you mean 'price'"),
    (lambda d: d["outcome"]["values"].update(scope="huge"), "outcome.values.scope",
     "not an option of issue 'scope'"),
    (lambda d: d["outcome"]["values"].update(price="cheap"), "outcome.values.price",
     "expected a number"),
    (lambda d: d["outcome"].update(basis={"source": "nowhere", "quote": "x"}),
     "outcome.basis.source", "unknown source 'nowhere'"),
    (lambda d: d["outcome"].update(bases={"trem": {"assumption": "y"}}),
     "outcome.bases.trem", "unknown issue 'trem'"),
    (lambda d: d["outcome"].pop("basis"), "outcome.basis", "missing"),
    (lambda d: d["outcome"].update(agreement="yes"), "outcome.agreement", "boolean"),
    (lambda d: d["outcome"].update(vaules={}), "outcome.vaules", "did you mean 'values'"),
    (lambda d: d.pop("as_of"), "as_of", "needs 'as_of'"),
])
def test_bad_outcomes_name_the_key(toy_data, change, key, words):
    change(toy_data)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(toy_data, where="toy.toml")
    assert info.value.key == key
    assert words in str(info.value)
    assert str(info.value).startswith("toy.toml: ")


def test_bad_outcome_exits_2_in_validate(tmp_path):
    from typer.testing import CliRunner

    from pactlab.cli import app

    bad = tmp_path / "bad.toml"
    bad.write_text(TOY.read_text().replace('scope = "medium"', 'scope = "huge"'))
    res = CliRunner().invoke(app, ["validate", str(bad)])
    assert res.exit_code == 2
    assert "outcome.values.scope" in res.output
