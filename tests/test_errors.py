"""Bad scenario files: each gets one exact, specific message and exit code 2, never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pactlab.cli import app

BASE = '''id = "t"
[[issues]]
id = "payment"
values = [1.0, 2.0]
status_quo = 1.0
[[issues]]
id = "troops"
options = ["keep", "cut"]
[[parties]]
id = "us"
weights = { payment = 0.5, troops = 0.5 }
values.payment = { kind = "linear", worst = 1.0, best = 2.0 }
values.troops = { kind = "table", table = { keep = 1.0, cut = 0.0 } }
[[parties]]
id = "rok"
weights = { payment = 0.5, troops = 0.5 }
values.payment = { kind = "linear", worst = 2.0, best = 1.0 }
values.troops = { kind = "table", table = { keep = 1.0, cut = 0.0 } }
'''
ROK_WEIGHTS = (
    'weights = { payment = 0.5, troops = 0.5 }\nvalues.payment = { kind = "linear", worst = 2.0'
)
US_TROOPS = 'values.troops = { kind = "table", table = { keep = 1.0, cut = 0.0 } }\n[[parties]]'


def edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


CASES = {
    "not TOML": (
        edit('id = "payment"', "id = payment"),
        "not valid TOML: Invalid value (at line 3, column 6)",
    ),
    "unknown top-level key": (
        edit('id = "t"', 'id = "t"\nisues = 3'),
        "isues: unknown key 'isues'; did you mean 'issues'?",
    ),
    "misspelt party key": (
        edit(ROK_WEIGHTS, "wieghts" + ROK_WEIGHTS.removeprefix("weights")),
        "parties[1].wieghts: unknown key 'wieghts'; did you mean 'weights'? "
        "(and 1 more problem(s): parties[1].weights: missing required key)",
    ),
    "misspelt value key": (
        edit("worst = 1.0, best = 2.0", "worts = 1.0, best = 2.0"),
        "parties[0].values.payment.worts: unknown key 'worts'; did you mean 'worst'? "
        "(and 1 more problem(s): parties[0].values.payment.worst: missing required key)",
    ),
    "weights do not sum to 1": (
        edit(ROK_WEIGHTS, ROK_WEIGHTS.replace("troops = 0.5", "troops = 0.6")),
        "parties[1].weights: weights must sum to 1 (±1e-09), they sum to 1.1",
    ),
    "negative weight": (
        edit(ROK_WEIGHTS, ROK_WEIGHTS.replace("payment = 0.5, troops = 0.5",
                                              "payment = 1.5, troops = -0.5")),
        "parties[1].weights: weights must be >= 0, got {'troops': -0.5}",
    ),
    "linear value on a categorical issue": (
        edit(US_TROOPS, 'values.troops = { kind = "linear", worst = 0.0, best = 1.0 }\n'
                        "[[parties]]"),
        "parties[0].values.troops.kind: a 'linear' value needs a numeric issue; 'troops' has "
        "options keep, cut: use kind = \"table\"",
    ),
    "table misses an option": (
        edit("table = { keep = 1.0, cut = 0.0 } }\n[[parties]]",
             "table = { keep = 1.0 } }\n[[parties]]"),
        "parties[0].values.troops.table: no value for option(s) cut of issue 'troops'",
    ),
    "weight without a value function": (
        edit(US_TROOPS, "[[parties]]"),
        "parties[0].values.troops: missing value function for issue 'troops', "
        "which has weight 0.5",
    ),
    "unknown value kind": (
        edit('kind = "linear", worst = 1.0', 'kind = "linar", worst = 1.0'),
        "parties[0].values.payment: 'kind' must be one of ['linear', 'piecewise', 'table', "
        "'affine'], got 'linar'",
    ),
    "worst equals best": (
        edit("worst = 1.0, best = 2.0", "worst = 2.0, best = 2.0"),
        "parties[0].values.payment: 'worst' and 'best' must differ",
    ),
    "limit on an unknown issue": (
        BASE + '[[parties.limits]]\nissue = "tariff"\nmax = 2.0\n',
        "parties[1].limits[0].issue: unknown issue 'tariff'; expected one of "
        "['payment', 'troops']",
    ),
    "limit min above max": (
        BASE + '[[parties.limits]]\nissue = "payment"\nmin = 2.0\nmax = 1.0\n',
        "parties[1].limits[0]: 'min' (2.0) is above 'max' (1.0)",
    ),
    "interaction names an unknown option": (
        BASE + '[[parties.interactions]]\nwhen = { troops = ["withdraw"] }\nvalue = 0.1\n',
        "parties[1].interactions[0].when.troops: unknown option(s) withdraw of issue "
        "'troops'; expected some of keep, cut",
    ),
    "duplicate issue id": (
        edit('id = "troops"', 'id = "payment"'),
        "issues[1].id: duplicate id 'payment': ids must be unique (and 6 more problem(s): "
        "parties[0].weights.troops: unknown issue 'troops'; expected one of ['payment']; "
        "parties[0].values.payment.kind: a 'linear' value needs a numeric issue; 'payment' has "
        "options keep, cut: use kind = \"table\"; parties[0].values.troops: unknown issue "
        "'troops'; expected one of ['payment']; parties[1].weights.troops: unknown issue 'troops'; "
        "expected one of ['payment']; parties[1].values.payment.kind: a 'linear' value needs a "
        "numeric issue; 'payment' has options keep, cut: use kind = \"table\"; "
        "parties[1].values.troops: unknown issue 'troops'; expected one of ['payment'])",
    ),
    "range without steps": (
        edit("values = [1.0, 2.0]", "range = [1.0, 2.0]"),
        "issues[0]: a 'range' issue needs 'steps' >= 2 (number of grid points)",
    ),
    "values and options together": (
        edit("values = [1.0, 2.0]", 'values = [1.0, 2.0]\noptions = ["a", "b"]'),
        "issues[0]: an issue needs exactly one of 'values', 'options' or 'range' "
        "(got values, options)",
    ),
    "status quo is not an option": (
        edit("status_quo = 1.0", "status_quo = 1.5"),
        "issues[0].status_quo: expected one of 1, 2, got 1.5",
    ),
    "basis names an undeclared source": (
        edit("status_quo = 1.0", 'status_quo = 1.0\nbasis = { source = "yonhap", quote = "x" }'),
        "issues[0].basis.source: unknown source 'yonhap'; expected one of [] "
        "(declare it in [[sources]])",
    ),
    "basis with a source but no quote": (
        edit("status_quo = 1.0", 'status_quo = 1.0\nbasis = { source = "yonhap" }'),
        "issues[0].basis: a quoted basis needs both 'source' and 'quote'",
    ),
    "missing required key": (
        edit('id = "rok"\n', ""),
        "parties[1].id: missing required key",
    ),
    "wrong type": (
        edit('id = "rok"\n', 'id = "rok"\nreservation = "high"\n'),
        "parties[1].reservation: Input should be a valid number (got 'high')",
    ),
    "a single party": (
        BASE.split('[[parties]]\nid = "rok"')[0],
        "parties: expected at least 2 entries, got 1",
    ),
}

runner = CliRunner()


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["analyze", "validate"])
def test_bad_scenario_message(case, command, scenario_file):
    text, message = CASES[case]
    path = scenario_file(text)
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    expected = f"{path}: {message}"
    if command == "analyze":
        assert result.stderr == f"error: {expected}\n"
    else:  # refusals go to stderr, like every error
        assert result.stderr == f"invalid {expected}\n" and result.stdout == ""


def test_binary_file(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(b"\x00\xff\xfe\x00garbage")
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: not a text file (invalid UTF-8 at byte 1); expected a TOML scenario\n"
    )


def test_missing_file_suggests_builtin():
    result = runner.invoke(app, ["analyze", "sma-2091"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: sma-2091: no such file, and not a built-in scenario id (built-in: sma-2019, "
        "us-rok-2025; cases: see `pactlab list --cases`); did you mean the built-in scenario "
        "'sma-2019'?\n"
    )


def test_good_file_validates_with_warnings(scenario_file):
    result = runner.invoke(app, ["validate", str(scenario_file(BASE)), "--json"])
    assert result.exit_code == 0
    assert "parties[0].weights_basis: number without a basis" in result.stdout


def test_non_finite_numbers_are_rejected(scenario_file):
    path = scenario_file(BASE.replace('id = "rok"\n', 'id = "rok"\nreservation = nan\n'))
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: parties[1].reservation: nan is out of range: " \
                            "numbers in a scenario are finite and within ±1e+12\n"
    path = scenario_file(edit("troops = 0.5 }\nvalues.payment = { kind = \"linear\", worst = 1.0",
                              "troops = inf }\nvalues.payment = { kind = \"linear\", worst = 1.0"))
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2 and "parties[0].weights.troops: inf is out of range" in \
        result.stderr


def test_json_output_never_holds_nan():
    from pactlab.result import finite

    assert finite({"a": [float("nan"), 1.0, float("inf")], "b": (2.0,)}) == {
        "a": [None, 1.0, None], "b": [2.0]}


MORE_CASES = {
    "unknown issue in weights": (
        edit(ROK_WEIGHTS, ROK_WEIGHTS.replace("troops = 0.5", "troop = 0.5")),
        "parties[1].weights.troop: unknown issue 'troop'; did you mean 'troops'?",
    ),
    "empty allowed list": (
        BASE + '[[parties.limits]]\nissue = "troops"\nallowed = []\n',
        "parties[1].limits[0].allowed: expected at least 1 entries, got 0",
    ),
    "condition that can never hold": (
        BASE + '[[parties.interactions]]\nwhen = { payment = [5.0, 9.0] }\nvalue = 0.1\n',
        "parties[1].interactions[0].when.payment: range [5.0, 9.0] holds no option of issue "
        "'payment' (1, 2): the condition can never hold",
    ),
    "string where a number is expected": (
        edit("values = [1.0, 2.0]", 'values = [1.0, "2"]'),
        "issues[0].values[1]: Input should be a valid number (got '2')",
    ),
    "inverted range": (
        edit("values = [1.0, 2.0]", "range = [2.0, 1.0]\nsteps = 3"),
        "issues[0]: 'range' must be [low, high] with low < high, got [2.0, 1.0]",
    ),
    "type tag kept out of the key path": (
        BASE + '[[parties.interactions]]\nwhen = { payment = [1.0, "x"] }\nvalue = 0.1\n',
        "parties[1].interactions[0].when.payment[1]: Input should be a valid number (got 'x') "
        "(and 1 more problem(s): parties[1].interactions[0].when.payment[0]: Input should be a "
        "valid string (got 1.0))",
    ),
    "empty file": ("", "empty scenario: expected at least 'id', [[issues]] and [[parties]]"),
}


@pytest.mark.parametrize("case", list(MORE_CASES))
def test_more_bad_scenarios(case, scenario_file):
    text, message = MORE_CASES[case]
    path = scenario_file(text)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: {message}\n"


def test_numeric_table_keys_read_as_numbers(scenario_file):
    text = edit('values.payment = { kind = "linear", worst = 1.0, best = 2.0 }',
                'values.payment = { kind = "table", table = { "1.0" = 0.0, "2" = 1.0 } }')
    result = runner.invoke(app, ["analyze", str(scenario_file(text)), "--json"])
    assert result.exit_code == 0, result.output


def test_value_function_without_weight_is_a_warning(scenario_file):
    text = edit(ROK_WEIGHTS, ROK_WEIGHTS.replace("payment = 0.5, troops = 0.5",
                                                 "payment = 1.0"))
    result = runner.invoke(app, ["validate", str(scenario_file(text))])
    assert result.exit_code == 0
    assert "parties[1].values.troops: ignored, the issue has no weight for this party" in \
        result.stdout


def test_utility_cap_must_be_positive(scenario_file):
    text = edit('id = "rok"\n', 'id = "rok"\nutility = { cap = -1.0 }\n')
    result = runner.invoke(app, ["analyze", str(scenario_file(text))])
    assert result.exit_code == 2
    assert "parties[1].utility.cap: Input should be greater than 0 (got -1.0)" in result.stderr
