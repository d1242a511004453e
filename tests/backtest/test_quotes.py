"""Quotes must state the numbers a quote-only basis stands for (hand-checked cases)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pactlab.cli import app
from pactlab.model import load_scenario, parse_scenario
from pactlab.model.claims import contains_number, number_problems, quote_values
from pactlab.model.consistency import reservation_warnings

from .conftest import TOY


@pytest.mark.parametrize(("quote", "number", "currencies", "year", "expected"), [
    ("raise its contribution to $5 billion", 5.0, ("USD",), 2019, True),  # scale word
    ("raise its contribution to $5 billion", 5000.0, ("USD",), 2019, True),  # USD mn
    ("raise its contribution to $5 billion", 4.0, ("USD",), 2019, False),
    ("the share is 14 trillion won", 14.0, ("KRW",), 2025, True),
    ("spending accounts for 2.3% of GDP", 2.3, (), 2025, True),
    ("spending accounts for 2.3% of GDP", 0.023, (), 2025, True),  # a fraction
    ("more than five times what it pays now", 5.0, (), 2019, True),  # number word
    ("a six-year deal", 6.0, (), 2021, True),
    ("28,500-strong U.S. Forces Korea", 28.5, (), 2019, True),  # thousand troops
    # FX: 1.0389 trillion won at the 2019 yearly rate (about 1,166 per dollar) is 0.89 bn
    ("1.0389 trillion won for the year 2019", 0.89, ("USD",), 2019, True),
    ("1.0389 trillion won for the year 2019", 0.92, ("USD",), 2019, False),
    ("no figure at all", 0.0, (), 2019, False),
])
def test_numbers_in_quotes(quote, number, currencies, year, expected):
    assert contains_number(number, quote_values(quote, currencies, year)) is expected


def _with_quote_only_reservation(toy_data, quote):
    toy_data["parties"][0]["basis"] = {"source": "memo", "quote": quote}
    return parse_scenario(toy_data)


def test_quote_only_basis_must_contain_its_number(toy_data):
    (problem,) = number_problems(_with_quote_only_reservation(toy_data, "a fair deal"))
    assert problem.key == "parties[0].basis" and problem.number == 0.2
    assert problem.message.startswith("quote does not contain 0.2")


def test_an_assumption_saying_how_silences_the_check(toy_data):
    toy_data["parties"][0]["basis"] = {"source": "memo", "quote": "a fair deal",
                                       "assumption": "0.2: the value of walking away"}
    assert number_problems(parse_scenario(toy_data)) == []


def test_outcome_numbers_are_checked_too(toy_data):
    toy_data["outcome"]["basis"] = {"source": "memo", "quote": "settled at 25 euros"}
    sc = parse_scenario(toy_data)
    assert [(p.key, p.number) for p in number_problems(sc)] == [("outcome.basis", 6.0)]


def test_validate_sources_reports_the_missing_number(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(TOY.read_text().replace(
        'basis = { source = "memo", quote = "settled at 25 euros for six years, medium scope" }',
        'basis = { source = "memo", quote = "settled at 25 euros, medium scope" }'))
    res = CliRunner().invoke(app, ["validate", str(bad), "--sources"])
    assert res.exit_code == 2
    assert "outcome.basis: quote does not contain 6" in res.stderr  # refusals: stderr
    assert "not checked (no local copy; give --docs DIR): memo" in res.stdout
    ok = CliRunner().invoke(app, ["validate", str(TOY), "--sources"])
    assert ok.exit_code == 0, ok.stdout


def test_reservations_that_contradict_a_no_deal_status_quo_warn(toy_data):
    sc = parse_scenario(toy_data)  # reservations 0.2; the status quo is worth more
    warnings = reservation_warnings(sc)
    assert len(warnings) == 2 and warnings[0].startswith("parties[0].reservation: 0.2 but")
    toy_data["no_deal"] = "reservations"
    assert reservation_warnings(parse_scenario(toy_data)) == []
    assert load_scenario("us-rok-2025").no_deal == "status_quo"
