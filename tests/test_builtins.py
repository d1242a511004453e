"""Built-in scenarios: they validate, every number has a basis, every quote is in its seed,
every quote-only basis states its numbers, and no claim contradicts a dated source."""

from __future__ import annotations

import pytest

from pactlab.model import builtin_ids, load_scenario
from pactlab.model.claims import check_sources, dated_contradictions, number_problems
from pactlab.model.consistency import reservation_warnings, status_quo_utilities
from pactlab.model.provenance import bases, check_quotes

BUILTINS = ["sma-2019", "us-rok-2025"]


def test_builtins_are_listed():
    assert builtin_ids() == BUILTINS


@pytest.mark.parametrize("sid", BUILTINS)
def test_every_number_has_a_basis(sid):
    sc = load_scenario(sid)
    keys = [key for key, basis in bases(sc) if basis is None]
    assert keys == []
    # and every party states a basis for its weights and for each value function it uses
    for party in sc.parties:
        assert party.weights_basis is not None
        assert all(fn.basis is not None for fn in party.values.values())


@pytest.mark.parametrize("sid", BUILTINS)
def test_every_source_says_where_to_find_it(sid):
    for source in load_scenario(sid).sources:
        assert source.title and source.publisher and source.date
        assert source.url or source.document


@pytest.mark.parametrize("sid", BUILTINS)
def test_every_seed_quote_occurs_in_the_seed_with_its_sha256(sid, shared_seeds):
    report = check_sources(load_scenario(sid), [shared_seeds])
    assert report.ok, (report.numbers, report.contradictions)
    seeds = [s for s in report.sources if s.document]
    assert seeds and all(s.status == "checked" for s in seeds)
    assert sum(q.found is True for q in report.quotes) >= 15
    assert not any(q.found is False for q in report.quotes)


@pytest.mark.parametrize("sid", BUILTINS)
def test_quote_only_bases_state_their_numbers(sid):
    assert number_problems(load_scenario(sid)) == []


@pytest.mark.parametrize("sid", BUILTINS)
def test_without_docs_nothing_is_checked_and_nothing_passes(sid):
    sources, quotes = check_quotes(load_scenario(sid))
    assert all(s.status == "not checked" for s in sources)
    assert all(q.found is None for q in quotes)


def test_us_rok_reservations_are_the_status_quo_utilities():
    sc = load_scenario("us-rok-2025")
    assert sc.no_deal == "status_quo" and reservation_warnings(sc) == []
    sq = status_quo_utilities(sc)
    assert {p.id: p.reservation for p in sc.parties} == pytest.approx(sq, abs=0.01)


def test_sma_status_quo_lapses_without_a_deal():
    assert load_scenario("sma-2019").no_deal == "reservations"


def test_the_nato_year_contradiction_is_caught(tmp_path):
    """The seed's '3.5% of GDP by 2032' against NATO's dated declaration (2035)."""
    sc = load_scenario("us-rok-2025")
    assert dated_contradictions(sc) == []
    text = sc.origin.read_text(encoding="utf-8").replace(
        "NATO's year is 2035 (the seed's '2032' is contradicted by the declaration of 25 "
        "June); every year from 2030 to it.",
        "NATO plans 3.5% of GDP by 2032; 2030 and 2035 bracket it.")
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    (found,) = dated_contradictions(load_scenario(path))
    assert (found.key, found.claimed_year, found.source, found.source_year) == (
        "issues[5].basis", 2032, "nato-2025", 2035)


def test_a_misquote_is_reported(tmp_path, shared_seeds):
    sc = load_scenario("sma-2019")
    text = sc.origin.read_text(encoding="utf-8").replace(
        "more than five times what it pays now", "more than six times what it pays now")
    path = tmp_path / "sma.toml"
    path.write_text(text, encoding="utf-8")
    _, quotes = check_quotes(load_scenario(path), [shared_seeds])
    missing = [c for c in quotes if c.found is False]
    assert [c.key for c in missing] == ["issues[0].basis"]
    assert missing[0].problem == "quote does not occur in '002_a216c1070e139e5a.txt'"


def test_a_copy_with_another_sha256_fails(tmp_path, shared_seeds):
    copy = tmp_path / "002_a216c1070e139e5a.txt"
    copy.write_bytes((shared_seeds / copy.name).read_bytes() + b"\nedited\n")
    report = check_sources(load_scenario("sma-2019"), [tmp_path])
    (rokdrop,) = [s for s in report.sources if s.source == "rokdrop"]
    assert rokdrop.status == "sha256 mismatch" and not report.ok


def test_sma_models_the_seed_positions():
    sc = load_scenario("sma-2019")
    payment = sc.issue("payment")
    assert payment.status_quo == 0.92 and max(payment.labels()) == 5.0
    assert 1.0 in sc.issue("weapons").labels()
    assert len(sc.parties) == 3


def test_us_rok_2025_is_the_default_and_links_issues():
    sc = load_scenario("us-rok-2025")
    assert {"tariff", "investment", "shipbuilding", "lng", "defense_spending", "cost_share",
            "usfk", "opcon", "summit", "defense_industry"} <= set(sc.issue_ids)
    assert sc.issue("defense_spending").status_quo == 2.3
    assert sc.issue("cost_share").labels() == [1.52]  # fixed by the 12th SMA in force
    assert any(p.interactions for p in sc.parties)
