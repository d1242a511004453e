"""Consistency checks: the two seed-000 pairs, factor-of-ten naming, percent of GDP."""

from __future__ import annotations

import pytest

from pactlab.evidence import check_consistency, extract, find_quantities


def test_seed_000_flags_the_14_trillion_won_pair(seed_000):
    text = seed_000.text
    pairs = [c for c in seed_000.checks if c.kind == "paired_amounts"]
    assert len(pairs) == 1
    check = pairs[0]
    assert [text[s:e] for s, e in check.spans] == ["14 trillion won", "RMB 7.3 billion"]
    assert "factor of 10" in check.message
    # both readings are given: each figure converted into the other's currency
    assert "RMB 70.8 billion" in check.message and "1.44 trillion won" in check.message


def test_seed_000_does_not_flag_the_61_trillion_won_pair(seed_000):
    flagged = {seed_000.text[s:e] for c in seed_000.checks for s, e in c.spans}
    assert "61 trillion won" not in flagged
    assert "RMB 320.2 billion" not in flagged
    assert "2.3% of GDP" not in flagged  # 2.3% of 2025 GDP is 61.3 trillion won


def test_seed_000_gdp_share_is_compared_with_korea(seed_000):
    """The seed's sentence names the U.S. only after the pair, so Korea's GDP is meant."""
    start = seed_000.text.index("Current South Korean")
    sentence = seed_000.text[start:seed_000.text.index("According to diplomatic")]
    wrong = extract(sentence.replace("61 trillion won", "6.1 trillion won"), year=2025)
    assert "percent_of_gdp" in [c.kind for c in wrong.checks]


def test_seed_000_has_exactly_one_flag(seed_000):
    assert len(seed_000.checks) == 1


def test_seed_002_has_no_flags(seed_002):
    assert seed_002.checks == ()


@pytest.mark.parametrize("phrase", [
    "1 trillion won (about US$8.6 billion)",
    "1 trillion won, approximately US$8.6 billion",
    "1 trillion won, or about US$8.6 billion",
    "1 trillion won, or US$8.6 billion",
    "1 trillion won (US$8.6 billion)",
])
def test_paired_forms_are_compared(phrase):
    ev = extract(phrase, year=2024)
    assert [c.kind for c in ev.checks] == ["paired_amounts"]
    assert "factor of 10 " not in ev.checks[0].message  # 8.6/0.73 ≈ 11.7: beyond ±25% of 10


@pytest.mark.parametrize("phrase", [
    "1 trillion won ($733 million)",
    "1 trillion won, about $800 million",
    "$1 billion, about 1.2 trillion won",
])
def test_close_pairs_are_not_flagged(phrase):
    assert extract(phrase, year=2024).checks == ()


@pytest.mark.parametrize("phrase", [
    "$1 billion, $5 billion and $8 billion",   # a list, not one amount twice
    "$1 billion or $5 billion",                # alternatives
    "$1 billion. About $5 billion",
])
def test_lists_and_alternatives_are_not_pairs(phrase):
    assert extract(phrase).checks == ()


def test_a_pair_with_its_own_year_is_compared_at_that_years_rates():
    # 1 trillion won was US$884 million at 2015 rates, US$703 million at 2025 rates
    assert extract("1 trillion won (about US$884 million) as of 2015", year=2025).checks == ()
    assert extract("1 trillion won (about US$884 million)", year=2025).checks != ()
    later = extract("1 trillion won (about US$884 million) as of 2015. "
                    "Then 1 trillion won (about US$884 million).", year=2025)
    assert [c.spans[0][0] for c in later.checks] == [later.text.index("Then") + 5]


def test_factor_of_100_is_named():
    ev = extract("a 14 trillion won (about RMB 0.73 billion) bill", year=2025)
    assert "factor of 100" in ev.checks[0].message


def test_percent_of_gdp_is_checked_against_the_gdp_table():
    ok = extract("Korea's spending is 2.3% of GDP (61 trillion won)", year=2025)
    assert ok.checks == ()
    wrong = extract("Korea's spending is 2.3% of GDP (6.1 trillion won)", year=2025)
    assert [c.kind for c in wrong.checks] == ["percent_of_gdp"]
    message = wrong.checks[0].message
    assert "factor of 10" in message
    assert ("2.3% of the 2025 GDP of the Republic of Korea (2,663 trillion won) is "
            "61.3 trillion won, while 6.1 trillion won is 0.23% of that GDP") in message
    assert "of GDP of" not in message and "Korea GDP" not in message


def test_amount_then_share_order_is_checked_too():
    wrong = extract("South Korea's budget of 6.1 trillion won, or 2.3% of GDP", year=2025)
    assert [c.kind for c in wrong.checks] == ["percent_of_gdp"]


def test_percent_of_gdp_without_data_for_the_year_is_not_checked():
    assert extract("ROK: 2.3% of GDP (6.1 trillion won)", year=2015).checks == ()


@pytest.mark.parametrize("text", [
    "Current South Korean defense spending accounts for 2.3% of GDP (6.1 trillion won)",
    "ROK defense spending is 2.3% of GDP (6.1 trillion won)",
    "Korea's defense spending is 2.3% of GDP (6.1 trillion won)",
    "Defense spending is 2.3% of Korea's GDP (6.1 trillion won)",
])
def test_the_country_is_taken_from_the_sentence(text):
    assert [c.kind for c in extract(text, year=2025).checks] == ["percent_of_gdp"]


@pytest.mark.parametrize("text", [
    "Japan spends 2% of GDP (about 10 trillion won)",        # another country's GDP
    "Defense spending is 2.3% of GDP (6.1 trillion won)",     # no country named
    "Korea and Japan spend 2.3% of GDP (6.1 trillion won)",   # two countries
    "North Korea spends 2.3% of GDP (6.1 trillion won)",      # not the ROK
    "Korea noted that Japan spends 2% of GDP (10 trillion won)",
])
def test_percent_of_gdp_is_not_checked_unless_the_country_is_the_tables(text):
    assert extract(text, year=2025).checks == ()


def test_percent_of_gdp_converts_other_currencies_through_fx():
    ok = extract("South Korea spends 2.3% of GDP ($42 billion)", year=2025)
    assert ok.checks == ()  # 61.3 trillion won is US$43.1 billion at 2025 rates
    wrong = extract("South Korea spends 2.3% of GDP ($4.2 billion)", year=2025)
    assert [c.kind for c in wrong.checks] == ["percent_of_gdp"]
    assert "$4.2 billion (about 5.97 trillion won at 2025 rates)" in wrong.checks[0].message


def test_same_currency_pairs_give_no_redundant_readings():
    ev = extract("a $5 billion (about $50 billion) demand", year=2025)
    message = ev.checks[0].message
    assert "is about" not in message and "(US$" not in message
    assert "exchange rates" not in message
    assert 'either "$5 billion" should read US$50 billion' in message


def test_usd_pairs_do_not_repeat_the_usd_reading():
    ev = extract("1 trillion won (about US$8.6 billion)", year=2024)
    message = ev.checks[0].message
    assert ("1 trillion won is about US$733 million, while US$8.6 billion is about "
            "11.7 trillion won.") in message
    assert "(US$" not in message


def test_check_consistency_is_usable_on_its_own():
    text = "14 trillion won (approximately RMB 7.3 billion)"
    checks = check_consistency(find_quantities(text), text, year=2025)
    assert len(checks) == 1 and checks[0].to_dict()["spans"] == [[0, 15], [31, 46]]
