"""The shipped case library: every case loads, is fully based, and respects the as-of rule.

A case is a model *as of* a date before its outcome. These checks read the files
themselves: every number has a basis, the outcome comes after `as_of`, every
source the model part cites (issues and parties, not `[outcome]`) is dated on
or before `as_of`, quotes stay short, and the reservations follow the library's
two documented rules (ORIGIN.md): the utility of the status quo, or 0.8 times
it where no agreement means a lapse.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactlab.cli.app import app
from pactlab.forecast import load_stakeholders
from pactlab.forecast.provenance import missing_bases as stakeholder_missing_bases
from pactlab.model.domain import compile_domain
from pactlab.model.loading import case_ids, load_scenario
from pactlab.model.provenance import bases, missing_bases

CASES = Path(str(resources.files("pactlab.scenarios") / "cases"))
CASE_FILES = sorted(p for p in CASES.glob("*.toml") if not p.name.endswith(".stakeholders.toml"))
STAKEHOLDER_FILES = sorted(CASES.glob("*.stakeholders.toml"))
REQUIRED = {
    "sma-9-2013", "sma-10-2018", "sma-11-2021", "sma-12-2024", "japan-hns-2015",
    "japan-hns-2021", "korus-2018", "usmca-autos-2018", "us-japan-2025", "us-eu-2025",
    "us-uk-2025", "nato-hague-2025",
}
LAPSE_FACTOR = 0.8
MAX_QUOTE = 400  # characters: quotes are evidence for a number, not reproduced text
runner = CliRunner()


def _date(text: str | None) -> dt.date:
    assert text is not None, "a date is required here"
    return dt.date.fromisoformat(text)


def test_library_holds_the_required_cases() -> None:
    ids = {load_scenario(p).id for p in CASE_FILES}
    assert ids >= REQUIRED, f"missing: {sorted(REQUIRED - ids)}"
    assert set(case_ids()) == ids  # every file is a built-in case, found by its id
    assert all(load_scenario(cid).id == cid for cid in sorted(REQUIRED))
    assert (CASES / "ORIGIN.md").is_file()


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_is_valid_and_fully_based(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.id == path.stem
    assert missing_bases(sc) == []
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    domain = compile_domain(sc)
    assert domain.n_outcomes <= 100_000  # small enough for fast backtests
    assert 2 <= domain.n_parties <= 3


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_outcome_is_dated_after_as_of_and_based(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.as_of is not None and sc.outcome is not None
    assert _date(sc.outcome.date) > _date(sc.as_of)
    assert sc.outcome.values, "an outcome scores at least one issue"
    cited = [sc.outcome.basis, *sc.outcome.bases.values()]
    assert all(b.source or b.assumption for b in cited)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_model_cites_only_sources_public_by_as_of(path: Path) -> None:
    sc = load_scenario(path)
    as_of = _date(sc.as_of)
    dated = {s.id: s.date for s in sc.sources}
    assert all(dated.values()), "every source carries its date"
    assert all(s.url for s in sc.sources), "every source carries its address"
    late = [
        (key, basis.source, dated[basis.source])
        for key, basis in bases(sc)
        if basis is not None and basis.source is not None
        and _date(dated[basis.source]) > as_of
    ]
    assert late == [], f"model bases cite sources dated after as_of {sc.as_of}: {late}"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_quotes_are_short(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.outcome is not None
    quoted = [b.quote for _, b in bases(sc) if b is not None and b.quote]
    quoted += [b.quote for b in (sc.outcome.basis, *sc.outcome.bases.values()) if b.quote]
    assert quoted, "a case rests on at least one quote"
    long = [q[:60] for q in quoted if len(q) > MAX_QUOTE]
    assert long == []


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_reservations_follow_the_library_rules(path: Path) -> None:
    sc = load_scenario(path)
    domain = compile_domain(sc)
    assert domain.status_quo is not None
    at_status_quo = domain.utilities_of_rows(domain.status_quo[None, :])[0]
    for party, u_sq, reservation in zip(sc.parties, at_status_quo, domain.reservations,
                                        strict=True):
        lapse = party.basis is not None and "lapse rule" in (party.basis.assumption or "")
        expected = LAPSE_FACTOR * u_sq if lapse else u_sq
        assert reservation == pytest.approx(expected, abs=1e-3), (
            f"{sc.id}: {party.id} reservation {reservation} vs "
            f"{'0.8 x ' if lapse else ''}u(status quo) {u_sq:.4f}")


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_reservation_priors_bracket_the_point_estimates(path: Path) -> None:
    sc = load_scenario(path)
    reservations = {p.id: p.reservation for p in sc.parties}
    priors = {u.path: u for u in sc.uncertain}
    assert priors, "every case says how unsure its reservations are"
    for key, prior in priors.items():
        party = key.removeprefix("parties.").removesuffix(".reservation")
        assert key == f"parties.{party}.reservation" and party in reservations
        assert prior.dist == "uniform" and prior.basis is not None
        lo, hi = prior.params
        assert 0.0 <= lo < hi <= 1.0
        assert lo - 1e-9 <= reservations[party] <= hi + 1e-9


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_analyzes(path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert '"solutions"' in result.output


def test_library_ships_stakeholder_sets() -> None:
    assert STAKEHOLDER_FILES, "at least one case carries a stakeholder set"


@pytest.mark.parametrize("path", STAKEHOLDER_FILES, ids=lambda p: p.name.split(".")[0])
def test_stakeholder_set_matches_its_case_and_forecasts(path: Path) -> None:
    case = CASES / f"{path.name.removesuffix('.stakeholders.toml')}.toml"
    sc = load_scenario(case)
    sh = load_stakeholders(path)
    assert sh.scenario == sc.id
    assert stakeholder_missing_bases(sh) == []
    issues = {i.id: i for i in sc.issues}
    for dim in sh.dimensions:  # numeric issues of the case, same unit, range inside the grid
        issue = issues[dim.issue or dim.id]
        labels = [float(x) for x in issue.labels()]
        assert dim.unit == issue.unit
        assert min(labels) <= dim.low < dim.high <= max(labels)
    for source in sh.sources:  # the as-of rule holds for the stakeholder set too
        assert _date(source["date"]) <= _date(sc.as_of)
    result = runner.invoke(app, ["forecast", str(path), "--json"])
    assert result.exit_code == 0, result.output
    forecast = json.loads(result.output)["forecast"]
    assert all(d.low - 1e-9 <= f <= d.high + 1e-9 for d, f in zip(sh.dimensions, forecast,
                                                                 strict=True))
