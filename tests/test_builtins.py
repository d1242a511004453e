"""Built-in scenarios: they validate, every number has a basis, every quote is in its seed."""

from __future__ import annotations

import pytest

from conftest import SHARED_SEEDS
from pactlab.model import builtin_ids, load_scenario
from pactlab.model.provenance import bases, check_quotes, normalise_text

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
def test_every_quote_occurs_in_its_bundled_document(sid):
    checks = check_quotes(load_scenario(sid))
    assert len(checks) >= 15
    assert [c.key for c in checks if not c.found] == []


@pytest.mark.parametrize("sid", BUILTINS)
def test_every_quote_occurs_in_the_original_seed(sid):
    """Independent of the bundled copies: read the seeds the project was given."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip("the shared seeds are not beside this checkout")
    sc = load_scenario(sid)
    for key, basis in bases(sc):
        if basis is None or basis.quote is None:
            continue
        document = sc.source(basis.source).document
        seed = normalise_text((SHARED_SEEDS / document).read_text(encoding="utf-8"))
        assert normalise_text(basis.quote) in seed, key


def test_a_misquote_is_reported(tmp_path):
    sc = load_scenario("sma-2019")
    text = sc.origin.read_text(encoding="utf-8").replace(
        "more than five times what it pays now", "more than six times what it pays now")
    path = tmp_path / "sma.toml"
    path.write_text(text, encoding="utf-8")
    missing = [c for c in check_quotes(load_scenario(path)) if not c.found]
    assert [c.key for c in missing] == ["issues[0].basis"]
    assert missing[0].problem == "quote does not occur in '002_a216c1070e139e5a.txt'"


def test_sma_models_the_seed_positions():
    sc = load_scenario("sma-2019")
    payment = sc.issue("payment")
    assert payment.status_quo == 0.92 and max(payment.labels()) == 5.0
    assert 1.0 in sc.issue("weapons").labels()
    assert len(sc.parties) == 3


def test_us_rok_2025_is_the_default_and_links_issues():
    sc = load_scenario("us-rok-2025")
    assert {"tariff", "investment", "shipbuilding", "lng", "defense_spending", "cost_share",
            "usfk", "opcon", "summit"} <= set(sc.issue_ids)
    assert sc.issue("defense_spending").status_quo == 2.3
    assert any(p.interactions for p in sc.parties)
