"""Scenario files a careless user or an attacker might write: each refused in one paragraph,
quickly, with the key path and the limit; and the defects of issue 14 in the model layer."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from pactlab.analysis import analyze, analyze_domain
from pactlab.cli import app
from pactlab.errors import BudgetError, ScenarioError
from pactlab.model.domain import Domain
from pactlab.model.loading import parse_scenario
from pactlab.model.synthetic import random_domain
from pactlab.negotiation.space import build_space
from test_errors import BASE, edit

runner = CliRunner()


def refused(scenario_file, text: str, command: str = "analyze") -> str:
    """Run a command on a scenario text; it must exit 2 with one line on stderr."""
    result = runner.invoke(app, [command, str(scenario_file(text))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 10_000
    return result.stderr


@pytest.mark.parametrize("nest", [("[", "]"), ("{a = ", "}")])
@pytest.mark.parametrize("depth", [40, 5000])
def test_deeply_nested_toml_is_refused(scenario_file, nest, depth):
    opener, closer = nest
    text = BASE + f"\nzz = {opener * depth}1{closer * depth}\n"
    message = refused(scenario_file, text)
    assert "nested" in message and "12 levels" in message


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("worst = 1.0, best = 2.0", "worst = 1.0, best = 1" + "0" * 400,
     "parties[0].values.payment.best: a number of 401 digits is out of range"),
    ("values = [1.0, 2.0]", "values = [1.0, 1e300]",
     "issues[0].values[1]: 1e+300 is out of range: numbers in a scenario are finite and within "
     "±1e+12"),
])
def test_huge_numbers_are_refused(scenario_file, old, new, expected):
    assert expected in refused(scenario_file, edit(old, new))


def test_interaction_values_are_bounded(scenario_file):
    text = BASE + '[[parties.interactions]]\nwhen = { troops = ["keep"] }\nvalue = 1e11\n'
    assert "parties[1].interactions[0].value: Input should be less than or equal to 1" in \
        refused(scenario_file, text)


def test_many_options_are_refused_fast(scenario_file):
    options = ", ".join(f'"o{i}"' for i in range(200_000))
    text = edit('options = ["keep", "cut"]', f'options = ["keep", "cut", {options}]')
    t0 = time.perf_counter()
    message = refused(scenario_file, text, "validate")
    assert time.perf_counter() - t0 < 20  # measured ~2 s; a hang would be minutes
    assert "issues[1].options: at most 100,000 entries are allowed, got 200,002" in message


def test_reservation_must_lie_on_the_utility_scale(scenario_file):
    for bad in ("35.0", "-0.5"):
        text = edit('id = "rok"\n', f'id = "rok"\nreservation = {bad}\n')
        assert f"parties[1].reservation: {float(bad):g} is off 'rok''s utility scale [0, 1]" in \
            refused(scenario_file, text)
    # as-written weights widen the scale (GENIUS), and so does a bonus
    text = edit('id = "rok"\n', 'id = "rok"\nreservation = 1.5\nutility = { weights = '
                '"as-written" }\n').replace("payment = 0.5, troops = 0.5 }\nvalues.payment = "
                                            '{ kind = "linear", worst = 2.0',
                                            "payment = 1.0, troops = 1.0 }\nvalues.payment = "
                                            '{ kind = "linear", worst = 2.0')
    result = runner.invoke(app, ["validate", str(scenario_file(text))])
    assert result.exit_code == 0, result.output


def test_missing_reservation_is_a_warning(scenario_file):
    result = runner.invoke(app, ["validate", str(scenario_file(BASE)), "--json"])
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["files"][0]["warnings"]
    assert "parties[0].reservation: not given; 0 is assumed ('us' accepts any outcome over no " \
           "deal)" in warnings
    given = edit('id = "us"\n', 'id = "us"\nreservation = 0.0\n')
    result = runner.invoke(app, ["validate", str(scenario_file(given)), "--json"])
    warnings = json.loads(result.stdout)["files"][0]["warnings"]
    assert not any(w.startswith("parties[0].reservation") for w in warnings)


def test_as_of_must_be_an_iso_date(scenario_file):
    assert "as_of: expected a date 'YYYY-MM-DD', got 'March 2025'" in \
        refused(scenario_file, edit('id = "t"', 'id = "t"\nas_of = "March 2025"'))
    ok = runner.invoke(app, ["validate", str(scenario_file(edit('id = "t"', 'id = "t"\n'
                                                                 'as_of = "2025-03-01"')))])
    assert ok.exit_code == 0


def test_array_of_tables_by_mistake_gets_a_hint(scenario_file):
    text = edit('values.troops = { kind = "table", table = { keep = 1.0, cut = 0.0 } }\n'
                "[[parties]]",
                "[[parties]]").replace(
        'values.payment = { kind = "linear", worst = 1.0, best = 2.0 }\n',
        'values.payment = { kind = "linear", worst = 1.0, best = 2.0 }\n'
        '[[parties.values.troops]]\nkind = "table"\ntable = { keep = 1.0, cut = 0.0 }\n', 1)
    message = refused(scenario_file, text)
    assert "parties[0].values.troops: expected a table, got an array of tables: write " \
           "[parties.values.troops] (single brackets), not [[parties.values.troops]]" in message


def test_every_problem_is_listed(scenario_file):
    bad = "".join(f'[[issues]]\nid = "x{i}"\nvalues = [1.0]\nstatus_quo = 5.0\n'
                  for i in range(60))
    path = scenario_file(BASE + bad)
    message = refused(scenario_file, BASE + bad)
    assert "(and 59 more problem(s): issues[3].status_quo" in message
    assert "issues[51].status_quo" in message and "issues[52].status_quo" not in message  # 50
    assert "`pactlab validate FILE --json` lists them all" in message
    out = json.loads(runner.invoke(app, ["validate", str(path), "--json"]).stdout)
    keys = [p["key"] for p in out["files"][0]["problems"]]
    assert keys == [f"issues[{i}].status_quo" for i in range(2, 62)]
    with pytest.raises(ScenarioError) as err:
        parse_scenario({"id": "t", "issues": [{"id": "a", "values": [1.0], "status_quo": 2.0},
                                              {"id": "b", "values": [1.0], "status_quo": 2.0}],
                        "parties": []})
    assert len(err.value.problems) == 3  # two status quos and too few parties


def test_api_accepts_a_memory_budget_as_text():
    assert analyze("us-rok-2025", memory="1G").method == analyze("us-rok-2025").method
    with pytest.raises(BudgetError, match="memory budget 'lots'"):
        analyze("us-rok-2025", memory="lots")
    with pytest.raises(ValueError, match="memory budget"):  # an input error is a ValueError
        analyze("us-rok-2025", memory="-1G")


def test_spaces_beyond_int64_are_analysed_exactly_or_refused_with_the_count():
    domain = random_domain(30, 10)  # 10^30 outcomes: no 64-bit index exists
    assert not domain.indexable and domain.feasible_count == 10**30
    res = analyze_domain(domain)
    assert res.method == "exact" and res.outcomes == 10**30
    assert res.individually_rational is None  # counting 10^30 would take too long: said
    assert any("not counted" in a for a in res.assumptions)
    with pytest.raises(BudgetError, match=r"1,000,000,000,000,000,000,000,000,000,000 outcomes "
                       r"are more than 64-bit indices can number"):
        domain.decode(np.arange(3))


def test_negotiation_refuses_a_huge_space_before_enumerating():
    domain = random_domain(12, 10)
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"1,000,000,000,000 feasible outcomes"):
        build_space(domain)
    assert time.perf_counter() - t0 < 5  # it counted, it did not enumerate (that takes hours)


def test_feasible_count_is_the_product_of_allowed_options():
    domain = random_domain(3, 4)
    allowed = [a.copy() for a in domain.party_allowed]
    allowed[1][0, :2] = False
    limited = Domain(domain.issue_ids, domain.labels, domain.party_ids, domain.values,
                     tuple(allowed), domain.reservations)
    rows = limited.decode(np.arange(limited.n_outcomes))
    assert limited.feasible_count == int(limited.feasible_rows(rows).sum()) == 4 * 2 * 4
    listed = np.concatenate([idx for idx, _, _ in limited.feasible_outcomes(chunk=5)])
    assert np.array_equal(listed, np.flatnonzero(limited.feasible_rows(rows)))
